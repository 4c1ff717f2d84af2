// The demo server's pure parts that keep it up and fast: the shared deadline schedule, the HTTP
// request reader's framing and limits, the Host and Origin checks, and the delta JSON writer.
#include "server/DeadlineSchedule.h"
#include "server/DemoCorpus.h"
#include "server/DemoRequest.h"
#include "server/HttpRequestReader.h"
#include "server/SseFormat.h"
#include "server/TokenChunker.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace qalam::server;

class TestServerSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scheduleOrdersByDeadlineThenArrival();
    void rescheduleAndCancel();
    void scheduleManyEntries();
    void readerPipelinedAndSplitRequests();
    void readerChunkedBody();
    void readerLimits_data();
    void readerLimits();
    void hostCheck_data();
    void hostCheck();
    void originCheck_data();
    void originCheck();
    void jsonStringMatchesQJsonDocument();
};

void TestServerSchedule::scheduleOrdersByDeadlineThenArrival()
{
    DeadlineSchedule schedule;
    QVERIFY(schedule.isEmpty());
    QVERIFY(!schedule.nextDue());
    schedule.schedule(1, 300);
    schedule.schedule(2, 100);
    schedule.schedule(3, 200);
    schedule.schedule(4, 100); // same deadline as 2, scheduled later
    QCOMPARE(schedule.size(), 4);
    QCOMPARE(*schedule.nextDue(), 100);
    QCOMPARE(schedule.takeDue(99), std::vector<DeadlineSchedule::Key>{});
    QCOMPARE(schedule.takeDue(200), (std::vector<DeadlineSchedule::Key>{2, 4, 3}));
    QCOMPARE(schedule.size(), 1);
    QVERIFY(!schedule.isScheduled(2));
    QCOMPARE(*schedule.dueOf(1), 300);
    QCOMPARE(schedule.takeDue(1000), std::vector<DeadlineSchedule::Key>{1});
    QVERIFY(schedule.isEmpty());
}

void TestServerSchedule::rescheduleAndCancel()
{
    DeadlineSchedule schedule;
    schedule.schedule(7, 500);
    schedule.schedule(8, 600);
    schedule.schedule(7, 700); // moved, not duplicated
    QCOMPARE(schedule.size(), 2);
    QCOMPARE(*schedule.nextDue(), 600);
    schedule.cancel(8);
    schedule.cancel(8); // twice is harmless
    schedule.cancel(42);
    QCOMPARE(*schedule.nextDue(), 700);
    schedule.schedule(8, 100);
    QCOMPARE(schedule.takeDue(10000), (std::vector<DeadlineSchedule::Key>{8, 7}));
    QVERIFY(!schedule.dueOf(7));
}

void TestServerSchedule::scheduleManyEntries()
{
    // What 10,000 streams do: short pacing deadlines rescheduled past many long heartbeats.
    DeadlineSchedule schedule;
    constexpr int n = 10000;
    for (int i = 0; i < n; ++i)
        schedule.schedule(DeadlineSchedule::Key(n + i), 5000 + i); // heartbeats
    for (int round = 0; round < 10; ++round) {
        for (int i = 0; i < n; ++i)
            schedule.schedule(DeadlineSchedule::Key(i), round * 100 + i % 100);
        const std::vector<DeadlineSchedule::Key> due = schedule.takeDue(round * 100 + 99);
        QCOMPARE(qsizetype(due.size()), n);
        QCOMPARE(schedule.size(), n);
    }
    QCOMPARE(*schedule.nextDue(), 5000);
}

