// ChatStream against real local servers: admin streams that complete, resume after being cut at
// every event boundary and inside events, replay or skip deltas; OpenAI streams with every known
// quirk, cut before [DONE], with mid-stream and HTTP errors; cancel(). In every scenario the
// outcome is reported exactly once: each test waits until the stream has nothing left that could
// act (waitUntilIdle, tests/common/NetworkIdle.h) before it counts outcomes, requests and
// reconnections, never for a fixed time.
#include "ChatTestSupport.h"
#include "NetworkIdle.h"
#include "ScriptedServer.h"
#include "chat/ChatStream.h"

#include <QNetworkAccessManager>
#include <QTest>

using namespace qalam;
using namespace qalam::test;

namespace {

constexpr int kTimeoutMs = 15000;

SseConsumer::Options fastOptions(int maxReconnects = 5)
{
    SseConsumer::Options options;
    options.maxReconnects = maxReconnects;
    options.minRetryMs = 1;
    options.initialRetryMs = 5;
    options.maxRetryMs = 50;
    options.stallTimeoutMs = 20000;
    return options;
}

// One admin stream event, as docs/protocol.md writes it.
struct AdminEvent
{
    QByteArray id;
    QByteArray bytes;
};

const QStringList &answerDeltas()
{
    static const QStringList deltas{QStringLiteral("مرحبا"),        QStringLiteral(" بك"),
                                    QStringLiteral(" 👋🏽"),    QStringLiteral(" in"),
                                    QStringLiteral(" \"Qalam\"\n"), QStringLiteral("— done!")};
    return deltas;
}

QString fullAnswer()
{
    return answerDeltas().join(QString());
}

// A JSON string literal (the answers here need only quotes, backslashes and newlines escaped).
QByteArray jsonString(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    utf8.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    return '"' + utf8 + '"';
}

// hello, a ping after the second delta, the deltas, done.
QList<AdminEvent> adminEvents(const QStringList &deltas = answerDeltas())
{
    QList<AdminEvent> events;
    int n = 0;
    const auto add = [&](const QByteArray &type, const QByteArray &data) {
        const QByteArray id = "s-1." + QByteArray::number(n++);
        events.append({id, "event: " + type + "\nid: " + id + "\ndata: " + data + "\n\n"});
    };
    add("hello", R"({"stream_id":"s-1","model":"qalam-demo","created":1764075600})");
    for (int i = 0; i < deltas.size(); ++i) {
        add("delta",
            "{\"seq\":" + QByteArray::number(i + 1) + ",\"text\":" + jsonString(deltas[i]) + '}');
        if (i == 1)
            add("ping", R"({"t":1764075620123})");
    }
    add("done", R"({"finish_reason":"stop","deltas":)" + QByteArray::number(deltas.size()) +
                    R"(,"usage":{"prompt_tokens":3,"completion_tokens":6,"total_tokens":9}})");
    return events;
}

const QByteArray kPreamble = "retry: 5\n\n";

QByteArray join(const QList<AdminEvent> &events, qsizetype from = 0)
{
    QByteArray out;
    for (qsizetype i = from; i < events.size(); ++i)
        out += events[i].bytes;
    return out;
}

// Index of the first event after the client's Last-Event-ID (0 for a fresh request).
qsizetype resumeIndex(const QList<AdminEvent> &events, const RecordedRequest &request)
{
    const QByteArray last = request.header("Last-Event-ID");
    if (last.isEmpty())
        return 0;
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (events[i].id == last)
            return i + 1;
    }
    return -1;
}

// Serves the admin stream; a resumed request gets every event after its Last-Event-ID.
Script serveAdmin(const QList<AdminEvent> &events, const RecordedRequest &request)
{
    const qsizetype from = resumeIndex(events, request);
    if (from < 0) {
        return Script::eventStream("event: error\nid: x\ndata: "
                                   "{\"code\":\"unknown_stream\",\"message\":\"unknown id\"}\n\n");
    }
    return Script::eventStream().writeInPieces(
        (from == 0 ? kPreamble : QByteArray()) + join(events, from), 9);
}

QByteArray openAiChunk(const QByteArray &choices, const QByteArray &extra = {})
{
    return R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1753357673,"model":"m","choices":)" +
           choices + extra + "}\n\n";
}

QByteArray openAiDelta(const QByteArray &delta, const QByteArray &finish = "null")
{
    return openAiChunk(R"([{"index":0,"delta":)" + delta + R"(,"finish_reason":)" + finish + "}]");
}

