// HttpServerAdapter: the one place that knows how QHttpServer writes a response.
//
// Qt 6.4 offers writeStatusLine()/writeHeaders()/writeBody(), which go straight to the socket and
// add no framing, so this class frames the chunks itself; Qt 6.8 replaced them with
// writeBeginChunked()/writeChunk()/writeEndChunked(). Everything else in the server streams
// through this class and never sees the difference. It also keeps a guarded pointer to the
// connection's socket: the responder holds a raw one, and writing after the client left would
// touch a deleted object.
#pragma once

#include <QByteArray>
#include <QHttpServerResponder>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QTcpSocket>

#include <memory>

class QHttpServer;
class QHttpServerRequest;

namespace qalam::server {

class HttpServerAdapter
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    // `socket` is the request's connection (see socketFor()).
    HttpServerAdapter(QHttpServerResponder &&responder, QTcpSocket *socket);
    ~HttpServerAdapter();
    HttpServerAdapter(const HttpServerAdapter &) = delete;
    HttpServerAdapter &operator=(const HttpServerAdapter &) = delete;

    // The connection a request arrived on, or null when it cannot be found.
    static QTcpSocket *socketFor(QHttpServer &server, const QHttpServerRequest &request,
                                 QHttpServerResponder &responder);

    // Null once the client has gone (or the connection was closed here).
    QTcpSocket *socket() const { return m_socket; }
    bool isConnected() const;
    // Bytes handed to the socket but not yet to the kernel: the backpressure signal.
    qint64 pendingBytes() const;

    // A complete response with a Content-Length; the connection stays usable.
    void writeResponse(int status, const Headers &headers, const QByteArray &body);

    // A streamed response: the head with `Transfer-Encoding: chunked`, then one chunk per
    // writeChunk() (each goes out as its own piece of the body), then endStream().
    void beginStream(int status, const Headers &headers);
    void writeChunk(const QByteArray &bytes);
    // Writes the terminating chunk: the body ends cleanly and the connection can be reused.
    void endStream();

    // Ends the connection without ending the body, after the bytes already written have been
    // sent: the client sees a response that was cut off.
    void closeConnection();

private:
    std::unique_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_streaming = false;
};

} // namespace qalam::server
