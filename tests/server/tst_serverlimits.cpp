// The demo server under abuse, over real loopback sockets: slow and half-sent heads, too many
// connections, oversized heads, absurd Last-Event-IDs, foreign Host and Origin headers, and
// streams nobody comes back for. Every limit is an option, set short or small here; each phase
// waits for what ends it (a disconnect, a count), never for a fixed time.
#include "ChatTestSupport.h"
#include "ServerTestSupport.h"
#include "server/DemoServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

using namespace qalam;
using namespace qalam::server;
using namespace qalam::test;

namespace {

const QByteArray kStreamPath = "/api/v1/stream/chat";
const QList<QPair<QByteArray, QByteArray>> kJson{{"Content-Type", "application/json"}};

DemoServer::Options fastOptions()
{
    DemoServer::Options options;
    options.tokensPerSecond = 5000;
    options.firstTokenMs = 0;
    options.retryMs = 10;
    return options;
}

QString errorCode(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body)
        .object()
        .value(QLatin1String("error"))
        .toObject()
        .value(QLatin1String("code"))
        .toString();
}

// A raw connection that sends what it is told and records what comes back.
struct Raw
{
    std::unique_ptr<QTcpSocket> socket = std::make_unique<QTcpSocket>();
    QByteArray received;
    bool gone = false;
};

std::unique_ptr<Raw> connectRaw(quint16 port)
{
    auto raw = std::make_unique<Raw>();
    Raw *r = raw.get();
    QObject::connect(r->socket.get(), &QIODevice::readyRead,
                     [r] { r->received += r->socket->readAll(); });
    QObject::connect(r->socket.get(), &QAbstractSocket::disconnected, [r] {
        if (r->socket->isOpen())
            r->received += r->socket->readAll();
        r->gone = true;
    });
    r->socket->connectToHost(QHostAddress::LocalHost, port);
    return raw;
}

} // namespace

class TestServerLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void halfSentHeadsDoNotLockOthersOutAndTimeOut();
    void slowBodyTimesOutAndIdleConnectionCloses();
    void connectionCapsAnswer503();
    void oversizedHeadGets431();
    void longLastEventIdIsAnUnknownStream();
    void foreignHostIsRefused();
    void foreignOriginIsRefusedAllowedOneGetsCors();
    void abandonedStreamsAreFreed();
    void sharedPortServersSplitTheLoad();
};

void TestServerLimits::halfSentHeadsDoNotLockOthersOutAndTimeOut()
{
    DemoServer::Options options = fastOptions();
    options.headTimeoutMs = 1500;
    options.maxConnections = 200;
    options.maxConnectionsPerClient = 0;
    DemoServer server(options);
    QVERIFY(server.listen());
    constexpr int held = 100;
    std::vector<std::unique_ptr<Raw>> slow;
    for (int i = 0; i < held; ++i) {
        slow.push_back(connectRaw(server.port()));
        slow.back()->socket->write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    }
    QVERIFY(waitUntil([&] { return server.stats().httpConnections == held; }));
    // Everyone else is still served meanwhile.
    const RawResponse health = fetch(server.port(), "GET", "/health");
    QCOMPARE(health.status, 200);
    QVERIFY(std::none_of(slow.cbegin(), slow.cend(), [](const auto &raw) { return raw->gone; }));
    // Then each half-sent head gets 408 and its connection goes.
    QVERIFY(waitUntil([&] {
        return std::all_of(slow.cbegin(), slow.cend(), [](const auto &raw) { return raw->gone; });
    }));
    for (const auto &raw : slow) {
        QVERIFY2(raw->received.startsWith("HTTP/1.1 408 "), raw->received.left(80).constData());
        QVERIFY(raw->received.contains("\"request_timeout\""));
    }
    QVERIFY(waitUntil([&] { return server.stats().httpConnections == 0; }));
}

