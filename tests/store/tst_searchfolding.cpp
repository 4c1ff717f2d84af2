// SearchFolding: each class of characters it folds, what it keeps, where each folded unit came
// from, and find() giving the match in the original text's characters (harakat included).
#include "store/SearchFolding.h"
#include "store/SearchSnippet.h"

#include <QTest>

using namespace qalam;

namespace {

// The original text a match covers.
QString matched(const QString &haystack, const QString &needle)
{
    const SearchFolding::Match match = SearchFolding::find(haystack, needle);
    return match.isValid() ? haystack.mid(match.start, match.length) : QStringLiteral("<none>");
}

} // namespace

class TestSearchFolding : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void folds_data();
    void folds();
    void keepsWhatPeopleTypeApart();
    void arabicBlockAgreesWithUnicodeTables();
    void foldedTextOfUnchangedTextIsEqual();
    void originsPointIntoTheOriginal();
    void originsOfExpansionsAndSurrogates();
    void findCoversTheOriginalCharacters_data();
    void findCoversTheOriginalCharacters();
    void findWithoutMatch();
    void snippetHighlightsTheOriginal();
};

void TestSearchFolding::folds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("folded");

    // Harakat: fatha, damma, kasra, sukun, shadda, the tanween, superscript alef.
    QTest::newRow("harakat") << QStringLiteral("يُوصَلُ") << QStringLiteral("يوصل");
    QTest::newRow("shadda, sukun, tanween")
        << QStringLiteral("مُحَمَّدٌ كِتَابًا مِنْ") << QStringLiteral("محمد كتابا من");
    QTest::newRow("superscript alef") << QStringLiteral("هٰذا") << QStringLiteral("هذا");
    QTest::newRow("quranic marks")
        << QStringLiteral("الْكِتَٰبُ ۛ فِيهِ ۚ") << QStringLiteral("الكتب  فيه ");
    QTest::newRow("tatweel") << QStringLiteral("اللـــه") << QStringLiteral("الله");
    // Alef forms.
    QTest::newRow("alef hamza above") << QStringLiteral("أعيد") << QStringLiteral("اعيد");
    QTest::newRow("alef hamza below") << QStringLiteral("إسلام") << QStringLiteral("اسلام");
    QTest::newRow("alef madda") << QStringLiteral("آمن") << QStringLiteral("امن");
    QTest::newRow("alef wasla") << QStringLiteral("ٱلله") << QStringLiteral("الله");
    QTest::newRow("alef maksura") << QStringLiteral("على") << QStringLiteral("علي");
    QTest::newRow("teh marbuta") << QStringLiteral("مدرسة") << QStringLiteral("مدرسه");
    // Decomposed letters fold like the precomposed ones.
    QTest::newRow("alef + combining hamza")
        << QStringLiteral("\u0627\u0654\u0639\u064A\u062F") << QStringLiteral("اعيد");
    QTest::newRow("waw + combining hamza") << QStringLiteral("\u0648\u0654") << QStringLiteral("ؤ");
    QTest::newRow("e + combining acute") << QStringLiteral("Cafe\u0301") << QStringLiteral("café");
    // Presentation forms (NFKC, one character at a time).
    QTest::newRow("lam-alef ligature") << QStringLiteral("\uFEFB") << QStringLiteral("لا");
    QTest::newRow("lam-alef with hamza") << QStringLiteral("\uFEF7") << QStringLiteral("لا");
    QTest::newRow("allah ligature") << QStringLiteral("\uFDF2") << QStringLiteral("الله");
    QTest::newRow("contextual forms")
        << QStringLiteral("\uFEE3\uFEAE\uFEA3\uFE92\uFE8E") << QStringLiteral("مرحبا");
    QTest::newRow("latin ligature") << QStringLiteral("\uFB01le") << QStringLiteral("file");
    QTest::newRow("full-width") << QStringLiteral("\uFF31\uFF41\uFF4C\uFF41\uFF4D")
                                << QStringLiteral("qalam");
    QTest::newRow("no-break space") << QStringLiteral("a\u00A0b") << QStringLiteral("a b");
    // Invisible format characters.
    QTest::newRow("zwnj, rlm, bidi isolate")
        << QStringLiteral("\u2067مر\u200Cحبا\u200F\u2069") << QStringLiteral("مرحبا");
    QTest::newRow("soft hyphen, bom")
        << QStringLiteral("\uFEFFsearch\u00ADable") << QStringLiteral("searchable");
    // Digits.
    QTest::newRow("arabic-indic digits") << QStringLiteral("٢٠٢٤") << QStringLiteral("2024");
    QTest::newRow("persian digits") << QStringLiteral("۱۲۳") << QStringLiteral("123");
    // Case.
    QTest::newRow("english") << QStringLiteral("The LAZY Dog") << QStringLiteral("the lazy dog");
    QTest::newRow("latin-1 and greek")
        << QStringLiteral("ÄÖÜ ΣΟΦΙΑ") << QStringLiteral("äöü σοφια");
    QTest::newRow("outside the bmp")
        << QStringLiteral("\U00010400x\U0001F600") << QStringLiteral("\U00010428x\U0001F600");
    QTest::newRow("mixed") << QStringLiteral("شغّل Qt 6 على لينُكس")
                           << QStringLiteral("شغل qt 6 علي لينكس");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("only harakat") << QStringLiteral("\u064E\u0650\u0640") << QString();
}

