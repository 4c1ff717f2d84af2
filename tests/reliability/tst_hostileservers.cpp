// Hostile servers (issue 6): each case runs against a real server on 127.0.0.1 and must end in
// a clear error (or, where the input is merely ugly, in correct events), with bounded memory
// and no crash. Every case prints the process's peak resident-memory growth, the figure
// docs/reliability.md records.
//
// What tests/sse/tst_sseconsumer.cpp already proves at the consumer level is not repeated here:
// content-type refusal (wrongContentTypeFailsWithoutRetry), statuses (httpErrorStatus...,
// credentialsRefused, retryAfter*), the redirect loop (redirectLoopFails), gzip decoding
// (gzipBodyIsDecoded), `retry` clamping (serverRetryIsUsedAndClamped) and limits on small
// inputs (lineOverLimit..., eventOverLimit...). This file adds volume (megabytes to a gibibyte,
// measured memory), slowness, and the same refusals as the chat layer reports them.
//
// Timing is never asserted: outcomes, contents and counts are, with generous QTRY timeouts.
// "Nothing more happened" is checked once the client has nothing left that could act
// (waitUntilIdle, tests/common/NetworkIdle.h), never after a fixed wait.
#include "ChatTestSupport.h"
#include "MemoryMeter.h"
#include "NetworkIdle.h"
#include "ScriptedServer.h"
#include "SseTestSupport.h"
#include "chat/ChatStream.h"
#include "sse/SseConsumer.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <functional>
#include <map>
#include <memory>

using namespace qalam;
using namespace qalam::test;

namespace {

constexpr int kTimeoutMs = 60000; // generous: a loaded 2-core machine must not fail these
constexpr qint64 kMiB = 1024 * 1024;

// A loopback HTTP server whose response is generated on the fly. The next piece is written only
// once the socket's buffer has drained below a small watermark, so the server can send a
// gibibyte while holding kilobytes: what the test measures is the client's memory.
class StreamingServer
{
public:
    // The piece that follows `offset` body bytes; an empty piece ends the response (close).
    using Generator = std::function<QByteArray(qint64 offset)>;

    StreamingServer(QByteArray head, Generator generator)
        : m_head(std::move(head)), m_generator(std::move(generator))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("StreamingServer: cannot listen: %s", qPrintable(m_server.errorString()));
    }
    ~StreamingServer()
    {
        for (QTcpSocket *socket : m_server.findChildren<QTcpSocket *>())
            socket->abort();
    }

