#include "server/DemoServer.h"

#include "server/DemoRequest.h"
#include "server/HttpListener.h"
#include "server/ReplayStream.h"
#include "server/SseFormat.h"
#include "server/StreamConnection.h"
#include "server/TokenChunker.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimer>

#include <cmath>
#include <sys/resource.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace qalam::server {

namespace {

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

// Descriptors kept free of client connections: listening sockets, files, the SQLite database of
// an app that embeds the server, and refused connections on their way out.
constexpr rlim_t kDescriptorReserve = 128;
// Freed memory is handed back this long after the last stream or connection went.
constexpr int kTrimDelayMs = 1000;

int fileLimit(bool raise)
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 1024;
    if (raise && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return int(std::min<rlim_t>(limit.rlim_cur, 1 << 20));
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
                                                   : DemoCorpus::load(m_options.corpusDirectory)),
      m_trim(m_schedule.add([] {
#if defined(__GLIBC__)
          // glibc keeps freed memory in its arenas; a server that just dropped thousands of
          // streams would otherwise stay at its peak size.
          malloc_trim(0);
#endif
      }))
{
    m_routes.insert(adminStreamPath(), {&DemoServer::handleAdminStream, {"GET", "POST"}});
    m_routes.insert(QStringLiteral("/admin/api/chat/stream"),
                    {&DemoServer::handleAdminStream, {"GET", "POST"}});
    m_routes.insert(QStringLiteral("/v1/chat/completions"),
                    {&DemoServer::handleCompletions, {"POST"}});
    m_routes.insert(QStringLiteral("/v1/models"), {&DemoServer::handleModels, {"GET"}});
    m_routes.insert(QStringLiteral("/health"), {&DemoServer::handleHealth, {"GET"}});
}

DemoServer::~DemoServer()
{
    // Connections and streams go before the listener (and the sockets it owns).
    const auto connections = m_connections;
    for (StreamConnection *connection : connections) {
        disconnect(connection, nullptr, this, nullptr);
        delete connection;
    }
    const auto streams = m_streams;
    for (DemoStream *stream : streams)
        delete stream;
    // Those already on their way out (deleteLater) too: they leave the shared schedule as they
    // go, so they must go while it exists.
    qDeleteAll(findChildren<QObject *>(QString(), Qt::FindDirectChildrenOnly));
    m_listener.reset();
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
    if (!m_options.replayPath.isEmpty()) {
        auto library = std::make_unique<ReplayLibrary>();
        if (!library->load(m_options.replayPath, &m_error))
            return false;
        if (m_options.replaySpeed < 0 || !std::isfinite(m_options.replaySpeed)) {
            m_error = QStringLiteral("the replay speed must be a positive number, or 0 for max");
            return false;
        }
        m_replay = std::move(library);
    }
    for (const QString &origin : m_options.allowedOrigins) {
        if (origin != QLatin1String("*") && normalizedOrigin(origin.toLatin1()).isEmpty()) {
            m_error = QStringLiteral("'%1' is not an origin (scheme://host[:port])").arg(origin);
            return false;
        }
    }
    const int descriptors = fileLimit(m_options.raiseFileLimit);
    HttpListener::Settings settings;
    const int available = std::max(16, descriptors - int(kDescriptorReserve));
    settings.maxConnections =
        m_options.maxConnections > 0 ? std::min(m_options.maxConnections, available) : available;
    settings.maxConnectionsPerClient = m_options.maxConnectionsPerClient;
    settings.retryAfterSeconds = m_options.overloadRetryAfterSeconds;
    settings.connection.limits.maxHeadBytes = m_options.maxHeadBytes;
    settings.connection.limits.maxBodyBytes = m_options.maxBodyBytes;
    settings.connection.headTimeoutMs = m_options.headTimeoutMs;
    settings.connection.bodyTimeoutMs = m_options.bodyTimeoutMs;
    settings.connection.idleTimeoutMs = m_options.idleTimeoutMs;
    auto listener = std::make_unique<HttpListener>(
        m_schedule, settings, [this](HttpRequest &&request, Http http) {
            dispatch(std::move(request), std::move(http));
        });
    QString error;
    if (!listener->listen(m_options.address, m_options.port, &error, m_options.sharedPort)) {
        m_error = QStringLiteral("cannot listen on %1 port %2: %3")
                      .arg(m_options.address.toString())
                      .arg(m_options.port)
                      .arg(error);
        return false;
    }
    m_listener = std::move(listener);
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
    stats.activeTimers = int(m_schedule.scheduledCount());
    stats.detached = int(m_detached.size());
    if (m_listener) {
        stats.httpConnections = m_listener->connectionCount();
        stats.refused = m_listener->refusedCount();
    }
    return stats;
}

void DemoServer::dispatch(HttpRequest &&request, Http http)
{
    const auto found = m_routes.constFind(request.path());
    const Route *route = found == m_routes.cend() ? nullptr : &found.value();
    if (!admitted(request, *http, route))
        return;
    if (!authorized(request)) {
        respondError(*http, 401, QStringLiteral("unauthorized"),
                     QStringLiteral("this server requires 'Authorization: Bearer <token>'"),
                     {{"WWW-Authenticate", "Bearer"}});
        return;
    }
    (this->*(route ? route->handler : &DemoServer::handleMissing))(request, std::move(http));
}

bool DemoServer::admitted(const HttpRequest &request, HttpResponder &http, const Route *route)
{
    const QByteArray host = request.value("Host");
    if (host.isEmpty() && request.minorVersion >= 1) {
        respondError(http, 400, QStringLiteral("bad_request"),
                     QStringLiteral("an HTTP/1.1 request must send a Host header"));
        return false;
    }
    // A page on another site that had its name resolve to this machine (DNS rebinding) still
    // sends its own name: nothing is served to a name this server does not go by.
    if (!host.isEmpty() && !hostAllowed(host, m_options.address, m_options.allowedHosts)) {
        respondError(http, 403, QStringLiteral("host_not_allowed"),
                     QStringLiteral("this server does not serve the host '%1'; start it with "
                                    "--allow-host %2 to allow it")
                         .arg(QString::fromLatin1(host.left(100)), hostName(host.left(100))));
        return false;
    }
    // Browsers send Origin with cross-site requests, including the "simple" ones (a text/plain
    // POST, an EventSource GET) that no preflight guards: without this any web page could start
    // streams here.
    const QByteArray origin = request.value("Origin");
    if (!origin.isEmpty()) {
        if (!originAllowed(origin, host, m_options.allowedOrigins)) {
            respondError(http, 403, QStringLiteral("origin_not_allowed"),
                         QStringLiteral("requests from the web origin '%1' are not allowed; start "
                                        "the server with --allow-origin %1 to allow them")
                             .arg(QString::fromLatin1(origin.left(200))));
            return false;
        }
        http.addHeaders({{"Access-Control-Allow-Origin", origin},
                         {"Vary", "Origin"},
                         {"Access-Control-Expose-Headers", "Retry-After, Content-Type"}});
    }
    if (request.method != "OPTIONS")
        return true;
    if (!route) {
        respondError(http, 404, QStringLiteral("not_found"),
                     QStringLiteral("no route for OPTIONS %1").arg(request.path()));
        return false;
    }
    const QByteArray methods = route->methods.join(", ") + ", OPTIONS";
    HttpResponder::Headers headers{{"Allow", methods}};
    if (!origin.isEmpty() && request.hasHeader("Access-Control-Request-Method")) {
        // A CORS preflight: what the page may send. It carries no credentials, so it is
        // answered before the token check.
        headers.append(qMakePair(QByteArray("Access-Control-Allow-Methods"), QByteArray(methods)));
        headers.append(qMakePair(QByteArray("Access-Control-Allow-Headers"),
                                 QByteArray("Authorization, Content-Type, Last-Event-ID, "
                                            "X-Qalam-Fault")));
        headers.append(qMakePair(QByteArray("Access-Control-Max-Age"), QByteArray("600")));
    }
    http.writeResponse(204, headers, QByteArray());
    return false;
}

bool DemoServer::authorized(const HttpRequest &request) const
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

bool DemoServer::allowMethods(const HttpRequest &request, HttpResponder &http,
                              const QList<QByteArray> &methods)
{
    if (methods.contains(request.method))
        return true;
    respondError(http, 405, QStringLiteral("method_not_allowed"),
                 QStringLiteral("%1 is not allowed here; use %2")
                     .arg(QString::fromLatin1(request.method.left(20)),
                          QString::fromLatin1(methods.join(" or "))),
                 {{"Allow", methods.join(", ")}});
    return false;
}

std::optional<FaultInjection> DemoServer::checkBodyAndFaults(const HttpRequest &request,
                                                             HttpResponder &http)
{
    if (request.body.size() > m_options.maxBodyBytes) {
        respondError(http, 413, QStringLiteral("payload_too_large"),
                     QStringLiteral("the request body is %1 bytes; the limit is %2")
                         .arg(request.body.size())
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

void DemoServer::handleAdminStream(const HttpRequest &request, Http http)
{
    if (!allowMethods(request, *http, {"GET", "POST"}))
        return;
    const auto faults = checkBodyAndFaults(request, *http);
    if (!faults)
        return;
    if (m_replay) {
        QString ignored;
        const auto asked = adminRequest(request, &ignored);
        replay(request, asked ? asked->prompt : QString(), std::move(http), *faults);
        return;
    }
    // A resume of a stream the server has is identified by its id alone (docs/protocol.md): the
    // body is read only to regenerate a stream it does not have.
    if (const QByteArray lastEventId = request.value("Last-Event-ID").trimmed();
        !lastEventId.isEmpty()) {
        if (lastEventId.size() > m_options.maxLastEventIdBytes) {
            // No id this server issues is that long: not worth parsing, nor a new stream.
            respondUnknownStream(
                *http, lastEventId,
                QStringLiteral("the Last-Event-ID is %1 bytes, longer than any id this server "
                               "issues (at most %2); ask again")
                    .arg(lastEventId.size())
                    .arg(m_options.maxLastEventIdBytes));
            return;
        }
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

std::optional<AnswerRequest> DemoServer::adminRequest(const HttpRequest &request,
                                                      QString *error) const
{
    const DemoChatRequest parsed = request.method == "GET" ? parseAdminStreamQuery(request.query())
                                                           : parseAdminStreamBody(request.body);
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

void DemoServer::resume(const HttpRequest &request, const QByteArray &lastEventId, Http http,
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
    } else if (index >= stream->nextIndex() && m_options.sharedPort &&
               !m_readers.contains(stream)) {
        // Servers sharing a port (--threads) each keep their own copy of a stream a client
        // resumed on both: this one is behind the other's. The answer is the same from any
        // point, so the copy is made again from where the client is.
        dropStream(stream);
        stream = nullptr;
        problem = regenerate(request, point, http, faults);
        if (problem.isEmpty())
            return;
    } else if (index >= stream->nextIndex()) {
        problem = QStringLiteral("event %1 has not been sent").arg(QString::fromUtf8(lastEventId));
    } else if (index + 1 < stream->firstIndex()) {
        problem =
            QStringLiteral("the events after %1 are no longer in the replay buffer; ask again")
                .arg(QString::fromUtf8(lastEventId));
    }
    if (!problem.isEmpty() || !stream) {
        respondUnknownStream(*http, lastEventId, problem);
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

void DemoServer::respondUnknownStream(HttpResponder &http, const QByteArray &lastEventId,
                                      const QString &problem)
{
    // The id echoes the client's own, so its last event id stays what it was.
    http.beginStream(200, StreamConnection::streamHeaders());
    http.writeChunk(SseFormat::errorEvent(lastEventId, QStringLiteral("unknown_stream"), problem,
                                          false, false));
    http.endStream();
}

void DemoServer::replay(const HttpRequest &request, const QString &prompt, Http http,
                        const FaultInjection &faults)
{
    QString why;
    const capture::Recording *recording = m_replay->match(request.path(), prompt, &why);
    if (!recording) {
        respondError(*http, 404, QStringLiteral("no_recording"), why);
        return;
    }
    ReplayStream::Settings settings;
    settings.speed = m_options.replaySpeed;
    settings.faults = faults;
    settings.lastEventId = request.value("Last-Event-ID").trimmed();
    auto *stream = new ReplayStream(std::move(http), *recording, settings, m_schedule, this);
    connect(stream, &ReplayStream::closed, stream, &QObject::deleteLater);
    stream->start();
}

QString DemoServer::regenerate(const HttpRequest &request, const ResumePoint &point, Http &http,
                               const FaultInjection &faults)
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

void DemoServer::handleCompletions(const HttpRequest &request, Http http)
{
    if (!allowMethods(request, *http, {"POST"}))
        return;
    const auto faults = checkBodyAndFaults(request, *http);
    if (!faults)
        return;
    const auto badRequest = [&http](const QString &message) {
        respondError(*http, 400, QStringLiteral("bad_request"), message);
    };
    const DemoChatRequest body = parseCompletionsBody(request.body);
    if (m_replay) {
        replay(request, body.prompt, std::move(http), *faults);
        return;
    }
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

void DemoServer::handleModels(const HttpRequest &request, Http http)
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

void DemoServer::handleHealth(const HttpRequest &request, Http http)
{
    if (!allowMethods(request, *http, {"GET"}))
        return;
    const Stats current = stats();
    respondJson(*http, 200,
                {{QStringLiteral("status"), QStringLiteral("ok")},
                 {QStringLiteral("streams"), current.streams},
                 {QStringLiteral("connections"), current.connections}});
}

void DemoServer::handleMissing(const HttpRequest &request, Http http)
{
    respondError(*http, 404, QStringLiteral("not_found"),
                 QStringLiteral("no route for %1 %2")
                     .arg(QString::fromLatin1(request.method.left(20)), request.path().left(200)));
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
    auto *stream = new DemoStream(std::move(settings), m_schedule, this);
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
    auto *connection =
        new StreamConnection(std::move(http), stream, fromIndex, settings, m_schedule, this);
    m_connections.insert(connection);
    m_readers.insert(stream, connection);
    m_detached.remove(stream);
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
        m_detached.insert(stream, m_detachCount++);
        stream->setAttached(false);
        trimDetached();
    }
    connection->deleteLater(); // it is emitting closed() right now
    scheduleTrim();
}

void DemoServer::trimDetached()
{
    // Every kept stream costs memory until its resume window ends; a client that abandons
    // thousands of requests must not be able to make the server keep them all. The oldest go
    // first; a resume of one of them is regenerated from its request (docs/server.md).
    while (m_detached.size() > std::max(0, m_options.maxDetachedStreams)) {
        auto oldest = m_detached.cbegin();
        for (auto it = m_detached.cbegin(); it != m_detached.cend(); ++it) {
            if (it.value() < oldest.value())
                oldest = it;
        }
        dropStream(oldest.key());
    }
}

void DemoServer::scheduleTrim()
{
    if (!m_schedule.isScheduled(m_trim))
        m_schedule.wakeIn(m_trim, kTrimDelayMs);
}

void DemoServer::dropStream(DemoStream *stream)
{
    if (m_streams.value(stream->id()) != stream)
        return;
    m_streams.remove(stream->id());
    m_detached.remove(stream);
    if (StreamConnection *reader = m_readers.take(stream))
        reader->abandon();
    stream->deleteLater();
    scheduleTrim();
}

void DemoServer::respondError(HttpResponder &http, int status, const QString &code,
                              const QString &message, HttpResponder::Headers headers)
{
    headers.prepend(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    http.writeResponse(status, headers, HttpConnection::errorBody(status, code, message));
}

void DemoServer::respondJson(HttpResponder &http, int status, const QJsonObject &object)
{
    http.writeResponse(status, {{"Content-Type", "application/json"}},
                       QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void DemoServer::respondFault(HttpResponder &http, const FaultInjection &faults)
{
    if (faults.htmlPage) {
        // What a misconfigured proxy or captive portal sends: a page, with status 200.
        http.writeResponse(200, {{"Content-Type", "text/html; charset=utf-8"}},
                           "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
                           "<body><h1>Bad Gateway</h1><p>The upstream server is not responding."
                           "</p></body></html>\n");
        return;
    }
    HttpResponder::Headers headers;
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
