// tst_streamdoctor: the stream doctor (lib/doctor). First StreamDiagnosis on captured responses
// built by hand, for what the demo server cannot stage (Content-Length, gzip, long silences);
// then StreamDoctor against the real demo server on loopback: every check passes on a healthy
// stream, and each staged fault is reported by the check that names it.
#include "ProcessRunner.h"
#include "doctor/StreamDiagnosis.h"
#include "doctor/StreamDoctor.h"
#include "server/DemoServer.h"
#include "settings/ProfileStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qalam;
using namespace qalam::doctor;
using qalam::server::DemoServer;
using Verdict = DoctorCheck::Verdict;

namespace {

const DoctorCheck *find(const DoctorReport &report, const QString &id)
{
    for (const DoctorCheck &check : report) {
        if (check.id == id)
            return &check;
    }
    return nullptr;
}

QString describe(const DoctorReport &report)
{
    QStringList lines;
    for (const DoctorCheck &check : report)
        lines << DoctorCheck::verdictName(check.verdict) + QLatin1Char(' ') + check.id +
                     QStringLiteral(": ") + check.seen;
    return lines.join(QLatin1Char('\n'));
}

QByteArray adminEvent(const QByteArray &type, int index, const QByteArray &data)
{
    return "event: " + type + "\nid: s-1." + QByteArray::number(index) + "\ndata: " + data + "\n\n";
}

// A healthy admin stream: hello, `deltas` deltas `gapMs` apart, done.
CapturedResponse healthyCapture(int deltas = 8, qint64 gapMs = 50)
{
    CapturedResponse response;
    response.status = 200;
    response.reason = "OK";
    response.headers = {{"Content-Type", "text/event-stream"},
                        {"Cache-Control", "no-cache, no-transform"},
                        {"X-Accel-Buffering", "no"}};
    response.headAtMs = 5;
    qint64 t = 10;
    response.chunks.append(
        {t, "retry: 2000\n\n" + adminEvent("hello", 0, "{\"stream_id\":\"s-1\"}")});
    for (int i = 1; i <= deltas; ++i) {
        t += gapMs;
        response.chunks.append(
            {t,
             adminEvent("delta", i, "{\"seq\":" + QByteArray::number(i) + ",\"text\":\"كلمة \"}")});
    }
    t += gapMs;
    response.chunks.append({t, adminEvent("done", deltas + 1, "{\"finish_reason\":\"stop\"}")});
    response.endedAtMs = t + 1;
    return response;
}

DoctorReport diagnose(const CapturedResponse &full)
{
    DiagnosisInput input;
    input.full = full;
    return StreamDiagnosis::diagnose(input);
}

} // namespace

class TestStreamDoctor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void healthyCaptureHasNoFailure();
    void reportListsEveryCheckInOrder();
    void contentLengthFails();
    void heldBackTextIsBuffering();
    void compressedBurstIsWarned();
    void longSilenceWithoutHeartbeat();
    void textCutInsideACharacter();
    void resumeThatRepeatsIsCaught();
    void demoServer_data();
    void demoServer();
    void openAiCannotResume();
    void cliReportAndExitStatus();
    void cliWithAProfile();
};

void TestStreamDoctor::healthyCaptureHasNoFailure()
{
    const DoctorReport report = diagnose(healthyCapture());
    QVERIFY2(StreamDiagnosis::passed(report), qPrintable(describe(report)));
    QCOMPARE(find(report, QStringLiteral("event-ids"))->verdict, Verdict::Pass);
    QCOMPARE(find(report, QStringLiteral("retry"))->seen, QStringLiteral("retry: 2000 ms"));
    QCOMPARE(find(report, QStringLiteral("terminal-event"))->verdict, Verdict::Pass);
    // No resume trial was given: said so, not passed.
    QCOMPARE(find(report, QStringLiteral("resume"))->verdict, Verdict::Skip);
}

