// TextDirection: a paragraph's direction is its words' majority (inline code, URLs, paths and
// numbers with units not counted), a tie goes to the first strong letter; left-to-right runs
// end before the sentence's punctuation; the bidi controls that get neutralised. The corpus
// (data/direction-corpus.tsv) holds real mixed paragraphs with the direction a reader wants.
#include "DirectionCorpus.h"
#include "ui/TextDirection.h"

#include <QTest>

using namespace qalam;
using qalam::test::directionCorpus;

Q_DECLARE_METATYPE(Qt::LayoutDirection)

class TestTextDirection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void corpus_data();
    void corpus();
    void corpusIsNotWhatFirstStrongGets();
    void wordsNotLetters();
    void tieGoesToTheFirstStrongLetter();
    void excludedRangesAreNotCounted();
    void numbersAndTheirUnitsAreNotCounted();
    void withoutLettersThereIsNoDirection_data();
    void withoutLettersThereIsNoDirection();
    void countsAddUp();
    void markdownCodeSpansAndLinkTargetsAreNotCounted();
    void emphasisCountsOnlyWithoutProse();
    void leftToRightRuns_data();
    void leftToRightRuns();
    void directionControls();
};

void TestTextDirection::corpus_data()
{
    QTest::addColumn<QString>("markdown");
    QTest::addColumn<Qt::LayoutDirection>("expected");
    const auto cases = directionCorpus();
    QVERIFY2(cases.size() >= 40, "the corpus is missing or malformed");
    for (const auto &c : cases)
        QTest::newRow(qPrintable(c.name())) << c.markdown << c.expected;
}

void TestTextDirection::corpus()
{
    QFETCH(QString, markdown);
    QFETCH(Qt::LayoutDirection, expected);
    QCOMPARE(TextDirection::ofMarkdown(markdown), expected);
}

void TestTextDirection::corpusIsNotWhatFirstStrongGets()
{
    // The corpus is worth something only if dir="auto" (the first strong letter) gets many of
    // its paragraphs wrong.
    int differ = 0;
    for (const auto &c : directionCorpus()) {
        const bool firstStrongRtl = c.markdown.isRightToLeft();
        differ += firstStrongRtl != (c.expected == Qt::RightToLeft) ? 1 : 0;
    }
    QVERIFY2(differ >= 15, qPrintable(QString::number(differ)));
}

void TestTextDirection::wordsNotLetters()
{
    // 24 Latin letters to 11 Arabic ones, but 3 words each: the first word decides.
    const auto counts =
        TextDirection::count(QStringLiteral("افتح Settings ثم Preferences واختر Theme"));
    QCOMPARE(counts.leftToRight, 3);
    QCOMPARE(counts.rightToLeft, 3);
    QCOMPARE(counts.direction(), Qt::RightToLeft);
    // Harakat, a shadda and tanween stay inside their word; so do an apostrophe and a hyphen.
    const auto marks = TextDirection::count(QStringLiteral("مُدخَل موقّع جديدًا don't e-mail"));
    QCOMPARE(marks.rightToLeft, 3);
    QCOMPARE(marks.leftToRight, 2);
}

void TestTextDirection::tieGoesToTheFirstStrongLetter()
{
    QCOMPARE(TextDirection::of(QStringLiteral("Hello مرحبا")), Qt::LeftToRight);
    QCOMPARE(TextDirection::of(QStringLiteral("مرحبا Hello")), Qt::RightToLeft);
    QCOMPARE(TextDirection::of(QStringLiteral("42: Hello, مرحبا!")), Qt::LeftToRight);
    // The first strong letter counted: one inside code does not decide.
    QCOMPARE(TextDirection::of(QStringLiteral("npm مرحبا Hello"), {{0, 3}}), Qt::RightToLeft);
}

void TestTextDirection::excludedRangesAreNotCounted()
{
    const QString text = QStringLiteral("git status يعرض الملفات");
    QCOMPARE(TextDirection::count(text).leftToRight, 2);
    const auto counts = TextDirection::count(text, {{0, 10}});
    QCOMPARE(counts.leftToRight, 0);
    QCOMPARE(counts.rightToLeft, 2);
    // Ranges past the end are clamped, not trusted.
    QCOMPARE(TextDirection::count(text, {{-5, 1000}}).direction(), Qt::LayoutDirectionAuto);
    // URLs and paths are found by of() itself.
    QCOMPARE(TextDirection::of(QStringLiteral("افتح https://example.com/docs/getting-started")),
             Qt::RightToLeft);
    QCOMPARE(TextDirection::count(QStringLiteral("افتح https://example.com/docs/getting-started"))
                 .leftToRight,
             5); // https, example, com, docs, getting-started
}

