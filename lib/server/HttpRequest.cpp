#include "server/HttpRequest.h"

#include <algorithm>

namespace qalam::server {

QByteArray HttpRequest::value(QByteArrayView name) const
{
    for (const auto &[key, headerValue] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return headerValue;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    return std::any_of(headers.cbegin(), headers.cend(), [name](const auto &header) {
        return QByteArrayView(header.first).compare(name, Qt::CaseInsensitive) == 0;
    });
}

QUrl HttpRequest::url() const
{
    QUrl url = QUrl::fromEncoded(target);
    if (url.isRelative())
        return url;
    QUrl local;
    local.setPath(url.path(QUrl::FullyEncoded), QUrl::TolerantMode);
    local.setQuery(url.query(QUrl::FullyEncoded), QUrl::TolerantMode);
    return local;
}

bool HttpRequest::keepAlive() const
{
    const QByteArray connection = value("Connection").toLower();
    const auto says = [&connection](QByteArrayView token) {
        const QList<QByteArray> parts = connection.split(',');
        return std::any_of(parts.cbegin(), parts.cend(),
                           [token](const QByteArray &part) { return part.trimmed() == token; });
    };
    if (minorVersion == 0)
        return says("keep-alive");
    return !says("close");
}

} // namespace qalam::server
