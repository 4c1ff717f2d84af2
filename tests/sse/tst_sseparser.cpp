// SseParser against the WHATWG event-stream rules. Every case is parsed whole, byte by byte and
// in many random chunkings, and must give the same events each time.
#include "sse/SseParser.h"
#include "sse/Utf8Decoder.h"

#include <QRandomGenerator>
#include <QTest>

using namespace qalam;

namespace {

// Records everything the parser reports as readable lines, so a case's expectation is a list.
class Recorder : public SseParser::Handler
{
public:
    QStringList log;
    QList<SseEvent> events;
    int haltAfterEvents = -1;
    SseParser *parser = nullptr;

    void onEvent(const SseEvent &event) override
    {
        events.append(event);
        log.append(QStringLiteral("%1|%2|%3").arg(event.type, event.data, event.lastEventId));
        if (haltAfterEvents > 0 && events.size() == haltAfterEvents)
            parser->halt();
    }
    void onComment(QStringView text) override
    {
        log.append(QStringLiteral("comment:") + text.toString());
    }
    void onRetry(qint64 ms) override { log.append(QStringLiteral("retry:%1").arg(ms)); }
};

QStringList parseChunks(const QList<QByteArray> &chunks)
{
    Recorder recorder;
    SseParser parser(recorder);
    for (const QByteArray &chunk : chunks)
        parser.feed(chunk);
    parser.endOfStream();
    return recorder.log;
}

QList<QByteArray> byteByByte(const QByteArray &input)
{
    QList<QByteArray> chunks;
    for (char c : input)
        chunks.append(QByteArray(1, c));
    return chunks;
}

QList<QByteArray> randomChunks(const QByteArray &input, quint32 seed)
{
    QRandomGenerator random(seed);
    QList<QByteArray> chunks;
    for (qsizetype i = 0; i < input.size();) {
        // Empty chunks too: a network read can return nothing.
        const qsizetype size = random.bounded(0, 8);
        chunks.append(input.mid(i, size));
        i += size;
    }
    return chunks;
}

QString u(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void spec_data();
    void spec();
    void crlfSplitAcrossChunksIsOneLineEnd();
    void bomSplitAcrossChunksAndAfterEmptyChunk();
    void onlyOneBomIsStripped();
    void codePointSplitAcrossChunksComesOutWhole();
    void lastEventIdPersistsAcrossEndOfStream();
    void endOfStreamDiscardsPartialEventAndAllowsNewBom();
    void resetForgetsEverything();
    void seededLastEventId();
    void lineLimit();
    void lineLimitWhenLineArrivesInPieces();
    void eventLimit();
    void limitErrorStopsParsing();
    void oneEventAcrossManyChunksStaysLinear();
    void manyLoneCrLinesInOneChunkStayLinear();
    void haltStopsTheCurrentFeed();
    void utf8DecoderFollowsWhatwg_data();
    void utf8DecoderFollowsWhatwg();
    void utf8DecoderAgreesWithQtOnValidText();
};

void TestSseParser::spec_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");

    const QString message = QStringLiteral("message");
    auto ev = [&](const QString &data, const QString &id = {},
                  const QString &type = QStringLiteral("message")) {
        return QStringLiteral("%1|%2|%3").arg(type, data, id);
    };
    Q_UNUSED(message);

