#include "settings/SecretStore.h"

#include "settings/Profile.h"
#include "settings/QtKeychainBackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace qalam {

namespace {

Q_LOGGING_CATEGORY(lcSecrets, "qalam.settings.secrets")

// Keychain messages are not ours; make sure none can carry the key into a message or a log.
QString redacted(QString text, const QString &key)
{
    if (!key.isEmpty())
        text.replace(key, QStringLiteral("…"));
    return text;
}

namespace HeaderKey {
const QString name = QStringLiteral("name");
const QString value = QStringLiteral("value");
} // namespace HeaderKey

// The keychain entry of a profile's secret header values; empty when no header has a value.
QString encodeHeaderValues(const QList<HttpHeader> &headers)
{
    QJsonArray entries;
    for (const HttpHeader &header : headers) {
        if (!header.value.isEmpty())
            entries.append(
                QJsonObject{{HeaderKey::name, header.name}, {HeaderKey::value, header.value}});
    }
    if (entries.isEmpty())
        return {};
    return QString::fromUtf8(QJsonDocument(entries).toJson(QJsonDocument::Compact));
}

QList<HttpHeader> decodeHeaderValues(const QString &entry)
{
    QList<HttpHeader> headers;
    if (entry.isEmpty())
        return headers;
    const QJsonDocument document = QJsonDocument::fromJson(entry.toUtf8());
    if (!document.isArray()) {
        // Not quoted: it is a secret.
        qCWarning(lcSecrets) << "The keychain entry of secret header values is not a JSON array; "
                                "it is ignored.";
        return headers;
    }
    const QJsonArray entries = document.array();
    for (const auto &entryValue : entries) {
        const QJsonObject object = entryValue.toObject();
        headers.append({object.value(HeaderKey::name).toString(),
                        object.value(HeaderKey::value).toString(), true});
    }
    return headers;
}

// The stored value for a header called `name` (case-insensitive, as HTTP names are), taken out
// of `stored` so that two headers of the same name each get their own, in order.
std::optional<QString> takeValue(QList<HttpHeader> &stored, const QString &name)
{
    for (auto it = stored.begin(); it != stored.end(); ++it) {
        if (it->name.compare(name, Qt::CaseInsensitive) == 0) {
            QString value = std::move(it->value);
            stored.erase(it);
            return value;
        }
    }
    return std::nullopt;
}

void appendSentence(QString &message, const QString &sentence)
{
    if (sentence.isEmpty() || message.contains(sentence))
        return;
    if (!message.isEmpty())
        message += QLatin1Char(' ');
    message += sentence;
}

} // namespace

SecretStore::SecretStore(QObject *parent)
    : SecretStore(std::make_unique<QtKeychainBackend>(serviceName()), parent)
{}

SecretStore::SecretStore(std::unique_ptr<SecretBackend> backend, QObject *parent)
    : QObject(parent), m_backend(std::move(backend))
{}

// The backend goes first (it is a member), so no keychain answer can arrive mid-destruction.
SecretStore::~SecretStore() = default;

QString SecretStore::sessionOnlyMessage() const
{
    return tr("No keychain service is running: the key is kept for this session only.");
}

SecretStore::Callback SecretStore::guarded(QObject *context, Callback done)
{
    if (!context)
        return done;
    return [context = QPointer<QObject>(context), done = std::move(done)](const SecretResult &r) {
        if (context)
            done(r);
    };
}

void SecretStore::deliver(Callback done, SecretResult result)
{
    // Queued, so callers never see their callback run inside the call that asked for it.
    QMetaObject::invokeMethod(
        this, [done = std::move(done), result = std::move(result)] { done(result); },
        Qt::QueuedConnection);
}

void SecretStore::callBackend(const BackendCall &call, BackendAnswer answer)
{
    // Whichever comes first, the keychain's answer or the timeout, is the only one acted on.
    auto answered = std::make_shared<bool>(false);
    QPointer<QTimer> timer = new QTimer(this);
    timer->setSingleShot(true);
    auto once = [answered, timer, answer = std::move(answer)](const SecretBackend::Result &r) {
        if (std::exchange(*answered, true))
            return;
        if (timer)
            timer->deleteLater();
        answer(r);
    };
    connect(timer, &QTimer::timeout, this, [this, once] {
        const int seconds = (m_timeoutMs + 999) / 1000;
        once({SecretBackend::Status::Unavailable,
              {},
              tr("The keychain did not answer within %Ln second(s).", nullptr, seconds)});
    });
    timer->start(m_timeoutMs);
    call([this, once](const SecretBackend::Result &r) {
        // A backend may answer inside the call; callers are promised an answer from the loop.
        QMetaObject::invokeMethod(
            this, [once, r] { once(r); }, Qt::QueuedConnection);
    });
}

