// qalam-cli as scripts use it: the real executable, run with QProcess against a ScriptedServer in
// this process. Output lines, exit codes and the requests the server saw are the contract
// (docs/cli.md). The server lives in this event loop, so the process is awaited with a loop
// that keeps processing events, never with a blocking waitForFinished().
#include "ScriptedServer.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QTcpServer>
#include <QTest>

using namespace qalam::test;

namespace {

constexpr int kProcessTimeoutMs = 30000;

struct CliResult
{
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;
    QList<QByteArray> lines() const
    {
        QList<QByteArray> result = out.split('\n');
        if (!result.isEmpty() && result.last().isEmpty())
            result.removeLast();
        return result;
    }
};

// Runs qalam-cli to completion while this thread's event loop (and so the server) keeps running.
CliResult runCli(const QStringList &arguments,
                 const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProgram(QStringLiteral(QALAM_CLI_PATH));
    process.setArguments(arguments);
    process.setProcessEnvironment(environment);
    bool done = false;
    QObject::connect(&process, &QProcess::finished, &process, [&done] { done = true; });
    QObject::connect(&process, &QProcess::errorOccurred, &process,
                     [&done](QProcess::ProcessError error) {
                         if (error == QProcess::FailedToStart)
                             done = true;
                     });
    process.start();
    process.closeWriteChannel();
    const QDeadlineTimer deadline(kProcessTimeoutMs);
    while (!done && !deadline.hasExpired())
        QTest::qWait(10);
    CliResult result;
    if (!done) {
        qWarning("qalam-cli did not finish in time; killing it");
        process.kill();
        process.waitForFinished(5000);
        result.crashed = true;
    }
    result.crashed = result.crashed || process.exitStatus() != QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QString url(const ScriptedServer &server, const QString &path = QStringLiteral("/events"))
{
    return server.url(path).toString();
}

// The admin stream of docs/protocol.md for the given deltas (JSON-ready texts).
QList<QPair<QByteArray, QByteArray>> adminEvents(const QList<QByteArray> &deltaJson, int total)
{
    QList<QPair<QByteArray, QByteArray>> events; // id, bytes
    int n = 0;
    const auto add = [&](const QByteArray &type, const QByteArray &data) {
        const QByteArray id = "s-9." + QByteArray::number(n++);
        events.append({id, "event: " + type + "\nid: " + id + "\ndata: " + data + "\n\n"});
    };
    add("hello", R"({"stream_id":"s-9","model":"qalam-demo"})");
    for (int i = 0; i < deltaJson.size(); ++i)
        add("delta", "{\"seq\":" + QByteArray::number(i + 1) + ",\"text\":" + deltaJson[i] + '}');
    add("done", R"({"finish_reason":"stop","deltas":)" + QByteArray::number(total) +
                    R"(,"usage":{"prompt_tokens":4,"completion_tokens":5,"total_tokens":9}})");
    return events;
}

const QList<QByteArray> kDeltaJson{R"("مرحبا")", R"(" بك 👋🏽")", R"(" — \"Qalam\"\n")",
                                   R"("second line ✓")"};
// What the deltas above say, as UTF-8 on stdout.
const QByteArray kAnswer = "مرحبا بك 👋🏽 — \"Qalam\"\nsecond line ✓";

QByteArray joinFrom(const QList<QPair<QByteArray, QByteArray>> &events, const QByteArray &lastId)
{
    qsizetype from = 0;
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (events[i].first == lastId)
            from = i + 1;
    }
    QByteArray out = lastId.isEmpty() ? QByteArray("retry: 20\n\n") : QByteArray();
    for (qsizetype i = from; i < events.size(); ++i)
        out += events[i].second;
    return out;
}

QByteArray openAiDelta(const QByteArray &delta, const QByteArray &finish = "null")
{
    return R"(data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":)" +
           delta + R"(,"finish_reason":)" + finish + "}]}\n\n";
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // events
    void eventsPrintsJsonLines();
    void eventsShowMeta();
    void eventsSendsHeaders();
    void eventsPost_data();
    void eventsPost();
    void eventsReconnectBudgetThenExitZero();
    void eventsNoContentExitsZero();
    void eventsStallTimeoutReconnects();
    void eventsFailures_data();
    void eventsFailures();
    void eventsConnectionRefused();
    void badUsage_data();
    void badUsage();

    // chat
    void chatAdminPrintsExactText();
    void chatAdminMetrics();
    void chatAdminResumesAfterCut();
    void chatAdminErrorEvent();
    void chatOpenAiCompletes();
    void chatOpenAiCutBeforeDone();
    void chatOpenAiSurrogatePairSplitAcrossChunks();
    void chatApiKeyFromEnvironment();
    void chatApiKeyNeverPrintedOnFailure();
    void chatMissingApiKeyVariable();

    // help and version
    void helpMentionsFlags_data();
    void helpMentionsFlags();
    void version();
};

