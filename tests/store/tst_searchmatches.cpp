// Search results with snippets: SearchSnippet cuts the text around the match and says where the
// match is; ConversationStore::searchMatches finds the same conversations as search(), in the
// same order, each with the snippet of its first matching message, through the FTS5 index and
// through the LIKE scan, in English and in Arabic. Real SQLite files in temporary directories.
#include "store/ConversationStore.h"
#include "store/SearchSnippet.h"

#include <QTemporaryDir>
#include <QTest>

using namespace qalam;

class TestSearchMatches : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snippetAroundTheMatch();
    void snippetFoldsWhitespaceAndKeepsMarkupAsText();
    void snippetWithoutMatchIsTheStart();
    void snippetDoesNotSplitASurrogatePair();
    void matches_data();
    void matches();
};

void TestSearchMatches::snippetAroundTheMatch()
{
    const QString text = QStringLiteral(
        "Qalam keeps every answer it received. The quick brown fox jumps over the lazy dog near "
        "the riverbank, and then it keeps running for a very long time across the fields.");
    const SearchSnippet snippet = SearchSnippet::around(text, QStringLiteral("LAZY"));
    QVERIFY(snippet.hasMatch());
    QCOMPARE(snippet.text.mid(snippet.matchStart, snippet.matchLength), QStringLiteral("lazy"));
    QVERIFY2(snippet.matchStart <= 26, qPrintable(snippet.text)); // near the start
    QVERIFY(snippet.text.startsWith(QChar(0x2026)));              // cut before
    QVERIFY(snippet.text.size() <= 170);
    // The cut lands between words.
    QVERIFY2(snippet.text.mid(1).startsWith(QStringLiteral("fox")) ||
                 snippet.text.mid(1).startsWith(QStringLiteral("brown")) ||
                 snippet.text.mid(1).startsWith(QStringLiteral("jumps")),
             qPrintable(snippet.text));

    const QString arabic = QStringLiteral("كتبت الرسالة بالقلم الأزرق على الورق الأبيض");
    const SearchSnippet ar = SearchSnippet::around(arabic, QStringLiteral("قلم"));
    QCOMPARE(ar.text, arabic); // short: whole
    QCOMPARE(ar.text.mid(ar.matchStart, ar.matchLength), QStringLiteral("قلم"));
    QVERIFY(ar.text.isRightToLeft());
}

void TestSearchMatches::snippetFoldsWhitespaceAndKeepsMarkupAsText()
{
    const SearchSnippet snippet =
        SearchSnippet::around(QStringLiteral("# Title\n\n  <b>bold</b>\tand   *the* needle\n\nend"),
                              QStringLiteral("needle"), 64);
    QCOMPARE(snippet.text, QStringLiteral("# Title <b>bold</b> and *the* needle end"));
    QCOMPARE(snippet.text.mid(snippet.matchStart, snippet.matchLength), QStringLiteral("needle"));
}

void TestSearchMatches::snippetWithoutMatchIsTheStart()
{
    const SearchSnippet snippet =
        SearchSnippet::around(QStringLiteral("nothing here to see"), QStringLiteral("absent"));
    QVERIFY(!snippet.hasMatch());
    QCOMPARE(snippet.text, QStringLiteral("nothing here to see"));
}

void TestSearchMatches::snippetDoesNotSplitASurrogatePair()
{
    // Emoji (two UTF-16 units each) all around, so every cut point is next to one.
    QString text;
    for (int i = 0; i < 80; ++i)
        text += QStringLiteral("😀");
    text += QStringLiteral("needle");
    for (int i = 0; i < 200; ++i)
        text += QStringLiteral("😀");
    for (int before : {23, 24, 25}) {
        const SearchSnippet snippet = SearchSnippet::around(text, QStringLiteral("needle"), before);
        QVERIFY(snippet.hasMatch());
        for (qsizetype i = 0; i < snippet.text.size(); ++i) {
            const QChar c = snippet.text.at(i);
            if (c.isHighSurrogate())
                QVERIFY(i + 1 < snippet.text.size() && snippet.text.at(i + 1).isLowSurrogate());
            if (c.isLowSurrogate())
                QVERIFY(i > 0 && snippet.text.at(i - 1).isHighSurrogate());
        }
    }
}

