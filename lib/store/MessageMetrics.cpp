#include "store/MessageMetrics.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace qalam {

QString MessageMetrics::toJson() const
{
    QJsonObject object;
    object.insert(QLatin1String("timeToFirstTokenMs"), timeToFirstTokenMs);
    object.insert(QLatin1String("charactersPerSecond"), charactersPerSecond);
    object.insert(QLatin1String("reconnects"), reconnects);
    object.insert(QLatin1String("finishReason"), finishReason);
    object.insert(QLatin1String("model"), model);
    if (!profile.isEmpty())
        object.insert(QLatin1String("profile"), profile);
    if (!endpoint.isEmpty())
        object.insert(QLatin1String("endpoint"), endpoint);
    if (!failure.isEmpty())
        object.insert(QLatin1String("failure"), failure);
    if (httpStatus != 0)
        object.insert(QLatin1String("httpStatus"), httpStatus);
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

std::optional<MessageMetrics> MessageMetrics::fromJson(const QString &json)
{
    MessageMetrics metrics;
    if (json.isEmpty())
        return metrics;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    metrics.timeToFirstTokenMs =
        object.value(QLatin1String("timeToFirstTokenMs")).toInteger(metrics.timeToFirstTokenMs);
    metrics.charactersPerSecond =
        object.value(QLatin1String("charactersPerSecond")).toDouble(metrics.charactersPerSecond);
    metrics.reconnects = object.value(QLatin1String("reconnects")).toInt(metrics.reconnects);
    metrics.finishReason = object.value(QLatin1String("finishReason")).toString();
    metrics.model = object.value(QLatin1String("model")).toString();
    metrics.profile = object.value(QLatin1String("profile")).toString();
    metrics.endpoint = object.value(QLatin1String("endpoint")).toString();
    metrics.failure = object.value(QLatin1String("failure")).toString();
    metrics.httpStatus = object.value(QLatin1String("httpStatus")).toInt();
    return metrics;
}

} // namespace qalam
