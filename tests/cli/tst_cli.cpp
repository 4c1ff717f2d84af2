// qalam-cli as scripts use it: the real executable, run with QProcess against a ScriptedServer in
// this process. Output lines, exit codes and the requests the server saw are the contract
// (docs/cli.md). The server lives in this event loop, so the process is awaited with a loop
// that keeps processing events, never with a blocking waitForFinished().
//
// Terminal safety is checked on a real pseudo-terminal (forkpty): qalam-cli sees isatty() true
// there, exactly as in an interactive shell. TerminalText and JsonLineWriter are compiled into
// this test too, so their rules are also checked directly.
#include "JsonLineWriter.h"
#include "ProcessRunner.h"
#include "ScriptedServer.h"
#include "TerminalText.h"
#include "TlsTestServer.h"
#include "ToolSkip.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

using namespace qalam::test;
using qalam::cli::JsonLineWriter;
using qalam::cli::TerminalText;

namespace {

constexpr int kProcessTimeoutMs = 30000;

// What a qalam-cli run gave: exit code, whether it crashed, stdout (lines()) and stderr.
using CliResult = ProcessResult;

// Runs qalam-cli to completion while this thread's event loop (and so the server) keeps running.
CliResult runCli(const QStringList &arguments,
                 const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    ProcessOptions options;
    options.environment = environment;
    options.timeoutMs = kProcessTimeoutMs;
    return runProcess(QStringLiteral(QALAM_CLI_PATH), arguments, options);
}

// Runs qalam-cli with stdin, stdout and stderr on a pseudo-terminal, so isatty() is true as in
// an interactive shell. The terminal is in raw mode (no "\n" -> "\r\n" output translation), so
// the bytes read from the master side are exactly the bytes qalam-cli wrote. Like runCli, it
// waits for the process to end while this thread's event loop (and so the server) keeps running.
CliResult runCliOnTerminal(const QStringList &arguments)
{
    // Everything the child needs is prepared before fork(): after it, only execv().
    QList<QByteArray> storage{QByteArray(QALAM_CLI_PATH)};
    for (const QString &argument : arguments)
        storage.append(argument.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &argument : storage)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    termios mode{};
    cfmakeraw(&mode);
    cfsetspeed(&mode, B38400);
    winsize size{};
    size.ws_row = 24;
    size.ws_col = 80;

    CliResult result;
    int master = -1;
    const pid_t pid = forkpty(&master, nullptr, &mode, &size);
    if (pid < 0) {
        qWarning("forkpty failed: %s", std::strerror(errno));
        result.crashed = true;
        return result;
    }
    if (pid == 0) {
        execv(argv[0], argv.data());
        _exit(127);
    }
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    const auto drain = [&] {
        char buffer[4096];
        ssize_t n = 0;
        // Stops at "nothing now" (EAGAIN) and at EIO, which the master reports once the child
        // has closed its side; what it wrote before that is read first.
        while ((n = ::read(master, buffer, sizeof buffer)) > 0)
            result.out.append(buffer, n);
    };
    int status = 0;
    const bool exited = QTest::qWaitFor(
        [&] {
            drain();
            return ::waitpid(pid, &status, WNOHANG) == pid;
        },
        kProcessTimeoutMs);
    if (!exited) {
        qWarning("qalam-cli did not finish in time on the terminal; killing it");
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    }
    drain();
    ::close(master);
    result.crashed = !exited || !WIFEXITED(status);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

// True when `bytes` holds none of the bytes (and no UTF-8 C1 control) a terminal acts on;
// \n and \t are allowed when `lineBreaksAllowed`.
bool terminalSafe(const QByteArray &bytes, bool lineBreaksAllowed)
{
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == '\n' || c == '\t') {
            if (!lineBreaksAllowed)
                return false;
            continue;
        }
        if (c < 0x20 || c == 0x7F)
            return false;
        // U+0080..U+009F are C2 80..C2 9F in UTF-8.
        if (c == 0xC2 && i + 1 < bytes.size() && static_cast<unsigned char>(bytes[i + 1]) < 0xA0)
            return false;
    }
    return true;
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

    // terminal safety
    void terminalTextVisible_data();
    void terminalTextVisible();
    void terminalTextErrorLine_data();
    void terminalTextErrorLine();
    void jsonQuotedEscapes_data();
    void jsonQuotedEscapes();
    void chatOnTerminalShowsControls();
    void chatOnTerminalRawSendsControls();
    void chatPipedIsByteExact();
    void stderrEscapedAndCapped_data();
    void stderrEscapedAndCapped();
    void chatMetricsFinishReasonEscaped();
    void eventsEscapesC1AndLineSeparators();

