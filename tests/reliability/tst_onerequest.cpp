// One request the user asked for is one request on the wire (docs/reliability.md).
//
// Qt 6.4's QNetworkAccessManager sends a request again by itself when the server's answer and
// close are queued while its HTTP channel still waits, or when a close cuts the response head.
// The LD_PRELOAD shim request_write_delay (this suite re-executes itself with it) pauses the
// client for 20 ms after it writes a request head, so the server below answers and closes in
// exactly that window, every time. The servers count the requests that reach them: with
// Qalam's one-shot request bodies it is one per request asked for, and every further one is a
// reconnection Qalam made itself, announced and counted in the metrics.
#include "ChatTestSupport.h"
#include "ProcessRunner.h"
#include "ScriptedServer.h"
#include "chat/ChatStream.h"
#include "sse/SseConsumer.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace qalam;
using namespace qalam::test;

namespace {

constexpr int kTimeoutMs = 20000;
constexpr char kShimVariable[] = "QALAM_ONEREQUEST_SHIM";

QByteArray openAiStream(const QByteArray &text)
{
    return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text +
           "\"}}]}\n\ndata: [DONE]\n\n";
}

// A forward HTTP proxy for http:// URLs, as a company gateway would be: it reads the request
// head, connects to the origin named in the absolute URI and relays both directions until one
// side closes. QNetworkAccessManager talks to it through a buffered socket, the case in which
// Qt 6.4 spliced the responses of its own resends into one answer.
class ForwardProxy : public QObject
{
public:
    ForwardProxy()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                serve(client);
        });
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("ForwardProxy: cannot listen");
    }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }

private:
    void serve(QTcpSocket *client)
    {
        ++m_connections;
        client->setParent(this);
        auto *upstream = new QTcpSocket(client);
        auto *head = new QByteArray;
        connect(client, &QObject::destroyed, this, [head] { delete head; });
        connect(client, &QTcpSocket::readyRead, client, [client, upstream, head] {
            if (upstream->state() != QAbstractSocket::UnconnectedState) {
                upstream->write(client->readAll());
                return;
            }
            head->append(client->readAll());
            const qsizetype end = head->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QUrl target(
                QString::fromLatin1(head->left(head->indexOf('\r')).split(' ').value(1)));
            connect(upstream, &QTcpSocket::connected, upstream, [upstream, head] {
                upstream->write(*head);
                head->clear();
            });
            upstream->connectToHost(target.host(), quint16(target.port(80)));
        });
        connect(upstream, &QTcpSocket::readyRead, client,
                [client, upstream] { client->write(upstream->readAll()); });
        connect(upstream, &QTcpSocket::disconnected, client,
                [client] { client->disconnectFromHost(); });
        connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
            upstream->abort();
            client->deleteLater();
        });
    }

    QTcpServer m_server;
    int m_connections = 0;
};

} // namespace

class TestOneRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fastErrorGetIsSentOnce();
    void cliEventsFastErrorIsSentOnce();
    void shortStreamGetIsSentOnce();
    void postCutInTheHeadIsSentOnce();
    void postReadAndClosedIsSentOnce();
    void resumableStreamReconnectsOnlyVisibly();
    void largePromptThroughProxyGetsOneAnswer_data();
    void largePromptThroughProxyGetsOneAnswer();
};

void TestOneRequest::initTestCase()
{
    // The race is only made deterministic by the shim: make sure it is really in this process.
    QFile maps(QStringLiteral("/proc/self/maps"));
    QVERIFY(maps.open(QIODevice::ReadOnly));
    QVERIFY2(maps.readAll().contains(QByteArrayLiteral("request_write_delay")),
             "the request_write_delay shim is not loaded");
}

