// MessageMetrics: how an answer streamed, stored with it as JSON text (StoredMessage::metricsJson)
// so new figures need no schema migration.
#pragma once

#include <QString>

#include <optional>

namespace qalam {

struct MessageMetrics
{
    qint64 timeToFirstTokenMs = -1; // -1: no token arrived
    double charactersPerSecond = 0;
    int reconnects = 0;
    QString finishReason;
    QString model;

    bool operator==(const MessageMetrics &other) const = default;

    // Compact JSON with the keys timeToFirstTokenMs, charactersPerSecond, reconnects,
    // finishReason and model.
    QString toJson() const;
    // Empty text gives default metrics; text that is not a JSON object gives nothing. Missing or
    // mistyped keys keep their defaults, so older rows stay readable.
    static std::optional<MessageMetrics> fromJson(const QString &json);
};

} // namespace qalam