    // --secret-header and --ca-cert
    void secretHeaderSentToSameOrigin_data();
    void secretHeaderSentToSameOrigin();
    void secretHeaderDroppedOnCrossOriginRedirect();
    void caCertTrustsSelfSignedServer();
    void caCertUnusable_data();
    void caCertUnusable();

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
    const CliResult result =
        runCli({QStringLiteral("events"),
                QStringLiteral("http://127.0.0.1:%1/x").arg(ScriptedServer::closedPort())});
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
    // A --secret-header that names no -H header is a typo that would leave the credential
    // unmarked: refused.
    QTest::newRow("events secret header not given")
        << QStringList{QStringLiteral("events"),
                       QStringLiteral("http://127.0.0.1:1/"),
                       QStringLiteral("-H"),
                       QStringLiteral("X-Session: 1"),
                       QStringLiteral("--secret-header"),
                       QStringLiteral("X-Sesion")};
    QTest::newRow("events secret header bad name")
        << QStringList{QStringLiteral("events"), QStringLiteral("http://127.0.0.1:1/"),
                       QStringLiteral("--secret-header"), QStringLiteral("X Session")};
    QTest::newRow("chat secret header not given")
        << QStringList{QStringLiteral("chat"),
                       QStringLiteral("--url"),
                       QStringLiteral("http://127.0.0.1:1/"),
                       QStringLiteral("--protocol"),
                       QStringLiteral("admin"),
                       QStringLiteral("--secret-header"),
                       QStringLiteral("X-Token"),
                       QStringLiteral("hi")};
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

// The notation of docs/cli.md: caret for C0 and DEL, <U+XXXX> for C1; \n and \t kept in answer
// text; everything else unchanged, a lone surrogate half included (the writer holds it back).
void TestCli::terminalTextVisible_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("answer");  // LineBreaks::Keep
    QTest::addColumn<QString>("oneLine"); // LineBreaks::Escape
    QTest::newRow("plain") << QStringLiteral("مرحبا 👋🏽 — ok")
                           << QStringLiteral("مرحبا 👋🏽 — ok")
                           << QStringLiteral("مرحبا 👋🏽 — ok");
    QTest::newRow("osc 52") << QStringLiteral("\x1b]52;c;SGk=\x07")
                            << QStringLiteral("^[]52;c;SGk=^G") << QStringLiteral("^[]52;c;SGk=^G");
    QTest::newRow("csi, del, nul")
        << QString(QStringLiteral("\x1b[2J") + QChar(0x7F) + QChar(0) + QChar(0x1F))
        << QStringLiteral("^[[2J^?^@^_") << QStringLiteral("^[[2J^?^@^_");
    QTest::newRow("c1") << QString(QChar(0x80) + QStringLiteral("a") + QChar(0x9B) +
                                   QStringLiteral("31m") + QChar(0x9F) + QChar(0xA0))
                        << QString(QStringLiteral("<U+0080>a<U+009B>31m<U+009F>") + QChar(0xA0))
                        << QString(QStringLiteral("<U+0080>a<U+009B>31m<U+009F>") + QChar(0xA0));
    QTest::newRow("line breaks") << QStringLiteral("a\nb\tc\r\n") << QStringLiteral("a\nb\tc^M\n")
                                 << QStringLiteral("a^Jb^Ic^M^J");
    QTest::newRow("high surrogate at the end") << QString(QStringLiteral("x\x1b") + QChar(0xD83C))
                                               << QString(QStringLiteral("x^[") + QChar(0xD83C))
                                               << QString(QStringLiteral("x^[") + QChar(0xD83C));
}

void TestCli::terminalTextVisible()
{
    QFETCH(QString, text);
    QFETCH(QString, answer);
    QFETCH(QString, oneLine);
    QCOMPARE(TerminalText::visible(text, TerminalText::LineBreaks::Keep), answer);
    QCOMPARE(TerminalText::visible(text, TerminalText::LineBreaks::Escape), oneLine);
}