void TestServerLimits::slowBodyTimesOutAndIdleConnectionCloses()
{
    DemoServer::Options options = fastOptions();
    options.bodyTimeoutMs = 500;
    options.idleTimeoutMs = 500;
    DemoServer server(options);
    QVERIFY(server.listen());

    auto body = connectRaw(server.port());
    body->socket->write("POST /api/v1/stream/chat HTTP/1.1\r\nHost: localhost\r\n"
                        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"pro");
    QVERIFY(waitUntil([&] { return body->gone; }));
    QVERIFY(body->received.startsWith("HTTP/1.1 408 "));
    QVERIFY(body->received.contains("request body"));

    // A keep-alive connection that asks nothing more is closed, silently.
    auto idle = connectRaw(server.port());
    idle->socket->write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY(waitUntil([&] { return idle->gone; }));
    QVERIFY(idle->received.startsWith("HTTP/1.1 200 "));
    QCOMPARE(idle->received.count("HTTP/1.1"), 1);
    QCOMPARE(server.stats().streams, 0);
}

void TestServerLimits::connectionCapsAnswer503()
{
    DemoServer::Options options = fastOptions();
    options.maxConnections = 5;
    options.maxConnectionsPerClient = 0;
    options.overloadRetryAfterSeconds = 3;
    {
        DemoServer server(options);
        QVERIFY(server.listen());
        std::vector<std::unique_ptr<Raw>> open;
        for (int i = 0; i < 5; ++i)
            open.push_back(connectRaw(server.port()));
        QVERIFY(waitUntil([&] { return server.stats().httpConnections == 5; }));
        const RawResponse refused = fetch(server.port(), "GET", "/health");
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.header("Retry-After"), QByteArray("3"));
        QCOMPARE(errorCode(refused), QStringLiteral("overloaded"));
        QCOMPARE(server.stats().refused, 1);
        open.clear(); // room again
        QVERIFY(waitUntil([&] { return server.stats().httpConnections == 0; }));
        QCOMPARE(fetch(server.port(), "GET", "/health").status, 200);
    }
    options.maxConnections = 100;
    options.maxConnectionsPerClient = 2;
    DemoServer server(options);
    QVERIFY(server.listen());
    auto a = connectRaw(server.port());
    auto b = connectRaw(server.port());
    QVERIFY(waitUntil([&] { return server.stats().httpConnections == 2; }));
    const RawResponse refused = fetch(server.port(), "GET", "/health");
    QCOMPARE(refused.status, 503);
    QVERIFY(refused.body.contains("this client"));
}

void TestServerLimits::oversizedHeadGets431()
{
    DemoServer server(fastOptions());
    QVERIFY(server.listen());
    const RawResponse big =
        fetch(server.port(), "GET", "/health", {{"X-Big", QByteArray(20 * 1024, 'a')}});
    QCOMPARE(big.status, 431);
    QCOMPARE(errorCode(big), QStringLiteral("headers_too_large"));
    QCOMPARE(big.header("Connection"), QByteArray("close"));
    // A head that never ends is cut off at the limit too, not buffered.
    auto endless = connectRaw(server.port());
    endless->socket->write("GET /health HTTP/1.1\r\nHost: localhost\r\nLast-Event-ID: " +
                           QByteArray(1024 * 1024, '1'));
    QVERIFY(waitUntil([&] { return endless->gone; }));
    QVERIFY(endless->received.startsWith("HTTP/1.1 431 "));
    QCOMPARE(fetch(server.port(), "GET", "/health").status, 200);
}

void TestServerLimits::longLastEventIdIsAnUnknownStream()
{
    DemoServer server(fastOptions());
    QVERIFY(server.listen());
    const QByteArray id = "s-0123abcd-0123456789ab." + QByteArray(2000, '7');
    const RawResponse response =
        fetch(server.port(), "POST", kStreamPath,
              {{"Content-Type", "application/json"}, {"Last-Event-ID", id}},
              promptBody(QStringLiteral("hi")));
    QCOMPARE(response.status, 200);
    QVERIFY(response.ended);
    const QList<SseEvent> events = parseEvents(response.body);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().type, QStringLiteral("error"));
    QCOMPARE(events.first().lastEventId, QString::fromUtf8(id));
    QCOMPARE(QJsonDocument::fromJson(events.first().data.toUtf8())
                 .object()
                 .value(QLatin1String("code"))
                 .toString(),
             QStringLiteral("unknown_stream"));
    QCOMPARE(server.stats().streams, 0); // not a new stream
}