void TestTextDirection::numbersAndTheirUnitsAreNotCounted()
{
    const auto counts = TextDirection::count(QStringLiteral("500ms 2GB 3.5GHz 1080p ٣كغ 10 MB"));
    QCOMPARE(counts.rightToLeft, 0);
    QCOMPARE(counts.leftToRight, 1); // "MB", apart from its number, is a word
    QCOMPARE(TextDirection::of(QStringLiteral("الحجم 512MB و 2GB")), Qt::RightToLeft);
    // A letter before the digits makes a word: "v2" and "x86" are words.
    QCOMPARE(TextDirection::count(QStringLiteral("v2 x86")).leftToRight, 2);
}

void TestTextDirection::withoutLettersThereIsNoDirection_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("number") << QStringLiteral("42");
    QTest::newRow("Arabic-Indic digits") << QStringLiteral("٤٢ / ١٠٠");
    QTest::newRow("emoji") << QStringLiteral("🚀 👍🏽 ✅");
    QTest::newRow("URL") << QStringLiteral("https://example.com/x");
    QTest::newRow("path") << QStringLiteral("/etc/qalam/qalam.conf");
    QTest::newRow("punctuation") << QStringLiteral("— … ، ؟ !");
}

void TestTextDirection::withoutLettersThereIsNoDirection()
{
    QFETCH(QString, text);
    QCOMPARE(TextDirection::of(text), Qt::LayoutDirectionAuto);
}

void TestTextDirection::countsAddUp()
{
    TextDirection::Counts list = TextDirection::count(QStringLiteral("42"));
    list += TextDirection::count(QStringLiteral("Docker"));
    list += TextDirection::count(QStringLiteral("خادم واحد"));
    QCOMPARE(list.leftToRight, 1);
    QCOMPARE(list.rightToLeft, 2);
    QCOMPARE(list.first, Qt::LeftToRight); // the first item with a word
    QCOMPARE(list.direction(), Qt::RightToLeft);
}

void TestTextDirection::markdownCodeSpansAndLinkTargetsAreNotCounted()
{
    QCOMPARE(TextDirection::ofMarkdown(QStringLiteral("`docker compose up -d --build` لتشغيل")),
             Qt::RightToLeft);
    // A code span of two backticks may contain one.
    QCOMPARE(TextDirection::ofMarkdown(QStringLiteral("``echo `date` now`` يطبع التاريخ")),
             Qt::RightToLeft);
    QCOMPARE(
        TextDirection::ofMarkdown(QStringLiteral("[الدليل](https://example.com/a/long/guide)")),
        Qt::RightToLeft);
    // Without the Markdown view the same text counts its code.
    QCOMPARE(TextDirection::of(QStringLiteral("`docker compose up -d --build` لتشغيل")),
             Qt::LeftToRight);
}

void TestTextDirection::emphasisCountsOnlyWithoutProse()
{
    const QString text = QStringLiteral("قال المدير Welcome to the new server");
    QCOMPARE(TextDirection::count(text).direction(), Qt::LeftToRight);
    const auto prose = TextDirection::count(text, {}, {{11, 29}});
    QCOMPARE(prose.rightToLeft, 2);
    QCOMPARE(prose.leftToRight, 0);
    // All of it emphasised: the emphasis counts.
    QCOMPARE(TextDirection::count(text, {}, {{0, text.size()}}).direction(), Qt::LeftToRight);
    // In Markdown: ** and * and _ spans, not snake_case.
    QCOMPARE(TextDirection::ofMarkdown(QStringLiteral("قال المدير **Welcome to the new server**")),
             Qt::RightToLeft);
    QCOMPARE(TextDirection::ofMarkdown(QStringLiteral("قال المدير _Welcome to the new server_")),
             Qt::RightToLeft);
    // (Were "_name_here_" emphasis, 2 Latin words to 2 Arabic ones would make it Arabic.)
    QCOMPARE(TextDirection::ofMarkdown(QStringLiteral("افتح الملف file_name_here_now")),
             Qt::LeftToRight);
}