// errorLine: every control escaped, at most `max` characters shown (a notation or a surrogate
// pair never cut), then the marker with how many characters were left out.
void TestCli::terminalTextErrorLine_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("max");
    QTest::addColumn<QString>("line");
    QTest::newRow("short") << QStringLiteral("HTTP 500 \x1b]0;t\x07\n") << 2000
                           << QStringLiteral("HTTP 500 ^[]0;t^G^J");
    QTest::newRow("exactly max") << QStringLiteral("abcde") << 5 << QStringLiteral("abcde");
    QTest::newRow("cut") << QStringLiteral("abcdefgh") << 5
                         << QStringLiteral("abcde … [3 more characters]");
    QTest::newRow("notation not cut")
        << QStringLiteral("abcd\x1b[") << 5 << QStringLiteral("abcd … [2 more characters]");
    QTest::newRow("pair not cut") << QStringLiteral("abcd🌍🌍") << 5
                                  << QStringLiteral("abcd🌍 … [1 more characters]");
    QTest::newRow("c1 notation") << QString(QStringLiteral("ab") + QChar(0x9B)) << 10
                                 << QStringLiteral("ab<U+009B>");
    QTest::newRow("default cap") << QString(100000, QLatin1Char('A'))
                                 << int(TerminalText::maxMessageLength)
                                 << QString(QString(2000, QLatin1Char('A')) +
                                            QStringLiteral(" … [98000 more characters]"));
}

void TestCli::terminalTextErrorLine()
{
    QFETCH(QString, message);
    QFETCH(int, max);
    QFETCH(QString, line);
    QCOMPARE(TerminalText::errorLine(message, max), line);
}

// JSON strings: C0, DEL, C1 and U+2028/U+2029 as \u escapes; the value read back is the same.
void TestCli::jsonQuotedEscapes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("plain") << QStringLiteral("مرحبا 🌙") << QByteArray("\"مرحبا 🌙\"");
    QTest::newRow("json specials")
        << QStringLiteral("\"\\\n\r\t\x01") << QByteArray(R"("\"\\\n\r\t\u0001")");
    QTest::newRow("del and c1") << QString(QChar(0x7F) + QStringLiteral("a") + QChar(0x80) +
                                           QChar(0x85) + QChar(0x9B) + QChar(0x9F) + QChar(0xA0))
                                << QByteArray(R"("\u007fa\u0080\u0085\u009b\u009f)"
                                              "\xc2\xa0\"");
    QTest::newRow("line separators") << QString(QChar(0x2028) + QStringLiteral("x") + QChar(0x2029))
                                     << QByteArray(R"("\u2028x\u2029")");
    QTest::newRow("pair around an escape")
        << QStringLiteral("🌍\x1b🌍") << QByteArray("\"🌍\\u001b🌍\"");
}

void TestCli::jsonQuotedEscapes()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, json);
    const QByteArray quoted = JsonLineWriter::quoted(text);
    QCOMPARE(quoted, json);
    QVERIFY(terminalSafe(quoted, false));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("{\"v\":" + quoted + '}', &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(document.object().value(QLatin1String("v")).toString(), text);
}

namespace {

// An OpenAI-compatible answer whose text tries to drive the terminal: OSC 52 (clipboard), OSC 0
// (title), CSI 2J (clear), a raw C1 CSI (U+009B), DEL, CR, NUL, with \n, \t and an emoji whose
// surrogate halves arrive in different chunks.
QByteArray hostileAnswerStream()
{
    return openAiDelta(R"({"role":"assistant","content":"A\u001b]52;c;SGVsbG8=\u0007"})") +
           openAiDelta(R"({"content":"\u001b]0;owned\u0007\u001b[2J"})") +
           openAiDelta(R"({"content":"x\u009b31my\u007fz\r\n\tend \ud83c"})") +
           openAiDelta(R"({"content":"\udf0d\u0000."})") + "data: [DONE]\n\n";
}
// What the server sent, as exact UTF-8.
const QByteArray kHostileRaw = QByteArray("A\x1b]52;c;SGVsbG8=\x07"
                                          "\x1b]0;owned\x07\x1b[2J"
                                          "x\xc2\x9b"
                                          "31my\x7fz\r\n\tend \xf0\x9f\x8c\x8d") +
                               QByteArray(1, '\0') + '.';
// What a terminal shows by default.
const QByteArray kHostileVisible("A^[]52;c;SGVsbG8=^G^[]0;owned^G^[[2Jx<U+009B>31my^?z^M\n\tend "
                                 "\xf0\x9f\x8c\x8d^@.");

