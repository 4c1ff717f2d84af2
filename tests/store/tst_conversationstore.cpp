// ConversationStore against real SQLite files: schema and migrations, refusing what it must not
// touch, conversations, search, messages.
#include "StoreTestSupport.h"
#include "store/ConversationStore.h"
#include "store/MessageMetrics.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace qalam;
using qalam::test::fileHash;
using qalam::test::RawDatabase;
using qalam::test::StepClock;

namespace {

using Role = StoredMessage::Role;
using State = StoredMessage::State;

// The version 1 schema exactly as it shipped. Frozen here on purpose: the store's own SQL will
// move on, and the migration must keep working from what is on users' disks.
const char *const v1Schema[] = {
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
    "PRAGMA user_version = 1",
};

// Version 2 as it shipped: v1, then the streaming index and the search index with its triggers.
const char *const v2Additions[] = {
    "CREATE INDEX messages_streaming ON messages(id) WHERE state = 'streaming'",
    "CREATE VIRTUAL TABLE message_fts USING fts5(content, tokenize='trigram')",
    "CREATE TRIGGER message_fts_insert AFTER INSERT ON messages WHEN new.state <> 'streaming' "
    "BEGIN INSERT INTO message_fts(rowid, content) VALUES (new.id, new.content); END",
    "CREATE TRIGGER message_fts_update AFTER UPDATE OF content, state ON messages WHEN "
    "old.state <> 'streaming' OR new.state <> 'streaming' BEGIN DELETE FROM message_fts WHERE "
    "rowid = old.id; INSERT INTO message_fts(rowid, content) SELECT new.id, new.content WHERE "
    "new.state <> 'streaming'; END",
    "CREATE TRIGGER message_fts_delete AFTER DELETE ON messages BEGIN DELETE FROM message_fts "
    "WHERE rowid = old.id; END",
    "PRAGMA user_version = 2",
};

QStringList contents(const std::optional<QList<StoredMessage>> &messages)
{
    QStringList result;
    if (messages) {
        for (const StoredMessage &message : *messages)
            result.append(message.content);
    }
    return result;
}

// "text i/n" per message: its content and its place among its versions.
QStringList versions(const std::optional<QList<StoredMessage>> &messages)
{
    QStringList result;
    if (messages) {
        for (const StoredMessage &message : *messages)
            result.append(QStringLiteral("%1 %2/%3")
                              .arg(message.content)
                              .arg(message.versionIndex)
                              .arg(message.versionCount));
    }
    return result;
}

QStringList titles(const std::optional<QList<Conversation>> &conversations)
{
    QStringList result;
    if (conversations) {
        for (const Conversation &conversation : *conversations)
            result.append(conversation.title);
    }
    return result;
}

} // namespace

class TestConversationStore : public QObject
{
    Q_OBJECT

private:
    QString path() const { return m_dir->filePath(QStringLiteral("qalam.sqlite3")); }
    std::unique_ptr<ConversationStore> openStore(bool fullTextSearch = true)
    {
        ConversationStore::Options options;
        options.fullTextSearch = fullTextSearch;
        auto store = std::make_unique<ConversationStore>(path(), options);
        store->setClock(StepClock());
        return store;
    }
    bool ftsAvailable()
    {
        QTemporaryDir dir;
        ConversationStore probe(dir.filePath(QStringLiteral("probe.sqlite3")));
        return probe.usesFullTextSearch();
    }
    void writeV1Fixture();
    void writeV2Fixture();

    std::unique_ptr<QTemporaryDir> m_dir;

private Q_SLOTS:
    void init();
    void cleanup();

    void createsCurrentSchemaInEmptyFile();
    void migratesFromVersion1_data();
    void migratesFromVersion1();
    void failedMigrationRollsBack();
    void migratesFromVersion2_data();
    void migratesFromVersion2();
    void failedMigrationToVersion3RollsBack();
    void refusesNewerSchemaWithoutTouchingIt();
    void reportsFileThatIsNotADatabase();
    void reportsUnopenablePath();
    void refusesReadOnlyFile();
    void defaultPathIsInAppData();
    void twoStoresOnOneFile();

    void conversationCrud();
    void deleteCascadesToMessages();
    void conversationsOrderedByUpdate();

    void search_data();
    void search();
    void searchFollowsEditsAndDeletes_data();
    void searchFollowsEditsAndDeletes();

    void messageRoundTrip_data();
    void messageRoundTrip();
    void everyRoleAndStateRoundTrips();
    void metricsJsonRoundTrip();
    void messageErrors();
    void deleteMessagesAfter();
    void markStreamingAsInterrupted();
    void markStreamingAsInterruptedReportsFailure();

    void regenerateKeepsEveryVersion();
    void laterTurnsFollowTheirVersion();
    void editedQuestionIsAVersion();
    void deleteVersion();
    void deleteVersionOfFirstMessage();
    void addMessageToAParent();
    void shownPathSurvivesAndHeals();
    void deleteConversationWithVersions();
};

void TestConversationStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // A connection removed while still in use, or any other Qt SQL complaint, is a defect.
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".")));
}

void TestConversationStore::cleanup()
{
    m_dir.reset();
}

void TestConversationStore::writeV1Fixture()
{
    RawDatabase raw(path());
    QVERIFY(raw.isOpen());
    for (const char *statement : v1Schema)
        QVERIFY2(raw.exec(QString::fromUtf8(statement)), qPrintable(raw.lastError()));
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO conversations VALUES (1, ?, 'work', 1000, 2000)"),
                     {QStringLiteral("دفتر ملاحظات")}));
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO messages VALUES (1, 1, 'user', 'complete', '', "
                                    "'', '', 1000, 1000, ?)"),
                     {QStringLiteral("ما معنى القلم؟")}));
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO messages VALUES (2, 1, 'assistant', "
                                    "'streaming', '', '', 'ev-7', 1500, 2000, ?)"),
                     {QStringLiteral("القلم أداة للكتابة")}));
}

void TestConversationStore::writeV2Fixture()
{
    RawDatabase raw(path());
    QVERIFY(raw.isOpen());
    for (const char *statement : v1Schema)
        QVERIFY2(raw.exec(QString::fromUtf8(statement)), qPrintable(raw.lastError()));
    for (const char *statement : v2Additions)
        QVERIFY2(raw.exec(QString::fromUtf8(statement)), qPrintable(raw.lastError()));
    // Two conversations whose messages interleave by id, as two windows asking at once would
    // leave them, and one without messages.
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO conversations VALUES (1, 'first', '', 1000, "
                                    "9000), (2, 'second', 'work', 1100, 9100), (3, 'empty', '', "
                                    "1200, 1200)")));
    const struct
    {
        int id;
        int conversation;
        const char *role;
        const char *state;
        const char *lastEventId;
        QString content;
    } rows[] = {
        {1, 1, "user", "complete", "", QStringLiteral("ما معنى القلم؟")},
        {2, 1, "assistant", "complete", "ev-2", QStringLiteral("القلم أداة للكتابة")},
        {3, 2, "user", "complete", "", QStringLiteral("second question")},
        {4, 2, "assistant", "interrupted", "ev-4", QStringLiteral("half an answer")},
        {5, 1, "user", "complete", "", QStringLiteral("and the inkwell?")},
        {6, 1, "assistant", "streaming", "ev-6", QStringLiteral("the inkwell holds")},
        {7, 2, "user", "complete", "", QStringLiteral("go on")},
    };
    for (const auto &row : rows) {
        QVERIFY2(raw.exec(QStringLiteral("INSERT INTO messages (id, conversation_id, role, state, "
                                         "last_event_id, created_at, updated_at, content) VALUES "
                                         "(?, ?, ?, ?, ?, ?, ?, ?)"),
                          {row.id, row.conversation, QString::fromUtf8(row.role),
                           QString::fromUtf8(row.state), QString::fromUtf8(row.lastEventId),
                           1000 + row.id, 2000 + row.id, row.content}),
                 qPrintable(raw.lastError()));
    }
}