// `qalam-cli events` against a fast 410 sent the GET twice now and then: a failed EventSource
// connection must never be retried.
void TestOneRequest::fastErrorGetIsSentOnce()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::response(410, {"Content-Type: text/plain"}, "gone");
    });
    SseConsumer consumer;
    SseConsumer::Options options;
    options.specStrict = true;
    options.maxReconnects = 0;
    consumer.setOptions(options);
    QSignalSpy errors(&consumer, &SseConsumer::errorOccurred);
    QSignalSpy finished(&consumer, &SseConsumer::finished);
    for (int round = 0; round < 5; ++round) {
        SseRequest request;
        request.url = server.url(QStringLiteral("/gone"));
        consumer.start(request);
        QVERIFY(finished.wait(kTimeoutMs));
    }
    QCOMPARE(finished.size(), 5);
    QCOMPARE(errors.size(), 5);
    QVERIFY2(errors.first().at(1).toString().contains(QLatin1String("410")),
             qPrintable(errors.first().at(1).toString()));
    QCOMPARE(server.requests().size(), 5);
    QCOMPARE(consumer.metrics().reconnects, 0);
}

void TestOneRequest::cliEventsFastErrorIsSentOnce()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::response(410, {"Content-Type: text/plain"}, "gone");
    });
    ProcessOptions options; // inherits LD_PRELOAD: the real executable runs into the same window
    options.timeoutMs = kTimeoutMs;
    const ProcessResult cli = runProcess(
        QStringLiteral(QALAM_CLI_PATH),
        {QStringLiteral("events"), server.url(QStringLiteral("/gone")).toString()}, options);
    QVERIFY2(!cli.crashed, qPrintable(cli.errorString));
    QCOMPARE(cli.exitCode, 1);
    QVERIFY2(cli.err.contains("410"), "the error names the status");
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.connectionCount(), 1);
}

// A whole, short stream followed by the server's close: one GET, one event, the end.
void TestOneRequest::shortStreamGetIsSentOnce()
{
    ScriptedServer server(
        [](const RecordedRequest &, int) { return Script::eventStream("id: 1\ndata: only\n\n"); });
    SseConsumer consumer;
    SseConsumer::Options options;
    options.specStrict = true;
    options.maxReconnects = 0;
    consumer.setOptions(options);
    QStringList data;
    connect(&consumer, &SseConsumer::eventReceived, this,
            [&data](const SseEvent &event) { data << event.data; });
    QSignalSpy finished(&consumer, &SseConsumer::finished);
    SseRequest request;
    request.url = server.url(QStringLiteral("/events"));
    consumer.start(request);
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.first().at(0).value<SseConsumer::FinishReason>(),
             SseConsumer::FinishReason::EndOfStream);
    QCOMPARE(data, QStringList{QStringLiteral("only")});
    QCOMPARE(server.requests().size(), 1);
}

// A close inside the response head: Qt 6.4 resent the POST up to three times (double cost on a
// paid API). Now: one request, and an error that says the server closed the connection.
void TestOneRequest::postCutInTheHeadIsSentOnce()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script().write("HTTP/1.1 200 OK\r\nContent-Type: text/event-st");
    });
    ChatStream stream(ChatProtocol::Kind::OpenAi);
    const ChatRun result =
        runToEnd(stream, chatRequest(server.url(QStringLiteral("/v1"))), kTimeoutMs);
    QVERIFY(result.finished);
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().method, QByteArray("POST"));
    QCOMPARE(result.outcome, ChatStream::Outcome::Failed);
    QVERIFY2(result.message.contains(QLatin1String("closed the connection")),
             qPrintable(result.message));
    QCOMPARE(result.metrics.reconnects, 0);
}

// A gateway that reads the request and closes without a word: sent 2-4 times before, with
// metrics saying 0 reconnects.
void TestOneRequest::postReadAndClosedIsSentOnce()
{
    ScriptedServer server([](const RecordedRequest &, int) { return Script(); });
    ChatStream stream(ChatProtocol::Kind::OpenAi);
    const ChatRun result =
        runToEnd(stream, chatRequest(server.url(QStringLiteral("/v1"))), kTimeoutMs);
    QVERIFY(result.finished);
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.connectionCount(), 1);
    QCOMPARE(result.outcome, ChatStream::Outcome::Failed);
    QVERIFY2(result.message.contains(QLatin1String("closed the connection")),
             qPrintable(result.message));
    QCOMPARE(result.metrics.reconnects, 0);
}

