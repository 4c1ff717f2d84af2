// DemoRequest: the demo server's validation of what a client sends, as pure functions of the
// bytes (no QHttpServerRequest, no sockets), so the request handling is unit-testable and
// fuzzable on its own (tests/fuzz/fuzz_serverrequest.cpp).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QUrlQuery>

#include <optional>

namespace qalam::server {

// The parts of a chat request the server acts on. `error` set: the request is answered 400
// with it, and the other members mean nothing.
struct DemoChatRequest
{
    QString prompt;
    QByteArray messages;          // admin stream only: "messages" as compact JSON; "" when absent
    QString language;             // admin stream only: "", "ar" or "en"
    std::optional<QString> model; // unset: the server's default model
    std::optional<quint64> seed;  // unset: the server's default seed
    bool stream = false;          // OpenAI only: answer as an SSE stream
    bool includeUsage = false;    // OpenAI only: stream_options.include_usage
    QString error;
};

// The JSON body of a POST to the admin stream (docs/protocol.md).
DemoChatRequest parseAdminStreamBody(const QByteArray &body);
// The query of a GET of the admin stream: `prompt`, `seed`, `lang`, `model`.
DemoChatRequest parseAdminStreamQuery(const QUrlQuery &query);
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

// What decides a demo answer and the events it is streamed in: the request's fields, with the
// server's defaults applied. The server's pacing options (rate, delays, heartbeats) play no part.
struct AnswerRequest
{
    QString prompt;
    QByteArray messages; // as DemoChatRequest::messages
    QString language;    // as requested: "", "ar" or "en"
    QString model;
    quint64 seed = 0;
};
// Eight lowercase hex digits of SHA-256 over the request and the corpus fingerprint: the part
// of an admin stream id that ties the stream to the request it answers (docs/server.md).
QString answerDigest(const AnswerRequest &request, QByteArrayView corpusFingerprint);
// An admin stream id: "s-<digest>-<random>", the random part twelve lowercase hex digits.
QString adminStreamId(const QString &digest, const QString &random);
// The digest of an admin stream id of that form; empty when `streamId` does not have the form.
QString streamIdDigest(QStringView streamId);

// The host part of a Host header ("[::1]:8080" -> "::1", "Example.COM." -> "example.com");
// empty when it is not one.
QString hostName(QByteArrayView hostHeader);
// Whether a request's Host header names this server, bound to `bound`: the bound address
// itself (any address when bound to a wildcard), localhost names when bound to loopback, a
// single-label name (an nginx upstream, /etc/hosts: no web page can have a browser resolve one
// to this machine), or a name in `allowedHosts`. What stops DNS rebinding: a page on an
// attacker's domain that resolves to this machine still sends its own dotted name.
bool hostAllowed(QByteArrayView hostHeader, const QHostAddress &bound,
                 const QStringList &allowedHosts);
// An Origin header as "scheme://host[:port]" in lowercase; empty when it is not one.
QString normalizedOrigin(QByteArrayView origin);
// Whether a request that sent `origin` may be served: its own origin (http:// + the Host it
// sent) or one in `allowedOrigins` ("*" allows any).
bool originAllowed(QByteArrayView origin, QByteArrayView hostHeader,
                   const QStringList &allowedOrigins);

} // namespace qalam::server
