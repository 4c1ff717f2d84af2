#include "server/DemoServer.h"

#include "server/DemoRequest.h"
#include "server/SseFormat.h"
#include "server/StreamConnection.h"
#include "server/TokenChunker.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimer>

#include <cmath>

namespace qalam::server {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "UNKNOWN";
    }
}

// Compares without stopping at the first difference, so response times do not reveal how much
// of a guessed token was right.
bool sameSecret(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

QString randomHex(int digits)
{
    const quint64 value = QRandomGenerator::global()->generate64();
    return QStringLiteral("%1").arg(value, 16, 16, QLatin1Char('0')).right(digits);
}

} // namespace

QString DemoServer::adminStreamPath()
{
    return QStringLiteral("/api/v1/stream/chat");
}

DemoServer::DemoServer(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_corpus(m_options.corpusDirectory.isEmpty() ? DemoCorpus::builtIn()
                                                   : DemoCorpus::load(m_options.corpusDirectory))
{
    addRoute(adminStreamPath(), &DemoServer::handleAdminStream);
    addRoute(QStringLiteral("/admin/api/chat/stream"), &DemoServer::handleAdminStream);
    addRoute(QStringLiteral("/v1/chat/completions"), &DemoServer::handleCompletions);
    addRoute(QStringLiteral("/v1/models"), &DemoServer::handleModels);
    addRoute(QStringLiteral("/health"), &DemoServer::handleHealth);
    m_http.setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            dispatch(request, std::move(responder), &DemoServer::handleMissing);
        });
}

DemoServer::~DemoServer()
{
    // Connections and streams go before the QHttpServer member (and the sockets it owns).
    const auto connections = m_connections;
    for (StreamConnection *connection : connections) {
        disconnect(connection, nullptr, this, nullptr);
        delete connection;
    }
    const auto streams = m_streams;
    for (DemoStream *stream : streams)
        delete stream;
}

bool DemoServer::listen()
{
    m_error.clear();
    if (m_corpus.isEmpty()) {
        m_error =
            QStringLiteral("no demo answers found in %1")
                .arg(m_options.corpusDirectory.isEmpty() ? QStringLiteral("the built-in corpus")
                                                         : m_options.corpusDirectory);
        return false;
    }
    if (!m_options.address.isLoopback() && m_options.token.isEmpty()) {
        m_error = QStringLiteral("binding %1 (not a loopback address) requires a token")
                      .arg(m_options.address.toString());
        return false;
    }
    if (m_options.tokensPerSecond <= 0 || !std::isfinite(m_options.tokensPerSecond)) {
        m_error = QStringLiteral("the token rate must be more than 0 per second");
        return false;
    }
    if (m_listener) {
        m_error = QStringLiteral("already listening");
        return false;
    }
    QString faultError;
    const auto faults = FaultInjection::parse(m_options.faults, &faultError);
    if (!faults) {
        m_error = faultError;
        return false;
    }
    m_defaultFaults = *faults;
    auto listener = std::make_unique<QTcpServer>();
    // Thousands of streams may connect at once; the default backlog of 50 would refuse some.
    listener->setListenBacklogSize(1024);
    if (!listener->listen(m_options.address, m_options.port)) {
        m_error = QStringLiteral("cannot listen on %1 port %2: %3")
                      .arg(m_options.address.toString())
                      .arg(m_options.port)
                      .arg(listener->errorString());
        return false;
    }
    listener->setMaxPendingConnections(1024);
    m_listener = listener.get();
    m_http.bind(listener.release()); // QHttpServer takes it as a child
    return true;
}

QHostAddress DemoServer::address() const
{
    return m_listener ? m_listener->serverAddress() : QHostAddress();
}

quint16 DemoServer::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

QUrl DemoServer::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(address().toString());
    url.setPort(port());
    return url;
}

DemoServer::Stats DemoServer::stats() const
{
    Stats stats;
    stats.streams = int(m_streams.size());
    stats.connections = int(m_connections.size());
    for (const DemoStream *stream : m_streams)
        stats.generating += stream->isGenerating() ? 1 : 0;
    for (const StreamConnection *connection : m_connections)
        stats.held += connection->isBackpressured() ? 1 : 0;
    const QList<QTimer *> timers = findChildren<QTimer *>();
    stats.activeTimers = int(std::count_if(timers.cbegin(), timers.cend(),
                                           [](const QTimer *timer) { return timer->isActive(); }));
    return stats;
}

