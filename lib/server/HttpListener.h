// HttpListener: accepts the demo server's connections and keeps their number within bounds.
//
// Past maxConnections in all, or maxConnectionsPerClient from one address, a new connection is
// answered 503 with Retry-After (JSON error `overloaded`) and closed, so the process never runs
// out of file descriptors and one client cannot take every slot. Accepting never stops for good:
// when accept() itself fails (descriptors exhausted by something else), it resumes shortly after.
#pragma once

#include "server/HttpConnection.h"
#include "server/ScheduleTimer.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTcpServer>

namespace qalam::server {

class HttpListener : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        int maxConnections = 1000;
        int maxConnectionsPerClient = 256; // 0: no per-client bound
        int retryAfterSeconds = 2;
        qint64 socketReadBufferBytes = 64 * 1024;
        HttpConnection::Settings connection;
    };

    HttpListener(ScheduleTimer &timer, Settings settings, HttpConnection::Handler handler,
                 QObject *parent = nullptr);
    ~HttpListener() override;

    // `sharedPort`: with SO_REUSEPORT, so that several listeners (one per thread, each with
    // its own event loop) can serve one port and the kernel spreads the connections among them.
    bool listen(const QHostAddress &address, quint16 port, QString *error, bool sharedPort = false);
    bool isListening() const { return m_server.isListening(); }
    QHostAddress serverAddress() const { return m_server.serverAddress(); }
    quint16 serverPort() const { return m_server.serverPort(); }

    // Connections being served (refused ones, on their way out, are not counted).
    int connectionCount() const { return int(m_connections.size()); }
    int refusedCount() const { return m_refused; }

private:
    void acceptPending();
    void onClosed(HttpConnection *connection, bool counted);

    ScheduleTimer &m_timer;
    ScheduleTimer::Key m_resume;
    Settings m_settings;
    HttpConnection::Handler m_handler;
    QTcpServer m_server;
    QSet<HttpConnection *> m_connections; // children of this
    QSet<HttpConnection *> m_refusing;    // children of this: answered 503, closing
    QHash<QHostAddress, int> m_perClient;
    int m_refused = 0;
};

} // namespace qalam::server
