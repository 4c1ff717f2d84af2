#include "ServerTestSupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace qalam::test {

RawClient::RawClient(quint16 port, QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &RawClient::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_response.closed = true; });
    m_socket.connectToHost(QHostAddress::LocalHost, port);
}

RawClient::RawClient(AdoptDescriptor connected, QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &RawClient::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_response.closed = true; });
    m_socket.setSocketDescriptor(connected.descriptor);
}

void RawClient::send(const QByteArray &method, const QByteArray &path,
                     const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto &[name, value] : headers)
        request += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    m_socket.write(request);
}

bool RawClient::waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    return waitUntil(condition, timeoutMs);
}

void RawClient::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        onReadyRead();
}

bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QTimer wakeUp; // so the deadline is checked even when nothing else happens
    wakeUp.start(20);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    return true;
}

bool RawClient::waitForEnd(int timeoutMs)
{
    return waitFor([this] { return m_response.ended || m_response.closed; }, timeoutMs);
}

void RawClient::onReadyRead()
{
    if (m_paused)
        return;
    m_in += m_socket.readAll();
    parse();
}

void RawClient::parse()
{
    if (!m_headDone) {
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = m_in.left(end).split('\n');
        m_in.remove(0, end + 4);
        m_headDone = true;
        const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
        m_response.status = statusLine.value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                m_response.headers.insert(line.left(colon).trimmed().toLower(),
                                          line.mid(colon + 1).trimmed());
        }
        m_response.chunked = m_response.header("Transfer-Encoding").toLower() == "chunked";
        if (m_response.headers.contains("content-length"))
            m_contentLength = m_response.header("Content-Length").toLongLong();
        else if (!m_response.chunked)
            m_contentLength = m_response.status == 204 ? 0 : -1;
    }
    if (m_response.chunked) {
        while (!m_response.ended) {
            const qsizetype lineEnd = m_in.indexOf("\r\n");
            if (lineEnd < 0)
                return;
            bool ok = false;
            const qsizetype size = m_in.left(lineEnd).toLongLong(&ok, 16);
            if (!ok || m_in.size() < lineEnd + 2 + size + 2)
                return;
            if (size == 0) {
                m_response.ended = true;
                m_in.remove(0, lineEnd + 4);
                return;
            }
            const QByteArray chunk = m_in.mid(lineEnd + 2, size);
            m_response.chunks.append(chunk);
            m_response.body += chunk;
            m_in.remove(0, lineEnd + 2 + size + 2);
        }
        return;
    }
    m_response.body += m_in;
    m_in.clear();
    if (m_contentLength >= 0 && m_response.body.size() >= m_contentLength)
        m_response.ended = true;
}

RawResponse fetch(quint16 port, const QByteArray &method, const QByteArray &path,
                  const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    RawClient client(port);
    client.send(method, path, headers, body);
    client.waitForEnd();
    return client.response();
}

namespace {

class Collector final : public SseParser::Handler
{
public:
    QList<SseEvent> events;
    QStringList comments;
    void onEvent(const SseEvent &event) override { events.append(event); }
    void onComment(QStringView text) override { comments.append(text.toString()); }
};

} // namespace

QList<SseEvent> parseEvents(const QByteArray &body, QStringList *comments)
{
    Collector collector;
    SseParser parser(collector);
    parser.feed(body);
    if (comments)
        *comments = collector.comments;
    return collector.events;
}

qint64 eventNumber(const QString &id)
{
    const qsizetype dot = id.lastIndexOf(QLatin1Char('.'));
    bool ok = false;
    const qint64 n = dot < 0 ? -1 : id.mid(dot + 1).toLongLong(&ok);
    return ok ? n : -1;
}

QList<QPair<QString, QString>> typeAndData(const QList<SseEvent> &events)
{
    QList<QPair<QString, QString>> out;
    for (const SseEvent &event : events) {
        if (event.type == QLatin1String("hello") || event.type == QLatin1String("ping"))
            out.append({event.type, QString()}); // ids and times differ between streams
        else
            out.append({event.type, event.data});
    }
    return out;
}

QString deltaText(const QList<SseEvent> &events)
{
    QString text;
    for (const SseEvent &event : events) {
        if (event.type == QLatin1String("delta"))
            text += QJsonDocument::fromJson(event.data.toUtf8())
                        .object()
                        .value(QLatin1String("text"))
                        .toString();
    }
    return text;
}

QByteArray promptBody(const QString &prompt, qint64 seed)
{
    QJsonObject body{{QStringLiteral("prompt"), prompt}};
    if (seed >= 0)
        body.insert(QStringLiteral("seed"), seed);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace qalam::test
