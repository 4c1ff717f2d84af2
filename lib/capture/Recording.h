// Recording: one request and its response exactly as they went over the wire, as a value, and
// its file format (docs/recording.md): JSON Lines, versioned, readable by a person. Secrets are
// removed from the request before it is kept; the body's bytes are kept as read, chunk by chunk,
// with the time of each read, so a replay can send the same bytes in the same pieces.
#pragma once

#include "capture/CapturedResponse.h"
#include "sse/SseRequest.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

namespace qalam::capture {

struct RecordedRequest
{
    QByteArray method = "POST";
    QUrl url;         // without user info; secret-looking query values replaced
    QString protocol; // "admin" or "openai" (ChatProtocol::name)
    QList<QPair<QByteArray, QByteArray>> headers; // secret values replaced by kRedacted
    QByteArray body;

    // The question it asked: an admin body's "prompt", else the last user message of a
    // chat-completions body, else the URL's `prompt` query item; empty when none.
    QString prompt() const;
};

struct Recording
{
    static constexpr int formatVersion = 1;
    static constexpr qint64 maxFileBytes = 256 * 1024 * 1024;     // read() refuses a larger file
    static constexpr const char *redacted = "\u2022\u2022\u2022"; // "•••"

    QDateTime created;
    QString tool; // e.g. "qalam-cli 0.1.0"
    RecordedRequest request;
    CapturedResponse response;

    // The request as it may be kept: every header SseRequest counts as a secret, the URL's
    // user info and query items named like keys (key, api_key, apikey, token, access_token)
    // replaced.
    static RecordedRequest redact(const SseRequest &request, const QString &protocol);

    // The file's lines, each ending with '\n': the header, the request, the response head, one
    // line per chunk, the end. Written one at a time by `qalam-cli record` as things arrive.
    QByteArray headerLine() const;
    QByteArray requestLine() const;
    static QByteArray responseLine(const CapturedResponse &response);
    static QByteArray chunkLine(const CapturedChunk &chunk);
    static QByteArray endLine(const CapturedResponse &response);
    QByteArray toJsonLines() const;

    // Parses a file's bytes; on failure returns nothing and says why (with the line number).
    // A file cut before its end line is read as a response that stopped there.
    static std::optional<Recording> fromJsonLines(QByteArrayView bytes, QString *error);
    static std::optional<Recording> read(const QString &path, QString *error);
};

} // namespace qalam::capture
