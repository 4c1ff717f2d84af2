#include "settings/NetworkSetup.h"

#include "settings/Profile.h"

#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QNetworkRequest>

namespace qalam {

namespace {

// Asks the system for every query, like QNetworkProxyFactory::setUseSystemConfiguration(true)
// does, but for one manager only: that call swaps the process-wide application proxy factory.
class SystemProxyFactory final : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        return systemProxyForQuery(query);
    }
};

// A CA file is a few kilobytes; a bound keeps a wrong path (a disk image, /dev/zero) from
// being read whole.
constexpr qint64 maxCaFileBytes = 4 * 1024 * 1024;

} // namespace

QString NetworkSetup::checkProxy(const ProxySettings &proxy)
{
    if (proxy.mode != ProxySettings::Mode::Manual)
        return {};
    if (proxy.host.trimmed().isEmpty())
        return tr("The manual proxy needs a host name.");
    if (proxy.host.contains(QLatin1Char(':')) && !proxy.host.startsWith(QLatin1Char('[')) &&
        proxy.host.count(QLatin1Char(':')) == 1) {
        return tr("Enter the proxy's port in the port field, not after the host name.");
    }
    if (proxy.port == 0)
        return tr("The manual proxy needs a port between 1 and 65535.");
    return {};
}

QString NetworkSetup::applyProxy(QNetworkAccessManager &manager, const ProxySettings &proxy)
{
    switch (proxy.mode) {
    case ProxySettings::Mode::System:
        // Takes ownership; the manager's own proxy goes back to DefaultProxy (use the factory).
        manager.setProxyFactory(new SystemProxyFactory);
        return {};
    case ProxySettings::Mode::None:
        // setProxy() also deletes a factory set before, so "none" really means none.
        manager.setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
        return {};
    case ProxySettings::Mode::Manual:
        if (QString error = checkProxy(proxy); !error.isEmpty())
            return error;
        manager.setProxy(QNetworkProxy(proxy.type == ProxySettings::Type::Socks5
                                           ? QNetworkProxy::Socks5Proxy
                                           : QNetworkProxy::HttpProxy,
                                       proxy.host.trimmed(), proxy.port));
        return {};
    }
    return {};
}

QList<QSslCertificate> NetworkSetup::loadCaCertificates(const QString &path, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return QList<QSslCertificate>();
    };
    const QFileInfo info(path);
    if (!info.exists())
        return fail(tr("The CA certificate file “%1” does not exist.").arg(path));
    if (!info.isFile())
        return fail(tr("The CA certificate file “%1” cannot be read: it is not a file.").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(
            tr("The CA certificate file “%1” cannot be read: %2").arg(path, file.errorString()));
    }
    if (file.size() > maxCaFileBytes)
        return fail(tr("The CA certificate file “%1” is too large to be a certificate.").arg(path));
    QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    // fromData() skips blocks it cannot parse; a file whose only block is broken gives nothing
    // or a null certificate.
    if (certificates.isEmpty() ||
        std::any_of(certificates.cbegin(), certificates.cend(),
                    [](const QSslCertificate &certificate) { return certificate.isNull(); })) {
        return fail(
            tr("The CA certificate file “%1” does not contain a valid PEM certificate.").arg(path));
    }
    return certificates;
}

std::optional<QSslConfiguration> NetworkSetup::sslConfiguration(const Profile &profile,
                                                                QString *error)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (profile.caCertificatePath.isEmpty())
        return configuration;

    const QList<QSslCertificate> extra = loadCaCertificates(profile.caCertificatePath, error);
    if (extra.isEmpty())
        return std::nullopt;
    // The default configuration's CA list is empty where Qt loads system roots on demand, and
    // setting any list turns that loading off; so the system roots are listed explicitly, or
    // the extra CA would replace them instead of adding to them.
    QList<QSslCertificate> authorities = configuration.caCertificates();
    if (authorities.isEmpty())
        authorities = QSslConfiguration::systemCaCertificates();
    for (const QSslCertificate &certificate : extra) {
        if (!authorities.contains(certificate))
            authorities.append(certificate);
    }
    configuration.setCaCertificates(authorities);
    return configuration;
}

void NetworkSetup::applyTls(QNetworkRequest &request, const QSslConfiguration &configuration)
{
    request.setSslConfiguration(configuration);
}

} // namespace qalam
