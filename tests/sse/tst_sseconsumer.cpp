// SseConsumer against real local servers (ScriptedServer): request headers, Last-Event-ID,
// status and content-type rules, Retry-After, redirects, reconnection timing rules, stall
// detection, cancel(), hostile input, gzip and metrics. Timing is never asserted beyond
// "eventually" (QTRY_* with generous timeouts): the machine may be busy. Where a test shows that
// nothing more happens after the end (no retry, no second finished()), it waits until the
// consumer has nothing left that could act (waitUntilIdle, tests/common/NetworkIdle.h), never
// for a fixed time.
#include "NetworkIdle.h"
#include "ScriptedServer.h"
#include "SseTestSupport.h"
#include "sse/ReconnectPolicy.h"
#include "sse/SseConsumer.h"

#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTest>

#include <array>

using namespace qalam;
using namespace qalam::test;

namespace {

constexpr int kTimeoutMs = 15000;

// Small delays everywhere so reconnection tests take milliseconds, not seconds. The budget counts
// every reconnection (a server that answers each request with an event would otherwise be
// reconnected to forever); budgetRefillsOnEvents() covers the refilling budget.
SseConsumer::Options fastOptions(int maxReconnects = 0)
{
    SseConsumer::Options options;
    options.maxReconnects = maxReconnects;
    options.budgetResetsOnEvent = false;
    options.minRetryMs = 1;
    options.initialRetryMs = 20;
    options.maxRetryMs = 200;
    options.stallTimeoutMs = 20000;
    return options;
}

quint32 crc32(QByteArrayView bytes)
{
    static const auto table = [] {
        std::array<quint32, 256> t{};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    quint32 crc = 0xFFFFFFFFu;
    for (const char byte : bytes)
        crc = table[(crc ^ quint8(byte)) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

QByteArray littleEndian32(quint32 value)
{
    QByteArray out(4, Qt::Uninitialized);
    for (int i = 0; i < 4; ++i)
        out[i] = char((value >> (8 * i)) & 0xFF);
    return out;
}

// RFC 1952 gzip built from qCompress's zlib stream: its 4-byte length prefix, 2-byte zlib header
// and 4-byte Adler-32 trailer come off, leaving raw deflate, which gets a gzip header and trailer.
QByteArray gzip(const QByteArray &data)
{
    const QByteArray zlib = qCompress(data, 9);
    const QByteArray deflate = zlib.mid(4 + 2, zlib.size() - 4 - 2 - 4);
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    out += deflate;
    out += littleEndian32(crc32(data));
    out += littleEndian32(quint32(data.size()));
    return out;
}

} // namespace

class TestSseConsumer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Requests
    void requestHeaders();
    void postBodyAndMethod();
    void seededLastEventIdSentOnFirstRequest();
    void lastEventIdOnReconnect_data();
    void lastEventIdOnReconnect();
    void emptyLastEventIdNotSent();
    void eventsAcrossReconnectsNothingLost();

    // Responses
    void eventStreamAccepted_data();
    void eventStreamAccepted();
    void wrongContentTypeFailsWithoutRetry_data();
    void wrongContentTypeFailsWithoutRetry();
    void httpErrorStatusFailsWithoutRetry_data();
    void httpErrorStatusFailsWithoutRetry();
    void credentialsRefused_data();
    void credentialsRefused();
    void noContentMeansStop();
    void retryAfterIsHonoured_data();
    void retryAfterIsHonoured();
    void retryAfterZeroIsClamped();
    void retryAfterTooLongFails();
    void strictModeFailsOnRetryAfterStatuses_data();
    void strictModeFailsOnRetryAfterStatuses();
    void errorStatusThatStallsStillFails();
    void redirectIsFollowed();
    void redirectLoopFails();

    // Reconnection
    void serverRetryIsUsedAndClamped_data();
    void serverRetryIsUsedAndClamped();
    void exponentialBackoffWithJitter();
    void reconnectPolicyArithmetic();
    void attemptLimitAfterEndOfStream();
    void budgetRefillsOnEvents();
    void connectionRefused_data();
    void connectionRefused();

    // Stall detection
    void stallReconnects();
    void stallWithoutBudgetFails_data();
    void stallWithoutBudgetFails();
    void commentsKeepConnectionAlive();

    // cancel()
    void cancelStopsAtOnce();
    void cancelFromEventSlot();
    void cancelDuringReconnectWait();

    // Hostile input, encodings, metrics
    void lineOverLimitFailsWithoutRetry();
    void eventOverLimitFailsWithoutRetry();
    void gzipBodyIsDecoded();
    void metricsCountEverything();
};

void TestSseConsumer::requestHeaders()
{
    ScriptedServer server(
        [](const RecordedRequest &, int) { return Script::eventStream("data: hi\n\n"); });
    SseConsumer consumer;
    consumer.setOptions(fastOptions());
    SseRecorder rec(consumer);
    SseRequest request = get(server.url(QStringLiteral("/events?x=1")));
    request.headers.append({QByteArray("Authorization"), QByteArray("Bearer s3cret")});
    request.headers.append({QByteArray("X-Client"), QByteArray("qalam-test")});
    consumer.start(request);
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);

    QCOMPARE(server.requests().size(), 1);
    const RecordedRequest &seen = server.requests().first();
    QCOMPARE(seen.method, QByteArray("GET"));
    QCOMPARE(seen.path, QByteArray("/events?x=1"));
    QCOMPARE(seen.header("Accept"), QByteArray("text/event-stream"));
    QCOMPARE(seen.header("Cache-Control"), QByteArray("no-cache"));
    QCOMPARE(seen.header("Authorization"), QByteArray("Bearer s3cret"));
    QCOMPARE(seen.header("X-Client"), QByteArray("qalam-test"));
    QVERIFY(!seen.headers.contains("last-event-id"));
    QCOMPARE(rec.data(), QStringList{QStringLiteral("hi")});
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::EndOfStream);
}

