// Settings and secrets: profiles and preferences in temporary INI files (first run, round trips,
// validation, damaged files), API keys and secret header values through SecretStore (the real
// QtKeychain, which has no keychain service to reach here and must fall back to the session,
// and an in-memory keychain that plays the cases a real one cannot), and the proxy and TLS
// set-up of a profile. (The ChatRequest a profile makes is the desktop app's: tests/desktop.)
//
// main() removes every way to a D-Bus session before anything starts, so the real keychain path
// never touches the keychain of the machine running the tests.
#include "MemorySecretBackend.h"
#include "settings/NetworkSetup.h"
#include "settings/ProfileNetworkAccessManager.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace qalam;

namespace qalam {
// For QCOMPARE's messages (test values only).
char *toString(const HttpHeader &header)
{
    return QTest::toString(header.name + QStringLiteral(": ") + header.value +
                           (header.secret ? QStringLiteral(" (secret)") : QString()));
}
} // namespace qalam

namespace {

// A self-signed CA made for these tests (openssl req -x509, P-256, valid for 100 years).
constexpr char testCaPem[] = R"(-----BEGIN CERTIFICATE-----
MIIBtDCCAVmgAwIBAgIUa7IAxEzgOZ36PYj4wBc4GyUcYFMwCgYIKoZIzj0EAwIw
LjEWMBQGA1UEAwwNUWFsYW0gVGVzdCBDQTEUMBIGA1UECgwLUWFsYW0gdGVzdHMw
IBcNMjYxMTI1MTUyNDA3WhgPMjEyNjExMDExNTI0MDdaMC4xFjAUBgNVBAMMDVFh
bGFtIFRlc3QgQ0ExFDASBgNVBAoMC1FhbGFtIHRlc3RzMFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEbHwX0bJjA4++79Ze8XF+4O7Y2basZfZ3P+1ZBXtx1RPW1ShE
61GaerzkLIsWJVAMUvKtuXZYAHlsFPvYyMjW06NTMFEwHQYDVR0OBBYEFLX2kvej
u/SwLiDKVOekfPsUpGpwMB8GA1UdIwQYMBaAFLX2kveju/SwLiDKVOekfPsUpGpw
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhANCCuvHqnNfRA6Yw
ncDimzWED40l0ZKPbmndZm8WzX0KAiEA+VkbJUDqENgk8bL4Xnecr0PmpG92VIDJ
XTbWOlBCj4I=
-----END CERTIFICATE-----
)";

// Generous: only a hung keychain call (the defect under test) gets anywhere near it.
constexpr int answerTimeoutMs = 20000;

// Every message Qt logs while it lives, passed on to the previous handler (Qt Test's) too.
class LogCapture
{
public:
    LogCapture()
    {
        s_active = this;
        m_previous = qInstallMessageHandler(&LogCapture::handle);
    }
    ~LogCapture()
    {
        qInstallMessageHandler(m_previous);
        s_active = nullptr;
    }
    Q_DISABLE_COPY_MOVE(LogCapture)

    QStringList messages() const
    {
        QMutexLocker lock(&m_mutex);
        return m_messages;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        LogCapture *self = s_active;
        if (!self)
            return;
        {
            QMutexLocker lock(&self->m_mutex);
            self->m_messages << QString::fromUtf8(context.category ? context.category : "") +
                                    QLatin1String(": ") + message;
        }
        if (self->m_previous)
            self->m_previous(type, context, message);
    }

    static inline LogCapture *s_active = nullptr; // qInstallMessageHandler takes no context
    QtMessageHandler m_previous = nullptr;
    mutable QMutex m_mutex;
    QStringList m_messages;
};

// Sets (or unsets) an environment variable for one scope.
class EnvironmentGuard
{
public:
    explicit EnvironmentGuard(const char *name) : m_name(name)
    {
        m_wasSet = qEnvironmentVariableIsSet(name);
        m_old = qgetenv(name);
    }
    ~EnvironmentGuard()
    {
        if (m_wasSet)
            qputenv(m_name.constData(), m_old);
        else
            qunsetenv(m_name.constData());
    }
    Q_DISABLE_COPY_MOVE(EnvironmentGuard)

    void set(const QByteArray &value) { qputenv(m_name.constData(), value); }
    void unset() { qunsetenv(m_name.constData()); }

private:
    QByteArray m_name;
    QByteArray m_old;
    bool m_wasSet = false;
};

Profile sampleProfile(const QString &name)
{
    Profile profile = Profile::create(name);
    profile.baseUrl = QUrl(QStringLiteral("https://api.example.com/v1"));
    profile.protocol = ChatProtocol::Kind::OpenAi;
    profile.model = QStringLiteral("gpt-test");
    profile.extraHeaders = {{QStringLiteral("X-Team"), QStringLiteral("blue")}};
    return profile;
}

