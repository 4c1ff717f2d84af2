#include "settings/ProfileStore.h"

#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QSettings>
#include <QStringDecoder>

#include <algorithm>
#include <array>
#include <utility>

namespace qalam {

namespace {

Q_LOGGING_CATEGORY(lcProfileStore, "qalam.settings.profiles")

constexpr int formatVersion = 1;

const QString profilesGroup = QStringLiteral("profiles");

namespace Key {
const QString formatVersion = QStringLiteral("formatVersion");
const QString name = QStringLiteral("name");
const QString baseUrl = QStringLiteral("baseUrl");
const QString protocol = QStringLiteral("protocol");
const QString model = QStringLiteral("model");
const QString headers = QStringLiteral("headers");
const QString headerName = QStringLiteral("name");
const QString headerValue = QStringLiteral("value");
const QString headerSecret = QStringLiteral("secret");
const QString apiKeyEnv = QStringLiteral("apiKeyEnv");
const QString caCertificate = QStringLiteral("caCertificate");

const QString language = QStringLiteral("preferences/language");
const QString theme = QStringLiteral("preferences/theme");
const QString arabicFont = QStringLiteral("preferences/arabicFont");
const QString readingWidth = QStringLiteral("preferences/readingWidth");
const QString reduceMotion = QStringLiteral("preferences/reduceMotion");
const QString fontPointSize = QStringLiteral("preferences/fontPointSize");
const QString lastProfile = QStringLiteral("preferences/lastProfile");
const QString windowGeometry = QStringLiteral("preferences/windowGeometry");
const QString windowState = QStringLiteral("preferences/windowState");
const QString sidebarVisible = QStringLiteral("preferences/sidebarVisible");
const QString proxyMode = QStringLiteral("preferences/proxy/mode");
const QString proxyType = QStringLiteral("preferences/proxy/type");
const QString proxyHost = QStringLiteral("preferences/proxy/host");
const QString proxyPort = QStringLiteral("preferences/proxy/port");
} // namespace Key

// Names as written in the file: stable, untranslated, independent of enum order.
template<typename Enum, std::size_t N = 3>
using NameTable = std::array<std::pair<Enum, QLatin1String>, N>;

const NameTable<Preferences::Language> languageNames{{
    {Preferences::Language::System, QLatin1String("system")},
    {Preferences::Language::Arabic, QLatin1String("ar")},
    {Preferences::Language::English, QLatin1String("en")},
}};

const NameTable<Preferences::Theme, 4> themeNames{{
    {Preferences::Theme::System, QLatin1String("system")},
    {Preferences::Theme::Light, QLatin1String("light")},
    {Preferences::Theme::Dark, QLatin1String("dark")},
    {Preferences::Theme::HighContrast, QLatin1String("high-contrast")},
}};

const NameTable<Preferences::ArabicFont> arabicFontNames{{
    {Preferences::ArabicFont::Naskh, QLatin1String("naskh")},
    {Preferences::ArabicFont::Sans, QLatin1String("sans")},
    {Preferences::ArabicFont::System, QLatin1String("system")},
}};

const NameTable<ProxySettings::Mode> proxyModeNames{{
    {ProxySettings::Mode::System, QLatin1String("system")},
    {ProxySettings::Mode::None, QLatin1String("none")},
    {ProxySettings::Mode::Manual, QLatin1String("manual")},
}};

template<typename Enum, std::size_t N> QString nameOf(const NameTable<Enum, N> &table, Enum value)
{
    for (const auto &[entry, name] : table) {
        if (entry == value)
            return name;
    }
    return table.front().second;
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueOf(const NameTable<Enum, N> &table, QStringView name)
{
    for (const auto &[entry, entryName] : table) {
        if (name.compare(entryName, Qt::CaseInsensitive) == 0)
            return entry;
    }
    return std::nullopt;
}

// A value from a damaged file, made fit to quote in a one-line message.
QString printable(const QString &value)
{
    constexpr qsizetype maxLength = 40;
    QString out;
    for (const QChar c : value) {
        out += c.isPrint() ? c : QChar(QChar::ReplacementCharacter);
        if (out.size() >= maxLength) {
            out += QChar(0x2026); // …
            break;
        }
    }
    return out;
}

bool nameLess(const Profile &a, const Profile &b)
{
    if (const int order = QString::compare(a.name, b.name, Qt::CaseInsensitive); order != 0)
        return order < 0;
    return a.id < b.id;
}

} // namespace

ProfileStore::ProfileStore(const QString &iniFileName)
    : m_ownSettings(std::make_unique<QSettings>(iniFileName, QSettings::IniFormat)),
      m_settings(*m_ownSettings)
{
    load();
}

ProfileStore::ProfileStore(QSettings &settings) : m_settings(settings)
{
    load();
}

ProfileStore::~ProfileStore() = default;

QString ProfileStore::fileName() const
{
    return m_settings.fileName();
}

void ProfileStore::load()
{
    // Before anything else touches the QSettings: sync() would re-read the file and reset it.
    switch (m_settings.status()) {
    case QSettings::NoError:
        // QSettings reads almost anything as INI and quietly drops what it cannot: a file of
        // garbage, or one torn in the middle of a line, would be rewritten without a word.
        if (m_settings.format() == QSettings::IniFormat && isDamagedIni(fileName()))
            backUpDamagedFile();
        break;
    case QSettings::FormatError:
        backUpDamagedFile();
        break;
    case QSettings::AccessError:
        m_warnings << tr("The settings file “%1” cannot be read or written: changes will not be "
                         "kept after Qalam quits.")
                          .arg(fileName());
        break;
    }

    if (const QVariant version = m_settings.value(Key::formatVersion);
        version.isValid() && version.toInt() > formatVersion) {
        m_warnings << tr("The settings file was written by a newer version of Qalam: settings "
                         "this version does not know are left as they are.");
    }

    m_settings.beginGroup(profilesGroup);
    const QStringList ids = m_settings.childGroups();
    m_settings.endGroup();
    for (const QString &id : ids) {
        if (std::optional<Profile> profile = loadProfile(id))
            m_profiles.append(std::move(*profile));
    }
    sortProfiles();
    for (qsizetype i = 1; i < m_profiles.size(); ++i) {
        if (m_profiles[i - 1].name.compare(m_profiles[i].name, Qt::CaseInsensitive) == 0) {
            m_warnings << tr("Several profiles are called “%1”: rename them so that --profile "
                             "can tell them apart.")
                              .arg(m_profiles[i].name);
        }
    }

    loadPreferences();
    for (const QString &warning : std::as_const(m_warnings))
        qCWarning(lcProfileStore).noquote() << warning;
}

bool ProfileStore::isDamagedIni(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false; // missing (a first run) or unreadable (reported as an access error)
    const QByteArray bytes = file.read(4 * 1024 * 1024);
    // QSettings writes UTF-8 and escapes control characters: raw ones, or bytes that are not
    // UTF-8, were not written by it.
    if (std::any_of(bytes.cbegin(), bytes.cend(), [](char c) {
            return (uchar(c) < 0x20 && c != '\n' && c != '\r' && c != '\t') || uchar(c) == 0x7F;
        }))
        return true;
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString decoded = utf8.decode(bytes); // EncodedData decodes when converted
    if (utf8.hasError() || (decoded.isEmpty() && !bytes.isEmpty()))
        return true;
    for (QByteArrayView line : bytes.split('\n')) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(';') || line.startsWith('#'))
            continue;
        if (line.startsWith('[') ? !line.endsWith(']') : !line.contains('='))
            return true; // not a section, a comment or a key=value line
    }
    return false;
}