void TestSearchFolding::folds()
{
    QFETCH(QString, text);
    QFETCH(QString, folded);
    QCOMPARE(SearchFolding::fold(text), folded);
    // Both entry points fold the same way.
    QCOMPARE(SearchFolding::foldWithOrigins(text).text, folded);
    // Folding is idempotent: a folded query folds to itself.
    QCOMPARE(SearchFolding::fold(folded), folded);
}

void TestSearchFolding::keepsWhatPeopleTypeApart()
{
    // Hamza on waw and yeh, and hamza alone, are spellings of their own.
    QCOMPARE(SearchFolding::fold(QStringLiteral("مسؤول")), QStringLiteral("مسؤول"));
    QCOMPARE(SearchFolding::fold(QStringLiteral("رئيس")), QStringLiteral("رئيس"));
    QCOMPARE(SearchFolding::fold(QStringLiteral("سماء")), QStringLiteral("سماء"));
    // Latin accents are letters (only case is folded).
    QCOMPARE(SearchFolding::fold(QStringLiteral("é")), QStringLiteral("é"));
    QVERIFY(SearchFolding::fold(QStringLiteral("é")) != SearchFolding::fold(QStringLiteral("e")));
    // Whitespace, punctuation and line breaks stay (the snippet relies on them).
    QCOMPARE(SearchFolding::fold(QStringLiteral("a, b\n\tc؟")), QStringLiteral("a, b\n\tc؟"));
}

void TestSearchFolding::arabicBlockAgreesWithUnicodeTables()
{
    // The Arabic block is folded without Qt's tables (speed); what the tables say still holds:
    // format characters go, compatibility characters fold as their NFKC form, nothing has case.
    for (char32_t c = 0x0600; c <= 0x06FF; ++c) {
        const QString text = QString::fromUcs4(&c, 1);
        const QString folded = SearchFolding::fold(text);
        const QByteArray where = QByteArray::number(uint(c), 16);
        if (QChar::category(c) == QChar::Other_Format)
            QVERIFY2(folded.isEmpty(), where.constData());
        const QChar::Decomposition tag = QChar::decompositionTag(c);
        if (tag != QChar::NoDecomposition && tag != QChar::Canonical) {
            QCOMPARE(folded, SearchFolding::fold(text.normalized(QString::NormalizationForm_KC)));
        }
        if (QChar::isLetter(c) && !folded.isEmpty())
            QVERIFY2(folded == SearchFolding::fold(QString::fromUcs4(&c, 1).toCaseFolded()),
                     where.constData());
        if (QChar::category(c) == QChar::Mark_NonSpacing)
            QVERIFY2(folded.isEmpty(), where.constData());
    }
}

