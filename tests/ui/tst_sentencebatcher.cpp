// SentenceBatcher: when streamed text has completed a sentence a screen reader should hear.
// Every case runs character by character, whole and in random chunkings (fixed seeds): where the
// text was cut may batch sentences together but never splits one.
#include "ui/SentenceBatcher.h"

#include <QRandomGenerator>
#include <QTest>

using namespace qalam;

namespace {

// Feeds `text` in the given pieces, taking after each; then takes everything at the end.
QStringList announce(const QString &text, const QList<qsizetype> &cuts)
{
    SentenceBatcher batcher;
    QStringList out;
    qsizetype at = 0;
    const auto takeInto = [&](std::optional<SentenceBatcher::Range> range) {
        if (range)
            out.append(text.mid(range->start, range->length));
    };
    for (qsizetype cut : cuts) {
        batcher.append(QStringView(text).mid(at, cut - at));
        at = cut;
        takeInto(batcher.take());
    }
    batcher.append(QStringView(text).mid(at));
    takeInto(batcher.take());
    takeInto(batcher.takeAll());
    return out;
}

QList<qsizetype> everyCharacter(const QString &text)
{
    QList<qsizetype> cuts;
    for (qsizetype i = 1; i < text.size(); ++i)
        cuts.append(i);
    return cuts;
}

QList<qsizetype> randomCuts(const QString &text, quint32 seed)
{
    QRandomGenerator random(seed);
    QList<qsizetype> cuts;
    for (qsizetype at = random.bounded(1, 6); at < text.size(); at += random.bounded(1, 9))
        cuts.append(at);
    return cuts;
}

} // namespace

class TestSentenceBatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sentences_data();
    void sentences();
    void nothingIsReadyBeforeASentenceEnds();
    void startsAfterWhatWasAnnounced();
    void lastSentenceEndInRenderedText();
};

void TestSentenceBatcher::sentences_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("marks") << QStringLiteral("Hello world. How are you? Fine! Thanks")
                           << QStringList{QStringLiteral("Hello world. "),
                                          QStringLiteral("How are you? "), QStringLiteral("Fine! "),
                                          QStringLiteral("Thanks")};
    QTest::newRow("numbers and hosts")
        << QStringLiteral("Qt 6.4.2 is on example.com today. Version 3.14 too.")
        << QStringList{QStringLiteral("Qt 6.4.2 is on example.com today. "),
                       QStringLiteral("Version 3.14 too.")};
    QTest::newRow("arabic") << QStringLiteral("ما هو قلم؟ إنه عميل. شكرا")
                            << QStringList{QStringLiteral("ما هو قلم؟ "),
                                           QStringLiteral("إنه عميل. "), QStringLiteral("شكرا")};
    QTest::newRow("ellipsis") << QStringLiteral("Wait… then go")
                              << QStringList{QStringLiteral("Wait… "), QStringLiteral("then go")};
    QTest::newRow("closing quotes and emphasis")
        << QStringLiteral("He said \"yes.\" Then **Done.** Next (see this.) end")
        << QStringList{QStringLiteral("He said \"yes.\" "), QStringLiteral("Then **Done.** "),
                       QStringLiteral("Next (see this.) "), QStringLiteral("end")};
    QTest::newRow("lines") << QStringLiteral("# Title\n- one\n- two\n\nText")
                           << QStringList{QStringLiteral("# Title\n"), QStringLiteral("- one\n"),
                                          QStringLiteral("- two\n"), QStringLiteral("\n"),
                                          QStringLiteral("Text")};
    QTest::newRow("mark at the very end") << QStringLiteral("Only one sentence.")
                                          << QStringList{QStringLiteral("Only one sentence.")};
    QTest::newRow("empty") << QString() << QStringList{};
}

void TestSentenceBatcher::sentences()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    // Fed as it would stream at worst, one character at a time: one announcement per sentence.
    QCOMPARE(announce(text, everyCharacter(text)), expected);

    // In bigger pieces several sentences may be ready at once and go out together, but a piece
    // always ends where a sentence ends, and together they are the text.
    QList<qsizetype> sentenceEnds;
    qsizetype end = 0;
    for (const QString &sentence : expected)
        sentenceEnds.append(end += sentence.size());
    const auto check = [&](const QStringList &pieces, const QString &how) {
        QCOMPARE(pieces.join(QString()), text);
        qsizetype at = 0;
        for (const QString &piece : pieces) {
            at += piece.size();
            QVERIFY2(sentenceEnds.contains(at), qPrintable(how + QStringLiteral(": ") + piece));
        }
    };
    check(announce(text, {}), QStringLiteral("whole"));
    for (quint32 seed = 1; seed <= 32; ++seed)
        check(announce(text, randomCuts(text, seed)), QStringLiteral("seed %1").arg(seed));
}

void TestSentenceBatcher::nothingIsReadyBeforeASentenceEnds()
{
    SentenceBatcher batcher;
    for (const QString &token :
         {QStringLiteral("The"), QStringLiteral(" answer"), QStringLiteral(" is 3"),
          QStringLiteral("."), QStringLiteral("5 percent")}) {
        batcher.append(token);
        QVERIFY(!batcher.hasReady());
        QVERIFY(!batcher.take());
    }
    batcher.append(QStringLiteral(". And"));
    QVERIFY(batcher.hasReady());
    QVERIFY(batcher.take() == (SentenceBatcher::Range{0, 27}));
    QVERIFY(!batcher.take()); // taken once
    QVERIFY(batcher.takeAll() == (SentenceBatcher::Range{27, 3}));
    QVERIFY(!batcher.takeAll());
}

void TestSentenceBatcher::startsAfterWhatWasAnnounced()
{
    // An answer continued in place: its first 10 units were read out before.
    SentenceBatcher batcher(10);
    QCOMPARE(batcher.length(), 10);
    batcher.append(QStringLiteral(" more. "));
    QVERIFY(batcher.take() == (SentenceBatcher::Range{10, 7}));
    batcher.reset();
    QCOMPARE(batcher.length(), 0);
    batcher.append(QStringLiteral("x. "));
    QVERIFY(batcher.take() == (SentenceBatcher::Range{0, 3}));
}

void TestSentenceBatcher::lastSentenceEndInRenderedText()
{
    const QString text = QStringLiteral("One. Two? Thr");
    QCOMPARE(SentenceBatcher::lastSentenceEnd(text, 0), 10);
    QCOMPARE(SentenceBatcher::lastSentenceEnd(text, 10), 10); // nothing after: from
    QCOMPARE(SentenceBatcher::lastSentenceEnd(text, 5), 10);
    // Shown text loses the space after the last mark; the caller knows one followed.
    QCOMPARE(SentenceBatcher::lastSentenceEnd(QStringLiteral("One. Two."), 0), 5);
    QCOMPARE(SentenceBatcher::lastSentenceEnd(QStringLiteral("One. Two."), 0, true), 9);
    QCOMPARE(SentenceBatcher::lastSentenceEnd(QStringLiteral("Line\nNext"), 0), 5);
    QCOMPARE(SentenceBatcher::lastSentenceEnd(text, 99), text.size()); // clamped
}

QTEST_GUILESS_MAIN(TestSentenceBatcher)
#include "tst_sentencebatcher.moc"