    QTest::newRow("lf") << QByteArray("data: hello\n\n")
                        << QStringList{ev(QStringLiteral("hello"))};
    QTest::newRow("crlf") << QByteArray("data: hello\r\n\r\n")
                          << QStringList{ev(QStringLiteral("hello"))};
    QTest::newRow("lone cr") << QByteArray("data: a\r\rdata: b\r\r")
                             << QStringList{ev(QStringLiteral("a")), ev(QStringLiteral("b"))};
    QTest::newRow("mixed endings") << QByteArray("data: a\r\ndata: b\rdata: c\n\r\n")
                                   << QStringList{ev(QStringLiteral("a\nb\nc"))};
    QTest::newRow("data lines joined") << QByteArray("data: a\ndata: b\ndata: c\n\n")
                                       << QStringList{ev(QStringLiteral("a\nb\nc"))};
    QTest::newRow("no space after colon")
        << QByteArray("data:a\n\n") << QStringList{ev(QStringLiteral("a"))};
    QTest::newRow("only one space removed")
        << QByteArray("data:   a\n\n") << QStringList{ev(QStringLiteral("  a"))};
    QTest::newRow("tab is not a space")
        << QByteArray("data:\ta\n\n") << QStringList{ev(QStringLiteral("\ta"))};
    QTest::newRow("colon in value")
        << QByteArray("data: a: b\n\n") << QStringList{ev(QStringLiteral("a: b"))};
    QTest::newRow("field without colon") << QByteArray("data\n\n") << QStringList{ev(QString())};
    QTest::newRow("empty data dispatches") << QByteArray("data:\n\n") << QStringList{ev(QString())};
    QTest::newRow("two empty data lines")
        << QByteArray("data\ndata\n\n") << QStringList{ev(QStringLiteral("\n"))};
    QTest::newRow("trailing newline in data kept but last")
        << QByteArray("data: a\ndata:\n\n") << QStringList{ev(QStringLiteral("a\n"))};
    QTest::newRow("event type") << QByteArray("event: add\ndata: x\n\ndata: y\n\n")
                                << QStringList{ev(QStringLiteral("x"), {}, QStringLiteral("add")),
                                               ev(QStringLiteral("y"))};
    QTest::newRow("empty event type is message")
        << QByteArray("event:\ndata: x\n\n") << QStringList{ev(QStringLiteral("x"))};
    QTest::newRow("event without data is not dispatched and type resets")
        << QByteArray("event: foo\n\ndata: x\n\n") << QStringList{ev(QStringLiteral("x"))};
    QTest::newRow("comment") << QByteArray(": keep-alive\n:\n:  two\n")
                             << QStringList{QStringLiteral("comment:keep-alive"),
                                            QStringLiteral("comment:"),
                                            QStringLiteral("comment: two")};
    QTest::newRow("comment inside event")
        << QByteArray("data: a\n: hi\ndata: b\n\n")
        << QStringList{QStringLiteral("comment:hi"), ev(QStringLiteral("a\nb"))};
    QTest::newRow("id") << QByteArray("id: 1\ndata: a\n\ndata: b\n\n")
                        << QStringList{ev(QStringLiteral("a"), QStringLiteral("1")),
                                       ev(QStringLiteral("b"), QStringLiteral("1"))};
    QTest::newRow("id reset by empty id")
        << QByteArray("id: 1\ndata: a\n\nid\ndata: b\n\n")
        << QStringList{ev(QStringLiteral("a"), QStringLiteral("1")), ev(QStringLiteral("b"))};
    QTest::newRow("id with NUL ignored")
        << QByteArray("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n", 32)
        << QStringList{ev(QStringLiteral("a"), QStringLiteral("1")),
                       ev(QStringLiteral("b"), QStringLiteral("1"))};
    QTest::newRow("id set by event without data")
        << QByteArray("id: 7\n\ndata: x\n\n")
        << QStringList{ev(QStringLiteral("x"), QStringLiteral("7"))};
    QTest::newRow("id applies at dispatch, whatever its position")
        << QByteArray("data: x\nid: 3\n\n")
        << QStringList{ev(QStringLiteral("x"), QStringLiteral("3"))};
    QTest::newRow("non-ascii id") << QByteArray("id: \xD9\xA1\xD9\xA2\ndata: x\n\n")
                                  << QStringList{ev(QStringLiteral("x"), u("\xD9\xA1\xD9\xA2"))};
    QTest::newRow("retry") << QByteArray("retry: 1500\n")
                           << QStringList{QStringLiteral("retry:1500")};
    QTest::newRow("retry zero") << QByteArray("retry: 0\n")
                                << QStringList{QStringLiteral("retry:0")};
    QTest::newRow("retry not digits")
        << QByteArray("retry: 15a0\nretry: -1\nretry:\nretry: 1.5\nretry:  5\n") << QStringList{};
    QTest::newRow("retry saturates") << QByteArray("retry: 99999999999999999999999\n")
                                     << QStringList{QStringLiteral("retry:9223372036854775807")};
    QTest::newRow("retry alone does not dispatch")
        << QByteArray("retry: 10\n\n") << QStringList{QStringLiteral("retry:10")};
    QTest::newRow("unknown fields ignored")
        << QByteArray("foo: bar\nDATA: no\nData: no\ndata: x\n\n")
        << QStringList{ev(QStringLiteral("x"))};
    QTest::newRow("bom stripped") << QByteArray("\xEF\xBB\xBF"
                                                "data: x\n\n")
                                  << QStringList{ev(QStringLiteral("x"))};
    QTest::newRow("bom inside data kept") << QByteArray("data: \xEF\xBB\xBFx\n\n")
                                          << QStringList{ev(QChar(0xFEFF) + QStringLiteral("x"))};
    QTest::newRow("arabic and emoji")
        << QByteArray("data: \xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xF0\x9F\x91\x8B\n\n")
        << QStringList{ev(u("\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xF0\x9F\x91\x8B"))};
    QTest::newRow("invalid byte") << QByteArray("data: a\xFF"
                                                "b\n\n")
                                  << QStringList{ev(u("a\xEF\xBF\xBD"
                                                      "b"))};
    QTest::newRow("truncated sequence is one replacement") << QByteArray("data: \xE2\x82"
                                                                         "A\n\n")
                                                           << QStringList{ev(u("\xEF\xBF\xBD"
                                                                               "A"))};
    QTest::newRow("truncated sequence at line end")
        << QByteArray("data: \xF0\x9F\x98\ndata: x\n\n") << QStringList{ev(u("\xEF\xBF\xBD\nx"))};
    QTest::newRow("U+2028 NEL VT FF are not line ends") << QByteArray("data: a\xE2\x80\xA8"
                                                                      "b\xC2\x85"
                                                                      "c\x0B"
                                                                      "d\x0C"
                                                                      "e\n\n")
                                                        << QStringList{ev(u("a\xE2\x80\xA8"
                                                                            "b\xC2\x85"
                                                                            "c\x0B"
                                                                            "d\x0C"
                                                                            "e"))};
    QTest::newRow("unterminated last event discarded")
        << QByteArray("data: a\n\ndata: b\n") << QStringList{ev(QStringLiteral("a"))};
    QTest::newRow("unterminated last line discarded") << QByteArray("data: a") << QStringList{};
    QTest::newRow("blank lines alone") << QByteArray("\n\n\r\n\r") << QStringList{};
    QTest::newRow("openai chunk")
        << QByteArray("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n")
        << QStringList{ev(QStringLiteral("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}")),
                       ev(QStringLiteral("[DONE]"))};
    QTest::newRow("admin stream")
        << QByteArray("retry: 2000\n\nevent: hello\nid: s.0\ndata: {}\n\n"
                      ": ping\n\nevent: delta\nid: s.1\ndata: {\"seq\":1}\n\n")
        << QStringList{
               QStringLiteral("retry:2000"),
               ev(QStringLiteral("{}"), QStringLiteral("s.0"), QStringLiteral("hello")),
               QStringLiteral("comment:ping"),
               ev(QStringLiteral("{\"seq\":1}"), QStringLiteral("s.1"), QStringLiteral("delta"))};
}

