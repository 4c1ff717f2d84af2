// HttpRedirect: the request that follows a redirect response, or why there is none. Pure, so
// every rule is tested without a server.
//
// Qalam follows redirects itself (QNetworkAccessManager's own following is off): Qt 6.4 copies
// every header onto the redirected request, credentials included, even to another origin, and
// it cannot follow a 307/308 with a body that must not be resent by Qt behind our back. The
// rules are curl's and the browsers':
//   - 307/308 keep the method and the body; 301/302/303 turn a GET into a GET, and a POST into a
//     failure: silently becoming a body-less GET would ask the server something else;
//   - https -> http and non-http(s) targets are refused;
//   - a hop to another origin (scheme, host or port) drops Authorization, Proxy-Authorization,
//     Cookie and every header the request marks secret; same-origin hops keep them.
#pragma once

#include "sse/SseRequest.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace qalam {

class HttpRedirect
{
    Q_DECLARE_TR_FUNCTIONS(qalam::HttpRedirect)

public:
    // True for the statuses that carry a Location to follow: 301, 302, 303, 307, 308.
    static bool isRedirect(int status);

    struct Result
    {
        std::optional<SseRequest> next;   // the request for the next hop
        QString error;                    // otherwise why not, for people (translated)
        bool crossOrigin = false;         // the hop leaves the request's origin
        QList<QByteArray> droppedHeaders; // secret headers not sent to the new origin
    };

    // The next hop for `request` after `status` with `location` (the raw Location value).
    static Result follow(const SseRequest &request, int status, QByteArrayView location);

    // Scheme, host and port (default ports made explicit) are equal.
    static bool sameOrigin(const QUrl &a, const QUrl &b);
};

} // namespace qalam
