#include "ScriptedServer.h"

#include <QTcpSocket>
#include <QTimer>

namespace qalam::test {

QByteArray Script::head(int status, const QList<QByteArray> &headers)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " Status\r\n";
    for (const QByteArray &header : headers)
        out += header + "\r\n";
    return out + "\r\n";
}

Script Script::eventStream(const QByteArray &body)
{
    Script script;
    script.write(head(
        200, {"Content-Type: text/event-stream", "Cache-Control: no-cache", "Connection: close"}));
    if (!body.isEmpty())
        script.write(body);
    return script;
}

Script Script::response(int status, const QList<QByteArray> &headers, const QByteArray &body)
{
    QList<QByteArray> all = headers;
    all.append("Connection: close");
    Script script;
    script.write(head(status, all));
    if (!body.isEmpty())
        script.write(body);
    return script;
}

Script &Script::writeInPieces(const QByteArray &bytes, int size, int delayMs)
{
    for (qsizetype i = 0; i < bytes.size(); i += size)
        write(bytes.mid(i, size), delayMs);
    return *this;
}

ScriptedServer::ScriptedServer(Responder responder, QObject *parent)
    : QObject(parent), m_responder(std::move(responder))
{
    connect(&m_server, &QTcpServer::newConnection, this, &ScriptedServer::onNewConnection);
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        qFatal("ScriptedServer: cannot listen: %s", qPrintable(m_server.errorString()));
}

ScriptedServer::~ScriptedServer()
{
    for (QTcpSocket *socket : m_server.findChildren<QTcpSocket *>())
        socket->abort();
}

QUrl ScriptedServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
}

quint16 ScriptedServer::closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        qFatal("ScriptedServer: cannot listen: %s", qPrintable(server.errorString()));
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

int ScriptedServer::openConnections() const
{
    int open = 0;
    for (QTcpSocket *socket : m_server.findChildren<QTcpSocket *>())
        open += socket->state() == QAbstractSocket::ConnectedState ? 1 : 0;
    return open;
}

void ScriptedServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(&m_server);
        ++m_connections;
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void ScriptedServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_pending[socket];
    buffer += socket->readAll();
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;

    RecordedRequest request;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                   lines[i].mid(colon + 1).trimmed());
    }
    const qsizetype length = request.header("content-length").toLongLong();
    if (!m_answerBeforeBody && buffer.size() < headEnd + 4 + length)
        return; // the body is still arriving
    request.body = buffer.mid(headEnd + 4, length);
    m_pending.remove(socket);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);

    m_requests.append(request);
    const int index = int(m_requests.size() - 1);
    Script script = m_responder(request, index);
    Q_EMIT requestReceived(index);
    play(socket, std::move(script), 0);
}

void ScriptedServer::play(QPointer<QTcpSocket> socket, Script script, int step)
{
    if (!socket)
        return;
    if (step >= script.steps.size()) {
        if (script.end == Script::End::Close)
            socket->disconnectFromHost();
        return; // a stall keeps the connection open and silent until the client leaves
    }
    const auto writeStep = [this, socket, script, step]() mutable {
        if (!socket || socket->state() != QAbstractSocket::ConnectedState)
            return;
        const QByteArray &bytes = script.steps[step].bytes;
        m_bytesWritten += bytes.size();
        socket->write(bytes);
        socket->flush();
        play(socket, std::move(script), step + 1);
    };
    const int delay = script.steps[step].delayMs;
    if (delay > 0)
        QTimer::singleShot(delay, this, writeStep);
    else
        QTimer::singleShot(0, this, writeStep); // one write per event-loop turn: real chunking
}

} // namespace qalam::test