void TestServerLimits::foreignHostIsRefused()
{
    {
        DemoServer server(fastOptions());
        QVERIFY(server.listen());
        RawClient rebinding(server.port());
        rebinding.sendRaw("GET /health HTTP/1.1\r\nHost: rebind.attacker.example:" +
                          QByteArray::number(server.port()) + "\r\n\r\n");
        QVERIFY(rebinding.waitForEnd());
        QCOMPARE(rebinding.response().status, 403);
        QVERIFY(rebinding.response().body.contains("\"host_not_allowed\""));
        RawClient noHost(server.port());
        noHost.sendRaw("GET /health HTTP/1.1\r\n\r\n");
        QVERIFY(noHost.waitForEnd());
        QCOMPARE(noHost.response().status, 400);
        for (const QByteArray &host :
             {QByteArray("localhost"), QByteArray("127.0.0.1"), QByteArray("[::1]")}) {
            RawClient client(server.port());
            client.sendRaw("GET /health HTTP/1.1\r\nHost: " + host + ':' +
                           QByteArray::number(server.port()) + "\r\n\r\n");
            QVERIFY(client.waitForEnd());
            QCOMPARE(client.response().status, 200);
        }
    }
    DemoServer::Options options = fastOptions();
    options.allowedHosts = {QStringLiteral("demo.example.com")};
    DemoServer server(options);
    QVERIFY(server.listen());
    RawClient allowed(server.port());
    allowed.sendRaw("GET /health HTTP/1.1\r\nHost: demo.example.com\r\n\r\n");
    QVERIFY(allowed.waitForEnd());
    QCOMPARE(allowed.response().status, 200);
}