void TestConversationStore::createsCurrentSchemaInEmptyFile()
{
    {
        auto store = openStore();
        QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
        QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
        QCOMPARE(store->conversations()->size(), 0);
    }
    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 4);
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    for (const char *name : {"conversations", "messages", "messages_by_conversation",
                             "messages_streaming", "conversations_by_update", "messages_tree"}) {
        QVERIFY2(raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = ?"),
                            {QString::fromUtf8(name)})
                         .toInt() == 1,
                 name);
    }
    // Reopening an up-to-date file changes nothing.
    auto again = openStore();
    QVERIFY2(again->isOpen(), qPrintable(again->lastError()));
}

void TestConversationStore::migratesFromVersion1_data()
{
    QTest::addColumn<bool>("fullTextSearch");
    QTest::newRow("fts5") << true;
    QTest::newRow("like") << false;
}

void TestConversationStore::migratesFromVersion1()
{
    QFETCH(bool, fullTextSearch);
    if (fullTextSearch && !ftsAvailable())
        QSKIP("this SQLite has no FTS5 trigram tokenizer");
    writeV1Fixture();
    if (QTest::currentTestFailed())
        return;

    auto store = openStore(fullTextSearch);
    QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
    QCOMPARE(store->usesFullTextSearch(), fullTextSearch);

    // Everything that was there is there, field for field.
    const auto conversations = store->conversations();
    QVERIFY(conversations);
    QCOMPARE(conversations->size(), 1);
    QCOMPARE(conversations->at(0).title, QStringLiteral("دفتر ملاحظات"));
    QCOMPARE(conversations->at(0).profile, QStringLiteral("work"));
    QCOMPARE(conversations->at(0).createdAt.toMSecsSinceEpoch(), 1000);
    QCOMPARE(conversations->at(0).updatedAt.toMSecsSinceEpoch(), 2000);
    const auto messages = store->messages(1);
    QVERIFY(messages);
    QCOMPARE(messages->size(), 2);
    QCOMPARE(messages->at(0).content, QStringLiteral("ما معنى القلم؟"));
    QCOMPARE(messages->at(1).role, Role::Assistant);
    QCOMPARE(messages->at(1).state, State::Streaming);
    QCOMPARE(messages->at(1).lastEventId, QStringLiteral("ev-7"));
    QCOMPARE(messages->at(1).createdAt.toMSecsSinceEpoch(), 1500);

    // What v2 added works on the old rows: the index finds pre-existing text, the recovery
    // finds the cut-off answer.
    QCOMPARE(titles(store->search(QStringLiteral("معنى"))),
             QStringList{QStringLiteral("دفتر ملاحظات")});
    QCOMPARE(store->markStreamingAsInterrupted(), std::optional<int>(1));
    QCOMPARE(titles(store->search(QStringLiteral("أداة"))),
             QStringList{QStringLiteral("دفتر ملاحظات")});
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
    // AUTOINCREMENT carried over: new ids continue after the old ones.
    QCOMPARE(store->addMessage(1, Role::User, QStringLiteral("next"))->id, 3);
    store.reset();

    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 4);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = "
                                       "'message_fts'"))
                 .toInt(),
             fullTextSearch ? 1 : 0);
}

void TestConversationStore::failedMigrationRollsBack()
{
    if (!ftsAvailable())
        QSKIP("this SQLite has no FTS5 trigram tokenizer");
    writeV1Fixture();
    if (QTest::currentTestFailed())
        return;
    {
        // Something in the way of the v2 migration's last step, after its first step ran.
        RawDatabase raw(path());
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE message_fts (x)")));
    }
    {
        auto store = openStore();
        QVERIFY(!store->isOpen());
        QVERIFY2(store->lastError().contains(QStringLiteral("schema version 2")),
                 qPrintable(store->lastError()));
        QVERIFY2(store->lastError().contains(path()), qPrintable(store->lastError()));
        QVERIFY(!store->conversations());
        QVERIFY(!store->addMessage(1, Role::User, QStringLiteral("x")));
    }
    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 1);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = "
                                       "'messages_streaming'"))
                 .toInt(),
             0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM messages")).toInt(), 2);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT content FROM messages WHERE id = 2")).toString(),
             QStringLiteral("القلم أداة للكتابة"));
}

void TestConversationStore::refusesNewerSchemaWithoutTouchingIt()
{
    {
        RawDatabase raw(path());
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE future_things (x TEXT)")));
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO future_things VALUES ('keep me')")));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 99")));
    }
    const QByteArray before = fileHash(path());
    QVERIFY(!before.isEmpty());
    const QStringList filesBefore = QDir(m_dir->path()).entryList(QDir::Files);

    {
        auto store = openStore();
        QVERIFY(!store->isOpen());
        QVERIFY2(store->lastError().contains(QStringLiteral("99")), qPrintable(store->lastError()));
        QVERIFY2(store->lastError().contains(QStringLiteral("newer")),
                 qPrintable(store->lastError()));
        // Every operation fails with the same explanation instead of touching the file.
        QVERIFY(!store->createConversation(QStringLiteral("x")));
        QVERIFY(store->lastError().contains(QStringLiteral("99")));
        QVERIFY(!store->markStreamingAsInterrupted());
    }
    QCOMPARE(fileHash(path()), before);
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), filesBefore);
}

void TestConversationStore::reportsFileThatIsNotADatabase()
{
    QByteArray garbage;
    for (int i = 0; i < 512; ++i)
        garbage += "this is not a database, and it must survive being opened\n";
    {
        QFile file(path());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(garbage);
    }
    {
        auto store = openStore();
        QVERIFY(!store->isOpen());
        QVERIFY2(store->lastError().contains(path()), qPrintable(store->lastError()));
        QVERIFY2(store->lastError().contains(QStringLiteral("not a database")),
                 qPrintable(store->lastError()));
        QVERIFY(!store->messages(1));
        QVERIFY(!store->search(QStringLiteral("x")));
        QVERIFY(store->integrityCheck() != QStringLiteral("ok"));
    }
    QFile file(path());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), garbage);
}