// The admin stream may reconnect, but only as Qalam's own, visible, counted attempts: every
// request beyond the first is one reconnecting() signal and one in the metrics.
void TestOneRequest::resumableStreamReconnectsOnlyVisibly()
{
    ScriptedServer server([](const RecordedRequest &, int) { return Script(); });
    ChatStream stream(ChatProtocol::Kind::AdminStream);
    SseConsumer::Options options;
    options.maxReconnects = 3;
    options.minRetryMs = 10;
    options.initialRetryMs = 10;
    options.maxRetryMs = 50;
    stream.setConsumerOptions(options);
    const ChatRun result =
        runToEnd(stream, chatRequest(server.url(QStringLiteral("/stream"))), kTimeoutMs);
    QVERIFY(result.finished);
    QCOMPARE(result.outcome, ChatStream::Outcome::Failed);
    QCOMPARE(result.metrics.reconnects, 3);
    QCOMPARE(result.reconnects, 3);
    QCOMPARE(server.requests().size(), 1 + result.metrics.reconnects);
    QCOMPARE(server.connectionCount(), 1 + result.metrics.reconnects);
}

// A 300 KB prompt through an HTTP proxy: Qt 6.4 resent it and spliced the answers of different
// responses into one. Every response here is distinct, so a splice or a resend shows in the text
// or in the count. Answered after the upload: the one answer, whole.
void TestOneRequest::largePromptThroughProxyGetsOneAnswer_data()
{
    QTest::addColumn<bool>("answerBeforeBody");
    QTest::newRow("answer after the upload") << false;
    QTest::newRow("answer and close during the upload") << true;
}

void TestOneRequest::largePromptThroughProxyGetsOneAnswer()
{
    QFETCH(bool, answerBeforeBody);
    ScriptedServer server([](const RecordedRequest &, int index) {
        return Script::response(200, {"Content-Type: text/event-stream"},
                                openAiStream("answer-" + QByteArray::number(index + 1)));
    });
    server.setAnswerBeforeBody(answerBeforeBody);
    ForwardProxy proxy;
    QNetworkAccessManager network;
    network.setProxy(
        QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.port()));
    ChatStream stream(ChatProtocol::Kind::OpenAi, &network);
    const QString prompt(300 * 1024, QLatin1Char('q'));
    const ChatRun result =
        runToEnd(stream, chatRequest(server.url(QStringLiteral("/v1")), prompt), kTimeoutMs);
    QVERIFY(result.finished);
    QCOMPARE(server.requests().size(), 1);
    if (!answerBeforeBody) {
        QCOMPARE(proxy.connections(), 1);
        QVERIFY2(result.outcome == ChatStream::Outcome::Completed, qPrintable(result.message));
        QCOMPARE(result.text, QStringLiteral("answer-1"));
        return;
    }
    // The server answered and closed while the prompt was still on its way: Qt 6.4 never reads
    // a response before its upload is done, and its resend is gone, so the truth is a failure
    // that says the server closed the connection, with nothing spliced in. On a busy machine Qt
    // may already have opened its second connection to the proxy when it finds the body cannot
    // be sent again (ContentReSendError): that connection carries no request to the server,
    // which is what counts (server.requests() above).
    QVERIFY2(proxy.connections() <= 2, qPrintable(QString::number(proxy.connections())));
    QCOMPARE(result.outcome, ChatStream::Outcome::Failed);
    QVERIFY2(result.message.contains(QLatin1String("closed the connection")),
             qPrintable(result.message));
    QVERIFY(result.text.isEmpty());
}

// Re-executes the suite with the shim preloaded, then runs the tests.
int main(int argc, char **argv)
{
    if (!std::getenv(kShimVariable)) {
        setenv(kShimVariable, "1", 1);
        setenv("LD_PRELOAD", QALAM_SHIM_PATH, 1);
        // Under AddressSanitizer the runtime must come first in the library list, which a
        // preloaded library defeats; the order does not matter for a shim that only wraps write().
        std::string asan = std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "";
        asan += asan.empty() ? "verify_asan_link_order=0" : ":verify_asan_link_order=0";
        setenv("ASAN_OPTIONS", asan.c_str(), 1);
        execv("/proc/self/exe", argv);
        perror("tst_onerequest: cannot re-execute with the shim");
        return 1;
    }
    QCoreApplication app(argc, argv);
    TestOneRequest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_onerequest.moc"