QString uniqueKey()
{
    return QStringLiteral("sk-qalam-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// sampleProfile with secret headers: one marked secret, one secret by its name only, and the
// plain X-Team in between.
Profile secretHeadersProfile(const QString &name, const QString &token, const QString &apiKey)
{
    Profile profile = sampleProfile(name);
    profile.extraHeaders.prepend({QStringLiteral("X-Tenant-Token"), token, true});
    profile.extraHeaders.append({QStringLiteral("X-Api-Key"), apiKey, false});
    return profile;
}

// `profile` as ProfileStore gives it back: secret headers without their values.
Profile withoutSecretValues(Profile profile)
{
    for (HttpHeader &header : profile.extraHeaders) {
        if (header.isSecret())
            header.value.clear();
    }
    return profile;
}

// What the keychain entry of a profile's secret header values holds, as "name=value" lines.
QStringList storedHeaderValues(const QHash<QString, QString> &vault, const QString &profileId)
{
    QStringList values;
    const QJsonArray entries =
        QJsonDocument::fromJson(vault.value(SecretStore::headersAccount(profileId)).toUtf8())
            .array();
    for (const QJsonValue &entry : entries) {
        values << entry[QLatin1String("name")].toString() + QLatin1Char('=') +
                      entry[QLatin1String("value")].toString();
    }
    return values;
}

// The bytes of `text` as UTF-8 and as UTF-16: neither may be in a file that must not hold it.
bool containsEncoded(const QByteArray &bytes, const QString &text)
{
    return bytes.contains(text.toUtf8()) ||
           bytes.contains(QByteArray::fromRawData(reinterpret_cast<const char *>(text.utf16()),
                                                  text.size() * 2));
}

// Runs one SecretStore call and waits for its answer; also checks it never answers inside the
// call itself (the documented contract callers rely on to finish their own set-up first).
template<typename Call> std::optional<SecretResult> await(Call call)
{
    std::optional<SecretResult> result;
    int answers = 0;
    call([&](const SecretResult &r) {
        result = r;
        ++answers;
    });
    if (answers != 0) {
        qCritical("answered inside the call");
        return std::nullopt;
    }
    if (!QTest::qWaitFor([&] { return answers > 0; }, answerTimeoutMs)) {
        qCritical("no answer");
        return std::nullopt;
    }
    QCoreApplication::processEvents(); // a second answer, if any, would be queued by now
    if (answers > 1) {
        qCritical("answered %d times", answers);
        return std::nullopt;
    }
    return result;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

ProxySettings proxyMode(ProxySettings::Mode mode)
{
    ProxySettings proxy;
    proxy.mode = mode;
    return proxy;
}

QStringList profileNames(const QList<Profile> &profiles)
{
    QStringList names;
    for (const Profile &profile : profiles)
        names << profile.name;
    return names;
}

bool containsText(const QStringList &lines, const QString &text)
{
    return std::any_of(lines.cbegin(), lines.cend(),
                       [&](const QString &line) { return line.contains(text); });
}

} // namespace

class TestSettings : public QObject
{
    Q_OBJECT

public:
    explicit TestSettings(QString sandbox) : m_sandbox(std::move(sandbox)) {}

private Q_SLOTS:
    void initTestCase();

    void firstRunDefaultsToDemo();
    void demoIsBuiltIn();
    void profilesRoundTrip();
    void findByNameAndStartupSelection();
    void validation_data();
    void validation();
    void damagedEntriesAreSkippedOrRepaired();
    void unparsableFileIsBackedUpAndRecovered();
    void silentlyDamagedFileIsKeptAside_data();
    void silentlyDamagedFileIsKeptAside();
    void randomBytesDoNotBreakTheStore();
    void preferencesRoundTrip();
    void unwritableFileIsReported();

    void keyNeverInSettingsFileOrLogs();
    void environmentVariableWins();
    void keychainRoundTrip();
    void keychainUnavailableFallsBackToSession();
    void realKeychainFallsBackToSession();
    void silentKeychainTimesOut();
    void refusingKeychainKeepsKeyForSession();
    void callbacksRespectLifetimes();

    void secretHeadersRoundTrip();
    void secretHeaderValuesAreKeptWhenLeftEmpty();
    void removingProfileRemovesItsSecrets();
    void fileWithoutSecretFlagLoads();
    void secretHeadersWithoutKeychainLastTheSession();

    void proxyModes();
    void tlsConfigurationWithExtraCa();
    void managerAppliesTlsToEveryRequest();

private:
    QString iniPath(const QString &name = QStringLiteral("qalam.ini")) const
    {
        return m_dir.filePath(name);
    }

    QString m_sandbox; // XDG directories of this process: any file written by anyone is here
    QTemporaryDir m_dir;
    QString m_caPath;
    QString m_notPemPath;
    QString m_brokenPemPath;
    QString m_emptyPath;
    QSslCertificate m_ca;
};

void TestSettings::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_caPath = m_dir.filePath(QStringLiteral("extra-ca.pem"));
    writeFile(m_caPath, testCaPem);
    m_notPemPath = m_dir.filePath(QStringLiteral("not-pem.txt"));
    writeFile(m_notPemPath, "this is not a certificate\n");
    m_brokenPemPath = m_dir.filePath(QStringLiteral("broken.pem"));
    writeFile(m_brokenPemPath, "-----BEGIN CERTIFICATE-----\nMIIBtDCCAVmgAwIBAgIU!!!!\n"
                               "-----END CERTIFICATE-----\n");
    m_emptyPath = m_dir.filePath(QStringLiteral("empty.pem"));
    writeFile(m_emptyPath, {});
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(testCaPem, QSsl::Pem);
    QCOMPARE(certificates.size(), 1);
    m_ca = certificates.first();
    QVERIFY(!m_ca.isNull());
}

// --- Profiles and preferences ---------------------------------------------------------------

void TestSettings::firstRunDefaultsToDemo()
{
    const QString path = iniPath(QStringLiteral("first-run.ini"));
    QVERIFY(!QFile::exists(path));
    ProfileStore store(path);

    QVERIFY2(store.warnings().isEmpty(), qPrintable(store.warnings().join(QLatin1Char('\n'))));
    const QList<Profile> profiles = store.profiles();
    QCOMPARE(profiles.size(), 1);
    const Profile demo = profiles.first();
    QVERIFY(demo.isDemo);
    QCOMPARE(demo.id, Profile::demoId());
    QCOMPARE(demo.name, QStringLiteral("Demo (offline)"));
    QCOMPARE(demo.protocol, ChatProtocol::Kind::AdminStream);
    QVERIFY2(demo.validate().isEmpty(), qPrintable(demo.validate().join(QLatin1Char('\n'))));
    QCOMPARE(store.defaultProfile(), demo);
    QCOMPARE(store.startupProfile(false, {}), std::optional<Profile>(demo));
    QCOMPARE(store.preferences(), Preferences());
    QCOMPARE(store.preferences().proxy.mode, ProxySettings::Mode::System);
}

void TestSettings::demoIsBuiltIn()
{
    const QString path = iniPath(QStringLiteral("demo.ini"));
    {
        ProfileStore store(path);
        QVERIFY(!store.saveProfile(Profile::demo()).isEmpty());
        Profile renamed = Profile::demo();
        renamed.name = QStringLiteral("My demo");
        QVERIFY(!store.saveProfile(renamed).isEmpty());
        QVERIFY(!store.removeProfile(Profile::demoId()));
        QVERIFY(store.saveProfile(sampleProfile(QStringLiteral("Work"))).isEmpty());
    }
    ProfileStore reopened(path);
    QCOMPARE(profileNames(reopened.profiles()),
             QStringList({QStringLiteral("Demo (offline)"), QStringLiteral("Work")}));
    QVERIFY(reopened.profiles().first().isDemo);
    QSettings raw(path, QSettings::IniFormat);
    raw.beginGroup(QStringLiteral("profiles"));
    QCOMPARE(raw.childGroups().size(), 1); // Work only: the demo is built in, never written
    QVERIFY(!raw.childGroups().contains(Profile::demoId()));
}

void TestSettings::profilesRoundTrip()
{
    const QString path = iniPath(QStringLiteral("round-trip.ini"));
    Profile work = sampleProfile(QStringLiteral("Work"));
    Profile local = sampleProfile(QStringLiteral("Local vLLM"));
    local.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:8000/v1"));
    local.model = QStringLiteral("Qwen/Qwen2.5-7B-Instruct");
    local.apiKeyEnv = QStringLiteral("VLLM_API_KEY");
    local.caCertificatePath = m_caPath;
    local.extraHeaders = {{QStringLiteral("X-Org"), QStringLiteral("acme; région=الشرق")},
                          {QStringLiteral("X-Trace"), QStringLiteral("on")}};
    Profile admin = Profile::create(QStringLiteral("Admin"));
    admin.baseUrl = QUrl(QStringLiteral("https://admin.example.org/api/v1/stream/chat"));
    admin.protocol = ChatProtocol::Kind::AdminStream;
    QVERIFY(work.id != local.id);

    {
        ProfileStore store(path);
        for (const Profile &profile : {work, local, admin}) {
            const QStringList errors = store.saveProfile(profile);
            QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        }
        work.name = QStringLiteral("Work (EU)");
        work.model = QStringLiteral("gpt-test-eu");
        work.extraHeaders.clear();
        QVERIFY(store.saveProfile(work).isEmpty());
        QVERIFY(store.removeProfile(admin.id));
        QVERIFY(!store.removeProfile(admin.id));
        Preferences preferences = store.preferences();
        preferences.lastProfileId = local.id;
        QVERIFY(store.savePreferences(preferences).isEmpty());
    }

    {
        ProfileStore store(path);
        QVERIFY2(store.warnings().isEmpty(), qPrintable(store.warnings().join(QLatin1Char('\n'))));
        const QList<Profile> profiles = store.profiles();
        QCOMPARE(profileNames(profiles),
                 QStringList({QStringLiteral("Demo (offline)"), QStringLiteral("Local vLLM"),
                              QStringLiteral("Work (EU)")}));
        QCOMPARE(profiles.at(1), local); // every field, headers in order, Arabic intact
        QCOMPARE(profiles.at(2), work);
        QVERIFY(!store.profile(admin.id));
        QCOMPARE(store.defaultProfile().id, local.id);

        // Removing the last used profile makes the demo the default again, also after a restart.
        QVERIFY(store.removeProfile(local.id));
        QVERIFY(store.defaultProfile().isDemo);
    }
    ProfileStore store(path);
    QVERIFY(store.defaultProfile().isDemo);
    QVERIFY(store.preferences().lastProfileId.isEmpty());
    QCOMPARE(profileNames(store.profiles()),
             QStringList({QStringLiteral("Demo (offline)"), QStringLiteral("Work (EU)")}));
}

void TestSettings::findByNameAndStartupSelection()
{
    ProfileStore store(iniPath(QStringLiteral("names.ini")));
    const Profile work = sampleProfile(QStringLiteral("Work"));
    QVERIFY(store.saveProfile(work).isEmpty());

    QCOMPARE(store.findByName(u"work")->id, work.id);
    QCOMPARE(store.findByName(u"  WORK ")->id, work.id);
    QVERIFY(store.findByName(u"demo")->isDemo);
    QVERIFY(store.findByName(u"DEMO (OFFLINE)")->isDemo);
    QVERIFY(!store.findByName(u"wor"));
    QVERIFY(!store.findByName(u""));

    QVERIFY(store.startupProfile(true, QStringLiteral("Work"))->isDemo); // --demo wins
    QCOMPARE(store.startupProfile(false, QStringLiteral("work"))->id, work.id);
    QString error;
    QVERIFY(!store.startupProfile(false, QStringLiteral("Nowhere"), &error));
    QVERIFY2(error.contains(QLatin1String("Nowhere")) && error.contains(QLatin1String("Work")),
             qPrintable(error));

    // Names must stay unique (case-insensitively) so that --profile is never ambiguous.
    const QStringList errors = store.saveProfile(sampleProfile(QStringLiteral("WORK")));
    QVERIFY(containsText(errors, QStringLiteral("already called")));
    QVERIFY(!store.saveProfile(sampleProfile(QStringLiteral("Demo (offline)"))).isEmpty());
    Profile recased = work;
    recased.name = QStringLiteral("WORK");
    QVERIFY(store.saveProfile(recased).isEmpty()); // the same profile may change its case
    QCOMPARE(store.profiles().size(), 2);
}

void TestSettings::validation_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::addColumn<QString>("expected"); // part of the error; empty: valid

    const auto with = [](auto change) {
        Profile profile = sampleProfile(QStringLiteral("Valid"));
        change(profile);
        return profile;
    };
    const auto url = [&](const char *text) {
        return with([text](Profile &p) { p.baseUrl = QUrl(QString::fromUtf8(text)); });
    };
    const auto header = [&](const QString &name, const QString &value) {
        return with([=](Profile &p) { p.extraHeaders.append({name, value}); });
    };
    const auto ca = [&](const QString &path) {
        return with([=](Profile &p) { p.caCertificatePath = path; });
    };

    QTest::newRow("valid") << with([](Profile &) {}) << QString();
    QTest::newRow("valid admin stream, no model") << with([](Profile &p) {
        p.protocol = ChatProtocol::Kind::AdminStream;
        p.model.clear();
    }) << QString();
    QTest::newRow("valid with CA and env") << with([this](Profile &p) {
        p.caCertificatePath = m_caPath;
        p.apiKeyEnv = QStringLiteral("OPENAI_API_KEY");
    }) << QString();
    QTest::newRow("empty name") << with([](Profile &p) { p.name.clear(); })
                                << QStringLiteral("needs a name");
    QTest::newRow("blank name") << with([](Profile &p) { p.name = QStringLiteral("  "); })
                                << QStringLiteral("needs a name");
    QTest::newRow("no URL") << url("") << QStringLiteral("URL is missing");
    QTest::newRow("invalid URL") << url("https://[::1") << QStringLiteral("not a valid URL");
    QTest::newRow("ftp URL") << url("ftp://files.example.com/v1") << QStringLiteral("not ftp://");
    QTest::newRow("URL without scheme")
        << url("api.example.com/v1") << QStringLiteral("must start with http");
    QTest::newRow("URL without host") << url("http:///v1") << QStringLiteral("no host");
    QTest::newRow("credentials in URL")
        << url("https://me:sk-123@api.example.com/v1") << QStringLiteral("user name and password");
    QTest::newRow("OpenAI without model")
        << with([](Profile &p) { p.model.clear(); }) << QStringLiteral("model name");
    QTest::newRow("header value CRLF")
        << header(QStringLiteral("X-Team"), QStringLiteral("blue\r\nX-Evil: 1"))
        << QStringLiteral("line break");
    QTest::newRow("header value LF")
        << header(QStringLiteral("X-Team"), QStringLiteral("a\nb")) << QStringLiteral("line break");
    QTest::newRow("header value NUL")
        << header(QStringLiteral("X-Team"), QStringLiteral("a") + QChar(0) + QStringLiteral("b"))
        << QStringLiteral("control character");
    QTest::newRow("header name with space") << header(QStringLiteral("X Team"), QStringLiteral("b"))
                                            << QStringLiteral("not a valid header name");
    QTest::newRow("header name with colon")
        << header(QStringLiteral("X-Team:"), QStringLiteral("b"))
        << QStringLiteral("not a valid header name");
    QTest::newRow("header without name")
        << header(QString(), QStringLiteral("b")) << QStringLiteral("has no name");
    QTest::newRow("Authorization header")
        << header(QStringLiteral("authorization"), QStringLiteral("Bearer sk-123"))
        << QStringLiteral("keychain");
    QTest::newRow("secret header") << with([](Profile &p) {
        p.extraHeaders.append({QStringLiteral("X-Tenant-Token"), QStringLiteral("t-1"), true});
    }) << QString();
    QTest::newRow("X-Api-Key header")
        << header(QStringLiteral("X-Api-Key"), QStringLiteral("ak-1")) << QString();
    QTest::newRow("secret header value CRLF") << with([](Profile &p) {
        p.extraHeaders.append({QStringLiteral("X-Token"), QStringLiteral("a\r\nb"), true});
    }) << QStringLiteral("line break");
    QTest::newRow("Authorization header marked secret") << with([](Profile &p) {
        p.extraHeaders.append(
            {QStringLiteral("Authorization"), QStringLiteral("Basic eA=="), true});
    }) << QStringLiteral("keychain");
    QTest::newRow("Proxy-Authorization header")
        << header(QStringLiteral("Proxy-Authorization"), QStringLiteral("Basic eA=="))
        << QStringLiteral("keychain");
    QTest::newRow("env name starting with digit")
        << with([](Profile &p) { p.apiKeyEnv = QStringLiteral("1KEY"); })
        << QStringLiteral("environment variable");
    QTest::newRow("env name with dash")
        << with([](Profile &p) { p.apiKeyEnv = QStringLiteral("MY-KEY"); })
        << QStringLiteral("environment variable");
    QTest::newRow("CA missing") << ca(m_dir.filePath(QStringLiteral("nope.pem")))
                                << QStringLiteral("does not exist");
    QTest::newRow("CA is a directory") << ca(m_dir.path()) << QStringLiteral("cannot be read");
    QTest::newRow("CA not PEM") << ca(m_notPemPath) << QStringLiteral("valid PEM");
    QTest::newRow("CA broken PEM") << ca(m_brokenPemPath) << QStringLiteral("valid PEM");
    QTest::newRow("CA empty file") << ca(m_emptyPath) << QStringLiteral("valid PEM");
}