// Every quirk: keep-alive comments, a first chunk with empty choices, the role chunk, content
// null, reasoning, text split across writes, finish_reason, the usage chunk, [DONE].
QByteArray openAiQuirkStream(bool withDone = true)
{
    QByteArray out = ": OPENROUTER PROCESSING\n\n";
    out += openAiChunk("[]");
    out += openAiDelta(R"({"role":"assistant","content":""})");
    out += openAiDelta(R"({"content":null})");
    out += openAiDelta(R"({"reasoning_content":"thinking…"})");
    out += ": OPENROUTER PROCESSING\n\n";
    out += openAiDelta(R"({"content":"The"})");
    out += openAiDelta(R"({"content":" answer: مرحبا 🌍"})");
    out += openAiDelta(R"({"content":" \"quoted\"\nline"})");
    out += openAiDelta(R"({})", R"("stop")");
    out += openAiChunk("[]",
                       R"(,"usage":{"prompt_tokens":22,"completion_tokens":17,"total_tokens":39})");
    if (withDone)
        out += "data: [DONE]\n\n";
    return out;
}

const QString kOpenAiText = QStringLiteral("The answer: مرحبا 🌍 \"quoted\"\nline");

} // namespace

class TestChatStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void adminCompletes();
    void adminResumesAfterCut_data();
    void adminResumesAfterCut();
    void adminOneEventPerConnection();
    void adminReplayedDeltaNotDuplicated();
    void adminSkippedDeltaFails();
    void adminErrorEventFails();
    void adminEndWithoutDoneNoResume();
    void adminResumeKeepsFailing();
    void adminCommentKeepAlivesIgnored();
    void adminStallResumes();
    void adminResumeRefusedIsInterrupted();
    void adminServerReplaysWholeStream();
    void adminServerStartsNewAnswerOnResume();
    void adminResumeFromSavedId();
    void openAiQuirksComplete();
    void openAiCutBeforeDoneIsInterrupted();
    void openAiMidStreamErrorFails_data();
    void openAiMidStreamErrorFails();
    void openAiHttp401Fails();
    void cancelIsReportedOnce();
    void cancelFromTextSlot();
};

void TestChatStream::adminCompletes()
{
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &r, int) { return serveAdmin(events, r); });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    ChatRequest request =
        chatRequest(server.url(QStringLiteral("/api/v1/stream/chat")), QStringLiteral("Say hello"));
    request.apiKey = QStringLiteral("tok");
    stream.start(request);
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));

    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Completed});
    QCOMPARE(rec.messages.first(), QString());
    QCOMPARE(rec.text, fullAnswer());
    QCOMPARE(stream.text(), fullAnswer());
    QCOMPARE(rec.deltas, answerDeltas().size());
    QCOMPARE(stream.phase(), ChatStream::Phase::Finished);

    const ChatMetrics metrics = stream.metrics();
    QCOMPARE(metrics.finishReason, QStringLiteral("stop"));
    QCOMPARE(metrics.usage.promptTokens, 3);
    QCOMPARE(metrics.usage.completionTokens, 6);
    QCOMPARE(metrics.usage.totalTokens, 9);
    QCOMPARE(metrics.model, QStringLiteral("qalam-demo"));
    QCOMPARE(metrics.characters, qint64(fullAnswer().toUcs4().size()));
    QCOMPARE(metrics.reconnects, 0);
    QVERIFY(metrics.timeToFirstTokenMs >= 0);
    QVERIFY(metrics.bytes > 0);

    QCOMPARE(server.requests().size(), 1);
    const RecordedRequest &seen = server.requests().first();
    QCOMPARE(seen.method, QByteArray("POST"));
    QCOMPARE(seen.header("Authorization"), QByteArray("Bearer tok"));
    QCOMPARE(seen.header("Content-Type"), QByteArray("application/json"));
    QVERIFY(seen.body.contains("\"prompt\":\"Say hello\""));
}

void TestChatStream::adminResumesAfterCut_data()
{
    QTest::addColumn<int>("cut");
    const QList<AdminEvent> events = adminEvents();
    QList<int> cuts;
    qsizetype offset = kPreamble.size();
    cuts << 1 << int(offset); // inside the retry line, right after it
    for (const AdminEvent &event : events) {
        const qsizetype end = offset + event.bytes.size();
        cuts << int(offset + 1) << int(offset + event.bytes.size() / 2) << int(end - 1);
        if (&event != &events.last())
            cuts << int(end); // a boundary (after the last one the answer is already done)
        offset = end;
    }
    for (const int cut : std::as_const(cuts))
        QTest::addRow("cut at byte %d", cut) << cut;
}

