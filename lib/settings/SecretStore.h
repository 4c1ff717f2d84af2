// SecretStore: a profile's API key and the values of its secret headers, kept in the OS keychain
// and nowhere else.
//
// Keys are stored under the service "Qalam" with the profile's id as the account. The values of
// a profile's secret headers (HttpHeader::isSecret()) are one more entry of the same service,
// account "<profile id>/headers" (headersAccount(); ids are UUIDs, so it is never another
// profile's key), holding all of them as a JSON array of {"name", "value"} objects in the
// profile's order: one read when the profile is used, one entry to remove with it. When no
// keychain service is running (no D-Bus session, no Secret Service) or it does not answer in
// time, the store says so once (keychainUnavailable) and keeps keys in memory for this session
// only; a keychain that refuses one key gets the same fallback for that key. A key is never
// written to QSettings, never logged and never part of a message.
//
// For a request, resolveKey() prefers the environment variable the profile names (when set and
// not empty) over the stored key; resolveSecrets() adds the secret header values. Header values
// get the same fallbacks and the same messages as keys.
#pragma once

#include "settings/Profile.h"
#include "settings/SecretBackend.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>

namespace qalam {

// The outcome of one SecretStore call.
struct SecretResult
{
    enum class Source {
        None,        // no key (none stored, or the demo, which needs none)
        Environment, // the variable named in the profile
        Keychain,    // the OS keychain
        Session,     // memory only: gone when the app quits
    };

    bool ok = false;              // false: the call failed, `message` says why
    QString key;                  // reads: the key, empty when there is none
    Source source = Source::None; // reads: where the key came from; writes: where it went
    QString message; // for people, translated, never containing the key; also set when `ok`
                     // for a notice such as "kept for this session only"
    QList<HttpHeader> headers = {}; // resolveSecrets(): the profile's headers, secret values in
};

class SecretStore : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const SecretResult &)>;
    static constexpr int defaultTimeoutMs = 3000;

    // The OS keychain through QtKeychain.
    explicit SecretStore(QObject *parent = nullptr);
    explicit SecretStore(std::unique_ptr<SecretBackend> backend, QObject *parent = nullptr);
    ~SecretStore() override;

    static QString serviceName() { return QStringLiteral("Qalam"); }

    // A keychain call not answered within this time counts as "no keychain service".
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    int timeout() const { return m_timeoutMs; }

    // False once the keychain has been found missing (keys then last for the session only);
    // true before the first keychain call, which is when that is found out.
    bool isPersistent() const { return m_persistent; }
    QString sessionOnlyMessage() const;

    // Every call answers exactly once through `done`, always later from the event loop, unless
    // the store or `context` (when given) is destroyed first.
    void readKey(const QString &profileId, QObject *context, Callback done);
    // An empty key removes the stored one.
    void writeKey(const QString &profileId, const QString &key, QObject *context, Callback done);
    void removeKey(const QString &profileId, QObject *context, Callback done);
    // The key to send for `profile`: its environment variable, else the stored key.
    void resolveKey(const Profile &profile, QObject *context, Callback done);

    // The keychain account of a profile's secret header values.
    static QString headersAccount(const QString &profileId);
    // Stores the values of `profile`'s secret headers; afterwards the entry holds those only (no
    // secret header left: it is removed). An empty value keeps the value already stored for a
    // header of that name, so an editor that never shows stored values can save a profile
    // without retyping them. `key` of the result is always empty.
    void writeHeaderSecrets(const Profile &profile, QObject *context, Callback done);
    // Everything a request of `profile` needs from here: `key` as resolveKey() gives it, and
    // `headers`, the profile's extra headers with each secret value from the keychain (when it
    // has none, the profile's own value stays: a file of an earlier version may hold one). A
    // secret header left without a value makes the result not `ok`, with a message naming it.
    void resolveSecrets(const Profile &profile, QObject *context, Callback done);
    // Removes a profile's key and secret header values (after ProfileStore::removeProfile).
    void removeSecrets(const QString &profileId, QObject *context, Callback done);

Q_SIGNALS:
    // Emitted once, the first time the keychain is found missing; `message` is for the user.
    void keychainUnavailable(const QString &message);

private:
    using BackendCall = std::function<void(SecretBackend::Callback)>;
    using BackendAnswer = std::function<void(const SecretBackend::Result &)>;

    void callBackend(const BackendCall &call, BackendAnswer answer);
    void deliver(Callback done, SecretResult result);
    void fallBackToSession(const QString &detail);
    static Callback guarded(QObject *context, Callback done);

    std::unique_ptr<SecretBackend> m_backend;
    QHash<QString, QString> m_session; // keys the keychain could not keep, by profile id
    int m_timeoutMs = defaultTimeoutMs;
    bool m_persistent = true;
};

} // namespace qalam
