// SseConsumer: turns an HTTP request into a live stream of Server-Sent Events.
//
// Runs on QNetworkAccessManager; feeds the body into an SseParser; reconnects with
// `Last-Event-ID` after a network error, an end of stream or a stall; refuses what is not an
// event stream with an error that says why. One instance serves one logical stream at a time.
#pragma once

#include "sse/ReconnectPolicy.h"
#include "sse/SseEvent.h"
#include "sse/SseParser.h"
#include "sse/SseRequest.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSslError>
#include <QTimer>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace qalam {

struct SseMetrics
{
    qint64 timeToFirstByteMs = -1;  // from start(), of the first connection that sent bytes
    qint64 timeToFirstEventMs = -1; // from start()
    qint64 bytes = 0;               // body bytes received, over all connections
    qint64 events = 0;
    qint64 comments = 0;
    int reconnects = 0;
    qint64 elapsedMs = 0; // from start() to finish (or to now while running)
};

class SseConsumer : public QObject, private SseParser::Handler
{
    Q_OBJECT

public:
    struct Options
    {
        // Behave exactly like a browser's EventSource: any status but 200 (and 429/503 too) fails
        // at once, and reconnections wait exactly the reconnection time, without backoff.
        bool specStrict = false;
        int maxReconnects = 5; // reconnection budget; -1: unlimited
        // true: the budget counts consecutive attempts and refills when an event arrives (a long
        // answer may survive many separate drops); false: it counts every reconnection.
        bool budgetResetsOnEvent = true;
        qint64 initialRetryMs = 3000;
        qint64 minRetryMs = 500;         // floor for `retry`, so `retry: 0` cannot spin
        qint64 maxRetryMs = 30000;       // cap for exponential backoff
        qint64 maxRetryAfterMs = 600000; // a longer Retry-After fails instead of waiting
        qint64 stallTimeoutMs = 45000;   // no bytes at all (comments count) for this long: dead
        int maxRedirects = 20;           // hops followed per connection
        // A response head over either bound is refused ("the response head is too large"), as
        // no real event stream needs one. Qt 6.4 drops the fields of a head with more than 100
        // (reported the same way), so more than 100 is never seen here.
        qint64 maxResponseHeadBytes = 64 * 1024;
        int maxResponseHeadFields = 200;
        SseParser::Limits limits;
    };

    enum class State { Idle, Connecting, Open, Waiting, Closed };
    Q_ENUM(State)

    enum class ErrorKind {
        Network,            // could not connect, or the connection failed and retries ran out
        HttpStatus,         // the server answered with a status other than 200
        CredentialsRefused, // 401 or 403
        ContentType,        // the body is not text/event-stream
        StreamTooLarge,     // a line or event over the parser's limits
        Stalled,            // silent past the stall timeout and retries ran out
        Redirect,           // a redirect that may not be followed (loop, downgrade, POST -> GET)
        BadResponse,        // a response head too large, or a second response to one request
        Tls,                // the server's certificate was refused
    };
    Q_ENUM(ErrorKind)

    enum class FinishReason {
        ServerClosed, // HTTP 204: the server asked us not to reconnect
        EndOfStream,  // the stream ended and no reconnection was allowed or left
        Cancelled,    // cancel()
        Failed,       // after errorOccurred()
    };
    Q_ENUM(FinishReason)

    // `network` may be null: the consumer then owns a QNetworkAccessManager of its own.
    explicit SseConsumer(QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);
    ~SseConsumer() override;

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }

    // Starts a new stream: metrics, reconnection time and last event id start afresh.
    void start(const SseRequest &request);
    // Stops at once: aborts the connection and any pending reconnection.
    void cancel();

    State state() const { return m_state; }
    QString lastEventId() const { return m_parser.lastEventId(); }
    SseMetrics metrics() const;
    // The status of the last response, or 0.
    int lastHttpStatus() const { return m_lastStatus; }

Q_SIGNALS:
    void opened();
    void eventReceived(const qalam::SseEvent &event);
    void comment(const QString &text);
    void retryChanged(qint64 milliseconds);
    // A connection ended (end of stream, network error or stall) and another one follows after
    // `delayMs`; `attempt` counts from 1 since the last event.
    void reconnecting(int attempt, qint64 delayMs, const QString &reason);
    void errorOccurred(qalam::SseConsumer::ErrorKind kind, const QString &message);
    void finished(qalam::SseConsumer::FinishReason reason);

private:
    void onEvent(const SseEvent &event) override;
    void onComment(QStringView text) override;
    void onRetry(qint64 milliseconds) override;

    void connectNow();
    void sendHop();
    void onMetaData();
    void followRedirect(int status);
    bool headWithinLimits();
    void connectionLost(const QString &reason, bool responseAccepted);
    QString lastReceivedText() const;
    void onReadyRead();
    void onReplyFinished();
    void checkStall();
    bool acceptResponse();
    void scheduleReconnect(const QString &reason, qint64 forcedDelayMs = -1);
    void fail(ErrorKind kind, const QString &message);
    void finish(FinishReason reason);
    void dropReply();
    void rejectResponse();

    QNetworkAccessManager *m_network = nullptr;
    std::unique_ptr<QNetworkAccessManager> m_ownNetwork;
    Options m_options;
    SseRequest m_request;
    State m_state = State::Idle;
    SseParser m_parser;
    ReconnectPolicy m_policy;

    // What the stall message says was last received on this connection.
    enum class Received { Nothing, RequestSent, Head, Bytes, Comment, Event };

    QPointer<QNetworkReply> m_reply;
    SseRequest m_hop; // the request of the current hop: m_request after the redirects so far
    int m_redirects = 0;
    QList<QSslError> m_sslErrors;
    Received m_received = Received::Nothing;
    qint64 m_receivedAtMs = 0;
    bool m_responseChecked = false;
    bool m_rejecting = false; // a refused response whose body is read for the error message
    QByteArray m_errorBody;   // bounded: the start of a refused response, for the error message
    int m_lastStatus = 0;
    qint64 m_lastRetry = -1;

    QTimer m_reconnectTimer;
    QTimer m_stallTimer;
    QElapsedTimer m_clock;
    qint64 m_lastByteAtMs = 0;
    SseMetrics m_metrics;
};

} // namespace qalam
