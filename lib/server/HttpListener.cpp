#include "server/HttpListener.h"

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

bool HttpListener::listen(const QHostAddress &address, quint16 port, QString *error)
{
    // Thousands of streams may connect at once; the default backlog of 50 would refuse some.
    m_server.setListenBacklogSize(1024);
    if (!m_server.listen(address, port)) {
        *error = m_server.errorString();
        return false;
    }
    m_server.setMaxPendingConnections(1024);
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
