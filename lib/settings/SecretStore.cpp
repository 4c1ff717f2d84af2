#include "SecretStore.h"

#include "Profile.h"
#include "QtKeychainBackend.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

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

} // namespace qalam
