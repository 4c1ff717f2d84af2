// Helpers for the demo server tests: a raw HTTP/1.1 client that records every byte (chunk
// boundaries included), SSE parsing with the project's own parser, and event comparisons.
#pragma once

#include "sse/SseEvent.h"
#include "sse/SseParser.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTcpSocket>
#include <QTest>

#include <functional>

namespace qalam::test {

struct RawResponse
{
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;                       // de-chunked
    QList<QByteArray> chunks;              // as framed by the server
    bool chunked = false;
    bool ended = false;  // the body ended as framed (terminating chunk or Content-Length)
    bool closed = false; // the server closed the connection
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

// One HTTP exchange on its own connection, read as it arrives.
class RawClient : public QObject
{
    Q_OBJECT

public:
    explicit RawClient(quint16 port, QObject *parent = nullptr);
    // A socket already connected (e.g. created with special socket options).
    struct AdoptDescriptor
    {
        qintptr descriptor;
    };
    explicit RawClient(AdoptDescriptor connected, QObject *parent = nullptr);

    void send(const QByteArray &method, const QByteArray &path,
              const QList<QPair<QByteArray, QByteArray>> &headers = {},
              const QByteArray &body = {});
    void sendRaw(const QByteArray &bytes) { m_socket.write(bytes); }
    bool waitForEnd(int timeoutMs = 30000);
    bool waitFor(const std::function<bool()> &condition, int timeoutMs = 30000);
    void abort() { m_socket.abort(); }
    // A paused client reads nothing: with a small read buffer its TCP window closes.
    void setPaused(bool paused);
    QTcpSocket &socket() { return m_socket; }
    const RawResponse &response() const { return m_response; }

private:
    void onReadyRead();
    void parse();

    QTcpSocket m_socket;
    QByteArray m_in;
    bool m_headDone = false;
    bool m_paused = false;
    qint64 m_contentLength = -1;
    RawResponse m_response;
};

// Runs the event loop until `condition` holds or the time is up; unlike QTest::qWaitFor it never
// sleeps, so a server in the same thread runs at full speed meanwhile.
bool waitUntil(const std::function<bool()> &condition, int timeoutMs = 30000);

// Sends one request and waits for the whole response.
RawResponse fetch(quint16 port, const QByteArray &method, const QByteArray &path,
                  const QList<QPair<QByteArray, QByteArray>> &headers = {},
                  const QByteArray &body = {});

QList<SseEvent> parseEvents(const QByteArray &body, QStringList *comments = nullptr);
// The `n` of an admin stream id "<stream>.<n>", or -1.
qint64 eventNumber(const QString &id);
// Event type and data, ignoring ids: how two streams of the same prompt are compared.
QList<QPair<QString, QString>> typeAndData(const QList<SseEvent> &events);
QString deltaText(const QList<SseEvent> &events);
QByteArray promptBody(const QString &prompt, qint64 seed = -1);

} // namespace qalam::test