void TestSseConsumer::postBodyAndMethod()
{
    ScriptedServer server(
        [](const RecordedRequest &, int) { return Script::eventStream("data: ok\n\n"); });
    SseConsumer consumer;
    consumer.setOptions(fastOptions());
    SseRecorder rec(consumer);
    SseRequest request = get(server.url(QStringLiteral("/chat")));
    request.method = "POST";
    request.body = R"({"prompt":"سلام"})";
    request.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
    consumer.start(request);
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);

    QCOMPARE(server.requests().size(), 1);
    const RecordedRequest &seen = server.requests().first();
    QCOMPARE(seen.method, QByteArray("POST"));
    QCOMPARE(seen.body, request.body);
    QCOMPARE(seen.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(seen.header("Accept"), QByteArray("text/event-stream"));
    QCOMPARE(rec.data(), QStringList{QStringLiteral("ok")});
}

void TestSseConsumer::seededLastEventIdSentOnFirstRequest()
{
    ScriptedServer server(
        [](const RecordedRequest &, int) { return Script::eventStream("data: next\n\n"); });
    SseConsumer consumer;
    consumer.setOptions(fastOptions());
    SseRecorder rec(consumer);
    SseRequest request = get(server.url());
    request.lastEventId = QStringLiteral("s-1.7");
    consumer.start(request);
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(server.requests().first().header("Last-Event-ID"), QByteArray("s-1.7"));
    QCOMPARE(rec.events.size(), 1);
    QCOMPARE(rec.events.first().lastEventId, QStringLiteral("s-1.7"));
}

void TestSseConsumer::lastEventIdOnReconnect_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("ascii") << QStringLiteral("s-4f2a9c.12");
    QTest::newRow("arabic") << QStringLiteral("رسالة-٧");
    QTest::newRow("emoji") << QStringLiteral("id-\U0001F600");
}

void TestSseConsumer::lastEventIdOnReconnect()
{
    QFETCH(QString, id);
    ScriptedServer server([id](const RecordedRequest &, int index) {
        if (index == 0)
            return Script::eventStream("retry: 5\nid: " + id.toUtf8() + "\ndata: first\n\n");
        return Script::eventStream("data: second\n\n");
    });
    SseConsumer consumer;
    consumer.setOptions(fastOptions(1));
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);

    QCOMPARE(server.requests().size(), 2);
    QVERIFY(!server.requests().at(0).headers.contains("last-event-id"));
    QCOMPARE(server.requests().at(1).header("Last-Event-ID"), id.toUtf8());
    QCOMPARE(rec.data(), (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
    // The id persists into the next connection's events, as in EventSource.
    QCOMPARE(rec.events.at(1).lastEventId, id);
    QCOMPARE(consumer.lastEventId(), id);
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::EndOfStream);
}

void TestSseConsumer::emptyLastEventIdNotSent()
{
    ScriptedServer server([](const RecordedRequest &, int index) {
        if (index == 0) // an id, then an empty `id:` that clears it
            return Script::eventStream("retry: 5\nid: 1\ndata: a\n\nid:\ndata: b\n\n");
        return Script::eventStream("data: c\n\n");
    });
    SseConsumer consumer;
    consumer.setOptions(fastOptions(1));
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(rec.events.at(0).lastEventId, QStringLiteral("1"));
    QCOMPARE(rec.events.at(1).lastEventId, QString());
    QVERIFY(!server.requests().at(1).headers.contains("last-event-id"));
}

