// StoreRecovery against real SQLite files damaged on purpose: bytes overwritten at chosen pages
// (found from the file's own layout, sqlite_master and dbstat), a garbage header, a WAL left
// behind by a crash. What recover() saves is compared with what was written, row for row.
#include "StoreTestSupport.h"
#include "store/ConversationStore.h"
#include "store/StoreRecovery.h"
#include "store/StoreSchema.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace qalam;
using qalam::test::fileHash;
using qalam::test::RawDatabase;
using qalam::test::StepClock;
using Role = StoredMessage::Role;
using State = StoredMessage::State;
using Health = StoreRecovery::Health;

namespace {

struct Written
{
    QList<Conversation> conversations;
    QMap<qint64, StoredMessage> messages; // every message, by id
    QMap<qint64, QStringList> shown;      // each conversation's shown path, as contents
    qint64 versionedAnswer = 0;           // an answer with two later versions, shown
    qint64 versionedConversation = 0;
};

// A page (1-based) of the file overwritten with a pattern no SQLite page starts with.
bool overwritePage(const QString &path, int page, int pageSize)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite) || !file.seek(qint64(page - 1) * pageSize))
        return false;
    const QByteArray garbage = QByteArray("GARBAGE!").repeated(pageSize / 8);
    return file.write(garbage) == garbage.size();
}

QStringList contents(const std::optional<QList<StoredMessage>> &messages)
{
    QStringList result;
    if (messages) {
        for (const StoredMessage &message : *messages)
            result.append(message.content);
    }
    return result;
}

// The damaged databases kept in dir (without their -wal and -shm).
QStringList damagedCopies(const QString &dir)
{
    const QStringList files =
        QDir(dir).entryList({QStringLiteral("qalam.sqlite3.damaged-*")}, QDir::Files, QDir::Name);
    QStringList databases;
    for (const QString &file : files) {
        if (!file.endsWith(QLatin1String("-wal")) && !file.endsWith(QLatin1String("-shm")))
            databases.append(file);
    }
    return databases;
}

} // namespace

class TestStoreRecovery : public QObject
{
    Q_OBJECT

private:
    QString path() const { return m_dir->filePath(QStringLiteral("qalam.sqlite3")); }
    Written writeConversations();
    // Pages of one table or index in b-tree order (dbstat's path), with their cell counts.
    QList<std::pair<int, int>> leafPages(const QString &name);
    bool hasDbstat();

    std::unique_ptr<QTemporaryDir> m_dir;

private Q_SLOTS:
    void init();
    void cleanup();

    void checkSaysHealthy();
    void garbageHeader();
    void textFileIsNotADatabase();
    void pagesTwoToFourOverwritten();
    void messagePageInTheMiddleOverwritten();
    void walIsKeptWithTheDamagedFile();
    void refusesNewerVersion();
    void damagedNamesNeverCollide();
};

void TestStoreRecovery::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".")));
}

void TestStoreRecovery::cleanup()
{
    m_dir.reset();
}

// Six conversations of six messages (short questions, answers long enough for overflow pages),
// one answer regenerated twice with the oldest version shown, one answer cut off mid-stream.
Written TestStoreRecovery::writeConversations()
{
    Written written;
    ConversationStore store(path());
    store.setClock(StepClock());
    if (!store.isOpen())
        return written;
    for (int c = 0; c < 6; ++c) {
        const auto conversation =
            store.createConversation(QStringLiteral("محادثة %1 — conversation %1").arg(c),
                                     QStringLiteral("profile-%1").arg(c));
        written.conversations.append(*conversation);
        for (int m = 0; m < 6; ++m) {
            const bool answer = m % 2 == 1;
            const QString content =
                answer ? QStringLiteral("جواب %1.%2 — answer %1.%2 🖊️ ")
                             .arg(c)
                             .arg(m)
                             .repeated(40 + 30 * c)
                       : QStringLiteral("سؤال %1.%2: question %1.%2?").arg(c).arg(m);
            const auto message =
                store.addMessage(conversation->id, answer ? Role::Assistant : Role::User, content,
                                 c == 5 && m == 5 ? State::Streaming : State::Complete);
            written.messages.insert(message->id, *message);
        }
    }
    // Versions in conversation 3: its last answer regenerated twice, the first one shown.
    const qint64 c3 = written.conversations.at(3).id;
    const auto path3 = store.messages(c3);
    const StoredMessage lastAnswer = path3->last();
    for (int v = 2; v <= 3; ++v) {
        const auto version =
            store.addMessage(c3, lastAnswer.parentId, Role::Assistant,
                             QStringLiteral("version %1 of the last answer").arg(v));
        written.messages.insert(version->id, *version);
    }
    store.showVersion(lastAnswer.id);
    written.versionedAnswer = lastAnswer.id;
    written.versionedConversation = c3;
    for (const Conversation &conversation : std::as_const(written.conversations))
        written.shown.insert(conversation.id, contents(store.messages(conversation.id)));
    // Conversation updated_at as stored (addMessage bumped them).
    written.conversations = *store.conversations();
    return written;
}

