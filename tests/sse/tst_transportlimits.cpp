// Limits with true messages (SseConsumer, HttpFields, TlsErrorText): a response head too large
// or never ending, Retry-After and `retry` values that would overflow or make the client sit
// silently for days, a stall message that says what was last received, a second response head
// on one request, and certificate problems named one by one. Real sockets where a server is
// involved; the arithmetic and the texts as pure functions too.
#include "ScriptedServer.h"
#include "SseTestSupport.h"
#include "ToolSkip.h"
#include "sse/HttpFields.h"
#include "sse/SseConsumer.h"
#include "sse/TlsErrorText.h"

#include <QSignalSpy>
#include <QSslCertificate>
#include <QTest>

#include <limits>

using namespace qalam;
using namespace qalam::test;

namespace {

constexpr int kTimeoutMs = 20000;

// Runs the consumer until finished(), or until `stopAfterReconnects` reconnecting() signals
// (then cancels: what matters is the announced delay, not waiting it out). What it reported is in
// an SseRecorder made before.
bool runToFinish(SseConsumer &consumer, const SseRequest &request, int stopAfterReconnects = -1)
{
    QObject context;
    int reconnects = 0;
    QObject::connect(&consumer, &SseConsumer::reconnecting, &context, [&] {
        if (++reconnects == stopAfterReconnects)
            consumer.cancel();
    });
    QSignalSpy finished(&consumer, &SseConsumer::finished);
    consumer.start(request);
    return finished.wait(kTimeoutMs);
}

} // namespace

class TestTransportLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retryAfterParsing_data();
    void retryAfterParsing();
    void hugeRetryAfterFailsWithTheTruth();
    void hugeServerRetryIsClampedAndSaid();
    void specStrictFollowsTheServerRetry();
    void responseHeadTooLarge_data();
    void responseHeadTooLarge();
    void responseHeadThatNeverEnds();
    void stallSaysWhatWasLastReceived();
    void tlsErrorsAreNamed();
};

void TestTransportLimits::retryAfterParsing_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expected"); // -1: nothing
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    QTest::newRow("seconds") << QByteArray("7") << qint64(7000);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("spaces") << QByteArray(" 12 ") << qint64(12000);
    QTest::newRow("largest exact") << QByteArray("9223372036854775") << qint64(9223372036854775000);
    QTest::newRow("saturates") << QByteArray("9223372036854776") << max;
    QTest::newRow("overflow of 1e17") << QByteArray("99999999999999999") << max;
    QTest::newRow("many digits") << QByteArray(400, '9') << max;
    QTest::newRow("negative") << QByteArray("-1") << qint64(-1);
    QTest::newRow("plus sign") << QByteArray("+5") << qint64(-1);
    QTest::newRow("fraction") << QByteArray("1.5") << qint64(-1);
    QTest::newRow("empty") << QByteArray("") << qint64(-1);
    QTest::newRow("past date") << QByteArray("Wed, 21 Oct 2015 07:28:00 GMT") << qint64(0);
}

void TestTransportLimits::retryAfterParsing()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, expected);
    const auto ms = HttpFields::retryAfterMs(value, QDateTime::currentDateTimeUtc());
    QCOMPARE(ms.value_or(-1), expected);
}

// `Retry-After: 99999999999999999` overflowed a signed multiply (UBSan); now it is a wait far
// beyond maxRetryAfterMs, and the error says how long the server asked for.
void TestTransportLimits::hugeRetryAfterFailsWithTheTruth()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::response(503, {"Retry-After: 99999999999999999"});
    });
    SseConsumer consumer;
    SseConsumer::Options options;
    options.maxReconnects = 3;
    consumer.setOptions(options);
    SseRecorder result(consumer);
    QVERIFY(runToFinish(consumer, get(server.url())));
    QCOMPARE(result.finishes, QList{SseConsumer::FinishReason::Failed});
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(
        result.errors.first().second.contains(QLatin1String("asks to wait 9223372036854776 s")),
        qPrintable(result.errors.first().second));
    QVERIFY(result.reconnects.isEmpty());
    QCOMPARE(server.requests().size(), 1);
}