void TestConversationStore::reportsUnopenablePath()
{
    const QString missingDir = m_dir->filePath(QStringLiteral("no/such/dir/qalam.sqlite3"));
    ConversationStore store(missingDir);
    QVERIFY(!store.isOpen());
    QVERIFY2(store.lastError().contains(missingDir), qPrintable(store.lastError()));
    QVERIFY(!QFile::exists(missingDir));

    ConversationStore noPath{QString()};
    QVERIFY(!noPath.isOpen());
    QVERIFY2(noPath.lastError().contains(QStringLiteral("no path")),
             qPrintable(noPath.lastError()));
}

void TestConversationStore::defaultPathIsInAppData()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString path = ConversationStore::defaultPath();
    QVERIFY(path.endsWith(QStringLiteral("/qalam.sqlite3")));
    QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    QVERIFY(QFileInfo(path).dir().exists());
}

void TestConversationStore::twoStoresOnOneFile()
{
    auto first = openStore();
    auto second = openStore();
    QVERIFY2(first->isOpen() && second->isOpen(), qPrintable(second->lastError()));
    const auto created = first->createConversation(QStringLiteral("shared"));
    QVERIFY(created);
    QCOMPARE(second->conversation(created->id), created);
    // Destroyed in creation order: each removes only its own connection (failOnWarning).
    first.reset();
    QVERIFY(second->renameConversation(created->id, QStringLiteral("still shared")));
}

void TestConversationStore::conversationCrud()
{
    auto store = openStore();
    QVERIFY(store->isOpen());
    const auto created = store->createConversation(QStringLiteral("رحلة إلى فاس ✈️"),
                                                   QStringLiteral("local-vllm"));
    QVERIFY2(created, qPrintable(store->lastError()));
    QVERIFY(created->id > 0);
    QCOMPARE(created->createdAt, created->updatedAt);
    QCOMPARE(created->createdAt.timeSpec(), Qt::UTC);
    QCOMPARE(store->conversation(created->id), created);

    QVERIFY(store->renameConversation(created->id, QStringLiteral("Trip to Fes")));
    const auto renamed = store->conversation(created->id);
    QVERIFY(renamed);
    QCOMPARE(renamed->title, QStringLiteral("Trip to Fes"));
    QCOMPARE(renamed->profile, QStringLiteral("local-vllm"));
    QCOMPARE(renamed->createdAt, created->createdAt);
    QVERIFY(renamed->updatedAt > created->updatedAt);

    QVERIFY(!store->renameConversation(created->id + 100, QStringLiteral("x")));
    QVERIFY2(store->lastError().contains(QStringLiteral("does not exist")),
             qPrintable(store->lastError()));

    QVERIFY(store->deleteConversation(created->id));
    QVERIFY(!store->conversation(created->id));
    QCOMPARE(store->conversations()->size(), 0);
    QVERIFY(!store->deleteConversation(created->id));
    QVERIFY(store->lastError().contains(QStringLiteral("does not exist")));
}

void TestConversationStore::deleteCascadesToMessages()
{
    auto store = openStore();
    const auto doomed = store->createConversation(QStringLiteral("doomed"));
    const auto kept = store->createConversation(QStringLiteral("kept"));
    const auto question =
        store->addMessage(doomed->id, Role::User, QStringLiteral("unique-doomed-text"));
    QVERIFY(question);
    QVERIFY(store->addMessage(doomed->id, Role::Assistant, QStringLiteral("partial"),
                              State::Streaming));
    QVERIFY(store->addMessage(kept->id, Role::User, QStringLiteral("unique-kept-text")));

    QVERIFY(store->deleteConversation(doomed->id));
    QCOMPARE(store->messages(doomed->id)->size(), 0);
    QVERIFY(!store->message(question->id));
    QCOMPARE(store->messages(kept->id)->size(), 1);
    QCOMPARE(titles(store->search(QStringLiteral("unique-doomed"))), QStringList());
    QCOMPARE(titles(store->search(QStringLiteral("unique-kept"))),
             QStringList{QStringLiteral("kept")});
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
    const bool fts = store->usesFullTextSearch();
    store.reset();

    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM messages")).toInt(), 1);
    if (fts)
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM message_fts")).toInt(), 1);
}

void TestConversationStore::conversationsOrderedByUpdate()
{
    auto store = openStore();
    const qint64 a = store->createConversation(QStringLiteral("a"))->id;
    const qint64 b = store->createConversation(QStringLiteral("b"))->id;
    store->createConversation(QStringLiteral("c"));
    QCOMPARE(titles(store->conversations()),
             (QStringList{QStringLiteral("c"), QStringLiteral("b"), QStringLiteral("a")}));

    QVERIFY(store->renameConversation(a, QStringLiteral("a2")));
    QCOMPARE(titles(store->conversations()),
             (QStringList{QStringLiteral("a2"), QStringLiteral("c"), QStringLiteral("b")}));

    const auto answer = store->addMessage(b, Role::Assistant, QString(), State::Streaming);
    QVERIFY(answer);
    QCOMPARE(titles(store->conversations()),
             (QStringList{QStringLiteral("b"), QStringLiteral("a2"), QStringLiteral("c")}));
    QCOMPARE(store->conversation(b)->updatedAt, answer->createdAt);

    // Saving a streaming answer does not reorder the sidebar (its message already did).
    QVERIFY(store->updateMessage(answer->id, QStringLiteral("text"), State::Complete));
    QVERIFY(store->renameConversation(a, QStringLiteral("a3")));
    QVERIFY(store->updateMessage(answer->id, QStringLiteral("more text"), State::Complete));
    QCOMPARE(titles(store->conversations()),
             (QStringList{QStringLiteral("a3"), QStringLiteral("b"), QStringLiteral("c")}));
}

void TestConversationStore::search_data()
{
    QTest::addColumn<bool>("fullTextSearch");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expected");

    for (const bool fts : {true, false}) {
        const auto row = [fts](const char *name) -> QTestData & {
            return QTest::addRow("%s %s", fts ? "fts5" : "like", name) << fts;
        };
        const QString arabic = QStringLiteral("arabic");
        const QString percent = QStringLiteral("percent");
        const QString underscore = QStringLiteral("underscore");
        row("arabic word inside a word") << QStringLiteral("قلم") << QStringList{arabic};
        row("arabic two letters") << QStringLiteral("قل") << QStringList{arabic};
        row("arabic phrase") << QStringLiteral("القلم جميل") << QStringList{arabic};
        row("arabic title") << QStringLiteral("مذكرات")
                            << QStringList{QStringLiteral("مذكرات السفر")};
        row("english any case") << QStringLiteral("QUICK brown")
                                << QStringList{QStringLiteral("fox")};
        row("english short") << QStringLiteral("qu")
                             << QStringList{QStringLiteral("quotes"), QStringLiteral("fox")};
        row("title only") << QStringLiteral("shopping")
                          << QStringList{QStringLiteral("Shopping list")};
        row("percent is literal") << QStringLiteral("100%") << QStringList{percent};
        row("lone percent") << QStringLiteral("%") << QStringList{percent};
        row("underscore is literal") << QStringLiteral("_name") << QStringList{underscore};
        row("lone underscore") << QStringLiteral("_") << QStringList{underscore};
        row("backslash is literal")
            << QStringLiteral("\\temp") << QStringList{QStringLiteral("windows")};
        row("double quote") << QStringLiteral("\"quoted\" text")
                            << QStringList{QStringLiteral("quotes")};
        row("fts syntax is text") << QStringLiteral("fox OR pen") << QStringList();
        row("emoji") << QStringLiteral("🖊️") << QStringList{arabic};
        row("nothing") << QStringLiteral("zebra crossing") << QStringList();
        row("blank lists all") << QStringLiteral("   ")
                               << QStringList{QStringLiteral("quotes"),
                                              QStringLiteral("windows"),
                                              underscore,
                                              QStringLiteral("filename"),
                                              percent,
                                              QStringLiteral("hundred"),
                                              QStringLiteral("fox"),
                                              QStringLiteral("مذكرات السفر"),
                                              arabic,
                                              QStringLiteral("Shopping list")};
    }
}