QStringList hostileChatArguments(const ScriptedServer &server)
{
    return {
        QStringLiteral("chat"),       QStringLiteral("--url"),  url(server, QStringLiteral("/v1")),
        QStringLiteral("--protocol"), QStringLiteral("openai"), QStringLiteral("hi")};
}

} // namespace

// On a terminal, none of the raw control bytes reach it; their visible notation does, and the
// rest of the answer (newline, tab, the emoji split across chunks) is unchanged.
void TestCli::chatOnTerminalShowsControls()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream().writeInPieces(hostileAnswerStream(), 9);
    });
    const CliResult result = runCliOnTerminal(hostileChatArguments(server));
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, kHostileVisible); // stderr is the terminal too: nothing on it
    QVERIFY2(terminalSafe(result.out, true), result.out.toHex(' ').constData());
    QCOMPARE(server.requests().size(), 1);
}

// --raw: the exact bytes, even on a terminal.
void TestCli::chatOnTerminalRawSendsControls()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream().writeInPieces(hostileAnswerStream(), 9);
    });
    const CliResult result =
        runCliOnTerminal(hostileChatArguments(server) << QStringLiteral("--raw"));
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, kHostileRaw);
}

// Piped (the scripting contract): byte-exact, no escaping, with or without --raw.
void TestCli::chatPipedIsByteExact()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream().writeInPieces(hostileAnswerStream(), 9);
    });
    for (const bool raw : {false, true}) {
        QStringList arguments = hostileChatArguments(server);
        if (raw)
            arguments << QStringLiteral("--raw");
        const CliResult result = runCli(arguments);
        QVERIFY(!result.crashed);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, kHostileRaw);
        QCOMPARE(result.err, QByteArray());
    }
}

// Whatever the server puts in an error (an `error` event, the reason phrase, an error body),
// stderr gets one line: "qalam-cli: ", no raw control, at most 2000 characters plus the marker.
// stderr is a pipe here: escaping does not depend on a terminal.
void TestCli::stderrEscapedAndCapped_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("response"); // raw, head included
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("shown"); // visible notation expected on stderr
    QTest::addColumn<bool>("capped");

    const QByteArray hostile = R"(\u001b]0;pwned\u0007\u001b[2J\n\u009b31m)";
    const QByteArray hostileShown = "^[]0;pwned^G^[[2J^J<U+009B>31m";
    const QByteArray sse = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                           "Connection: close\r\n\r\n";
    QTest::newRow("error event, 100 KB")
        << QStringLiteral("chat-admin")
        << sse +
               "event: hello\nid: s.0\ndata: {\"stream_id\":\"s\"}\n\n"
               "event: error\nid: s.1\ndata: {\"code\":\"x\",\"message\":\"" +
               hostile + QByteArray(100 * 1024, 'A') + "\"}\n\n"
        << 1 << hostileShown << true;
    QTest::newRow("openai error chunk")
        << QStringLiteral("chat-openai")
        << sse + "data: {\"error\":{\"message\":\"" + hostile + "\"}}\n\n"
        << 1 << hostileShown << false;
    QTest::newRow("reason phrase")
        << QStringLiteral("events")
        << QByteArray("HTTP/1.1 500 Oops\x1b]0;pwned\x07\x1b[2J\xc2\x9bX\r\n"
                      "Content-Length: 0\r\nConnection: close\r\n\r\n")
        << 1 << QByteArray("Oops^[]0;pwned^G^[[2J") << false;
    QTest::newRow("json error body")
        << QStringLiteral("events")
        << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                      "Connection: close\r\n\r\n{\"error\":{\"message\":\"") +
               hostile + "\"}}"
        << 1 << hostileShown << false;
    QTest::newRow("json error body, 10 KB")
        << QStringLiteral("chat-openai")
        << QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                      "Connection: close\r\n\r\n{\"error\":{\"message\":\"") +
               hostile + QByteArray(10 * 1024, 'B') + "\"}}"
        << 1 << hostileShown << true;
    QTest::newRow("text error body")
        << QStringLiteral("events")
        << QByteArray("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
                      "Connection: close\r\n\r\nupstream \x1b]52;c;SGk=\x07 \x7f down")
        << 1 << QByteArray("upstream ^[]52;c;SGk=^G ^? down") << false;
}

