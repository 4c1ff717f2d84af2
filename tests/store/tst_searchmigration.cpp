// Folded search on real SQLite files: a database of schema v3 as it shipped (written with its own
// SQL, rows with harakat, hamza, teh marbuta, alef maksura and tatweel) is opened by the store,
// migrated to v4, and found the way people type, the match over the original characters. Also:
// what the store writes later is folded, a half-done or failed migration, rows written behind the
// store's back, and a damaged v3 file going through StoreRecovery. Both search paths (the FTS5
// index and the LIKE scan) run every search test.
#include "StoreTestSupport.h"

#include "store/ConversationStore.h"
#include "store/SearchFolding.h"
#include "store/StoreRecovery.h"
#include "store/StoreSchema.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace qalam;
using qalam::test::RawDatabase;

namespace {

using Role = StoredMessage::Role;
using State = StoredMessage::State;

// Schema v3 exactly as it shipped (v1, the v2 additions, the v3 columns and index), frozen here:
// the migration must keep working from what is on users' disks.
const char *const v3Schema[] = {
    "CREATE TABLE conversations ( id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL "
    "DEFAULT '', profile TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, updated_at "
    "INTEGER NOT NULL)",
    "CREATE INDEX conversations_by_update ON conversations(updated_at, id)",
    "CREATE TABLE messages ( id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INTEGER NOT "
    "NULL REFERENCES conversations(id) ON DELETE CASCADE, role TEXT NOT NULL, state TEXT NOT "
    "NULL, error TEXT NOT NULL DEFAULT '', metrics TEXT NOT NULL DEFAULT '', last_event_id TEXT "
    "NOT NULL DEFAULT '', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, content TEXT "
    "NOT NULL DEFAULT '')",
    "CREATE INDEX messages_by_conversation ON messages(conversation_id, id)",
    "CREATE INDEX messages_streaming ON messages(id) WHERE state = 'streaming'",
    "ALTER TABLE messages ADD COLUMN parent_id INTEGER",
    "ALTER TABLE conversations ADD COLUMN leaf_id INTEGER",
    "CREATE INDEX messages_tree ON messages(conversation_id, parent_id, role, id)",
    "PRAGMA user_version = 3",
};

// The v2/v3 search index over the raw text, with its triggers; only where FTS5 exists.
const char *const v3SearchIndex[] = {
    "CREATE VIRTUAL TABLE message_fts USING fts5(content, tokenize='trigram')",
    "CREATE TRIGGER message_fts_insert AFTER INSERT ON messages WHEN new.state <> 'streaming' "
    "BEGIN INSERT INTO message_fts(rowid, content) VALUES (new.id, new.content); END",
    "CREATE TRIGGER message_fts_update AFTER UPDATE OF content, state ON messages WHEN "
    "old.state <> 'streaming' OR new.state <> 'streaming' BEGIN DELETE FROM message_fts WHERE "
    "rowid = old.id; INSERT INTO message_fts(rowid, content) SELECT new.id, new.content WHERE "
    "new.state <> 'streaming'; END",
    "CREATE TRIGGER message_fts_delete AFTER DELETE ON messages BEGIN DELETE FROM message_fts "
    "WHERE rowid = old.id; END",
};

struct FixtureConversation
{
    qint64 id;
    const char *title;
    qint64 leaf;
};

struct FixtureMessage
{
    qint64 id;
    qint64 conversation;
    qint64 parent; // 0: none
    const char *role;
    const char *state;
    const char *content;
};

const FixtureConversation fixtureConversations[] = {
    {1, "أسئلة عن التوصيل", 2},
    {2, "مدرسة", 4},
    {3, "Notes", 7},
};

const FixtureMessage fixtureMessages[] = {
    {1, 1, 0, "user", "complete", "متى يصل الطلب؟"},
    {2, 1, 1, "assistant", "complete", "سوف يُوصَلُ الطلبُ غدًا إن شاء الله."},
    {3, 2, 0, "user", "complete", "أعيد الدرس من فضلك"},
    {4, 2, 3, "assistant", "complete", "ذهبتُ إلى المدرسةِ على الطريقِ الطويل"},
    {5, 3, 0, "user", "complete", "The Lazy Dog"},
    {6, 3, 5, "assistant", "complete", "الحمد للـــه، اللـــه أكبر"},
    {7, 3, 6, "assistant", "streaming", "جارٍ الكتابة عن المُسْتَشْفَى"},
};

QString utf8(const char *text)
{
    return QString::fromUtf8(text);
}

// The matched text of the match for conversation id in matches; "<absent>" when the
// conversation is not among them, "" when only its title matched.
QString highlighted(const std::optional<QList<ConversationMatch>> &matches, qint64 id)
{
    if (!matches)
        return QStringLiteral("<failed>");
    for (const ConversationMatch &match : *matches) {
        if (match.conversation.id != id)
            continue;
        const SearchSnippet &snippet = match.snippet;
        if (!snippet.hasMatch())
            return QString();
        return snippet.text.mid(snippet.matchStart, snippet.matchLength);
    }
    return QStringLiteral("<absent>");
}

QList<qint64> ids(const std::optional<QList<ConversationMatch>> &matches)
{
    QList<qint64> result;
    if (matches) {
        for (const ConversationMatch &match : *matches)
            result.append(match.conversation.id);
    }
    return result;
}

QList<qint64> ids(const std::optional<QList<Conversation>> &conversations)
{
    QList<qint64> result;
    if (conversations) {
        for (const Conversation &conversation : *conversations)
            result.append(conversation.id);
    }
    return result;
}

} // namespace