    QUrl url(const QString &path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    int connections() const { return m_connections; }
    qint64 bodyBytesWritten() const { return m_bytes; }

private:
    static constexpr qint64 kWatermark = 256 * 1024;

    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_connections;
            socket->setParent(&m_server);
            auto request = std::make_shared<QByteArray>();
            auto offset = std::make_shared<qint64>(-1); // -1: the request head is still arriving
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [=, this] {
                if (*offset >= 0) {
                    socket->readAll(); // a POST body: not needed
                    return;
                }
                request->append(socket->readAll());
                if (!request->contains("\r\n\r\n"))
                    return;
                *offset = 0;
                socket->write(m_head);
                pump(socket, *offset);
            });
            QObject::connect(socket, &QTcpSocket::bytesWritten, socket, [=, this] {
                if (*offset >= 0)
                    pump(socket, *offset);
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void pump(QTcpSocket *socket, qint64 &offset)
    {
        while (socket->state() == QAbstractSocket::ConnectedState &&
               socket->bytesToWrite() < kWatermark) {
            const QByteArray piece = m_generator(offset);
            if (piece.isEmpty()) {
                socket->disconnectFromHost();
                return;
            }
            offset += piece.size();
            m_bytes += piece.size();
            socket->write(piece);
        }
    }

    QTcpServer m_server;
    QByteArray m_head;
    Generator m_generator;
    int m_connections = 0;
    qint64 m_bytes = 0;
};

// A StreamingServer on a thread of its own, so it keeps writing while the client's thread is
// busy, as a real server in another process would.
class ServerThread : public QThread
{
public:
    ServerThread(QByteArray head, StreamingServer::Generator generator)
        : m_head(std::move(head)), m_generator(std::move(generator))
    {
        start();
        m_ready.acquire();
    }
    ~ServerThread() override
    {
        quit();
        wait();
    }
    QUrl url() const { return m_url; }

protected:
    void run() override
    {
        StreamingServer server(m_head, m_generator);
        m_url = server.url();
        m_ready.release();
        exec();
    }

private:
    QByteArray m_head;
    StreamingServer::Generator m_generator;
    QSemaphore m_ready;
    QUrl m_url;
};

const QByteArray kEventStreamHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                    "Cache-Control: no-cache\r\nConnection: close\r\n\r\n";

// `piece` over and over until `total` bytes were sent (the last repetition cut to fit).
StreamingServer::Generator repeat(QByteArray piece, qint64 total)
{
    return [piece = std::move(piece), total](qint64 offset) {
        if (offset >= total)
            return QByteArray();
        return offset + piece.size() <= total ? piece : piece.first(total - offset);
    };
}

SseConsumer::Options noReconnect()
{
    SseConsumer::Options options;
    options.maxReconnects = 0;
    options.stallTimeoutMs = 30000;
    return options;
}

Script response(int status, const QList<QByteArray> &headers, const QByteArray &body = {})
{
    QList<QByteArray> all = headers;
    all.append("Content-Length: " + QByteArray::number(body.size()));
    all.append("Connection: close");
    Script script;
    script.write(Script::head(status, all) + body);
    return script;
}

} // namespace

class TestHostileServers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void cleanupTestCase();

    void endlessLine_data();
    void endlessLine();
    void gzipBombLine();
    void oneGibibyteBody();
    void fastServerSlowClient();
    void oneBytePerSecond();
    void invalidUtf8();
    void thousandsOfCommentsNoEvents();
    void retryZeroIsNoTightLoop();
    void refusedResponsesThroughChatStream_data();
    void refusedResponsesThroughChatStream();
    void retryAfterIsHonouredThenReported();
    void redirectLoopThroughChatStream();
    void endlessAnswerStopsAtMaxLength();

private:
    // Prints and records the peak growth of the case that just ran; fails past `limitKb`.
    void reportMemory(qint64 limitKb);

    MemoryMeter m_memory;
    std::map<QString, qint64> m_peaks; // case: peak growth in KiB
};

void TestHostileServers::init()
{
    m_memory.start();
}

void TestHostileServers::cleanup() {}

void TestHostileServers::reportMemory(qint64 limitKb)
{
    QString name = QString::fromLatin1(QTest::currentTestFunction());
    if (const char *row = QTest::currentDataTag(); row && *row)
        name += QLatin1Char(':') + QString::fromLatin1(row);
    const qint64 growth = m_memory.peakGrowthKb();
    m_peaks[name] = growth;
    qInfo("peak memory growth %s: %lld KiB (%.1f MiB; baseline RSS %lld KiB; %s)", qPrintable(name),
          growth, double(growth) / 1024.0, m_memory.baselineKb(),
          m_memory.usesKernelPeak() ? "VmHWM" : "sampled VmRSS");
    QVERIFY2(growth <= limitKb,
             qPrintable(QStringLiteral("%1 KiB > %2 KiB").arg(growth).arg(limitKb)));
}

void TestHostileServers::cleanupTestCase()
{
    qInfo("summary of peak memory growth per case:");
    for (const auto &[name, kb] : m_peaks)
        qInfo("  %-45s %8.1f MiB", qPrintable(name), double(kb) / 1024.0);
}

void TestHostileServers::endlessLine_data()
{
    QTest::addColumn<qsizetype>("limit");
    QTest::newRow("64 KiB limit") << qsizetype(64 * 1024);
    QTest::newRow("default 8 MiB limit") << SseParser::Limits{}.maxLineBytes;
}

