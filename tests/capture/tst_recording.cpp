// tst_recording: the recording format (lib/capture/Recording) and record -> replay.
//
// The round trip is exact to the byte and to the chunk; secrets never reach the file; damaged
// files are refused with the line that is wrong. Then the real thing: `qalam-cli record` against
// the demo server (with its split fault, so chunks end inside UTF-8 characters and between CR
// and LF), the demo server's --replay serving that file, and Qalam's own ChatStream reading the
// replay: the same answer text, byte for byte, and the same events as the live run; resume with
// Last-Event-ID through a replay cut by a fault.
#include "ChatTestSupport.h"
#include "ProcessRunner.h"
#include "capture/Recording.h"
#include "server/DemoServer.h"
#include "sse/SseConsumer.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qalam;
using namespace qalam::capture;
using qalam::server::DemoServer;

namespace {

class EventList final : public SseParser::Handler
{
public:
    QList<SseEvent> events;
    void onEvent(const SseEvent &event) override { events.append(event); }
};

QList<SseEvent> eventsOf(const QByteArray &body)
{
    EventList list;
    SseParser parser(list);
    parser.feed(body);
    return list.events;
}

Recording sample()
{
    Recording recording;
    recording.created = QDateTime(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC);
    recording.tool = QStringLiteral("qalam-cli test");
    recording.request.method = "POST";
    recording.request.url = QUrl(QStringLiteral("http://127.0.0.1:1/api/v1/stream/chat"));
    recording.request.protocol = QStringLiteral("admin");
    recording.request.body = QStringLiteral("{\"prompt\":\"مرحبا\"}").toUtf8();
    recording.response.status = 200;
    recording.response.reason = "OK";
    recording.response.headAtMs = 2;
    recording.response.headers = {{"Content-Type", "text/event-stream"}};
    const QByteArray arabic = QStringLiteral("مرحبا").toUtf8();
    recording.response.chunks = {
        {5, "event: delta\r"},                                             // CR ends the chunk
        {7, "\nid: s.1\r\ndata: {\"seq\":1,\"text\":\"" + arabic.left(3)}, // inside a letter
        {9, arabic.mid(3) + "\"}\r\n\r\n"},
        {12, QByteArray("\x00\xff binary", 9)}};
    recording.response.endedAtMs = 20;
    return recording;
}

} // namespace

class TestRecording : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripIsExact();
    void secretsAreRemoved();
    void damagedFilesAreRefused_data();
    void damagedFilesAreRefused();
    void promptOfEachProtocol();
    void recordThenReplay_data();
    void recordThenReplay();
    void replayResumesAfterACut();
    void serveRefusesWhatIsNotARecording();
};

void TestRecording::roundTripIsExact()
{
    const Recording recording = sample();
    const QByteArray file = recording.toJsonLines();
    // One line per item, each a JSON object a person can read: text stays text.
    QCOMPARE(file.count('\n'), 3 + recording.response.chunks.size() + 1);
    QVERIFY(file.contains("\"text\":\"event: delta\\r\""));
    QVERIFY(file.contains("\"base64\":")); // the chunk cut inside a letter, and the binary one
    QString error;
    const auto read = Recording::fromJsonLines(file, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->created, recording.created);
    QCOMPARE(read->request.body, recording.request.body);
    QCOMPARE(read->request.url, recording.request.url);
    QCOMPARE(read->response.status, 200);
    QCOMPARE(read->response.headers, recording.response.headers);
    QCOMPARE(read->response.chunks.size(), recording.response.chunks.size());
    for (qsizetype i = 0; i < recording.response.chunks.size(); ++i) {
        QCOMPARE(read->response.chunks[i].bytes, recording.response.chunks[i].bytes);
        QCOMPARE(read->response.chunks[i].atMs, recording.response.chunks[i].atMs);
    }
    QCOMPARE(read->response.endedAtMs, 20);
    QVERIFY(read->response.networkError.isEmpty());
    // Cut before its end line (the recorder was killed): read as a response that broke off.
    const QByteArray cut = file.left(file.lastIndexOf("{\"at_ms\":20"));
    const auto partial = Recording::fromJsonLines(cut, &error);
    QVERIFY2(partial, qPrintable(error));
    QVERIFY(!partial->response.networkError.isEmpty());
    QCOMPARE(partial->response.chunks.size(), recording.response.chunks.size());
}