void SecretStore::fallBackToSession(const QString &detail)
{
    if (!m_persistent)
        return;
    m_persistent = false;
    qCWarning(lcSecrets).noquote() << "No keychain service; API keys are kept for this session "
                                      "only. The keychain said:"
                                   << detail;
    Q_EMIT keychainUnavailable(sessionOnlyMessage());
}

void SecretStore::readKey(const QString &profileId, QObject *context, Callback done)
{
    done = guarded(context, std::move(done));
    if (const auto it = m_session.constFind(profileId); it != m_session.cend())
        return deliver(std::move(done), {true, *it, SecretResult::Source::Session, {}});
    if (!m_persistent)
        return deliver(std::move(done), {true, {}, SecretResult::Source::None, {}});

    callBackend(
        [this, profileId](auto answer) { m_backend->read(profileId, answer); },
        [this, profileId, done = std::move(done)](const SecretBackend::Result &r) {
            using Status = SecretBackend::Status;
            // A write that fell back while this read was on its way wins.
            if (const auto it = m_session.constFind(profileId); it != m_session.cend())
                return done({true, *it, SecretResult::Source::Session, {}});
            switch (r.status) {
            case Status::Ok:
                return done({true, r.secret, SecretResult::Source::Keychain, {}});
            case Status::NotFound:
                return done({true, {}, SecretResult::Source::None, {}});
            case Status::Unavailable:
                fallBackToSession(r.detail);
                return done({true, {}, SecretResult::Source::None, sessionOnlyMessage()});
            case Status::Failed:
                break;
            }
            qCWarning(lcSecrets).noquote()
                << "The keychain refused to give a key:" << redacted(r.detail, r.secret);
            done({false,
                  {},
                  SecretResult::Source::None,
                  tr("The keychain did not give the key: %1").arg(redacted(r.detail, r.secret))});
        });
}

void SecretStore::writeKey(const QString &profileId, const QString &key, QObject *context,
                           Callback done)
{
    if (key.isEmpty())
        return removeKey(profileId, context, std::move(done));
    done = guarded(context, std::move(done));
    if (!m_persistent) {
        m_session.insert(profileId, key);
        return deliver(std::move(done),
                       {true, {}, SecretResult::Source::Session, sessionOnlyMessage()});
    }

    callBackend(
        [this, profileId, key](auto answer) { m_backend->write(profileId, key, answer); },
        [this, profileId, key, done = std::move(done)](const SecretBackend::Result &r) {
            using Status = SecretBackend::Status;
            switch (r.status) {
            case Status::Ok:
                m_session.remove(profileId);
                return done({true, {}, SecretResult::Source::Keychain, {}});
            case Status::Unavailable:
                fallBackToSession(redacted(r.detail, key));
                m_session.insert(profileId, key);
                return done({true, {}, SecretResult::Source::Session, sessionOnlyMessage()});
            case Status::NotFound:
            case Status::Failed:
                break;
            }
            // The keychain works but would not take this key (locked, access denied):
            // the user can still chat now, and is told it will not be remembered.
            const QString detail = redacted(r.detail, key);
            qCWarning(lcSecrets).noquote() << "The keychain refused a key:" << detail;
            m_session.insert(profileId, key);
            done({true,
                  {},
                  SecretResult::Source::Session,
                  tr("The keychain refused to store the key (%1): it is kept for this "
                     "session only.")
                      .arg(detail)});
        });
}