// A data line that never ends: the parser must give up at its line limit instead of buffering
// the stream. The server would send 1 GiB; the client must stop long before.
void TestHostileServers::endlessLine()
{
    QFETCH(qsizetype, limit);
    StreamingServer server(kEventStreamHead, [](qint64 offset) {
        if (offset >= 1024 * kMiB)
            return QByteArray();
        return offset == 0 ? QByteArray("data: ") : QByteArray(64 * 1024, 'x');
    });
    SseConsumer consumer;
    SseConsumer::Options options = noReconnect();
    options.limits.maxLineBytes = limit;
    options.limits.maxEventBytes = limit;
    consumer.setOptions(options);
    SseRecorder outcome(consumer, SseRecorder::Keep::Counts);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishes.size(), 1, kTimeoutMs);

    QCOMPARE(outcome.finishes.first(), SseConsumer::FinishReason::Failed);
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().first, SseConsumer::ErrorKind::StreamTooLarge);
    const QString &message = outcome.errors.first().second;
    QVERIFY2(message.contains(QLatin1String("line")), qPrintable(message));
    QCOMPARE(outcome.eventCount, 0);
    QVERIFY(consumer.metrics().bytes > limit);
    QVERIFY(server.bodyBytesWritten() < 1024 * kMiB); // cut off, not read to the end
    qInfo("endless line, limit %lld bytes: failed after %lld body bytes: %s", qlonglong(limit),
          consumer.metrics().bytes, qPrintable(message));
    // The line buffer (at most twice the limit while it grows) plus the network stack's buffers.
    reportMemory(limit * 4 / 1024 + 48 * 1024);
}

// An endless line again, gzip-compressed ~1000:1, so a few hundred KiB on the wire expand to
// far more than the line limit: decompression must not get ahead of the parser's limit.
void TestHostileServers::gzipBombLine()
{
    // Built before the measurement starts: 256 MiB of 'x' in one deflate stream (the input
    // buffer is freed at once; only the ~250 KiB compressed result stays).
    QByteArray compressed;
    constexpr qint64 inflated = 256 * kMiB;
    {
        QByteArray plain(inflated, 'x');
        plain.replace(0, 6, "data: ");
        const QByteArray zlib = qCompress(plain, 9);
        // qCompress: 4-byte length, 2-byte zlib header, deflate, 4-byte Adler-32. Raw deflate
        // gets a gzip header; the trailer is left off, as a stream cut short would be.
        compressed = QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) +
                     zlib.mid(6, zlib.size() - 10);
    }
    m_memory.start();
    qInfo("gzip bomb: %lld bytes inflate to %lld", qlonglong(compressed.size()), inflated);
    StreamingServer server(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
        "Content-Encoding: gzip\r\nConnection: close\r\n\r\n",
        [compressed](qint64 offset) { return offset == 0 ? compressed : QByteArray(); });
    SseConsumer consumer;
    consumer.setOptions(noReconnect()); // default limits: 8 MiB lines
    SseRecorder outcome(consumer, SseRecorder::Keep::Counts);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishes.size(), 1, kTimeoutMs);

    QCOMPARE(outcome.finishes.first(), SseConsumer::FinishReason::Failed);
    QCOMPARE(outcome.errors.size(), 1);
    const auto &[kind, message] = outcome.errors.first();
    qInfo("gzip bomb: %s after %lld decoded bytes: %s",
          QMetaEnum::fromType<SseConsumer::ErrorKind>().valueToKey(int(kind)),
          consumer.metrics().bytes, qPrintable(message));
    // Either the parser's line limit or Qt's decompression safety check stops it; both say so.
    QVERIFY2(kind == SseConsumer::ErrorKind::StreamTooLarge ||
                 (kind == SseConsumer::ErrorKind::Network &&
                  message.contains(QLatin1String("decompression bomb"))),
             qPrintable(message));
    QCOMPARE(outcome.eventCount, 0);
    reportMemory(96 * 1024);
}

