#include "server/HttpConnection.h"

#include "server/HttpResponder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>

#include <array>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>

namespace qalam::server {

namespace {

// Bytes taken from the socket per read while a request is being read. The socket's own buffer
// is bounded too (HttpListener), so a client that sends faster than requests are served is
// slowed down by TCP instead of filling memory.
constexpr qint64 kReadChunk = 64 * 1024;
// A half-open peer (gone without a FIN) is noticed by TCP within this time of unacknowledged
// data, instead of the kernel's default of about 15 minutes of retransmissions.
constexpr int kUserTimeoutMs = 60000;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 421:
        return "Misdirected Request";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return status >= 500 ? "Server Error" : "Client Error";
    }
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, ScheduleTimer &timer, Settings settings,
                               Handler handler, QObject *parent)
    : QObject(parent), m_socket(socket), m_timer(timer),
      m_deadline(timer.add([this] { onDeadline(); })), m_settings(settings),
      m_handler(std::move(handler)), m_reader(settings.limits), m_peer(socket->peerAddress()),
      m_descriptor(socket->socketDescriptor())
{
    socket->setParent(this);
    if (m_descriptor >= 0) {
        const int on = 1;
        ::setsockopt(int(m_descriptor), SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
        ::setsockopt(int(m_descriptor), IPPROTO_TCP, TCP_USER_TIMEOUT, &kUserTimeoutMs,
                     sizeof kUserTimeoutMs);
    }
    connect(socket, &QIODevice::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QAbstractSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(socket, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_socket && m_socket->state() != QAbstractSocket::ConnectedState)
            onDisconnected();
    });
    connect(socket, &QIODevice::bytesWritten, this, [this] {
        if (m_state == State::Closing && !m_writeShut && m_socket && m_socket->bytesToWrite() == 0)
            shutdownWrite();
    });
}

HttpConnection::~HttpConnection()
{
    m_timer.remove(m_deadline);
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
}

bool HttpConnection::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState &&
           m_state != State::Closing;
}

qint64 HttpConnection::pendingBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void HttpConnection::start()
{
    setDeadline(m_settings.headTimeoutMs);
    if (m_socket && m_socket->bytesAvailable() > 0)
        processInput();
}

QByteArray HttpConnection::errorBody(int status, const QString &code, const QString &message)
{
    // {"error": {"code", "message"}} is the admin stream's error body; "type" makes it an
    // OpenAI error body too, so one shape serves both APIs.
    const QJsonObject error{
        {QStringLiteral("code"), code},
        {QStringLiteral("message"), message},
        {QStringLiteral("type"),
         status >= 500 ? QStringLiteral("server_error") : QStringLiteral("invalid_request_error")}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
        .toJson(QJsonDocument::Compact);
}

void HttpConnection::writeParts(std::initializer_list<QByteArrayView> parts)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState || m_writeShut)
        return;
    qsizetype total = 0;
    for (const QByteArrayView part : parts)
        total += part.size();
    if (total == 0)
        return;
    qsizetype sent = 0;
    if (m_socket->bytesToWrite() == 0 && m_descriptor >= 0) {
        std::array<iovec, 4> vectors{};
        size_t count = 0;
        for (const QByteArrayView part : parts) {
            if (!part.isEmpty() && count < vectors.size())
                vectors[count++] = {const_cast<char *>(part.data()), size_t(part.size())};
        }
        msghdr message{};
        message.msg_iov = vectors.data();
        message.msg_iovlen = count;
        const ssize_t n = ::sendmsg(int(m_descriptor), &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        // On an error other than a full buffer, the socket finds out by itself when it writes
        // the rest, and reports the connection gone as usual.
        sent = n > 0 ? qsizetype(n) : 0;
    }
    // What the kernel did not take is queued in the socket, in order.
    for (const QByteArrayView part : parts) {
        if (sent >= part.size()) {
            sent -= part.size();
            continue;
        }
        m_socket->write(part.data() + sent, part.size() - sent);
        sent = 0;
    }
}

void HttpConnection::writeHead(int status, const Headers &headers, bool closing)
{
    QByteArray head;
    head.reserve(256);
    head += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers) {
        if (closing && name.compare("Connection", Qt::CaseInsensitive) == 0)
            continue;
        head += name + ": " + value + "\r\n";
    }
    if (closing)
        head += "Connection: close\r\n";
    head += "\r\n";
    write(head);
}

void HttpConnection::onReadyRead()
{
    if (m_state == State::Closing) {
        if (m_socket)
            m_socket->skip(m_socket->bytesAvailable()); // lingering: dropped unread
        return;
    }
    if (m_state == State::Reading)
        processInput();
    // While a response is being written, requests that follow wait in the socket's bounded
    // buffer, then in the kernel's.
}

void HttpConnection::readInput()
{
    if (!m_socket)
        return;
    const qint64 room = m_settings.limits.maxHeadBytes + kReadChunk - m_input.size();
    if (room > 0)
        m_input += m_socket->read(std::min<qint64>(room, m_socket->bytesAvailable()));
}

