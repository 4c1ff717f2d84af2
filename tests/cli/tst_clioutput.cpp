// What qalam-cli writes on stdout, now gathered in a buffer and escaped straight from the decoded
// text: byte for byte what the previous implementation wrote (the JSON-lines format is a contract,
// docs/cli.md), and still on stdout as soon as it is known: with a live stream, each event and
// each delta reaches the reader before the server sends the next one.
#include "Utf8Encoding.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <cstdio>
#include <memory>

using qalam::cli::Utf8Encoding;

namespace {

constexpr int kTimeoutMs = 30000;

// JsonLineWriter::quoted() as it was before the output path was rewritten (git a9b391a),
// kept verbatim as the reference the new escaper must match byte for byte.
bool legacyNeedsUnicodeEscape(char16_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

QByteArray legacyQuoted(QStringView text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    out.append('"');
    qsizetype runStart = 0;
    const auto flushRun = [&](qsizetype end) {
        out.append(text.sliced(runStart, end - runStart).toUtf8());
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        const char *escape = nullptr;
        switch (c) {
        case u'"':
            escape = "\\\"";
            break;
        case u'\\':
            escape = "\\\\";
            break;
        case u'\n':
            escape = "\\n";
            break;
        case u'\r':
            escape = "\\r";
            break;
        case u'\t':
            escape = "\\t";
            break;
        default:
            break;
        }
        if (!escape && !legacyNeedsUnicodeEscape(c))
            continue;
        flushRun(i);
        if (escape) {
            out.append(escape);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\u%04x", unsigned(c));
            out.append(hex);
        }
        runStart = i + 1;
    }
    flushRun(text.size());
    out.append('"');
    return out;
}

QByteArray quoted(QStringView text)
{
    QByteArray out;
    Utf8Encoding::appendJsonString(out, text);
    return out;
}

QByteArray utf8(QStringView text)
{
    QByteArray out;
    Utf8Encoding::append(out, text);
    return out;
}

// Pieces the corpus strings are made of: every class of character the rules treat apart.
const QList<QString> &pieces()
{
    static const QList<QString> list{
        QStringLiteral("a"),
        QStringLiteral("The quick brown fox "),
        QStringLiteral("مرحبا بالعالم"),
        QStringLiteral("🌙"),
        QStringLiteral("👋🏽"),
        QStringLiteral("é"),
        QStringLiteral("€"),
        QStringLiteral("\""),
        QStringLiteral("\\"),
        QStringLiteral("/"),
        QStringLiteral("\n"),
        QStringLiteral("\r"),
        QStringLiteral("\t"),
        QString(QChar(0)),
        QString(QChar(0x1B)),
        QString(QChar(0x1F)),
        QString(QChar(0x7F)),
        QString(QChar(0x80)),
        QString(QChar(0x9B)),
        QString(QChar(0x9F)),
        QString(QChar(0xA0)),
        QString(QChar(0x7FF)),
        QString(QChar(0x800)),
        QString(QChar(0x2027)),
        QString(QChar(0x2028)),
        QString(QChar(0x2029)),
        QString(QChar(0x202A)),
        QString(QChar(0xFEFF)),
        QString(QChar(0xFFFD)),
        QString(QChar(0xFFFF)),
        QString(QChar(0xD83C)), // lone high surrogate
        QString(QChar(0xDF0D)), // lone low surrogate
        QString(QChar(0xDBFF)) + QChar(0xDFFF),
        QString(QChar(0xD800)) + QChar(0xDC00),
        QStringLiteral("~ASCII run of exactly sixteen~~"),
    };
    return list;
}

} // namespace

class TestCliOutput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void escaperExpectedBytes_data();
    void escaperExpectedBytes();
    void escaperMatchesPreviousOnCorpus();
    void escaperMatchesPreviousOnEveryCodeUnit();
    void escaperAppendsToWhatIsThere();

    void eventsLiveStreamLineByLine();
    void chatLiveStreamDeltaByDelta();
};

void TestCliOutput::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(QALAM_CLI_PATH)), QALAM_CLI_PATH);
}