void TestRecording::secretsAreRemoved()
{
    SseRequest request;
    request.method = "POST";
    request.url = QUrl(QStringLiteral("https://user:pw@api.example/v1?key=sk-secret&model=m"));
    request.headers = {{"Authorization", "Bearer sk-secret"},
                       {"X-Api-Key", "sk-secret"},
                       {"X-Custom-Token", "sk-secret"},
                       {"Content-Type", "application/json"}};
    request.secretHeaders = {"X-Custom-Token"};
    Recording recording;
    recording.request = Recording::redact(request, QStringLiteral("openai"));
    const QByteArray line = recording.requestLine();
    QVERIFY2(!line.contains("sk-secret"), line.constData());
    QVERIFY2(!line.contains("pw@"), line.constData());
    QVERIFY(line.contains("model=m"));
    QVERIFY(line.contains("application/json"));
    QCOMPARE(recording.request.headers.size(), 4);
}

void TestRecording::damagedFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("says");
    const QByteArray header = "{\"type\":\"recording\",\"version\":1}\n";
    const QByteArray request = "{\"type\":\"request\",\"method\":\"POST\",\"url\":\"http://h/\","
                               "\"headers\":[],\"body_text\":\"\"}\n";
    const QByteArray response =
        "{\"type\":\"response\",\"status\":200,\"headers\":[],\"at_ms\":1}\n";
    QTest::newRow("empty") << QByteArray() << QStringLiteral("not a Qalam recording");
    QTest::newRow("other JSON") << QByteArray("{\"a\":1}\n") << QStringLiteral("line 1");
    QTest::newRow("newer version")
        << QByteArray("{\"type\":\"recording\",\"version\":9}\n") << QStringLiteral("version 9");
    QTest::newRow("broken line") << header + request + "{\"type\":\"chunk\",\n"
                                 << QStringLiteral("line 3");
    QTest::newRow("chunk before response")
        << header + request + "{\"type\":\"chunk\",\"at_ms\":1,\"text\":\"x\"}\n"
        << QStringLiteral("line 3");
    QTest::newRow("time going back")
        << header + request + response + "{\"type\":\"chunk\",\"at_ms\":0,\"text\":\"x\"}\n"
        << QStringLiteral("line 4");
    QTest::newRow("bad base64") << header + request + response +
                                       "{\"type\":\"chunk\",\"at_ms\":5,\"base64\":\"@@\"}\n"
                                << QStringLiteral("line 4");
    QTest::newRow("no request") << header << QStringLiteral("no request");
}

void TestRecording::damagedFilesAreRefused()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, says);
    QString error;
    QVERIFY(!Recording::fromJsonLines(file, &error));
    QVERIFY2(error.contains(says), qPrintable(error));
}

void TestRecording::promptOfEachProtocol()
{
    RecordedRequest admin;
    admin.body = "{\"prompt\":\"hello\",\"messages\":[]}";
    QCOMPARE(admin.prompt(), QStringLiteral("hello"));
    RecordedRequest openAi;
    openAi.body = "{\"messages\":[{\"role\":\"user\",\"content\":\"first\"},{\"role\":"
                  "\"assistant\",\"content\":\"x\"},{\"role\":\"user\",\"content\":[{\"type\":"
                  "\"text\",\"text\":\"last\"}]}]}";
    QCOMPARE(openAi.prompt(), QStringLiteral("last"));
    RecordedRequest get;
    get.url = QUrl(QStringLiteral("http://h/s?prompt=%D9%85"));
    QCOMPARE(get.prompt(), QStringLiteral("م"));
}

void TestRecording::recordThenReplay_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("path"); // of the request, under the server's URL
    QTest::newRow("admin") << QStringLiteral("admin") << QStringLiteral("/api/v1/stream/chat");
    QTest::newRow("openai") << QStringLiteral("openai") << QStringLiteral("/v1");
}