void TestServerSchedule::readerPipelinedAndSplitRequests()
{
    HttpRequestReader reader;
    QByteArray input = "\r\nGET /health?x=1 HTTP/1.1\r\nHost: a\r\nX-Two:  b c \r\n\r\n"
                       "POST /p HTTP/1.0\nContent-Length: 5\n\nhel";
    QCOMPARE(reader.read(input), HttpRequestReader::Outcome::Request);
    HttpRequest first = reader.takeRequest();
    QCOMPARE(first.method, QByteArray("GET"));
    QCOMPARE(first.path(), QStringLiteral("/health"));
    QCOMPARE(first.query().queryItemValue(QStringLiteral("x")), QStringLiteral("1"));
    QCOMPARE(first.value("x-two"), QByteArray("b c"));
    QVERIFY(first.keepAlive());
    QCOMPARE(reader.stage(), HttpRequestReader::Stage::Idle);
    QCOMPARE(reader.read(input), HttpRequestReader::Outcome::NeedMore);
    QCOMPARE(reader.stage(), HttpRequestReader::Stage::Body);
    input += "lo";
    QCOMPARE(reader.read(input), HttpRequestReader::Outcome::Request);
    const HttpRequest second = reader.takeRequest();
    QCOMPARE(second.body, QByteArray("hello"));
    QCOMPARE(second.minorVersion, 0);
    QVERIFY(!second.keepAlive());
    QVERIFY(input.isEmpty());

    // A head that arrives a byte at a time.
    const QByteArray whole = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    QByteArray trickle;
    for (qsizetype i = 0; i < whole.size() - 1; ++i) {
        trickle += whole[i];
        QCOMPARE(reader.read(trickle), HttpRequestReader::Outcome::NeedMore);
        QCOMPARE(reader.stage(), HttpRequestReader::Stage::Head);
    }
    trickle += whole.back();
    QCOMPARE(reader.read(trickle), HttpRequestReader::Outcome::Request);

    // The same length given twice is one length; a head of exactly the limit plus its blank
    // line is accepted whether it arrives whole or byte by byte.
    HttpRequestReader twice;
    QByteArray same = "POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok";
    QCOMPARE(twice.read(same), HttpRequestReader::Outcome::Request);
    QCOMPARE(twice.takeRequest().body, QByteArray("ok"));
    HttpRequestReader::Limits limits;
    limits.maxHeadBytes = 64;
    QByteArray head = "GET / HTTP/1.1\r\nX: ";
    head += QByteArray(limits.maxHeadBytes - head.size() - 2, 'a') + "\r\n";
    QCOMPARE(head.size(), limits.maxHeadBytes);
    head += "\r\n";
    HttpRequestReader atOnce(limits);
    QByteArray all = head;
    QCOMPARE(atOnce.read(all), HttpRequestReader::Outcome::Request);
    HttpRequestReader byByte(limits);
    QByteArray bytes;
    HttpRequestReader::Outcome outcome = HttpRequestReader::Outcome::NeedMore;
    for (const char c : std::as_const(head)) {
        bytes += c;
        outcome = byByte.read(bytes);
        if (outcome != HttpRequestReader::Outcome::NeedMore)
            break;
    }
    QCOMPARE(outcome, HttpRequestReader::Outcome::Request);
}

void TestServerSchedule::readerChunkedBody()
{
    HttpRequestReader reader;
    QByteArray input = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\nGET";
    QCOMPARE(reader.read(input), HttpRequestReader::Outcome::Request);
    QCOMPARE(reader.takeRequest().body, QByteArray("hello world"));
    QCOMPARE(input, QByteArray("GET"));
}

void TestServerSchedule::readerLimits_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const QByteArray big(20000, 'a');
    QTest::newRow("head over 16 KiB, complete") << "GET / HTTP/1.1\r\nX: " + big + "\r\n\r\n"
                                                << 431 << "headers_too_large";
    QTest::newRow("head over 16 KiB, unfinished")
        << "GET / HTTP/1.1\r\nX: " + big << 431 << "headers_too_large";
    QTest::newRow("body over the limit, said in the head")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n") << 413
        << "payload_too_large";
    QTest::newRow("chunked body over the limit")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\n") << 413
        << "payload_too_large";
    QTest::newRow("length and chunked")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")
        << 400 << "bad_request";
    QTest::newRow("bad length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")
                                << 400 << "bad_request";
    QTest::newRow("gzip body") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")
                               << 501 << "not_implemented";
    static constexpr char kTls[] = "\x16\x03\x01\x02\x00 NOT HTTP\r\n\r\n";
    QTest::newRow("not HTTP") << QByteArray(kTls, sizeof kTls - 1) << 400 << "bad_request";
    QTest::newRow("HTTP/2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505
                            << "http_version_not_supported";
    QTest::newRow("folded header")
        << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400 << "bad_request";
    QTest::newRow("space before colon")
        << QByteArray("GET / HTTP/1.1\r\nA : b\r\n\r\n") << 400 << "bad_request";
    // Found by tests/fuzz/fuzz_httprequestreader: each is read differently by some proxy.
    QTest::newRow("empty Transfer-Encoding and a length")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: \r\nContent-Length: 3\r\n\r\nabc")
        << 501 << "not_implemented";
    QTest::newRow("chunked, then gzip in a second line")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                      "Transfer-Encoding: gzip\r\n\r\n")
        << 501 << "not_implemented";
    QTest::newRow("two different lengths")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\nabc")
        << 400 << "bad_request";
    QTest::newRow("control byte in the target")
        << QByteArray("GET /a\x01b HTTP/1.1\r\n\r\n") << 400 << "bad_request";
}

void TestServerSchedule::readerLimits()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(QString, code);
    HttpRequestReader reader;
    QCOMPARE(reader.read(input), HttpRequestReader::Outcome::Error);
    QCOMPARE(reader.error().status, status);
    QCOMPARE(reader.error().code, code);
    QVERIFY(!reader.error().message.isEmpty());
    QByteArray more = "GET / HTTP/1.1\r\n\r\n";
    QCOMPARE(reader.read(more), HttpRequestReader::Outcome::Error); // nothing after an error
}

