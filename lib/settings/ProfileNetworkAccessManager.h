// ProfileNetworkAccessManager: a QNetworkAccessManager whose every request carries one
// profile's TLS configuration.
//
// ChatStream and SseConsumer build their QNetworkRequests themselves; giving them this manager
// is how a profile's extra CA (and VerifyPeer) reaches those requests without any change to
// lib/sse or lib/chat. Use one manager per profile, configured with NetworkSetup.
#pragma once

#include <QNetworkAccessManager>
#include <QSslConfiguration>

#include <optional>

namespace qalam {

struct Profile;
struct ProxySettings;

class ProfileNetworkAccessManager : public QNetworkAccessManager
{
    Q_OBJECT

public:
    explicit ProfileNetworkAccessManager(QObject *parent = nullptr);

    // Proxy and TLS for `profile`. On failure (a manual proxy without host or port, a CA file
    // that cannot be used) returns why, translated, and requests keep the previous settings.
    QString configure(const Profile &profile, const ProxySettings &proxy);

    // Applied to every request from now on; nothing: Qt's default configuration.
    void setSslConfiguration(const std::optional<QSslConfiguration> &configuration);
    const std::optional<QSslConfiguration> &sslConfiguration() const { return m_ssl; }

protected:
    QNetworkReply *createRequest(Operation operation, const QNetworkRequest &request,
                                 QIODevice *outgoingData) override;

private:
    std::optional<QSslConfiguration> m_ssl;
};

} // namespace qalam
