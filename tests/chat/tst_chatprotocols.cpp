// The chat protocol adapters, event by event, without a network: requests they build and what
// each event (including every known server quirk) means for the answer.
#include "chat/AdminStreamProtocol.h"
#include "chat/OpenAiProtocol.h"
#include "sse/SseParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace qalam;

namespace {

SseEvent sseEvent(const QString &type, const QString &data, const QString &id = {})
{
    return SseEvent{type, data, id};
}

SseEvent message(const char *data)
{
    return sseEvent(QStringLiteral("message"), QString::fromUtf8(data));
}

QByteArray header(const SseRequest &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

ChatRequest sampleRequest()
{
    ChatRequest request;
    request.url = QUrl(QStringLiteral("http://127.0.0.1:8080/api/v1/stream/chat"));
    request.model = QStringLiteral("m1");
    request.apiKey = QStringLiteral("sk-secret");
    request.messages = {{ChatMessage::Role::System, QStringLiteral("Be brief.")},
                        {ChatMessage::Role::User, QStringLiteral("first")},
                        {ChatMessage::Role::Assistant, QStringLiteral("answer")},
                        {ChatMessage::Role::User, QStringLiteral("ما هو قلم؟")}};
    return request;
}

// Feeds a whole recorded stream through the real parser and an adapter.
class Pipeline : public SseParser::Handler
{
public:
    explicit Pipeline(ChatProtocol &protocol) : m_protocol(protocol) {}
    QString text;
    bool complete = false;
    std::optional<ChatError> error;
    std::optional<ChatUsage> usage;
    QString finishReason;

    void onEvent(const SseEvent &e) override
    {
        const ChatUpdate update = m_protocol.handleEvent(e);
        text += update.text;
        complete = complete || update.complete;
        if (update.error)
            error = update.error;
        if (update.usage)
            usage = update.usage;
        if (update.finishReason)
            finishReason = *update.finishReason;
    }

private:
    ChatProtocol &m_protocol;
};

} // namespace

class TestChatProtocols : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void adminRequest();
    void adminHappyPath();
    void adminReplayedDeltaIsDropped();
    void adminSkippedDeltaIsAnError();
    void adminDoneWithMissingDeltasIsAnError();
    void adminErrorEvent();
    void adminBadPayloads_data();
    void adminBadPayloads();
    void adminIgnoresPingAndUnknownEvents();
    void adminProgress();
    void adminResetStartsAfresh();
    void adminResumeContinuesFromTheFirstDeltaSeen();

    void openAiUrl_data();
    void openAiUrl();
    void openAiRequest();
    void openAiQuirkStream();
    void openAiMidStreamErrors_data();
    void openAiMidStreamErrors();
    void openAiMalformedChunk();
    void openAiReasoningKeptApart();
    void openAiOnlyFirstChoiceShown();
    void openAiWithoutDoneIsNotComplete();
};

void TestChatProtocols::adminRequest()
{
    AdminStreamProtocol protocol;
    const SseRequest request = protocol.buildRequest(sampleRequest());
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.url, sampleRequest().url);
    QCOMPARE(header(request, "Content-Type"), QByteArray("application/json"));
    QCOMPARE(header(request, "Authorization"), QByteArray("Bearer sk-secret"));
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    QCOMPARE(body.value(QLatin1String("prompt")).toString(), QStringLiteral("ما هو قلم؟"));
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("m1"));
    const QJsonArray messages = body.value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.size(), 4);
    QCOMPARE(messages.at(0).toObject().value(QLatin1String("role")).toString(),
             QStringLiteral("system"));
    QCOMPARE(messages.at(2).toObject().value(QLatin1String("role")).toString(),
             QStringLiteral("assistant"));
    QVERIFY(protocol.canResume());
}

