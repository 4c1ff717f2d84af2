// DemoServer: Qalam's offline backend, a real HTTP server on loopback built on QHttpServer.
//
// It serves the admin stream of docs/protocol.md and an OpenAI-compatible chat completions API
// from a canned bilingual corpus, with resumable streams, heartbeats, backpressure and fault
// injection, so the app's demo mode and every client test talk to a real server. Routes,
// options and faults are documented in docs/server.md.
#pragma once

#include "server/DemoCorpus.h"
#include "server/DemoRequest.h"
#include "server/DemoStream.h"
#include "server/FaultInjection.h"
#include "server/HttpServerAdapter.h"

#include <QHash>
#include <QHostAddress>
#include <QHttpServer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTcpServer>
#include <QUrl>

#include <memory>
#include <optional>

class QHttpServerRequest;

namespace qalam::server {

class DemoStream;
class StreamConnection;

// What a DemoServer serves and how (see docs/server.md).
struct DemoServerOptions
{
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;              // 0: any free port
    QString token;                 // required for any non-loopback address
    double tokensPerSecond = 45.0; // deltas per second
    int firstTokenMs = 300;
    int heartbeatMs = 20000;
    int retryMs = 2000; // the `retry:` sent before the first event
    quint64 seed = 0;   // for requests that do not send one
    QString model = QStringLiteral("qalam-demo");
    QString faults;                // fault spec for requests that do not bring their own
    int resumeWindowMs = 60000;    // a stream with no client is kept this long
    qint64 replayMaxEvents = 4096; // replay buffer bounds, per stream
    qint64 replayMaxBytes = 512 * 1024;
    qint64 maxBodyBytes = 1024 * 1024;
    qint64 writeHighWaterBytes = 64 * 1024; // unsent bytes per client before generation pauses
    int socketSendBufferBytes = 0;          // SO_SNDBUF of stream connections; 0: system default
    QString corpusDirectory;                // empty: the built-in corpus
};

class DemoServer : public QObject
{
    Q_OBJECT

public:
    using Options = DemoServerOptions;

    struct Stats
    {
        int streams = 0;      // generations kept (running, or waiting for a resume)
        int connections = 0;  // responses being streamed
        int generating = 0;   // streams whose pacing timer runs
        int held = 0;         // streams paused because their client does not read
        int activeTimers = 0; // timers of streams and connections
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
    using Http = std::unique_ptr<HttpServerAdapter>;
    using Handler = void (DemoServer::*)(const QHttpServerRequest &, Http);
    void addRoute(const QString &path, Handler handler);
    void dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder,
                  Handler handler);
    bool authorized(const QHttpServerRequest &request) const;

    void handleAdminStream(const QHttpServerRequest &request, Http http);
    void handleCompletions(const QHttpServerRequest &request, Http http);
    void handleModels(const QHttpServerRequest &request, Http http);
    void handleHealth(const QHttpServerRequest &request, Http http);
    void handleMissing(const QHttpServerRequest &request, Http http);

    // Shared request checks; each answers the request itself and returns nothing on failure.
    bool allowMethods(const QHttpServerRequest &request, HttpServerAdapter &http,
                      const QList<QByteArray> &methods);
    std::optional<FaultInjection> checkBodyAndFaults(const QHttpServerRequest &request,
                                                     HttpServerAdapter &http);
    // The admin stream request (POST body or GET query) with the server's defaults applied;
    // nothing, with `error` set, when it is not a valid one.
    std::optional<AnswerRequest> adminRequest(const QHttpServerRequest &request,
                                              QString *error) const;
    void resume(const QHttpServerRequest &request, const QByteArray &lastEventId, Http http,
                const FaultInjection &faults);
    // Resume of a stream this server does not have: regenerates it from the request when the
    // stream id's digest is the request's (docs/server.md). Returns why not, having answered
    // nothing, or an empty string, having taken `http`.
    QString regenerate(const QHttpServerRequest &request, const ResumePoint &point, Http &http,
                       const FaultInjection &faults);

    // What a new stream for `request` is made of, with a new id.
    DemoStream::Settings streamSettings(DemoStream::Protocol protocol, const AnswerRequest &request,
                                        bool includeUsage) const;
    DemoStream *addStream(DemoStream::Settings settings);
    void attach(DemoStream *stream, Http http, qint64 fromIndex, const FaultInjection &faults);
    void onConnectionClosed(StreamConnection *connection);
    void dropStream(DemoStream *stream);

    static void respondError(HttpServerAdapter &http, int status, const QString &code,
                             const QString &message, HttpServerAdapter::Headers headers = {});
    static void respondJson(HttpServerAdapter &http, int status, const QJsonObject &object);
    static void respondFault(HttpServerAdapter &http, const FaultInjection &faults);

    Options m_options;
    FaultInjection m_defaultFaults;
    DemoCorpus m_corpus;
    QString m_error;
    QHttpServer m_http; // no parent: its sockets' timers are not ours to count
    QPointer<QTcpServer> m_listener;
    QHash<QString, DemoStream *> m_streams;            // children of this; by stream id
    QHash<DemoStream *, StreamConnection *> m_readers; // the connection reading each stream
    QSet<StreamConnection *> m_connections;            // children of this
};

} // namespace qalam::server