void TestSseConsumer::eventsAcrossReconnectsNothingLost()
{
    // Each connection resumes after the id the client sent and ends after two events.
    const QList<QByteArray> all{"e1", "e2", "e3", "e4", "e5", "e6"};
    ScriptedServer server([&all](const RecordedRequest &request, int) {
        const QByteArray last = request.header("Last-Event-ID");
        qsizetype from = last.isEmpty() ? 0 : all.indexOf(last) + 1;
        QByteArray body = "retry: 1\n";
        for (qsizetype i = from; i < std::min(from + 2, all.size()); ++i)
            body += "id: " + all[i] + "\ndata: payload of " + all[i] + "\n\n";
        return Script::eventStream().writeInPieces(body, 7);
    });
    SseConsumer consumer;
    consumer.setOptions(fastOptions(2));
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);

    QStringList expected;
    for (const QByteArray &id : all)
        expected.append(QStringLiteral("payload of ") + QString::fromLatin1(id));
    QCOMPARE(rec.data(), expected);
    QCOMPARE(server.requests().size(), 3);
    QCOMPARE(server.requests().at(1).header("Last-Event-ID"), QByteArray("e2"));
    QCOMPARE(server.requests().at(2).header("Last-Event-ID"), QByteArray("e4"));
    QCOMPARE(rec.opened, 3);
    QCOMPARE(rec.reconnects.size(), 2);
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::EndOfStream);
    QVERIFY(rec.errors.isEmpty());
}

void TestSseConsumer::eventStreamAccepted_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("plain") << QByteArray("text/event-stream");
    QTest::newRow("charset") << QByteArray("text/event-stream; charset=utf-8");
    QTest::newRow("case and no space") << QByteArray("Text/Event-Stream;charset=UTF-8");
}

void TestSseConsumer::eventStreamAccepted()
{
    QFETCH(QByteArray, contentType);
    ScriptedServer server([contentType](const RecordedRequest &, int) {
        return Script::response(200, {"Content-Type: " + contentType}, "data: yes\n\n");
    });
    SseConsumer consumer;
    consumer.setOptions(fastOptions());
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(rec.opened, 1);
    QCOMPARE(rec.data(), QStringList{QStringLiteral("yes")});
    QVERIFY(rec.errors.isEmpty());
    QCOMPARE(consumer.lastHttpStatus(), 200);
}

void TestSseConsumer::wrongContentTypeFailsWithoutRetry_data()
{
    QTest::addColumn<QList<QByteArray>>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("event-streamx")
        << QList<QByteArray>{"Content-Type: text/event-streamx"} << QByteArray("data: no\n\n")
        << QStringLiteral("text/event-streamx");
    QTest::newRow("html error page")
        << QList<QByteArray>{"Content-Type: text/html; charset=utf-8"}
        << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>")
        << QStringLiteral("text/html");
    QTest::newRow("missing") << QList<QByteArray>{} << QByteArray("data: no\n\n")
                             << QStringLiteral("Content-Type");
    QTest::newRow("json") << QList<QByteArray>{"Content-Type: application/json"}
                          << QByteArray(R"({"error":{"message":"streaming is disabled"}})")
                          << QStringLiteral("streaming is disabled");
}

void TestSseConsumer::wrongContentTypeFailsWithoutRetry()
{
    QFETCH(QList<QByteArray>, headers);
    QFETCH(QByteArray, body);
    QFETCH(QString, mentions);
    ScriptedServer server(
        [&](const RecordedRequest &, int) { return Script::response(200, headers, body); });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    consumer.setOptions(fastOptions(5));
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    // The end: no reply, no timer (a scheduled retry is one) and no connection left, so the
    // counts below are final.
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));

    QCOMPARE(rec.finishes, QList{SseConsumer::FinishReason::Failed});
    QCOMPARE(rec.errors.size(), 1);
    QCOMPARE(rec.errors.first().first, SseConsumer::ErrorKind::ContentType);
    QVERIFY2(rec.errors.first().second.contains(mentions), qPrintable(rec.errors.first().second));
    QVERIFY2(!rec.errors.first().second.contains(QLatin1String("<html")),
             qPrintable(rec.errors.first().second));
    QCOMPARE(rec.opened, 0);
    QVERIFY(rec.events.isEmpty());
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(consumer.state(), SseConsumer::State::Closed);
}

void TestSseConsumer::httpErrorStatusFailsWithoutRetry_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("404 text") << 404 << QByteArray("no such stream")
                              << QStringLiteral("no such stream");
    QTest::newRow("500 json") << 500
                              << QByteArray(
                                     R"({"error":{"code":"internal","message":"model crashed"}})")
                              << QStringLiteral("model crashed");
    QTest::newRow("400 empty") << 400 << QByteArray() << QString();
}

void TestSseConsumer::httpErrorStatusFailsWithoutRetry()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, mentions);
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::response(status,
                                {"Content-Type: application/json",
                                 "Content-Length: " + QByteArray::number(body.size())},
                                body);
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    consumer.setOptions(fastOptions(5));
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));

    QCOMPARE(rec.finishes, QList{SseConsumer::FinishReason::Failed});
    QCOMPARE(rec.errors.size(), 1);
    QCOMPARE(rec.errors.first().first, SseConsumer::ErrorKind::HttpStatus);
    const QString &message = rec.errors.first().second;
    QVERIFY2(message.contains(QString::number(status)), qPrintable(message));
    QVERIFY2(message.contains(mentions), qPrintable(message));
    QCOMPARE(server.requests().size(), 1);
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(consumer.lastHttpStatus(), status);
}

void TestSseConsumer::credentialsRefused_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("401") << 401;
    QTest::newRow("403") << 403;
}

