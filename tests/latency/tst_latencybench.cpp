// tst_latencybench: the latency lab. Percentiles are nearest-rank (each one a measured value);
// a bench against the demo server, whose first token comes after a known delay and whose
// pieces come at a known rate, reports figures within sensible bounds of those (no tight timing
// asserts on a shared machine); failures are counted, not averaged in; the CLI's table, CSV and
// exit status.
#include "ProcessRunner.h"
#include "latency/LatencyBench.h"
#include "latency/LatencySummary.h"
#include "server/DemoServer.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qalam;
using namespace qalam::latency;
using qalam::server::DemoServer;
using Measure = LatencySummary::Measure;

namespace {

constexpr int kFirstTokenMs = 200;

QList<LatencyRun> runBench(DemoServer &server, int runs, int concurrency,
                           const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkAccessManager network;
    LatencyBench bench(network);
    LatencyBench::Options options;
    options.request.url = QUrl(server.url().toString() + QStringLiteral("/api/v1/stream/chat"));
    options.request.headers = headers;
    options.prompts = {QStringLiteral("Hello"), QStringLiteral("مرحبا")};
    options.runs = runs;
    options.concurrency = concurrency;
    options.consumer.maxReconnects = 0;
    QSignalSpy finished(&bench, &LatencyBench::finished);
    QSignalSpy each(&bench, &LatencyBench::runFinished);
    bench.start(options);
    if (!finished.wait(60000))
        return {};
    if (each.size() != runs)
        return {};
    return finished.first().first().value<QList<LatencyRun>>();
}

} // namespace

class TestLatencyBench : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nearestRankPercentiles();
    void failedRunsAreCountedNotMeasured();
    void benchAgainstTheDemoServer();
    void errorsAreCounted();
    void cliTableCsvAndExitStatus();
};

void TestLatencyBench::nearestRankPercentiles()
{
    QList<double> values;
    for (int i = 100; i >= 1; --i)
        values.append(i);
    QCOMPARE(LatencySummary::nearestRank(values, 50), 50.0);
    QCOMPARE(LatencySummary::nearestRank(values, 90), 90.0);
    QCOMPARE(LatencySummary::nearestRank(values, 99), 99.0);
    QCOMPARE(LatencySummary::nearestRank(values, 100), 100.0);
    QCOMPARE(LatencySummary::nearestRank({7}, 99), 7.0);
    QCOMPARE(LatencySummary::nearestRank({1, 2, 3}, 50), 2.0);
}

void TestLatencyBench::failedRunsAreCountedNotMeasured()
{
    LatencyRun ok;
    ok.outcome = QStringLiteral("completed");
    ok.timeToFirstTokenMs = 100;
    ok.totalMs = 1000;
    ok.gapsMs = {10, 20, 30};
    ok.charactersPerSecond = 50;
    ok.reconnects = 2;
    LatencyRun failed;
    failed.outcome = QStringLiteral("failed");
    failed.totalMs = 5; // a refusal is fast: it must not pull the total time down
    const LatencySummary summary({ok, failed});
    QCOMPARE(summary.failures(), 1);
    QCOMPARE(summary.reconnects(), 2);
    QCOMPARE(summary.percentiles(Measure::Total)->max, 1000.0);
    QCOMPARE(summary.percentiles(Measure::Total)->count, 1);
    QCOMPARE(summary.percentiles(Measure::GapBetweenDeltas)->p50, 20.0);
    QVERIFY(!summary.percentiles(Measure::TimeToFirstByte)); // nobody measured it
}