void TestSseParser::spec()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);

    QCOMPARE(parseChunks({input}), expected);
    QCOMPARE(parseChunks(byteByByte(input)), expected);
    for (quint32 seed = 1; seed <= 64; ++seed) {
        const QStringList got = parseChunks(randomChunks(input, seed));
        if (got != expected)
            QFAIL(qPrintable(QStringLiteral("random chunking with seed %1 differs").arg(seed)));
    }
}

void TestSseParser::crlfSplitAcrossChunksIsOneLineEnd()
{
    // A CR at the end of a chunk followed by LF in the next is one line end, not a blank line:
    // a parser that forgets would dispatch "a" and "b" separately.
    QCOMPARE(parseChunks({"data: a\r", "\ndata: b\r", "\n\r", "\n"}),
             QStringList{QStringLiteral("message|a\nb|")});
    // And a lone CR at a chunk's end followed by another line is still a line end.
    QCOMPARE(parseChunks({"data: a\r", "data: b\r", "\r"}),
             QStringList{QStringLiteral("message|a\nb|")});
}

void TestSseParser::bomSplitAcrossChunksAndAfterEmptyChunk()
{
    QCOMPARE(parseChunks({"", "\xEF", "", "\xBB",
                          "\xBF"
                          "data: x\n\n"}),
             QStringList{QStringLiteral("message|x|")});
    // Bytes that merely start like a BOM are data.
    QCOMPARE(parseChunks({"\xEF\xBB", "data: x\n\n"}), QStringList{});
    QCOMPARE(parseChunks({"\xEF", "\n", "data: x\n\n"}), QStringList{QStringLiteral("message|x|")});
}