void TestStreamDoctor::reportListsEveryCheckInOrder()
{
    const DoctorReport report = diagnose(healthyCapture());
    QStringList ids;
    for (const DoctorCheck &check : report)
        ids << check.id;
    QCOMPARE(ids, StreamDiagnosis::checkIds());
    for (const DoctorCheck &check : report) {
        QVERIFY2(!check.seen.isEmpty(), qPrintable(check.id));
        // A fix for what is wrong, none for what passed or was not judged.
        QCOMPARE(!check.fix.isEmpty(),
                 check.verdict == Verdict::Warn || check.verdict == Verdict::Fail);
    }
    // A refused request: the status says why, everything else is skipped.
    CapturedResponse refused;
    refused.status = 401;
    refused.reason = "Unauthorized";
    refused.chunks.append({3, "{\"error\":\"bad key\"}"});
    const DoctorReport failed = diagnose(refused);
    QCOMPARE(failed.size(), StreamDiagnosis::checkIds().size());
    QCOMPARE(failed.first().verdict, Verdict::Fail);
    QVERIFY(failed.first().seen.contains(QLatin1String("bad key")));
    QVERIFY(failed.first().fix.contains(QLatin1String("API key")));
    QVERIFY(!StreamDiagnosis::passed(failed));
    for (qsizetype i = 1; i < failed.size(); ++i)
        QCOMPARE(failed[i].verdict, Verdict::Skip);
}

void TestStreamDoctor::contentLengthFails()
{
    CapturedResponse response = healthyCapture();
    response.headers.append({QByteArray("Content-Length"), QByteArray("1234")});
    const DoctorReport report = diagnose(response);
    QCOMPARE(find(report, QStringLiteral("content-length"))->verdict, Verdict::Fail);
    QVERIFY(find(report, QStringLiteral("content-length"))->seen.contains(QLatin1String("1234")));
}

void TestStreamDoctor::heldBackTextIsBuffering()
{
    // The same events, all in one read two seconds after the head: what nginx's default
    // buffering does to a stream.
    CapturedResponse response = healthyCapture(20, 0);
    QByteArray all = response.body();
    response.chunks = {{2000, all}};
    response.endedAtMs = 2001;
    const DoctorReport report = diagnose(response);
    QCOMPARE(find(report, QStringLiteral("buffering"))->verdict, Verdict::Fail);
    QVERIFY(find(report, QStringLiteral("buffering"))
                ->fix.contains(QLatin1String("proxy_buffering off")));
    // Everything at once but right away: too fast to tell, not an accusation.
    response.chunks = {{20, all}};
    response.endedAtMs = 21;
    QCOMPARE(find(diagnose(response), QStringLiteral("buffering"))->verdict, Verdict::Warn);
}

void TestStreamDoctor::compressedBurstIsWarned()
{
    CapturedResponse spread = healthyCapture();
    spread.headers.append({QByteArray("Content-Encoding"), QByteArray("gzip")});
    QCOMPARE(find(diagnose(spread), QStringLiteral("compression"))->verdict, Verdict::Pass);
    CapturedResponse burst = spread;
    const QByteArray all = burst.body();
    burst.chunks = {{3000, all}};
    burst.endedAtMs = 3001;
    const DoctorReport report = diagnose(burst);
    QCOMPARE(find(report, QStringLiteral("compression"))->verdict, Verdict::Warn);
    QVERIFY(find(report, QStringLiteral("compression"))->fix.contains(QLatin1String("gzip off")));
}

void TestStreamDoctor::longSilenceWithoutHeartbeat()
{
    CapturedResponse response = healthyCapture();
    // 25 s between two deltas, nothing sent meanwhile.
    for (qsizetype i = 3; i < response.chunks.size(); ++i)
        response.chunks[i].atMs += 25000;
    response.endedAtMs += 25000;
    QCOMPARE(find(diagnose(response), QStringLiteral("heartbeat"))->verdict, Verdict::Warn);
    // Longer than the proxies' read timeout: they would cut it.
    for (qsizetype i = 3; i < response.chunks.size(); ++i)
        response.chunks[i].atMs += 40000;
    response.endedAtMs += 40000;
    QCOMPARE(find(diagnose(response), QStringLiteral("heartbeat"))->verdict, Verdict::Fail);
    // The same silence filled with comments every 15 s is fine... as long as no gap is long.
    CapturedResponse beating = healthyCapture();
    for (int i = 1; i <= 4; ++i)
        beating.chunks.insert(2, {qint64(100), ": ping\n\n"});
    QCOMPARE(find(diagnose(beating), QStringLiteral("heartbeat"))->verdict, Verdict::Pass);
    QVERIFY(find(diagnose(beating), QStringLiteral("heartbeat"))
                ->seen.startsWith(QLatin1String("4 heartbeats")));
}