void TestConversationStore::search()
{
    QFETCH(bool, fullTextSearch);
    QFETCH(QString, query);
    QFETCH(QStringList, expected);
    if (fullTextSearch && !ftsAvailable())
        QSKIP("this SQLite has no FTS5 trigram tokenizer");

    auto store = openStore(fullTextSearch);
    QVERIFY(store->isOpen());
    QCOMPARE(store->usesFullTextSearch(), fullTextSearch);
    const auto add = [&store](const QString &title, const QString &question,
                              const QString &answer) {
        const auto conversation = store->createConversation(title);
        QVERIFY(conversation);
        QVERIFY(store->addMessage(conversation->id, Role::User, question));
        QVERIFY(store->addMessage(conversation->id, Role::Assistant, answer));
    };
    add(QStringLiteral("Shopping list"), QStringLiteral("milk"), QStringLiteral("eggs"));
    add(QStringLiteral("arabic"), QStringLiteral("ما رأيك؟"),
        QStringLiteral("هذا القلم جميل 🖊️"));
    add(QStringLiteral("مذكرات السفر"), QStringLiteral("ok"), QStringLiteral("ok"));
    add(QStringLiteral("fox"), QStringLiteral("The Quick Brown Fox"), QStringLiteral("jumps"));
    add(QStringLiteral("hundred"), QStringLiteral("100 percent"), QStringLiteral("sure"));
    add(QStringLiteral("percent"), QStringLiteral("100% sure"), QStringLiteral("ok"));
    add(QStringLiteral("filename"), QStringLiteral("filename.txt"), QStringLiteral("temp file"));
    add(QStringLiteral("underscore"), QStringLiteral("file_name.txt"), QStringLiteral("ok"));
    add(QStringLiteral("windows"), QStringLiteral("C:\\temp\\x"), QStringLiteral("ok"));
    add(QStringLiteral("quotes"), QStringLiteral("say \"quoted\" text"), QStringLiteral("ok"));

    const auto found = store->search(query);
    QVERIFY2(found, qPrintable(store->lastError()));
    QCOMPARE(titles(found), expected);
}

void TestConversationStore::searchFollowsEditsAndDeletes_data()
{
    QTest::addColumn<bool>("fullTextSearch");
    QTest::newRow("fts5") << true;
    QTest::newRow("like") << false;
}

void TestConversationStore::searchFollowsEditsAndDeletes()
{
    QFETCH(bool, fullTextSearch);
    if (fullTextSearch && !ftsAvailable())
        QSKIP("this SQLite has no FTS5 trigram tokenizer");
    auto store = openStore(fullTextSearch);
    const auto conversation = store->createConversation(QStringLiteral("c"));
    const auto answer =
        store->addMessage(conversation->id, Role::Assistant, QString(), State::Streaming);
    QVERIFY(
        store->updateMessage(answer->id, QStringLiteral("a unicorn appears"), State::Streaming));
    QVERIFY(store->updateMessage(answer->id, QStringLiteral("a unicorn appears, then leaves"),
                                 State::Complete));
    QCOMPARE(titles(store->search(QStringLiteral("unicorn"))), QStringList{QStringLiteral("c")});

    // An edit replaces the indexed text.
    QVERIFY(store->updateMessage(answer->id, QStringLiteral("a pegasus"), State::Complete));
    QCOMPARE(titles(store->search(QStringLiteral("unicorn"))), QStringList());
    QCOMPARE(titles(store->search(QStringLiteral("pegasus"))), QStringList{QStringLiteral("c")});

    // A regenerated answer takes its text out of the search.
    const auto question = store->addMessage(conversation->id, Role::User, QStringLiteral("q"));
    QVERIFY(store->addMessage(conversation->id, Role::Assistant, QStringLiteral("griffin")));
    QCOMPARE(store->deleteMessagesAfter(question->id), std::optional<int>(1));
    QCOMPARE(titles(store->search(QStringLiteral("griffin"))), QStringList());
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
}

void TestConversationStore::messageRoundTrip_data()
{
    QTest::addColumn<QString>("question");
    QTest::addColumn<QString>("answer");
    QTest::newRow("arabic and emoji")
        << QStringLiteral("ما هو القلم؟ 🖊️ 👨‍👩‍👧 and in English?")
        << QStringLiteral(
               "## القلم\n\n- **أداة** للكتابة ✍️\n- `code` ```cpp\nint x = "
               "0;\n```\n\n"
               "Mixed: العربية and English, RTL‏ marks, 🏳️‍🌈 ZWJ, é vs é");
    QTest::newRow("empty answer") << QStringLiteral("?") << QString();
    QTest::newRow("large")
        << QStringLiteral("long one please")
        << QStringLiteral("سطر طويل with English words 🖊️\n").repeated(4000);
}

void TestConversationStore::messageRoundTrip()
{
    QFETCH(QString, question);
    QFETCH(QString, answer);
    auto store = openStore();
    const auto conversation = store->createConversation(QStringLiteral("round trip"));
    const auto asked = store->addMessage(conversation->id, Role::User, question);
    QVERIFY2(asked, qPrintable(store->lastError()));
    const auto answered =
        store->addMessage(conversation->id, Role::Assistant, QString(), State::Streaming);
    QVERIFY(answered);

    MessageMetrics metrics;
    metrics.timeToFirstTokenMs = 412;
    metrics.charactersPerSecond = 87.5;
    metrics.reconnects = 2;
    metrics.finishReason = QStringLiteral("length");
    metrics.model = QStringLiteral("qwen2.5-7b-instruct");
    QVERIFY(store->updateMessage(answered->id, answer, State::Failed,
                                 QStringLiteral("الخادم مشغول (503)"), metrics.toJson(),
                                 QStringLiteral("stream-1:42")));

    StoredMessage expectedAnswer = *answered;
    expectedAnswer.content = answer;
    expectedAnswer.state = State::Failed;
    expectedAnswer.errorText = QStringLiteral("الخادم مشغول (503)");
    expectedAnswer.metricsJson = metrics.toJson();
    expectedAnswer.lastEventId = QStringLiteral("stream-1:42");

    // Read through a second store as well: nothing may come from memory.
    for (int pass = 0; pass < 2; ++pass) {
        const auto loaded = store->messages(conversation->id);
        QVERIFY(loaded);
        QCOMPARE(loaded->size(), 2);
        QCOMPARE(loaded->at(0), *asked);
        QCOMPARE(loaded->at(1).content, answer);
        QVERIFY(loaded->at(1).updatedAt > answered->updatedAt);
        expectedAnswer.updatedAt = loaded->at(1).updatedAt;
        QCOMPARE(loaded->at(1), expectedAnswer);
        const auto single = store->message(answered->id);
        QVERIFY(single);
        QCOMPARE(*single, expectedAnswer);
        QCOMPARE(MessageMetrics::fromJson(loaded->at(1).metricsJson), std::optional(metrics));
        store = openStore();
        QVERIFY(store->isOpen());
    }
}