void TestLatencyBench::benchAgainstTheDemoServer()
{
    DemoServer::Options options;
    options.firstTokenMs = kFirstTokenMs;
    options.tokensPerSecond = 100; // a piece every 10 ms
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const QList<LatencyRun> runs = runBench(server, 4, 2);
    QCOMPARE(runs.size(), 4);
    for (int i = 0; i < runs.size(); ++i) {
        const LatencyRun &run = runs[i];
        QCOMPARE(run.index, i + 1);
        QVERIFY2(run.completed(), qPrintable(run.error));
        QCOMPARE(run.prompt, i % 2 ? QStringLiteral("مرحبا") : QStringLiteral("Hello"));
        QVERIFY(run.timeToFirstByteMs >= 0);
        // The server waits before its first piece: no token can come sooner (less the up to
        // 20 ms by which its schedule batches nearby deadlines, lib/server/ScheduleTimer).
        QVERIFY2(run.timeToFirstTokenMs >= kFirstTokenMs - 20,
                 qPrintable(QString::number(run.timeToFirstTokenMs)));
        QVERIFY(run.timeToFirstTokenMs >= run.timeToFirstByteMs);
        QVERIFY(run.totalMs >= run.timeToFirstTokenMs);
        QVERIFY(run.characters > 100);
        QVERIFY(run.gapsMs.size() > 20);
    }
    const LatencySummary summary(runs);
    QCOMPARE(summary.failures(), 0);
    const auto gaps = summary.percentiles(Measure::GapBetweenDeltas);
    QVERIFY(gaps);
    // 10 ms apart when sent: whatever the machine's load (a starved client reads several at
    // once, gap 0), the typical gap is not a second, and the pieces did not all come at once.
    QVERIFY2(gaps->p50 <= 500, qPrintable(QString::number(gaps->p50)));
    QVERIFY2(gaps->max >= 5, qPrintable(QString::number(gaps->max)));
    const auto rate = summary.percentiles(Measure::CharsPerSecond);
    QVERIFY(rate && rate->p50 > 0);
    const auto ttft = summary.percentiles(Measure::TimeToFirstToken);
    QVERIFY(ttft->p50 <= ttft->p90 && ttft->p90 <= ttft->p99 && ttft->p99 <= ttft->max);
}

void TestLatencyBench::errorsAreCounted()
{
    DemoServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const QList<LatencyRun> runs = runBench(server, 3, 3, {{"X-Qalam-Fault", "status=500"}});
    QCOMPARE(runs.size(), 3);
    const LatencySummary summary(runs);
    QCOMPARE(summary.failures(), 3);
    for (const LatencyRun &run : runs) {
        QCOMPARE(run.outcome, QStringLiteral("failed"));
        QVERIFY2(run.error.contains(QLatin1String("500")), qPrintable(run.error));
    }
    QVERIFY(!summary.percentiles(Measure::Total));
}

void TestLatencyBench::cliTableCsvAndExitStatus()
{
    DemoServer::Options options;
    options.firstTokenMs = 50;
    options.tokensPerSecond = 1000;
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString csv = dir.filePath(QStringLiteral("runs.csv"));
    const QString url = server.url().toString() + QStringLiteral("/api/v1/stream/chat");
    const auto result = test::runProcess(
        QStringLiteral(QALAM_CLI_PATH),
        {QStringLiteral("bench"), QStringLiteral("--url"), url, QStringLiteral("--protocol"),
         QStringLiteral("admin"), QStringLiteral("--runs"), QStringLiteral("3"),
         QStringLiteral("--concurrency"), QStringLiteral("2"), QStringLiteral("--csv"), csv});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    for (const char *row : {"time to first byte", "time to first token", "gap between deltas",
                            "chars/s", "total time", "errors: 0 of 3 runs; reconnects: 0"})
        QVERIFY2(result.out.contains(row), result.out.constData());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines.first().startsWith("run,prompt,outcome,ttfb_ms,ttft_ms"));
    QVERIFY(lines.at(1).startsWith("1,Hello,completed,"));

    const auto failing = test::runProcess(
        QStringLiteral(QALAM_CLI_PATH),
        {QStringLiteral("bench"), QStringLiteral("--url"), url, QStringLiteral("--protocol"),
         QStringLiteral("admin"), QStringLiteral("--runs"), QStringLiteral("2"),
         QStringLiteral("-H"), QStringLiteral("X-Qalam-Fault: status=503,retry-after=0")});
    QCOMPARE(failing.exitCode, 1);
    QVERIFY2(failing.out.contains("errors: 2 of 2 runs"), failing.out.constData());
    const auto usage = test::runProcess(QStringLiteral(QALAM_CLI_PATH),
                                        {QStringLiteral("bench"), QStringLiteral("--url"), url,
                                         QStringLiteral("--protocol"), QStringLiteral("admin"),
                                         QStringLiteral("--runs"), QStringLiteral("0")});
    QCOMPARE(usage.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestLatencyBench)
#include "tst_latencybench.moc"