void ProfileStore::backUpDamagedFile()
{
    const QString damaged = fileName();
    // Timestamped, so a second damage does not overwrite the copy of the first.
    const QString backup = damaged + QLatin1String(".damaged-") +
                           QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    if (QFile::copy(damaged, backup)) {
        m_warnings << tr("The settings file “%1” was damaged. The profiles and preferences that "
                         "could be read were kept; a copy of the damaged file was saved as “%2”.")
                          .arg(damaged, backup);
    } else {
        m_warnings << tr("The settings file “%1” was damaged. The profiles and preferences that "
                         "could be read were kept.")
                          .arg(damaged);
    }
}

std::optional<Profile> ProfileStore::loadProfile(const QString &id)
{
    Profile profile;
    profile.id = id;
    m_settings.beginGroup(profilesGroup + QLatin1Char('/') + id);
    const auto groupEnd = qScopeGuard([this] { m_settings.endGroup(); });

    profile.name = m_settings.value(Key::name).toString().trimmed();
    const QString label = profile.name.isEmpty() ? id : profile.name;
    const auto skip = [&](const QString &why) -> std::optional<Profile> {
        m_warnings << tr("The profile “%1” was skipped: %2").arg(printable(label), why);
        return std::nullopt;
    };

    if (id == Profile::demoId())
        return skip(tr("its id is reserved for the built-in demo."));

    const QString protocolName = m_settings.value(Key::protocol).toString();
    const std::optional<ChatProtocol::Kind> protocol = ChatProtocol::kindFromName(protocolName);
    if (!protocol) {
        return skip(protocolName.isEmpty()
                        ? tr("it has no protocol.")
                        : tr("its protocol “%1” is unknown.").arg(printable(protocolName)));
    }
    profile.protocol = *protocol;

    const QString url = m_settings.value(Key::baseUrl).toString();
    profile.baseUrl = QUrl(url, QUrl::StrictMode);
    const QString scheme = profile.baseUrl.scheme().toLower();
    if (!profile.baseUrl.isValid() || profile.baseUrl.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        // Quoted without user info: a password in a broken URL must not reach the log.
        const QString shown = QUrl(url).toDisplayString(QUrl::RemoveUserInfo);
        return skip(tr("its base URL “%1” is not an http or https URL.").arg(printable(shown)));
    }
    if (!profile.baseUrl.userInfo().isEmpty()) {
        profile.baseUrl.setUserInfo({});
        m_warnings << tr("The user name and password were removed from the base URL of the "
                         "profile “%1”: store the key in the keychain instead.")
                          .arg(printable(label));
    }

    if (profile.name.isEmpty()) {
        profile.name = profile.baseUrl.host();
        m_warnings << tr("A profile without a name was named “%1”.").arg(profile.name);
    }
    profile.model = m_settings.value(Key::model).toString().trimmed();

    const int headerCount = m_settings.beginReadArray(Key::headers);
    for (int i = 0; i < headerCount; ++i) {
        m_settings.setArrayIndex(i);
        // A file from before secret headers has no flag: false, the header loads as it was.
        const HttpHeader header{m_settings.value(Key::headerName).toString().trimmed(),
                                m_settings.value(Key::headerValue).toString(),
                                readBool(Key::headerSecret, false)};
        if (header.name.isEmpty() && header.value.isEmpty())
            continue; // a hole in the array
        if (const QString error = Profile::checkHeader(header); !error.isEmpty()) {
            m_warnings
                << tr("A header of the profile “%1” was ignored: %2").arg(profile.name, error);
            continue;
        }
        if (header.isSecret() && !header.value.isEmpty()) {
            // An X-Api-Key or Cookie saved by an earlier version, or a value added by hand: kept,
            // so the profile goes on working, until the profile dialog saves it to the keychain.
            m_warnings << tr("The value of the header “%1” of the profile “%2” is in the "
                             "settings file in clear: save the profile again to move it to the "
                             "system keychain.")
                              .arg(header.name, profile.name);
        }
        profile.extraHeaders.append(header);
    }
    m_settings.endArray();

    profile.apiKeyEnv = m_settings.value(Key::apiKeyEnv).toString().trimmed();
    if (!profile.apiKeyEnv.isEmpty() && !Profile::isValidEnvironmentName(profile.apiKeyEnv)) {
        m_warnings << tr("The environment variable “%1” of the profile “%2” is not a valid name "
                         "and was ignored.")
                          .arg(printable(profile.apiKeyEnv), profile.name);
        profile.apiKeyEnv.clear();
    }
    // Not checked on disk here: a CA file on a drive that is not mounted yet must not cost the
    // profile. NetworkSetup reports the problem when the profile is used.
    profile.caCertificatePath = m_settings.value(Key::caCertificate).toString().trimmed();
    return profile;
}

