// QtKeychainBackend: API keys in the OS keychain through QtKeychain (Secret Service or KWallet
// on Linux, Keychain on macOS, Credential Manager on Windows).
#pragma once

#include "settings/SecretBackend.h"

namespace qalam {

class QtKeychainBackend final : public SecretBackend
{
    Q_OBJECT

public:
    explicit QtKeychainBackend(const QString &service, QObject *parent = nullptr);

    void read(const QString &account, Callback done) override;
    void write(const QString &account, const QString &secret, Callback done) override;
    void remove(const QString &account, Callback done) override;

private:
    QString m_service;
};

} // namespace qalam
