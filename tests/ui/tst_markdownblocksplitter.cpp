// MarkdownBlockSplitter: streamed Markdown is cut into the same blocks however it arrives.
#include "ui/MarkdownBlockSplitter.h"

#include <QRandomGenerator>
#include <QTest>

using namespace qalam;

namespace {

QStringList splitWhole(const QString &text)
{
    MarkdownBlockSplitter splitter;
    splitter.append(text);
    splitter.finish();
    return splitter.blocks();
}

QStringList splitInPieces(const QString &text, quint32 seed)
{
    QRandomGenerator random(seed);
    MarkdownBlockSplitter splitter;
    for (qsizetype i = 0; i < text.size();) {
        const qsizetype n = random.bounded(1, 12);
        splitter.append(QStringView(text).mid(i, n));
        i += n;
    }
    splitter.finish();
    return splitter.blocks();
}

const QString kAnswer = QStringLiteral("# Qalam\n\nFirst paragraph, two\nlines.\n\n"
                                       "```python\ndef f():\n\n    return 1\n```\n\n"
                                       "- one\n- two\n\n- three (loose list)\n\n"
                                       "1. first\n2. second\n\n"
                                       "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                                       "    indented code\n\n    more of it\n\n"
                                       "~~~\nfenced with tildes\n\n```\nnot a closer\n~~~\n\n"
                                       "مرحبا بك في **قلم**.\n\nLast words.");

} // namespace

class TestMarkdownBlockSplitter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void paragraphs();
    void fenceKeepsBlankLines();
    void looseListStaysOneBlock();
    void tailIsTheGrowingBlock();
    void blocksDoNotDependOnChunking();
    void nothingIsLost();
};

void TestMarkdownBlockSplitter::paragraphs()
{
    QCOMPARE(splitWhole(QStringLiteral("a\n\nb\n\n\n\nc")),
             (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
}

void TestMarkdownBlockSplitter::fenceKeepsBlankLines()
{
    const QStringList blocks = splitWhole(QStringLiteral("```\nx\n\ny\n```\n\nafter"));
    QCOMPARE(blocks, (QStringList{QStringLiteral("```\nx\n\ny\n```"), QStringLiteral("after")}));
}

void TestMarkdownBlockSplitter::looseListStaysOneBlock()
{
    const QStringList blocks = splitWhole(QStringLiteral("- a\n\n- b\n\n  still b\n\npara"));
    QCOMPARE(blocks,
             (QStringList{QStringLiteral("- a\n\n- b\n\n  still b"), QStringLiteral("para")}));
}

void TestMarkdownBlockSplitter::tailIsTheGrowingBlock()
{
    MarkdownBlockSplitter splitter;
    QCOMPARE(splitter.append(QStringLiteral("Hello\n\nWor")),
             0); // "Hello" may still continue a list
    QCOMPARE(splitter.tail(), QStringLiteral("Hello\n\nWor"));
    QCOMPARE(splitter.append(QStringLiteral("ld\n")), 1);
    QCOMPARE(splitter.blocks(), QStringList{QStringLiteral("Hello")});
    QCOMPARE(splitter.tail(), QStringLiteral("World\n"));
    QCOMPARE(splitter.finish(), 1);
    QCOMPARE(splitter.blocks(), (QStringList{QStringLiteral("Hello"), QStringLiteral("World")}));
    QVERIFY(splitter.tail().isEmpty());
}

void TestMarkdownBlockSplitter::blocksDoNotDependOnChunking()
{
    const QStringList whole = splitWhole(kAnswer);
    const auto blockStartingWith = [&whole](const char *prefix) {
        for (const QString &block : whole) {
            if (block.startsWith(QLatin1String(prefix)))
                return block;
        }
        return QString();
    };
    // Fences keep their blank lines; a list and its loose items stay together.
    QVERIFY(blockStartingWith("```python").endsWith(QLatin1String("\n\n    return 1\n```")));
    QVERIFY(blockStartingWith("~~~").endsWith(QLatin1String("not a closer\n~~~")));
    QVERIFY(blockStartingWith("- one").contains(QLatin1String("- three (loose list)")));
    QCOMPARE(whole.first(), QStringLiteral("# Qalam"));
    QCOMPARE(whole.last(), QStringLiteral("Last words."));
    for (quint32 seed = 1; seed <= 50; ++seed)
        QCOMPARE(splitInPieces(kAnswer, seed), whole);
}

void TestMarkdownBlockSplitter::nothingIsLost()
{
    // Blocks plus the blank lines between them give back the source.
    QString joined = splitWhole(kAnswer).join(QStringLiteral("\n\n"));
    QString source = kAnswer;
    const auto normalize = [](QString s) {
        return s.remove(QLatin1Char('\n')).remove(QLatin1Char(' '));
    };
    QCOMPARE(normalize(joined), normalize(source));
}

QTEST_GUILESS_MAIN(TestMarkdownBlockSplitter)
#include "tst_markdownblocksplitter.moc"