// A gibibyte of valid events, generated on the fly (on a thread of its own) as fast as loopback
// allows: every event is counted and memory stays flat. QALAM_HOSTILE_BODY_MIB overrides the
// size (e.g. to try more).
void TestHostileServers::oneGibibyteBody()
{
    const qint64 mib = qEnvironmentVariableIsSet("QALAM_HOSTILE_BODY_MIB")
                           ? qEnvironmentVariableIntValue("QALAM_HOSTILE_BODY_MIB")
                           : 1024;
    const qint64 total = mib * kMiB;
    // 64 events of exactly 1 KiB each ("data: " + 1016 x + "\n\n") per 64 KiB piece.
    QByteArray event = "data: " + QByteArray(1016, 'x') + "\n\n";
    QCOMPARE(event.size(), 1024);
    ServerThread server(kEventStreamHead, repeat(event.repeated(64), total));
    SseConsumer consumer;
    consumer.setOptions(noReconnect());
    SseRecorder outcome(consumer, SseRecorder::Keep::Counts);
    QElapsedTimer clock;
    clock.start();
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishes.size(), 1, 5 * kTimeoutMs);
    const qint64 ms = std::max<qint64>(1, clock.elapsed());

    QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.value(0).second));
    QCOMPARE(outcome.finishes.first(), SseConsumer::FinishReason::EndOfStream);
    QCOMPARE(consumer.metrics().bytes, total);
    QCOMPARE(outcome.eventCount, total / 1024);
    qInfo("%lld MiB body: %lld events in %lld ms (%.0f MiB/s)", mib, outcome.eventCount, ms,
          double(mib) * 1000.0 / double(ms));
    reportMemory(64 * 1024);
}

// The same flood at a client that is slower than the network (a busy UI thread: 1 ms of work
// every 64 events): what the network reads ahead while the client works must stay bounded.
void TestHostileServers::fastServerSlowClient()
{
    const qint64 total = 256 * kMiB;
    const QByteArray event = "data: " + QByteArray(1016, 'x') + "\n\n";
    ServerThread server(kEventStreamHead, repeat(event.repeated(64), total));
    SseConsumer consumer;
    consumer.setOptions(noReconnect());
    SseRecorder outcome(consumer, SseRecorder::Keep::Counts);
    connect(&consumer, &SseConsumer::eventReceived, this, [&outcome] {
        if (outcome.eventCount % 64 == 0)
            QThread::msleep(1);
    });
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishes.size(), 1, 5 * kTimeoutMs);

    QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.value(0).second));
    QCOMPARE(outcome.eventCount, total / 1024);
    reportMemory(64 * 1024);
}

// One byte per second, with a stall timeout of four seconds: every byte proves the server is
// alive, so the slow stream is never mistaken for a dead one and its events arrive intact.
void TestHostileServers::oneBytePerSecond()
{
    const QByteArray body = "data:1\n\ndata:2\n\ndata:3\n\n";
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::eventStream().writeInPieces(body, 1, 1000).stall();
    });
    SseConsumer consumer;
    SseConsumer::Options options = noReconnect();
    options.stallTimeoutMs = 4000;
    consumer.setOptions(options);
    SseRecorder outcome(consumer);
    consumer.start(get(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(outcome.eventCount == 3 || !outcome.finishes.isEmpty(), kTimeoutMs);
    QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.value(0).second));
    QCOMPARE(outcome.data(),
             (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}));
    QVERIFY(outcome.delays().isEmpty());
    QCOMPARE(server.requests().size(), 1);
    consumer.cancel(); // the test's cut: the stream itself would go on
    QCOMPARE(outcome.finishes, QList{SseConsumer::FinishReason::Cancelled});
    reportMemory(16 * 1024);
}