void TestSettings::validation()
{
    QFETCH(Profile, profile);
    QFETCH(QString, expected);

    const QStringList errors = profile.validate();
    if (expected.isEmpty()) {
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
    } else {
        QVERIFY2(errors.join(QLatin1Char('\n')).contains(expected, Qt::CaseInsensitive),
                 qPrintable(QStringLiteral("expected “%1” in: %2")
                                .arg(expected, errors.join(QLatin1Char('|')))));
        // One problem, one sentence: no unrelated errors, no empty ones.
        QCOMPARE(errors.size(), 1);
        QVERIFY(!errors.first().trimmed().isEmpty());
    }

    // The store saves exactly the valid profiles, and nothing of an invalid one reaches the file.
    const QString path = iniPath(QStringLiteral("validation-%1.ini")
                                     .arg(QString::fromLatin1(QTest::currentDataTag())
                                              .replace(QLatin1Char(' '), QLatin1Char('-'))));
    {
        ProfileStore store(path);
        QCOMPARE(store.saveProfile(profile), errors);
    }
    ProfileStore reopened(path);
    QCOMPARE(reopened.profiles().size(), expected.isEmpty() ? 2 : 1);
}

void TestSettings::damagedEntriesAreSkippedOrRepaired()
{
    const QString path = iniPath(QStringLiteral("damaged-entries.ini"));
    writeFile(path, R"([General]
formatVersion=1

[preferences]
language=klingon
reduceMotion=maybe
typewriter=false
fontPointSize=huge
sidebarVisible=0
proxy\mode=sideways
proxy\port=99999

[profiles]
11111111-1111-1111-1111-111111111111\name=Good one
11111111-1111-1111-1111-111111111111\baseUrl=https://good.example.com/v1
11111111-1111-1111-1111-111111111111\protocol=openai
11111111-1111-1111-1111-111111111111\model=m1
11111111-1111-1111-1111-111111111111\headers\1\name=X-Team
11111111-1111-1111-1111-111111111111\headers\1\value=blue
11111111-1111-1111-1111-111111111111\headers\2\name=Authorization
11111111-1111-1111-1111-111111111111\headers\2\value=Bearer sk-in-the-file
11111111-1111-1111-1111-111111111111\headers\size=2
22222222-2222-2222-2222-222222222222\name=Future
22222222-2222-2222-2222-222222222222\baseUrl=https://future.example.com
22222222-2222-2222-2222-222222222222\protocol=anthropic-v9
33333333-3333-3333-3333-333333333333\name=Broken URL
33333333-3333-3333-3333-333333333333\baseUrl=not a url at all
33333333-3333-3333-3333-333333333333\protocol=openai
44444444-4444-4444-4444-444444444444\name=Good two
44444444-4444-4444-4444-444444444444\baseUrl=http://localhost:8080/api/v1/stream/chat
44444444-4444-4444-4444-444444444444\protocol=admin
44444444-4444-4444-4444-444444444444\apiKeyEnv=1BAD
44444444-4444-4444-4444-444444444444\headers\size=garbage
demo\name=Fake demo
demo\baseUrl=https://evil.example.com
demo\protocol=openai
55555555-5555-5555-5555-555555555555\baseUrl=https://noname.example.com/v1
55555555-5555-5555-5555-555555555555\protocol=openai
88888888-8888-8888-8888-888888888888\name=Password in URL
88888888-8888-8888-8888-888888888888\baseUrl=ftp://me:hunter2@files.example.com/v1
88888888-8888-8888-8888-888888888888\protocol=openai
66666666-6666-6666-6666-666666666666\name=No protocol
66666666-6666-6666-6666-666666666666\baseUrl=https://np.example.com
stray=value
)");

    Preferences expectedPreferences;
    expectedPreferences.sidebarVisible = false;
    {
        ProfileStore store(path);
        const QList<Profile> profiles = store.profiles();
        QCOMPARE(profileNames(profiles),
                 QStringList({QStringLiteral("Demo (offline)"), QStringLiteral("Good one"),
                              QStringLiteral("Good two"), QStringLiteral("noname.example.com")}));
        QCOMPARE(profiles.first(), Profile::demo()); // the file cannot replace the built-in demo
        QCOMPARE(profiles.at(1).extraHeaders,
                 QList<HttpHeader>({{QStringLiteral("X-Team"), QStringLiteral("blue")}}));
        QVERIFY(profiles.at(2).apiKeyEnv.isEmpty());
        QCOMPARE(profiles.at(2).protocol, ChatProtocol::Kind::AdminStream);
        QCOMPARE(store.preferences(), expectedPreferences);

        const QStringList warnings = store.warnings();
        for (const char *mentioned : {"Future", "anthropic-v9", "Broken URL", "Authorization",
                                      "reserved", "noname.example.com", "No protocol", "1BAD",
                                      "klingon", "maybe", "huge", "sideways", "99999"}) {
            QVERIFY2(containsText(warnings, QString::fromUtf8(mentioned)),
                     qPrintable(
                         QStringLiteral("no warning mentions %1 in:\n%2")
                             .arg(QString::fromUtf8(mentioned), warnings.join(QLatin1Char('\n')))));
        }
        QVERIFY(containsText(warnings, QStringLiteral("ftp://files.example.com/v1")));
        // A preference of an earlier version (typewriter=, now reduceMotion alone) is ignored.
        QVERIFY(!containsText(warnings, QStringLiteral("typewriter")));
        QVERIFY(!containsText(warnings, QStringLiteral("hunter2"))); // warnings are logged
        QVERIFY2(!containsText(warnings, QStringLiteral("“Good one” was skipped")),
                 qPrintable(warnings.join(QLatin1Char('\n'))));

        QVERIFY(store.saveProfile(sampleProfile(QStringLiteral("New"))).isEmpty());
    }

    ProfileStore reopened(path);
    QCOMPARE(profileNames(reopened.profiles()),
             QStringList({QStringLiteral("Demo (offline)"), QStringLiteral("Good one"),
                          QStringLiteral("Good two"), QStringLiteral("New"),
                          QStringLiteral("noname.example.com")}));
    // A profile this version cannot use stays in the file for a version that can.
    QSettings raw(path, QSettings::IniFormat);
    QCOMPARE(raw.value(QStringLiteral("profiles/22222222-2222-2222-2222-222222222222/protocol")),
             QVariant(QStringLiteral("anthropic-v9")));
}

