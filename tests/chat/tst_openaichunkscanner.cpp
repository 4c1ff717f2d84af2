// OpenAiChunkScanner against the QJsonDocument path it stands in for: on a corpus of chunks (the
// common shape of every known server, and every unusual shape the scanner must leave alone),
// OpenAiProtocol gives the same update with the scanner on and off, event after event, and the
// scanner takes exactly the chunks it is meant to. tests/fuzz/fuzz_openaichunkscanner does the
// same on arbitrary input.
#include "chat/OpenAiChunkScanner.h"
#include "chat/OpenAiProtocol.h"

#include <QTest>

using namespace qalam;

namespace {

// Everything an update says, comparable, with "absent" and "empty" kept apart.
QString describe(const ChatUpdate &u)
{
    const auto optional = [](const std::optional<QString> &value) {
        return value ? QStringLiteral("[") + *value + QStringLiteral("]") : QStringLiteral("none");
    };
    QString usage = QStringLiteral("none");
    if (u.usage)
        usage = QStringLiteral("%1/%2/%3")
                    .arg(u.usage->promptTokens)
                    .arg(u.usage->completionTokens)
                    .arg(u.usage->totalTokens);
    return QStringLiteral("text=[%1] reasoning=[%2] model=%3 progress=%4/%5 usage=%6 finish=%7 "
                          "complete=%8 error=%9")
        .arg(u.text, u.reasoning, optional(u.model), optional(u.progress))
        .arg(u.progressPercent)
        .arg(usage, optional(u.finishReason))
        .arg(u.complete)
        .arg(u.error ? u.error->code + QLatin1Char('|') + u.error->message
                     : QStringLiteral("none"));
}

SseEvent message(const QString &data)
{
    return SseEvent{QStringLiteral("message"), data, {}};
}

const QString kPrefix = QStringLiteral(
    R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764028801,"model":"gpt-4o-mini","system_fingerprint":"fp_1","choices":[)");

QString chunk(const QString &choice, const QString &tail = QStringLiteral(R"(,"usage":null})"))
{
    return kPrefix + choice + QLatin1Char(']') + tail;
}

QString contentChoice(const QString &contentJson, const QString &finish = QStringLiteral("null"))
{
    return QStringLiteral(
               R"({"index":0,"delta":{"content":%1},"logprobs":null,"finish_reason":%2})")
        .arg(contentJson, finish);
}

} // namespace

class TestOpenAiChunkScanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameUpdateAsQJsonDocument_data();
    void sameUpdateAsQJsonDocument();
    void chunkSequencesLikeQJsonDocument_data();
    void chunkSequencesLikeQJsonDocument();
    void finishReasonCarriesOverToDone();
    void modelIsSharedBetweenChunks();
};

