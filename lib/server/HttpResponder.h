// HttpResponder: the answer to one request, as the demo server's handlers write it.
//
// Either one complete response (writeResponse, with a Content-Length), or a streamed one
// (beginStream, then writeChunk for each piece, each its own chunk of a chunked body, then
// endStream). Once the response is complete the connection goes on with its next request.
// Destroying a responder whose response is unfinished closes the connection, so a response can
// never be left hanging. Writing after the client left does nothing.
#pragma once

#include "server/HttpRequest.h"

#include <QByteArray>
#include <QPointer>
#include <QTcpSocket>

namespace qalam::server {

class HttpConnection;

class HttpResponder
{
public:
    using Headers = HttpRequest::Headers;

    HttpResponder(HttpConnection *connection, bool headOnly, bool keepAlive);
    ~HttpResponder();
    HttpResponder(const HttpResponder &) = delete;
    HttpResponder &operator=(const HttpResponder &) = delete;

    // Null once the client has gone.
    QTcpSocket *socket() const;
    bool isConnected() const;
    // Bytes queued in the socket that the kernel has not taken yet: the backpressure signal.
    qint64 pendingBytes() const;

    // Headers added to every response head written from now on (CORS).
    void addHeaders(const Headers &headers) { m_extraHeaders += headers; }

    void writeResponse(int status, const Headers &headers, const QByteArray &body);
    void beginStream(int status, const Headers &headers);
    void writeChunk(const QByteArray &bytes);
    // The terminating chunk: the body ends cleanly and the connection can be reused.
    void endStream();
    // Ends the connection without ending the body, once what was written has been sent: the
    // client sees a response that was cut off.
    void closeConnection();

private:
    QPointer<HttpConnection> m_connection;
    Headers m_extraHeaders;
    bool m_headOnly;
    bool m_keepAlive;
    bool m_streaming = false;
    bool m_done = false;
};

} // namespace qalam::server
