// ConversationStore against real SQLite files: schema and migrations, refusing what it must not
// touch, conversations, search, messages.
#include "ConversationStore.h"
#include "MessageMetrics.h"
#include "StoreTestSupport.h"

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

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
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

    std::unique_ptr<QTemporaryDir> m_dir;

private Q_SLOTS:
    void init();
    void cleanup();

    void createsCurrentSchemaInEmptyFile();
    void migratesFromVersion1_data();
    void migratesFromVersion1();
    void failedMigrationRollsBack();
    void refusesNewerSchemaWithoutTouchingIt();
    void reportsFileThatIsNotADatabase();
    void reportsUnopenablePath();
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

void TestConversationStore::createsCurrentSchemaInEmptyFile()
{
    {
        auto store = openStore();
        QVERIFY2(store->isOpen(), qPrintable(store->lastError()));
        QCOMPARE(store->integrityCheck(), QStringLiteral("ok"));
        QCOMPARE(store->conversations()->size(), 0);
    }
    RawDatabase raw(path());
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    for (const char *name : {"conversations", "messages", "messages_by_conversation",
                             "messages_streaming", "conversations_by_update"}) {
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
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
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

QTEST_GUILESS_MAIN(TestConversationStore)
#include "tst_conversationstore.moc"