bool TestStoreRecovery::hasDbstat()
{
    RawDatabase raw(path());
    return raw.scalar(QStringLiteral("SELECT count(*) FROM dbstat")).isValid();
}

QList<std::pair<int, int>> TestStoreRecovery::leafPages(const QString &name)
{
    QList<std::pair<int, int>> pages;
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("stat"));
    db.setDatabaseName(path());
    if (db.open()) {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT pageno, ncell FROM dbstat WHERE name = ? AND "
                                     "pagetype = 'leaf' ORDER BY path"));
        query.addBindValue(name);
        if (query.exec()) {
            while (query.next())
                pages.append({query.value(0).toInt(), query.value(1).toInt()});
        }
    }
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("stat"));
    return pages;
}

void TestStoreRecovery::checkSaysHealthy()
{
    // No file yet, an empty file: nothing is wrong (the store creates the schema).
    QCOMPARE(StoreRecovery::check(path()).health, Health::Ok);
    {
        QFile file(path());
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    QCOMPARE(StoreRecovery::check(path()).health, Health::Ok);
    QFile::remove(path());

    const Written written = writeConversations();
    QCOMPARE(written.conversations.size(), 6);
    const QByteArray before = fileHash(path());
    const auto result = StoreRecovery::check(path());
    QVERIFY2(result.isOk(), qPrintable(result.detail));
    QVERIFY(result.detail.isEmpty());
    QVERIFY(!result.message.isEmpty());
    // Checking writes nothing to the database.
    QCOMPARE(fileHash(path()), before);
    // Also while the app has it open, with commits still in the WAL.
    ConversationStore store(path());
    QVERIFY(store.addMessage(written.conversations.at(0).id, Role::User, QStringLiteral("more")));
    QVERIFY(QFile::exists(path() + QStringLiteral("-wal")));
    QVERIFY(StoreRecovery::check(path()).isOk());
}

void TestStoreRecovery::garbageHeader()
{
    writeConversations();
    {
        // The first 100 bytes (the header, with the "SQLite format 3" magic) overwritten.
        QFile file(path());
        QVERIFY(file.open(QIODevice::ReadWrite));
        file.write(QByteArray(100, 'Z'));
    }
    const QByteArray damaged = fileHash(path());
    const auto checked = StoreRecovery::check(path());
    QCOMPARE(checked.health, Health::NotADatabase);
    QVERIFY2(checked.message.contains(path()), qPrintable(checked.message));
    {
        ConversationStore store(path());
        QVERIFY(!store.isOpen());
        QVERIFY2(store.lastError().contains(QStringLiteral("not a database")),
                 qPrintable(store.lastError()));
    }
    QCOMPARE(fileHash(path()), damaged); // refusing it changed nothing

    const auto started = StoreRecovery::startEmpty(path());
    QVERIFY2(started.ok, qPrintable(started.error));
    QVERIFY2(QRegularExpression(QStringLiteral("/qalam\\.sqlite3\\.damaged-\\d{8}-\\d{6}$"))
                 .match(started.damagedPath)
                 .hasMatch(),
             qPrintable(started.damagedPath));
    QCOMPARE(QFileInfo(started.damagedPath).absolutePath(), QFileInfo(path()).absolutePath());
    QCOMPARE(fileHash(started.damagedPath), damaged); // kept byte for byte
    QVERIFY(started.message.contains(started.damagedPath));
    QVERIFY(StoreRecovery::check(path()).isOk());
    ConversationStore store(path());
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
    QCOMPARE(store.conversations()->size(), 0);
    QVERIFY(store.createConversation(QStringLiteral("a new start")));
}

void TestStoreRecovery::textFileIsNotADatabase()
{
    {
        QFile file(path());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("name,notes\nnot,a database\n").repeated(300));
    }
    const QByteArray before = fileHash(path());
    QCOMPARE(StoreRecovery::check(path()).health, Health::NotADatabase);
    // recover() on it saves nothing (there is nothing to read), and still keeps the file.
    const auto recovered = StoreRecovery::recover(path());
    QVERIFY2(recovered.ok, qPrintable(recovered.error));
    QCOMPARE(recovered.conversations, 0);
    QCOMPARE(recovered.messages, 0);
    QCOMPARE(fileHash(recovered.damagedPath), before);
    ConversationStore store(path());
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
}

