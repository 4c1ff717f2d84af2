#include "server/HttpListener.h"

#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace qalam::server {

namespace {

// Refused connections being closed gracefully at once; past this, new ones are dropped at once
// (a flood must not turn the refusals themselves into the exhaustion they prevent).
constexpr int kMaxRefusing = 64;
constexpr int kResumeAcceptMs = 100;

} // namespace

HttpListener::HttpListener(ScheduleTimer &timer, Settings settings, HttpConnection::Handler handler,
                           QObject *parent)
    : QObject(parent), m_timer(timer), m_resume(timer.add([this] { m_server.resumeAccepting(); })),
      m_settings(settings), m_handler(std::move(handler))
{
    connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, &HttpListener::acceptPending);
    connect(&m_server, &QTcpServer::acceptError, this, [this] {
        // Qt stops accepting after an accept() error that is not temporary (EMFILE): retry.
        m_server.pauseAccepting();
        m_timer.wakeIn(m_resume, kResumeAcceptMs);
    });
}

HttpListener::~HttpListener()
{
    m_timer.remove(m_resume);
    const QList<HttpConnection *> all = m_connections.values() + m_refusing.values();
    for (HttpConnection *connection : all) {
        disconnect(connection, nullptr, this, nullptr);
        delete connection;
    }
}

bool HttpListener::listen(const QHostAddress &address, quint16 port, QString *error,
                          bool sharedPort)
{
    // Thousands of streams may connect at once; the default backlog of 50 would refuse some.
    constexpr int kBacklog = 1024;
    m_server.setListenBacklogSize(kBacklog);
    m_server.setMaxPendingConnections(kBacklog);
    if (!sharedPort) {
        if (!m_server.listen(address, port)) {
            *error = m_server.errorString();
            return false;
        }
        return true;
    }
    // QTcpServer cannot set SO_REUSEPORT before it binds: the socket is made here and handed
    // over listening.
    const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const auto failed = [&](const char *what) {
        *error = QStringLiteral("%1: %2").arg(QLatin1String(what),
                                              QString::fromLocal8Bit(std::strerror(errno)));
        if (fd >= 0)
            ::close(fd);
        return false;
    };
    if (fd < 0)
        return failed("socket");
    const int one = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
        return failed("SO_REUSEPORT");
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (v6) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        length = sizeof *in6;
    } else {
        auto *in4 = reinterpret_cast<sockaddr_in *>(&storage);
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        in4->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof *in4;
    }
    if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0)
        return failed("bind");
    if (::listen(fd, kBacklog) != 0)
        return failed("listen");
    if (!m_server.setSocketDescriptor(fd)) {
        *error = m_server.errorString();
        ::close(fd);
        return false;
    }
    return true;
}

void HttpListener::acceptPending()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setReadBufferSize(m_settings.socketReadBufferBytes);
        const QHostAddress peer = socket->peerAddress();
        const bool full = int(m_connections.size()) >= m_settings.maxConnections;
        const bool clientFull = m_settings.maxConnectionsPerClient > 0 &&
                                m_perClient.value(peer) >= m_settings.maxConnectionsPerClient;
        if (full || clientFull) {
            ++m_refused;
            if (int(m_refusing.size()) >= kMaxRefusing) {
                socket->abort();
                delete socket;
                continue;
            }
            auto *connection = new HttpConnection(socket, m_timer, m_settings.connection, {}, this);
            m_refusing.insert(connection);
            connect(connection, &HttpConnection::closed, this,
                    [this, connection] { onClosed(connection, false); });
            connection->refuse(
                503, QStringLiteral("overloaded"),
                full ? QStringLiteral("the server is serving its maximum of %1 connections; try "
                                      "again in %2 s")
                           .arg(m_settings.maxConnections)
                           .arg(m_settings.retryAfterSeconds)
                     : QStringLiteral("this client has its maximum of %1 connections open; try "
                                      "again in %2 s")
                           .arg(m_settings.maxConnectionsPerClient)
                           .arg(m_settings.retryAfterSeconds),
                {{"Retry-After", QByteArray::number(m_settings.retryAfterSeconds)}});
            continue;
        }
        auto *connection =
            new HttpConnection(socket, m_timer, m_settings.connection, m_handler, this);
        m_connections.insert(connection);
        ++m_perClient[peer];
        connect(connection, &HttpConnection::closed, this,
                [this, connection] { onClosed(connection, true); });
        connection->start();
    }
}

void HttpListener::onClosed(HttpConnection *connection, bool counted)
{
    if (counted) {
        if (!m_connections.remove(connection))
            return;
        const auto found = m_perClient.find(connection->peerAddress());
        if (found != m_perClient.end() && --found.value() <= 0)
            m_perClient.erase(found);
    } else if (!m_refusing.remove(connection)) {
        return;
    }
    connection->deleteLater(); // it is emitting closed() right now
}

} // namespace qalam::server
