// SecretBackend: where SecretStore keeps API keys that outlive the session. The real one is
// QtKeychainBackend (the OS keychain); the tests' MemorySecretBackend (tests/common) stands in
// for it and can play a keychain that is missing, refusing or silent.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace qalam {

class SecretBackend : public QObject
{
    Q_OBJECT

public:
    enum class Status {
        Ok,
        NotFound,    // read or remove: there is no entry for the account
        Unavailable, // no keychain service (or none reachable): fall back to the session
        Failed,      // the keychain is there but refused (locked, access denied)
    };

    struct Result
    {
        Status status = Status::Failed;
        QString secret; // reads that succeeded only
        QString detail; // the keychain's own explanation, for logs and messages; never a secret
    };

    using Callback = std::function<void(const Result &)>;

    using QObject::QObject;

    // Each call answers at most once through `done`, normally later from the event loop, and
    // never after the backend is destroyed. A backend may also never answer (a hung keychain
    // daemon); SecretStore puts a timeout on every call.
    virtual void read(const QString &account, Callback done) = 0;
    virtual void write(const QString &account, const QString &secret, Callback done) = 0;
    virtual void remove(const QString &account, Callback done) = 0;
};

} // namespace qalam