void TestStreamDoctor::textCutInsideACharacter()
{
    CapturedResponse response = healthyCapture();
    // A delta whose Arabic letter lost its second byte, then the stream goes on.
    response.chunks.insert(
        3, {120, QByteArray("event: delta\nid: s-1.99\ndata: {\"seq\":99,\"text\":\"\xd9\"}\n\n")});
    const DoctorReport cutReport = diagnose(response); // the checks point into it
    const DoctorCheck *utf8 = find(cutReport, QStringLiteral("utf-8"));
    QCOMPARE(utf8->verdict, Verdict::Fail);
    QVERIFY(utf8->seen.contains(QLatin1String("invalid UTF-8 at byte")));
    // Split between two reads is fine: that is how TCP delivers it.
    CapturedResponse split = healthyCapture();
    const QByteArray third = split.chunks[2].bytes;
    const qsizetype arabic = third.indexOf("\xd9");
    QVERIFY(arabic > 0);
    split.chunks[2].bytes = third.left(arabic + 1);
    split.chunks.insert(3, {split.chunks[2].atMs + 1, third.mid(arabic + 1)});
    QCOMPARE(find(diagnose(split), QStringLiteral("utf-8"))->verdict, Verdict::Pass);
}

void TestStreamDoctor::resumeThatRepeatsIsCaught()
{
    DiagnosisInput input;
    input.full = healthyCapture();
    CapturedResponse cut = healthyCapture();
    cut.chunks = cut.chunks.first(4); // hello, deltas 1-3
    cut.stoppedByUs = true;
    input.cut = cut;
    input.resumeId = QStringLiteral("s-1.3");
    CapturedResponse resumed = healthyCapture();
    resumed.chunks = resumed.chunks.mid(4); // deltas 4-8 and done
    input.resumed = resumed;
    QCOMPARE(find(StreamDiagnosis::diagnose(input), QStringLiteral("resume"))->verdict,
             Verdict::Pass);

    resumed = healthyCapture();
    resumed.chunks = resumed.chunks.mid(3); // delta 3 again
    input.resumed = resumed;
    const DoctorReport repeatedReport = StreamDiagnosis::diagnose(input);
    const DoctorCheck *repeated = find(repeatedReport, QStringLiteral("resume"));
    QCOMPARE(repeated->verdict, Verdict::Fail);
    QVERIFY2(repeated->seen.contains(QLatin1String("1 deltas repeated")),
             qPrintable(repeated->seen));

    resumed = healthyCapture();
    resumed.chunks = resumed.chunks.mid(5); // delta 4 missing
    input.resumed = resumed;
    const DoctorReport lostReport = StreamDiagnosis::diagnose(input);
    const DoctorCheck *lost = find(lostReport, QStringLiteral("resume"));
    QCOMPARE(lost->verdict, Verdict::Fail);
    QVERIFY2(lost->seen.contains(QLatin1String("1 deltas lost")), qPrintable(lost->seen));
}

void TestStreamDoctor::demoServer_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("check"); // the check that must report it ("" : none)
    QTest::addColumn<int>("verdict");   // what that check says
    // Deltas per second: slow enough where arrival times matter, fast elsewhere.
    QTest::addColumn<double>("rate");
    QTest::newRow("healthy") << QString() << QString() << int(Verdict::Pass) << 80.0;
    QTest::newRow("no ids") << QStringLiteral("no-ids") << QStringLiteral("event-ids")
                            << int(Verdict::Fail) << 600.0;
    QTest::newRow("no ids: resume")
        << QStringLiteral("no-ids") << QStringLiteral("resume") << int(Verdict::Fail) << 600.0;
    QTest::newRow("plain headers")
        << QStringLiteral("plain-headers") << QStringLiteral("x-accel-buffering")
        << int(Verdict::Warn) << 600.0;
    QTest::newRow("plain headers: cache")
        << QStringLiteral("plain-headers") << QStringLiteral("cache-control") << int(Verdict::Warn)
        << 600.0;
    QTest::newRow("bad utf-8") << QStringLiteral("bad-utf8") << QStringLiteral("utf-8")
                               << int(Verdict::Fail) << 600.0;
    QTest::newRow("burst") << QStringLiteral("burst") << QStringLiteral("buffering")
                           << int(Verdict::Fail) << 150.0;
    QTest::newRow("cut") << QStringLiteral("close-after-events=8")
                         << QStringLiteral("terminal-event") << int(Verdict::Fail) << 600.0;
    QTest::newRow("stall") << QStringLiteral("stall=1.5,stall-after=6")
                           << QStringLiteral("heartbeat") << int(Verdict::Fail) << 600.0;
    QTest::newRow("html page") << QStringLiteral("html") << QStringLiteral("content-type")
                               << int(Verdict::Fail) << 600.0;
    QTest::newRow("status") << QStringLiteral("status=503") << QStringLiteral("status")
                            << int(Verdict::Fail) << 600.0;
}