void TestCli::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(QALAM_CLI_PATH)), QALAM_CLI_PATH);
}

void TestCli::eventsPrintsJsonLines()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        const QByteArray body = "data: plain\n\n"
                                "event: update\nid: 7\n"
                                "data: say \"hi\" \\ back\n"
                                "data: second\tline\x01\n\n"
                                ": a comment, not printed without --show-meta\n\n"
                                "data: مرحبا بالعالم 🌙\n\n";
        return Script::eventStream().writeInPieces(body, 5); // splits the UTF-8 too
    });
    const CliResult result = runCli({QStringLiteral("events"), url(server)});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.err, QByteArray());
    const QList<QByteArray> expected{
        R"({"type":"message","data":"plain","id":""})",
        R"({"type":"update","data":"say \"hi\" \\ back\nsecond\tline\u0001","id":"7"})",
        R"({"type":"message","data":"مرحبا بالعالم 🌙","id":"7"})",
    };
    QCOMPARE(result.lines(), expected);
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().header("Accept"), QByteArray("text/event-stream"));
}

void TestCli::eventsShowMeta()
{
    ScriptedServer server([](const RecordedRequest &, int index) {
        if (index == 0)
            return Script::eventStream("retry: 300\n: hello\nid: a1\ndata: x\n\n");
        // The same retry again is no change; a new value is.
        return Script::eventStream("retry: 300\n: again \"q\"\nid: a2\ndata: y\n\nretry: 400\n");
    });
    const CliResult result =
        runCli({QStringLiteral("events"), url(server), QStringLiteral("--show-meta"),
                QStringLiteral("--max-reconnects"), QStringLiteral("1")});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    const QList<QByteArray> expected{
        R"({"open":true})",
        R"({"retry":300})",
        R"({"comment":"hello"})",
        R"({"type":"message","data":"x","id":"a1"})",
        R"({"reconnect":{"attempt":1,"last_event_id":"a1"}})",
        R"({"open":true})",
        R"({"comment":"again \"q\""})",
        R"({"type":"message","data":"y","id":"a2"})",
        R"({"retry":400})",
    };
    QCOMPARE(result.lines(), expected);
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(server.requests().at(1).header("Last-Event-ID"), QByteArray("a1"));
}

void TestCli::eventsSendsHeaders()
{
    ScriptedServer server(
        [](const RecordedRequest &, int) { return Script::eventStream("data: 1\n\n"); });
    const CliResult result = runCli({QStringLiteral("events"), url(server), QStringLiteral("-H"),
                                     QStringLiteral("Authorization: Bearer abc.def"),
                                     QStringLiteral("--header"), QStringLiteral("X-Trace:  42 ")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(server.requests().size(), 1);
    const RecordedRequest &seen = server.requests().first();
    QCOMPARE(seen.method, QByteArray("GET"));
    QCOMPARE(seen.header("Authorization"), QByteArray("Bearer abc.def"));
    QCOMPARE(seen.header("X-Trace"), QByteArray("42"));
    QCOMPARE(seen.header("Cache-Control"), QByteArray("no-cache"));
}

void TestCli::eventsPost_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("default type") << QStringList{} << QByteArray("application/json");
    QTest::newRow("type from -H") << QStringList{QStringLiteral("-H"),
                                                 QStringLiteral("content-type: text/plain")}
                                  << QByteArray("text/plain");
}

void TestCli::eventsPost()
{
    QFETCH(QStringList, extra);
    QFETCH(QByteArray, contentType);
    ScriptedServer server(
        [](const RecordedRequest &, int) { return Script::eventStream("data: 1\n\n"); });
    const QString body = QStringLiteral(R"({"prompt":"ما هو قلم؟"})");
    const CliResult result = runCli(
        QStringList{QStringLiteral("events"), url(server), QStringLiteral("--post"), body} + extra);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(server.requests().size(), 1);
    const RecordedRequest &seen = server.requests().first();
    QCOMPARE(seen.method, QByteArray("POST"));
    QCOMPARE(seen.body, body.toUtf8());
    QCOMPARE(seen.header("Content-Type"), contentType);
    QCOMPARE(result.lines(), QList<QByteArray>{R"({"type":"message","data":"1","id":""})"});
}

void TestCli::eventsReconnectBudgetThenExitZero()
{
    ScriptedServer server([](const RecordedRequest &, int index) {
        return Script::eventStream("retry: 1\nid: " + QByteArray::number(index) + "\ndata: n" +
                                   QByteArray::number(index) + "\n\n");
    });
    const CliResult result = runCli({QStringLiteral("events"), url(server),
                                     QStringLiteral("--max-reconnects"), QStringLiteral("2")});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.err, QByteArray());
    QCOMPARE(server.requests().size(), 3);
    QCOMPARE(server.requests().at(2).header("Last-Event-ID"), QByteArray("1"));
    const QList<QByteArray> expected{R"({"type":"message","data":"n0","id":"0"})",
                                     R"({"type":"message","data":"n1","id":"1"})",
                                     R"({"type":"message","data":"n2","id":"2"})"};
    QCOMPARE(result.lines(), expected);
}

