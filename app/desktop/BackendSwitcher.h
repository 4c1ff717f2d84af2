// BackendSwitcher: where new answers come from. Applying a profile goes profile -> network
// manager (its proxy and TLS) -> secrets (the key and the secret header values, from the
// keychain or the environment) -> ChatRequest -> the session's backend. The demo profile goes to
// the embedded demo server instead, started in-process on loopback the first time it is needed.
//
// Answers already streaming keep the backend they started with; only new ones use the new
// profile. So a replaced network manager, which may still carry answers in the background, is
// kept until the switcher goes, and the switcher (with the demo server) must outlive the session.
#pragma once

#include "settings/Profile.h"

#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace qalam {

class ConversationSession;
class ProfileNetworkAccessManager;
class ProfileStore;
class SecretBackend;
class SecretStore;
namespace server {
class DemoServer;
}

class BackendSwitcher : public QObject
{
    Q_OBJECT

public:
    // The session and the profiles (for the proxy preference) are not owned and must outlive
    // the switcher. `keychain` is where the SecretStore keeps keys (QtKeychainBackend in the
    // app, a memory one in tests); `demoTokensPerSecond` 0 is the demo server's own pace.
    BackendSwitcher(ConversationSession *session, const ProfileStore *profiles,
                    std::unique_ptr<SecretBackend> keychain, int demoTokensPerSecond = 0,
                    QObject *parent = nullptr);
    ~BackendSwitcher() override;

    SecretStore *secrets() const { return m_secrets.get(); }
    const Profile &profile() const { return m_profile; }
    // True once the current profile's secrets have been looked up and answers can be asked for.
    bool isReady() const { return m_ready; }
    // The backend's state for people, in the current language.
    QString statusText() const { return m_status(); }

    // Starts the demo server unless it runs already; false, with *error set, if it cannot.
    bool startDemoServer(QString *error);
    // Switches every new answer to `profile`; isReady() until its secrets are known.
    void apply(const Profile &profile);

Q_SIGNALS:
    // apply() took `profile`: it is the current one from now on.
    void profileChanged(const qalam::Profile &profile);
    // isReady() or statusText() changed.
    void stateChanged();

private:
    void setState(bool ready, std::function<QString()> status);

    ConversationSession *m_session;
    const ProfileStore *m_profiles;
    std::unique_ptr<SecretStore> m_secrets;
    int m_demoTokensPerSecond;
    std::unique_ptr<server::DemoServer> m_demoServer;
    std::unique_ptr<ProfileNetworkAccessManager> m_network;
    std::vector<std::unique_ptr<ProfileNetworkAccessManager>> m_retiredNetworks;
    Profile m_profile;
    quint64 m_applied =
        0; // apply() calls so far: a late secrets lookup for an earlier one is dropped
    bool m_ready = false;
    std::function<QString()> m_status;
};

} // namespace qalam
