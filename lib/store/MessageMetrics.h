// MessageMetrics: how an answer streamed, stored with it as JSON text (StoredMessage::metricsJson)
// so new figures need no schema migration: the figures, who answered (the profile's name and the
// model, never a key), where it was asked (the endpoint without query or credentials) and, for an
// answer that failed, what kind of failure it was, so the chat says the same after reopening.
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
    QString profile;  // the connection profile's name when the answer was asked
    QString endpoint; // scheme, host, port and path only
    QString failure;  // AnswerFailure's kind name; empty when it did not fail
    int httpStatus = 0;

    bool operator==(const MessageMetrics &other) const = default;

    // Compact JSON with the keys timeToFirstTokenMs, charactersPerSecond, reconnects,
    // finishReason and model, and profile, endpoint, failure and httpStatus when they are set.
    QString toJson() const;
    // Empty text gives default metrics; text that is not a JSON object gives nothing. Missing or
    // mistyped keys keep their defaults, so older rows stay readable.
    static std::optional<MessageMetrics> fromJson(const QString &json);
};

} // namespace qalam