void TestCli::eventsNoContentExitsZero()
{
    ScriptedServer server([](const RecordedRequest &, int) { return Script::response(204, {}); });
    const CliResult result = runCli({QStringLiteral("events"), url(server),
                                     QStringLiteral("--max-reconnects"), QStringLiteral("5")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray());
    QCOMPARE(result.err, QByteArray());
    QCOMPARE(server.requests().size(), 1);
}

void TestCli::eventsStallTimeoutReconnects()
{
    ScriptedServer server([](const RecordedRequest &, int index) {
        if (index == 0)
            return Script::eventStream("id: 1\ndata: a\n\n").stall();
        return Script::eventStream("data: b\n\n");
    });
    const CliResult result =
        runCli({QStringLiteral("events"), url(server), QStringLiteral("--show-meta"),
                QStringLiteral("--stall-timeout"), QStringLiteral("1"),
                QStringLiteral("--max-reconnects"), QStringLiteral("1")});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    const QList<QByteArray> expected{
        R"({"open":true})", R"({"type":"message","data":"a","id":"1"})",
        R"({"reconnect":{"attempt":1,"last_event_id":"1"}})", R"({"open":true})",
        R"({"type":"message","data":"b","id":"1"})"};
    QCOMPARE(result.lines(), expected);
    QCOMPARE(server.requests().size(), 2);
}

void TestCli::eventsFailures_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QList<QByteArray>>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QList<QByteArray>>("mentions");
    QTest::newRow("404 json") << 404 << QList<QByteArray>{"Content-Type: application/json"}
                              << QByteArray(
                                     R"({"error":{"code":"not_found","message":"no such route"}})")
                              << QList<QByteArray>{"404", "no such route"};
    QTest::newRow("html page") << 200 << QList<QByteArray>{"Content-Type: text/html"}
                               << QByteArray("<html><body>login</body></html>")
                               << QList<QByteArray>{"text/html", "text/event-stream"};
    QTest::newRow("401") << 401 << QList<QByteArray>{} << QByteArray()
                         << QList<QByteArray>{"401", "credentials"};
    // Spec-strict: no waiting for Retry-After.
    QTest::newRow("503 retry-after")
        << 503 << QList<QByteArray>{"Retry-After: 1"} << QByteArray() << QList<QByteArray>{"503"};
}

void TestCli::eventsFailures()
{
    QFETCH(int, status);
    QFETCH(QList<QByteArray>, headers);
    QFETCH(QByteArray, body);
    QFETCH(QList<QByteArray>, mentions);
    ScriptedServer server(
        [&](const RecordedRequest &, int) { return Script::response(status, headers, body); });
    const CliResult result = runCli({QStringLiteral("events"), url(server),
                                     QStringLiteral("--max-reconnects"), QStringLiteral("3")});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.out, QByteArray());
    QVERIFY2(result.err.startsWith("qalam-cli: "), result.err.constData());
    QVERIFY2(result.err.endsWith('\n'), result.err.constData());
    for (const QByteArray &word : mentions)
        QVERIFY2(result.err.contains(word), result.err.constData());
    QCOMPARE(server.requests().size(), 1);
}