// Bytes that are not UTF-8 are not an error: each bad sequence becomes U+FFFD (as the
// EventSource spec's decoder does) and the rest of the event survives.
void TestHostileServers::invalidUtf8()
{
    const QByteArray body = "data: a\xff\xfe"
                            "b\n\n" // invalid bytes
                            "data: \xc0\xaf"
                            "c\n\n" // overlong '/'
                            "data: \xed\xa0\x80"
                            "d\n\n" // a UTF-16 surrogate
                            "data: \xe2\x82"
                            "\n\n" // a sequence cut by the line end
                            "data: \xd9\x82\xd9\x84\xd9\x85 ok\n\n"; // valid Arabic after all that
    ScriptedServer server(
        [&](const RecordedRequest &, int) { return Script::eventStream().writeInPieces(body, 3); });
    SseConsumer consumer;
    consumer.setOptions(noReconnect());
    SseRecorder outcome(consumer);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishes.size(), 1, kTimeoutMs);

    QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.value(0).second));
    QCOMPARE(outcome.finishes.first(), SseConsumer::FinishReason::EndOfStream);
    QCOMPARE(outcome.eventCount, 5);
    const QChar replacement(QChar::ReplacementCharacter);
    for (int i = 0; i < 4; ++i)
        QVERIFY2(outcome.data().at(i).contains(replacement), qPrintable(outcome.data().at(i)));
    QVERIFY(outcome.data().at(0).startsWith(QLatin1Char('a')) &&
            outcome.data().at(0).endsWith(QLatin1Char('b')));
    QVERIFY(outcome.data().at(1).endsWith(QLatin1Char('c')));
    QVERIFY(outcome.data().at(2).endsWith(QLatin1Char('d')));
    QCOMPARE(outcome.data().at(4), QStringLiteral("قلم ok"));
    reportMemory(16 * 1024);
}

// Ten thousand keep-alive comments spread over about four seconds with a stall timeout of 1.5 s
// (gaps of 0.1 s) and no event at all: no event, no error, no reconnection, memory flat.
void TestHostileServers::thousandsOfCommentsNoEvents()
{
    QByteArray batch;
    for (int i = 0; i < 250; ++i)
        batch += ": keep-alive " + QByteArray::number(i) + "\n";
    ScriptedServer server([&](const RecordedRequest &, int) {
        Script script = Script::eventStream();
        for (int i = 0; i < 40; ++i)
            script.write(batch, 100);
        return script;
    });
    SseConsumer consumer;
    SseConsumer::Options options = noReconnect();
    options.stallTimeoutMs = 1500;
    consumer.setOptions(options);
    SseRecorder outcome(consumer, SseRecorder::Keep::Counts);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishes.size(), 1, kTimeoutMs);

    QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.value(0).second));
    QCOMPARE(outcome.finishes.first(), SseConsumer::FinishReason::EndOfStream);
    QCOMPARE(outcome.eventCount, 0);
    QCOMPARE(outcome.commentCount, 10000);
    QVERIFY(outcome.delays().isEmpty()); // never taken for a stall
    QCOMPARE(server.requests().size(), 1);
    reportMemory(16 * 1024);
}

