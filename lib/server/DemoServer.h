// DemoServer: Qalam's offline backend, a real HTTP/1.1 server, on loopback by default.
//
// It serves the admin stream of docs/protocol.md and an OpenAI-compatible chat completions API
// from a canned bilingual corpus, with resumable streams, heartbeats, backpressure and fault
// injection, so the app's demo mode and every client test talk to a real server. It is built to
// stay up under abuse (bounded heads, bodies, connections and kept streams; timeouts for slow
// clients; Host and Origin checks against DNS rebinding and cross-site requests) and to hold
// 10,000 streams (one shared schedule for all its waiting, events rebuilt on demand, writes
// straight to the kernel). Routes, options, limits and faults are documented in docs/server.md.
#pragma once

#include "server/DemoCorpus.h"
#include "server/DemoRequest.h"
#include "server/DemoStream.h"
#include "server/FaultInjection.h"
#include "server/HttpRequest.h"
#include "server/HttpResponder.h"
#include "server/ReplayLibrary.h"
#include "server/ScheduleTimer.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace qalam::server {

class DemoStream;
class HttpListener;
class StreamConnection;

// What a DemoServer serves and how (see docs/server.md).
struct DemoServerOptions
{
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    QString token;                 // required for any non-loopback address
    double tokensPerSecond = 45.0; // deltas per second
    quint64 seed = 0;              // for requests that do not send one
    QString model = QStringLiteral("qalam-demo");
    QString faults;                // fault spec for requests that do not bring their own
    qint64 replayMaxEvents = 4096; // replay buffer bounds, per stream
    qint64 replayMaxBytes = 512 * 1024;
    qint64 maxBodyBytes = 1024 * 1024;
    qint64 writeHighWaterBytes = 64 * 1024; // unsent bytes per client before generation pauses
    QString corpusDirectory;                // empty: the built-in corpus
    int firstTokenMs = 300;
    int heartbeatMs = 20000;
    int retryMs = 2000;            // the `retry:` sent before the first event
    int resumeWindowMs = 60000;    // a stream with no client is kept this long
    int socketSendBufferBytes = 0; // SO_SNDBUF of stream connections; 0: system default
    quint16 port = 0;              // 0: any free port
    bool raiseFileLimit = true;    // listen() raises the soft RLIMIT_NOFILE to the hard limit

    // Limits that keep the server up (docs/server.md, "Limits").
    qsizetype maxHeadBytes = 16 * 1024; // request line and headers, else 431
    QStringList allowedHosts;   // Host names accepted besides the bound address and localhost
    QStringList allowedOrigins; // browser origins allowed (with CORS); "*": any
    int headTimeoutMs = 10000;  // the request head must arrive within this, else 408
    int bodyTimeoutMs = 30000;  // the body, from the end of the head, else 408
    int idleTimeoutMs = 30000;  // a keep-alive connection with no request is closed
    int maxConnections = 0;     // 0: the file descriptor limit less a reserve; then 503
    int maxConnectionsPerClient = 256; // from one address; 0: no bound; then 503
    int overloadRetryAfterSeconds = 2; // the Retry-After of those 503s
    int maxLastEventIdBytes = 1024;    // a longer Last-Event-ID is an unknown stream
    int maxDetachedStreams = 1024;     // streams kept for a resume with no client; the oldest go
    // A recording file or a folder of them (docs/recording.md): the stream routes then play
    // those back instead of answering from the corpus.
    QString replayPath;
    // Listen with SO_REUSEPORT, so that servers in several threads share the port (one event
    // loop per core); each keeps its own streams, and a resume that reaches another one is
    // served by regenerating the stream (docs/server.md, "Resume").
    bool sharedPort = false;
    double replaySpeed = 1.0; // recorded time divided by this; 0: as fast as possible
};

class DemoServer : public QObject
{
    Q_OBJECT

public:
    using Options = DemoServerOptions;

    struct Stats
    {
        int streams = 0;         // generations kept (running, or waiting for a resume)
        int connections = 0;     // responses being streamed
        int generating = 0;      // streams whose pacing timer runs
        int held = 0;            // streams paused because their client does not read
        int activeTimers = 0;    // deadlines on the shared schedule (pacing, heartbeats, timeouts)
        int detached = 0;        // streams with no client, kept for a resume
        int httpConnections = 0; // open client connections (streaming, idle or being read)
        int refused = 0;         // connections answered 503 because of a connection limit
    };