void DemoServer::addRoute(const QString &path, Handler handler)
{
    m_http.route(
        path, [this, handler](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            dispatch(request, std::move(responder), handler);
        });
}

void DemoServer::dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder,
                          Handler handler)
{
    QTcpSocket *socket = HttpServerAdapter::socketFor(m_http, request, responder);
    auto http = std::make_unique<HttpServerAdapter>(std::move(responder), socket);
    if (!authorized(request)) {
        respondError(*http, 401, QStringLiteral("unauthorized"),
                     QStringLiteral("this server requires 'Authorization: Bearer <token>'"),
                     {{"WWW-Authenticate", "Bearer"}});
        return;
    }
    (this->*handler)(request, std::move(http));
}

bool DemoServer::authorized(const QHttpServerRequest &request) const
{
    if (m_options.token.isEmpty())
        return true;
    const QByteArray header = request.value("Authorization").trimmed();
    static constexpr QByteArrayView scheme("Bearer ");
    if (header.size() <= scheme.size() ||
        QByteArrayView(header).first(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0)
        return false;
    return sameSecret(QByteArrayView(header).sliced(scheme.size()).trimmed(),
                      m_options.token.toUtf8());
}

bool DemoServer::allowMethods(const QHttpServerRequest &request, HttpServerAdapter &http,
                              const QList<QByteArray> &methods)
{
    if (methods.contains(methodName(request.method())))
        return true;
    respondError(http, 405, QStringLiteral("method_not_allowed"),
                 QStringLiteral("%1 is not allowed here; use %2")
                     .arg(QString::fromLatin1(methodName(request.method())),
                          QString::fromLatin1(methods.join(" or "))),
                 {{"Allow", methods.join(", ")}});
    return false;
}

std::optional<FaultInjection> DemoServer::checkBodyAndFaults(const QHttpServerRequest &request,
                                                             HttpServerAdapter &http)
{
    if (request.body().size() > m_options.maxBodyBytes) {
        respondError(http, 413, QStringLiteral("payload_too_large"),
                     QStringLiteral("the request body is %1 bytes; the limit is %2")
                         .arg(request.body().size())
                         .arg(m_options.maxBodyBytes));
        return std::nullopt;
    }
    QString error;
    const auto faults = FaultInjection::fromRequest(request, m_defaultFaults, &error);
    if (!faults) {
        respondError(http, 400, QStringLiteral("bad_request"), error);
        return std::nullopt;
    }
    if (faults->refusesRequest()) {
        respondFault(http, *faults);
        return std::nullopt;
    }
    return faults;
}

void DemoServer::handleAdminStream(const QHttpServerRequest &request, Http http)
{
    if (!allowMethods(request, *http, {"GET", "POST"}))
        return;
    const auto faults = checkBodyAndFaults(request, *http);
    if (!faults)
        return;
    // A resume of a stream the server has is identified by its id alone (docs/protocol.md): the
    // body is read only to regenerate a stream it does not have.
    if (const QByteArray lastEventId = request.value("Last-Event-ID").trimmed();
        !lastEventId.isEmpty()) {
        resume(request, lastEventId, std::move(http), *faults);
        return;
    }
    QString error;
    const auto answer = adminRequest(request, &error);
    if (!answer) {
        respondError(*http, 400, QStringLiteral("bad_request"), error);
        return;
    }
    DemoStream *stream = addStream(streamSettings(DemoStream::Protocol::Admin, *answer, true));
    attach(stream, std::move(http), 0, *faults);
    stream->start();
}

std::optional<AnswerRequest> DemoServer::adminRequest(const QHttpServerRequest &request,
                                                      QString *error) const
{
    const DemoChatRequest parsed = request.method() == QHttpServerRequest::Method::Get
                                       ? parseAdminStreamQuery(request.query())
                                       : parseAdminStreamBody(request.body());
    if (!parsed.error.isEmpty()) {
        *error = parsed.error;
        return std::nullopt;
    }
    AnswerRequest answer;
    answer.prompt = parsed.prompt;
    answer.messages = parsed.messages;
    answer.language = parsed.language;
    answer.model = parsed.model.value_or(m_options.model);
    answer.seed = parsed.seed.value_or(m_options.seed);
    return answer;
}

void DemoServer::resume(const QHttpServerRequest &request, const QByteArray &lastEventId, Http http,
                        const FaultInjection &faults)
{
    const ResumePoint point = parseLastEventId(lastEventId);
    const QString &streamId = point.streamId;
    const qint64 index = point.index;
    DemoStream *stream = index >= 0 ? m_streams.value(streamId) : nullptr;

    QString problem;
    if (!stream && index >= 0) {
        problem = regenerate(request, point, http, faults);
        if (problem.isEmpty())
            return;
    } else if (!stream || stream->protocol() != DemoStream::Protocol::Admin) {
        problem = QStringLiteral("stream '%1' is unknown or has expired; ask again").arg(streamId);
    } else if (index >= stream->nextIndex()) {
        problem = QStringLiteral("event %1 has not been sent").arg(QString::fromUtf8(lastEventId));
    } else if (index + 1 < stream->firstIndex()) {
        problem =
            QStringLiteral("the events after %1 are no longer in the replay buffer; ask again")
                .arg(QString::fromUtf8(lastEventId));
    }
    if (!problem.isEmpty() || !stream) {
        // The id echoes the client's own, so its last event id stays what it was.
        http->beginStream(200, StreamConnection::streamHeaders());
        http->writeChunk(SseFormat::errorEvent(lastEventId, QStringLiteral("unknown_stream"),
                                               problem, false, false));
        http->endStream();
        return;
    }
    if (stream->isFinished() && index + 1 == stream->nextIndex()) {
        // The client already has the terminal event: 204 tells an EventSource to stop
        // reconnecting.
        http->writeResponse(204, {}, QByteArray());
        return;
    }
    // The new connection replaces any old one still attached (often a half-open connection the
    // server has not noticed is dead yet).
    if (StreamConnection *old = m_readers.value(stream))
        old->abandon();
    attach(stream, std::move(http), index + 1, faults);
}

QString DemoServer::regenerate(const QHttpServerRequest &request, const ResumePoint &point,
                               Http &http, const FaultInjection &faults)
{
    // Every answer is a function of its request, so a stream this server never had (another
    // instance made it, before a restart) or has dropped can be made again, event for event.
    // Only when the id proves the stream answers this very request: its digest is the request's.
    QString unknown =
        QStringLiteral("stream '%1' is unknown or has expired; ask again").arg(point.streamId);
    const QString digest = streamIdDigest(point.streamId);
    if (digest.isEmpty())
        return unknown;
    QString error;
    const auto answer = adminRequest(request, &error);
    if (!answer)
        return unknown +
               QStringLiteral(" (it cannot be made again from this request: %1)").arg(error);
    if (answerDigest(*answer, m_corpus.fingerprint()) != digest)
        return unknown + QStringLiteral(" (this request is not the one it answered)");

    DemoStream::Settings settings = streamSettings(DemoStream::Protocol::Admin, *answer, true);
    settings.id = point.streamId;
    const qint64 terminal = DemoStream::terminalIndexFor(settings.pieceEnds.size());
    if (point.index > terminal)
        return QStringLiteral("stream '%1' ends with event %2; event %3 was never sent")
            .arg(point.streamId)
            .arg(terminal)
            .arg(point.index);
    if (point.index == terminal) {
        http->writeResponse(204, {}, QByteArray()); // the client has the done event already
        return {};
    }
    DemoStream *stream = addStream(std::move(settings));
    stream->start(point.index);
    attach(stream, std::move(http), point.index + 1, faults);
    return {};
}

void DemoServer::handleCompletions(const QHttpServerRequest &request, Http http)
{
    if (!allowMethods(request, *http, {"POST"}))
        return;
    const auto faults = checkBodyAndFaults(request, *http);
    if (!faults)
        return;
    const auto badRequest = [&http](const QString &message) {
        respondError(*http, 400, QStringLiteral("bad_request"), message);
    };
    const DemoChatRequest body = parseCompletionsBody(request.body());
    if (!body.error.isEmpty())
        return badRequest(body.error);
    AnswerRequest answerRequest;
    answerRequest.prompt = body.prompt;
    answerRequest.model = body.model.value_or(m_options.model);
    answerRequest.seed = body.seed.value_or(m_options.seed);
    const QString &prompt = answerRequest.prompt;
    const QString &model = answerRequest.model;
    const quint64 seed = answerRequest.seed;

    if (!body.stream) {
        const DemoAnswer &answer = m_corpus.pick(prompt, {}, seed);
        const int promptTokens = TokenChunker::countTokens(prompt);
        const int completionTokens =
            int(TokenChunker::pieceEnds(answer.text, DemoCorpus::stableHash(prompt, seed)).size());
        const QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                                  {QStringLiteral("content"), answer.text}};
        respondJson(
            *http, 200,
            {{QStringLiteral("id"), QStringLiteral("chatcmpl-") + randomHex(12)},
             {QStringLiteral("object"), QStringLiteral("chat.completion")},
             {QStringLiteral("created"), QDateTime::currentSecsSinceEpoch()},
             {QStringLiteral("model"), model},
             {QStringLiteral("choices"),
              QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                     {QStringLiteral("message"), message},
                                     {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}},
             {QStringLiteral("usage"),
              QJsonObject{{QStringLiteral("prompt_tokens"), promptTokens},
                          {QStringLiteral("completion_tokens"), completionTokens},
                          {QStringLiteral("total_tokens"), promptTokens + completionTokens}}}});
        return;
    }
    DemoStream *stream =
        addStream(streamSettings(DemoStream::Protocol::OpenAi, answerRequest, body.includeUsage));
    attach(stream, std::move(http), 0, *faults);
    stream->start();
}

