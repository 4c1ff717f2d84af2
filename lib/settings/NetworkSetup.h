// NetworkSetup: the proxy preference and a profile's TLS trust, applied to Qt's network classes.
//
// Everything is per QNetworkAccessManager or per request; nothing here changes Qt's global
// proxy factory or default SSL configuration, so two profiles (or a test) never disturb each
// other. TLS peer verification is always on: a profile may add one trusted CA file, never turn
// checking off.
#pragma once

#include "settings/Preferences.h"

#include <QCoreApplication>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>

#include <optional>

class QNetworkAccessManager;
class QNetworkRequest;

namespace qalam {

struct Profile;

class NetworkSetup
{
    Q_DECLARE_TR_FUNCTIONS(qalam::NetworkSetup)

public:
    // System: the manager gets a proxy factory of its own that asks the system (on Linux the
    // http_proxy/https_proxy/no_proxy variables) for each request. None: direct connections.
    // Manual: an HTTP or SOCKS5 proxy at host:port. An incomplete manual proxy leaves the
    // manager unchanged and returns why (translated); otherwise returns an empty string.
    static QString applyProxy(QNetworkAccessManager &manager, const ProxySettings &proxy);
    // The reason a manual proxy cannot be used, or an empty string.
    static QString checkProxy(const ProxySettings &proxy);

    // The certificates of a PEM file. None when the file is missing, unreadable or holds no PEM
    // certificate; *error (when given) then says which, for people.
    static QList<QSslCertificate> loadCaCertificates(const QString &path, QString *error = nullptr);

    // The TLS configuration for a profile's connections: VerifyPeer, the system's CAs, plus
    // the profile's CA file when it names one. Nothing when that file cannot be used (*error
    // says why): connecting anyway would only fail later with a less helpful TLS error.
    static std::optional<QSslConfiguration> sslConfiguration(const Profile &profile,
                                                             QString *error = nullptr);

    // For code that builds its own requests; ProfileNetworkAccessManager does this for every
    // request it sends (SseConsumer's and ChatStream's included).
    static void applyTls(QNetworkRequest &request, const QSslConfiguration &configuration);
};

} // namespace qalam