// The copy ProfileStore keeps of a damaged file: "<file>.damaged-YYYYMMDD-HHMMSS".
QString damagedCopy(const QString &path)
{
    const QFileInfo info(path);
    const QStringList copies =
        info.dir().entryList({info.fileName() + QStringLiteral(".damaged-*")});
    return copies.size() == 1 ? info.dir().filePath(copies.first()) : QString();
}

// Files QSettings reads without a FormatError, which it would then rewrite without a word: pure
// garbage, and a file torn in the middle of a section name. Kept aside, and the user is told.
void TestSettings::silentlyDamagedFileIsKeptAside_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QByteArray garbage;
    for (int i = 0; i < 4096; ++i)
        garbage.append(char((i * 7919 + 13) % 251 + 1));
    QTest::newRow("garbage") << garbage;
    QTest::newRow("torn") << QByteArray("[General]\nlanguage=ar\n[prof");
    QTest::newRow("nul bytes") << QByteArray("[General]\nlanguage=ar\n\0\0\0\0", 26);
}

void TestSettings::silentlyDamagedFileIsKeptAside()
{
    QFETCH(QByteArray, bytes);
    const QString path =
        iniPath(QStringLiteral("silent-%1.ini").arg(QString::fromLatin1(QTest::currentDataTag())));
    writeFile(path, bytes);
    ProfileStore store(path);
    QVERIFY2(containsText(store.warnings(), QStringLiteral("was damaged")),
             qPrintable(store.warnings().join(QLatin1Char('\n'))));
    const QString copy = damagedCopy(path);
    QVERIFY2(!copy.isEmpty(), "no timestamped copy of the damaged file");
    QCOMPARE(readFile(copy), bytes);
    QVERIFY(containsText(store.warnings(), copy));
}

void TestSettings::unparsableFileIsBackedUpAndRecovered()
{
    const QString path = iniPath(QStringLiteral("unparsable.ini"));
    const QByteArray bytes =
        "[profiles]\n"
        "77777777-7777-7777-7777-777777777777\\name=Survivor\n"
        "77777777-7777-7777-7777-777777777777\\baseUrl=https://s.example.com/v1\n"
        "77777777-7777-7777-7777-777777777777\\protocol=openai\n"
        "77777777-7777-7777-7777-777777777777\\model=m\n"
        "\x01\x02\xff\xfe garbage ]]]\n[[[\n=novalue\n"
        "key with \"quote=1\n";
    writeFile(path, bytes);

    // The borrowed-QSettings constructor. It must be the first QSettings on this file in the
    // process: Qt caches a parsed file and reports FormatError only to the one that parsed it.
    QSettings settings(path, QSettings::IniFormat);
    QCOMPARE(settings.status(), QSettings::FormatError);
    {
        ProfileStore store(settings);
        QVERIFY(containsText(store.warnings(), QStringLiteral("damaged")));
        QCOMPARE(readFile(damagedCopy(path)), bytes); // the user loses nothing
        QCOMPARE(profileNames(store.profiles()),
                 QStringList({QStringLiteral("Demo (offline)"), QStringLiteral("Survivor")}));
        const QStringList errors = store.saveProfile(sampleProfile(QStringLiteral("After")));
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
    }

    ProfileStore reopened(path);
    QVERIFY2(reopened.warnings().isEmpty(),
             qPrintable(reopened.warnings().join(QLatin1Char('\n'))));
    QCOMPARE(profileNames(reopened.profiles()),
             QStringList({QStringLiteral("Demo (offline)"), QStringLiteral("After"),
                          QStringLiteral("Survivor")}));
}

void TestSettings::randomBytesDoNotBreakTheStore()
{
    QRandomGenerator random(20240607); // fixed: a failure must be reproducible
    for (int round = 0; round < 20; ++round) {
        const QString path = iniPath(QStringLiteral("random-%1.ini").arg(round));
        QByteArray bytes(4096 + round * 512, Qt::Uninitialized);
        for (char &byte : bytes)
            byte = char(random.bounded(256));
        if (round % 2) { // half of them look like INI, so the parser gets further
            bytes.prepend("[profiles]\nx\\name=");
            bytes.replace('\x07', "\n[preferences]\nfontPointSize=");
        }
        writeFile(path, bytes);
        {
            ProfileStore store(path);
            QVERIFY(store.profiles().first().isDemo);
            QVERIFY(store.defaultProfile().isDemo);
            const Preferences &p = store.preferences();
            QVERIFY(p.fontPointSize == 0 || (p.fontPointSize >= Preferences::minFontPointSize &&
                                             p.fontPointSize <= Preferences::maxFontPointSize));
            QVERIFY(store.saveProfile(sampleProfile(QStringLiteral("Kept"))).isEmpty());
        }
        ProfileStore reopened(path);
        QVERIFY2(reopened.findByName(u"Kept"), qPrintable(path));
    }
}

void TestSettings::preferencesRoundTrip()
{
    const QString path = iniPath(QStringLiteral("preferences.ini"));
    Preferences preferences;
    preferences.language = Preferences::Language::Arabic;
    preferences.reduceMotion = true;
    preferences.fontPointSize = 14;
    preferences.windowGeometry = QByteArray("\x01\xd9\xd0\xcb\x00\x03\x00\x00\xff", 9);
    preferences.windowState = QByteArray(300, '\0') + "state";
    preferences.sidebarVisible = false;
    preferences.proxy = {ProxySettings::Mode::Manual, ProxySettings::Type::Socks5,
                         QStringLiteral("proxy.local"), 1080};
    {
        ProfileStore store(path);
        const Profile work = sampleProfile(QStringLiteral("Work"));
        QVERIFY(store.saveProfile(work).isEmpty());
        preferences.lastProfileId = work.id;
        QVERIFY(store.savePreferences(preferences).isEmpty());
        QCOMPARE(store.preferences(), preferences);
    }
    {
        ProfileStore store(path);
        QVERIFY2(store.warnings().isEmpty(), qPrintable(store.warnings().join(QLatin1Char('\n'))));
        QCOMPARE(store.preferences(), preferences);
        QCOMPARE(store.defaultProfile().id, preferences.lastProfileId);

        Preferences huge = preferences;
        huge.fontPointSize = 500;
        huge.language = Preferences::Language::English;
        huge.proxy.mode = ProxySettings::Mode::None;
        QVERIFY(store.savePreferences(huge).isEmpty());
        QCOMPARE(store.preferences().fontPointSize, Preferences::maxFontPointSize);
    }
    ProfileStore store(path);
    QCOMPARE(store.preferences().fontPointSize, Preferences::maxFontPointSize);
    QCOMPARE(store.preferences().language, Preferences::Language::English);
    QCOMPARE(store.preferences().proxy.mode, ProxySettings::Mode::None);
}

void TestSettings::unwritableFileIsReported()
{
    // A path under a regular file can never be created, even by root.
    const QString path = m_caPath + QLatin1String("/qalam.ini");
    ProfileStore store(path);
    QVERIFY(store.profiles().first().isDemo);
    const QStringList errors = store.saveProfile(sampleProfile(QStringLiteral("Lost")));
    QVERIFY2(containsText(errors, QStringLiteral("could not be saved")),
             qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY(store.findByName(u"Lost")); // still usable for this session
    QVERIFY(!store.savePreferences(Preferences()).isEmpty());
}

// --- Secrets ----------------------------------------------------------------------------------

void TestSettings::keyNeverInSettingsFileOrLogs()
{
    QLoggingCategory::setFilterRules(QStringLiteral("qalam.*=true"));
    const auto restoreRules = qScopeGuard([] { QLoggingCategory::setFilterRules({}); });
    LogCapture log;

    const QString key = uniqueKey();
    const QString token = uniqueKey(); // values of secret headers: as secret as the key
    const QString headerKey = uniqueKey();
    const QString path = iniPath(QStringLiteral("secrets.ini"));
    Profile profile = secretHeadersProfile(QStringLiteral("Secret holder"), token, headerKey);
    QList<HttpHeader> resolvedHeaders = profile.extraHeaders;
    resolvedHeaders[2].secret = true; // X-Api-Key: saved as the secret it always is
    QList<SecretResult> results;
    {
        ProfileStore store(path);
        QVERIFY(store.saveProfile(profile).isEmpty());

        // A working keychain, the real one (no service here: session fallback, with warnings
        // logged) and a refusing one (warning logged with the keychain's reason).
        SecretStore keychain(std::make_unique<MemorySecretBackend>());
        SecretStore real;
        SecretStore refusing(
            std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Refusing));
        for (SecretStore *secrets : {&keychain, &real, &refusing}) {
            const auto written =
                await([&](auto done) { secrets->writeKey(profile.id, key, nullptr, done); });
            QVERIFY(written && written->ok);
            const auto read =
                await([&](auto done) { secrets->resolveKey(profile, nullptr, done); });
            QVERIFY(read && read->ok);
            QCOMPARE(read->key, key);
            results << *written;

            const auto headersWritten =
                await([&](auto done) { secrets->writeHeaderSecrets(profile, nullptr, done); });
            QVERIFY(headersWritten && headersWritten->ok);
            QVERIFY(headersWritten->key.isEmpty());
            const Profile fromFile = *store.profile(profile.id); // the values are not there
            QVERIFY(fromFile.extraHeaders.at(0).value.isEmpty());
            const auto resolved =
                await([&](auto done) { secrets->resolveSecrets(fromFile, nullptr, done); });
            QVERIFY(resolved && resolved->ok);
            QCOMPARE(resolved->key, key);
            QCOMPARE(resolved->headers, resolvedHeaders);
            results << *headersWritten << *resolved;
        }

        // Saving again after the key is known must not bring it in either.
        Preferences preferences = store.preferences();
        preferences.lastProfileId = profile.id;
        QVERIFY(store.savePreferences(preferences).isEmpty());
        profile.model = QStringLiteral("another-model");
        QVERIFY(store.saveProfile(profile).isEmpty());
    }
    ProfileStore reopened(path);
    Profile withoutValues = withoutSecretValues(profile);
    withoutValues.extraHeaders[2].secret = true; // the file says so for always-secret names
    QCOMPARE(reopened.profile(profile.id), std::optional<Profile>(withoutValues));

    const QByteArray ini = readFile(path);
    QVERIFY(ini.contains(profile.id.toUtf8())); // the right file, really written
    QVERIFY(ini.contains("X-Tenant-Token") && ini.contains("X-Api-Key"));
    const QStringList secrets{key, token, headerKey};
    for (const QString &secret : secrets)
        QVERIFY(!containsEncoded(ini, secret));
    // Nor in any file this process wrote (QtKeychain's plain-text fallback would use the XDG
    // config directory, which main() pointed into the sandbox).
    for (const QString &root : {m_sandbox, m_dir.path()}) {
        QDirIterator files(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString file = files.next();
            for (const QString &secret : secrets)
                QVERIFY2(!containsEncoded(readFile(file), secret), qPrintable(file));
        }
    }

    for (const SecretResult &result : std::as_const(results)) {
        for (const QString &secret : secrets)
            QVERIFY(!result.message.contains(secret));
    }
    // Per store: key written, header values written, resolved. The real and the refusing
    // keychain keep both for the session.
    QCOMPARE(results.size(), 9);
    for (int i : {3, 4, 5, 6, 7, 8})
        QCOMPARE(results.at(i).source, SecretResult::Source::Session);

    const QStringList messages = log.messages();
    // The fallbacks above log warnings: proof that this handler sees what the library logs.
    QVERIFY2(containsText(messages, QStringLiteral("qalam.settings.secrets")),
             qPrintable(messages.join(QLatin1Char('\n'))));
    for (const QString &message : messages) {
        for (const QString &secret : secrets)
            QVERIFY2(!message.contains(secret), qPrintable(message));
    }
}

