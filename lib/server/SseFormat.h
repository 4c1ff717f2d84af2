// SseFormat: the bytes of Server-Sent Events as the demo server writes them.
//
// Payloads are compact JSON, which never contains a line break, so every field fits on one
// line. Line endings are LF, or CRLF when a fault asks for them (so a write can be split
// between the CR and the LF).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringView>

namespace qalam::server::SseFormat {

// "event: <type>", "id: <id>", "data: <data>" and the blank line that dispatches it; the
// event line is left out when `type` is empty and the id line when `id` is empty.
QByteArray event(QByteArrayView type, QByteArrayView id, QByteArrayView data, bool crlf);
// ": <text>" and a blank line: ignored by clients, keeps proxies from timing out.
QByteArray comment(QByteArrayView text, bool crlf);
// "retry: <ms>" and a blank line: sets the client's reconnection time, dispatches nothing.
QByteArray retry(int milliseconds, bool crlf);

// `text` as a JSON string literal (quotes included), byte for byte what QJsonDocument writes:
// the hot path of every delta, where a QJsonObject per delta costs more than the write itself.
QByteArray jsonString(QStringView text);

// An admin stream `error` event: {"code", "message", "retryable"}.
QByteArray errorEvent(QByteArrayView id, const QString &code, const QString &message,
                      bool retryable, bool crlf);

// The pieces the split-writes fault sends `bytes` in: cut inside the first multi-byte UTF-8
// sequence, between the CR and LF of the first line ending, and between the CR and LF of the
// blank line that ends the event. Their concatenation is `bytes`.
QList<QByteArray> splitAwkwardly(const QByteArray &bytes);

} // namespace qalam::server::SseFormat
