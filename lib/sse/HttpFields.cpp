#include "sse/HttpFields.h"

#include "sse/Utf8Decoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <limits>

namespace qalam::HttpFields {

bool isEventStream(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArrayView essence =
        (semicolon < 0 ? contentType : contentType.first(semicolon)).trimmed();
    return essence.compare("text/event-stream", Qt::CaseInsensitive) == 0;
}

std::optional<qint64> retryAfterMs(QByteArrayView value, const QDateTime &now)
{
    const QByteArrayView trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    // delay-seconds is 1*DIGIT with no bound (RFC 9110); a hostile value such as
    // 99999999999999999 must saturate, not overflow into a negative or tiny delay.
    if (std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        constexpr qint64 maxMs = std::numeric_limits<qint64>::max();
        qint64 ms = 0;
        for (const char c : trimmed) {
            const qint64 digit = c - '0';
            if (ms > (maxMs - digit * 1000) / 10)
                return maxMs;
            ms = ms * 10 + digit * 1000;
        }
        return ms;
    }
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    const QString text = QString::fromLatin1(trimmed);
    QDateTime when =
        QLocale::c().toDateTime(text, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeSpec(Qt::UTC);
    return std::max<qint64>(0, now.msecsTo(when));
}

QString errorSummary(QByteArrayView body)
{
    const QByteArrayView trimmed = body.trimmed();
    if (trimmed.isEmpty())
        return {};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed.toByteArray(), &parseError);
    if (parseError.error == QJsonParseError::NoError && doc.isObject()) {
        const QJsonObject root = doc.object();
        const QJsonValue error = root.value(QLatin1String("error"));
        if (error.isObject()) {
            QString message = error.toObject().value(QLatin1String("message")).toString();
            if (!message.isEmpty())
                return message;
        }
        if (error.isString())
            return error.toString();
        QString message = root.value(QLatin1String("message")).toString();
        if (!message.isEmpty())
            return message;
    }
    if (trimmed.startsWith('<'))
        return {}; // an HTML page says nothing useful in one line
    QString text = Utf8Decoder::decode(trimmed.first(std::min<qsizetype>(trimmed.size(), 200)));
    return text.simplified();
}

} // namespace qalam::HttpFields