void TestSettings::environmentVariableWins()
{
    const QByteArray variable =
        "QALAM_TEST_KEY_" + QUuid::createUuid().toString(QUuid::Id128).toLatin1();
    EnvironmentGuard environment(variable.constData());
    environment.unset();

    SecretStore secrets(std::make_unique<MemorySecretBackend>());
    Profile profile = sampleProfile(QStringLiteral("Env"));
    profile.apiKeyEnv = QString::fromLatin1(variable);
    const auto resolve = [&](const Profile &p) {
        return await([&](auto done) { secrets.resolveKey(p, nullptr, done); });
    };
    const auto stored = await([&](auto done) {
        secrets.writeKey(profile.id, QStringLiteral("from-keychain"), nullptr, done);
    });
    QVERIFY(stored && stored->ok);
    QCOMPARE(stored->source, SecretResult::Source::Keychain);

    auto result = resolve(profile); // not set: the keychain
    QVERIFY(result && result->ok);
    QCOMPARE(result->key, QStringLiteral("from-keychain"));
    QCOMPARE(result->source, SecretResult::Source::Keychain);

    environment.set("  from-env\n");
    result = resolve(profile);
    QVERIFY(result && result->ok);
    QCOMPARE(result->key, QStringLiteral("from-env"));
    QCOMPARE(result->source, SecretResult::Source::Environment);

    Profile withoutVariable = profile; // same id, so the same keychain entry
    withoutVariable.apiKeyEnv.clear();
    result = resolve(withoutVariable);
    QVERIFY(result);
    QCOMPARE(result->source, SecretResult::Source::Keychain);

    environment.set("");
    result = resolve(profile); // set but empty: the keychain
    QVERIFY(result);
    QCOMPARE(result->key, QStringLiteral("from-keychain"));

    result = resolve(Profile::demo());
    QVERIFY(result && result->ok);
    QVERIFY(result->key.isEmpty());
    QCOMPARE(result->source, SecretResult::Source::None);
}

void TestSettings::keychainRoundTrip()
{
    QHash<QString, QString> vault; // outlives both stores: a keychain across app restarts
    const QString id = Profile::create().id;
    const QString key = uniqueKey();
    {
        SecretStore secrets(
            std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, &vault));
        const auto written = await([&](auto done) { secrets.writeKey(id, key, nullptr, done); });
        QVERIFY(written && written->ok);
        QCOMPARE(written->source, SecretResult::Source::Keychain);
        QVERIFY(written->message.isEmpty());
        QVERIFY(secrets.isPersistent());
        QCOMPARE(vault.value(id), key); // under the profile's id
    }
    SecretStore secrets(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, &vault));
    auto read = await([&](auto done) { secrets.readKey(id, nullptr, done); });
    QVERIFY(read && read->ok);
    QCOMPARE(read->key, key);
    QCOMPARE(read->source, SecretResult::Source::Keychain);

    // An empty key removes the entry, as removeKey() does.
    const auto cleared = await([&](auto done) { secrets.writeKey(id, {}, nullptr, done); });
    QVERIFY(cleared && cleared->ok);
    QVERIFY(!vault.contains(id));
    read = await([&](auto done) { secrets.readKey(id, nullptr, done); });
    QVERIFY(read && read->ok);
    QVERIFY(read->key.isEmpty());
    QCOMPARE(read->source, SecretResult::Source::None);
    const auto removed = await([&](auto done) { secrets.removeKey(id, nullptr, done); });
    QVERIFY(removed && removed->ok); // removing what is not there is fine
    QCOMPARE(SecretStore::serviceName(), QStringLiteral("Qalam"));
}

void TestSettings::keychainUnavailableFallsBackToSession()
{
    auto backend =
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Unavailable);
    MemorySecretBackend *keychain = backend.get();
    SecretStore secrets(std::move(backend));
    QSignalSpy unavailable(&secrets, &SecretStore::keychainUnavailable);
    const QString first = Profile::create().id;
    const QString second = Profile::create().id;

    QVERIFY(secrets.isPersistent()); // not known yet
    const auto written = await(
        [&](auto done) { secrets.writeKey(first, QStringLiteral("sk-first"), nullptr, done); });
    QVERIFY(written && written->ok);
    QCOMPARE(written->source, SecretResult::Source::Session);
    QCOMPARE(written->message,
             QStringLiteral("No keychain service is running: the key is kept for this session "
                            "only."));
    QVERIFY(!secrets.isPersistent());
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(unavailable.first().first().toString(), secrets.sessionOnlyMessage());

    // Said once; the missing keychain is not asked again.
    const int keychainCalls = keychain->callCount();
    const auto again = await(
        [&](auto done) { secrets.writeKey(second, QStringLiteral("sk-second"), nullptr, done); });
    QVERIFY(again && again->ok);
    QCOMPARE(again->source, SecretResult::Source::Session);
    QCOMPARE(unavailable.count(), 1);

    auto read = await([&](auto done) { secrets.readKey(first, nullptr, done); });
    QVERIFY(read && read->ok);
    QCOMPARE(read->key, QStringLiteral("sk-first"));
    QCOMPARE(read->source, SecretResult::Source::Session);
    const auto removed = await([&](auto done) { secrets.removeKey(second, nullptr, done); });
    QVERIFY(removed && removed->ok);
    read = await([&](auto done) { secrets.readKey(second, nullptr, done); });
    QVERIFY(read && read->key.isEmpty());
    QCOMPARE(keychain->callCount(), keychainCalls);

    // A new store (the next start of the app) has no key, and says why.
    SecretStore next(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Unavailable));
    QSignalSpy nextUnavailable(&next, &SecretStore::keychainUnavailable);
    read = await([&](auto done) { next.readKey(first, nullptr, done); });
    QVERIFY(read && read->ok);
    QVERIFY(read->key.isEmpty());
    QCOMPARE(read->source, SecretResult::Source::None);
    QCOMPARE(read->message, next.sessionOnlyMessage());
    QCOMPARE(nextUnavailable.count(), 1);
}

void TestSettings::realKeychainFallsBackToSession()
{
    // The real QtKeychain with no D-Bus session (main() saw to that): it must fail over cleanly,
    // within the timeout at worst, and never hang.
    SecretStore secrets;
    QCOMPARE(secrets.timeout(), SecretStore::defaultTimeoutMs);
    QSignalSpy unavailable(&secrets, &SecretStore::keychainUnavailable);
    Profile profile = sampleProfile(QStringLiteral("Real keychain"));
    const QString key = uniqueKey();

    const auto written =
        await([&](auto done) { secrets.writeKey(profile.id, key, nullptr, done); });
    QVERIFY(written);
    QVERIFY(written->ok);
    QCOMPARE(written->source, SecretResult::Source::Session);
    QCOMPARE(written->message, secrets.sessionOnlyMessage());
    QVERIFY(!secrets.isPersistent());
    QCOMPARE(unavailable.count(), 1);

    const auto read = await([&](auto done) { secrets.resolveKey(profile, nullptr, done); });
    QVERIFY(read && read->ok);
    QCOMPARE(read->key, key);
    QCOMPARE(read->source, SecretResult::Source::Session);
    QCOMPARE(unavailable.count(), 1);

    SecretStore next;
    QSignalSpy nextUnavailable(&next, &SecretStore::keychainUnavailable);
    const auto gone = await([&](auto done) { next.readKey(profile.id, nullptr, done); });
    QVERIFY(gone && gone->ok);
    QVERIFY(gone->key.isEmpty());
    QCOMPARE(nextUnavailable.count(), 1);
    QVERIFY(!next.isPersistent());
}

