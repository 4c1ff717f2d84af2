#include "server/HttpResponder.h"

#include "server/HttpConnection.h"

#include <cstdio>

namespace qalam::server {

HttpResponder::HttpResponder(HttpConnection *connection, bool headOnly, bool keepAlive)
    : m_connection(connection), m_headOnly(headOnly), m_keepAlive(keepAlive)
{}

HttpResponder::~HttpResponder()
{
    // An unfinished response cannot be finished by anyone else: the client must not wait for it.
    if (!m_done && m_connection)
        m_connection->closeAfterFlush();
}

QTcpSocket *HttpResponder::socket() const
{
    return m_connection && m_connection->isConnected() ? m_connection->socket() : nullptr;
}

bool HttpResponder::isConnected() const
{
    return !m_done && m_connection && m_connection->isConnected();
}

qint64 HttpResponder::pendingBytes() const
{
    return m_connection ? m_connection->pendingBytes() : 0;
}

void HttpResponder::writeResponse(int status, const Headers &headers, const QByteArray &body)
{
    if (!isConnected())
        return;
    Headers all = headers;
    // A 204 has no body and must not say how long it is (RFC 9110, 8.6).
    if (status != 204)
        all.append(
            qMakePair(QByteArray("Content-Length"), QByteArray(QByteArray::number(body.size()))));
    all += m_extraHeaders;
    m_connection->writeHead(status, all, !m_keepAlive);
    if (!m_headOnly && status != 204)
        m_connection->write(body);
    m_done = true;
    m_connection->responseFinished(true);
}

void HttpResponder::beginStream(int status, const Headers &headers)
{
    if (!isConnected() || m_streaming)
        return;
    m_streaming = true;
    Headers all = headers;
    all.append(qMakePair(QByteArray("Transfer-Encoding"), QByteArray("chunked")));
    all += m_extraHeaders;
    m_connection->writeHead(status, all, !m_keepAlive);
}

void HttpResponder::writeChunk(const QByteArray &bytes)
{
    // An empty chunk would be the terminator; the body must only end through endStream().
    if (bytes.isEmpty() || !m_streaming || !isConnected() || m_headOnly)
        return;
    char size[24];
    const int length = std::snprintf(size, sizeof size, "%llx\r\n", qulonglong(bytes.size()));
    m_connection->writeParts({QByteArrayView(size, length), bytes, "\r\n"});
}

void HttpResponder::endStream()
{
    if (!m_streaming || !isConnected())
        return;
    m_streaming = false;
    if (!m_headOnly)
        m_connection->write("0\r\n\r\n");
    m_done = true;
    m_connection->responseFinished(true);
}

void HttpResponder::closeConnection()
{
    m_streaming = false;
    m_done = true;
    if (m_connection)
        m_connection->closeAfterFlush();
}

} // namespace qalam::server