void TestStoreRecovery::pagesTwoToFourOverwritten()
{
    const Written written = writeConversations();
    QCOMPARE(written.messages.size(), 38);
    RawDatabase raw(path());
    const int pageSize = raw.scalar(QStringLiteral("PRAGMA page_size")).toInt();
    // What pages 2-4 hold in this file (tables and indexes get their roots in creation order):
    // the conversations table (small enough for one page), sqlite_sequence and the sidebar
    // index. So every conversation row is lost; every message is elsewhere.
    QCOMPARE(raw.scalar(QStringLiteral("SELECT rootpage FROM sqlite_master WHERE name = "
                                       "'conversations'"))
                 .toInt(),
             2);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT rootpage FROM sqlite_master WHERE name = "
                                       "'sqlite_sequence'"))
                 .toInt(),
             3);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT rootpage FROM sqlite_master WHERE name = "
                                       "'conversations_by_update'"))
                 .toInt(),
             4);
    if (hasDbstat())
        QCOMPARE(leafPages(QStringLiteral("conversations")), (QList<std::pair<int, int>>{{2, 6}}));
    for (int page = 2; page <= 4; ++page)
        QVERIFY(overwritePage(path(), page, pageSize));
    const QByteArray damaged = fileHash(path());

    const auto checked = StoreRecovery::check(path());
    QCOMPARE(checked.health, Health::Damaged);
    QVERIFY(!checked.detail.isEmpty());
    QVERIFY2(checked.message.contains(path()), qPrintable(checked.message));
    {
        // The store opens it (the schema page is whole) but cannot read the sidebar, and says
        // the file is damaged rather than failing vaguely.
        ConversationStore store(path());
        QVERIFY(!store.conversations());
        QCOMPARE(store.lastErrorKind(), ConversationStore::ErrorKind::Damaged);
    }

    // Opening it left a WAL index behind; it goes with the damaged file.
    const bool hadShm = QFile::exists(path() + QStringLiteral("-shm"));
    const auto recovered = StoreRecovery::recover(path());
    QVERIFY2(recovered.ok, qPrintable(recovered.error));
    QCOMPARE(QFile::exists(recovered.damagedPath + QStringLiteral("-shm")), hadShm);
    QCOMPARE(recovered.messages, 38);
    QCOMPARE(recovered.conversations, 6);
    QCOMPARE(recovered.rebuiltConversations, 6);
    QVERIFY(recovered.unreadableRows >= 1);
    QVERIFY(recovered.message.contains(recovered.damagedPath));
    QCOMPARE(fileHash(recovered.damagedPath), damaged);
    QCOMPARE(damagedCopies(m_dir->path()).size(), 1);
    QVERIFY(!QFile::exists(path() + QStringLiteral(".recovering")));

    ConversationStore store(path());
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
    QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
    QVERIFY(StoreRecovery::check(path()).isOk());
    const auto conversations = store.conversations();
    QCOMPARE(conversations->size(), 6);
    for (const Conversation &original : written.conversations) {
        const auto conversation = store.conversation(original.id);
        QVERIFY(conversation);
        // Rebuilt: titled after its first question, created with its first message.
        StoredMessage first;
        for (const StoredMessage &message : written.messages) {
            if (message.conversationId == original.id) {
                first = message;
                break;
            }
        }
        QCOMPARE(first.role, Role::User);
        QCOMPARE(conversation->title, first.content);
        QCOMPARE(conversation->createdAt, first.createdAt);
        // The shown leaf was in the lost row: the newest branch is shown.
        if (original.id != written.versionedConversation)
            QCOMPARE(contents(store.messages(original.id)), written.shown.value(original.id));
        else
            QCOMPARE(store.messages(original.id)->last().content,
                     QStringLiteral("version 3 of the last answer"));
    }
    // Every message, byte for byte, with its state and parent.
    for (const StoredMessage &message : written.messages) {
        const auto recoveredMessage = store.message(message.id);
        QVERIFY2(recoveredMessage, qPrintable(store.lastError()));
        QCOMPARE(recoveredMessage->content, message.content);
        QCOMPARE(recoveredMessage->state, message.state);
        QCOMPARE(recoveredMessage->parentId, message.parentId);
        QCOMPARE(recoveredMessage->createdAt, message.createdAt);
    }
    QCOMPARE(store.siblings(written.versionedAnswer)->size(), 3);
    // Search was rebuilt; new ids continue after the old ones.
    QCOMPARE(store.search(QStringLiteral("answer 2.3"))->size(), 1);
    const auto next = store.addMessage(written.conversations.at(0).id, Role::User,
                                       QStringLiteral("after the recovery"));
    QVERIFY(next->id > written.messages.lastKey());
}