void TestChatProtocols::adminHappyPath()
{
    AdminStreamProtocol protocol;
    ChatUpdate hello = protocol.handleEvent(
        sseEvent(QStringLiteral("hello"),
                 QStringLiteral(R"({"stream_id":"s-1","model":"qalam-demo","created":1})"),
                 QStringLiteral("s-1.0")));
    QCOMPARE(hello.model.value_or(QString()), QStringLiteral("qalam-demo"));
    QCOMPARE(protocol.streamId(), QStringLiteral("s-1"));
    QVERIFY(hello.text.isEmpty() && !hello.complete && !hello.error);

    QCOMPARE(protocol
                 .handleEvent(sseEvent(QStringLiteral("delta"),
                                       QStringLiteral(R"({"seq":1,"text":"مرحبا"})")))
                 .text,
             QStringLiteral("مرحبا"));
    QCOMPARE(protocol
                 .handleEvent(
                     sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":2,"text":" 👋"})")))
                 .text,
             QStringLiteral(" 👋"));
    const ChatUpdate done = protocol.handleEvent(sseEvent(
        QStringLiteral("done"),
        QStringLiteral(
            R"({"finish_reason":"length","deltas":2,"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})")));
    QVERIFY(done.complete);
    QVERIFY(!done.error);
    QCOMPARE(done.finishReason.value_or(QString()), QStringLiteral("length"));
    QVERIFY(done.usage);
    QCOMPARE(done.usage->promptTokens, 3);
    QCOMPARE(done.usage->completionTokens, 2);
    QCOMPARE(done.usage->totalTokens, 5);
}

void TestChatProtocols::adminReplayedDeltaIsDropped()
{
    AdminStreamProtocol protocol;
    protocol.handleEvent(
        sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":1,"text":"a"})")));
    protocol.handleEvent(
        sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":2,"text":"b"})")));
    const ChatUpdate replay = protocol.handleEvent(
        sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":2,"text":"b"})")));
    QVERIFY(replay.text.isEmpty());
    QVERIFY(!replay.error);
    QCOMPARE(protocol
                 .handleEvent(
                     sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":3,"text":"c"})")))
                 .text,
             QStringLiteral("c"));
}

void TestChatProtocols::adminSkippedDeltaIsAnError()
{
    AdminStreamProtocol protocol;
    protocol.handleEvent(
        sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":1,"text":"a"})")));
    const ChatUpdate gap = protocol.handleEvent(
        sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":4,"text":"d"})")));
    QVERIFY(gap.error);
    QCOMPARE(gap.error->code, QStringLiteral("gap"));
    QVERIFY(gap.error->message.contains(QLatin1String("2 to 3")));
    QVERIFY(gap.text.isEmpty());
}

void TestChatProtocols::adminDoneWithMissingDeltasIsAnError()
{
    AdminStreamProtocol protocol;
    protocol.handleEvent(
        sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":1,"text":"a"})")));
    const ChatUpdate done = protocol.handleEvent(
        sseEvent(QStringLiteral("done"), QStringLiteral(R"({"finish_reason":"stop","deltas":3})")));
    QVERIFY(!done.complete);
    QVERIFY(done.error);
    QCOMPARE(done.error->code, QStringLiteral("gap"));
}

void TestChatProtocols::adminErrorEvent()
{
    AdminStreamProtocol protocol;
    const ChatUpdate update = protocol.handleEvent(
        sseEvent(QStringLiteral("error"),
                 QStringLiteral(
                     R"({"code":"rate_limited","message":"Too many requests","retryable":true})")));
    QVERIFY(update.error);
    QCOMPARE(update.error->code, QStringLiteral("rate_limited"));
    QCOMPARE(update.error->message, QStringLiteral("Too many requests"));
    QVERIFY(!update.complete);

    const ChatUpdate bare =
        protocol.handleEvent(sseEvent(QStringLiteral("error"), QStringLiteral("{}")));
    QVERIFY(bare.error);
    QVERIFY(!bare.error->message.isEmpty());
}