void TestSettings::silentKeychainTimesOut()
{
    SecretStore secrets(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Silent));
    secrets.setTimeout(50);
    QSignalSpy unavailable(&secrets, &SecretStore::keychainUnavailable);
    const QString id = Profile::create().id;

    auto read = await([&](auto done) { secrets.readKey(id, nullptr, done); });
    QVERIFY(read && read->ok);
    QVERIFY(read->key.isEmpty());
    QCOMPARE(read->message, secrets.sessionOnlyMessage());
    QCOMPARE(unavailable.count(), 1);
    QVERIFY(!secrets.isPersistent());

    const auto written = await(
        [&](auto done) { secrets.writeKey(id, QStringLiteral("sk-session"), nullptr, done); });
    QVERIFY(written && written->ok);
    QCOMPARE(written->source, SecretResult::Source::Session);
    read = await([&](auto done) { secrets.readKey(id, nullptr, done); });
    QVERIFY(read);
    QCOMPARE(read->key, QStringLiteral("sk-session"));
    QCOMPARE(unavailable.count(), 1);
}

void TestSettings::refusingKeychainKeepsKeyForSession()
{
    SecretStore secrets(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Refusing));
    QSignalSpy unavailable(&secrets, &SecretStore::keychainUnavailable);
    const QString id = Profile::create().id;

    const auto written = await(
        [&](auto done) { secrets.writeKey(id, QStringLiteral("sk-session"), nullptr, done); });
    QVERIFY(written && written->ok);
    QCOMPARE(written->source, SecretResult::Source::Session);
    QVERIFY2(written->message.contains(QLatin1String("refused")) &&
                 written->message.contains(QLatin1String("session only")),
             qPrintable(written->message));
    QVERIFY(secrets.isPersistent()); // the keychain is there; it refused this one key
    QCOMPARE(unavailable.count(), 0);

    auto read = await([&](auto done) { secrets.readKey(id, nullptr, done); });
    QVERIFY(read && read->ok);
    QCOMPARE(read->key, QStringLiteral("sk-session"));
    QCOMPARE(read->source, SecretResult::Source::Session);

    const auto removed = await([&](auto done) { secrets.removeKey(id, nullptr, done); });
    QVERIFY(removed);
    QVERIFY(!removed->ok);
    QVERIFY(!removed->message.isEmpty());
    read = await([&](auto done) { secrets.readKey(id, nullptr, done); });
    QVERIFY(read);
    QVERIFY(!read->ok); // the session copy is gone and the keychain still refuses
    QVERIFY(read->key.isEmpty());
}

void TestSettings::callbacksRespectLifetimes()
{
    SecretStore secrets(std::make_unique<MemorySecretBackend>());
    const QString id = Profile::create().id;
    bool contextCallbackRan = false;
    {
        QObject context;
        secrets.readKey(id, &context, [&](const SecretResult &) { contextCallbackRan = true; });
    }
    // Answers come in order, so once this one is in, the first would have been too.
    const auto later = await([&](auto done) { secrets.readKey(id, nullptr, done); });
    QVERIFY(later);
    QVERIFY(!contextCallbackRan);

    bool storeCallbackRan = false;
    auto doomed = std::make_unique<SecretStore>(std::make_unique<MemorySecretBackend>());
    doomed->writeKey(id, QStringLiteral("sk-session"), nullptr,
                     [&](const SecretResult &) { storeCallbackRan = true; });
    doomed.reset();
    const auto after = await([&](auto done) { secrets.readKey(id, nullptr, done); });
    QVERIFY(after);
    QVERIFY(!storeCallbackRan);
}

// --- Secret headers ---------------------------------------------------------------------------

void TestSettings::secretHeadersRoundTrip()
{
    QHash<QString, QString> vault; // outlives the stores: a keychain across app restarts
    const QString path = iniPath(QStringLiteral("secret-headers.ini"));
    const QString token = uniqueKey();
    const QString apiKey = uniqueKey();
    const Profile profile = secretHeadersProfile(QStringLiteral("Tenant"), token, apiKey);
    QVERIFY(profile.hasSecretHeaders());
    QVERIFY(!sampleProfile(QStringLiteral("Plain")).hasSecretHeaders());

    // The flag, with the value stripped and the always-secret name marked: what the file says
    // and what the store answers, now and after a restart.
    Profile expected = withoutSecretValues(profile);
    expected.extraHeaders[2].secret = true;
    {
        ProfileStore store(path);
        QCOMPARE(store.saveProfile(profile), QStringList());
        QCOMPARE(store.profile(profile.id), std::optional<Profile>(expected));
        SecretStore secrets(
            std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, &vault));
        const auto written =
            await([&](auto done) { secrets.writeHeaderSecrets(profile, nullptr, done); });
        QVERIFY(written && written->ok);
        QCOMPARE(written->source, SecretResult::Source::Keychain);
        QVERIFY(written->message.isEmpty());
    }

    // The file: names and flags, no value; the keychain: both values, in the profile's order,
    // under "<id>/headers" and not under the key's account.
    const QByteArray ini = readFile(path);
    QVERIFY(!containsEncoded(ini, token));
    QVERIFY(!containsEncoded(ini, apiKey));
    QSettings raw(path, QSettings::IniFormat);
    raw.beginGroup(QStringLiteral("profiles/") + profile.id);
    QCOMPARE(raw.beginReadArray(QStringLiteral("headers")), 3);
    const QList<std::tuple<QString, QVariant, QVariant>> rows{
        {QStringLiteral("X-Tenant-Token"), QVariant(), QStringLiteral("true")},
        {QStringLiteral("X-Team"), QStringLiteral("blue"), QVariant()},
        {QStringLiteral("X-Api-Key"), QVariant(), QStringLiteral("true")}};
    for (int i = 0; i < 3; ++i) {
        raw.setArrayIndex(i);
        const auto &[name, value, secret] = rows.at(i);
        QCOMPARE(raw.value(QStringLiteral("name")).toString(), name);
        QCOMPARE(raw.value(QStringLiteral("value")), value);
        QCOMPARE(raw.value(QStringLiteral("secret")), secret);
    }
    raw.endArray();
    QCOMPARE(storedHeaderValues(vault, profile.id),
             QStringList({QStringLiteral("X-Tenant-Token=") + token,
                          QStringLiteral("X-Api-Key=") + apiKey}));
    QVERIFY(!vault.contains(profile.id));
    QCOMPARE(vault.size(), 1);

    ProfileStore reopened(path);
    QVERIFY2(reopened.warnings().isEmpty(),
             qPrintable(reopened.warnings().join(QLatin1Char('\n'))));
    const std::optional<Profile> loaded = reopened.profile(profile.id);
    QCOMPARE(loaded, std::optional<Profile>(expected));

    // Using it: the values come back from the keychain, into every header and the request.
    SecretStore secrets(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, &vault));
    const auto resolved = await([&](auto done) { secrets.resolveSecrets(*loaded, nullptr, done); });
    QVERIFY(resolved && resolved->ok);
    QVERIFY(resolved->message.isEmpty());
    QVERIFY(resolved->key.isEmpty()); // this profile has no key
    QList<HttpHeader> headers = profile.extraHeaders;
    headers[2].secret = true;
    QCOMPARE(resolved->headers, headers);

    // Which ones are secret is what a request tells the transport (tst_backendswitcher).
    QCOMPARE(resolved->headers.at(0).isSecret(), true);
    QCOMPARE(resolved->headers.at(1).isSecret(), false);
    QCOMPARE(resolved->headers.at(2).isSecret(), true);

    // The flag alone makes a header secret; the always-secret names are secret whatever it says.
    for (const char *name :
         {"X-Api-Key", "api-key", "Authorization", "COOKIE", "Proxy-Authorization"}) {
        QVERIFY2(HttpHeader::isAlwaysSecret(QString::fromLatin1(name)), name);
        QVERIFY((HttpHeader{QString::fromLatin1(name), {}, false}.isSecret()));
    }
    QVERIFY(!HttpHeader::isAlwaysSecret(u"X-Api-Keys"));
    QVERIFY(!(HttpHeader{QStringLiteral("X-Team"), {}, false}.isSecret()));
    QVERIFY((HttpHeader{QStringLiteral("X-Team"), {}, true}.isSecret()));
}