void DemoServer::handleModels(const QHttpServerRequest &request, Http http)
{
    if (!allowMethods(request, *http, {"GET"}))
        return;
    const QJsonObject model{{QStringLiteral("id"), m_options.model},
                            {QStringLiteral("object"), QStringLiteral("model")},
                            {QStringLiteral("created"), 0},
                            {QStringLiteral("owned_by"), QStringLiteral("qalam")}};
    respondJson(*http, 200,
                {{QStringLiteral("object"), QStringLiteral("list")},
                 {QStringLiteral("data"), QJsonArray{model}}});
}

void DemoServer::handleHealth(const QHttpServerRequest &request, Http http)
{
    if (!allowMethods(request, *http, {"GET"}))
        return;
    const Stats current = stats();
    respondJson(*http, 200,
                {{QStringLiteral("status"), QStringLiteral("ok")},
                 {QStringLiteral("streams"), current.streams},
                 {QStringLiteral("connections"), current.connections}});
}

void DemoServer::handleMissing(const QHttpServerRequest &request, Http http)
{
    respondError(*http, 404, QStringLiteral("not_found"),
                 QStringLiteral("no route for %1 %2")
                     .arg(QString::fromLatin1(methodName(request.method())), request.url().path()));
}

DemoStream::Settings DemoServer::streamSettings(DemoStream::Protocol protocol,
                                                const AnswerRequest &request,
                                                bool includeUsage) const
{
    // Everything but the pacing comes from the request (and the corpus) alone, so a regenerated
    // stream is the one any server with this corpus makes for the same request.
    const DemoAnswer &answer = m_corpus.pick(request.prompt, request.language, request.seed);
    DemoStream::Settings settings;
    settings.protocol = protocol;
    const bool admin = protocol == DemoStream::Protocol::Admin;
    const QString digest = admin ? answerDigest(request, m_corpus.fingerprint()) : QString();
    do {
        settings.id = admin ? adminStreamId(digest, randomHex(12))
                            : QStringLiteral("chatcmpl-") + randomHex(12);
    } while (m_streams.contains(settings.id));
    settings.model = request.model;
    settings.language = answer.language;
    settings.answer = answer.text;
    settings.pieceEnds =
        TokenChunker::pieceEnds(answer.text, DemoCorpus::stableHash(request.prompt, request.seed));
    settings.promptTokens = TokenChunker::countTokens(request.prompt);
    settings.tokensPerSecond = m_options.tokensPerSecond;
    settings.firstTokenMs = m_options.firstTokenMs;
    settings.includeUsage = includeUsage;
    settings.replayMaxEvents = m_options.replayMaxEvents;
    settings.replayMaxBytes = m_options.replayMaxBytes;
    // An OpenAI stream cannot be resumed: it goes as soon as its client does.
    settings.resumeWindowMs = admin ? m_options.resumeWindowMs : 0;
    return settings;
}

