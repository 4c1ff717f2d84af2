// HttpConnection: one client connection of the demo server, from accept to close.
//
// It reads requests with HttpRequestReader (one at a time; pipelined ones wait their turn),
// hands each complete request to the server with an HttpResponder, and enforces what keeps a
// server up under abuse: the request head must arrive within headTimeoutMs and the body within
// bodyTimeoutMs (else 408), an idle keep-alive connection is closed after idleTimeoutMs, heads
// and bodies are bounded (431, 413), and a connection that is refused is closed gracefully (our
// answer is sent, then what the client still sends is read and dropped for a moment, so the
// answer is not lost to a reset). Its timeouts live in the server's shared ScheduleTimer.
//
// Writes go straight to the kernel with send() while nothing is queued in the QTcpSocket: an
// event stream's small writes then never turn the socket's write notifier on and off, which with
// thousands of connections is what the event loop spends its time on. Only what the kernel does
// not take is queued in the socket (and its bytesWritten() then tells when it drains).
#pragma once

#include "server/HttpRequest.h"
#include "server/HttpRequestReader.h"
#include "server/ScheduleTimer.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <functional>
#include <initializer_list>
#include <memory>

namespace qalam::server {

class HttpResponder;

class HttpConnection : public QObject
{
    Q_OBJECT

public:
    using Headers = HttpRequest::Headers;
    struct Settings
    {
        HttpRequestReader::Limits limits;
        int headTimeoutMs = 10000;
        int bodyTimeoutMs = 30000;
        int idleTimeoutMs = 30000;
        int lingerMs = 2000; // how long a refused client's further bytes are read and dropped
    };
    using Handler = std::function<void(HttpRequest &&, std::unique_ptr<HttpResponder>)>;

    // Takes `socket` (a connected one) as its child.
    HttpConnection(QTcpSocket *socket, ScheduleTimer &timer, Settings settings, Handler handler,
                   QObject *parent = nullptr);
    ~HttpConnection() override;

    QTcpSocket *socket() const { return m_socket; }
    QHostAddress peerAddress() const { return m_peer; }
    bool isConnected() const;
    qint64 pendingBytes() const;

    // Starts reading requests.
    void start();
    // Answers `status` with the JSON error body and closes; for a connection that is not
    // served at all (over a connection limit).
    void refuse(int status, const QString &code, const QString &message,
                const Headers &headers = {});

    // The server's JSON error body: {"error":{"code","message","type"}}.
    static QByteArray errorBody(int status, const QString &code, const QString &message);

Q_SIGNALS:
    // The connection is gone (or going): emitted once; the owner deletes it later.
    void closed();

private:
    friend class HttpResponder;

    enum class State { Reading, Responding, Closing };

    void write(QByteArrayView bytes) { writeParts({bytes}); }
    // The parts in order, in one system call when nothing is queued.
    void writeParts(std::initializer_list<QByteArrayView> parts);
    void writeHead(int status, const Headers &headers, bool closing);
    void onReadyRead();
    void readInput();
    void processInput();
    void respondAndClose(int status, const QString &code, const QString &message,
                         const Headers &headers = {});
    // From the responder: the response is complete; the connection may carry the next request.
    void responseFinished(bool reusable);
    // Ends the connection after what was written has gone, without waiting for the client.
    void closeAfterFlush();
    // Half-closes after our bytes have gone and drops what the client still sends, for a while.
    void linger();
    void shutdownWrite();
    void onDeadline();
    void onDisconnected();
    void setDeadline(qint64 delayMs);

    QPointer<QTcpSocket> m_socket;
    ScheduleTimer &m_timer;
    ScheduleTimer::Key m_deadline;
    Settings m_settings;
    Handler m_handler;
    HttpRequestReader m_reader;
    QByteArray m_input;
    QHostAddress m_peer;
    State m_state = State::Reading;
    bool m_closeAfterResponse = false;
    bool m_writeShut = false;
    bool m_closedEmitted = false;
    bool m_anyRequest = false; // a complete request was read: a later silence is idleness
    qintptr m_descriptor = -1;
};

} // namespace qalam::server