class TestSearchMigration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void migratesVersion3AndFindsAsTyped_data();
    void migratesVersion3AndFindsAsTyped();
    void newWritesAreFolded_data();
    void newWritesAreFolded();
    void streamingSavesAreFoldedExactly();
    void halfDoneMigrationIsRedone();
    void failedMigrationRollsBack();
    void foldsRowsWrittenBehindTheStoresBack();
    void damagedVersion3FileIsRecovered();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("qalam.sqlite3")); }
    static bool ftsAvailable();
    // The v3 fixture at path(), with the old search index when FTS5 exists.
    void writeV3Fixture(int fillerMessages = 0);
    std::unique_ptr<ConversationStore> openStore(bool fullTextSearch)
    {
        ConversationStore::Options options;
        options.fullTextSearch = fullTextSearch;
        return std::make_unique<ConversationStore>(path(), options);
    }
    static void addSearchModes();

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSearchMigration::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSearchMigration::cleanup()
{
    m_dir.reset();
}

bool TestSearchMigration::ftsAvailable()
{
    QTemporaryDir dir;
    RawDatabase raw(dir.filePath(QStringLiteral("probe.sqlite3")));
    return raw.exec(
        QStringLiteral("CREATE VIRTUAL TABLE temp.p USING fts5(x, tokenize='trigram')"));
}

void TestSearchMigration::addSearchModes()
{
    QTest::addColumn<bool>("fullTextSearch");
    QTest::newRow("fts5") << true;
    QTest::newRow("like") << false;
}