void TestChatProtocols::adminBadPayloads_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("data");
    QTest::newRow("broken json") << QStringLiteral("delta")
                                 << QStringLiteral(R"({"seq":1,"text":"a")");
    QTest::newRow("not an object") << QStringLiteral("delta") << QStringLiteral(R"(["a"])");
    QTest::newRow("text not a string")
        << QStringLiteral("delta") << QStringLiteral(R"({"seq":1,"text":5})");
    QTest::newRow("no text") << QStringLiteral("delta") << QStringLiteral(R"({"seq":1})");
    QTest::newRow("done not json") << QStringLiteral("done") << QStringLiteral("finished");
}

void TestChatProtocols::adminBadPayloads()
{
    QFETCH(QString, type);
    QFETCH(QString, data);
    AdminStreamProtocol protocol;
    const ChatUpdate update = protocol.handleEvent(sseEvent(type, data, QStringLiteral("s.7")));
    QVERIFY(update.error);
    QCOMPARE(update.error->code, QStringLiteral("bad_payload"));
    QVERIFY2(update.error->message.contains(type) &&
                 update.error->message.contains(QLatin1String("s.7")),
             qPrintable(update.error->message));
    QVERIFY(!update.complete);
}

void TestChatProtocols::adminIgnoresPingAndUnknownEvents()
{
    AdminStreamProtocol protocol;
    for (const auto &e : {sseEvent(QStringLiteral("ping"), QStringLiteral(R"({"t":1})")),
                          sseEvent(QStringLiteral("ping"), QStringLiteral("not json")),
                          sseEvent(QStringLiteral("usage_report"), QStringLiteral("whatever")),
                          sseEvent(QStringLiteral("message"), QStringLiteral("{}"))}) {
        const ChatUpdate update = protocol.handleEvent(e);
        QVERIFY(update.text.isEmpty() && !update.error && !update.complete && !update.progress);
    }
}

void TestChatProtocols::adminProgress()
{
    AdminStreamProtocol protocol;
    const ChatUpdate update = protocol.handleEvent(sseEvent(
        QStringLiteral("progress"),
        QStringLiteral(
            R"({"stage":"retrieval","message":"Searching the knowledge base","percent":40})")));
    QCOMPARE(update.progress.value_or(QString()), QStringLiteral("Searching the knowledge base"));
    QCOMPARE(update.progressPercent, 40);
    const ChatUpdate stageOnly = protocol.handleEvent(
        sseEvent(QStringLiteral("progress"), QStringLiteral(R"({"stage":"thinking"})")));
    QCOMPARE(stageOnly.progress.value_or(QString()), QStringLiteral("thinking"));
    QCOMPARE(stageOnly.progressPercent, -1);
}

void TestChatProtocols::adminResetStartsAfresh()
{
    AdminStreamProtocol protocol;
    protocol.handleEvent(
        sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":1,"text":"a"})")));
    protocol.reset();
    QCOMPARE(protocol
                 .handleEvent(
                     sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":1,"text":"b"})")))
                 .text,
             QStringLiteral("b"));
}

void TestChatProtocols::adminResumeContinuesFromTheFirstDeltaSeen()
{
    // Resuming a saved answer: the caller holds deltas 1-6; the server continues with 7.
    AdminStreamProtocol protocol;
    protocol.prepareResume();
    QCOMPARE(protocol
                 .handleEvent(
                     sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":7,"text":"g"})")))
                 .text,
             QStringLiteral("g"));
    const ChatUpdate gap = protocol.handleEvent(
        sseEvent(QStringLiteral("delta"), QStringLiteral(R"({"seq":9,"text":"i"})")));
    QVERIFY(gap.error); // only the first delta after a resume sets the point; gaps after it count
    const ChatUpdate done =
        protocol.handleEvent(sseEvent(QStringLiteral("done"), QStringLiteral(R"({"deltas":7})")));
    QVERIFY(done.complete);
}