void TestSseConsumer::credentialsRefused()
{
    QFETCH(int, status);
    const QByteArray body = R"({"error":{"message":"Incorrect API key provided"}})";
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::response(status, {"Content-Type: application/json"}, body);
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    consumer.setOptions(fastOptions(5));
    SseRecorder rec(consumer);
    SseRequest request = get(server.url());
    request.headers.append({QByteArray("Authorization"), QByteArray("Bearer wrong")});
    consumer.start(request);
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));

    QCOMPARE(rec.finishes, QList{SseConsumer::FinishReason::Failed});
    QCOMPARE(rec.errors.size(), 1);
    QCOMPARE(rec.errors.first().first, SseConsumer::ErrorKind::CredentialsRefused);
    QVERIFY2(rec.errors.first().second.contains(QLatin1String("Incorrect API key provided")),
             qPrintable(rec.errors.first().second));
    QVERIFY(!rec.errors.first().second.contains(QLatin1String("wrong")));
    QCOMPARE(server.requests().size(), 1);
}

void TestSseConsumer::noContentMeansStop()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::response(204, {"Content-Type: text/event-stream"});
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    consumer.setOptions(fastOptions(5));
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));
    QCOMPARE(rec.finishes, QList{SseConsumer::FinishReason::ServerClosed});
    QVERIFY(rec.errors.isEmpty());
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(rec.opened, 0);
    QCOMPARE(server.requests().size(), 1);
}

void TestSseConsumer::retryAfterIsHonoured_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("429") << 429;
    QTest::newRow("503") << 503;
}

void TestSseConsumer::retryAfterIsHonoured()
{
    QFETCH(int, status);
    ScriptedServer server([status](const RecordedRequest &, int index) {
        if (index == 0)
            return Script::response(status, {"Retry-After: 1", "Content-Type: application/json"},
                                    R"({"error":{"message":"slow down"}})");
        return Script::eventStream("data: served\n\n");
    });
    SseConsumer consumer;
    consumer.setOptions(fastOptions(1));
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);

    QCOMPARE(rec.reconnects.size(), 1);
    QCOMPARE(rec.reconnects.first().delayMs, 1000); // Retry-After, not the backoff
    QVERIFY2(rec.reconnects.first().reason.contains(QString::number(status)),
             qPrintable(rec.reconnects.first().reason));
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(rec.data(), QStringList{QStringLiteral("served")});
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::EndOfStream);
    QVERIFY(rec.errors.isEmpty());
}

void TestSseConsumer::retryAfterZeroIsClamped()
{
    // `Retry-After: 0` (or a date in the past) gets the same floor as `retry: 0`.
    ScriptedServer server([](const RecordedRequest &, int index) {
        if (index == 0)
            return Script::response(503, {"Retry-After: 0"});
        if (index == 1)
            return Script::response(429, {"Retry-After: Wed, 21 Oct 2015 07:28:00 GMT"});
        return Script::eventStream("data: served\n\n");
    });
    SseConsumer consumer;
    SseConsumer::Options options = fastOptions(2);
    options.minRetryMs = 40;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(rec.reconnects.size(), 2);
    QCOMPARE(rec.reconnects.at(0).delayMs, 40);
    QCOMPARE(rec.reconnects.at(1).delayMs, 40);
    QCOMPARE(rec.data(), QStringList{QStringLiteral("served")});
    QCOMPARE(server.requests().size(), 3);
}

void TestSseConsumer::retryAfterTooLongFails()
{
    ScriptedServer server(
        [](const RecordedRequest &, int) { return Script::response(429, {"Retry-After: 3600"}); });
    SseConsumer consumer;
    SseConsumer::Options options = fastOptions(5);
    options.maxRetryAfterMs = 60000;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::Failed);
    QCOMPARE(rec.errors.size(), 1);
    QCOMPARE(rec.errors.first().first, SseConsumer::ErrorKind::HttpStatus);
    QVERIFY2(rec.errors.first().second.contains(QLatin1String("3600")),
             qPrintable(rec.errors.first().second));
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(server.requests().size(), 1);
}

void TestSseConsumer::strictModeFailsOnRetryAfterStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("429") << 429;
    QTest::newRow("503") << 503;
}

void TestSseConsumer::strictModeFailsOnRetryAfterStatuses()
{
    QFETCH(int, status);
    ScriptedServer server([status](const RecordedRequest &, int) {
        return Script::response(status, {"Retry-After: 1"});
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    SseConsumer::Options options = fastOptions(5);
    options.specStrict = true;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));
    QCOMPARE(rec.finishes, QList{SseConsumer::FinishReason::Failed});
    QCOMPARE(rec.errors.size(), 1);
    QCOMPARE(rec.errors.first().first, SseConsumer::ErrorKind::HttpStatus);
    QVERIFY(rec.errors.first().second.contains(QString::number(status)));
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(server.requests().size(), 1);
}