void TestSettings::secretHeaderValuesAreKeptWhenLeftEmpty()
{
    // The profile dialog never shows a stored value: it saves the profile with the secret
    // values it was given, empty for those left alone.
    QHash<QString, QString> vault;
    SecretStore secrets(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, &vault));
    const QString token = uniqueKey();
    Profile profile = secretHeadersProfile(QStringLiteral("Kept"), token, QStringLiteral("ak-1"));
    const auto write = [&](const Profile &p) {
        return await([&](auto done) { secrets.writeHeaderSecrets(p, nullptr, done); });
    };
    QVERIFY(write(profile)->ok);

    Profile edited = profile;
    edited.extraHeaders[0].value.clear();                  // left alone
    edited.extraHeaders[2].value = QStringLiteral("ak-2"); // retyped
    edited.extraHeaders.append({QStringLiteral("X-Second"), QStringLiteral("s-1"), true});
    auto result = write(edited);
    QVERIFY(result && result->ok);
    QCOMPARE(storedHeaderValues(vault, profile.id),
             QStringList({QStringLiteral("X-Tenant-Token=") + token,
                          QStringLiteral("X-Api-Key=ak-2"), QStringLiteral("X-Second=s-1")}));

    // A header no longer secret (or gone) leaves the keychain; its value is in the file now.
    edited.extraHeaders[0] = {QStringLiteral("X-Tenant-Token"), QStringLiteral("public"), false};
    edited.extraHeaders.removeLast();
    edited.extraHeaders[2].value.clear();
    QVERIFY(write(edited)->ok);
    QCOMPARE(storedHeaderValues(vault, profile.id),
             QStringList({QStringLiteral("X-Api-Key=ak-2")}));

    // A secret header that never had a value: nothing to keep, and using it says so.
    edited.extraHeaders.append({QStringLiteral("X-New-Secret"), QString(), true});
    QVERIFY(write(edited)->ok);
    QCOMPARE(storedHeaderValues(vault, profile.id),
             QStringList({QStringLiteral("X-Api-Key=ak-2")}));
    const auto resolved = await([&](auto done) { secrets.resolveSecrets(edited, nullptr, done); });
    QVERIFY(resolved);
    QVERIFY(!resolved->ok);
    QVERIFY2(resolved->message.contains(QLatin1String("X-New-Secret")) &&
                 !resolved->message.contains(QLatin1String("X-Api-Key")),
             qPrintable(resolved->message));
    QCOMPARE(resolved->headers.at(2).value, QStringLiteral("ak-2"));
    QVERIFY(resolved->headers.at(3).value.isEmpty());

    // No secret header left: the entry goes.
    edited.extraHeaders = {{QStringLiteral("X-Team"), QStringLiteral("blue")}};
    QVERIFY(write(edited)->ok);
    QVERIFY(vault.isEmpty());
    const auto plain = await([&](auto done) { secrets.resolveSecrets(edited, nullptr, done); });
    QVERIFY(plain && plain->ok);
    QCOMPARE(plain->headers, edited.extraHeaders);

    // A keychain that will not say what is stored: a value left empty cannot be kept, so nothing
    // is written over it, and the user is told.
    QVERIFY(write(profile)->ok);
    const QHash<QString, QString> before = vault;
    SecretStore refusing(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Refusing, &vault));
    result = await([&](auto done) {
        refusing.writeHeaderSecrets(withoutSecretValues(profile), nullptr, done);
    });
    QVERIFY(result);
    QVERIFY(!result->ok);
    QVERIFY(!result->message.isEmpty());
    QCOMPARE(vault, before);
}

void TestSettings::removingProfileRemovesItsSecrets()
{
    QHash<QString, QString> vault;
    SecretStore secrets(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, &vault));
    ProfileStore store(iniPath(QStringLiteral("remove-secrets.ini")));
    const Profile doomed = secretHeadersProfile(QStringLiteral("Doomed"), uniqueKey(), uniqueKey());
    const Profile kept = secretHeadersProfile(QStringLiteral("Kept"), uniqueKey(), uniqueKey());
    for (const Profile &profile : {doomed, kept}) {
        QCOMPARE(store.saveProfile(profile), QStringList());
        QVERIFY(await([&](auto done) {
                    secrets.writeKey(profile.id, uniqueKey(), nullptr, done);
                })->ok);
        QVERIFY(await([&](auto done) { secrets.writeHeaderSecrets(profile, nullptr, done); })->ok);
    }
    QCOMPARE(vault.size(), 4);

    QVERIFY(store.removeProfile(doomed.id));
    const auto removed = await([&](auto done) { secrets.removeSecrets(doomed.id, nullptr, done); });
    QVERIFY(removed && removed->ok);
    QCOMPARE(vault.size(), 2); // the other profile's key and values are still there
    QVERIFY(!vault.contains(doomed.id));
    QVERIFY(!vault.contains(SecretStore::headersAccount(doomed.id)));
    QVERIFY(vault.contains(kept.id));
    QVERIFY(vault.contains(SecretStore::headersAccount(kept.id)));
    // Removing what is not there is fine.
    const auto again = await([&](auto done) { secrets.removeSecrets(doomed.id, nullptr, done); });
    QVERIFY(again && again->ok);

    // Values kept for the session only go too.
    SecretStore sessionOnly(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Unavailable));
    QVERIFY(await([&](auto done) { sessionOnly.writeHeaderSecrets(kept, nullptr, done); })->ok);
    QVERIFY(await([&](auto done) { sessionOnly.removeSecrets(kept.id, nullptr, done); })->ok);
    const auto gone = await(
        [&](auto done) { sessionOnly.resolveSecrets(withoutSecretValues(kept), nullptr, done); });
    QVERIFY(gone);
    QVERIFY(!gone->ok);
    QVERIFY(gone->headers.at(0).value.isEmpty());
}

void TestSettings::fileWithoutSecretFlagLoads()
{
    // A file of the previous version: headers have a name and a value, no flag; one is an
    // X-Api-Key, which that version kept in clear.
    const QString path = iniPath(QStringLiteral("before-secret-headers.ini"));
    writeFile(path, R"([General]
formatVersion=1

[profiles]
99999999-9999-9999-9999-999999999999\name=Older
99999999-9999-9999-9999-999999999999\baseUrl=https://older.example.com/v1
99999999-9999-9999-9999-999999999999\protocol=openai
99999999-9999-9999-9999-999999999999\model=m1
99999999-9999-9999-9999-999999999999\headers\1\name=X-Team
99999999-9999-9999-9999-999999999999\headers\1\value=blue
99999999-9999-9999-9999-999999999999\headers\2\name=X-Api-Key
99999999-9999-9999-9999-999999999999\headers\2\value=ak-in-the-old-file
99999999-9999-9999-9999-999999999999\headers\size=2
)");
    const QString id = QStringLiteral("99999999-9999-9999-9999-999999999999");
    const QList<HttpHeader> oldHeaders{
        {QStringLiteral("X-Team"), QStringLiteral("blue"), false},
        {QStringLiteral("X-Api-Key"), QStringLiteral("ak-in-the-old-file"), false}};
    QHash<QString, QString> vault;
    SecretStore secrets(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, &vault));
    Profile loaded;
    {
        ProfileStore store(path);
        const std::optional<Profile> profile = store.profile(id);
        QVERIFY(profile);
        QCOMPARE(profile->extraHeaders, oldHeaders); // unchanged, flags false
        // The value in clear is named (never quoted: warnings are logged).
        QCOMPARE(store.warnings().size(), 1);
        QVERIFY2(store.warnings().first().contains(QLatin1String("X-Api-Key")) &&
                     store.warnings().first().contains(QLatin1String("in clear")),
                 qPrintable(store.warnings().first()));
        QVERIFY(!containsText(store.warnings(), QStringLiteral("ak-in-the-old-file")));

        // It goes on working as it did: the keychain has nothing, the file's value is used.
        const auto resolved =
            await([&](auto done) { secrets.resolveSecrets(*profile, nullptr, done); });
        QVERIFY(resolved && resolved->ok);
        QCOMPARE(resolved->headers, oldHeaders);
        QVERIFY(profile->extraHeaders.at(1).isSecret()); // by its name: requests mark it so

        // Saved as the profile dialog saves it, the value moves to the keychain.
        QCOMPARE(store.saveProfile(*profile), QStringList());
        QVERIFY(await([&](auto done) { secrets.writeHeaderSecrets(*profile, nullptr, done); })->ok);
        loaded = *store.profile(id);
    }
    QVERIFY(!readFile(path).contains("ak-in-the-old-file"));
    QCOMPARE(storedHeaderValues(vault, id),
             QStringList({QStringLiteral("X-Api-Key=ak-in-the-old-file")}));
    ProfileStore reopened(path);
    QVERIFY2(reopened.warnings().isEmpty(),
             qPrintable(reopened.warnings().join(QLatin1Char('\n'))));
    QCOMPARE(reopened.profile(id), std::optional<Profile>(loaded));
    const auto resolved = await([&](auto done) { secrets.resolveSecrets(loaded, nullptr, done); });
    QVERIFY(resolved && resolved->ok);
    QCOMPARE(resolved->headers.at(1).value, QStringLiteral("ak-in-the-old-file"));
}