void SecretStore::removeKey(const QString &profileId, QObject *context, Callback done)
{
    done = guarded(context, std::move(done));
    m_session.remove(profileId);
    if (!m_persistent)
        return deliver(std::move(done), {true, {}, SecretResult::Source::None, {}});

    callBackend([this, profileId](auto answer) { m_backend->remove(profileId, answer); },
                [this, done = std::move(done)](const SecretBackend::Result &r) {
                    using Status = SecretBackend::Status;
                    switch (r.status) {
                    case Status::Ok:
                    case Status::NotFound:
                        return done({true, {}, SecretResult::Source::None, {}});
                    case Status::Unavailable:
                        fallBackToSession(r.detail);
                        return done({true, {}, SecretResult::Source::None, sessionOnlyMessage()});
                    case Status::Failed:
                        break;
                    }
                    qCWarning(lcSecrets).noquote()
                        << "The keychain refused to remove a key:" << r.detail;
                    done({false,
                          {},
                          SecretResult::Source::None,
                          tr("The key could not be removed from the keychain: %1").arg(r.detail)});
                });
}

void SecretStore::resolveKey(const Profile &profile, QObject *context, Callback done)
{
    if (profile.isDemo) {
        return deliver(guarded(context, std::move(done)),
                       {true, {}, SecretResult::Source::None, {}});
    }
    if (!profile.apiKeyEnv.isEmpty()) {
        // Trimmed: a key pasted with `export KEY=$(cat file)` often ends with a newline.
        const QString key =
            qEnvironmentVariable(profile.apiKeyEnv.toLocal8Bit().constData()).trimmed();
        if (!key.isEmpty()) {
            return deliver(guarded(context, std::move(done)),
                           {true, key, SecretResult::Source::Environment, {}});
        }
    }
    readKey(profile.id, context, std::move(done));
}

QString SecretStore::headersAccount(const QString &profileId)
{
    return profileId + QStringLiteral("/headers");
}

void SecretStore::writeHeaderSecrets(const Profile &profile, QObject *context, Callback done)
{
    QList<HttpHeader> secrets;
    bool keepsStoredValue = false;
    for (const HttpHeader &header : profile.extraHeaders) {
        if (header.isSecret()) {
            secrets.append(header);
            keepsStoredValue = keepsStoredValue || header.value.isEmpty();
        }
    }
    const QString account = headersAccount(profile.id);
    // An empty entry removes the stored one (writeKey).
    if (!keepsStoredValue)
        return writeKey(account, encodeHeaderValues(secrets), context, std::move(done));

    done = guarded(context, std::move(done));
    readKey(account, nullptr,
            [this, account, secrets, done = std::move(done)](const SecretResult &stored) mutable {
                if (!stored.ok) // what is stored cannot be read, so it is left as it is
                    return done({false, {}, SecretResult::Source::None, stored.message, {}});
                QList<HttpHeader> previous = decodeHeaderValues(stored.key);
                for (HttpHeader &header : secrets) {
                    if (header.value.isEmpty())
                        header.value = takeValue(previous, header.name).value_or(QString());
                }
                writeKey(account, encodeHeaderValues(secrets), nullptr, std::move(done));
            });
}

void SecretStore::resolveSecrets(const Profile &profile, QObject *context, Callback done)
{
    done = guarded(context, std::move(done));
    resolveKey(profile, nullptr, [this, profile, done = std::move(done)](SecretResult result) {
        result.headers = profile.extraHeaders;
        if (!profile.hasSecretHeaders())
            return done(result);
        readKey(headersAccount(profile.id), nullptr,
                [done, result = std::move(result)](const SecretResult &stored) mutable {
                    QList<HttpHeader> values =
                        stored.ok ? decodeHeaderValues(stored.key) : QList<HttpHeader>();
                    if (!stored.ok)
                        result.ok = false;
                    appendSentence(result.message, stored.message);
                    for (HttpHeader &header : result.headers) {
                        if (!header.isSecret())
                            continue;
                        if (std::optional<QString> value = takeValue(values, header.name))
                            header.value = std::move(*value);
                        if (header.value.isEmpty() && stored.ok) {
                            result.ok = false;
                            appendSentence(result.message,
                                           tr("The keychain has no value for the header “%1”: "
                                              "enter it again in the connection profile.")
                                               .arg(header.name));
                        }
                    }
                    done(result);
                });
    });
}

void SecretStore::removeSecrets(const QString &profileId, QObject *context, Callback done)
{
    done = guarded(context, std::move(done));
    removeKey(
        profileId, nullptr, [this, profileId, done = std::move(done)](const SecretResult &key) {
            removeKey(headersAccount(profileId), nullptr, [key, done](const SecretResult &headers) {
                done(key.ok ? headers : key); // the first failure, if any
            });
        });
}

} // namespace qalam