    explicit DemoServer(Options options = Options(), QObject *parent = nullptr);
    ~DemoServer() override;

    // Starts listening. Fails (see errorString()) when the address needs a token and none is
    // set, the corpus is empty or the port cannot be bound.
    bool listen();
    QString errorString() const { return m_error; }

    QHostAddress address() const;
    quint16 port() const;
    // http://address:port (no path).
    QUrl url() const;
    // The path of the admin stream (docs/protocol.md), resolved against url() by clients.
    static QString adminStreamPath();

    const Options &options() const { return m_options; }
    Stats stats() const;

private:
    using Http = std::unique_ptr<HttpResponder>;
    using Handler = void (DemoServer::*)(const HttpRequest &, Http);
    struct Route
    {
        Handler handler;
        QList<QByteArray> methods;
    };
    void dispatch(HttpRequest &&request, Http http);
    bool authorized(const HttpRequest &request) const;
    // Host and Origin checks, CORS headers and preflights; false when it answered the request.
    bool admitted(const HttpRequest &request, HttpResponder &http, const Route *route);

    void handleAdminStream(const HttpRequest &request, Http http);
    void handleCompletions(const HttpRequest &request, Http http);
    void handleModels(const HttpRequest &request, Http http);
    void handleHealth(const HttpRequest &request, Http http);
    void handleMissing(const HttpRequest &request, Http http);

    // Shared request checks; each answers the request itself and returns nothing on failure.
    bool allowMethods(const HttpRequest &request, HttpResponder &http,
                      const QList<QByteArray> &methods);
    std::optional<FaultInjection> checkBodyAndFaults(const HttpRequest &request,
                                                     HttpResponder &http);
    // The admin stream request (POST body or GET query) with the server's defaults applied;
    // nothing, with `error` set, when it is not a valid one.
    std::optional<AnswerRequest> adminRequest(const HttpRequest &request, QString *error) const;
    void resume(const HttpRequest &request, const QByteArray &lastEventId, Http http,
                const FaultInjection &faults);
    // Resume of a stream this server does not have: regenerates it from the request when the
    // stream id's digest is the request's (docs/server.md). Returns why not, having answered
    // nothing, or an empty string, having taken `http`.
    QString regenerate(const HttpRequest &request, const ResumePoint &point, Http &http,
                       const FaultInjection &faults);
    static void respondUnknownStream(HttpResponder &http, const QByteArray &lastEventId,
                                     const QString &problem);
    // Answers a stream request from the recordings (--replay).
    void replay(const HttpRequest &request, const QString &prompt, Http http,
                const FaultInjection &faults);

    // What a new stream for `request` is made of, with a new id.
    DemoStream::Settings streamSettings(DemoStream::Protocol protocol, const AnswerRequest &request,
                                        bool includeUsage) const;
    DemoStream *addStream(DemoStream::Settings settings);
    void attach(DemoStream *stream, Http http, qint64 fromIndex, const FaultInjection &faults);
    void onConnectionClosed(StreamConnection *connection);
    void dropStream(DemoStream *stream);
    // Drops the streams kept longest without a client while more than maxDetachedStreams are.
    void trimDetached();
    // Hands freed memory back to the system a moment after streams or connections went.
    void scheduleTrim();

    static void respondError(HttpResponder &http, int status, const QString &code,
                             const QString &message, HttpResponder::Headers headers = {});
    static void respondJson(HttpResponder &http, int status, const QJsonObject &object);
    static void respondFault(HttpResponder &http, const FaultInjection &faults);

    Options m_options;
    FaultInjection m_defaultFaults;
    DemoCorpus m_corpus;
    QString m_error;
    ScheduleTimer m_schedule; // no parent: not one of this object's children
    ScheduleTimer::Key m_trim;
    std::unique_ptr<HttpListener> m_listener; // no parent, as m_schedule
    QHash<QString, Route> m_routes;
    std::unique_ptr<ReplayLibrary> m_replay;           // with replayPath
    QHash<QString, DemoStream *> m_streams;            // children of this; by stream id
    QHash<DemoStream *, StreamConnection *> m_readers; // the connection reading each stream
    QHash<DemoStream *, quint64> m_detached;           // streams with no reader: since when
    quint64 m_detachCount = 0;
    QSet<StreamConnection *> m_connections; // children of this
};

} // namespace qalam::server
