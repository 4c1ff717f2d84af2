// HttpRequest: one HTTP/1.x request as the demo server received it (a value; no socket).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

namespace qalam::server {

class HttpRequest
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    QByteArray method;    // as sent, e.g. "GET"
    QByteArray target;    // the request-target as sent, e.g. "/health?x=1"
    int minorVersion = 1; // HTTP/1.<minor>
    Headers headers;      // names as sent, values without surrounding whitespace
    QByteArray body;      // de-chunked
    QHostAddress remoteAddress;

    // The value of the first header named `name` (any case); empty when there is none.
    QByteArray value(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    // Path and query of the target (an absolute-form target keeps only those).
    QUrl url() const;
    QString path() const { return url().path(); }
    QUrlQuery query() const { return QUrlQuery(url()); }
    // Whether the connection may carry another request after this one's response.
    bool keepAlive() const;
};

} // namespace qalam::server