void TestSseParser::onlyOneBomIsStripped()
{
    // The second BOM becomes part of the field name "\uFEFFdata", which is unknown.
    QCOMPARE(parseChunks({"\xEF\xBB\xBF\xEF\xBB\xBF"
                          "data: x\n\ndata: y\n\n"}),
             QStringList{QStringLiteral("message|y|")});
}

void TestSseParser::codePointSplitAcrossChunksComesOutWhole()
{
    const QByteArray emoji =
        "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB"; // woman technologist (ZWJ)
    const QByteArray input = "data: " + emoji + " \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85\n\n";
    for (int cut = 6; cut < input.size() - 2; ++cut) {
        const QStringList got = parseChunks({input.left(cut), input.mid(cut)});
        QCOMPARE(got,
                 QStringList{QStringLiteral("message|") +
                             QString::fromUtf8(input.mid(6, input.size() - 8)) + QLatin1Char('|')});
        QVERIFY(!got.first().contains(QChar::ReplacementCharacter));
    }
}

void TestSseParser::lastEventIdPersistsAcrossEndOfStream()
{
    Recorder recorder;
    SseParser parser(recorder);
    parser.feed("id: 41\ndata: a\n\nid: 42\ndata: cut off");
    parser.endOfStream();
    QCOMPARE(parser.lastEventId(), QStringLiteral("41")); // 42 was never dispatched
    // The next connection's events without an id keep the id, as browsers do.
    parser.feed("data: b\n\n");
    QCOMPARE(recorder.log,
             (QStringList{QStringLiteral("message|a|41"), QStringLiteral("message|b|41")}));
}

void TestSseParser::endOfStreamDiscardsPartialEventAndAllowsNewBom()
{
    Recorder recorder;
    SseParser parser(recorder);
    parser.feed("event: x\ndata: partial\n");
    parser.endOfStream();
    parser.feed("\xEF\xBB\xBF"
                "data: fresh\n\n");
    QCOMPARE(recorder.log, QStringList{QStringLiteral("message|fresh|")});
    // A CR at the very end of the old stream must not swallow the new stream's first LF.
    parser.feed("data: y\r");
    parser.endOfStream();
    parser.feed("\ndata: z\n\n");
    QCOMPARE(recorder.log.last(), QStringLiteral("message|z|"));
}

void TestSseParser::resetForgetsEverything()
{
    Recorder recorder;
    SseParser parser(recorder);
    parser.feed("retry: 5\nid: 9\ndata: a\n\n");
    QCOMPARE(parser.reconnectionTime(), 5);
    parser.reset();
    QCOMPARE(parser.lastEventId(), QString());
    QCOMPARE(parser.reconnectionTime(), -1);
    parser.feed("data: b\n\n");
    QCOMPARE(recorder.log.last(), QStringLiteral("message|b|"));
}

void TestSseParser::seededLastEventId()
{
    Recorder recorder;
    SseParser parser(recorder);
    parser.setLastEventId(QStringLiteral("s.12"));
    parser.feed("data: a\n\n");
    QCOMPARE(recorder.log, QStringList{QStringLiteral("message|a|s.12")});
}

void TestSseParser::lineLimit()
{
    Recorder recorder;
    SseParser parser(recorder, SseParser::Limits{16, 1024});
    QVERIFY(parser.feed("data: 123456789\n\n")); // 15 bytes: fits
    QVERIFY(!parser.feed("data: 1234567890123\n\n"));
    QCOMPARE(parser.error(), SseParser::Error::LineTooLong);
    QVERIFY(parser.errorString().contains(QLatin1String("16 bytes")));
    QCOMPARE(recorder.events.size(), 1);
}

void TestSseParser::lineLimitWhenLineArrivesInPieces()
{
    // An endless line with no newline, arriving in small pieces, must fail once it passes the
    // limit instead of growing without bound.
    Recorder recorder;
    SseParser parser(recorder, SseParser::Limits{1000, 1000});
    const QByteArray piece(100, 'x');
    int accepted = 0;
    while (parser.feed(piece) && accepted < 100)
        ++accepted;
    QCOMPARE(accepted, 10);
    QCOMPARE(parser.error(), SseParser::Error::LineTooLong);
}

