// SseRequest: what one event stream is asked for, as a value. Kept apart from SseConsumer so the
// pure protocol adapters (lib/chat) can build requests without pulling in the QObject consumer.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace qalam {

struct SseRequest
{
    QUrl url;
    QByteArray method = "GET"; // GET or POST
    QByteArray body;           // sent with POST
    QList<QPair<QByteArray, QByteArray>> headers;
    // Names of headers in `headers` that carry credentials: with Authorization,
    // Proxy-Authorization, Cookie and the default secret names (isSecretHeader), they are sent
    // only to the origin of `url` and dropped on a redirect to another origin, as curl and
    // browsers do.
    QList<QByteArray> secretHeaders;
    QString lastEventId; // resume a stream whose events up to this id were already received

    // True for headers that are never sent across origins whatever the caller marked:
    // Authorization, Proxy-Authorization, Cookie, X-Api-Key and Api-Key (case-insensitive).
    static bool isAlwaysSecret(QByteArrayView name);
    // Always secret, or named in secretHeaders.
    bool isSecretHeader(QByteArrayView name) const;
};

} // namespace qalam