void TestTextDirection::leftToRightRuns_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("runs");
    QTest::newRow("full stop after a path")
        << QStringLiteral("راجع الملف /etc/hosts.") << QStringList{QStringLiteral("/etc/hosts")};
    QTest::newRow("Arabic comma after a URL")
        << QStringLiteral("افتح https://example.com/a?b=1، ثم")
        << QStringList{QStringLiteral("https://example.com/a?b=1")};
    QTest::newRow("Arabic question mark after a path")
        << QStringLiteral("هل جربت /usr/local/bin؟")
        << QStringList{QStringLiteral("/usr/local/bin")};
    QTest::newRow("Arabic semicolon") << QStringLiteral("الإعدادات في ~/.config/qalam؛ وهذا")
                                      << QStringList{QStringLiteral("~/.config/qalam")};
    QTest::newRow("colon after a relative path")
        << QStringLiteral("الملف app/cli/main.cpp: السطر 12")
        << QStringList{QStringLiteral("app/cli/main.cpp")};
    QTest::newRow("balanced bracket is the URL's")
        << QStringLiteral("(see https://en.wikipedia.org/wiki/Foo_(bar))")
        << QStringList{QStringLiteral("https://en.wikipedia.org/wiki/Foo_(bar)")};
    QTest::newRow("bracket of the sentence") << QStringLiteral("(راجع /var/log/syslog)")
                                             << QStringList{QStringLiteral("/var/log/syslog")};
    QTest::newRow("guillemets") << QStringLiteral("«https://example.com/x»")
                                << QStringList{QStringLiteral("https://example.com/x")};
    QTest::newRow("closing quote") << QStringLiteral("“https://example.com/x”.")
                                   << QStringList{QStringLiteral("https://example.com/x")};
    QTest::newRow("ellipsis") << QStringLiteral("https://example.com/x...")
                              << QStringList{QStringLiteral("https://example.com/x")};
    QTest::newRow("exclamation") << QStringLiteral("www.example.com!")
                                 << QStringList{QStringLiteral("www.example.com")};
    QTest::newRow("a slash ends a URL well")
        << QStringLiteral("https://example.com/docs/, ثم")
        << QStringList{QStringLiteral("https://example.com/docs/")};
    QTest::newRow("e-mail") << QStringLiteral("راسل support@example.com.")
                            << QStringList{QStringLiteral("support@example.com")};
    QTest::newRow("Windows path") << QStringLiteral("المجلد C:\\Users\\admin\\Qalam; ثم")
                                  << QStringList{QStringLiteral("C:\\Users\\admin\\Qalam")};
    QTest::newRow("two runs") << QStringLiteral("من /etc/a/b إلى https://x.org/y.")
                              << QStringList{QStringLiteral("/etc/a/b"),
                                             QStringLiteral("https://x.org/y")};
    QTest::newRow("account number")
        << QStringLiteral("حساب 1234-5678.") << QStringList{QStringLiteral("1234-5678")};
    QTest::newRow("date") << QStringLiteral("في 2024-01-15، ثم")
                          << QStringList{QStringLiteral("2024-01-15")};
    QTest::newRow("not a version or a range")
        << QStringLiteral("v1.2-3 و 30–60 و -5 و x86-64") << QStringList{};
    QTest::newRow("none") << QStringLiteral("و/أو مرحبا، hello.") << QStringList{};
}

void TestTextDirection::leftToRightRuns()
{
    QFETCH(QString, text);
    QFETCH(QStringList, runs);
    QStringList found;
    for (const auto &run : TextDirection::leftToRightRuns(text))
        found.append(text.mid(run.start, run.length));
    QCOMPARE(found, runs);
}

void TestTextDirection::directionControls()
{
    const char32_t controls[] = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
                                 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C};
    QStringList names;
    for (char32_t c : controls) {
        QVERIFY(TextDirection::isDirectionControl(c));
        names.append(TextDirection::abbreviation(c));
    }
    QCOMPARE(names.join(QLatin1Char(' ')),
             QStringLiteral("LRE RLE PDF LRO RLO LRI RLI FSI PDI LRM RLM ALM"));
    // Joiners (emoji sequences, Persian), spaces and letters are not controls.
    for (char32_t c : {0x200B, 0x200C, 0x200D, 0x2060, 0x00A0, 0x0627, 0x0061, 0xFFFC})
        QVERIFY2(!TextDirection::isDirectionControl(c), qPrintable(QString::number(c, 16)));
    QVERIFY(TextDirection::containsDirectionControl(QStringLiteral("account \u202E1234")));
    QVERIFY(
        !TextDirection::containsDirectionControl(QStringLiteral("👨‍👩‍👧 مرحبا")));
}

QTEST_GUILESS_MAIN(TestTextDirection)
#include "tst_textdirection.moc"
