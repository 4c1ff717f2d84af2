// DemoRequest: the demo server's validation of what a client sends, as pure functions of the
// bytes (no QHttpServerRequest, no sockets), so the request handling is unit-testable and
// fuzzable on its own (tests/fuzz/fuzz_serverrequest.cpp).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace qalam::server {

// The parts of a chat request the server acts on. `error` set: the request is answered 400
// with it, and the other members mean nothing.
struct DemoChatRequest
{
    QString prompt;
    QString language;             // admin stream only: "", "ar" or "en"
    std::optional<QString> model; // unset: the server's default model
    std::optional<quint64> seed;  // unset: the server's default seed
    bool stream = false;          // OpenAI only: answer as an SSE stream
    bool includeUsage = false;    // OpenAI only: stream_options.include_usage
    QString error;
};

// The JSON body of a POST to the admin stream (docs/protocol.md).
DemoChatRequest parseAdminStreamBody(const QByteArray &body);
// The JSON body of POST /v1/chat/completions.
DemoChatRequest parseCompletionsBody(const QByteArray &body);
// The prompt and language checks both admin-stream forms (GET query, POST body) share: why the
// request is refused, or nothing.
QString adminPromptError(const QString &prompt, const QString &language);

// A Last-Event-ID the server issued has the form `<stream id>.<event index>`.
struct ResumePoint
{
    QString streamId;
    qint64 index = -1; // -1: not an id this server could have issued
};
ResumePoint parseLastEventId(QByteArrayView lastEventId);

} // namespace qalam::server