void TestCli::stderrEscapedAndCapped()
{
    QFETCH(QString, command);
    QFETCH(QByteArray, response);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, shown);
    QFETCH(bool, capped);
    ScriptedServer server([&](const RecordedRequest &, int) {
        Script script;
        script.writeInPieces(response, 16 * 1024);
        return script;
    });
    QStringList arguments;
    if (command == QLatin1String("events")) {
        arguments = {QStringLiteral("events"), url(server)};
    } else {
        const bool admin = command == QLatin1String("chat-admin");
        arguments = {QStringLiteral("chat"),
                     QStringLiteral("--url"),
                     url(server, admin ? QStringLiteral("/chat") : QStringLiteral("/v1")),
                     QStringLiteral("--protocol"),
                     admin ? QStringLiteral("admin") : QStringLiteral("openai"),
                     QStringLiteral("hi")};
    }
    const CliResult result = runCli(arguments);
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, exitCode);
    QCOMPARE(result.out, QByteArray());
    const QByteArray &err = result.err;
    QVERIFY2(err.startsWith("qalam-cli: "), err.left(300).constData());
    QVERIFY2(err.endsWith('\n') && err.count('\n') == 1, err.left(300).constData());
    QVERIFY2(terminalSafe(err.chopped(1), false), err.left(300).toHex(' ').constData());
    QVERIFY2(err.contains(shown), err.left(300).constData());
    const qsizetype characters = QString::fromUtf8(err).toUcs4().size();
    // Prefix + at most 2000 characters + " … [N more characters]" + newline.
    QVERIFY2(characters <= 11 + 2000 + 40, QByteArray::number(characters).constData());
    QCOMPARE(err.contains(" more characters]"), capped);
}

// --metrics prints the server's finish reason: escaped like an error message.
void TestCli::chatMetricsFinishReasonEscaped()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream(
            "event: hello\nid: s.0\ndata: {\"stream_id\":\"s\"}\n\n"
            "event: delta\nid: s.1\ndata: {\"seq\":1,\"text\":\"ok\"}\n\n"
            "event: done\nid: s.2\ndata: {\"finish_reason\":\"\\u001b]0;x\\u0007stop\\n\"}\n\n");
    });
    const CliResult result = runCli({QStringLiteral("chat"), QStringLiteral("--url"), url(server),
                                     QStringLiteral("--protocol"), QStringLiteral("admin"),
                                     QStringLiteral("--metrics"), QStringLiteral("hi")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray("ok"));
    QVERIFY2(result.err.contains("\nfinish reason: ^[]0;x^Gstop^J\n"), result.err.constData());
    QVERIFY2(terminalSafe(result.err, true), result.err.toHex(' ').constData());
}

// events: C1 controls, DEL and U+2028/U+2029 in any string come out as \u escapes; the line is
// still JSON and means the same.
void TestCli::eventsEscapesC1AndLineSeparators()
{
    const QByteArray data = "a\xc2\x9b"
                            "31mb\xc2\x85"
                            "c\xe2\x80\xa8"
                            "d\xe2\x80\xa9"
                            "e\x7f"
                            "f\x1b[2J";
    ScriptedServer server([&](const RecordedRequest &, int) {
        // Two bytes per write: the UTF-8 of each C1 control is split across writes too.
        return Script::eventStream().writeInPieces(
            "event: t\xc2\x90\nid: i\xc2\x9d\ndata: " + data + "\n\n: c\xc2\x9b\n\n", 2);
    });
    const CliResult result =
        runCli({QStringLiteral("events"), url(server), QStringLiteral("--show-meta")});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    const QList<QByteArray> expected{
        R"({"open":true})",
        R"({"type":"t\u0090","data":"a\u009b31mb\u0085c\u2028d\u2029e\u007ff\u001b[2J","id":"i\u009d"})",
        R"({"comment":"c\u009b"})",
    };
    QCOMPARE(result.lines(), expected);
    QVERIFY2(terminalSafe(result.out, true), result.out.toHex(' ').constData());
    const QJsonDocument line = QJsonDocument::fromJson(result.lines().at(1));
    QVERIFY(line.isObject());
    QCOMPARE(line.object().value(QLatin1String("data")).toString(), QString::fromUtf8(data));
    QCOMPARE(line.object().value(QLatin1String("type")).toString(),
             QString(QStringLiteral("t") + QChar(0x90)));
}

// --secret-header only marks a header: to the URL's own origin it is sent like any other.
void TestCli::secretHeaderSentToSameOrigin_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("events") << QStringLiteral("events");
    QTest::newRow("chat") << QStringLiteral("chat");
}