void TestChatProtocols::openAiUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("expected");
    QTest::newRow("base") << QStringLiteral("http://h:11434/v1")
                          << QStringLiteral("http://h:11434/v1/chat/completions");
    QTest::newRow("slash") << QStringLiteral("http://h/v1/")
                           << QStringLiteral("http://h/v1/chat/completions");
    QTest::newRow("full") << QStringLiteral("https://openrouter.ai/api/v1/chat/completions")
                          << QStringLiteral("https://openrouter.ai/api/v1/chat/completions");
    QTest::newRow("root") << QStringLiteral("http://h:8000")
                          << QStringLiteral("http://h:8000/chat/completions");
}

void TestChatProtocols::openAiUrl()
{
    QFETCH(QString, base);
    QFETCH(QString, expected);
    QCOMPARE(OpenAiProtocol::completionsUrl(QUrl(base)).toString(), expected);
}

void TestChatProtocols::openAiRequest()
{
    OpenAiProtocol protocol;
    ChatRequest chat = sampleRequest();
    chat.url = QUrl(QStringLiteral("http://127.0.0.1:1/v1"));
    const SseRequest request = protocol.buildRequest(chat);
    QCOMPARE(request.url.path(), QStringLiteral("/v1/chat/completions"));
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(header(request, "Authorization"), QByteArray("Bearer sk-secret"));
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    QCOMPARE(body.value(QLatin1String("stream")).toBool(), true);
    QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("m1"));
    QCOMPARE(body.value(QLatin1String("stream_options"))
                 .toObject()
                 .value(QLatin1String("include_usage"))
                 .toBool(),
             true);
    QCOMPARE(body.value(QLatin1String("messages")).toArray().size(), 4);
    QVERIFY(!protocol.canResume());

    chat.includeUsage = false;
    chat.apiKey.clear();
    const SseRequest plain = protocol.buildRequest(chat);
    QVERIFY(
        !QJsonDocument::fromJson(plain.body).object().contains(QLatin1String("stream_options")));
    QVERIFY(header(plain, "Authorization").isEmpty());
}

void TestChatProtocols::openAiQuirkStream()
{
    // Every quirk of the notes in one stream: keep-alive comments, a first chunk with empty
    // choices, the role chunk, content null (llama.cpp), Arabic split over chunks, the finish
    // chunk, the usage chunk with empty choices, [DONE].
    const QByteArray stream =
        ": OPENROUTER PROCESSING\n\n"
        "data: "
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[]}\n\n"
        "data: "
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"
        "\"\"},\"finish_reason\":null}]}\n\n"
        "data: "
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":null},\"finish_reason\":"
        "null}]}\n\n"
        ": OPENROUTER PROCESSING\n\n"
        "data: "
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xD9\x85\xD8\xB1\"}}]}"
        "\n\n"
        "data: "
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
        "\"\xD8\xAD\xD8\xA8\xD8\xA7 \\\"Qalam\\\"\\n\"}}]}\n\n"
        "data: "
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
        "data: "
        "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":22,\"completion_tokens\":17,"
        "\"total_tokens\":39}}\n\n"
        "data: [DONE]\n\n";
    OpenAiProtocol protocol;
    Pipeline pipeline(protocol);
    SseParser parser(pipeline);
    for (char c : stream)
        parser.feed(QByteArrayView(&c, 1));
    QCOMPARE(pipeline.text,
             QString::fromUtf8("\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \"Qalam\"\n"));
    QVERIFY(pipeline.complete);
    QVERIFY(!pipeline.error);
    QCOMPARE(pipeline.finishReason, QStringLiteral("stop"));
    QVERIFY(pipeline.usage);
    QCOMPARE(pipeline.usage->totalTokens, 39);
}

