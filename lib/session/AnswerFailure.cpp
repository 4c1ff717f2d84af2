#include "session/AnswerFailure.h"

#include <QRegularExpression>
#include <QUrl>

#include <array>
#include <utility>

namespace qalam {

namespace {

// A translatable template ("Host %1 not found") as a pattern that matches any filling of it.
QRegularExpression templatePattern(const QString &text)
{
    QString pattern = QRegularExpression::escape(text);
    static const QRegularExpression placeholder(QStringLiteral("%(\\d|n)"));
    pattern.replace(placeholder, QStringLiteral(".*"));
    return QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
}

// The text in the current translation or in English (the one it was written in at failure time
// is one of them: a translation is loaded before any answer starts).
bool says(const QString &text, const char *context, const char *source)
{
    const QString translated = QCoreApplication::translate(context, source);
    return templatePattern(translated).match(text).hasMatch() ||
           templatePattern(QString::fromLatin1(source)).match(text).hasMatch();
}

constexpr std::array kNames = {
    std::pair{AnswerFailure::Kind::Other, "other"},
    std::pair{AnswerFailure::Kind::ConnectionRefused, "connectionRefused"},
    std::pair{AnswerFailure::Kind::HostNotFound, "hostNotFound"},
    std::pair{AnswerFailure::Kind::TimedOut, "timedOut"},
    std::pair{AnswerFailure::Kind::KeyRefused, "keyRefused"},
    std::pair{AnswerFailure::Kind::NotFound, "notFound"},
    std::pair{AnswerFailure::Kind::RateLimited, "rateLimited"},
    std::pair{AnswerFailure::Kind::ServerError, "serverError"},
    std::pair{AnswerFailure::Kind::HttpStatus, "httpStatus"},
    std::pair{AnswerFailure::Kind::Certificate, "certificate"},
    std::pair{AnswerFailure::Kind::NoResponse, "noResponse"},
    std::pair{AnswerFailure::Kind::ConnectionLost, "connectionLost"},
};

} // namespace

AnswerFailure AnswerFailure::classify(const QString &text)
{
    AnswerFailure failure;
    // The transport writes statuses as "HTTP 401 Unauthorized" in every language.
    static const QRegularExpression status(QStringLiteral("\\bHTTP ([1-5]\\d\\d)\\b"));
    if (const QRegularExpressionMatch match = status.match(text); match.hasMatch()) {
        failure.httpStatus = match.captured(1).toInt();
        if (failure.httpStatus == 401 || failure.httpStatus == 403)
            failure.kind = Kind::KeyRefused;
        else if (failure.httpStatus == 404)
            failure.kind = Kind::NotFound;
        else if (failure.httpStatus == 429)
            failure.kind = Kind::RateLimited;
        else if (failure.httpStatus >= 500)
            failure.kind = Kind::ServerError;
        else
            failure.kind = Kind::HttpStatus;
        return failure;
    }
    if (says(text, "QHttp", "Connection refused"))
        failure.kind = Kind::ConnectionRefused;
    else if (says(text, "QHttp", "Host %1 not found"))
        failure.kind = Kind::HostNotFound;
    else if (says(text, "QAbstractSocket", "Socket operation timed out") ||
             says(text, "QAbstractSocket", "Connection timed out"))
        failure.kind = Kind::TimedOut;
    else if (says(text, "QHttp", "SSL handshake failed") ||
             text.contains(QLatin1String("certificate"), Qt::CaseInsensitive))
        failure.kind = Kind::Certificate;
    else if (says(text, "qalam::SseConsumer", "no response from the server within %1 s (%2)") ||
             says(text, "qalam::SseConsumer", "no data from the server for %1 s (%2)"))
        failure.kind = Kind::NoResponse;
    else if (says(text, "qalam::SseConsumer", "the server closed the connection") ||
             says(text, "qalam::SseConsumer", "the server ended the stream") ||
             says(text, "QHttp", "Connection closed"))
        failure.kind = Kind::ConnectionLost;
    return failure;
}

QString AnswerFailure::kindName(Kind kind)
{
    for (const auto &[known, name] : kNames) {
        if (known == kind)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("other");
}

AnswerFailure::Kind AnswerFailure::kindFromName(const QString &name)
{
    for (const auto &[kind, known] : kNames) {
        if (name == QLatin1String(known))
            return kind;
    }
    return Kind::Other;
}

QString AnswerFailure::title(const QString &endpoint) const
{
    const QString where = endpoint.isEmpty() ? tr("the server") : endpoint;
    switch (kind) {
    case Kind::ConnectionRefused:
        return tr("Could not connect to %1 — connection refused").arg(where);
    case Kind::HostNotFound:
        return tr("Could not find the server of %1 — check the URL").arg(where);
    case Kind::TimedOut:
        return tr("Could not reach %1 — the connection timed out").arg(where);
    case Kind::KeyRefused:
        return tr("The server refused the key (%1)").arg(httpStatus);
    case Kind::NotFound:
        return tr("Not found (404): check the URL %1").arg(where);
    case Kind::RateLimited:
        return tr("Too many requests (429): the server asks to wait");
    case Kind::ServerError:
        return tr("The server failed (%1)").arg(httpStatus);
    case Kind::HttpStatus:
        return tr("The server answered with status %1 instead of an answer").arg(httpStatus);
    case Kind::Certificate:
        return tr("The server's certificate was not accepted");
    case Kind::NoResponse:
        return tr("The server stopped responding");
    case Kind::ConnectionLost:
        return tr("The connection to %1 was lost").arg(where);
    case Kind::Other:
        break;
    }
    return tr("The answer failed");
}

bool AnswerFailure::concernsProfile() const
{
    switch (kind) {
    case Kind::ConnectionRefused:
    case Kind::HostNotFound:
    case Kind::TimedOut:
    case Kind::KeyRefused:
    case Kind::NotFound:
    case Kind::HttpStatus:
    case Kind::Certificate:
        return true;
    default:
        return false;
    }
}

QString AnswerFailure::displayEndpoint(const QUrl &url)
{
    if (!url.isValid())
        return {};
    return url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
        .toDisplayString();
}

} // namespace qalam