void TestServerSchedule::hostCheck_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QString>("bound");
    QTest::addColumn<QStringList>("allowed");
    QTest::addColumn<bool>("ok");
    const QString loopback = QStringLiteral("127.0.0.1");
    QTest::newRow("bound literal")
        << QByteArray("127.0.0.1:8080") << loopback << QStringList() << true;
    QTest::newRow("localhost") << QByteArray("localhost:8080") << loopback << QStringList() << true;
    QTest::newRow("LOCALHOST.") << QByteArray("LOCALHOST.") << loopback << QStringList() << true;
    QTest::newRow("[::1]") << QByteArray("[::1]:8080") << loopback << QStringList() << true;
    QTest::newRow("other loopback ip")
        << QByteArray("127.0.0.2") << loopback << QStringList() << true;
    QTest::newRow("rebinding name")
        << QByteArray("rebind.attacker.example:8080") << loopback << QStringList() << false;
    QTest::newRow("allowed name") << QByteArray("demo.example.com") << loopback
                                  << QStringList{QStringLiteral("demo.example.com")} << true;
    QTest::newRow("allowed any") << QByteArray("x.example") << loopback
                                 << QStringList{QStringLiteral("*")} << true;
    QTest::newRow("upstream name")
        << QByteArray("qalam_backend") << loopback << QStringList() << true;
    QTest::newRow("other ip") << QByteArray("10.0.0.1") << loopback << QStringList() << false;
    QTest::newRow("wildcard bind, any ip")
        << QByteArray("10.0.0.1:80") << QStringLiteral("0.0.0.0") << QStringList() << true;
    QTest::newRow("wildcard bind, a name")
        << QByteArray("evil.example") << QStringLiteral("0.0.0.0") << QStringList() << false;
    QTest::newRow("unbracketed ipv6") << QByteArray("::1") << loopback << QStringList() << false;
    QTest::newRow("empty") << QByteArray(" ") << loopback << QStringList() << false;
}

void TestServerSchedule::hostCheck()
{
    QFETCH(QByteArray, host);
    QFETCH(QString, bound);
    QFETCH(QStringList, allowed);
    QFETCH(bool, ok);
    QCOMPARE(hostAllowed(host, QHostAddress(bound), allowed), ok);
}

void TestServerSchedule::originCheck_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QStringList>("allowed");
    QTest::addColumn<bool>("ok");
    QTest::newRow("foreign") << QByteArray("https://evil.example") << QStringList() << false;
    QTest::newRow("null") << QByteArray("null") << QStringList() << false;
    QTest::newRow("own") << QByteArray("http://127.0.0.1:8080") << QStringList() << true;
    QTest::newRow("allowed") << QByteArray("https://App.Example")
                             << QStringList{QStringLiteral("https://app.example")} << true;
    QTest::newRow("allowed, other port")
        << QByteArray("https://app.example:444")
        << QStringList{QStringLiteral("https://app.example")} << false;
    QTest::newRow("any") << QByteArray("https://x.example") << QStringList{QStringLiteral("*")}
                         << true;
    QTest::newRow("with a path") << QByteArray("https://app.example/x")
                                 << QStringList{QStringLiteral("https://app.example")} << false;
}

void TestServerSchedule::originCheck()
{
    QFETCH(QByteArray, origin);
    QFETCH(QStringList, allowed);
    QFETCH(bool, ok);
    QCOMPARE(originAllowed(origin, "127.0.0.1:8080", allowed), ok);
}

void TestServerSchedule::jsonStringMatchesQJsonDocument()
{
    // Every delta of every corpus answer, and the characters JSON must escape.
    const DemoCorpus corpus = DemoCorpus::builtIn();
    QStringList texts{QStringLiteral("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f é ع 😀")};
    for (const QString &prompt :
         {QStringLiteral("What can Qalam do?"), QStringLiteral("Show me a table"),
          QStringLiteral("ما الذي يستطيعه قلم؟"), QStringLiteral("How does resuming work?")}) {
        const QString answer = corpus.pick(prompt, {}, 0).text;
        qsizetype start = 0;
        for (const qsizetype end : TokenChunker::pieceEnds(answer, 1)) {
            texts.append(answer.sliced(start, end - start));
            start = end;
        }
    }
    QVERIFY(texts.size() > 100);
    for (const QString &text : texts) {
        const QByteArray qt =
            QJsonDocument(QJsonObject{{QStringLiteral("t"), text}}).toJson(QJsonDocument::Compact);
        QCOMPARE(SseFormat::jsonString(text), qt.sliced(5, qt.size() - 6)); // {"t":…}
    }
}

QTEST_GUILESS_MAIN(TestServerSchedule)
#include "tst_serverschedule.moc"