void TestSearchMigration::writeV3Fixture(int fillerMessages)
{
    RawDatabase raw(path());
    QVERIFY(raw.isOpen());
    for (const char *sql : v3Schema)
        QVERIFY2(raw.exec(utf8(sql)), qPrintable(raw.lastError()));
    if (ftsAvailable()) {
        for (const char *sql : v3SearchIndex)
            QVERIFY2(raw.exec(utf8(sql)), qPrintable(raw.lastError()));
    }
    for (const FixtureConversation &c : fixtureConversations) {
        QVERIFY2(raw.exec(QStringLiteral("INSERT INTO conversations (id, title, profile, "
                                         "created_at, updated_at, leaf_id) VALUES (?, ?, '', ?, "
                                         "?, ?)"),
                          {c.id, utf8(c.title), 1000 + c.id, 2000 + c.id, c.leaf}),
                 qPrintable(raw.lastError()));
    }
    for (const FixtureMessage &m : fixtureMessages) {
        QVERIFY2(raw.exec(QStringLiteral("INSERT INTO messages (id, conversation_id, parent_id, "
                                         "role, state, created_at, updated_at, content) VALUES "
                                         "(?, ?, ?, ?, ?, ?, ?, ?)"),
                          {m.id, m.conversation,
                           m.parent > 0 ? QVariant(m.parent)
                                        : QVariant(QMetaType::fromType<qlonglong>()),
                           utf8(m.role), utf8(m.state), 1000 + m.id, 2000 + m.id, utf8(m.content)}),
                 qPrintable(raw.lastError()));
    }
    // Filler in a conversation of its own, to give the table many pages (damage tests).
    if (fillerMessages > 0) {
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO conversations (id, title, profile, "
                                        "created_at, updated_at) VALUES (9, 'filler', '', 1, 1)")));
        QVERIFY(raw.exec(QStringLiteral("BEGIN")));
        for (int i = 0; i < fillerMessages; ++i) {
            QVERIFY2(raw.exec(QStringLiteral("INSERT INTO messages (conversation_id, role, state, "
                                             "created_at, updated_at, content) VALUES (9, "
                                             "'assistant', 'complete', 1, 1, ?)"),
                              {QStringLiteral("filler %1 ").arg(i).repeated(20)}),
                     qPrintable(raw.lastError()));
        }
        QVERIFY(raw.exec(QStringLiteral("COMMIT")));
    }
}

void TestSearchMigration::migratesVersion3AndFindsAsTyped_data()
{
    addSearchModes();
}

void TestSearchMigration::migratesVersion3AndFindsAsTyped()
{
    QFETCH(bool, fullTextSearch);
    if (fullTextSearch && !ftsAvailable())
        QSKIP("this SQLite has no FTS5 trigram tokenizer");
    writeV3Fixture();
    if (QTest::currentTestFailed())
        return;

    auto store = openStore(fullTextSearch);
    QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
    QCOMPARE(store->usesFullTextSearch(), fullTextSearch);

    // Harakat: the highlight covers the original letters with their harakat.
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("يوصل")), 1), QStringLiteral("يُوصَلُ"));
    QCOMPARE(ids(store->searchMatches(QStringLiteral("يوصل"))), QList<qint64>{1});
    // The query may carry harakat too.
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("يُوصَل")), 1), QStringLiteral("يُوصَلُ"));
    // Hamza, teh marbuta, alef maksura, tatweel.
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("اعيد")), 2), QStringLiteral("أعيد"));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("مدرسه")), 2),
             QStringLiteral("مدرسةِ"));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("علي")), 2), QStringLiteral("على"));
    const auto god = store->searchMatches(QStringLiteral("الله"));
    QCOMPARE(ids(god), (QList<qint64>{3, 1})); // most recently updated first
    QCOMPARE(highlighted(god, 3), QStringLiteral("اللـــه"));
    QCOMPARE(highlighted(god, 1), QStringLiteral("الله"));
    // English, any case.
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("LAZY")), 3), QStringLiteral("Lazy"));
    // Under three folded characters (the LIKE scan in both modes), folded the same way.
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("يو")), 1), QStringLiteral("يُو"));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("يُوُ")), 1), QStringLiteral("يُو"));
    QCOMPARE(ids(store->search(QStringLiteral("يو"))), QList<qint64>{1});
    // The streaming answer is found by the scan.
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("شف")), 3), QStringLiteral("شْفَ"));
    // Titles are folded as well: a title-only match has no snippet.
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("اسئله")), 1), QString());
    QCOMPARE(ids(store->search(QStringLiteral("اسئله"))), QList<qint64>{1});
    // search() agrees with searchMatches().
    QCOMPARE(ids(store->search(QStringLiteral("الله"))), (QList<qint64>{3, 1}));
    QCOMPARE(ids(store->search(QStringLiteral("مدرسه"))), QList<qint64>{2});
    // Harakat alone look for nothing; nothing lists everything but the empty search.
    QVERIFY(store->searchMatches(QStringLiteral("\u064E\u064F"))->isEmpty());
    QVERIFY(store->search(QStringLiteral("\u064E"))->isEmpty());
    QCOMPARE(store->search(QString())->size(), 3);
    // What does not match still does not.
    QVERIFY(store->searchMatches(QStringLiteral("مسؤول"))->isEmpty());
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
    store.reset();

    // Behind the store's back: the version, the folded columns, the original text untouched.
    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 4);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT content FROM messages WHERE id = 2")).toString(),
             utf8(fixtureMessages[1].content));
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT folded_content FROM messages WHERE id = 2")).toString(),
        QStringLiteral("سوف يوصل الطلب غدا ان شاء الله."));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT folded_title FROM conversations WHERE id = 1"))
                 .toString(),
             QStringLiteral("اسئله عن التوصيل"));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM messages WHERE folded_content IS "
                                       "NULL"))
                 .toInt(),
             0);
    // The index is over the folded text now (and absent in the LIKE mode).
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = "
                                       "'message_fts' AND sql LIKE '%folded%'"))
                 .toInt(),
             fullTextSearch ? 1 : 0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                       "AND sql LIKE '%new.content)%'"))
                 .toInt(),
             0);
}

