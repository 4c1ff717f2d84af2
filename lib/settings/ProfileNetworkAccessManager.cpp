#include "settings/ProfileNetworkAccessManager.h"

#include "settings/NetworkSetup.h"
#include "settings/Preferences.h"
#include "settings/Profile.h"

namespace qalam {

ProfileNetworkAccessManager::ProfileNetworkAccessManager(QObject *parent)
    : QNetworkAccessManager(parent)
{}

QString ProfileNetworkAccessManager::configure(const Profile &profile, const ProxySettings &proxy)
{
    // Check both before changing either, so a failure leaves the manager as it was.
    if (QString error = NetworkSetup::checkProxy(proxy); !error.isEmpty())
        return error;
    QString error;
    std::optional<QSslConfiguration> ssl = NetworkSetup::sslConfiguration(profile, &error);
    if (!ssl)
        return error;
    NetworkSetup::applyProxy(*this, proxy);
    m_ssl = std::move(ssl);
    return {};
}

void ProfileNetworkAccessManager::setSslConfiguration(
    const std::optional<QSslConfiguration> &configuration)
{
    m_ssl = configuration;
}

QNetworkReply *ProfileNetworkAccessManager::createRequest(Operation operation,
                                                          const QNetworkRequest &request,
                                                          QIODevice *outgoingData)
{
    if (!m_ssl)
        return QNetworkAccessManager::createRequest(operation, request, outgoingData);
    QNetworkRequest withTls(request);
    NetworkSetup::applyTls(withTls, *m_ssl);
    return QNetworkAccessManager::createRequest(operation, withTls, outgoingData);
}

} // namespace qalam
