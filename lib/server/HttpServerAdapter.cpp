#include "server/HttpServerAdapter.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QtGlobal>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpHeaders>
#endif

namespace qalam::server {

namespace {

QHttpServerResponder::StatusCode statusCode(int status)
{
    return static_cast<QHttpServerResponder::StatusCode>(status);
}

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
QHttpHeaders toHttpHeaders(const HttpServerAdapter::Headers &headers)
{
    QHttpHeaders out;
    for (const auto &[name, value] : headers)
        out.append(name, value);
    return out;
}
#endif

} // namespace

HttpServerAdapter::HttpServerAdapter(QHttpServerResponder &&responder, QTcpSocket *socket)
    : m_responder(std::make_unique<QHttpServerResponder>(std::move(responder))), m_socket(socket)
{}

// On 6.8 the protocol handler behind the responder stays alive until the responder is destroyed
// (even after the client left), so destroying it here is always safe.
HttpServerAdapter::~HttpServerAdapter() = default;

QTcpSocket *HttpServerAdapter::socketFor(QHttpServer &server, const QHttpServerRequest &request,
                                         QHttpServerResponder &responder)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    Q_UNUSED(responder);
    // 6.8's responder no longer exposes its socket; find the connection by its peer.
    for (QTcpServer *listener : server.servers()) {
        for (QTcpSocket *socket : listener->findChildren<QTcpSocket *>()) {
            if (socket->peerPort() == request.remotePort() &&
                socket->peerAddress() == request.remoteAddress()) {
                return socket;
            }
        }
    }
    return nullptr;
#else
    Q_UNUSED(server);
    Q_UNUSED(request);
    return responder.socket();
#endif
}

bool HttpServerAdapter::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 HttpServerAdapter::pendingBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void HttpServerAdapter::writeResponse(int status, const Headers &headers, const QByteArray &body)
{
    if (!isConnected())
        return;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->write(body, toHttpHeaders(headers), statusCode(status));
#else
    m_responder->writeStatusLine(statusCode(status));
    for (const auto &[name, value] : headers)
        m_responder->writeHeader(name, value);
    // A 204 has no body and must not say how long it is (RFC 9110, 8.6).
    if (status != 204)
        m_responder->writeHeader("Content-Length", QByteArray::number(body.size()));
    m_responder->writeBody(body);
#endif
}

void HttpServerAdapter::beginStream(int status, const Headers &headers)
{
    if (!isConnected())
        return;
    m_streaming = true;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->writeBeginChunked(toHttpHeaders(headers), statusCode(status));
#else
    m_responder->writeStatusLine(statusCode(status));
    for (const auto &[name, value] : headers)
        m_responder->writeHeader(name, value);
    m_responder->writeHeader("Transfer-Encoding", "chunked");
    // writeBody() ends the head with the blank line; an empty body piece writes nothing else.
    m_responder->writeBody(QByteArray());
#endif
}

void HttpServerAdapter::writeChunk(const QByteArray &bytes)
{
    // An empty chunk would be the terminator; the body must only end through endStream().
    if (bytes.isEmpty() || !m_streaming || !isConnected())
        return;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->writeChunk(bytes);
#else
    QByteArray chunk = QByteArray::number(bytes.size(), 16);
    chunk.reserve(chunk.size() + bytes.size() + 4);
    chunk += "\r\n";
    chunk += bytes;
    chunk += "\r\n";
    m_responder->writeBody(chunk);
#endif
}

void HttpServerAdapter::endStream()
{
    if (!m_streaming || !isConnected())
        return;
    m_streaming = false;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->writeEndChunked(QByteArray());
#else
    m_responder->writeBody("0\r\n\r\n");
#endif
}

void HttpServerAdapter::closeConnection()
{
    m_streaming = false;
    if (m_socket)
        m_socket->disconnectFromHost();
}

} // namespace qalam::server