// `retry: 99999999999` then a cut made `qalam-cli chat` sit silently for ~24 days. Outside
// spec-strict mode the wait is at most maxRetryMs, and the reconnecting message says so.
void TestTransportLimits::hugeServerRetryIsClampedAndSaid()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream("retry: 99999999999\nid: 1\ndata: a\n\n");
    });
    SseConsumer consumer;
    SseConsumer::Options options;
    options.maxReconnects = 2;
    options.maxRetryMs = 40;
    options.budgetResetsOnEvent = false;
    options.minRetryMs = 1;
    consumer.setOptions(options);
    SseRecorder result(consumer);
    QVERIFY(runToFinish(consumer, get(server.url())));
    QCOMPARE(result.retries, QList<qint64>{99999999999});
    QCOMPARE(result.reconnects.size(), 2);
    for (const SseRecorder::Reconnect &reconnect : std::as_const(result.reconnects)) {
        QCOMPARE(reconnect.delayMs, 40);
        QVERIFY2(reconnect.reason.endsWith(QLatin1String("(the server asked to wait 99999999.999 "
                                                         "s; waiting 0.04 s, the most allowed)")),
                 qPrintable(reconnect.reason));
    }
    QCOMPARE(server.requests().size(), 3);
    QCOMPARE(result.finishes, QList{SseConsumer::FinishReason::EndOfStream});
}

// Spec-strict mode (qalam-cli events) waits what the server says, like EventSource, and reports
// the reconnection time it was given.
void TestTransportLimits::specStrictFollowsTheServerRetry()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream("retry: 99999999999\ndata: a\n\n");
    });
    SseConsumer consumer;
    SseConsumer::Options options;
    options.specStrict = true;
    options.maxReconnects = 1;
    consumer.setOptions(options);
    SseRecorder result(consumer);
    QVERIFY(runToFinish(consumer, get(server.url()), 1));
    QCOMPARE(result.retries, QList<qint64>{99999999999});
    QCOMPARE(result.reconnects.size(), 1);
    QCOMPARE(result.reconnects.first().delayMs, 99999999999);
    QCOMPARE(result.finishes, QList{SseConsumer::FinishReason::Cancelled});
}

void TestTransportLimits::responseHeadTooLarge_data()
{
    QTest::addColumn<QList<QByteArray>>("fields");
    QList<QByteArray> many;
    for (int i = 0; i < 250; ++i)
        many << "X-Field-" + QByteArray::number(i) + ": v";
    QTest::newRow("250 fields") << many;
    QTest::newRow("one 70 KiB field") << QList<QByteArray>{"X-Big: " + QByteArray(70 * 1024, 'b')};
    QTest::newRow("one 200 KiB field")
        << QList<QByteArray>{"X-Big: " + QByteArray(200 * 1024, 'b')};
    QList<QByteArray> large;
    for (int i = 0; i < 90; ++i)
        large << "X-Field-" + QByteArray::number(i) + ": " + QByteArray(1000, 'v');
    QTest::newRow("90 fields of 1 KB") << large;
}

void TestTransportLimits::responseHeadTooLarge()
{
    QFETCH(QList<QByteArray>, fields);
    fields.prepend("Content-Type: text/event-stream");
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::response(200, fields, "data: never seen\n\n");
    });
    SseConsumer consumer;
    SseConsumer::Options options;
    options.maxReconnects = 3; // a refused head is not retried
    consumer.setOptions(options);
    SseRecorder result(consumer);
    QVERIFY(runToFinish(consumer, get(server.url())));
    QCOMPARE(result.finishes, QList{SseConsumer::FinishReason::Failed});
    QCOMPARE(result.errors.size(), 1);
    QCOMPARE(result.errors.first().first, SseConsumer::ErrorKind::BadResponse);
    QVERIFY2(
        result.errors.first().second.startsWith(QLatin1String("the response head is too large")),
        qPrintable(result.errors.first().second));
    QVERIFY(result.data().isEmpty());
    QVERIFY(result.reconnects.isEmpty());
}