void TestChatStream::adminResumesAfterCut()
{
    QFETCH(int, cut);
    const QList<AdminEvent> events = adminEvents();
    const QByteArray whole = kPreamble + join(events);
    ScriptedServer server([&](const RecordedRequest &r, int index) {
        if (index == 0) // the first connection drops after `cut` bytes, in the middle of anything
            return Script::eventStream().writeInPieces(whole.first(cut), 11);
        return serveAdmin(events, r);
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));

    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Completed});
    QCOMPARE(rec.text, fullAnswer());
    QCOMPARE(stream.text(), fullAnswer());
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(rec.reconnects, 1);
    QCOMPARE(stream.metrics().reconnects, 1);
    QCOMPARE(stream.metrics().usage.totalTokens, 9);
    // The resumed request is the same request, plus the id of the last whole event received.
    QCOMPARE(server.requests().at(1).body, server.requests().at(0).body);
    QCOMPARE(server.requests().at(1).method, QByteArray("POST"));
}

void TestChatStream::adminOneEventPerConnection()
{
    // Every connection delivers one more event and is cut: many drops, each after progress.
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &r, int) {
        const qsizetype from = resumeIndex(events, r);
        return Script::eventStream(kPreamble + events.value(from).bytes);
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions(2));
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Completed});
    QCOMPARE(rec.text, fullAnswer());
    QCOMPARE(server.requests().size(), events.size());
    QCOMPARE(stream.metrics().reconnects, int(events.size() - 1));
}

void TestChatStream::adminReplayedDeltaNotDuplicated()
{
    // The resumed connection starts two events before the client's Last-Event-ID.
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &r, int index) {
        if (index == 0)
            return Script::eventStream(kPreamble + events[0].bytes + events[1].bytes +
                                       events[2].bytes + events[3].bytes +
                                       events[4].bytes); // up to seq 3
        return Script::eventStream(
            join(events, std::max<qsizetype>(0, resumeIndex(events, r) - 2)));
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(server.requests().at(1).header("Last-Event-ID"), events[4].id);
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Completed});
    QCOMPARE(rec.text, fullAnswer());
    QCOMPARE(rec.deltas, answerDeltas().size());
}

void TestChatStream::adminSkippedDeltaFails()
{
    // The resumed connection skips one delta (seq 3).
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &r, int index) {
        if (index == 0)
            return Script::eventStream(kPreamble + join(events.first(4))); // hello, 1, 2, ping
        return Script::eventStream(join(events, resumeIndex(events, r) + 1));
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Failed});
    QVERIFY2(rec.messages.first().contains(QLatin1String("gap")) ||
                 rec.messages.first().contains(QLatin1String("skipped")),
             qPrintable(rec.messages.first()));
    const QString kept = answerDeltas()[0] + answerDeltas()[1];
    QCOMPARE(rec.text, kept);
    QCOMPARE(stream.text(), kept);
    QCOMPARE(server.requests().size(), 2);
}

void TestChatStream::adminErrorEventFails()
{
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::eventStream(kPreamble + join(events.first(2)) +
                                   "event: error\nid: s-1.2\ndata: "
                                   "{\"code\":\"generation_failed\",\"message\":\"the model "
                                   "crashed\",\"retryable\":false}\n\n");
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Failed});
    QVERIFY2(rec.messages.first().contains(QLatin1String("the model crashed")),
             qPrintable(rec.messages.first()));
    QCOMPARE(rec.text, answerDeltas()[0]);
    QCOMPARE(server.requests().size(), 1); // a terminal error is not resumed
}

void TestChatStream::adminEndWithoutDoneNoResume()
{
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::eventStream(kPreamble + join(events.first(3)));
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions(0));
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Interrupted});
    QVERIFY(!rec.messages.first().isEmpty());
    const QString kept = answerDeltas()[0] + answerDeltas()[1];
    QCOMPARE(rec.text, kept);
    QCOMPARE(stream.text(), kept);
    QCOMPARE(server.requests().size(), 1);
}

void TestChatStream::adminResumeKeepsFailing()
{
    // Resumes that bring nothing new use up the budget: Interrupted, never Completed.
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &, int index) {
        if (index == 0)
            return Script::eventStream(kPreamble + join(events.first(3)));
        return Script::eventStream(": nothing\n\n");
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions(2));
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Interrupted});
    QCOMPARE(rec.text, answerDeltas()[0] + answerDeltas()[1]);
    QCOMPARE(server.requests().size(), 3);
    QCOMPARE(rec.reconnects, 2);
}

