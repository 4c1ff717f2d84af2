// ScriptedServer: a real HTTP/1.1 server on 127.0.0.1 for client tests. Each request is recorded
// and answered by a Script: raw bytes written in steps (with optional pauses), then a close or a
// stall. Tests control every byte, so they can send split UTF-8, split CRLF, bad statuses,
// endless lines or silence, which a well-behaved server never would.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>

#include <functional>

class QTcpSocket;

namespace qalam::test {

struct RecordedRequest
{
    QByteArray method;
    QByteArray path;                       // with the query
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

struct Script
{
    struct Step
    {
        QByteArray bytes;
        int delayMs = 0; // pause before writing these bytes
    };
    QList<Step> steps;
    enum class End { Close, Stall } end = End::Close;

    Script &write(const QByteArray &bytes, int delayMs = 0)
    {
        steps.append({bytes, delayMs});
        return *this;
    }
    Script &stall()
    {
        end = End::Stall;
        return *this;
    }

    // A response head with the given status and headers, e.g. head(200, {"Content-Type: x"}).
    static QByteArray head(int status, const QList<QByteArray> &headers);
    // 200, text/event-stream, Connection: close (the body ends when the socket closes).
    static Script eventStream(const QByteArray &body = {});
    // Any status with the given headers plus Connection: close, then the body.
    static Script response(int status, const QList<QByteArray> &headers,
                           const QByteArray &body = {});
    // Splits `bytes` into pieces of `size` bytes, each its own write with `delayMs` before it.
    Script &writeInPieces(const QByteArray &bytes, int size, int delayMs = 0);
};

class ScriptedServer : public QObject
{
    Q_OBJECT

public:
    using Responder = std::function<Script(const RecordedRequest &request, int index)>;

    explicit ScriptedServer(Responder responder, QObject *parent = nullptr);
    ~ScriptedServer() override;

    QUrl url(const QString &path = QStringLiteral("/")) const;
    // A loopback port nothing listens on (one a server held and released): connection refused.
    static quint16 closedPort();
    quint16 port() const { return m_server.serverPort(); }

    // Answer as soon as a request head is complete, without waiting for its body (a gateway
    // that refuses early, or a server streaming before the upload ends). The body is not read.
    void setAnswerBeforeBody(bool early) { m_answerBeforeBody = early; }

    const QList<RecordedRequest> &requests() const { return m_requests; }
    // TCP connections accepted so far.
    int connectionCount() const { return m_connections; }
    int openConnections() const;
    // Total bytes the server wrote, over all connections.
    qint64 bytesWritten() const { return m_bytesWritten; }

Q_SIGNALS:
    void requestReceived(int index);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void play(QPointer<QTcpSocket> socket, Script script, int step);

    QTcpServer m_server;
    Responder m_responder;
    QList<RecordedRequest> m_requests;
    QHash<QTcpSocket *, QByteArray> m_pending;
    qint64 m_bytesWritten = 0;
    int m_connections = 0;
    bool m_answerBeforeBody = false;
};

} // namespace qalam::test