void TestConversationStore::everyRoleAndStateRoundTrips()
{
    auto store = openStore();
    const qint64 conversation = store->createConversation(QStringLiteral("states"))->id;
    QList<std::pair<Role, State>> written;
    for (Role role : {Role::User, Role::Assistant, Role::System}) {
        for (State state : {State::Complete, State::Streaming, State::Interrupted, State::Failed,
                            State::Cancelled}) {
            QVERIFY(store->addMessage(conversation, role, QStringLiteral("x"), state));
            written.append({role, state});
        }
    }
    const auto loaded = store->messages(conversation);
    QVERIFY(loaded);
    QCOMPARE(loaded->size(), written.size());
    for (qsizetype i = 0; i < written.size(); ++i) {
        QCOMPARE(loaded->at(i).role, written.at(i).first);
        QCOMPARE(loaded->at(i).state, written.at(i).second);
    }
}

void TestConversationStore::metricsJsonRoundTrip()
{
    QCOMPARE(MessageMetrics::fromJson(QString()), std::optional(MessageMetrics()));
    QVERIFY(!MessageMetrics::fromJson(QStringLiteral("[1, 2]")));
    QVERIFY(!MessageMetrics::fromJson(QStringLiteral("{not json")));
    const auto partial = MessageMetrics::fromJson(QStringLiteral("{\"reconnects\": 3}"));
    QVERIFY(partial);
    QCOMPARE(partial->reconnects, 3);
    QCOMPARE(partial->timeToFirstTokenMs, -1);
}

void TestConversationStore::messageErrors()
{
    auto store = openStore();
    QVERIFY(!store->addMessage(12345, Role::User, QStringLiteral("orphan")));
    QVERIFY2(store->lastError().contains(QStringLiteral("12345")), qPrintable(store->lastError()));
    QVERIFY2(store->lastError().contains(QStringLiteral("does not exist")),
             qPrintable(store->lastError()));
    QVERIFY(!store->updateMessage(777, QStringLiteral("x"), State::Complete));
    QVERIFY2(store->lastError().contains(QStringLiteral("777")), qPrintable(store->lastError()));
    QVERIFY(!store->message(777));
    QVERIFY(!store->conversation(12345));
    QVERIFY(!store->deleteMessagesAfter(777));
    QVERIFY(store->lastError().contains(QStringLiteral("does not exist")));
    // Nothing was left behind by the failed add.
    const auto conversation = store->createConversation(QStringLiteral("c"));
    QCOMPARE(store->messages(conversation->id)->size(), 0);
    QCOMPARE(store->messages(12345)->size(), 0);
}

void TestConversationStore::deleteMessagesAfter()
{
    auto store = openStore();
    const qint64 c = store->createConversation(QStringLiteral("c"))->id;
    const qint64 other = store->createConversation(QStringLiteral("other"))->id;
    const auto q1 = store->addMessage(c, Role::User, QStringLiteral("q1"));
    const auto a1 = store->addMessage(c, Role::Assistant, QStringLiteral("a1"));
    const auto q2 = store->addMessage(c, Role::User, QStringLiteral("q2"));
    const auto a2 = store->addMessage(c, Role::Assistant, QStringLiteral("a2"));
    const auto elsewhere = store->addMessage(other, Role::User, QStringLiteral("elsewhere"));
    QVERIFY(q1 && a1 && q2 && a2 && elsewhere);

    // Regenerate the last answer: drop what follows its question, add a new answer.
    QCOMPARE(store->deleteMessagesAfter(q2->id), std::optional<int>(1));
    const auto a2b = store->addMessage(c, Role::Assistant, QStringLiteral("a2 again"));
    // Ids are never reused, so a saver still holding a2's id cannot write into a2b.
    QVERIFY(a2b->id > elsewhere->id);
    QVERIFY(!store->updateMessage(a2->id, QStringLiteral("late save"), State::Complete));
    QCOMPARE(store->message(a2b->id)->content, QStringLiteral("a2 again"));

    // Edit and resend the first question.
    QVERIFY(store->updateMessage(q1->id, QStringLiteral("q1 edited"), State::Complete));
    QCOMPARE(store->deleteMessagesAfter(q1->id), std::optional<int>(3));
    const auto remaining = store->messages(c);
    QCOMPARE(remaining->size(), 1);
    QCOMPARE(remaining->at(0).content, QStringLiteral("q1 edited"));
    QCOMPARE(store->messages(other)->size(), 1);

    QCOMPARE(store->deleteMessagesAfter(q1->id), std::optional<int>(0));
}

void TestConversationStore::markStreamingAsInterrupted()
{
    auto store = openStore();
    const qint64 c1 = store->createConversation(QStringLiteral("c1"))->id;
    const qint64 c2 = store->createConversation(QStringLiteral("c2"))->id;
    const auto done = store->addMessage(c1, Role::Assistant, QStringLiteral("done"));
    const auto cut1 = store->addMessage(c1, Role::Assistant, QString(), State::Streaming);
    const auto cut2 = store->addMessage(c2, Role::Assistant, QString(), State::Streaming);
    const auto failed = store->addMessage(c2, Role::Assistant, QStringLiteral("f"), State::Failed);
    QVERIFY(store->updateMessage(cut1->id, QStringLiteral("half an ans"), State::Streaming));
    const QDateTime savedAt = store->message(cut1->id)->updatedAt;

    store = openStore();
    QCOMPARE(store->markStreamingAsInterrupted(), std::optional<int>(2));
    QCOMPARE(store->message(cut1->id)->state, State::Interrupted);
    QCOMPARE(store->message(cut1->id)->content, QStringLiteral("half an ans"));
    // updatedAt keeps saying when the text was last saved.
    QCOMPARE(store->message(cut1->id)->updatedAt, savedAt);
    QCOMPARE(store->message(cut2->id)->state, State::Interrupted);
    QCOMPARE(store->message(done->id)->state, State::Complete);
    QCOMPARE(store->message(failed->id)->state, State::Failed);
    QCOMPARE(store->markStreamingAsInterrupted(), std::optional<int>(0));
    QCOMPARE(titles(store->search(QStringLiteral("half an"))), QStringList{QStringLiteral("c1")});
}

void TestConversationStore::migratesFromVersion2_data()
{
    QTest::addColumn<bool>("fullTextSearch");
    QTest::newRow("fts5") << true;
    QTest::newRow("like") << false;
}