void TestCli::eventsConnectionRefused()
{
    const CliResult result = runCli(
        {QStringLiteral("events"), QStringLiteral("http://127.0.0.1:%1/x").arg(ScriptedServer::closedPort())});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.out, QByteArray());
    QVERIFY2(result.err.contains("refused"), result.err.constData());
}

void TestCli::badUsage_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no command") << QStringList{};
    QTest::newRow("unknown command") << QStringList{QStringLiteral("stream")};
    QTest::newRow("events without URL") << QStringList{QStringLiteral("events")};
    QTest::newRow("events two URLs") << QStringList{
        QStringLiteral("events"), QStringLiteral("http://a/"), QStringLiteral("http://b/")};
    QTest::newRow("events ftp URL")
        << QStringList{QStringLiteral("events"), QStringLiteral("ftp://a/x")};
    QTest::newRow("events bad number")
        << QStringList{QStringLiteral("events"), QStringLiteral("http://127.0.0.1:1/"),
                       QStringLiteral("--max-reconnects"), QStringLiteral("many")};
    QTest::newRow("events bad header")
        << QStringList{QStringLiteral("events"), QStringLiteral("http://127.0.0.1:1/"),
                       QStringLiteral("-H"), QStringLiteral("no colon here")};
    QTest::newRow("events unknown option")
        << QStringList{QStringLiteral("events"), QStringLiteral("http://127.0.0.1:1/"),
                       QStringLiteral("--frobnicate")};
    QTest::newRow("chat without protocol")
        << QStringList{QStringLiteral("chat"), QStringLiteral("--url"),
                       QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("hi")};
    QTest::newRow("chat bad protocol") << QStringList{QStringLiteral("chat"),
                                                      QStringLiteral("--url"),
                                                      QStringLiteral("http://127.0.0.1:1/"),
                                                      QStringLiteral("--protocol"),
                                                      QStringLiteral("anthropic"),
                                                      QStringLiteral("hi")};
    QTest::newRow("chat without url")
        << QStringList{QStringLiteral("chat"), QStringLiteral("--protocol"),
                       QStringLiteral("admin"), QStringLiteral("hi")};
}

void TestCli::badUsage()
{
    QFETCH(QStringList, arguments);
    const CliResult result = runCli(arguments);
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 2);
    if (!arguments.isEmpty()) // the bare command prints its usage on stdout instead
        QVERIFY2(result.err.startsWith("qalam-cli: "), result.err.constData());
}

void TestCli::chatAdminPrintsExactText()
{
    const auto events = adminEvents(kDeltaJson, int(kDeltaJson.size()));
    ScriptedServer server([&](const RecordedRequest &r, int) {
        // Three bytes per write: every multi-byte character is split somewhere.
        return Script::eventStream().writeInPieces(joinFrom(events, r.header("Last-Event-ID")), 3);
    });
    const CliResult result =
        runCli({QStringLiteral("chat"), QStringLiteral("--url"),
                url(server, QStringLiteral("/api/v1/stream/chat")), QStringLiteral("--protocol"),
                QStringLiteral("admin"), QStringLiteral("--model"), QStringLiteral("qalam-demo"),
                QStringLiteral("ما هو قلم؟")});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, kAnswer);
    QCOMPARE(result.err, QByteArray());
    QCOMPARE(server.requests().size(), 1);
    const RecordedRequest &seen = server.requests().first();
    QCOMPARE(seen.method, QByteArray("POST"));
    QCOMPARE(seen.path, QByteArray("/api/v1/stream/chat"));
    QVERIFY2(seen.body.contains(QStringLiteral("\"prompt\":\"ما هو قلم؟\"").toUtf8()),
             seen.body.constData());
    QVERIFY2(seen.body.contains("\"model\":\"qalam-demo\""), seen.body.constData());
}