void TestChatStream::adminCommentKeepAlivesIgnored()
{
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &, int) {
        Script script = Script::eventStream(kPreamble);
        for (const AdminEvent &event : events) {
            script.write(": keep-alive\n\n");
            script.write(event.bytes);
        }
        return script;
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Completed});
    QCOMPARE(rec.text, fullAnswer());
    QCOMPARE(rec.reconnects, 0);
    QCOMPARE(server.requests().size(), 1);
}

void TestChatStream::adminStallResumes()
{
    // The first connection goes silent mid-answer; the stall timer drops it and resumes.
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &r, int index) {
        if (index == 0)
            return Script::eventStream(kPreamble + join(events.first(3))).stall();
        return serveAdmin(events, r);
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    SseConsumer::Options options = fastOptions();
    options.stallTimeoutMs = 300;
    stream.setConsumerOptions(options);
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Completed});
    QCOMPARE(rec.text, fullAnswer());
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(server.requests().at(1).header("Last-Event-ID"), events[2].id);
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kTimeoutMs);
}

void TestChatStream::adminResumeRefusedIsInterrupted()
{
    // The resume is answered with an HTTP error: the text so far stays, and is not "Completed".
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &, int index) {
        if (index == 0)
            return Script::eventStream(kPreamble + join(events.first(3)));
        return Script()
            .write(Script::head(404, {"Content-Type: application/json", "Connection: close"}))
            .write(R"({"error":{"code":"unknown_stream","message":"stream expired"}})");
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Interrupted});
    QVERIFY2(rec.messages.first().contains(QLatin1String("stream expired")),
             qPrintable(rec.messages.first()));
    QCOMPARE(rec.text, answerDeltas()[0] + answerDeltas()[1]);
    QCOMPARE(server.requests().size(), 2);
}

void TestChatStream::adminServerReplaysWholeStream()
{
    // A server that ignores Last-Event-ID but replays the same stream: the seq numbers keep
    // the text whole, with nothing repeated.
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &, int index) {
        if (index == 0)
            return Script::eventStream(kPreamble + join(events.first(5)));
        return Script::eventStream(kPreamble + join(events));
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Completed});
    QCOMPARE(rec.text, fullAnswer());
    QCOMPARE(server.requests().size(), 2);
}

void TestChatStream::adminServerStartsNewAnswerOnResume()
{
    // A server that ignores Last-Event-ID and starts another answer (a new stream id): splicing
    // its deltas onto the first answer's would be wrong text reported as complete.
    const QList<AdminEvent> first = adminEvents();
    QList<AdminEvent> other = adminEvents({QStringLiteral("Something"), QStringLiteral(" else"),
                                           QStringLiteral(" entirely"), QStringLiteral("!")});
    for (AdminEvent &event : other)
        event.bytes.replace("s-1", "s-2");
    ScriptedServer server([&](const RecordedRequest &, int index) {
        if (index == 0)
            return Script::eventStream(kPreamble + join(first.first(3)));
        return Script::eventStream(kPreamble + join(other));
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QVERIFY(rec.outcomes.first() != ChatStream::Outcome::Completed);
    QCOMPARE(rec.outcomes.size(), 1);
    QCOMPARE(server.requests().size(), 2);
    QCOMPARE(rec.text, answerDeltas()[0] + answerDeltas()[1]);
    QVERIFY2(rec.messages.first().contains(QLatin1String("s-2")), qPrintable(rec.messages.first()));
}

void TestChatStream::adminResumeFromSavedId()
{
    // resume(): a later run continues from a saved id; only the rest of the answer is new.
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &r, int) { return serveAdmin(events, r); });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.resume(chatRequest(server.url()), QString::fromLatin1(events[3].id)); // after seq 2
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().header("Last-Event-ID"), events[3].id);
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Completed});
    QCOMPARE(rec.text, answerDeltas().mid(2).join(QString()));
}

void TestChatStream::openAiQuirksComplete()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream().writeInPieces(openAiQuirkStream(), 13);
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::OpenAi, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    ChatRequest request = chatRequest(server.url(QStringLiteral("/v1")));
    request.apiKey = QStringLiteral("sk-test");
    stream.start(request);
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));

    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Completed});
    QCOMPARE(rec.text, kOpenAiText);
    QCOMPARE(rec.reasoning, QStringLiteral("thinking…"));
    const ChatMetrics metrics = stream.metrics();
    QCOMPARE(metrics.usage.promptTokens, 22);
    QCOMPARE(metrics.usage.completionTokens, 17);
    QCOMPARE(metrics.usage.totalTokens, 39);
    QCOMPARE(metrics.finishReason, QStringLiteral("stop"));
    QCOMPARE(metrics.model, QStringLiteral("m"));

    QCOMPARE(server.requests().size(), 1);
    const RecordedRequest &seen = server.requests().first();
    QCOMPARE(seen.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(seen.header("Authorization"), QByteArray("Bearer sk-test"));
    QVERIFY(seen.body.contains("\"stream\":true"));
}