void HttpConnection::processInput()
{
    while (m_state == State::Reading && m_socket) {
        readInput();
        const HttpRequestReader::Stage before = m_reader.stage();
        const HttpRequestReader::Outcome outcome = m_reader.read(m_input);
        if (outcome == HttpRequestReader::Outcome::Error) {
            const HttpRequestReader::Error &error = m_reader.error();
            respondAndClose(error.status, error.code, error.message);
            return;
        }
        const HttpRequestReader::Stage stage = m_reader.stage();
        if (outcome == HttpRequestReader::Outcome::NeedMore) {
            if (stage == HttpRequestReader::Stage::Head &&
                before == HttpRequestReader::Stage::Idle && m_anyRequest)
                setDeadline(m_settings.headTimeoutMs); // the next request has begun
            else if (stage == HttpRequestReader::Stage::Body &&
                     before != HttpRequestReader::Stage::Body)
                setDeadline(m_settings.bodyTimeoutMs);
            if (m_socket->bytesAvailable() > 0 && m_input.size() < m_settings.limits.maxHeadBytes)
                continue; // the reader has room for more of what is waiting
            return;
        }
        // A whole request: answer it before reading on.
        m_anyRequest = true;
        m_timer.cancel(m_deadline);
        m_state = State::Responding;
        HttpRequest request = m_reader.takeRequest();
        request.remoteAddress = m_peer;
        const bool keepAlive = request.keepAlive();
        m_closeAfterResponse = !keepAlive;
        auto responder = std::make_unique<HttpResponder>(this, request.method == "HEAD", keepAlive);
        m_handler(std::move(request), std::move(responder));
        return; // responseFinished() carries on
    }
}

void HttpConnection::respondAndClose(int status, const QString &code, const QString &message,
                                     const Headers &headers)
{
    const QByteArray body = errorBody(status, code, message);
    Headers all{{"Content-Type", "application/json"},
                {"Content-Length", QByteArray::number(body.size())}};
    all += headers;
    writeHead(status, all, true);
    write(body);
    linger();
}

void HttpConnection::refuse(int status, const QString &code, const QString &message,
                            const Headers &headers)
{
    respondAndClose(status, code, message, headers);
}

void HttpConnection::responseFinished(bool reusable)
{
    if (m_state != State::Responding)
        return;
    if (!reusable || m_closeAfterResponse) {
        linger();
        return;
    }
    m_state = State::Reading;
    setDeadline(m_settings.idleTimeoutMs);
    // What the client sent meanwhile (a pipelined request) is read after this response is out,
    // from the event loop: a handler that answers at once must not recurse into the next one.
    if (!m_input.isEmpty() || (m_socket && m_socket->bytesAvailable() > 0))
        QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
}

void HttpConnection::closeAfterFlush()
{
    if (m_state == State::Closing || !m_socket)
        return;
    m_state = State::Closing;
    // A client that does not read would keep the flush (and the connection) waiting forever.
    setDeadline(std::max(m_settings.lingerMs, 30000));
    m_socket->disconnectFromHost();
}

void HttpConnection::linger()
{
    if (m_state == State::Closing || !m_socket)
        return;
    m_state = State::Closing;
    m_input.clear();
    setDeadline(m_settings.lingerMs);
    m_socket->skip(m_socket->bytesAvailable());
    if (m_socket->bytesToWrite() == 0)
        shutdownWrite();
}

void HttpConnection::shutdownWrite()
{
    if (m_writeShut || m_descriptor < 0)
        return;
    m_writeShut = true;
    // Our FIN goes after the answer; reading goes on, so what the client is still sending does
    // not make the kernel reset the connection before the client has read the answer.
    ::shutdown(int(m_descriptor), SHUT_WR);
}

void HttpConnection::setDeadline(qint64 delayMs)
{
    m_timer.wakeIn(m_deadline, std::max<qint64>(0, delayMs));
}

void HttpConnection::onDeadline()
{
    if (!m_socket)
        return;
    switch (m_state) {
    case State::Closing:
        m_socket->abort(); // the linger is over
        onDisconnected();
        return;
    case State::Responding:
        return;
    case State::Reading:
        break;
    }
    const HttpRequestReader::Stage stage = m_reader.stage();
    if (stage == HttpRequestReader::Stage::Idle && (m_anyRequest || m_input.isEmpty())) {
        closeAfterFlush(); // an idle connection, or one that never sent a byte
        return;
    }
    if (stage == HttpRequestReader::Stage::Body)
        respondAndClose(408, QStringLiteral("request_timeout"),
                        QStringLiteral("the request body did not arrive within %1 s")
                            .arg(m_settings.bodyTimeoutMs / 1000.0));
    else
        respondAndClose(408, QStringLiteral("request_timeout"),
                        QStringLiteral("the request head did not arrive within %1 s")
                            .arg(m_settings.headTimeoutMs / 1000.0));
}

void HttpConnection::onDisconnected()
{
    m_timer.cancel(m_deadline);
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_state = State::Closing;
    Q_EMIT closed();
}

} // namespace qalam::server