void ProfileStore::repaired(const QString &key, const QString &value)
{
    m_warnings << tr("The setting “%1” had an invalid value (“%2”) and was reset to its default.")
                      .arg(key, printable(value));
}

bool ProfileStore::readBool(const QString &key, bool fallback)
{
    const QVariant value = m_settings.value(key);
    if (!value.isValid())
        return fallback;
    const QString text = value.toString().trimmed().toLower();
    if (text == QLatin1String("true") || text == QLatin1String("1"))
        return true;
    if (text == QLatin1String("false") || text == QLatin1String("0"))
        return false;
    repaired(key, value.toString());
    return fallback;
}

void ProfileStore::loadPreferences()
{
    const Preferences defaults;
    Preferences &p = m_preferences;

    if (const QVariant value = m_settings.value(Key::language); value.isValid()) {
        if (const auto language = valueOf(languageNames, value.toString()))
            p.language = *language;
        else
            repaired(Key::language, value.toString());
    }
    if (const QVariant value = m_settings.value(Key::theme); value.isValid()) {
        if (const auto theme = valueOf(themeNames, value.toString()))
            p.theme = *theme;
        else
            repaired(Key::theme, value.toString());
    }
    if (const QVariant value = m_settings.value(Key::arabicFont); value.isValid()) {
        if (const auto font = valueOf(arabicFontNames, value.toString()))
            p.arabicFont = *font;
        else
            repaired(Key::arabicFont, value.toString());
    }
    if (const QVariant value = m_settings.value(Key::readingWidth); value.isValid()) {
        bool ok = false;
        const int width = value.toString().trimmed().toInt(&ok);
        if (ok && (width == 0 || (width >= Preferences::minReadingWidth &&
                                  width <= Preferences::maxReadingWidth)))
            p.readingWidth = width;
        else
            repaired(Key::readingWidth, value.toString());
    }
    p.reduceMotion = readBool(Key::reduceMotion, defaults.reduceMotion);
    p.sidebarVisible = readBool(Key::sidebarVisible, defaults.sidebarVisible);

    if (const QVariant value = m_settings.value(Key::fontPointSize); value.isValid()) {
        bool ok = false;
        const int size = value.toString().trimmed().toInt(&ok);
        if (ok && (size == 0 || (size >= Preferences::minFontPointSize &&
                                 size <= Preferences::maxFontPointSize))) {
            p.fontPointSize = size;
        } else {
            repaired(Key::fontPointSize, value.toString());
        }
    }

    p.lastProfileId = m_settings.value(Key::lastProfile).toString();
    p.windowGeometry = m_settings.value(Key::windowGeometry).toByteArray();
    p.windowState = m_settings.value(Key::windowState).toByteArray();

    if (const QVariant value = m_settings.value(Key::proxyMode); value.isValid()) {
        if (const auto mode = valueOf(proxyModeNames, value.toString()))
            p.proxy.mode = *mode;
        else
            repaired(Key::proxyMode, value.toString());
    }
    const QString type = m_settings.value(Key::proxyType).toString().toLower();
    if (type == QLatin1String("socks5"))
        p.proxy.type = ProxySettings::Type::Socks5;
    else if (!type.isEmpty() && type != QLatin1String("http"))
        repaired(Key::proxyType, type);
    p.proxy.host = m_settings.value(Key::proxyHost).toString().trimmed();
    if (const QVariant value = m_settings.value(Key::proxyPort); value.isValid()) {
        bool ok = false;
        const uint port = value.toString().trimmed().toUInt(&ok);
        if (ok && port <= 65535)
            p.proxy.port = quint16(port);
        else
            repaired(Key::proxyPort, value.toString());
    }
    // A manual proxy without a host or port would fail every request; the system's proxy is
    // what a first run uses, so it is the safe default to return to.
    if (p.proxy.mode == ProxySettings::Mode::Manual && (p.proxy.host.isEmpty() || !p.proxy.port)) {
        m_warnings << tr("The manual proxy has no host or port: the system's proxy settings are "
                         "used instead.");
        p.proxy.mode = ProxySettings::Mode::System;
    }
}