void TestSearchFolding::foldedTextOfUnchangedTextIsEqual()
{
    const QString plain = QStringLiteral("plain ascii text 123, nothing to fold");
    const SearchFolding::Folded folded = SearchFolding::foldWithOrigins(plain);
    QCOMPARE(folded.text, plain);
    QCOMPARE(folded.origins.size(), plain.size() + 1);
    for (qsizetype i = 0; i <= plain.size(); ++i)
        QCOMPARE(folded.origins.at(i), i);
}

void TestSearchFolding::originsPointIntoTheOriginal()
{
    // ي ُ و ص َ ل: the harakat at 1 and 4 are dropped.
    const QString text = QStringLiteral("يُوصَل");
    const SearchFolding::Folded folded = SearchFolding::foldWithOrigins(text);
    QCOMPARE(folded.text, QStringLiteral("يوصل"));
    QCOMPARE(folded.origins, (QList<qsizetype>{0, 2, 3, 5, 6}));
    // A range ends where the next kept character starts: the haraka after ص belongs to it.
    QCOMPARE(folded.originalStart(1), 2);
    QCOMPARE(folded.originalEnd(1, 2), 5); // و ص َ
    QCOMPARE(folded.originalEnd(0, 4), 6);
    QCOMPARE(folded.originalEnd(2, 0), 3);

    // Tatweel inside a word: الـــله.
    const SearchFolding::Folded stretched = SearchFolding::foldWithOrigins(u"الـــله");
    QCOMPARE(stretched.text, QStringLiteral("الله"));
    QCOMPARE(stretched.origins, (QList<qsizetype>{0, 1, 5, 6, 7}));
}

void TestSearchFolding::originsOfExpansionsAndSurrogates()
{
    // ﻻ (one unit) folds to لا (two): both come from it, and a match of either covers it whole.
    const QString text = QStringLiteral("x\uFEFBy");
    const SearchFolding::Folded folded = SearchFolding::foldWithOrigins(text);
    QCOMPARE(folded.text, QStringLiteral("xلاy"));
    QCOMPARE(folded.origins, (QList<qsizetype>{0, 1, 1, 2, 3}));
    QCOMPARE(folded.originalEnd(1, 1), 2);
    QCOMPARE(SearchFolding::find(text, u"ل"), (SearchFolding::Match{1, 1}));
    QCOMPARE(SearchFolding::find(text, u"اy"), (SearchFolding::Match{1, 2}));

    // A character outside the BMP: both units of its pair point at its start.
    const QString emoji = QStringLiteral("a\U0001F600b");
    const SearchFolding::Folded wide = SearchFolding::foldWithOrigins(emoji);
    QCOMPARE(wide.origins, (QList<qsizetype>{0, 1, 1, 3, 4}));
    QCOMPARE(SearchFolding::find(emoji, QStringLiteral("\U0001F600B")),
             (SearchFolding::Match{1, 3}));

    // A decomposed letter is one character: its origin is the base, its end after the mark.
    const QString decomposed = QStringLiteral("\u0627\u0654\u0639");
    QCOMPARE(SearchFolding::foldWithOrigins(decomposed).origins, (QList<qsizetype>{0, 2, 3}));
}