void TestSettings::secretHeadersWithoutKeychainLastTheSession()
{
    const QString token = uniqueKey();
    const Profile profile =
        secretHeadersProfile(QStringLiteral("Session"), token, QStringLiteral("ak-1"));
    const Profile fromFile = withoutSecretValues(profile);

    // No keychain service: the same notice as for a key, said once for both.
    SecretStore secrets(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Unavailable));
    QSignalSpy unavailable(&secrets, &SecretStore::keychainUnavailable);
    const auto written =
        await([&](auto done) { secrets.writeHeaderSecrets(profile, nullptr, done); });
    QVERIFY(written && written->ok);
    QCOMPARE(written->source, SecretResult::Source::Session);
    QCOMPARE(written->message, secrets.sessionOnlyMessage());
    QCOMPARE(unavailable.count(), 1);
    const auto key = await(
        [&](auto done) { secrets.writeKey(profile.id, QStringLiteral("sk-1"), nullptr, done); });
    QVERIFY(key && key->ok);
    QCOMPARE(unavailable.count(), 1);

    auto resolved = await([&](auto done) { secrets.resolveSecrets(fromFile, nullptr, done); });
    QVERIFY(resolved && resolved->ok);
    QCOMPARE(resolved->key, QStringLiteral("sk-1"));
    QCOMPARE(resolved->headers.at(0).value, token);
    QCOMPARE(resolved->headers.at(2).value, QStringLiteral("ak-1"));

    // The next start: gone, and the user is told which values to enter again.
    SecretStore next(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Unavailable));
    QSignalSpy nextUnavailable(&next, &SecretStore::keychainUnavailable);
    resolved = await([&](auto done) { next.resolveSecrets(fromFile, nullptr, done); });
    QVERIFY(resolved);
    QVERIFY(!resolved->ok);
    QVERIFY2(resolved->message.startsWith(next.sessionOnlyMessage()) &&
                 resolved->message.count(next.sessionOnlyMessage()) == 1 &&
                 resolved->message.contains(QLatin1String("X-Tenant-Token")) &&
                 resolved->message.contains(QLatin1String("X-Api-Key")),
             qPrintable(resolved->message));
    QCOMPARE(resolved->headers, fromFile.extraHeaders);
    QCOMPARE(nextUnavailable.count(), 1);

    // A keychain that refuses keeps them for the session, and says so as for a key.
    SecretStore refusing(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Refusing));
    const auto refused =
        await([&](auto done) { refusing.writeHeaderSecrets(profile, nullptr, done); });
    QVERIFY(refused && refused->ok);
    QCOMPARE(refused->source, SecretResult::Source::Session);
    QVERIFY2(refused->message.contains(QLatin1String("session only")) &&
                 !refused->message.contains(token),
             qPrintable(refused->message));
    resolved = await([&](auto done) { refusing.resolveSecrets(fromFile, nullptr, done); });
    QVERIFY(resolved);
    QCOMPARE(resolved->headers.at(0).value, token);
    QCOMPARE(resolved->headers.at(2).value, QStringLiteral("ak-1"));
}

// --- Network ----------------------------------------------------------------------------------

void TestSettings::proxyModes()
{
    // The system's proxy, as Qt reads it on Linux.
    EnvironmentGuard httpProxy("http_proxy");
    EnvironmentGuard noProxy("no_proxy");
    httpProxy.set("http://sysproxy.example.test:8123");
    noProxy.unset();
    const bool globalBefore = QNetworkProxyFactory::usesSystemConfiguration();
    const QNetworkProxy applicationProxyBefore = QNetworkProxy::applicationProxy();
    QNetworkAccessManager manager;

    ProxySettings manual{ProxySettings::Mode::Manual, ProxySettings::Type::Http,
                         QStringLiteral("proxy.example.test"), 3128};
    QCOMPARE(NetworkSetup::applyProxy(manager, manual), QString());
    QCOMPARE(manager.proxy().type(), QNetworkProxy::HttpProxy);
    QCOMPARE(manager.proxy().hostName(), QStringLiteral("proxy.example.test"));
    QCOMPARE(manager.proxy().port(), quint16(3128));
    QVERIFY(!manager.proxyFactory());

    manual.type = ProxySettings::Type::Socks5;
    manual.port = 1080;
    QCOMPARE(NetworkSetup::applyProxy(manager, manual), QString());
    QCOMPARE(manager.proxy().type(), QNetworkProxy::Socks5Proxy);
    QCOMPARE(manager.proxy().port(), quint16(1080));

    // Incomplete manual proxies are refused with a reason and change nothing.
    for (const ProxySettings &bad :
         {ProxySettings{ProxySettings::Mode::Manual, ProxySettings::Type::Http, {}, 8080},
          ProxySettings{ProxySettings::Mode::Manual, ProxySettings::Type::Http,
                        QStringLiteral("proxy.local"), 0},
          ProxySettings{ProxySettings::Mode::Manual, ProxySettings::Type::Http,
                        QStringLiteral("proxy.local:8080"), 8080}}) {
        QVERIFY(!NetworkSetup::applyProxy(manager, bad).isEmpty());
        QCOMPARE(manager.proxy().type(), QNetworkProxy::Socks5Proxy);
        QCOMPARE(manager.proxy().hostName(), QStringLiteral("proxy.example.test"));
    }

    // System: this manager asks the system (here: the environment) for each request.
    QCOMPARE(NetworkSetup::applyProxy(manager, ProxySettings{}), QString());
    QVERIFY(manager.proxyFactory());
    QCOMPARE(manager.proxy().type(), QNetworkProxy::DefaultProxy);
    const QList<QNetworkProxy> system = manager.proxyFactory()->queryProxy(
        QNetworkProxyQuery(QUrl(QStringLiteral("http://chat.example.com/v1"))));
    QVERIFY(!system.isEmpty());
    QCOMPARE(system.first().type(), QNetworkProxy::HttpProxy);
    QCOMPARE(system.first().hostName(), QStringLiteral("sysproxy.example.test"));
    QCOMPARE(system.first().port(), quint16(8123));

    // None: direct, whatever the system says; the factory is gone.
    QCOMPARE(NetworkSetup::applyProxy(manager, proxyMode(ProxySettings::Mode::None)), QString());
    QCOMPARE(manager.proxy().type(), QNetworkProxy::NoProxy);
    QVERIFY(!manager.proxyFactory());

    // Nothing of this touched Qt's process-wide proxy configuration.
    QCOMPARE(QNetworkProxyFactory::usesSystemConfiguration(), globalBefore);
    QCOMPARE(QNetworkProxy::applicationProxy(), applicationProxyBefore);
}

void TestSettings::tlsConfigurationWithExtraCa()
{
    Profile plain = sampleProfile(QStringLiteral("Plain"));
    const std::optional<QSslConfiguration> defaults = NetworkSetup::sslConfiguration(plain);
    QVERIFY(defaults);
    QCOMPARE(defaults->peerVerifyMode(), QSslSocket::VerifyPeer);
    QVERIFY(!defaults->caCertificates().contains(m_ca));

    Profile withCa = plain;
    withCa.caCertificatePath = m_caPath;
    QString error;
    const std::optional<QSslConfiguration> extra = NetworkSetup::sslConfiguration(withCa, &error);
    QVERIFY2(extra, qPrintable(error));
    QCOMPARE(extra->peerVerifyMode(), QSslSocket::VerifyPeer);
    QVERIFY(extra->caCertificates().contains(m_ca));
    // Added to the system's CAs, not instead of them.
    const QList<QSslCertificate> systemCas = QSslConfiguration::systemCaCertificates();
    for (const QSslCertificate &ca : systemCas)
        QVERIFY(extra->caCertificates().contains(ca));
    QCOMPARE(extra->caCertificates().size(), systemCas.size() + 1);

    Profile broken = plain;
    broken.caCertificatePath = m_notPemPath;
    QVERIFY(!NetworkSetup::sslConfiguration(broken, &error));
    QVERIFY2(error.contains(m_notPemPath), qPrintable(error));

    QNetworkRequest request(QUrl(QStringLiteral("https://api.example.com/v1")));
    NetworkSetup::applyTls(request, *extra);
    QVERIFY(request.sslConfiguration().caCertificates().contains(m_ca));
}

void TestSettings::managerAppliesTlsToEveryRequest()
{
    ProfileNetworkAccessManager manager;
    Profile profile = sampleProfile(QStringLiteral("Private CA"));
    profile.caCertificatePath = m_caPath;
    QCOMPARE(manager.configure(profile, proxyMode(ProxySettings::Mode::None)), QString());
    QCOMPARE(manager.proxy().type(), QNetworkProxy::NoProxy);
    QVERIFY(manager.sslConfiguration());

    // A request built elsewhere (as SseConsumer builds its own) leaves with the profile's TLS.
    // Nothing listens on the discard port of loopback: the request fails, which is fine here.
    std::unique_ptr<QNetworkReply> reply(
        manager.get(QNetworkRequest(QUrl(QStringLiteral("https://127.0.0.1:9/v1/models")))));
    const QSslConfiguration sent = reply->request().sslConfiguration();
    QCOMPARE(sent.peerVerifyMode(), QSslSocket::VerifyPeer);
    QVERIFY(sent.caCertificates().contains(m_ca));
    reply->abort();

    // A profile whose CA cannot be used changes nothing and says why.
    Profile broken = profile;
    broken.caCertificatePath = m_brokenPemPath;
    QVERIFY(!manager.configure(broken, proxyMode(ProxySettings::Mode::System)).isEmpty());
    QCOMPARE(manager.proxy().type(), QNetworkProxy::NoProxy);
    QVERIFY(manager.sslConfiguration()->caCertificates().contains(m_ca));
}

int main(int argc, char **argv)
{
    // No way to any D-Bus session, so the real keychain path cannot reach (or write to) the
    // keychain of the machine running the tests: no bus address, no runtime directory where a
    // bus socket could be found, no display to autolaunch one with. XDG directories point into
    // a sandbox that keyNeverInSettingsFileOrLogs searches for the key.
    QTemporaryDir sandbox;
    if (!sandbox.isValid())
        return 2;
    for (const char *name : {"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"})
        qunsetenv(name);
    for (const char *name : {"XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                             "XDG_CACHE_HOME", "XDG_STATE_HOME"}) {
        const QString path = sandbox.filePath(QString::fromLatin1(name).toLower());
        QDir().mkpath(path);
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                        QFileDevice::ExeOwner);
        qputenv(name, QFile::encodeName(path));
    }

    QCoreApplication app(argc, argv);
    app.setOrganizationName(QStringLiteral("QalamTests"));
    app.setApplicationName(QStringLiteral("tst_settings"));
    TestSettings test(sandbox.path());
    return QTest::qExec(&test, argc, argv);
}

#include "tst_settings.moc"