QList<Profile> ProfileStore::profiles() const
{
    QList<Profile> all;
    all.reserve(m_profiles.size() + 1);
    all.append(Profile::demo());
    all.append(m_profiles);
    return all;
}

std::optional<Profile> ProfileStore::profile(QStringView id) const
{
    if (id == Profile::demoId())
        return Profile::demo();
    for (const Profile &profile : m_profiles) {
        if (profile.id == id)
            return profile;
    }
    return std::nullopt;
}

std::optional<Profile> ProfileStore::findByName(QStringView name) const
{
    const QStringView wanted = name.trimmed();
    if (wanted.isEmpty())
        return std::nullopt;
    const Profile demo = Profile::demo();
    if (wanted.compare(demo.name, Qt::CaseInsensitive) == 0 ||
        wanted.compare(QLatin1String("Demo (offline)"), Qt::CaseInsensitive) == 0 ||
        wanted.compare(Profile::demoId(), Qt::CaseInsensitive) == 0) {
        return demo;
    }
    for (const Profile &profile : m_profiles) {
        if (wanted.compare(profile.name, Qt::CaseInsensitive) == 0)
            return profile;
    }
    return std::nullopt;
}

Profile ProfileStore::defaultProfile() const
{
    return profile(m_preferences.lastProfileId).value_or(Profile::demo());
}

