#include "sse/HttpRedirect.h"

namespace qalam {

namespace {

int effectivePort(const QUrl &url)
{
    return url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
}

bool isHttp(const QUrl &url)
{
    return url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https");
}

} // namespace

bool HttpRedirect::isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool HttpRedirect::sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           effectivePort(a) == effectivePort(b);
}

HttpRedirect::Result HttpRedirect::follow(const SseRequest &request, int status,
                                          QByteArrayView location)
{
    Result result;
    const QByteArray raw = location.trimmed().toByteArray();
    // Location is a URI reference, relative to the URL that was redirected; a fragment of the
    // original URL is kept when the target has none (RFC 9110, 10.2.2).
    const QUrl relative = QUrl::fromEncoded(raw);
    if (raw.isEmpty() || !relative.isValid()) {
        result.error =
            tr("the server answered HTTP %1 without a valid Location to redirect to").arg(status);
        return result;
    }
    QUrl target = request.url.resolved(relative);
    if (!target.hasFragment() && request.url.hasFragment())
        target.setFragment(request.url.fragment());
    const QString shown = target.toDisplayString(QUrl::RemoveUserInfo);
    if (!isHttp(target)) {
        result.error =
            tr("the server redirected to %1, which is not an http or https URL").arg(shown);
        return result;
    }
    if (request.url.scheme() == QLatin1String("https") &&
        target.scheme() == QLatin1String("http")) {
        result.error = tr("the server redirected from https to %1, an unencrypted http URL; "
                          "Qalam does not follow a redirect that drops encryption")
                           .arg(shown);
        return result;
    }
    const bool keepsMethod = status == 307 || status == 308;
    if (!keepsMethod && request.method != "GET") {
        result.error = tr("the server redirected the %1 request with HTTP %2 to %3; following it "
                          "would send a GET without the question, so it was not followed")
                           .arg(QString::fromLatin1(request.method))
                           .arg(status)
                           .arg(shown);
        return result;
    }

    SseRequest next = request;
    next.url = target;
    result.crossOrigin = !sameOrigin(request.url, target);
    if (result.crossOrigin) {
        next.headers.clear();
        for (const auto &header : request.headers) {
            if (request.isSecretHeader(header.first))
                result.droppedHeaders.append(header.first);
            else
                next.headers.append(header);
        }
        // Credentials in the URL itself belong to the old origin too.
        next.url.setUserInfo({});
    }
    result.next = std::move(next);
    return result;
}

} // namespace qalam