void TestCliOutput::escaperExpectedBytes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("empty") << QString() << QByteArray(R"("")");
    QTest::newRow("ascii") << QStringLiteral("plain text, 0123456789 ~!@#$%^&*()_+{}|:<>?")
                           << QByteArray(R"("plain text, 0123456789 ~!@#$%^&*()_+{}|:<>?")");
    QTest::newRow("arabic") << QStringLiteral("مرحبا") << QByteArray("\"مرحبا\"");
    QTest::newRow("emoji") << QStringLiteral("🌙👋🏽") << QByteArray("\"🌙👋🏽\"");
    QTest::newRow("json specials")
        << QStringLiteral("\"\\\n\r\t/") << QByteArray(R"("\"\\\n\r\t/")");
    QTest::newRow("controls") << QString(QChar(0) + QStringLiteral("\x01\x08\x0c\x1b\x1f"))
                              << QByteArray(R"("\u0000\u0001\u0008\u000c\u001b\u001f")");
    QTest::newRow("del and c1") << QString(QChar(0x7F) + QStringLiteral("a") + QChar(0x80) +
                                           QChar(0x9B) + QChar(0x9F) + QChar(0xA0))
                                << QByteArray(R"("\u007fa\u0080\u009b\u009f)"
                                              "\xc2\xa0\"");
    QTest::newRow("line separators") << QString(QChar(0x2028) + QStringLiteral("x") + QChar(0x2029))
                                     << QByteArray(R"("\u2028x\u2029")");
    QTest::newRow("lone surrogates")
        << QString(QChar(0xD83C) + QStringLiteral("x") + QChar(0xDF0D)) << QByteArray(R"("?x?")");
    QTest::newRow("high surrogate before an escape")
        << QString(QChar(0xD83C) + QStringLiteral("\n") + QChar(0xDF0D)) << QByteArray(R"("?\n?")");
    QTest::newRow("hostile terminal text")
        << QStringLiteral("A\x1b]52;c;SGVsbG8=\x07\x1b[2J") + QChar(0x9B) + QStringLiteral("31m")
        << QByteArray(R"("A\u001b]52;c;SGVsbG8=\u0007\u001b[2J\u009b31m")");
    QTest::newRow("sixteen ascii then a quote")
        << QStringLiteral("0123456789abcdef\"") << QByteArray(R"("0123456789abcdef\"")");
}

void TestCliOutput::escaperExpectedBytes()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, json);
    QCOMPARE(quoted(text), json);
    QCOMPARE(legacyQuoted(text), json); // the expected strings are the previous output
}

void TestCliOutput::escaperMatchesPreviousOnCorpus()
{
    // Deterministic strings of 0..48 pieces, so every piece lands at every offset of the
    // 8-unit blocks the fast path reads, next to every other piece.
    QRandomGenerator random(20261201);
    const QList<QString> &parts = pieces();
    int checked = 0;
    for (int round = 0; round < 4000; ++round) {
        QString text;
        const int count = int(random.bounded(49));
        for (int i = 0; i < count; ++i) {
            text += parts[random.bounded(int(parts.size()))];
            if (random.bounded(3) == 0)
                text += QString(int(random.bounded(20)), QLatin1Char('x')); // ASCII runs
        }
        QCOMPARE(quoted(text), legacyQuoted(text));
        QCOMPARE(utf8(text), text.toUtf8());
        ++checked;
    }
    QCOMPARE(checked, 4000);
}

void TestCliOutput::escaperMatchesPreviousOnEveryCodeUnit()
{
    // Every UTF-16 code unit alone, after 7 and 8 ASCII characters (inside and after a block),
    // and before an ASCII run; and every high surrogate with a low one.
    for (char32_t unit = 0; unit <= 0xFFFF; ++unit) {
        const QChar c{char16_t(unit)};
        for (const QString &text :
             {QString(c), QStringLiteral("1234567") + c, QStringLiteral("12345678") + c + u'z',
              c + QStringLiteral("abcdefghijk")}) {
            if (quoted(text) != legacyQuoted(text) || utf8(text) != text.toUtf8())
                QFAIL(qPrintable(QStringLiteral("differs for U+%1").arg(unsigned(unit), 4, 16)));
        }
    }
    for (char16_t high = 0xD800; high <= 0xDBFF; high += 0x3F) {
        const QString pair = QString(QChar(high)) + QChar(char16_t(0xDC00 + (high & 0x3FF)));
        QCOMPARE(quoted(pair), legacyQuoted(pair));
        QCOMPARE(utf8(pair), pair.toUtf8());
    }
}

void TestCliOutput::escaperAppendsToWhatIsThere()
{
    QByteArray out("{\"data\":");
    Utf8Encoding::appendJsonString(out, u"é\n");
    out.append(',');
    Utf8Encoding::append(out, u"مرحبا");
    QCOMPARE(out, QByteArray("{\"data\":\"é\\n\",مرحبا"));
}