void TestSseConsumer::errorStatusThatStallsStillFails()
{
    // A 404 whose body never ends must fail on the stall timer, not turn into a reconnection.
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script()
            .write(Script::head(404, {"Content-Type: text/plain"}))
            .write("gone")
            .stall();
    });
    SseConsumer consumer;
    SseConsumer::Options options = fastOptions(5);
    options.stallTimeoutMs = 300;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::Failed);
    QCOMPARE(rec.errors.size(), 1);
    QCOMPARE(rec.errors.first().first, SseConsumer::ErrorKind::HttpStatus);
    QVERIFY2(rec.errors.first().second.contains(QLatin1String("404")),
             qPrintable(rec.errors.first().second));
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(server.requests().size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kTimeoutMs);
}

void TestSseConsumer::redirectIsFollowed()
{
    ScriptedServer server([](const RecordedRequest &request, int) {
        if (request.path == "/old")
            return Script::response(302, {"Location: /new", "Content-Length: 0"});
        return Script::eventStream("data: moved\n\n");
    });
    SseConsumer consumer;
    consumer.setOptions(fastOptions());
    SseRecorder rec(consumer);
    consumer.start(get(server.url(QStringLiteral("/old"))));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(rec.data(), QStringList{QStringLiteral("moved")});
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(server.requests().at(1).path, QByteArray("/new"));
    QCOMPARE(server.requests().at(1).header("Accept"), QByteArray("text/event-stream"));
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::EndOfStream);
    QVERIFY(rec.errors.isEmpty());
}

void TestSseConsumer::redirectLoopFails()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::response(302, {"Location: /loop", "Content-Length: 0"});
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    SseConsumer::Options options = fastOptions(5);
    options.maxRedirects = 3;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url(QStringLiteral("/loop"))));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::Failed);
    QCOMPARE(rec.errors.size(), 1);
    QVERIFY2(rec.errors.first().second.contains(QLatin1String("redirect"), Qt::CaseInsensitive),
             qPrintable(rec.errors.first().second));
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(server.requests().size(), options.maxRedirects + 1);
}

void TestSseConsumer::serverRetryIsUsedAndClamped_data()
{
    QTest::addColumn<bool>("strict");
    QTest::addColumn<QByteArray>("retryLine");
    QTest::addColumn<qint64>("minRetryMs");
    QTest::addColumn<qint64>("expectedDelay");
    QTest::addColumn<qint64>("expectedRetrySignal");
    QTest::newRow("server retry") << true << QByteArray("retry: 50\n") << qint64(10) << qint64(50)
                                  << qint64(50);
    QTest::newRow("retry 0 clamped")
        << true << QByteArray("retry: 0\n") << qint64(30) << qint64(30) << qint64(0);
    QTest::newRow("retry under minimum")
        << true << QByteArray("retry: 5\n") << qint64(30) << qint64(30) << qint64(5);
    QTest::newRow("no retry: initial")
        << true << QByteArray() << qint64(10) << qint64(20) << qint64(-1);
    QTest::newRow("invalid retry ignored")
        << true << QByteArray("retry: 1e3\n") << qint64(10) << qint64(20) << qint64(-1);
    // Non-strict: the first attempt is the same base delay, within the jitter (+/- 20 %).
    QTest::newRow("non-strict") << false << QByteArray("retry: 100\n") << qint64(10) << qint64(100)
                                << qint64(100);
}

void TestSseConsumer::serverRetryIsUsedAndClamped()
{
    QFETCH(bool, strict);
    QFETCH(QByteArray, retryLine);
    QFETCH(qint64, minRetryMs);
    QFETCH(qint64, expectedDelay);
    QFETCH(qint64, expectedRetrySignal);
    ScriptedServer server([&](const RecordedRequest &, int index) {
        return Script::eventStream(index == 0 ? retryLine + "data: a\n\n"
                                              : QByteArray("data: b\n\n"));
    });
    SseConsumer consumer;
    SseConsumer::Options options = fastOptions(1);
    options.specStrict = strict;
    options.minRetryMs = minRetryMs;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);

    QCOMPARE(rec.reconnects.size(), 1);
    QCOMPARE(rec.reconnects.first().attempt, 1);
    const qint64 delay = rec.reconnects.first().delayMs;
    if (strict) {
        QCOMPARE(delay, expectedDelay);
    } else {
        QVERIFY2(delay >= expectedDelay * 8 / 10 && delay <= expectedDelay * 12 / 10,
                 qPrintable(QString::number(delay)));
    }
    QCOMPARE(rec.retries, expectedRetrySignal < 0 ? QList<qint64>{} : QList{expectedRetrySignal});
    QCOMPARE(rec.data(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(server.requests().size(), 2);
}

void TestSseConsumer::exponentialBackoffWithJitter()
{
    // Every connection ends without an event, so the attempts are consecutive failures.
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream("retry: 40\n: nothing yet\n\n");
    });
    SseConsumer consumer;
    SseConsumer::Options options = fastOptions(4);
    options.maxRetryMs = 200;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);

    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::EndOfStream);
    QCOMPARE(rec.reconnects.size(), 4);
    const std::array<qint64, 4> grown{40, 80, 160, 200};
    for (int i = 0; i < 4; ++i) {
        const int attempt = rec.reconnects.at(i).attempt;
        const qint64 delay = rec.reconnects.at(i).delayMs;
        QCOMPARE(attempt, i + 1);
        const qint64 low = grown[i] * 8 / 10;
        const qint64 high = std::min<qint64>(grown[i] * 12 / 10, options.maxRetryMs);
        QVERIFY2(delay >= low && delay <= high,
                 qPrintable(QStringLiteral("attempt %1: %2 ms not in [%3, %4]")
                                .arg(attempt)
                                .arg(delay)
                                .arg(low)
                                .arg(high)));
    }
    QCOMPARE(server.requests().size(), 5);
}