void TestChatStream::openAiCutBeforeDoneIsInterrupted()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream().writeInPieces(openAiQuirkStream(false), 13);
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::OpenAi, &network);
    stream.setConsumerOptions(fastOptions(5)); // a budget the protocol must not use
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url(QStringLiteral("/v1"))));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Interrupted});
    QVERIFY2(rec.messages.first().contains(QLatin1String("[DONE]")),
             qPrintable(rec.messages.first()));
    QCOMPARE(rec.text, kOpenAiText);
    QCOMPARE(stream.text(), kOpenAiText);
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(rec.reconnects, 0);
}

void TestChatStream::openAiMidStreamErrorFails_data()
{
    QTest::addColumn<QByteArray>("errorChunk");
    QTest::addColumn<QString>("message");
    QTest::newRow("openrouter error object")
        << QByteArray(
               R"(data: {"id":"c","object":"chat.completion.chunk","error":{"code":502,"message":"upstream overloaded"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]})"
               "\n\n")
        << QStringLiteral("upstream overloaded");
    QTest::newRow("vllm object error")
        << QByteArray("data: {\"object\":\"error\",\"message\":\"out of KV "
                      "cache\",\"type\":\"InternalServerError\",\"code\":500}\n\n")
        << QStringLiteral("out of KV cache");
    QTest::newRow("named error event")
        << QByteArray("event: error\ndata: {\"message\":\"context too long\"}\n\n")
        << QStringLiteral("context too long");
}

void TestChatStream::openAiMidStreamErrorFails()
{
    QFETCH(QByteArray, errorChunk);
    QFETCH(QString, message);
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::eventStream(openAiDelta(R"({"role":"assistant","content":"Par"})") +
                                   openAiDelta(R"({"content":"tial"})") + errorChunk);
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::OpenAi, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url(QStringLiteral("/v1"))));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Failed});
    QVERIFY2(rec.messages.first().contains(message), qPrintable(rec.messages.first()));
    QCOMPARE(rec.text, QStringLiteral("Partial"));
    QCOMPARE(server.requests().size(), 1);
}

void TestChatStream::openAiHttp401Fails()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script()
            .write(Script::head(401, {"Content-Type: application/json", "Connection: close"}))
            .write(
                R"({"error":{"message":"Incorrect API key provided: sk-wr***ng.","type":"invalid_request_error","code":"invalid_api_key"}})");
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::OpenAi, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    ChatRequest request = chatRequest(server.url(QStringLiteral("/v1")));
    request.apiKey = QStringLiteral("sk-wrong");
    stream.start(request);
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Failed});
    QVERIFY2(rec.messages.first().contains(QLatin1String("Incorrect API key provided")),
             qPrintable(rec.messages.first()));
    QVERIFY(rec.text.isEmpty());
    QCOMPARE(server.requests().size(), 1);
}

void TestChatStream::cancelIsReportedOnce()
{
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::eventStream(kPreamble + join(events.first(3))).stall();
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.deltas, 2, kTimeoutMs);
    QCOMPARE(rec.outcomes.size(), 0);
    stream.cancel();
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Cancelled});
    stream.cancel();
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes.size(), 1);
    QCOMPARE(rec.reconnects, 0);
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(rec.text, answerDeltas()[0] + answerDeltas()[1]);
    QCOMPARE(stream.phase(), ChatStream::Phase::Finished);
}

void TestChatStream::cancelFromTextSlot()
{
    const QList<AdminEvent> events = adminEvents();
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::eventStream(kPreamble + join(events)); // everything in one write
    });
    QNetworkAccessManager network;
    ChatStream stream(ChatProtocol::Kind::AdminStream, &network);
    stream.setConsumerOptions(fastOptions());
    ChatRecorder rec(stream);
    connect(&stream, &ChatStream::textReceived, &stream, [&stream] { stream.cancel(); });
    stream.start(chatRequest(server.url()));
    QTRY_COMPARE_WITH_TIMEOUT(rec.outcomes.size(), 1, kTimeoutMs);
    QVERIFY(waitUntilIdle(network, stream, &server, kTimeoutMs));
    QCOMPARE(rec.outcomes, QList{ChatStream::Outcome::Cancelled});
    QCOMPARE(rec.text, answerDeltas()[0]);
    QCOMPARE(rec.reconnects, 0);
    QCOMPARE(server.requests().size(), 1);
}

QTEST_GUILESS_MAIN(TestChatStream)
#include "tst_chatstream.moc"