// A head that never ends used to fail as "no data from the server", which was false: the server
// was sending, just never a complete head.
void TestTransportLimits::responseHeadThatNeverEnds()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        Script script;
        script.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n");
        for (int i = 0; i < 40; ++i)
            script.write("X-More-" + QByteArray::number(i) + ": yes\r\n", 25);
        return script.stall();
    });
    SseConsumer consumer;
    SseConsumer::Options options;
    options.maxReconnects = 0;
    options.stallTimeoutMs = 300;
    consumer.setOptions(options);
    SseRecorder result(consumer);
    QVERIFY(runToFinish(consumer, get(server.url())));
    QCOMPARE(result.finishes, QList{SseConsumer::FinishReason::Failed});
    QCOMPARE(result.errors.size(), 1);
    QCOMPARE(result.errors.first().first, SseConsumer::ErrorKind::Stalled);
    const QString message = result.errors.first().second;
    QVERIFY2(message.startsWith(QLatin1String("no response from the server within 0.3 s")) &&
                 message.contains(QLatin1String("no complete response head arrived")),
             qPrintable(message));
}

void TestTransportLimits::stallSaysWhatWasLastReceived()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream("id: 7\ndata: last words\n\n").stall();
    });
    SseConsumer consumer;
    SseConsumer::Options options;
    options.maxReconnects = 0;
    options.stallTimeoutMs = 300;
    consumer.setOptions(options);
    SseRecorder result(consumer);
    QVERIFY(runToFinish(consumer, get(server.url())));
    QCOMPARE(result.data(), QStringList{QStringLiteral("last words")});
    QCOMPARE(result.errors.size(), 1);
    const QString message = result.errors.first().second;
    QVERIFY2(message.startsWith(QStringLiteral("no data from the server for 0.3 s (the last thing "
                                               "received was the event with id “7”")),
             qPrintable(message));
}

// The texts for each certificate problem, from a real certificate: the first of the system's CA
// bundle (scripts/setup.sh installs ca-certificates). tst_security checks the same texts from a
// real TLS handshake.
void TestTransportLimits::tlsErrorsAreNamed()
{
    const QList<QSslCertificate> system =
        QSslCertificate::fromPath(QStringLiteral("/etc/ssl/certs/ca-certificates.crt"), QSsl::Pem);
    if (system.isEmpty())
        QALAM_SKIP_FOR_MISSING_TOOL("no system CA bundle to take a certificate from: install the "
                                    "Debian package 'ca-certificates' (scripts/setup.sh does)");
    const QSslCertificate certificate = system.first();

    const QString expired =
        TlsErrorText::describe({QSslError(QSslError::CertificateExpired, certificate)},
                               QStringLiteral("admin.example.org"));
    QCOMPARE(expired,
             QStringLiteral("the server's certificate for admin.example.org was refused: "
                            "it expired on %1")
                 .arg(certificate.expiryDate().toUTC().toString(QStringLiteral("yyyy-MM-dd"))));

    const QString issuer = certificate.issuerInfo(QSslCertificate::CommonName).value(0);
    const QString all = TlsErrorText::describe(
        {QSslError(QSslError::UnableToGetLocalIssuerCertificate, certificate),
         QSslError(QSslError::UnableToVerifyFirstCertificate, certificate),
         QSslError(QSslError::CertificateExpired, certificate),
         QSslError(QSslError::HostNameMismatch, certificate)},
        QStringLiteral("admin.example.org"));
    QVERIFY2(all.contains(QStringLiteral("it is issued by “CN=%1").arg(issuer)), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("which is not a trusted authority")), qPrintable(all));
    QCOMPARE(all.count(QLatin1String("not a trusted authority")), 1); // one chain problem, once
    QVERIFY2(all.contains(QLatin1String("; it expired on ")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String(", not for admin.example.org")), qPrintable(all));
    QVERIFY(!all.contains(QLatin1String("locally looked up")));

    const QString bare = TlsErrorText::describe({QSslError(QSslError::HostNameMismatch)},
                                                QStringLiteral("10.0.0.5"));
    QCOMPARE(bare, QStringLiteral("the server's certificate for 10.0.0.5 was refused: it is not "
                                  "issued for 10.0.0.5"));
}

QALAM_TEST_GUILESS_MAIN(TestTransportLimits)
#include "tst_transportlimits.moc"