std::optional<Profile> ProfileStore::startupProfile(bool forceDemo, const QString &profileName,
                                                    QString *error) const
{
    if (forceDemo)
        return Profile::demo();
    if (profileName.isEmpty())
        return defaultProfile();
    if (std::optional<Profile> found = findByName(profileName))
        return found;
    if (error) {
        QStringList names;
        for (const Profile &profile : profiles())
            names << profile.name;
        *error = tr("There is no profile called “%1”. The profiles are: %2.")
                     .arg(profileName, names.join(QLatin1String(", ")));
    }
    return std::nullopt;
}

QStringList ProfileStore::saveProfile(const Profile &profile)
{
    if (profile.isDemo || profile.id == Profile::demoId())
        return {tr("The built-in demo profile cannot be changed.")};
    QStringList errors = profile.validate();
    if (const std::optional<Profile> other = findByName(profile.name);
        other && other->id != profile.id) {
        errors << tr("Another profile is already called “%1”.").arg(profile.name.trimmed());
    }
    if (!errors.isEmpty())
        return errors;

    Profile stored = profile;
    stored.name = stored.name.trimmed();
    stored.model = stored.model.trimmed();
    // Secret values stay out of the file and out of memory alike, so the profile reads the same
    // now as after a restart; SecretStore::writeHeaderSecrets() keeps them.
    for (HttpHeader &header : stored.extraHeaders) {
        header.secret = header.isSecret();
        if (header.secret)
            header.value.clear();
    }
    writeProfile(stored);
    if (QString error = sync(); !error.isEmpty())
        errors << error;

    // Kept in memory even when the write failed, so the session goes on with what the user
    // entered; the error says it will not survive a restart.
    const auto known = std::find_if(m_profiles.begin(), m_profiles.end(),
                                    [&](const Profile &p) { return p.id == stored.id; });
    if (known != m_profiles.end())
        *known = std::move(stored);
    else
        m_profiles.append(std::move(stored));
    sortProfiles();
    return errors;
}