void TestRecording::recordThenReplay()
{
    QFETCH(QString, protocol);
    QFETCH(QString, path);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("answer.jsonl"));
    const QString prompt = QStringLiteral("كيف يعمل البث؟ 🚀");

    // Live: the demo server, every event written in awkward pieces.
    DemoServer::Options live;
    live.tokensPerSecond = 400;
    live.firstTokenMs = 50;
    live.faults = QStringLiteral("split");
    DemoServer server(live);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const auto recorded = test::runProcess(
        QStringLiteral(QALAM_CLI_PATH),
        {QStringLiteral("record"), QStringLiteral("--url"), server.url().toString() + path,
         QStringLiteral("--protocol"), protocol, QStringLiteral("-o"), file, prompt});
    QVERIFY2(recorded.exitCode == 0, recorded.err.constData());
    QVERIFY(recorded.out.size() > 100);
    QString error;
    const auto recording = Recording::read(file, &error);
    QVERIFY2(recording, qPrintable(error));
    QVERIFY(recording->response.chunks.size() > 20);
    // Split inside UTF-8 and between CR and LF: chunks kept as they came, not re-cut.
    const bool cutInsideLetter = std::any_of(
        recording->response.chunks.cbegin(), recording->response.chunks.cend(),
        [](const CapturedChunk &c) { return QString::fromUtf8(c.bytes).toUtf8() != c.bytes; });
    QVERIFY(cutInsideLetter);
    const QList<SseEvent> liveEvents = eventsOf(recording->response.body());

    // Replay, as fast as possible, read by Qalam's own stream code.
    DemoServer::Options replayOptions;
    replayOptions.replayPath = file;
    replayOptions.replaySpeed = 0;
    DemoServer replay(replayOptions);
    QVERIFY2(replay.listen(), qPrintable(replay.errorString()));
    const auto kind = ChatProtocol::kindFromName(protocol);
    QVERIFY(kind);
    ChatStream stream(*kind);
    QList<SseEvent> replayedEvents;
    // The events as the consumer dispatched them: ChatStream's consumer is internal, so a
    // second, plain consumer reads the same replay.
    SseConsumer consumer;
    connect(&consumer, &SseConsumer::eventReceived, this,
            [&](const SseEvent &event) { replayedEvents.append(event); });
    const SseRequest raw = ChatProtocol::create(*kind)->buildRequest(
        test::chatRequest(QUrl(replay.url().toString() + path), prompt));
    QSignalSpy consumed(&consumer, &SseConsumer::finished);
    SseConsumer::Options once;
    once.maxReconnects = 0;
    consumer.setOptions(once);
    consumer.start(raw);
    QVERIFY(consumed.wait(30000));
    QCOMPARE(replayedEvents.size(), liveEvents.size());
    for (qsizetype i = 0; i < liveEvents.size(); ++i)
        QCOMPARE(replayedEvents[i], liveEvents[i]);

    const test::ChatRun run =
        test::runToEnd(stream, test::chatRequest(QUrl(replay.url().toString() + path), prompt));
    QVERIFY(run.finished);
    QCOMPARE(run.outcome, ChatStream::Outcome::Completed);
    QCOMPARE(run.text.toUtf8(), recorded.out); // byte-identical to what the live run printed
}

void TestRecording::replayResumesAfterACut()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("answer.jsonl"));
    DemoServer::Options live;
    live.tokensPerSecond = 600;
    live.firstTokenMs = 0;
    DemoServer server(live);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const auto recorded =
        test::runProcess(QStringLiteral(QALAM_CLI_PATH),
                         {QStringLiteral("record"), QStringLiteral("--url"),
                          server.url().toString() + QStringLiteral("/api/v1/stream/chat"),
                          QStringLiteral("--protocol"), QStringLiteral("admin"),
                          QStringLiteral("-o"), file, QStringLiteral("Resume me")});
    QVERIFY2(recorded.exitCode == 0, recorded.err.constData());

    // Every connection to the replay is cut after 12 events: the answer needs many resumes.
    DemoServer::Options replayOptions;
    replayOptions.replayPath = dir.path(); // a folder of recordings
    replayOptions.replaySpeed = 0;
    replayOptions.faults = QStringLiteral("close-after-events=12");
    DemoServer replay(replayOptions);
    QVERIFY2(replay.listen(), qPrintable(replay.errorString()));
    ChatStream stream(ChatProtocol::Kind::AdminStream);
    SseConsumer::Options options;
    options.maxReconnects = 1000;
    options.minRetryMs = 1;
    options.initialRetryMs = 1;
    options.maxRetryMs = 5; // the recording's own `retry: 2000` would make this test slow
    stream.setConsumerOptions(options);
    const test::ChatRun run = test::runToEnd(
        stream,
        test::chatRequest(QUrl(replay.url().toString() + QStringLiteral("/api/v1/stream/chat")),
                          QStringLiteral("Resume me")));
    QVERIFY(run.finished);
    QCOMPARE(run.outcome, ChatStream::Outcome::Completed);
    QVERIFY(run.reconnects > 3);
    QCOMPARE(run.text.toUtf8(), recorded.out); // nothing lost or repeated across the cuts
}

void TestRecording::serveRefusesWhatIsNotARecording()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile notes(dir.filePath(QStringLiteral("notes.jsonl")));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("{\"hello\":1}\n");
    notes.close();
    const auto served =
        test::runProcess(QStringLiteral(QALAM_CLI_PATH),
                         {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                          QStringLiteral("--replay"), dir.path()});
    QCOMPARE(served.exitCode, 1);
    QVERIFY2(served.err.contains("notes.jsonl: line 1"), served.err.constData());
    const auto badSpeed =
        test::runProcess(QStringLiteral(QALAM_CLI_PATH),
                         {QStringLiteral("serve"), QStringLiteral("--replay"), dir.path(),
                          QStringLiteral("--speed"), QStringLiteral("fast")});
    QCOMPARE(badSpeed.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestRecording)
#include "tst_recording.moc"