// `retry: 0` from a server that closes after every event must not make the client hammer it:
// the delays reported are never under minRetryMs (here its real default), and a budget of three
// reconnections means exactly four connections.
void TestHostileServers::retryZeroIsNoTightLoop()
{
    ScriptedServer server([](const RecordedRequest &, int index) {
        return Script::eventStream("retry: 0\ndata: " + QByteArray::number(index) + "\n\n");
    });
    QNetworkAccessManager network;
    SseConsumer consumer(&network);
    SseConsumer::Options options; // the defaults, minRetryMs included
    options.maxReconnects = 3;
    options.budgetResetsOnEvent = false; // else every event refills the budget (bounded by delay)
    consumer.setOptions(options);
    SseRecorder outcome(consumer, SseRecorder::Keep::Counts);
    consumer.start(get(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(outcome.finishes.size(), 1, kTimeoutMs);

    // No reply, no timer and no connection left: a stray extra connection cannot come later.
    QVERIFY(waitUntilIdle(network, consumer, &server, kTimeoutMs));
    QCOMPARE(outcome.finishes, QList{SseConsumer::FinishReason::EndOfStream});
    QCOMPARE(outcome.eventCount, 4);
    QCOMPARE(outcome.delays().size(), 3);
    for (const qint64 delay : outcome.delays())
        QVERIFY2(delay >= options.minRetryMs, qPrintable(QString::number(delay)));
    QCOMPARE(server.requests().size(), 4);
    QCOMPARE(server.connectionCount(), 4);
    qInfo("retry: 0: delays reported %s ms",
          qPrintable(QStringList([&] {
                         QStringList out;
                         for (const qint64 delay : outcome.delays())
                             out.append(QString::number(delay));
                         return out;
                     }())
                         .join(QLatin1String(", "))));
    reportMemory(16 * 1024);
}

// What a person sees when the server refuses: the chat layer's outcome and message, for every
// status the issue names, for a 200 HTML page and for wrong or missing content types.
void TestHostileServers::refusedResponsesThroughChatStream_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QList<QByteArray>>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("mentions");
    const QByteArray json = "Content-Type: application/json";
    const auto error = [](const char *message) {
        return QByteArray(R"({"error":{"message":")") + message + R"("}})";
    };
    QTest::newRow("401") << 401 << QList{json} << error("invalid api key")
                         << QStringList{QStringLiteral("credentials"), QStringLiteral("401"),
                                        QStringLiteral("invalid api key")};
    QTest::newRow("403") << 403 << QList{json} << error("model not allowed")
                         << QStringList{QStringLiteral("credentials"), QStringLiteral("403"),
                                        QStringLiteral("model not allowed")};
    QTest::newRow("404") << 404 << QList{json} << error("no such route")
                         << QStringList{QStringLiteral("404"), QStringLiteral("no such route")};
    QTest::newRow("429 Retry-After")
        << 429 << QList{json, QByteArray("Retry-After: 7")} << error("slow down")
        << QStringList{QStringLiteral("429"), QStringLiteral("slow down"), QStringLiteral("7 s")};
    QTest::newRow("500") << 500 << QList{json} << error("model crashed")
                         << QStringList{QStringLiteral("500"), QStringLiteral("model crashed")};
    QTest::newRow("503 Retry-After")
        << 503 << QList{json, QByteArray("Retry-After: 30")} << error("overloaded")
        << QStringList{QStringLiteral("503"), QStringLiteral("overloaded"), QStringLiteral("30 s")};
    QTest::newRow("200 HTML page")
        << 200 << QList<QByteArray>{"Content-Type: text/html; charset=utf-8"}
        << QByteArray("<!doctype html><html><head><title>Sign in</title></head>"
                      "<body><h1>Please sign in to continue</h1></body></html>")
        << QStringList{QStringLiteral("text/html"), QStringLiteral("text/event-stream")};
    QTest::newRow("200 wrong type")
        << 200 << QList<QByteArray>{"Content-Type: text/plain"} << QByteArray("data: {}\n\n")
        << QStringList{QStringLiteral("text/plain")};
    QTest::newRow("200 no type") << 200 << QList<QByteArray>{} << QByteArray("data: {}\n\n")
                                 << QStringList{QStringLiteral("Content-Type")};
}

void TestHostileServers::refusedResponsesThroughChatStream()
{
    QFETCH(int, status);
    QFETCH(QList<QByteArray>, headers);
    QFETCH(QByteArray, body);
    QFETCH(QStringList, mentions);
    ScriptedServer server(
        [&](const RecordedRequest &, int) { return response(status, headers, body); });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::OpenAi, &network);
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url(QStringLiteral("/v1"))));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    // Nothing left that could retry or report again: the counts below are final.
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));

    QCOMPARE(rec.outcomes.size(), 1);
    QCOMPARE(rec.reconnects, 0);
    const ChatStream::Outcome outcome = rec.outcomes.first();
    const QString &message = rec.messages.first();
    qInfo("HTTP %d -> %s", status, qPrintable(message));
    QCOMPARE(outcome, ChatStream::Outcome::Failed);
    for (const QString &part : std::as_const(mentions))
        QVERIFY2(message.contains(part), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1String("<html")), qPrintable(message));
    QVERIFY(stream.text().isEmpty());
    QCOMPARE(server.requests().size(), 1); // an OpenAI answer cannot resume: never retried
    reportMemory(16 * 1024);
}