void TestServerLimits::foreignOriginIsRefusedAllowedOneGetsCors()
{
    {
        DemoServer server(fastOptions());
        QVERIFY(server.listen());
        // What any web page can send without a preflight.
        const RawResponse crossSite =
            fetch(server.port(), "POST", kStreamPath,
                  {{"Content-Type", "text/plain"}, {"Origin", "https://evil.example"}},
                  promptBody(QStringLiteral("hi")));
        QCOMPARE(crossSite.status, 403);
        QCOMPARE(errorCode(crossSite), QStringLiteral("origin_not_allowed"));
        QVERIFY(crossSite.header("Access-Control-Allow-Origin").isEmpty());
        QCOMPARE(server.stats().streams, 0);
        const RawResponse preflight =
            fetch(server.port(), "OPTIONS", kStreamPath,
                  {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
        QCOMPARE(preflight.status, 403);
    }
    DemoServer::Options options = fastOptions();
    options.allowedOrigins = {QStringLiteral("https://app.example")};
    DemoServer server(options);
    QVERIFY(server.listen());
    const RawResponse preflight = fetch(server.port(), "OPTIONS", kStreamPath,
                                        {{"Origin", "https://app.example"},
                                         {"Access-Control-Request-Method", "POST"},
                                         {"Access-Control-Request-Headers", "content-type"}});
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("Access-Control-Allow-Origin"), QByteArray("https://app.example"));
    QVERIFY(preflight.header("Access-Control-Allow-Methods").contains("POST"));
    QVERIFY(preflight.header("Access-Control-Allow-Headers").contains("Content-Type"));
    QVERIFY(preflight.header("Access-Control-Allow-Headers").contains("Last-Event-ID"));
    QVERIFY(!preflight.header("Access-Control-Max-Age").isEmpty());

    const RawResponse stream =
        fetch(server.port(), "POST", kStreamPath,
              {{"Content-Type", "application/json"}, {"Origin", "https://app.example"}},
              promptBody(QStringLiteral("hi")));
    QCOMPARE(stream.status, 200);
    QVERIFY(stream.ended);
    QCOMPARE(stream.header("Access-Control-Allow-Origin"), QByteArray("https://app.example"));
    QCOMPARE(stream.header("Vary"), QByteArray("Origin"));
    QVERIFY(stream.body.contains("event: done"));
    QCOMPARE(fetch(server.port(), "POST", kStreamPath,
                   {{"Content-Type", "text/plain"}, {"Origin", "https://other.example"}},
                   promptBody(QStringLiteral("hi")))
                 .status,
             403);
}

void TestServerLimits::abandonedStreamsAreFreed()
{
    DemoServer::Options options = fastOptions();
    options.tokensPerSecond = 20; // still generating when abandoned
    options.resumeWindowMs = 300;
    options.maxDetachedStreams = 10;
    DemoServer server(options);
    QVERIFY(server.listen());
    constexpr int abandoned = 40;
    int mostKept = 0;
    for (int i = 0; i < abandoned; ++i) {
        RawClient client(server.port());
        client.send("POST", kStreamPath, kJson, promptBody(QStringLiteral("hi"), i));
        QVERIFY(client.waitFor([&] { return client.response().body.contains("event: hello"); }));
        client.abort();
        QVERIFY(waitUntil([&] { return server.stats().connections == 0; }));
        mostKept = std::max(mostKept, server.stats().streams);
    }
    // Never more kept than the bound, however many were abandoned ...
    QCOMPARE(mostKept, options.maxDetachedStreams);
    QCOMPARE(server.stats().detached, options.maxDetachedStreams);
    // ... and none once the resume window is over: no stream, no timer, no object left.
    QVERIFY(waitUntil([&] { return server.stats().streams == 0; }));
    QVERIFY(waitUntil([&] {
        const DemoServer::Stats stats = server.stats();
        return stats.activeTimers <= 1 && stats.httpConnections == 0; // the memory trim, once
    }));
    QVERIFY(waitUntil([&] { return server.stats().activeTimers == 0; }));
    QVERIFY(waitUntil([&] { return server.findChildren<QObject *>().isEmpty(); }));
}

void TestServerLimits::sharedPortServersSplitTheLoad()
{
    // `serve --threads N`: servers sharing one port (SO_REUSEPORT), each with its own streams.
    // The kernel spreads connections among them, and a resume that reaches the other one is
    // answered by regenerating the stream: every answer arrives whole.
    DemoServer::Options options = fastOptions();
    options.tokensPerSecond = 2000;
    options.sharedPort = true;
    options.faults = QStringLiteral("close-after-events=40"); // every answer needs resumes
    DemoServer first(options);
    QVERIFY2(first.listen(), qPrintable(first.errorString()));
    options.port = first.port();
    DemoServer second(options);
    QVERIFY2(second.listen(), qPrintable(second.errorString()));
    QCOMPARE(second.port(), first.port());

    // The same question on one server alone, uncut: what every answer must be.
    DemoServer::Options alone = fastOptions();
    DemoServer reference(alone);
    QVERIFY2(reference.listen(), qPrintable(reference.errorString()));
    const QString prompt = QStringLiteral("How does resume work?");
    ChatStream referenceStream(ChatProtocol::Kind::AdminStream);
    const ChatRun expected = runToEnd(
        referenceStream,
        chatRequest(reference.url().resolved(QUrl(QString::fromLatin1(kStreamPath))), prompt));
    QCOMPARE(expected.outcome, ChatStream::Outcome::Completed);

    int reconnects = 0;
    for (int i = 0; i < 24; ++i) {
        ChatStream stream(ChatProtocol::Kind::AdminStream);
        SseConsumer::Options consumer;
        consumer.maxReconnects = 100;
        consumer.minRetryMs = 1;
        consumer.initialRetryMs = 1;
        consumer.maxRetryMs = 5;
        stream.setConsumerOptions(consumer);
        const ChatRun run = runToEnd(
            stream,
            chatRequest(first.url().resolved(QUrl(QString::fromLatin1(kStreamPath))), prompt));
        QVERIFY2(run.outcome == ChatStream::Outcome::Completed, qPrintable(run.message));
        QCOMPARE(run.text, expected.text); // nothing lost or repeated, whichever server resumed
        reconnects += run.reconnects;
    }
    QVERIFY(reconnects >= 24);
    // Both took streams: with dozens of connections the kernel's hash sends some to each (all
    // to one would be a chance of 2 in 2^100).
    QVERIFY2(
        first.stats().streams > 0 && second.stats().streams > 0,
        qPrintable(
            QStringLiteral("%1 and %2").arg(first.stats().streams).arg(second.stats().streams)));
}

QTEST_GUILESS_MAIN(TestServerLimits)
#include "tst_serverlimits.moc"