void TestSearchMigration::newWritesAreFolded_data()
{
    addSearchModes();
}

void TestSearchMigration::newWritesAreFolded()
{
    QFETCH(bool, fullTextSearch);
    if (fullTextSearch && !ftsAvailable())
        QSKIP("this SQLite has no FTS5 trigram tokenizer");
    writeV3Fixture();
    if (QTest::currentTestFailed())
        return;
    auto store = openStore(fullTextSearch);
    QVERIFY2(store->isOpen(), qPrintable(store->lastError()));

    // A new conversation and message.
    const auto created = store->createConversation(QStringLiteral("رحلةٌ إلى مكّة"));
    QVERIFY(created);
    const auto question = store->addMessage(created->id, Role::User, QStringLiteral("إِنَّ الْقَلَمَ"));
    QVERIFY2(question, qPrintable(store->lastError()));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("ان القلم")), created->id),
             QStringLiteral("إِنَّ الْقَلَمَ"));
    QCOMPARE(ids(store->search(QStringLiteral("رحله الي مكه"))), QList<qint64>{created->id});

    // An answer saved while it streams, then finished: the scan finds it meanwhile, and
    // both paths once it is complete.
    const auto answer =
        store->addMessage(created->id, Role::Assistant, QString(), State::Streaming);
    QVERIFY(answer);
    QVERIFY(store->updateMessage(answer->id, QStringLiteral("بالتَّوْفِيقِ"), State::Streaming));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("تو")), created->id),
             QStringLiteral("تَّوْ"));
    QVERIFY(store->updateMessage(answer->id, QStringLiteral("بالتَّوْفِيقِ يا صديقي"), State::Complete));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("توفيق")), created->id),
             QStringLiteral("تَّوْفِيقِ"));

    // The streaming answer of the fixture, finished by the store.
    QVERIFY(store->updateMessage(7, QStringLiteral("المُسْتَشْفَى قريبٌ"), State::Complete));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("مستشفي")), 3),
             QStringLiteral("مُسْتَشْفَى"));

    // A renamed conversation is found by its new title only.
    QVERIFY(store->renameConversation(3, QStringLiteral("ملاحظاتٌ")));
    QCOMPARE(ids(store->search(QStringLiteral("ملاحظات"))), QList<qint64>{3});
    QVERIFY(store->search(QStringLiteral("notes"))->isEmpty());

    // A deleted conversation leaves the index.
    QVERIFY(store->deleteConversation(2));
    QVERIFY(store->searchMatches(QStringLiteral("اعيد"))->isEmpty());
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));

    // Reopened: nothing is folded again, everything is still found.
    store = openStore(fullTextSearch);
    QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
    QCOMPARE(ids(store->search(QStringLiteral("توفيق"))), QList<qint64>{created->id});
}