void TestSseConsumer::reconnectPolicyArithmetic()
{
    ReconnectPolicy::Settings settings;
    settings.maxAttempts = 6;
    settings.initialDelayMs = 1000;
    settings.minDelayMs = 500;
    settings.maxDelayMs = 5000;
    settings.exponential = true;
    settings.jitter = 0.2;

    ReconnectPolicy policy(settings);
    QCOMPARE(policy.baseDelayMs(), 1000);
    QVERIFY(policy.canRetry());
    QCOMPARE(policy.nextDelayMs(0.5), 1000); // no jitter at the midpoint
    QCOMPARE(policy.nextDelayMs(0.5), 2000);
    QCOMPARE(policy.nextDelayMs(0.0), 3200); // 4000 - 20 %
    QCOMPARE(policy.nextDelayMs(0.5), 5000); // 8000 capped
    // The cap holds after jitter too.
    QCOMPARE(policy.nextDelayMs(0.999999), 5000);
    QCOMPARE(policy.nextDelayMs(0.0), 4000);
    QCOMPARE(policy.attempts(), 6);
    QVERIFY(!policy.canRetry());
    policy.resetAttempts();
    QVERIFY(policy.canRetry());
    QCOMPARE(policy.nextDelayMs(0.5), 1000);

    // The server's retry is the base, floored at the minimum.
    policy.setServerRetry(0);
    QCOMPARE(policy.baseDelayMs(), 500);
    policy.setServerRetry(700);
    QCOMPARE(policy.baseDelayMs(), 700);

    // Spec-strict: exactly the reconnection time, every time, even above the backoff cap.
    settings.exponential = false;
    settings.jitter = 0.0;
    ReconnectPolicy strict(settings);
    strict.setServerRetry(60000);
    QCOMPARE(strict.nextDelayMs(0.9), 60000);
    QCOMPARE(strict.nextDelayMs(0.1), 60000);
    strict.setServerRetry(0);
    QCOMPARE(strict.nextDelayMs(0.3), 500);

    settings.maxAttempts = -1;
    ReconnectPolicy unlimited(settings);
    for (int i = 0; i < 1000; ++i)
        unlimited.nextDelayMs(0.5);
    QVERIFY(unlimited.canRetry());
    settings.maxAttempts = 0;
    QVERIFY(!ReconnectPolicy(settings).canRetry());
}

void TestSseConsumer::attemptLimitAfterEndOfStream()
{
    ScriptedServer server([](const RecordedRequest &, int index) {
        return Script::eventStream("retry: 1\nid: " + QByteArray::number(index) + "\ndata: x\n\n");
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    consumer.setOptions(fastOptions(3));
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));
    QCOMPARE(rec.finishes, QList{SseConsumer::FinishReason::EndOfStream});
    QVERIFY(rec.errors.isEmpty());
    QCOMPARE(server.requests().size(), 4);
    QCOMPARE(rec.reconnects.size(), 3);
    QCOMPARE(rec.reconnects.at(2).attempt, 3);
    QCOMPARE(rec.events.size(), 4);
    QCOMPARE(consumer.metrics().reconnects, 3);
}

void TestSseConsumer::budgetRefillsOnEvents()
{
    // Five drops in all, each after progress: a budget of 1 consecutive attempt suffices.
    ScriptedServer server([](const RecordedRequest &, int index) {
        if (index == 5)
            return Script::response(204, {});
        return Script::eventStream("retry: 1\ndata: " + QByteArray::number(index) + "\n\n");
    });
    SseConsumer consumer;
    SseConsumer::Options options = fastOptions(1);
    options.budgetResetsOnEvent = true;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::ServerClosed);
    QCOMPARE(rec.events.size(), 5);
    QCOMPARE(server.requests().size(), 6);
    for (const SseRecorder::Reconnect &reconnect : std::as_const(rec.reconnects))
        QCOMPARE(reconnect.attempt, 1);
}

void TestSseConsumer::connectionRefused_data()
{
    QTest::addColumn<int>("maxReconnects");
    QTest::newRow("no budget") << 0;
    QTest::newRow("two attempts") << 2;
}