void TestStreamDoctor::demoServer()
{
    QFETCH(QString, fault);
    QFETCH(QString, check);
    QFETCH(int, verdict);
    QFETCH(double, rate);
    DemoServer::Options options;
    options.tokensPerSecond = rate;
    options.firstTokenMs = 100;
    options.faults = fault;
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));

    QNetworkAccessManager network;
    StreamDoctor doctor(network);
    StreamDoctor::Options run;
    run.protocol = ChatProtocol::Kind::AdminStream;
    run.request.url =
        QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1/stream/chat").arg(server.port()));
    run.request.messages.append({ChatMessage::Role::User, QStringLiteral("اشرح البث 🚀 please")});
    run.proxyTimeoutMs = 1000; // the stall row's 1.5 s silence is then too long
    QSignalSpy finished(&doctor, &StreamDoctor::finished);
    QSignalSpy steps(&doctor, &StreamDoctor::stepStarted);
    doctor.run(run);
    QVERIFY(finished.wait(60000));
    const auto report = finished.first().first().value<DoctorReport>();
    QCOMPARE(report.size(), StreamDiagnosis::checkIds().size());
    if (check.isEmpty()) {
        // Every check passes on the demo server as it ships, the resume trial included.
        for (const DoctorCheck &c : report)
            QVERIFY2(c.verdict == Verdict::Pass, qPrintable(describe(report)));
        QCOMPARE(steps.size(), 3); // the answer, the cut, the resume
        return;
    }
    const DoctorCheck *reported = find(report, check);
    QVERIFY(reported);
    QVERIFY2(int(reported->verdict) == verdict, qPrintable(describe(report)));
    QVERIFY(!reported->fix.isEmpty());
}

void TestStreamDoctor::openAiCannotResume()
{
    DemoServer::Options options;
    options.tokensPerSecond = 300;
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    QNetworkAccessManager network;
    StreamDoctor doctor(network);
    StreamDoctor::Options run;
    run.protocol = ChatProtocol::Kind::OpenAi;
    run.request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(server.port()));
    run.request.messages.append({ChatMessage::Role::User, QStringLiteral("hello")});
    QSignalSpy finished(&doctor, &StreamDoctor::finished);
    doctor.run(run);
    QVERIFY(finished.wait(60000));
    const auto report = finished.first().first().value<DoctorReport>();
    QVERIFY2(StreamDiagnosis::passed(report), qPrintable(describe(report)));
    QCOMPARE(find(report, QStringLiteral("terminal-event"))->verdict, Verdict::Pass);
    QCOMPARE(find(report, QStringLiteral("resume"))->verdict, Verdict::Skip);
    QVERIFY(
        find(report, QStringLiteral("resume"))->seen.startsWith(QLatin1String("cannot resume")));
    QCOMPARE(find(report, QStringLiteral("event-ids"))->verdict, Verdict::Skip);
}