void TestConversationStore::migratesFromVersion2()
{
    QFETCH(bool, fullTextSearch);
    if (!ftsAvailable())
        QSKIP("this SQLite has no FTS5 trigram tokenizer (the v2 fixture has the index)");
    writeV2Fixture();
    if (QTest::currentTestFailed())
        return;

    {
        // The migration alone, looked at behind the store's back.
        auto store = openStore(fullTextSearch);
        QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
    }
    {
        RawDatabase raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 4);
        // parent_id is the previous message of the same conversation by id, leaf_id the last one.
        const int expectedParents[][2] = {{1, 0}, {2, 1}, {3, 0}, {4, 3}, {5, 2}, {6, 5}, {7, 4}};
        for (const auto &[id, parent] : expectedParents)
            QCOMPARE(raw.scalar(QStringLiteral("SELECT coalesce(parent_id, 0) FROM messages WHERE "
                                               "id = ?"),
                                {id})
                         .toInt(),
                     parent);
        QCOMPARE(
            raw.scalar(QStringLiteral("SELECT leaf_id FROM conversations WHERE id = 1")).toInt(),
            6);
        QCOMPARE(
            raw.scalar(QStringLiteral("SELECT leaf_id FROM conversations WHERE id = 2")).toInt(),
            7);
        QVERIFY(
            raw.scalar(QStringLiteral("SELECT leaf_id FROM conversations WHERE id = 3")).isNull());
        // Nothing else moved.
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM messages")).toInt(), 7);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT content FROM messages WHERE id = 4")).toString(),
                 QStringLiteral("half an answer"));
    }

    {
        auto store = openStore(fullTextSearch);
        QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
        // The shown path is the whole linear history, each message the only version of its turn.
        const auto first = store->messages(1);
        QCOMPARE(versions(first), (QStringList{QStringLiteral("ما معنى القلم؟ 1/1"),
                                               QStringLiteral("القلم أداة للكتابة 1/1"),
                                               QStringLiteral("and the inkwell? 1/1"),
                                               QStringLiteral("the inkwell holds 1/1")}));
        QCOMPARE(first->at(1).lastEventId, QStringLiteral("ev-2"));
        QCOMPARE(first->at(3).state, State::Streaming);
        QCOMPARE(first->at(3).createdAt.toMSecsSinceEpoch(), 1006);
        QCOMPARE(first->at(3).updatedAt.toMSecsSinceEpoch(), 2006);
        QCOMPARE(contents(store->messages(2)),
                 (QStringList{QStringLiteral("second question"), QStringLiteral("half an answer"),
                              QStringLiteral("go on")}));
        QCOMPARE(store->messages(3)->size(), 0);
        QCOMPARE(store->conversation(1)->updatedAt.toMSecsSinceEpoch(), 9000);

        // Search and its triggers work on the migrated rows.
        QCOMPARE(titles(store->search(QStringLiteral("أداة"))),
                 QStringList{QStringLiteral("first")});
        QCOMPARE(store->markStreamingAsInterrupted(), std::optional<int>(1));
        QCOMPARE(titles(store->search(QStringLiteral("inkwell holds"))),
                 QStringList{QStringLiteral("first")});

        // Versions work on them: a regenerated last answer sits beside the old one.
        const auto again =
            store->addMessage(1, 5, Role::Assistant, QStringLiteral("the inkwell, again"));
        QVERIFY2(again, qPrintable(store->lastError()));
        QCOMPARE(again->id, 8); // AUTOINCREMENT carried over
        QCOMPARE(versions(store->messages(1)).last(), QStringLiteral("the inkwell, again 2/2"));
        // The old overload follows the shown leaf.
        const auto next = store->addMessage(2, Role::User, QStringLiteral("third"));
        QCOMPARE(next->parentId, 7);
        QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
    }
}

void TestConversationStore::failedMigrationToVersion3RollsBack()
{
    if (!ftsAvailable())
        QSKIP("this SQLite has no FTS5 trigram tokenizer (the v2 fixture has the index)");
    writeV2Fixture();
    if (QTest::currentTestFailed())
        return;
    {
        // In the way of the migration's last statement, after its columns were added and filled.
        RawDatabase raw(path());
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE messages_tree (x)")));
    }
    {
        auto store = openStore();
        QVERIFY(!store->isOpen());
        QVERIFY2(store->lastError().contains(QStringLiteral("schema version 3")),
                 qPrintable(store->lastError()));
    }
    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM pragma_table_info('messages') WHERE "
                                       "name = 'parent_id'"))
                 .toInt(),
             0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM pragma_table_info('conversations') "
                                       "WHERE name = 'leaf_id'"))
                 .toInt(),
             0);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM messages")).toInt(), 7);
}