void TestSseConsumer::connectionRefused()
{
    QFETCH(int, maxReconnects);
    const quint16 port = ScriptedServer::closedPort();
    SseConsumer consumer;
    consumer.setOptions(fastOptions(maxReconnects));
    SseRecorder rec(consumer);
    consumer.start(get(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port))));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::Failed);
    QCOMPARE(rec.errors.size(), 1);
    QCOMPARE(rec.errors.first().first, SseConsumer::ErrorKind::Network);
    QVERIFY2(rec.errors.first().second.contains(QLatin1String("refused"), Qt::CaseInsensitive),
             qPrintable(rec.errors.first().second));
    QCOMPARE(rec.reconnects.size(), maxReconnects);
    QCOMPARE(rec.opened, 0);
    QCOMPARE(consumer.metrics().reconnects, maxReconnects);
}

void TestSseConsumer::stallReconnects()
{
    ScriptedServer server([](const RecordedRequest &, int index) {
        if (index == 0) // headers and one event, then silence with the socket open
            return Script::eventStream("id: 1\ndata: before\n\n").stall();
        return Script::eventStream("data: after\n\n");
    });
    SseConsumer consumer;
    SseConsumer::Options options = fastOptions(1);
    options.stallTimeoutMs = 300;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);

    QCOMPARE(rec.reconnects.size(), 1);
    QVERIFY2(rec.reconnects.first().reason.contains(QLatin1String("no data")),
             qPrintable(rec.reconnects.first().reason));
    QCOMPARE(rec.data(), (QStringList{QStringLiteral("before"), QStringLiteral("after")}));
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(server.requests().at(1).header("Last-Event-ID"), QByteArray("1"));
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::EndOfStream);
    // The stalled connection was dropped, not leaked.
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kTimeoutMs);
}

void TestSseConsumer::stallWithoutBudgetFails_data()
{
    QTest::addColumn<bool>("sendHeaders");
    QTest::newRow("headers, then silence") << true;
    QTest::newRow("no response at all") << false;
}

void TestSseConsumer::stallWithoutBudgetFails()
{
    QFETCH(bool, sendHeaders);
    ScriptedServer server([sendHeaders](const RecordedRequest &, int) {
        Script script;
        if (sendHeaders)
            script.write(Script::head(200, {"Content-Type: text/event-stream"}));
        return script.stall();
    });
    SseConsumer consumer;
    SseConsumer::Options options = fastOptions(0);
    options.stallTimeoutMs = 300;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(rec.opened, sendHeaders ? 1 : 0);
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::Failed);
    QCOMPARE(rec.errors.size(), 1);
    QCOMPARE(rec.errors.first().first, SseConsumer::ErrorKind::Stalled);
    QCOMPARE(server.requests().size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kTimeoutMs);
}

void TestSseConsumer::commentsKeepConnectionAlive()
{
    // 15 comments 100 ms apart: 1.5 s in all, far past the 1 s stall timeout, never silent
    // for more than a fraction of it.
    ScriptedServer server([](const RecordedRequest &, int) {
        Script script = Script::eventStream();
        for (int i = 0; i < 15; ++i)
            script.write(": keep-alive\n", 100);
        script.write("data: finally\n\n");
        return script.stall(); // no end of stream to reconnect after
    });
    SseConsumer consumer;
    SseConsumer::Options options = fastOptions(3);
    options.stallTimeoutMs = 1000;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 1, kTimeoutMs);
    QCOMPARE(rec.comments.size(), 15);
    QCOMPARE(rec.comments.first(), QStringLiteral("keep-alive"));
    QVERIFY2(rec.reconnects.isEmpty(), qPrintable(rec.reconnects.value(0).reason));
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(consumer.metrics().comments, 15);
    consumer.cancel();
}

void TestSseConsumer::cancelStopsAtOnce()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        Script script = Script::eventStream("data: 0\n\n");
        for (int i = 1; i < 100; ++i)
            script.write("data: " + QByteArray::number(i) + "\n\n", 50);
        return script;
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    consumer.setOptions(fastOptions(5));
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(rec.events.size() >= 2, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 1, kTimeoutMs);

    consumer.cancel();
    // Synchronous: the outcome is known when cancel() returns.
    QCOMPARE(rec.finishes, QList{SseConsumer::FinishReason::Cancelled});
    QCOMPARE(consumer.state(), SseConsumer::State::Closed);
    const qsizetype seen = rec.events.size();
    // The aborted reply gone, no timer pending, the server's socket closed: nothing could
    // deliver another event or reconnect now.
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));
    QCOMPARE(rec.events.size(), seen);
    QCOMPARE(rec.finishes.size(), 1);
    QVERIFY(rec.errors.isEmpty());
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(server.requests().size(), 1);
    consumer.cancel(); // a second cancel is a no-op
    QCOMPARE(rec.finishes.size(), 1);
}

void TestSseConsumer::cancelFromEventSlot()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        // Three events in one write: the slot cancels during the first.
        return Script::eventStream("data: one\n\ndata: two\n\ndata: three\n\n").stall();
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    consumer.setOptions(fastOptions(5));
    SseRecorder rec(consumer);
    connect(&consumer, &SseConsumer::eventReceived, &consumer, [&consumer] { consumer.cancel(); });
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));
    QCOMPARE(rec.data(), QStringList{QStringLiteral("one")});
    QCOMPARE(rec.finishes, QList{SseConsumer::FinishReason::Cancelled});
    QCOMPARE(consumer.metrics().events, 1);
    QCOMPARE(server.requests().size(), 1);
}