void TestSearchMigration::streamingSavesAreFoldedExactly()
{
    // The store folds only what a streaming answer appended since its last save; the column
    // must still hold exactly the fold of the whole text, whatever the cut between saves (a
    // combining hamza just after the cut, a surrogate pair, a rewrite that is no extension).
    auto store = openStore(true);
    QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
    const auto conversation = store->createConversation(QStringLiteral("stream"));
    const auto answer =
        store->addMessage(conversation->id, Role::Assistant, QString(), State::Streaming);
    QVERIFY(answer);
    RawDatabase raw(path());
    const QString pieces[] = {
        QStringLiteral("سوف "),
        QStringLiteral("يُو"),
        QStringLiteral("صَل"),
        QStringLiteral("ُ ا"),
        QStringLiteral("\u0654عيد"),
        QStringLiteral("  The LAZY"),
        QStringLiteral(" dog\U0001F600"),
        QStringLiteral("\uFEFB\n"),
        QStringLiteral("e"),
        QStringLiteral("\u0301 END"),
    };
    QString content;
    const auto check = [&] {
        QVERIFY2(store->updateMessage(answer->id, content, State::Streaming),
                 qPrintable(store->lastError()));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT folded_content FROM messages WHERE id = ?"),
                            {answer->id})
                     .toString(),
                 SearchFolding::fold(content));
    };
    for (const QString &piece : pieces) {
        content += piece;
        check();
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(SearchFolding::fold(content),
             QStringLiteral("سوف يوصل اعيد  the lazy dog\U0001F600لا\n\u00E9 end"));
    // Rewritten, not extended (an edited question); then another message in between.
    content = QStringLiteral("نصٌّ آخر تمامًا");
    check();
    const auto other = store->addMessage(conversation->id, Role::User, QStringLiteral("x"));
    QVERIFY(store->updateMessage(other->id, QStringLiteral("أهلًا"), State::Complete));
    content += QStringLiteral(" وأكثر");
    check();
}

void TestSearchMigration::halfDoneMigrationIsRedone()
{
    // A v3 file that already has the folded column, filled with something stale (an attempt
    // interrupted outside a transaction, a hand edit): the migration runs anyway and refolds.
    writeV3Fixture();
    if (QTest::currentTestFailed())
        return;
    {
        RawDatabase raw(path());
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE messages ADD COLUMN folded_content TEXT")));
        QVERIFY(raw.exec(QStringLiteral("UPDATE messages SET folded_content = 'stale'")));
        QVERIFY(raw.exec(QStringLiteral(
            "CREATE INDEX messages_unfolded ON messages(id) WHERE folded_content IS NULL")));
    }
    auto store = openStore(true);
    QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
    QVERIFY(store->searchMatches(QStringLiteral("stale"))->isEmpty());
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("يوصل")), 1), QStringLiteral("يُوصَلُ"));
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
}

void TestSearchMigration::failedMigrationRollsBack()
{
    writeV3Fixture();
    if (QTest::currentTestFailed())
        return;
    const bool fts = ftsAvailable();
    {
        // In the way of the migration's statement after the columns were added and filled.
        RawDatabase raw(path());
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE messages_unfolded (x)")));
    }
    {
        auto store = openStore(true);
        QVERIFY(!store->isOpen());
        QVERIFY2(store->lastError().contains(QStringLiteral("schema version 4")),
                 qPrintable(store->lastError()));
    }
    {
        // Everything as it was: version, no new column, the old index and its triggers.
        RawDatabase raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 3);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM pragma_table_info('messages') "
                                           "WHERE name = 'folded_content'"))
                     .toInt(),
                 0);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM messages")).toInt(), 7);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT content FROM messages WHERE id = 3")).toString(),
                 utf8(fixtureMessages[2].content));
        if (fts) {
            QCOMPARE(raw.scalar(QStringLiteral("SELECT rowid FROM message_fts WHERE message_fts "
                                               "MATCH '\"أعيد\"'"))
                         .toInt(),
                     3);
            QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = "
                                               "'trigger'"))
                         .toInt(),
                     3);
        }
        QVERIFY(raw.exec(QStringLiteral("DROP TABLE messages_unfolded")));
    }
    // Out of the way, the next start migrates.
    auto store = openStore(true);
    QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("اعيد")), 2), QStringLiteral("أعيد"));
}