void TestCli::secretHeaderSentToSameOrigin()
{
    QFETCH(QString, command);
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream(openAiDelta(R"({"content":"ok"})") + "data: [DONE]\n\n");
    });
    const QStringList headers{QStringLiteral("-H"),
                              QStringLiteral("X-Session: s3cr3t"),
                              QStringLiteral("--secret-header"),
                              QStringLiteral("x-session"),
                              QStringLiteral("-H"),
                              QStringLiteral("X-Other: plain"),
                              QStringLiteral("--secret-header"),
                              QStringLiteral("Authorization")};
    const QStringList arguments = command == QLatin1String("events")
                                      ? QStringList{QStringLiteral("events"), url(server)} + headers
                                      : QStringList{QStringLiteral("chat"),
                                                    QStringLiteral("--url"),
                                                    url(server, QStringLiteral("/v1")),
                                                    QStringLiteral("--protocol"),
                                                    QStringLiteral("openai"),
                                                    QStringLiteral("hi")} +
                                            headers;
    const CliResult result = runCli(arguments);
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.err, QByteArray());
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().header("X-Session"), QByteArray("s3cr3t"));
    QCOMPARE(server.requests().first().header("X-Other"), QByteArray("plain"));
}

// The other side of --secret-header, end to end: a redirect to another origin (another port)
// gets the unmarked header but not the marked one (the consumer's rule, lib/sse/HttpRedirect.h).
void TestCli::secretHeaderDroppedOnCrossOriginRedirect()
{
    ScriptedServer target(
        [](const RecordedRequest &, int) { return Script::eventStream("data: there\n\n"); });
    const QByteArray location = target.url(QStringLiteral("/moved")).toEncoded();
    ScriptedServer origin([&](const RecordedRequest &, int) {
        return Script::response(307, {"Location: " + location, "Content-Length: 0"});
    });
    const CliResult result = runCli({QStringLiteral("events"), url(origin), QStringLiteral("-H"),
                                     QStringLiteral("X-Session: s3cr3t"),
                                     QStringLiteral("--secret-header"), QStringLiteral("X-Session"),
                                     QStringLiteral("-H"), QStringLiteral("X-Other: plain")});
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.lines(), QList<QByteArray>{R"({"type":"message","data":"there","id":""})"});
    QCOMPARE(origin.requests().size(), 1);
    QCOMPARE(origin.requests().first().header("X-Session"), QByteArray("s3cr3t"));
    QCOMPARE(target.requests().size(), 1);
    QCOMPARE(target.requests().first().header("X-Other"), QByteArray("plain"));
    QVERIFY(!target.requests().first().headers.contains("x-session"));
}

// --ca-cert: a server with a self-signed certificate is refused (exit 1, no request sent) until
// its certificate is trusted with --ca-cert; then events and chat both work.
void TestCli::caCertTrustsSelfSignedServer()
{
    if (const char *why = tlsTestsUnavailable())
        QALAM_SKIP_FOR_MISSING_TOOL(why);
    const TestCertificate certificate(QStringLiteral("IP:127.0.0.1"));
    QVERIFY(certificate.isValid());
    const QString cert = certificate.certPath();
    TlsTestServer server(certificate);
    const QString eventsUrl = server.url(QStringLiteral("/v1/chat/completions"));

    const CliResult untrusted = runCli({QStringLiteral("events"), eventsUrl});
    QVERIFY(!untrusted.crashed);
    QCOMPARE(untrusted.exitCode, 1);
    QCOMPARE(untrusted.out, QByteArray());
    QVERIFY2(untrusted.err.startsWith("qalam-cli: ") &&
                 untrusted.err.toLower().contains("certificate"),
             untrusted.err.constData());
    QCOMPARE(server.requests(), 0);

    const CliResult events =
        runCli({QStringLiteral("events"), QStringLiteral("--ca-cert"), cert, eventsUrl});
    QVERIFY(!events.crashed);
    QCOMPARE(events.exitCode, 0);
    QCOMPARE(events.err, QByteArray());
    const QList<QByteArray> expected{
        "{\"type\":\"message\",\"data\":" +
            JsonLineWriter::quoted(QString::fromUtf8(kTlsAnswerChunk)) + ",\"id\":\"\"}",
        R"({"type":"message","data":"[DONE]","id":""})"};
    QCOMPARE(events.lines(), expected);
    QCOMPARE(server.requests(), 1);

    const CliResult chat =
        runCli({QStringLiteral("chat"), QStringLiteral("--url"), server.url(QStringLiteral("/v1")),
                QStringLiteral("--protocol"), QStringLiteral("openai"), QStringLiteral("--ca-cert"),
                cert, QStringLiteral("hi")});
    QVERIFY(!chat.crashed);
    QCOMPARE(chat.exitCode, 0);
    QCOMPARE(chat.out, QByteArray("hello"));
    QCOMPARE(server.requests(), 2);
}