DemoStream *DemoServer::addStream(DemoStream::Settings settings)
{
    auto *stream = new DemoStream(std::move(settings), this);
    m_streams.insert(stream->id(), stream);
    connect(stream, &DemoStream::expired, this, [this, stream] { dropStream(stream); });
    return stream;
}

void DemoServer::attach(DemoStream *stream, Http http, qint64 fromIndex,
                        const FaultInjection &faults)
{
    if (QTcpSocket *socket = http->socket(); socket && m_options.socketSendBufferBytes > 0)
        socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption,
                                m_options.socketSendBufferBytes);
    StreamConnection::Settings settings;
    settings.heartbeatMs = m_options.heartbeatMs;
    settings.retryMs = m_options.retryMs;
    settings.faults = faults;
    settings.highWaterBytes = m_options.writeHighWaterBytes;
    settings.lowWaterBytes = m_options.writeHighWaterBytes / 4;
    auto *connection = new StreamConnection(std::move(http), stream, fromIndex, settings, this);
    m_connections.insert(connection);
    m_readers.insert(stream, connection);
    stream->setAttached(true);
    connect(connection, &StreamConnection::closed, this,
            [this, connection] { onConnectionClosed(connection); });
    connection->start();
}

void DemoServer::onConnectionClosed(StreamConnection *connection)
{
    if (!m_connections.remove(connection))
        return;
    DemoStream *stream = connection->stream();
    if (stream && m_readers.value(stream) == connection) {
        m_readers.remove(stream);
        stream->setAttached(false);
    }
    connection->deleteLater(); // it is emitting closed() right now
}