void TestSseParser::eventLimit()
{
    Recorder recorder;
    SseParser parser(recorder, SseParser::Limits{100, 50});
    QVERIFY(parser.feed("data: 0123456789\ndata: 0123456789\n\n")); // 22 bytes of data
    QByteArray big;
    for (int i = 0; i < 10; ++i)
        big += "data: 0123456789\n";
    QVERIFY(!parser.feed(big));
    QCOMPARE(parser.error(), SseParser::Error::EventTooLarge);
    QCOMPARE(recorder.events.size(), 1);
}

void TestSseParser::limitErrorStopsParsing()
{
    Recorder recorder;
    SseParser parser(recorder, SseParser::Limits{8, 8});
    QVERIFY(!parser.feed("data: far too long\n\ndata: a\n\n"));
    QVERIFY(!parser.feed("data: b\n\n"));
    QVERIFY(recorder.events.isEmpty());
    // A new connection starts clean.
    parser.endOfStream();
    QVERIFY(parser.feed("data: c\n\n"));
    QCOMPARE(recorder.log, QStringList{QStringLiteral("message|c|")});
}

void TestSseParser::oneEventAcrossManyChunksStaysLinear()
{
    // 4 MiB of data in 200,000 tiny chunks: quadratic buffering (re-scanning or re-copying the
    // pending line per chunk) would take minutes here; linear work takes milliseconds.
    Recorder recorder;
    SseParser parser(recorder);
    QByteArray line = "data: " + QByteArray(4 * 1024 * 1024, 'a') + "\n\n";
    for (qsizetype i = 0; i < line.size(); i += 21)
        QVERIFY(
            parser.feed(QByteArrayView(line).sliced(i, std::min<qsizetype>(21, line.size() - i))));
    QCOMPARE(recorder.events.size(), 1);
    QCOMPARE(recorder.events.first().data.size(), 4 * 1024 * 1024);
}

void TestSseParser::manyLoneCrLinesInOneChunkStayLinear()
{
    // 200,000 CR-terminated lines in one chunk: a parser that searches for LF from each line's
    // start to the chunk's end would do 200,000 scans of megabytes.
    Recorder recorder;
    SseParser parser(recorder);
    QByteArray chunk;
    for (int i = 0; i < 200000; ++i)
        chunk += "data: x\r\r";
    QVERIFY(parser.feed(chunk));
    QCOMPARE(recorder.events.size(), 200000);
}

void TestSseParser::haltStopsTheCurrentFeed()
{
    Recorder recorder;
    SseParser parser(recorder);
    recorder.parser = &parser;
    recorder.haltAfterEvents = 1;
    QVERIFY(parser.feed("data: a\n\ndata: b\n\n"));
    QCOMPARE(recorder.events.size(), 1);
}

void TestSseParser::utf8DecoderFollowsWhatwg_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const QString r(QChar::ReplacementCharacter);
    QTest::newRow("ascii") << QByteArray("abc") << QStringLiteral("abc");
    QTest::newRow("overlong 2-byte") << QByteArray("\xC0\xAF") << r + r;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << r + r + r;
    QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << r + r + r + r;
    QTest::newRow("truncated 4-byte at end") << QByteArray("\xF0\x9F\x98") << r;
    QTest::newRow("truncated 3-byte then ascii") << QByteArray("\xE2\x82"
                                                               "A")
                                                 << r + QLatin1Char('A');
    QTest::newRow("lone continuation") << QByteArray("\x80"
                                                     "a")
                                       << r + QLatin1Char('a');
    QTest::newRow("bom kept") << QByteArray("\xEF\xBB\xBFx")
                              << QString(QChar(0xFEFF)) + QLatin1Char('x');
    QTest::newRow("F0 80 80: three replacements") << QByteArray("\xF0\x80\x80") << r + r + r;
}

void TestSseParser::utf8DecoderFollowsWhatwg()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QCOMPARE(Utf8Decoder::decode(bytes), expected);
    QCOMPARE(Utf8Decoder::decodeWhatwg(bytes), expected);
}

void TestSseParser::utf8DecoderAgreesWithQtOnValidText()
{
    QRandomGenerator random(7);
    for (int round = 0; round < 200; ++round) {
        QString text;
        for (int i = 0; i < 50; ++i) {
            char32_t cp = random.bounded(0x20, 0x10FFFF);
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0x627;
            text += QString::fromUcs4(&cp, 1);
        }
        const QByteArray utf8 = text.toUtf8();
        QCOMPARE(Utf8Decoder::decodeWhatwg(utf8), text);
        QCOMPARE(Utf8Decoder::decode(utf8), text);
    }
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