void TestSearchFolding::findCoversTheOriginalCharacters_data()
{
    QTest::addColumn<QString>("haystack");
    QTest::addColumn<QString>("needle");
    QTest::addColumn<QString>("covered");

    QTest::newRow("harakat in the text")
        << QStringLiteral("سوف يُوصَلُ الطلب") << QStringLiteral("يوصل") << QStringLiteral("يُوصَلُ");
    QTest::newRow("harakat in the query too")
        << QStringLiteral("سوف يُوصَلُ الطلب") << QStringLiteral("يُوصَل") << QStringLiteral("يُوصَلُ");
    QTest::newRow("harakat only in the query")
        << QStringLiteral("سوف يوصل الطلب") << QStringLiteral("يُوصَلُ") << QStringLiteral("يوصل");
    QTest::newRow("a short prefix")
        << QStringLiteral("يُوصَلُ") << QStringLiteral("يو") << QStringLiteral("يُو");
    QTest::newRow("hamza") << QStringLiteral("هل أعيد الشرح؟") << QStringLiteral("اعيد")
                           << QStringLiteral("أعيد");
    QTest::newRow("teh marbuta") << QStringLiteral("إلى المدرسة غدًا") << QStringLiteral("مدرسه")
                                 << QStringLiteral("مدرسة");
    QTest::newRow("alef maksura") << QStringLiteral("مشى على الطريق") << QStringLiteral("علي")
                                  << QStringLiteral("على");
    QTest::newRow("tatweel") << QStringLiteral("الحمد اللـــه") << QStringLiteral("الله")
                             << QStringLiteral("اللـــه");
    QTest::newRow("the haraka before is not the match's")
        << QStringLiteral("بِالقلمِ") << QStringLiteral("القلم") << QStringLiteral("القلمِ");
    QTest::newRow("english") << QStringLiteral("The quick brown fox") << QStringLiteral("QUICK")
                             << QStringLiteral("quick");
    QTest::newRow("across a line break")
        << QStringLiteral("one\ntwo") << QStringLiteral("e\nt") << QStringLiteral("e\nt");
}

void TestSearchFolding::findCoversTheOriginalCharacters()
{
    QFETCH(QString, haystack);
    QFETCH(QString, needle);
    QFETCH(QString, covered);
    QCOMPARE(matched(haystack, needle), covered);
}

void TestSearchFolding::findWithoutMatch()
{
    QVERIFY(!SearchFolding::find(u"مسؤول", u"مسوول").isValid());
    QVERIFY(!SearchFolding::find(u"abc", u"abd").isValid());
    // A needle of harakat alone looks for nothing.
    QVERIFY(!SearchFolding::find(u"يُوصَل", u"\u064F").isValid());
    QVERIFY(!SearchFolding::find(u"abc", u"").isValid());
    QCOMPARE(SearchFolding::find(u"abc", u"abc"), (SearchFolding::Match{0, 3}));
}

void TestSearchFolding::snippetHighlightsTheOriginal()
{
    const QString text =
        QStringLiteral("قال المعلّم: سوف يُوصَلُ الطلبُ إلى المدرسةِ غدًا إن شاء اللـــه.");
    const SearchSnippet snippet = SearchSnippet::around(text, QStringLiteral("يوصل"));
    QVERIFY(snippet.hasMatch());
    QCOMPARE(snippet.text.mid(snippet.matchStart, snippet.matchLength), QStringLiteral("يُوصَلُ"));

    const SearchSnippet end = SearchSnippet::around(text, QStringLiteral("الله"), 8);
    QCOMPARE(end.text.mid(end.matchStart, end.matchLength), QStringLiteral("اللـــه"));
    QVERIFY(end.text.startsWith(QChar(0x2026)));

    // A cut never leaves a haraka at the start without its letter.
    const QString marked = QStringLiteral("مُحَمَّدٌ كَتَبَ بِالْقَلَمِ عَلَى الْوَرَقِ الْأَبْيَضِ ثُمَّ نَامَ");
    for (int before = 1; before < 30; ++before) {
        const SearchSnippet cut = SearchSnippet::around(marked, QStringLiteral("نام"), before);
        QCOMPARE(cut.text.mid(cut.matchStart, cut.matchLength), QStringLiteral("نَامَ"));
        QVERIFY2(!cut.text.mid(1, 1).front().isMark(), qPrintable(cut.text));
    }
}

QTEST_APPLESS_MAIN(TestSearchFolding)
#include "tst_searchfolding.moc"