void DemoServer::dropStream(DemoStream *stream)
{
    if (m_streams.value(stream->id()) != stream)
        return;
    m_streams.remove(stream->id());
    if (StreamConnection *reader = m_readers.take(stream))
        reader->abandon();
    stream->deleteLater();
}

void DemoServer::respondError(HttpServerAdapter &http, int status, const QString &code,
                              const QString &message, HttpServerAdapter::Headers headers)
{
    // {"error": {"code", "message"}} is the admin stream's error body; "type" makes it an
    // OpenAI error body too, so one shape serves both APIs.
    const QJsonObject error{
        {QStringLiteral("code"), code},
        {QStringLiteral("message"), message},
        {QStringLiteral("type"),
         status >= 500 ? QStringLiteral("server_error") : QStringLiteral("invalid_request_error")}};
    headers.prepend(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    http.writeResponse(status, headers,
                       QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
                           .toJson(QJsonDocument::Compact));
}

void DemoServer::respondJson(HttpServerAdapter &http, int status, const QJsonObject &object)
{
    http.writeResponse(status, {{"Content-Type", "application/json"}},
                       QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void DemoServer::respondFault(HttpServerAdapter &http, const FaultInjection &faults)
{
    if (faults.htmlPage) {
        // What a misconfigured proxy or captive portal sends: a page, with status 200.
        http.writeResponse(200, {{"Content-Type", "text/html; charset=utf-8"}},
                           "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
                           "<body><h1>Bad Gateway</h1><p>The upstream server is not responding."
                           "</p></body></html>\n");
        return;
    }
    HttpServerAdapter::Headers headers;
    QString code = QStringLiteral("injected_fault");
    QString message = QStringLiteral("fault injection: HTTP %1").arg(faults.status);
    switch (faults.status) {
    case 401:
        code = QStringLiteral("unauthorized");
        message = QStringLiteral("the token was refused (fault injection)");
        headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer")));
        break;
    case 429:
    case 503:
        code = faults.status == 429 ? QStringLiteral("rate_limited") : QStringLiteral("overloaded");
        message = QStringLiteral("too many requests, try again in %1 s (fault injection)")
                      .arg(faults.retryAfterSeconds);
        headers.append(
            qMakePair(QByteArray("Retry-After"), QByteArray::number(faults.retryAfterSeconds)));
        break;
    case 500:
        code = QStringLiteral("internal");
        message = QStringLiteral("internal server error (fault injection)");
        break;
    default:
        break;
    }
    respondError(http, faults.status, code, message, headers);
}

} // namespace qalam::server