// A resumable stream (admin protocol) told to wait by 503 + Retry-After waits that long each
// time (the delay reported is the server's, not less), then fails saying what the server said.
void TestHostileServers::retryAfterIsHonouredThenReported()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return response(503, {"Content-Type: text/plain", "Retry-After: 1"}, "maintenance");
    });
    ChatStream stream(ChatProtocol::Kind::AdminStream);
    SseConsumer::Options options;
    options.maxReconnects = 2;
    stream.setConsumerOptions(options);
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url(QStringLiteral("/api/v1/stream/chat"))));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);

    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Failed});
    const QString &message = rec.messages.first();
    qInfo("503 Retry-After: 1, budget 2 -> %s", qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("503")) &&
                 message.contains(QLatin1String("maintenance")),
             qPrintable(message));
    QCOMPARE(rec.reconnectDelays, (QList<qint64>{1000, 1000}));
    QCOMPARE(server.requests().size(), 3);
    reportMemory(16 * 1024);
}

// Every request redirected to itself: a bounded number of requests, then a clear failure.
void TestHostileServers::redirectLoopThroughChatStream()
{
    ScriptedServer *self = nullptr;
    ScriptedServer server([&](const RecordedRequest &, int) {
        return response(
            302, {"Location: " + self->url(QStringLiteral("/v1/chat/completions")).toEncoded()});
    });
    self = &server;
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::OpenAi, &network);
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url(QStringLiteral("/v1"))));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));

    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Failed});
    const QString &message = rec.messages.first();
    qInfo("redirect loop: %lld requests -> %s", qlonglong(server.requests().size()),
          qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("redirect"), Qt::CaseInsensitive), qPrintable(message));
    QVERIFY(server.requests().size() <= SseConsumer::Options{}.maxRedirects + 1);
    reportMemory(16 * 1024);
}

// A server that streams answer deltas forever: ChatStream stops at its maximum answer length
// with Failed, keeps the text up to there, and reads nothing more.
void TestHostileServers::endlessAnswerStopsAtMaxLength()
{
    // 64 deltas of ten characters per piece; the server would go on for 4 GiB.
    const QByteArray delta = R"(data: {"choices":[{"index":0,"delta":{"content":"0123456789"}}]})"
                             "\n\n";
    StreamingServer server(kEventStreamHead, repeat(delta.repeated(64), 4096 * kMiB));
    constexpr qsizetype maxLength = 2 * 1024 * 1024;
    ChatStream stream(ChatProtocol::Kind::OpenAi);
    stream.setMaxAnswerLength(maxLength);
    QList<QPair<ChatStream::Outcome, QString>> finished;
    connect(&stream, &ChatStream::finished, this,
            [&](ChatStream::Outcome outcome, const QString &message) {
                finished.append({outcome, message});
            });
    stream.start(chatRequest(server.url(QStringLiteral("/v1"))));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 2 * kTimeoutMs);

    const auto &[outcome, message] = finished.first();
    qInfo("endless answer: %lld characters kept, %lld bytes read -> %s",
          qlonglong(stream.text().size()), stream.metrics().bytes, qPrintable(message));
    QCOMPARE(outcome, ChatStream::Outcome::Failed);
    QVERIFY2(message.contains(QLatin1String("longer than")), qPrintable(message));
    QVERIFY(stream.text().size() <= maxLength);
    QVERIFY(stream.text().size() > maxLength - 10); // everything up to the limit was kept
    QVERIFY(stream.text().startsWith(QLatin1String("01234567890123456789")));
    QCOMPARE(stream.phase(), ChatStream::Phase::Finished);
    QVERIFY(server.bodyBytesWritten() < 4096 * kMiB);
    reportMemory(64 * 1024);
}

QTEST_GUILESS_MAIN(TestHostileServers)
#include "tst_hostileservers.moc"