void TestStoreRecovery::messagePageInTheMiddleOverwritten()
{
    const Written written = writeConversations();
    if (!hasDbstat())
        QSKIP("this SQLite has no dbstat table to find the pages of a table");
    const QList<std::pair<int, int>> leaves = leafPages(QStringLiteral("messages"));
    QVERIFY(leaves.size() >= 3);
    // A leaf in the middle of the table: the rows before it, and after it, must be saved.
    const int victim = int(leaves.size()) / 2;
    int before = 0;
    for (int i = 0; i < victim; ++i)
        before += leaves.at(i).second;
    const QList<qint64> ids = written.messages.keys(); // the table's rows in rowid order
    const QList<qint64> lost = ids.mid(before, leaves.at(victim).second);
    QVERIFY(!lost.isEmpty());
    QVERIFY(lost.last() < ids.last());
    RawDatabase raw(path());
    const int pageSize = raw.scalar(QStringLiteral("PRAGMA page_size")).toInt();
    QVERIFY(overwritePage(path(), leaves.at(victim).first, pageSize));

    QCOMPARE(StoreRecovery::check(path()).health, Health::Damaged);
    const auto recovered = StoreRecovery::recover(path());
    QVERIFY2(recovered.ok, qPrintable(recovered.error));
    QCOMPARE(recovered.messages, int(ids.size() - lost.size()));
    QCOMPARE(recovered.conversations, 6);
    QCOMPARE(recovered.rebuiltConversations, 0);
    QVERIFY(recovered.unreadableRows >= int(lost.size()));

    ConversationStore store(path());
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
    QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
    const QSet<qint64> lostSet(lost.cbegin(), lost.cend());
    for (const StoredMessage &message : written.messages) {
        const auto found = store.message(message.id);
        if (lostSet.contains(message.id)) {
            QVERIFY(!found);
            continue;
        }
        QVERIFY2(found, qPrintable(QString::number(message.id)));
        QCOMPARE(found->content, message.content);
        // A message whose parent was lost follows the message before it instead.
        if (!lostSet.contains(message.parentId))
            QCOMPARE(found->parentId, message.parentId);
        else
            QVERIFY(found->parentId < message.id && !lostSet.contains(found->parentId));
    }
    // The conversation rows were whole: titles, profiles, the shown version stay.
    for (const Conversation &original : written.conversations) {
        const auto conversation = store.conversation(original.id);
        QCOMPARE(conversation->title, original.title);
        QCOMPARE(conversation->profile, original.profile);
        QCOMPARE(conversation->updatedAt, original.updatedAt);
        QVERIFY(!store.messages(original.id)->isEmpty());
    }
    if (!lostSet.contains(written.versionedAnswer))
        QCOMPARE(store.messages(written.versionedConversation)->last().id, written.versionedAnswer);
}