void TestSearchMatches::matches_data()
{
    QTest::addColumn<bool>("fullText");
    QTest::newRow("fts5") << true;
    QTest::newRow("like") << false;
}

void TestSearchMatches::matches()
{
    QFETCH(bool, fullText);
    QTemporaryDir dir;
    ConversationStore::Options options;
    options.fullTextSearch = fullText;
    ConversationStore store(dir.filePath(QStringLiteral("qalam.sqlite3")), options);
    QVERIFY(store.isOpen());
    QCOMPARE(store.usesFullTextSearch(), fullText);
    qint64 stamp = 1'700'000'000'000;
    store.setClock([&stamp] { return QDateTime::fromMSecsSinceEpoch(stamp, Qt::UTC); });

    const auto english = store.createConversation(QStringLiteral("Animals"));
    QVERIFY(store.addMessage(english->id, StoredMessage::Role::User,
                             QStringLiteral("Tell me about dogs")));
    QVERIFY(store.addMessage(english->id, StoredMessage::Role::Assistant,
                             QStringLiteral("The quick brown fox jumps over the lazy dog.")));
    QVERIFY(store.addMessage(english->id, StoredMessage::Role::User,
                             QStringLiteral("Another lazy question")));
    stamp += 1000;
    const auto arabic = store.createConversation(QStringLiteral("الكتابة"));
    QVERIFY(store.addMessage(arabic->id, StoredMessage::Role::User,
                             QStringLiteral("كتبت الرسالة بالقلم الأزرق")));
    stamp += 1000;
    const auto titled = store.createConversation(QStringLiteral("A lazy Sunday"));
    stamp += 1000;
    QVERIFY(store.createConversation(QStringLiteral("Unrelated")));

    // English: the title match first (newest), then the message match with its snippet, taken
    // from the first matching message.
    const auto lazy = store.searchMatches(QStringLiteral("lazy"));
    QVERIFY(lazy);
    QCOMPARE(lazy->size(), 2);
    QCOMPARE(lazy->at(0).conversation.id, titled->id);
    QCOMPARE(lazy->at(0).messageId, 0);
    QVERIFY(lazy->at(0).snippet.text.isEmpty());
    QCOMPARE(lazy->at(1).conversation.id, english->id);
    const SearchSnippet &snippet = lazy->at(1).snippet;
    // Cut before, at a space, so the match is near the start of a narrow sidebar's line.
    QCOMPARE(snippet.text, QStringLiteral("…fox jumps over the lazy dog."));
    QCOMPARE(snippet.text.mid(snippet.matchStart, snippet.matchLength), QStringLiteral("lazy"));
    // The same conversations as search(), in its order.
    const auto plain = store.search(QStringLiteral("lazy"));
    QCOMPARE(plain->size(), lazy->size());
    for (qsizetype i = 0; i < plain->size(); ++i)
        QCOMPARE(plain->at(i), lazy->at(i).conversation);

    // Arabic: the article and the preposition are attached (بالقلم); the match is found inside.
    const auto pen = store.searchMatches(QStringLiteral("قلم"));
    QVERIFY(pen);
    QCOMPARE(pen->size(), 1);
    QCOMPARE(pen->at(0).conversation.id, arabic->id);
    const SearchSnippet &ar = pen->at(0).snippet;
    QCOMPARE(ar.text.mid(ar.matchStart, ar.matchLength), QStringLiteral("قلم"));
    QVERIFY(ar.text.isRightToLeft());

    // Wildcards are literal; nothing found is an empty list, not an error.
    const auto none = store.searchMatches(QStringLiteral("%_"));
    QVERIFY(none);
    QVERIFY(none->isEmpty());
    QVERIFY(store.searchMatches(QString())->isEmpty());
}

QTEST_GUILESS_MAIN(TestSearchMatches)
#include "tst_searchmatches.moc"