void TestConversationStore::refusesReadOnlyFile()
{
    {
        auto store = openStore();
        QVERIFY(store->isOpen());
        const auto conversation = store->createConversation(QStringLiteral("kept"));
        QVERIFY(store->addMessage(conversation->id, Role::User, QStringLiteral("question")));
    }
    QVERIFY(QFile::setPermissions(path(), QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    const QByteArray before = fileHash(path());
    {
        test::FileModesEnforced modes;
        if (!modes.isActive())
            QSKIP("cannot make file modes hold for this root process (capset refused)");
        auto store = openStore();
        QVERIFY(!store->isOpen());
        QCOMPARE(store->lastErrorKind(), ConversationStore::ErrorKind::ReadOnly);
        QVERIFY2(store->lastError().contains(QStringLiteral("read-only")),
                 qPrintable(store->lastError()));
        QVERIFY2(store->lastError().contains(path()), qPrintable(store->lastError()));
        QVERIFY(!store->createConversation(QStringLiteral("x")));
        QCOMPARE(store->lastErrorKind(), ConversationStore::ErrorKind::ReadOnly);
    }
    QCOMPARE(fileHash(path()), before);
    // Writable again: everything is there.
    QVERIFY(QFile::setPermissions(path(), QFile::ReadOwner | QFile::WriteOwner));
    auto store = openStore();
    QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
    QCOMPARE(contents(store->messages(store->conversations()->at(0).id)),
             QStringList{QStringLiteral("question")});
}

void TestConversationStore::markStreamingAsInterruptedReportsFailure()
{
    auto store = openStore();
    const qint64 c = store->createConversation(QStringLiteral("c"))->id;
    const auto cut = store->addMessage(c, Role::Assistant, QStringLiteral("cut"), State::Streaming);
    QVERIFY(cut);
    // What a file system remounted read-only or a file made read-only under a running app
    // looks like to SQLite: every write fails with SQLITE_READONLY.
    QString error;
    QVERIFY2(test::execOnStore(*store, QStringLiteral("PRAGMA query_only = ON"), &error).isValid(),
             qPrintable(error));
    QCOMPARE(store->markStreamingAsInterrupted(), std::nullopt);
    QCOMPARE(store->lastErrorKind(), ConversationStore::ErrorKind::ReadOnly);
    QVERIFY2(store->lastError().contains(path()), qPrintable(store->lastError()));
    QVERIFY2(store->lastError().contains(QStringLiteral("interrupted")),
             qPrintable(store->lastError()));
    QVERIFY2(store->lastError().contains(QStringLiteral("readonly")),
             qPrintable(store->lastError()));
    QCOMPARE(store->message(cut->id)->state, State::Streaming);

    QVERIFY(test::execOnStore(*store, QStringLiteral("PRAGMA query_only = OFF")).isValid());
    QCOMPARE(store->markStreamingAsInterrupted(), std::optional<int>(1));
    QCOMPARE(store->message(cut->id)->state, State::Interrupted);
}

void TestConversationStore::regenerateKeepsEveryVersion()
{
    auto store = openStore();
    const qint64 c = store->createConversation(QStringLiteral("c"))->id;
    const auto q1 = store->addMessage(c, 0, Role::User, QStringLiteral("q1"));
    QVERIFY2(q1, qPrintable(store->lastError()));
    QCOMPARE(q1->parentId, 0);
    const auto a1 = store->addMessage(c, q1->id, Role::Assistant, QStringLiteral("a1"));
    QCOMPARE(a1->parentId, q1->id);
    QCOMPARE(versions(store->messages(c)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a1 1/1")}));

    // Regenerate twice: each new answer is a sibling of the earlier ones, which stay.
    const auto a2 = store->addMessage(c, q1->id, Role::Assistant, QString(), State::Streaming);
    QVERIFY(store->updateMessage(a2->id, QStringLiteral("a2"), State::Complete));
    const auto a3 = store->addMessage(c, q1->id, Role::Assistant, QStringLiteral("a3"));
    QCOMPARE(a3->versionIndex, 3);
    QCOMPARE(a3->versionCount, 3);
    QCOMPARE(versions(store->messages(c)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a3 3/3")}));
    QCOMPARE(versions(store->siblings(a2->id)),
             (QStringList{QStringLiteral("a1 1/3"), QStringLiteral("a2 2/3"),
                          QStringLiteral("a3 3/3")}));
    QCOMPARE(versions(store->siblings(q1->id)), QStringList{QStringLiteral("q1 1/1")});

    // Switching is remembered by the file, not by this object.
    QCOMPARE(versions(store->showVersion(a1->id)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a1 1/3")}));
    store = openStore();
    QCOMPARE(versions(store->messages(c)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a1 1/3")}));
    QCOMPARE(contents(store->showVersion(a2->id)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a2")}));
    // Every version is found by search.
    QCOMPARE(titles(store->search(QStringLiteral("a1"))), QStringList{QStringLiteral("c")});
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
}

void TestConversationStore::laterTurnsFollowTheirVersion()
{
    auto store = openStore();
    const qint64 c = store->createConversation(QStringLiteral("c"))->id;
    // The old overload builds the linear history, each message after the shown leaf.
    const auto q1 = store->addMessage(c, Role::User, QStringLiteral("q1"));
    const auto a1 = store->addMessage(c, Role::Assistant, QStringLiteral("a1"));
    const auto q2 = store->addMessage(c, Role::User, QStringLiteral("q2"));
    const auto a2 = store->addMessage(c, Role::Assistant, QStringLiteral("a2"));
    QCOMPARE(q2->parentId, a1->id);
    QCOMPARE(a2->parentId, q2->id);

    // Regenerate a1: the path ends at the new version; the conversation goes on from there.
    const auto a1b = store->addMessage(c, q1->id, Role::Assistant, QStringLiteral("a1b"));
    QCOMPARE(contents(store->messages(c)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a1b")}));
    const auto q3 = store->addMessage(c, Role::User, QStringLiteral("q3"));
    QCOMPARE(q3->parentId, a1b->id);
    store->addMessage(c, Role::Assistant, QStringLiteral("a3"));

    // Each version brings back what was said after it.
    QCOMPARE(versions(store->showVersion(a1->id)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a1 1/2"),
                          QStringLiteral("q2 1/1"), QStringLiteral("a2 1/1")}));
    QCOMPARE(versions(store->showVersion(a1b->id)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a1b 2/2"),
                          QStringLiteral("q3 1/1"), QStringLiteral("a3 1/1")}));

    // Under a1, a newer branch (an edited q2 with its answer): showing a1 follows the most
    // recently created child at each step.
    const auto q2b = store->addMessage(c, a1->id, Role::User, QStringLiteral("q2b"));
    store->addMessage(c, q2b->id, Role::Assistant, QStringLiteral("a2b"));
    store->showVersion(a1b->id);
    QCOMPARE(contents(store->showVersion(a1->id)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a1"), QStringLiteral("q2b"),
                          QStringLiteral("a2b")}));
    // Showing a message in the middle of a branch shows that branch.
    QCOMPARE(contents(store->showVersion(q2->id)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a1"), QStringLiteral("q2"),
                          QStringLiteral("a2")}));
    QVERIFY(!store->showVersion(9999));
    QCOMPARE(store->lastErrorKind(), ConversationStore::ErrorKind::NotFound);
    QVERIFY(!store->siblings(9999));
    QCOMPARE(store->lastErrorKind(), ConversationStore::ErrorKind::NotFound);
}

void TestConversationStore::editedQuestionIsAVersion()
{
    auto store = openStore();
    const qint64 c = store->createConversation(QStringLiteral("c"))->id;
    const auto q1 = store->addMessage(c, 0, Role::User, QStringLiteral("q1"));
    const auto a1 = store->addMessage(c, q1->id, Role::Assistant, QStringLiteral("a1"));
    const auto q2 = store->addMessage(c, a1->id, Role::User, QStringLiteral("q2"));
    const auto a2 = store->addMessage(c, q2->id, Role::Assistant, QStringLiteral("a2"));

    // Edit and resend q2: a sibling question with an answer of its own; q2 keeps a2.
    const auto q2b = store->addMessage(c, q2->parentId, Role::User, QStringLiteral("q2 edited"));
    const auto a2b = store->addMessage(c, q2b->id, Role::Assistant, QString(), State::Streaming);
    QVERIFY(store->updateMessage(a2b->id, QStringLiteral("a2b"), State::Complete));
    QCOMPARE(versions(store->messages(c)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a1 1/1"),
                          QStringLiteral("q2 edited 2/2"), QStringLiteral("a2b 1/1")}));
    QCOMPARE(contents(store->siblings(q2->id)),
             (QStringList{QStringLiteral("q2"), QStringLiteral("q2 edited")}));
    QCOMPARE(versions(store->showVersion(q2->id)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a1 1/1"),
                          QStringLiteral("q2 1/2"), QStringLiteral("a2 1/1")}));
    QCOMPARE(store->message(a2->id)->content, QStringLiteral("a2"));

    // Editing the first question: first messages are versions of each other.
    const auto q1b = store->addMessage(c, 0, Role::User, QStringLiteral("q1 edited"));
    QCOMPARE(q1b->versionIndex, 2);
    QCOMPARE(versions(store->messages(c)), QStringList{QStringLiteral("q1 edited 2/2")});
    QCOMPARE(contents(store->siblings(q1->id)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("q1 edited")}));
    QCOMPARE(contents(store->showVersion(q1->id)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a1"), QStringLiteral("q2 edited"),
                          QStringLiteral("a2b")}));
    // Another conversation's first messages are not versions of these.
    const qint64 other = store->createConversation(QStringLiteral("other"))->id;
    QCOMPARE(store->addMessage(other, 0, Role::User, QStringLiteral("elsewhere"))->versionCount, 1);
    QCOMPARE(store->siblings(q1->id)->size(), 2);
}

void TestConversationStore::deleteVersion()
{
    auto store = openStore();
    const qint64 c = store->createConversation(QStringLiteral("c"))->id;
    const auto q1 = store->addMessage(c, 0, Role::User, QStringLiteral("q1"));
    const auto a1 = store->addMessage(c, q1->id, Role::Assistant, QStringLiteral("a1"));
    const auto a2 = store->addMessage(c, q1->id, Role::Assistant, QStringLiteral("a2"));
    const auto q2 = store->addMessage(c, a2->id, Role::User, QStringLiteral("q2"));
    const auto a3 = store->addMessage(c, q1->id, Role::Assistant, QStringLiteral("a3 unicorn"));
    QCOMPARE(versions(store->messages(c)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a3 unicorn 3/3")}));

    // The shown version: the previous one takes its place, with what followed it.
    QCOMPARE(versions(store->deleteVersion(a3->id)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a2 2/2"),
                          QStringLiteral("q2 1/1")}));
    QVERIFY(!store->message(a3->id));
    QCOMPARE(titles(store->search(QStringLiteral("unicorn"))), QStringList());
    // A hidden version: the path stays, the count drops.
    QCOMPARE(versions(store->deleteVersion(a1->id)),
             (QStringList{QStringLiteral("q1 1/1"), QStringLiteral("a2 1/1"),
                          QStringLiteral("q2 1/1")}));
    // The last version of a turn, with what follows it: the branch ends at its parent.
    QCOMPARE(versions(store->deleteVersion(a2->id)), QStringList{QStringLiteral("q1 1/1")});
    QVERIFY(!store->message(q2->id));
    // A saver still holding a deleted answer's id fails, and can tell why.
    QVERIFY(!store->updateMessage(a2->id, QStringLiteral("late"), State::Complete));
    QCOMPARE(store->lastErrorKind(), ConversationStore::ErrorKind::NotFound);
    QVERIFY(!store->deleteVersion(a2->id));
    QCOMPARE(store->lastErrorKind(), ConversationStore::ErrorKind::NotFound);
    // New messages follow the shown leaf again.
    QCOMPARE(store->addMessage(c, Role::Assistant, QStringLiteral("a4"))->parentId, q1->id);
    // The whole conversation: it stays, empty.
    QCOMPARE(store->deleteVersion(q1->id)->size(), 0);
    QCOMPARE(store->messages(c)->size(), 0);
    QVERIFY(store->conversation(c));
    QCOMPARE(store->addMessage(c, Role::User, QStringLiteral("fresh"))->parentId, 0);
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM messages")).toInt(), 1);
}

void TestConversationStore::deleteVersionOfFirstMessage()
{
    auto store = openStore();
    const qint64 c = store->createConversation(QStringLiteral("c"))->id;
    const auto q1 = store->addMessage(c, 0, Role::User, QStringLiteral("q1"));
    store->addMessage(c, q1->id, Role::Assistant, QStringLiteral("a1"));
    const auto q1b = store->addMessage(c, 0, Role::User, QStringLiteral("q1b"));
    store->addMessage(c, q1b->id, Role::Assistant, QStringLiteral("a1b"));
    // The oldest version shown and deleted: the next one takes its place.
    store->showVersion(q1->id);
    QCOMPARE(versions(store->deleteVersion(q1->id)),
             (QStringList{QStringLiteral("q1b 1/1"), QStringLiteral("a1b 1/1")}));
}

void TestConversationStore::addMessageToAParent()
{
    auto store = openStore();
    const qint64 c = store->createConversation(QStringLiteral("c"))->id;
    const qint64 other = store->createConversation(QStringLiteral("other"))->id;
    const auto q = store->addMessage(c, 0, Role::User, QStringLiteral("q"));
    const auto elsewhere = store->addMessage(other, 0, Role::User, QStringLiteral("elsewhere"));
    QVERIFY(!store->addMessage(c, elsewhere->id, Role::Assistant, QStringLiteral("x")));
    QVERIFY2(store->lastError().contains(QStringLiteral("conversation %1").arg(other)),
             qPrintable(store->lastError()));
    QVERIFY(!store->addMessage(c, 9999, Role::Assistant, QStringLiteral("x")));
    QCOMPARE(store->lastErrorKind(), ConversationStore::ErrorKind::NotFound);
    QVERIFY2(store->lastError().contains(QStringLiteral("9999")), qPrintable(store->lastError()));
    QVERIFY(!store->addMessage(12345, 0, Role::User, QStringLiteral("x")));
    QCOMPARE(store->lastErrorKind(), ConversationStore::ErrorKind::NotFound);
    // Nothing was written by the failures, and the shown path did not move.
    QCOMPARE(contents(store->messages(c)), QStringList{QStringLiteral("q")});
    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM messages")).toInt(), 2);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT leaf_id FROM conversations WHERE id = ?"), {c})
                 .toLongLong(),
             q->id);
}

void TestConversationStore::shownPathSurvivesAndHeals()
{
    qint64 c = 0;
    qint64 a1 = 0;
    {
        auto store = openStore();
        c = store->createConversation(QStringLiteral("c"))->id;
        const auto q1 = store->addMessage(c, Role::User, QStringLiteral("q1"));
        a1 = store->addMessage(c, Role::Assistant, QStringLiteral("a1"))->id;
        store->addMessage(c, q1->id, Role::Assistant, QStringLiteral("a2"));
        store->showVersion(a1);
    }
    {
        RawDatabase raw(path());
        QCOMPARE(raw.scalar(QStringLiteral("SELECT leaf_id FROM conversations")).toLongLong(), a1);
        // A leaf that is not a message of the conversation (a hand edit, a partial recovery).
        QVERIFY(raw.exec(QStringLiteral("UPDATE conversations SET leaf_id = 424242")));
    }
    auto store = openStore();
    // The newest message's branch is shown, and adding to it repairs the leaf.
    QCOMPARE(contents(store->messages(c)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a2")}));
    QVERIFY(store->addMessage(c, Role::User, QStringLiteral("q2")));
    QCOMPARE(contents(store->messages(c)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a2"), QStringLiteral("q2")}));
}

void TestConversationStore::deleteConversationWithVersions()
{
    auto store = openStore();
    const qint64 c = store->createConversation(QStringLiteral("c"))->id;
    const qint64 kept = store->createConversation(QStringLiteral("kept"))->id;
    const auto q = store->addMessage(c, 0, Role::User, QStringLiteral("q"));
    for (int i = 0; i < 3; ++i)
        store->addMessage(c, q->id, Role::Assistant, QStringLiteral("version %1").arg(i));
    store->addMessage(kept, 0, Role::User, QStringLiteral("kept question"));
    QVERIFY2(store->deleteConversation(c), qPrintable(store->lastError()));
    QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM messages")).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestConversationStore)
#include "tst_conversationstore.moc"
