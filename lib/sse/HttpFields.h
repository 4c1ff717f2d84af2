// HttpFields: the few HTTP header rules an event-stream client needs, as pure functions.
#pragma once

#include <QByteArrayView>
#include <QDateTime>
#include <QString>

#include <optional>

namespace qalam::HttpFields {

// True when the MIME type's essence is exactly text/event-stream (parameters allowed,
// case-insensitive; "text/event-streamx" is not).
bool isEventStream(QByteArrayView contentType);

// Retry-After as delay-seconds or an HTTP-date, converted to milliseconds from `now`.
// Returns nothing for a missing or malformed value; a date in the past means 0; a delay too
// large for qint64 milliseconds saturates at its maximum.
std::optional<qint64> retryAfterMs(QByteArrayView value, const QDateTime &now);

// A short, human-readable reason extracted from an error body: the `message` of a JSON error
// object (OpenAI, vLLM, our admin stream) or the start of the text, or nothing for HTML/binary.
QString errorSummary(QByteArrayView body);

} // namespace qalam::HttpFields