void TestSseConsumer::cancelDuringReconnectWait()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream("retry: 10000\ndata: x\n\n");
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    SseConsumer::Options options = fastOptions(5);
    options.maxRetryMs = 60000;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    connect(&consumer, &SseConsumer::reconnecting, &consumer, [&consumer] { consumer.cancel(); });
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QCOMPARE(rec.finishes.first(), SseConsumer::FinishReason::Cancelled);
    QCOMPARE(rec.reconnects.size(), 1);
    // The 10 s reconnection timer must be gone with the cancel, not merely not fired yet.
    QCOMPARE(activeTimers(consumer), 0);
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(rec.finishes.size(), 1);
}

void TestSseConsumer::lineOverLimitFailsWithoutRetry()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream("data: fine\n\n")
            .writeInPieces("data: " + QByteArray(500, 'x'), 50);
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    SseConsumer::Options options = fastOptions(5);
    options.limits.maxLineBytes = 64;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));
    QCOMPARE(rec.data(), QStringList{QStringLiteral("fine")});
    QCOMPARE(rec.finishes, QList{SseConsumer::FinishReason::Failed});
    QCOMPARE(rec.errors.size(), 1);
    QCOMPARE(rec.errors.first().first, SseConsumer::ErrorKind::StreamTooLarge);
    QVERIFY2(rec.errors.first().second.contains(QLatin1String("64")),
             qPrintable(rec.errors.first().second));
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(server.requests().size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kTimeoutMs);
}

void TestSseConsumer::eventOverLimitFailsWithoutRetry()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        QByteArray body;
        for (int i = 0; i < 20; ++i)
            body += "data: 0123456789\n";
        return Script::eventStream(body + "\n");
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    SseConsumer::Options options = fastOptions(5);
    options.limits.maxEventBytes = 100;
    consumer.setOptions(options);
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));
    QVERIFY(rec.events.isEmpty());
    QCOMPARE(rec.errors.size(), 1);
    QCOMPARE(rec.errors.first().first, SseConsumer::ErrorKind::StreamTooLarge);
    QCOMPARE(server.requests().size(), 1);
}

void TestSseConsumer::gzipBodyIsDecoded()
{
    const QByteArray body =
        "id: 7\nevent: greeting\ndata: مرحبا بالعالم\n\ndata: " + QByteArray(2000, 'z') + "\n\n";
    const QByteArray compressed = gzip(body);
    QVERIFY(compressed.size() < body.size());
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::response(200, {"Content-Type: text/event-stream", "Content-Encoding: gzip"})
            .writeInPieces(compressed, 16);
    });
    SseConsumer consumer;
    consumer.setOptions(fastOptions());
    SseRecorder rec(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);
    QVERIFY(rec.errors.isEmpty());
    QCOMPARE(rec.events.size(), 2);
    QCOMPARE(rec.events.at(0).type, QStringLiteral("greeting"));
    QCOMPARE(rec.events.at(0).data, QStringLiteral("مرحبا بالعالم"));
    QCOMPARE(rec.events.at(0).lastEventId, QStringLiteral("7"));
    QCOMPARE(rec.events.at(1).data, QString(2000, QLatin1Char('z')));
}

void TestSseConsumer::metricsCountEverything()
{
    const QList<QByteArray> bodies{"retry: 1\n: hello\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n",
                                   "id: 3\ndata: c\n\n: bye\n"};
    ScriptedServer server([&](const RecordedRequest &, int index) {
        return Script::eventStream().writeInPieces(bodies.value(index), 5);
    });
    SseConsumer consumer;
    consumer.setOptions(fastOptions(1));
    SseRecorder rec(consumer);
    QCOMPARE(consumer.metrics().bytes, 0);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.finishes.size(), 1, kTimeoutMs);

    const SseMetrics metrics = consumer.metrics();
    qint64 expectedBytes = 0;
    for (const QByteArray &body : bodies)
        expectedBytes += body.size();
    QCOMPARE(metrics.bytes, expectedBytes);
    QCOMPARE(metrics.events, 3);
    QCOMPARE(metrics.comments, 2);
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(metrics.reconnects, 1);
    QCOMPARE(metrics.reconnects, rec.reconnects.size());
    QVERIFY(metrics.timeToFirstByteMs >= 0);
    QVERIFY(metrics.timeToFirstEventMs >= metrics.timeToFirstByteMs);
    QVERIFY(metrics.elapsedMs >= metrics.timeToFirstEventMs);
    QCOMPARE(rec.events.size(), 3);

    // start() begins afresh.
    consumer.start(get(server.url()));
    QCOMPARE(consumer.metrics().bytes, 0);
    QCOMPARE(consumer.metrics().events, 0);
    consumer.cancel();
}

QTEST_GUILESS_MAIN(TestSseConsumer)
#include "tst_sseconsumer.moc"