void TestCli::chatAdminMetrics()
{
    const auto events = adminEvents(kDeltaJson, int(kDeltaJson.size()));
    ScriptedServer server([&](const RecordedRequest &r, int) {
        return Script::eventStream().writeInPieces(joinFrom(events, r.header("Last-Event-ID")), 40);
    });
    const CliResult result = runCli({QStringLiteral("chat"), QStringLiteral("--url"), url(server),
                                     QStringLiteral("--protocol"), QStringLiteral("admin"),
                                     QStringLiteral("--metrics"), QStringLiteral("hi")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, kAnswer);
    const QList<QByteArray> lines = result.err.split('\n');
    const auto line = [&lines](const QByteArray &key) {
        for (const QByteArray &l : lines) {
            if (l.startsWith(key + ": "))
                return l.mid(key.size() + 2);
        }
        return QByteArray();
    };
    QVERIFY2(line("time to first token").endsWith(" ms"), result.err.constData());
    QVERIFY2(!line("chars/s").isEmpty(), result.err.constData());
    QCOMPARE(line("reconnects"), QByteArray("0"));
    QCOMPARE(line("characters"), QByteArray::number(QString::fromUtf8(kAnswer).toUcs4().size()));
    QCOMPARE(line("finish reason"), QByteArray("stop"));
    QCOMPARE(line("usage"), QByteArray("prompt 4, completion 5, total 9"));
}

void TestCli::chatAdminResumesAfterCut()
{
    const auto events = adminEvents(kDeltaJson, int(kDeltaJson.size()));
    ScriptedServer server([&](const RecordedRequest &r, int index) {
        QByteArray body = joinFrom(events, r.header("Last-Event-ID"));
        if (index == 0) // cut in the middle of the third delta's data line
            body = body.first(body.indexOf("\"seq\":3") + 5);
        return Script::eventStream().writeInPieces(body, 7);
    });
    const CliResult result = runCli({QStringLiteral("chat"), QStringLiteral("--url"), url(server),
                                     QStringLiteral("--protocol"), QStringLiteral("admin"),
                                     QStringLiteral("--metrics"), QStringLiteral("hi")});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, kAnswer);
    QVERIFY2(result.err.contains("reconnects: 1\n"), result.err.constData());
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(server.requests().at(1).header("Last-Event-ID"), QByteArray("s-9.2"));
}

void TestCli::chatAdminErrorEvent()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream(
            "event: hello\nid: s.0\ndata: {\"stream_id\":\"s\"}\n\n"
            "event: delta\nid: s.1\ndata: {\"seq\":1,\"text\":\"Part\"}\n\n"
            "event: error\nid: s.2\ndata: {\"code\":\"overloaded\",\"message\":\"try later\"}\n\n");
    });
    const CliResult result =
        runCli({QStringLiteral("chat"), QStringLiteral("--url"), url(server),
                QStringLiteral("--protocol"), QStringLiteral("admin"), QStringLiteral("hi")});
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.out, QByteArray("Part"));
    QVERIFY2(result.err.contains("try later"), result.err.constData());
}

void TestCli::chatOpenAiCompletes()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        const QByteArray body =
            ": OPENROUTER PROCESSING\n\n" + openAiDelta(R"({"role":"assistant","content":""})") +
            openAiDelta(R"({"content":null})") + openAiDelta(R"({"content":"Hi, "})") +
            openAiDelta(R"({"content":"مرحبا 🌍"})") + openAiDelta("{}", R"("stop")") +
            R"(data: {"id":"c1","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})"
            "\n\ndata: [DONE]\n\n";
        return Script::eventStream().writeInPieces(body, 10);
    });
    const CliResult result =
        runCli({QStringLiteral("chat"), QStringLiteral("--url"), url(server, QStringLiteral("/v1")),
                QStringLiteral("--protocol"), QStringLiteral("openai"), QStringLiteral("--model"),
                QStringLiteral("m"), QStringLiteral("hi")});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray("Hi, مرحبا 🌍"));
    QCOMPARE(result.err, QByteArray());
    QCOMPARE(server.requests().first().path, QByteArray("/v1/chat/completions"));
}

void TestCli::chatOpenAiCutBeforeDone()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream(openAiDelta(R"({"role":"assistant","content":"Partial "})") +
                                   openAiDelta(R"({"content":"answer"})"));
    });
    const CliResult result =
        runCli({QStringLiteral("chat"), QStringLiteral("--url"), url(server, QStringLiteral("/v1")),
                QStringLiteral("--protocol"), QStringLiteral("openai"),
                QStringLiteral("--max-reconnects"), QStringLiteral("3"), QStringLiteral("hi")});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 3);
    QCOMPARE(result.out, QByteArray("Partial answer"));
    QVERIFY2(result.err.startsWith("qalam-cli: "), result.err.constData());
    QVERIFY2(result.err.contains("[DONE]"), result.err.constData());
    QCOMPARE(server.requests().size(), 1);
}