void TestStoreRecovery::walIsKeptWithTheDamagedFile()
{
    const Written written = writeConversations();
    const QString copyDir = m_dir->filePath(QStringLiteral("crashed"));
    QVERIFY(QDir().mkpath(copyDir));
    const QString copy = copyDir + QStringLiteral("/qalam.sqlite3");
    const qint64 cut = written.messages.lastKey() - 2; // the streaming answer of conversation 5
    QCOMPARE(written.messages.value(cut).state, State::Streaming);
    {
        ConversationStore store(path());
        QVERIFY(
            test::execOnStore(store, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")).isValid());
        // A save after the checkpoint lives only in the WAL; the app is then killed (the copy
        // is what the disk holds at that instant).
        QVERIFY(store.updateMessage(cut, QStringLiteral("the latest save, only in the WAL"),
                                    State::Streaming, QString(), QString(),
                                    QStringLiteral("ev-9")));
        QVERIFY(QFile::copy(path(), copy));
        QVERIFY(QFile::copy(path() + QStringLiteral("-wal"), copy + QStringLiteral("-wal")));
    }
    RawDatabase raw(path());
    const int pageSize = raw.scalar(QStringLiteral("PRAGMA page_size")).toInt();
    for (int page = 2; page <= 4; ++page)
        QVERIFY(overwritePage(copy, page, pageSize));
    const QByteArray walBytes = fileHash(copy + QStringLiteral("-wal"));
    QVERIFY(!walBytes.isEmpty());

    QCOMPARE(StoreRecovery::check(copy).health, Health::Damaged);
    const auto recovered = StoreRecovery::recover(copy);
    QVERIFY2(recovered.ok, qPrintable(recovered.error));
    QCOMPARE(recovered.messages, int(written.messages.size()));
    // The WAL went with the damaged file, byte for byte; none is left at the new file's name.
    QCOMPARE(fileHash(recovered.damagedPath + QStringLiteral("-wal")), walBytes);
    QVERIFY(!QFile::exists(copy + QStringLiteral("-wal")));
    ConversationStore store(copy);
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
    const auto answer = store.message(cut);
    QCOMPARE(answer->content, QStringLiteral("the latest save, only in the WAL"));
    QCOMPARE(answer->lastEventId, QStringLiteral("ev-9"));
    QCOMPARE(answer->state, State::Streaming);
    QCOMPARE(store.markStreamingAsInterrupted(), std::optional<int>(1));
    QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
}

void TestStoreRecovery::refusesNewerVersion()
{
    {
        RawDatabase raw(path());
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE messages (x)")));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 99")));
    }
    const QByteArray before = fileHash(path());
    const auto recovered = StoreRecovery::recover(path());
    QVERIFY(!recovered.ok);
    QVERIFY2(recovered.error.contains(QStringLiteral("newer")), qPrintable(recovered.error));
    QCOMPARE(fileHash(path()), before);
    QCOMPARE(damagedCopies(m_dir->path()).size(), 0);
}

void TestStoreRecovery::damagedNamesNeverCollide()
{
    const QDateTime when(QDate(2026, 11, 25), QTime(9, 5, 7));
    const QString first = StoreRecovery::damagedPathFor(path(), when);
    QCOMPARE(first, path() + QStringLiteral(".damaged-20261125-090507"));
    QFile taken(first);
    QVERIFY(taken.open(QIODevice::WriteOnly));
    taken.close();
    QCOMPARE(StoreRecovery::damagedPathFor(path(), when), first + QStringLiteral("-2"));
}

QTEST_GUILESS_MAIN(TestStoreRecovery)
#include "tst_storerecovery.moc"