void TestChatProtocols::openAiMidStreamErrors_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("expectedMessage");
    QTest::newRow("openai error object")
        << QStringLiteral("message")
        << QStringLiteral(
               R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})")
        << QStringLiteral("Rate limit reached");
    QTest::newRow("openrouter error with finish_reason")
        << QStringLiteral("message")
        << QStringLiteral(
               R"({"id":"x","error":{"code":502,"message":"Provider disconnected"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]})")
        << QStringLiteral("Provider disconnected");
    QTest::newRow("vllm object error")
        << QStringLiteral("message")
        << QStringLiteral(
               R"({"object":"error","message":"max tokens exceeded","type":"BadRequestError","code":400})")
        << QStringLiteral("max tokens exceeded");
    QTest::newRow("string error") << QStringLiteral("message")
                                  << QStringLiteral(R"({"error":"model not loaded"})")
                                  << QStringLiteral("model not loaded");
    QTest::newRow("named error event")
        << QStringLiteral("error") << QStringLiteral(R"({"message":"upstream timeout"})")
        << QStringLiteral("upstream timeout");
    QTest::newRow("finish_reason error")
        << QStringLiteral("message")
        << QStringLiteral(R"({"choices":[{"index":0,"delta":{},"finish_reason":"error"}]})")
        << QStringLiteral("the model stopped with an error");
    // Found by fuzz_openaiprotocol: an empty report still says something in the chat window.
    QTest::newRow("empty error event")
        << QStringLiteral("error") << QString()
        << QStringLiteral("the server reported an error without a message");
    QTest::newRow("empty error string")
        << QStringLiteral("message") << QStringLiteral(R"({"error":""})")
        << QStringLiteral("the server reported an error without a message");
}

void TestChatProtocols::openAiMidStreamErrors()
{
    QFETCH(QString, type);
    QFETCH(QString, data);
    QFETCH(QString, expectedMessage);
    OpenAiProtocol protocol;
    QCOMPARE(
        protocol.handleEvent(message(R"({"choices":[{"index":0,"delta":{"content":"Hi"}}]})")).text,
        QStringLiteral("Hi"));
    const ChatUpdate update = protocol.handleEvent(sseEvent(type, data));
    QVERIFY(update.error);
    QCOMPARE(update.error->message, expectedMessage);
    QVERIFY(!update.error->code.isEmpty());
    QVERIFY(!update.complete);
}

void TestChatProtocols::openAiMalformedChunk()
{
    OpenAiProtocol protocol;
    const ChatUpdate update =
        protocol.handleEvent(message("{\"choices\":[{\"delta\":{\"content\":\"a\"}"));
    QVERIFY(update.error);
    QCOMPARE(update.error->code, QStringLiteral("bad_payload"));
    QVERIFY(update.text.isEmpty());
}

void TestChatProtocols::openAiReasoningKeptApart()
{
    OpenAiProtocol protocol;
    const ChatUpdate update = protocol.handleEvent(message(
        R"({"choices":[{"index":0,"delta":{"content":null,"reasoning_content":"Let me think"}}]})"));
    QCOMPARE(update.reasoning, QStringLiteral("Let me think"));
    QVERIFY(update.text.isEmpty());
}

void TestChatProtocols::openAiOnlyFirstChoiceShown()
{
    OpenAiProtocol protocol;
    const ChatUpdate update = protocol.handleEvent(message(
        R"({"choices":[{"index":1,"delta":{"content":"other"}},{"index":0,"delta":{"content":"main"}}]})"));
    QCOMPARE(update.text, QStringLiteral("main"));
}

void TestChatProtocols::openAiWithoutDoneIsNotComplete()
{
    // finish_reason alone does not complete the answer: only [DONE] says the stream is whole.
    OpenAiProtocol protocol;
    const ChatUpdate finish = protocol.handleEvent(
        message(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"));
    QVERIFY(!finish.complete);
    QCOMPARE(finish.finishReason.value_or(QString()), QStringLiteral("stop"));
    const ChatUpdate done = protocol.handleEvent(message("[DONE]"));
    QVERIFY(done.complete);
    QCOMPARE(done.finishReason.value_or(QString()), QStringLiteral("stop"));
}

QTEST_GUILESS_MAIN(TestChatProtocols)
#include "tst_chatprotocols.moc"