void TestOpenAiChunkScanner::sameUpdateAsQJsonDocument_data()
{
    QTest::addColumn<QString>("data");
    QTest::addColumn<bool>("scanned"); // the scanner takes it (else QJsonDocument does)

    // The common shapes: OpenAI, OpenRouter, vLLM, llama.cpp, Ollama /v1, DeepSeek, Groq.
    QTest::newRow("openai role chunk")
        << chunk(QStringLiteral(
               R"({"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null})"))
        << true;
    QTest::newRow("openai content") << chunk(contentChoice(QStringLiteral(R"("Hello")"))) << true;
    QTest::newRow("arabic and emoji")
        << chunk(contentChoice(QStringLiteral(R"("مرحبا بالعالم 🌙👋🏽")")))
        << true;
    QTest::newRow("long ascii content")
        << chunk(
               contentChoice(QLatin1Char('"') + QString(300, QLatin1Char('x')) + QLatin1Char('"')))
        << true;
    QTest::newRow("escapes") << chunk(contentChoice(QStringLiteral(R"("a\"b\\c\/d\n\r\t\b\f")")))
                             << true;
    QTest::newRow("unicode escapes")
        << chunk(contentChoice(QStringLiteral(
               R"("\u0645\u0631\u062D\u0628\u0627 \u00e9\u0000\u001b\u009b\u2028")")))
        << true;
    QTest::newRow("finish stop")
        << chunk(QStringLiteral(R"({"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"})"))
        << true;
    QTest::newRow("finish error") << chunk(QStringLiteral(
                                         R"({"index":0,"delta":{},"finish_reason":"error"})"))
                                  << true;
    QTest::newRow("content null") << chunk(contentChoice(QStringLiteral("null"))) << true;
    QTest::newRow("empty choices, usage null") << chunk(QString()) << true;
    QTest::newRow("no usage key") << chunk(contentChoice(QStringLiteral(R"("x")")),
                                           QStringLiteral("}"))
                                  << true;
    QTest::newRow("reasoning_content (DeepSeek)")
        << chunk(QStringLiteral(
               R"({"index":0,"delta":{"content":null,"reasoning_content":"think"},"finish_reason":null})"))
        << true;
    QTest::newRow("reasoning (OpenRouter), both, order of keys")
        << chunk(QStringLiteral(
               R"({"index":0,"delta":{"reasoning":"B","content":"c","reasoning_content":"A"},"finish_reason":null})"))
        << true;
    QTest::newRow("second choice ignored")
        << chunk(contentChoice(QStringLiteral(R"("zero")")) +
                 QStringLiteral(R"(,{"index":1,"delta":{"content":"one"},"finish_reason":"stop"})"))
        << true;
    QTest::newRow("index 1 before index 0")
        << chunk(QStringLiteral(
                     R"({"index":1,"delta":{"content":"one"},"finish_reason":"length"},)") +
                 contentChoice(QStringLiteral(R"("zero")")))
        << true;
    QTest::newRow("white space everywhere")
        << QStringLiteral(" \n{ \"object\" : \"chat.completion.chunk\" ,\r\n\t\"choices\" : [ { "
                          "\"index\" : 0 , \"delta\" : { \"content\" : \"x\" } , "
                          "\"finish_reason\" : null } ] , \"usage\" : null } \n")
        << true;
    QTest::newRow("ollama shape")
        << QStringLiteral(
               R"({"id":"chatcmpl-42","object":"chat.completion.chunk","created":1,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]})")
        << true;
    QTest::newRow("llama.cpp shape (no object order, timings)")
        << QStringLiteral(
               R"({"choices":[{"finish_reason":null,"index":0,"delta":{"content":" there"}}],"created":1,"id":"chatcmpl-x","model":"gpt-3.5-turbo","system_fingerprint":"b1-abc","object":"chat.completion.chunk","timings":{"prompt_n":1,"predicted_ms":12.5,"nested":[1,2,{"a":[true,false,null]}]}})")
        << true;
    QTest::newRow("obfuscation and service tier")
        << chunk(contentChoice(QStringLiteral(R"("x")")),
                 QStringLiteral(
                     R"(,"usage":null,"service_tier":"default","obfuscation":"a8Z\u00e9"})"))
        << true;
    QTest::newRow("model null")
        << QStringLiteral(R"({"model":null,"choices":[{"index":0,"delta":{"content":"x"}}]})")
        << true;
    QTest::newRow("empty model")
        << QStringLiteral(R"({"model":"","choices":[{"index":0,"delta":{"content":"x"}}]})")
        << true;
    QTest::newRow("no model, no object")
        << QStringLiteral(R"({"choices":[{"index":0,"delta":{"content":"x"}}]})") << true;
    QTest::newRow("empty object") << QStringLiteral("{}") << true;
    QTest::newRow("unknown delta keys")
        << chunk(QStringLiteral(
               R"({"index":0,"delta":{"content":"x","refusal":null,"audio":{"id":"a"},"annotations":[]},"finish_reason":null})"))
        << true;
    QTest::newRow("logprobs object")
        << chunk(QStringLiteral(
               R"({"index":0,"delta":{"content":"x"},"logprobs":{"content":[{"token":"x","logprob":-0.25,"bytes":[120],"top_logprobs":[]}]},"finish_reason":null})"))
        << true;
    QTest::newRow("U+FEFF inside a string")
        << chunk(contentChoice(QString(QStringLiteral("\"x") + QChar(0xFEFF) + QLatin1Char('"'))))
        << true;
    QTest::newRow("raw DEL and C1 and non-characters")
        << chunk(contentChoice(QString(QLatin1Char('"') + QChar(0x7F) + QChar(0x85) + QChar(0x9B) +
                                       QChar(0xFFFE) + QChar(0xFDD0) + QChar(0xFFFD) +
                                       QLatin1Char('"'))))
        << true;

    // Left to QJsonDocument: errors, usage, tool calls, and anything the scanner is not sure of.
    QTest::newRow("error object")
        << QStringLiteral(
               R"({"error":{"message":"Rate limit","type":"requests","code":"rate_limit_exceeded"}})")
        << false;
    QTest::newRow("error after choices")
        << chunk(contentChoice(QStringLiteral(R"("x")")),
                 QStringLiteral(R"(,"error":{"message":"upstream","code":502}})"))
        << false;
    QTest::newRow("error null") << chunk(contentChoice(QStringLiteral(R"("x")")),
                                         QStringLiteral(R"(,"error":null})"))
                                << false;
    QTest::newRow("error string") << QStringLiteral(R"({"error":"boom"})") << false;
    QTest::newRow("vllm object error")
        << QStringLiteral(
               R"({"object":"error","message":"bad","type":"BadRequestError","code":400})")
        << false;
    QTest::newRow("other object")
        << QStringLiteral(
               R"({"object":"chat.completion","choices":[{"index":0,"delta":{"content":"x"}}]})")
        << false;
    QTest::newRow("usage object")
        << chunk(QString(),
                 QStringLiteral(
                     R"(,"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}})"))
        << false;
    QTest::newRow("tool calls")
        << chunk(QStringLiteral(
               R"({"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":null})"))
        << false;
    QTest::newRow("function call")
        << chunk(QStringLiteral(
               R"({"index":0,"delta":{"function_call":{"name":"f"}},"finish_reason":null})"))
        << false;
    QTest::newRow("escape in a key")
        << chunk(QStringLiteral(R"({"index":0,"delta":{"cont\u0065nt":"x"},"finish_reason":null})"))
        << false;
    QTest::newRow("escape in an ignored key")
        << chunk(contentChoice(QStringLiteral(R"("x")")), QStringLiteral(R"(,"us\u0061ge":null})"))
        << false;
    QTest::newRow("surrogate pair escape")
        << chunk(contentChoice(QStringLiteral(R"("\ud83c\udf0d")"))) << false;
    QTest::newRow("lone surrogate escape")
        << chunk(contentChoice(QStringLiteral(R"("end \ud83c")"))) << false;
    QTest::newRow("lone low surrogate escape")
        << chunk(contentChoice(QStringLiteral(R"("\udf0d.")"))) << false;
    QTest::newRow("raw lone surrogate")
        << chunk(contentChoice(QString(QLatin1Char('"') + QChar(0xD83C) + QStringLiteral("x\""))))
        << false;
    QTest::newRow("raw lone low surrogate")
        << chunk(contentChoice(QString(QLatin1Char('"') + QChar(0xDF0D) + QLatin1Char('"'))))
        << false;
    QTest::newRow("string opening with U+FEFF") // QJsonDocument drops it: its behaviour stands
        << chunk(contentChoice(QString(QLatin1Char('"') + QChar(0xFEFF) + QStringLiteral(" x\""))))
        << false;
    QTest::newRow("key opening with U+FEFF")
        << QString(QStringLiteral("{\"") + QChar(0xFEFF) +
                   QStringLiteral(R"(model":"m","choices":[]})"))
        << false;
    QTest::newRow("raw control in a string")
        << chunk(contentChoice(QStringLiteral("\"a\tb\""))) << false;
    QTest::newRow("duplicate content")
        << chunk(QStringLiteral(R"({"index":0,"delta":{"content":"a","content":"b"}})")) << false;
    QTest::newRow("duplicate choices")
        << QStringLiteral(
               R"({"choices":[{"index":0,"delta":{"content":"a"}}],"choices":[{"index":0,"delta":{"content":"b"}}]})")
        << false;
    QTest::newRow("duplicate model")
        << QStringLiteral(R"({"model":"a","model":"b","choices":[]})") << false;
    QTest::newRow("duplicate finish_reason")
        << chunk(QStringLiteral(
               R"({"index":0,"delta":{},"finish_reason":"stop","finish_reason":null})"))
        << false;
    QTest::newRow("duplicate index")
        << chunk(QStringLiteral(R"({"index":1,"index":0,"delta":{"content":"a"}})")) << false;
    QTest::newRow("two first choices")
        << chunk(contentChoice(QStringLiteral(R"("a")")) + QLatin1Char(',') +
                 contentChoice(QStringLiteral(R"("b")")))
        << false;
    QTest::newRow("missing index")
        << QStringLiteral(R"({"choices":[{"delta":{"content":"x"}}]})") << false;
    QTest::newRow("index as string")
        << QStringLiteral(R"({"choices":[{"index":"0","delta":{"content":"x"}}]})") << false;
    QTest::newRow("index 0.0") << QStringLiteral(
                                      R"({"choices":[{"index":0.0,"delta":{"content":"x"}}]})")
                               << false;
    QTest::newRow("index with exponent")
        << QStringLiteral(R"({"choices":[{"index":0e0,"delta":{"content":"x"}}]})") << false;
    QTest::newRow("negative index")
        << QStringLiteral(R"({"choices":[{"index":-1,"delta":{"content":"x"}}]})") << false;
    QTest::newRow("content a number") << chunk(contentChoice(QStringLiteral("42"))) << false;
    QTest::newRow("delta null")
        << QStringLiteral(R"({"choices":[{"index":0,"delta":null,"finish_reason":"stop"}]})")
        << false;
    QTest::newRow("choices not an array") << QStringLiteral(R"({"choices":{"index":0}})") << false;
    QTest::newRow("finish reason with an escape")
        << chunk(QStringLiteral(R"({"index":0,"delta":{},"finish_reason":"st\u006fp"})")) << false;
    QTest::newRow("model with an escape")
        << QStringLiteral(R"({"model":"gpt\/4","choices":[]})") << false;
    QTest::newRow("big number") << chunk(contentChoice(QStringLiteral(R"("x")")),
                                         QStringLiteral(R"(,"created":12345678901234567890})"))
                                << false;
    QTest::newRow("exponent") << chunk(contentChoice(QStringLiteral(R"("x")")),
                                       QStringLiteral(R"(,"created":1e400})"))
                              << false;
    QTest::newRow("leading zero") << chunk(contentChoice(QStringLiteral(R"("x")")),
                                           QStringLiteral(R"(,"created":01})"))
                                  << false;
    QTest::newRow("deep nesting") << chunk(contentChoice(QStringLiteral(R"("x")")),
                                           QStringLiteral(R"(,"x":)") +
                                               QString(40, QLatin1Char('[')) +
                                               QString(40, QLatin1Char(']')) + QLatin1Char('}'))
                                  << false;

    // Not JSON at all, or not an object: the error text is QJsonDocument's.
    QTest::newRow("trailing garbage")
        << chunk(contentChoice(QStringLiteral(R"("x")"))) + u'x' << false;
    QTest::newRow("two objects") << QStringLiteral("{}{}") << false;
    QTest::newRow("truncated") << chunk(contentChoice(QStringLiteral(R"("x")"))).chopped(3)
                               << false;
    QTest::newRow("trailing comma")
        << QStringLiteral(R"({"choices":[{"index":0,"delta":{"content":"x"},}]})") << false;
    QTest::newRow("single quotes") << QStringLiteral("{'choices':[]}") << false;
    QTest::newRow("array") << QStringLiteral("[1]") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("bad escape") << chunk(contentChoice(QStringLiteral(R"("\x41")"))) << false;
    QTest::newRow("short unicode escape")
        << chunk(contentChoice(QStringLiteral(R"("\u12")"))) << false;
    QTest::newRow("TRUE") << chunk(contentChoice(QStringLiteral(R"("x")")),
                                   QStringLiteral(R"(,"flag":TRUE})"))
                          << false;
    QTest::newRow("byte order mark") << QString(QChar(0xFEFF) + QStringLiteral("{}")) << false;
    QTest::newRow("not json") << QStringLiteral("Internal Server Error") << false;
}

void TestOpenAiChunkScanner::sameUpdateAsQJsonDocument()
{
    QFETCH(QString, data);
    QFETCH(bool, scanned);

    OpenAiChunkScanner::Chunk chunk;
    QCOMPARE(OpenAiChunkScanner::scanChunk(data, chunk), scanned);

    OpenAiProtocol fast;
    OpenAiProtocol general;
    general.setChunkScannerEnabled(false);
    const SseEvent event = message(data);
    const QString expected = describe(general.handleEvent(event));
    QCOMPARE(describe(fast.handleEvent(event)), expected);
    // The state the chunk left behind (the finish reason [DONE] reports) is the same too.
    const SseEvent done = message(QStringLiteral("[DONE]"));
    QCOMPARE(describe(fast.handleEvent(done)), describe(general.handleEvent(done)));
}

void TestOpenAiChunkScanner::chunkSequencesLikeQJsonDocument_data()
{
    // The scanner remembers the text around the last chunk's content string and, when the next
    // chunk differs only in that string, reads the string alone: sequences where it must and
    // must not.
    QTest::addColumn<QStringList>("chunks");
    const QString other = QStringLiteral(
        R"({"id":"chatcmpl-2","object":"chat.completion.chunk","created":1764028802,"model":"gpt-4o","choices":[)");
    QTest::newRow("one answer") << QStringList{
        chunk(QStringLiteral(
            R"({"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null})")),
        chunk(contentChoice(QStringLiteral(R"("Hello")"))),
        chunk(contentChoice(QStringLiteral(R"(" world")"))),
        chunk(contentChoice(QStringLiteral(R"("")"))),
        chunk(contentChoice(QStringLiteral(R"(" \"q\"\n\u0645 🌙")"))),
        chunk(contentChoice(QStringLiteral(R"("\ud83c\udf0d")"))), // left to QJsonDocument
        chunk(contentChoice(QStringLiteral(R"("after")"))),
        chunk(contentChoice(QString(QLatin1Char('"') + QChar(0xFEFF) + QStringLiteral("bom\"")))),
        chunk(contentChoice(QString(QLatin1Char('"') + QChar(0xD83C) + QLatin1Char('"')))),
        chunk(contentChoice(QStringLiteral("null"))),
        chunk(contentChoice(QStringLiteral("42"))),
        chunk(contentChoice(QStringLiteral(R"("x")"))),
        chunk(contentChoice(QStringLiteral(R"("x" )"))),
        chunk(contentChoice(QStringLiteral(R"("unterminated)"))),
        chunk(contentChoice(QStringLiteral(R"("two" "strings")"))),
        chunk(contentChoice(QStringLiteral(R"("x")"))) + QStringLiteral("x"),
        chunk(contentChoice(QStringLiteral(R"("y")"), QStringLiteral(R"("stop")"))),
        chunk(contentChoice(QStringLiteral(R"("z")"))),
        chunk(QStringLiteral(R"({"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"})")),
        chunk(QString(),
              QStringLiteral(
                  R"(,"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}})")),
        other + contentChoice(QStringLiteral(R"("next answer")")) + QStringLiteral("]}"),
        other + contentChoice(QStringLiteral(R"("same around it")")) + QStringLiteral("]}"),
    };
    QTest::newRow("text around it that matters") << QStringList{
        // The index comes after the delta: whether the text counts is decided after it.
        QStringLiteral(R"({"choices":[{"delta":{"content":"a"},"index":1}]})"),
        QStringLiteral(R"({"choices":[{"delta":{"content":"b"},"index":1}]})"),
        QStringLiteral(R"({"choices":[{"delta":{"content":"c"},"index":0}]})"),
        QStringLiteral(R"({"choices":[{"delta":{"content":"d"},"index":0}]})"),
        // The finish reason before the delta, the model after the choices.
        QStringLiteral(
            R"({"choices":[{"finish_reason":"length","index":0,"delta":{"content":"e"}}],"model":"m2"})"),
        QStringLiteral(
            R"({"choices":[{"finish_reason":"length","index":0,"delta":{"content":"f"}}],"model":"m2"})"),
        QStringLiteral(
            R"({"choices":[{"finish_reason":"length","index":0,"delta":{"content":"g"}}],"model":"m3"})"),
        // Reasoning around the content is part of the text around it.
        QStringLiteral(R"({"choices":[{"index":0,"delta":{"reasoning":"r1","content":"h"}}]})"),
        QStringLiteral(R"({"choices":[{"index":0,"delta":{"reasoning":"r1","content":"i"}}]})"),
        QStringLiteral(R"({"choices":[{"index":0,"delta":{"reasoning":"r2","content":"j"}}]})"),
        // A duplicate key after the content: still refused when the rest repeats.
        QStringLiteral(R"({"choices":[{"index":0,"delta":{"content":"k","content":"l"}}]})"),
        QStringLiteral(R"({"choices":[{"index":0,"delta":{"content":"m","content":"l"}}]})"),
        // A different model in the text before is a different text before.
        QStringLiteral(R"({"model":"a","choices":[{"index":0,"delta":{"content":"n"}}]})"),
        QStringLiteral(R"({"model":"b","choices":[{"index":0,"delta":{"content":"o"}}]})"),
        QStringLiteral(R"({"model":"b","choices":[{"index":0,"delta":{"content":"p"}}]})"),
    };
}

void TestOpenAiChunkScanner::chunkSequencesLikeQJsonDocument()
{
    QFETCH(QStringList, chunks);
    OpenAiProtocol fast;
    OpenAiProtocol general;
    general.setChunkScannerEnabled(false);
    for (const QString &data : chunks) {
        const SseEvent event = message(data);
        QCOMPARE(describe(fast.handleEvent(event)), describe(general.handleEvent(event)));
    }
    const SseEvent done = message(QStringLiteral("[DONE]"));
    QCOMPARE(describe(fast.handleEvent(done)), describe(general.handleEvent(done)));
}

void TestOpenAiChunkScanner::finishReasonCarriesOverToDone()
{
    OpenAiProtocol protocol;
    const ChatUpdate text =
        protocol.handleEvent(message(chunk(contentChoice(QStringLiteral(R"("Hi")")))));
    QCOMPARE(text.text, QStringLiteral("Hi"));
    QCOMPARE(text.model, QStringLiteral("gpt-4o-mini"));
    QVERIFY(!text.finishReason);
    const ChatUpdate finish = protocol.handleEvent(
        message(chunk(QStringLiteral(R"({"index":0,"delta":{},"finish_reason":"length"})"))));
    QCOMPARE(finish.finishReason, QStringLiteral("length"));
    const ChatUpdate done = protocol.handleEvent(message(QStringLiteral(" [DONE]\n")));
    QVERIFY(done.complete);
    QCOMPARE(done.finishReason, QStringLiteral("length"));
    protocol.reset();
    QVERIFY(!protocol.handleEvent(message(QStringLiteral("[DONE]"))).finishReason);
}

void TestOpenAiChunkScanner::modelIsSharedBetweenChunks()
{
    // The model name is the same in every chunk: it is not copied again each time.
    OpenAiProtocol protocol;
    const ChatUpdate first =
        protocol.handleEvent(message(chunk(contentChoice(QStringLiteral(R"("a")")))));
    const ChatUpdate second =
        protocol.handleEvent(message(chunk(contentChoice(QStringLiteral(R"("b")")))));
    QVERIFY(first.model && second.model);
    QCOMPARE(*second.model, QStringLiteral("gpt-4o-mini"));
    QCOMPARE(second.model->constData(), first.model->constData());
    const ChatUpdate other = protocol.handleEvent(message(
        QStringLiteral(R"({"model":"other","choices":[{"index":0,"delta":{"content":"c"}}]})")));
    QCOMPARE(other.model, QStringLiteral("other"));
}

QTEST_GUILESS_MAIN(TestOpenAiChunkScanner)
#include "tst_openaichunkscanner.moc"
