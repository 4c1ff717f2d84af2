#include "BackendSwitcher.h"

#include "ProfileChatRequest.h"
#include "server/DemoServer.h"
#include "session/ConversationSession.h"
#include "settings/ProfileNetworkAccessManager.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"

namespace qalam {

namespace {

SseConsumer::Options transportOptions()
{
    SseConsumer::Options options;
    options.minRetryMs = 250;
    options.initialRetryMs = 1000;
    return options;
}

} // namespace

BackendSwitcher::BackendSwitcher(ConversationSession *session, const ProfileStore *profiles,
                                 std::unique_ptr<SecretBackend> keychain, int demoTokensPerSecond,
                                 QObject *parent)
    : QObject(parent), m_session(session), m_profiles(profiles),
      m_secrets(std::make_unique<SecretStore>(std::move(keychain))),
      m_demoTokensPerSecond(demoTokensPerSecond), m_status([] { return QString(); })
{}

BackendSwitcher::~BackendSwitcher() = default;

bool BackendSwitcher::startDemoServer(QString *error)
{
    if (m_demoServer)
        return true;
    server::DemoServer::Options options;
    if (m_demoTokensPerSecond > 0)
        options.tokensPerSecond = m_demoTokensPerSecond;
    auto demoServer = std::make_unique<server::DemoServer>(options);
    if (!demoServer->listen()) {
        *error = tr("Cannot start the offline demo server: %1").arg(demoServer->errorString());
        return false;
    }
    m_demoServer = std::move(demoServer);
    return true;
}

void BackendSwitcher::apply(const Profile &profile)
{
    const quint64 applied = ++m_applied;
    m_profile = profile;
    m_ready = false;
    m_session->setProfileName(profile.name);
    Q_EMIT profileChanged(profile);

    if (profile.isDemo) {
        QString error;
        if (!startDemoServer(&error)) {
            setState(false, [error] { return error; });
            return;
        }
        m_session->setNetworkAccessManager(nullptr);
        m_session->setBackend(ChatProtocol::Kind::AdminStream,
                              makeChatRequest(profile, QString(), {}, m_demoServer->url()),
                              transportOptions());
        setState(true, [] { return tr("Ready (offline demo)"); });
        return;
    }

    // A new manager per profile: its proxy and TLS settings (the profile's extra CA) apply to
    // every request of the answers asked through it.
    if (m_network)
        m_retiredNetworks.push_back(std::move(m_network));
    m_network = std::make_unique<ProfileNetworkAccessManager>();
    const QString networkError = m_network->configure(profile, m_profiles->preferences().proxy);
    if (!networkError.isEmpty()) {
        setState(false, [networkError] { return tr("Error: %1").arg(networkError); });
        return;
    }
    setState(false, [] { return tr("Looking up the API key…"); });
    // The key and the secret header values, which the profile never holds.
    m_secrets->resolveSecrets(profile, this, [this, applied, profile](const SecretResult &result) {
        if (applied != m_applied)
            return; // another profile (or this one, changed) was applied meanwhile
        Profile resolved = profile;
        resolved.extraHeaders = result.headers;
        m_session->setNetworkAccessManager(m_network.get());
        m_session->setBackend(profile.protocol, makeChatRequest(resolved, result.key, {}),
                              transportOptions());
        const QString message = result.message;
        setState(true, [ok = result.ok, message] { return ok ? tr("Ready") : message; });
    });
}

void BackendSwitcher::setState(bool ready, std::function<QString()> status)
{
    m_ready = ready;
    m_status = std::move(status);
    Q_EMIT stateChanged();
}

} // namespace qalam