void TestCli::chatOpenAiSurrogatePairSplitAcrossChunks()
{
    // JSON-escaped UTF-16: the emoji's two halves arrive in different chunks.
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream(openAiDelta(R"({"content":"A \ud83c"})") +
                                   openAiDelta(R"({"content":"\udf0d B"})") + "data: [DONE]\n\n");
    });
    const CliResult result =
        runCli({QStringLiteral("chat"), QStringLiteral("--url"), url(server, QStringLiteral("/v1")),
                QStringLiteral("--protocol"), QStringLiteral("openai"), QStringLiteral("hi")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray("A 🌍 B"));
}

void TestCli::chatApiKeyFromEnvironment()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream(openAiDelta(R"({"content":"ok"})") + "data: [DONE]\n\n");
    });
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QALAM_TEST_KEY"), QStringLiteral("sk-very-secret-42"));
    const CliResult result = runCli(
        {QStringLiteral("chat"), QStringLiteral("--url"), url(server, QStringLiteral("/v1")),
         QStringLiteral("--protocol"), QStringLiteral("openai"), QStringLiteral("--api-key-env"),
         QStringLiteral("QALAM_TEST_KEY"), QStringLiteral("--metrics"), QStringLiteral("hi")},
        environment);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray("ok"));
    QCOMPARE(server.requests().first().header("Authorization"),
             QByteArray("Bearer sk-very-secret-42"));
    QVERIFY(!result.out.contains("very-secret"));
    QVERIFY(!result.err.contains("very-secret"));
}

void TestCli::chatApiKeyNeverPrintedOnFailure()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::response(
            401, {"Content-Type: application/json"},
            R"({"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}})");
    });
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QALAM_TEST_KEY"), QStringLiteral("sk-very-secret-42"));
    const CliResult result = runCli(
        {QStringLiteral("chat"), QStringLiteral("--url"), url(server, QStringLiteral("/v1")),
         QStringLiteral("--protocol"), QStringLiteral("openai"), QStringLiteral("--api-key-env"),
         QStringLiteral("QALAM_TEST_KEY"), QStringLiteral("--metrics"), QStringLiteral("hi")},
        environment);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("Incorrect API key provided"), result.err.constData());
    QVERIFY(!result.out.contains("very-secret"));
    QVERIFY(!result.err.contains("very-secret"));
}

void TestCli::chatMissingApiKeyVariable()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("QALAM_TEST_NO_SUCH_KEY"));
    const CliResult result = runCli(
        {QStringLiteral("chat"), QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:1/v1"),
         QStringLiteral("--protocol"), QStringLiteral("openai"), QStringLiteral("--api-key-env"),
         QStringLiteral("QALAM_TEST_NO_SUCH_KEY"), QStringLiteral("hi")},
        environment);
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.out, QByteArray());
    QVERIFY2(result.err.contains("QALAM_TEST_NO_SUCH_KEY"), result.err.constData());
}

void TestCli::helpMentionsFlags_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("flags");
    QTest::newRow("events") << QStringLiteral("events")
                            << QStringList{QStringLiteral("-H"), QStringLiteral("--post"),
                                           QStringLiteral("--max-reconnects"),
                                           QStringLiteral("--show-meta")};
    QTest::newRow("chat") << QStringLiteral("chat")
                          << QStringList{QStringLiteral("--url"),
                                         QStringLiteral("--protocol"),
                                         QStringLiteral("--model"),
                                         QStringLiteral("--api-key-env"),
                                         QStringLiteral("--max-reconnects"),
                                         QStringLiteral("--metrics")};
}

void TestCli::helpMentionsFlags()
{
    QFETCH(QString, command);
    QFETCH(QStringList, flags);
    const CliResult result = runCli({command, QStringLiteral("--help")});
    QCOMPARE(result.exitCode, 0);
    const QString help = QString::fromUtf8(result.out);
    for (const QString &flag : std::as_const(flags))
        QVERIFY2(help.contains(flag), qPrintable(flag));
}

void TestCli::version()
{
    const CliResult result = runCli({QStringLiteral("--version")});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.startsWith("qalam-cli ") && result.out.endsWith('\n'),
             result.out.constData());
    QVERIFY(result.out.trimmed().size() > QByteArray("qalam-cli ").size());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