void ProfileStore::writeProfile(const Profile &profile)
{
    const QString group = profilesGroup + QLatin1Char('/') + profile.id;
    m_settings.remove(group); // so headers removed in the editor are gone from the file too
    m_settings.beginGroup(group);
    m_settings.setValue(Key::name, profile.name);
    m_settings.setValue(Key::baseUrl, profile.baseUrl.toString(QUrl::FullyEncoded));
    m_settings.setValue(Key::protocol, ChatProtocol::name(profile.protocol));
    m_settings.setValue(Key::model, profile.model);
    m_settings.beginWriteArray(Key::headers, int(profile.extraHeaders.size()));
    for (int i = 0; i < profile.extraHeaders.size(); ++i) {
        m_settings.setArrayIndex(i);
        const HttpHeader &header = profile.extraHeaders[i];
        m_settings.setValue(Key::headerName, header.name);
        if (header.isSecret())
            m_settings.setValue(Key::headerSecret, true); // the value: in the keychain only
        else
            m_settings.setValue(Key::headerValue, header.value);
    }
    m_settings.endArray();
    m_settings.setValue(Key::apiKeyEnv, profile.apiKeyEnv);
    m_settings.setValue(Key::caCertificate, profile.caCertificatePath);
    m_settings.endGroup();
}

bool ProfileStore::removeProfile(QStringView id)
{
    const auto it = std::find_if(m_profiles.begin(), m_profiles.end(),
                                 [&](const Profile &p) { return p.id == id; });
    if (it == m_profiles.end())
        return false; // the demo is never in m_profiles
    m_settings.remove(profilesGroup + QLatin1Char('/') + it->id);
    m_profiles.erase(it);
    if (m_preferences.lastProfileId == id) {
        m_preferences.lastProfileId.clear();
        m_settings.remove(Key::lastProfile);
    }
    sync();
    return true;
}

QString ProfileStore::savePreferences(const Preferences &preferences)
{
    Preferences p = preferences;
    if (p.fontPointSize != 0) {
        p.fontPointSize = std::clamp(p.fontPointSize, Preferences::minFontPointSize,
                                     Preferences::maxFontPointSize);
    }
    if (p.readingWidth != 0) {
        p.readingWidth =
            std::clamp(p.readingWidth, Preferences::minReadingWidth, Preferences::maxReadingWidth);
    }
    m_settings.setValue(Key::language, nameOf(languageNames, p.language));
    m_settings.setValue(Key::theme, nameOf(themeNames, p.theme));
    m_settings.setValue(Key::arabicFont, nameOf(arabicFontNames, p.arabicFont));
    m_settings.setValue(Key::readingWidth, p.readingWidth);
    m_settings.setValue(Key::reduceMotion, p.reduceMotion);
    m_settings.setValue(Key::fontPointSize, p.fontPointSize);
    m_settings.setValue(Key::lastProfile, p.lastProfileId);
    m_settings.setValue(Key::windowGeometry, p.windowGeometry);
    m_settings.setValue(Key::windowState, p.windowState);
    m_settings.setValue(Key::sidebarVisible, p.sidebarVisible);
    m_settings.setValue(Key::proxyMode, nameOf(proxyModeNames, p.proxy.mode));
    m_settings.setValue(Key::proxyType, p.proxy.type == ProxySettings::Type::Socks5
                                            ? QStringLiteral("socks5")
                                            : QStringLiteral("http"));
    m_settings.setValue(Key::proxyHost, p.proxy.host.trimmed());
    m_settings.setValue(Key::proxyPort, p.proxy.port);
    m_preferences = p;
    return sync();
}

QString ProfileStore::sync()
{
    m_settings.setValue(Key::formatVersion, formatVersion);
    m_settings.sync();
    // status() keeps the first error, so a file that was damaged on load still reads as a
    // FormatError although QSettings rewrote it cleanly; only AccessError means "not saved".
    if (m_settings.status() == QSettings::AccessError) {
        return tr("The settings could not be saved to “%1”: check that the folder exists and "
                  "is writable.")
            .arg(fileName());
    }
    return {};
}

void ProfileStore::sortProfiles()
{
    std::sort(m_profiles.begin(), m_profiles.end(), nameLess);
}

} // namespace qalam