void TestStreamDoctor::cliReportAndExitStatus()
{
    // `qalam-cli doctor` as a script runs it: the table on stdout, the JSON report, the exit
    // status (0: nothing failed, 1: something did, 2: a bad command line).
    DemoServer::Options options;
    options.tokensPerSecond = 600;
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const QString url = QStringLiteral("http://127.0.0.1:%1/api/v1/stream/chat").arg(server.port());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString json = dir.filePath(QStringLiteral("report.json"));
    const QString cli = QStringLiteral(QALAM_CLI_PATH);

    const auto healthy = test::runProcess(
        cli, {QStringLiteral("doctor"), QStringLiteral("--url"), url, QStringLiteral("--protocol"),
              QStringLiteral("admin"), QStringLiteral("--json"), json});
    QVERIFY2(!healthy.crashed, qPrintable(healthy.errorString));
    QVERIFY2(healthy.exitCode == 0, healthy.out.constData());
    QVERIFY2(healthy.out.contains("PASS  resume"), healthy.out.constData());
    QVERIFY(healthy.out.contains("summary: "));
    QFile file(json);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(report.value(QLatin1String("version")).toInt(), 1);
    QCOMPARE(report.value(QLatin1String("passed")).toBool(), true);
    QCOMPARE(report.value(QLatin1String("protocol")).toString(), QStringLiteral("admin"));
    const QJsonArray checks = report.value(QLatin1String("checks")).toArray();
    QCOMPARE(checks.size(), StreamDiagnosis::checkIds().size());
    for (qsizetype i = 0; i < checks.size(); ++i) {
        const QJsonObject check = checks.at(i).toObject();
        QCOMPARE(check.value(QLatin1String("id")).toString(), StreamDiagnosis::checkIds().at(i));
        QCOMPARE(check.value(QLatin1String("verdict")).toString(), QStringLiteral("pass"));
    }

    const auto broken =
        test::runProcess(cli, {QStringLiteral("doctor"), QStringLiteral("--url"), url,
                               QStringLiteral("--protocol"), QStringLiteral("admin"),
                               QStringLiteral("-H"), QStringLiteral("X-Qalam-Fault: no-ids"),
                               QStringLiteral("--json"), QStringLiteral("-")});
    QCOMPARE(broken.exitCode, 1);
    const QJsonObject brokenReport = QJsonDocument::fromJson(broken.out).object();
    QCOMPARE(brokenReport.value(QLatin1String("passed")).toBool(), false);
    QVERIFY2(broken.out.contains("\"verdict\": \"fail\""), broken.out.constData());

    const auto usage =
        test::runProcess(cli, {QStringLiteral("doctor"), QStringLiteral("--url"), url,
                               QStringLiteral("--protocol"), QStringLiteral("smoke-signals")});
    QCOMPARE(usage.exitCode, 2);
    QVERIFY(usage.err.contains("--protocol"));
}

void TestStreamDoctor::cliWithAProfile()
{
    // --profile: the desktop app's profile, read from its settings file, its key from the
    // environment variable it names. The server only answers with that key.
    DemoServer::Options options;
    options.tokensPerSecond = 600;
    options.token = QStringLiteral("tok-2f9c");
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("qalam.ini"));
    {
        ProfileStore store(ini);
        Profile profile = Profile::create(QStringLiteral("Staging"));
        profile.baseUrl = QUrl(server.url().toString() + QStringLiteral("/api/v1/stream/chat"));
        profile.protocol = ChatProtocol::Kind::AdminStream;
        profile.apiKeyEnv = QStringLiteral("QALAM_DOCTOR_TEST_KEY");
        QVERIFY(store.saveProfile(profile).isEmpty());
    }
    const QString cli = QStringLiteral(QALAM_CLI_PATH);
    test::ProcessOptions withKey;
    withKey.environment.insert(QStringLiteral("QALAM_DOCTOR_TEST_KEY"), QStringLiteral("tok-2f9c"));
    const auto passed =
        test::runProcess(cli,
                         {QStringLiteral("doctor"), QStringLiteral("--profile"),
                          QStringLiteral("Staging"), QStringLiteral("--settings"), ini},
                         withKey);
    QVERIFY2(passed.exitCode == 0, passed.out + passed.err);
    QVERIFY(passed.out.contains("/api/v1/stream/chat (admin)"));
    QVERIFY(!passed.out.contains("tok-2f9c")); // the key is never printed

    test::ProcessOptions wrongKey;
    wrongKey.environment.insert(QStringLiteral("QALAM_DOCTOR_TEST_KEY"), QStringLiteral("nope"));
    const auto refused =
        test::runProcess(cli,
                         {QStringLiteral("doctor"), QStringLiteral("--profile"),
                          QStringLiteral("Staging"), QStringLiteral("--settings"), ini},
                         wrongKey);
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.out.contains("FAIL  status             HTTP 401"), refused.out.constData());

    const auto unknown =
        test::runProcess(cli, {QStringLiteral("doctor"), QStringLiteral("--profile"),
                               QStringLiteral("Prod"), QStringLiteral("--settings"), ini});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("\"Staging\""), unknown.err.constData()); // what there is
    const auto both =
        test::runProcess(cli, {QStringLiteral("doctor"), QStringLiteral("--profile"),
                               QStringLiteral("Staging"), QStringLiteral("--settings"), ini,
                               QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:1/")});
    QCOMPARE(both.exitCode, 2);
}

QTEST_MAIN(TestStreamDoctor)
#include "tst_streamdoctor.moc"