// A CA file that cannot be used is a bad command line (exit 2), with NetworkSetup's reason,
// before any connection is made.
void TestCli::caCertUnusable_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("file"); // in a temporary directory; "" is the directory itself
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("mentions");
    for (const QString &command : {QStringLiteral("events"), QStringLiteral("chat")}) {
        const QByteArray name = command.toLatin1();
        QTest::addRow("%s missing", name.constData())
            << command << QStringLiteral("missing.pem") << QByteArray()
            << QByteArray("does not exist");
        QTest::addRow("%s not PEM", name.constData())
            << command << QStringLiteral("garbage.pem") << QByteArray("not a certificate\n")
            << QByteArray("valid PEM certificate");
        QTest::addRow("%s directory", name.constData())
            << command << QString() << QByteArray() << QByteArray("not a file");
    }
}

void TestCli::caCertUnusable()
{
    QFETCH(QString, command);
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, mentions);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = file.isEmpty() ? dir.path() : dir.filePath(file);
    if (!content.isEmpty()) {
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(content);
    }
    ScriptedServer server(
        [](const RecordedRequest &, int) { return Script::eventStream("data: 1\n\n"); });
    const QString target = server.url(QStringLiteral("/v1")).toString();
    const QStringList arguments =
        command == QLatin1String("events")
            ? QStringList{QStringLiteral("events"), QStringLiteral("--ca-cert"), path, target}
            : QStringList{QStringLiteral("chat"),
                          QStringLiteral("--url"),
                          target,
                          QStringLiteral("--protocol"),
                          QStringLiteral("openai"),
                          QStringLiteral("--ca-cert"),
                          path,
                          QStringLiteral("hi")};
    const CliResult result = runCli(arguments);
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.out, QByteArray());
    QVERIFY2(result.err.startsWith("qalam-cli: ") && result.err.contains(mentions) &&
                 result.err.contains(QFileInfo(path).fileName().toUtf8()),
             result.err.constData());
    QCOMPARE(server.requests().size(), 0);
}

void TestCli::helpMentionsFlags_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("flags");
    QTest::newRow("events") << QStringLiteral("events")
                            << QStringList{QStringLiteral("-H"),
                                           QStringLiteral("--post"),
                                           QStringLiteral("--max-reconnects"),
                                           QStringLiteral("--show-meta"),
                                           QStringLiteral("--stall-timeout"),
                                           QStringLiteral("--secret-header"),
                                           QStringLiteral("--ca-cert"),
                                           QStringLiteral("X-Api-Key")};
    QTest::newRow("chat") << QStringLiteral("chat")
                          << QStringList{QStringLiteral("--url"),
                                         QStringLiteral("--protocol"),
                                         QStringLiteral("--model"),
                                         QStringLiteral("--api-key-env"),
                                         QStringLiteral("--max-reconnects"),
                                         QStringLiteral("--metrics"),
                                         QStringLiteral("--stall-timeout"),
                                         QStringLiteral("--secret-header"),
                                         QStringLiteral("--ca-cert"),
                                         QStringLiteral("X-Api-Key"),
                                         QStringLiteral("--raw"),
                                         QStringLiteral("<U+009B>")};
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
    // One synopsis, the command's own (not Qt's with the executable's path), and a final newline.
    QVERIFY2(help.startsWith(QStringLiteral("Usage: qalam-cli %1 ").arg(command)),
             qPrintable(help.left(120)));
    QCOMPARE(help.count(QLatin1String("Usage:")), 1);
    QVERIFY(help.endsWith(QLatin1Char('\n')));
}

void TestCli::version()
{
    const CliResult result = runCli({QStringLiteral("--version")});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.startsWith("qalam-cli ") && result.out.endsWith('\n'),
             result.out.constData());
    QVERIFY(result.out.trimmed().size() > QByteArray("qalam-cli ").size());
}

QALAM_TEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