void TestSearchMigration::foldsRowsWrittenBehindTheStoresBack()
{
    {
        auto store = openStore(true);
        QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
        QVERIFY(store->createConversation(QStringLiteral("first")));
    }
    {
        // Another program adds rows that know nothing of the folded columns.
        RawDatabase raw(path());
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO conversations (title, created_at, "
                                        "updated_at) VALUES (?, 5, 5)"),
                         {QStringLiteral("مُذكّرة")}));
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO messages (conversation_id, role, state, "
                                        "created_at, updated_at, content) VALUES (2, 'user', "
                                        "'complete', 5, 5, ?)"),
                         {QStringLiteral("هل أُعِيدُ المحاولة؟")}));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM messages WHERE folded_content IS "
                                           "NULL"))
                     .toInt(),
                 1);
    }
    auto store = openStore(true);
    QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("اعيد")), 2), QStringLiteral("أُعِيدُ"));
    QCOMPARE(ids(store->search(QStringLiteral("مذكره"))), QList<qint64>{2});
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
}

void TestSearchMigration::damagedVersion3FileIsRecovered()
{
    writeV3Fixture(600);
    if (QTest::currentTestFailed())
        return;
    int victim = 0;
    int pageSize = 0;
    {
        RawDatabase raw(path());
        pageSize = raw.scalar(QStringLiteral("PRAGMA page_size")).toInt();
        // The last leaf page of messages: filler only (the fixture's rows come first).
        const QVariant page = raw.scalar(QStringLiteral(
            "SELECT max(pageno) FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf'"));
        if (!page.isValid())
            QSKIP("this SQLite has no dbstat table to find the pages of a table");
        victim = page.toInt();
    }
    QVERIFY(victim > 1 && pageSize > 0);
    {
        QFile file(path());
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(qint64(victim - 1) * pageSize));
        const QByteArray garbage = QByteArray("GARBAGE!").repeated(pageSize / 8);
        QCOMPARE(file.write(garbage), garbage.size());
    }

    // The migration reads every message, meets the damage and changes nothing.
    {
        auto store = openStore(true);
        QVERIFY(!store->isOpen());
        QCOMPARE(store->lastErrorKind(), ConversationStore::ErrorKind::Damaged);
    }
    {
        RawDatabase raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 3);
    }
    // As at every start: the check says damaged, recovery saves what is readable.
    QCOMPARE(StoreRecovery::check(path()).health, StoreRecovery::Health::Damaged);
    const StoreRecovery::Result recovered = StoreRecovery::recover(path());
    QVERIFY2(recovered.ok, qPrintable(recovered.error));
    QVERIFY(QFile::exists(recovered.damagedPath));
    QVERIFY(recovered.messages >= 7);

    auto store = openStore(true);
    QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("يوصل")), 1), QStringLiteral("يُوصَلُ"));
    QCOMPARE(highlighted(store->searchMatches(QStringLiteral("اعيد")), 2), QStringLiteral("أعيد"));
    QCOMPARE(ids(store->search(QStringLiteral("اسئله"))), QList<qint64>{1});
    QCOMPARE(store->message(2)->content, utf8(fixtureMessages[1].content));
    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(),
             StoreSchema::currentVersion);
}

QTEST_GUILESS_MAIN(TestSearchMigration)
#include "tst_searchmigration.moc"