namespace {

// A server that sends one piece of a response at a time, when the test says so: it shows that
// qalam-cli printed piece N before the server sent piece N+1 (nothing waits in a buffer while the
// program waits for the network). No timing is assumed; each wait ends when the line arrives.
class SteppedServer
{
public:
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path);
    }
    // Waits for the connection and the request head, then sends the response head.
    bool accept()
    {
        if (!QTest::qWaitFor([this] { return m_server.hasPendingConnections(); }, kTimeoutMs))
            return false;
        m_socket.reset(m_server.nextPendingConnection());
        QByteArray head;
        const bool gotHead = QTest::qWaitFor(
            [&] {
                head += m_socket->readAll();
                return head.contains("\r\n\r\n");
            },
            kTimeoutMs);
        if (!gotHead)
            return false;
        send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
             "Connection: close\r\n\r\n");
        return true;
    }
    void send(const QByteArray &bytes)
    {
        m_socket->readAll(); // a POST body, not needed
        m_socket->write(bytes);
        m_socket->flush();
    }
    void close() { m_socket->disconnectFromHost(); }

private:
    QTcpServer m_server;
    std::unique_ptr<QTcpSocket> m_socket;
};

struct Child
{
    QProcess process;
    QByteArray out;

    void start(const QStringList &arguments)
    {
        QObject::connect(&process, &QProcess::readyReadStandardOutput,
                         [this] { out += process.readAllStandardOutput(); });
        process.setProcessChannelMode(QProcess::SeparateChannels);
        process.start(QStringLiteral(QALAM_CLI_PATH), arguments);
    }
    bool waitForOutput(const QByteArray &expected)
    {
        return QTest::qWaitFor([&] { return out.size() >= expected.size(); }, kTimeoutMs) &&
               out == expected;
    }
    bool waitForExit()
    {
        return QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, kTimeoutMs);
    }
};

} // namespace

void TestCliOutput::eventsLiveStreamLineByLine()
{
    SteppedServer server;
    QVERIFY(server.listen());
    Child child;
    child.start({QStringLiteral("events"), server.url(QStringLiteral("/events"))});
    QVERIFY(server.accept());
    const QList<QByteArray> texts{"one", "مرحبا \\\"two\\\"", "🌙 three", "four", "five"};
    QByteArray expected;
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const QByteArray id = QByteArray::number(i + 1);
        // The second data line holds a literal backslash and quotes; JSON escapes them.
        server.send("id: " + id + "\ndata: " + texts[i] + "\n\n");
        QByteArray data = texts[i];
        data.replace("\\", "\\\\").replace("\"", "\\\"");
        expected += R"({"type":"message","data":")" + data + R"(","id":")" + id + "\"}\n";
        QVERIFY2(child.waitForOutput(expected),
                 qPrintable(QStringLiteral("line %1 did not arrive; stdout so far: %2")
                                .arg(i + 1)
                                .arg(QString::fromUtf8(child.out))));
    }
    server.close();
    QVERIFY(child.waitForExit());
    QCOMPARE(child.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.process.exitCode(), 0);
    QCOMPARE(child.out, expected);
}

void TestCliOutput::chatLiveStreamDeltaByDelta()
{
    SteppedServer server;
    QVERIFY(server.listen());
    Child child;
    child.start({QStringLiteral("chat"), QStringLiteral("--protocol"), QStringLiteral("openai"),
                 QStringLiteral("--url"), server.url(QStringLiteral("/v1")),
                 QStringLiteral("question")});
    QVERIFY(server.accept());
    const auto delta = [](const QByteArray &contentJson) {
        return R"(data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":)" +
               contentJson + R"(},"finish_reason":null}]})" + QByteArray("\n\n");
    };
    const QList<QPair<QByteArray, QByteArray>> deltas{
        {R"("Hello")", "Hello"},
        {R"(" مرحبا")", " مرحبا"},
        {R"(" \"quoted\"\n")", " \"quoted\"\n"},
        {R"(" 🌙")", " 🌙"},
        // A pair split between two deltas waits for its second half, then both arrive.
        {R"(" \ud83d")", ""},
        {R"("\udc4b!")", " 👋!"},
    };
    QByteArray expected;
    for (qsizetype i = 0; i < deltas.size(); ++i) {
        server.send(delta(deltas[i].first));
        expected += deltas[i].second;
        if (deltas[i].second.isEmpty())
            continue; // nothing new can be shown yet
        QVERIFY2(child.waitForOutput(expected),
                 qPrintable(QStringLiteral("delta %1 did not arrive; stdout so far: %2")
                                .arg(i + 1)
                                .arg(QString::fromUtf8(child.out))));
    }
    server.send("data: [DONE]\n\n");
    QVERIFY(child.waitForExit());
    QCOMPARE(child.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.process.exitCode(), 0);
    QCOMPARE(child.out, expected);
}

QTEST_GUILESS_MAIN(TestCliOutput)
#include "tst_clioutput.moc"
