#include "store/StoreRecovery.h"

#include "store/SearchFolding.h"
#include "store/SqlTransaction.h"
#include "store/StoreSchema.h"
#include "store/StoredMessage.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QUuid>
#include <QVariant>

#include <functional>
#include <limits>
#include <optional>

namespace qalam {

namespace {

QString describe(const QSqlError &error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

// A QSQLITE connection of its own, closed and removed on destruction.
class Connection
{
public:
    Connection(const QString &path, bool readOnly)
        : m_name(QStringLiteral("qalam-recovery-") +
                 QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(readOnly
                                 ? QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000")
                                 : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        m_open = db.open();
        if (!m_open)
            m_error = describe(db.lastError());
    }
    ~Connection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            if (db.isValid())
                db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    bool isOpen() const { return m_open; }
    const QString &error() const { return m_error; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

private:
    QString m_name;
    QString m_error;
    bool m_open = false;
};

constexpr char sqliteMagic[] = "SQLite format 3"; // and a NUL: the first 16 bytes of every file

struct ConversationRow
{
    qint64 id = 0;
    QString title;
    QString profile;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    qint64 leafId = 0;
};

struct MessageRow
{
    qint64 id = 0;
    qint64 conversationId = 0;
    QString role;
    QString state;
    QString error;
    QString metrics;
    QString lastEventId;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    QString content;
    qint64 parentId = 0;
};

// The columns a table has in this file (older schema versions lack the newer ones); empty when
// the schema itself cannot be read.
QStringList columnsOf(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery query(db);
    QStringList columns;
    if (!query.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table)))
        return columns;
    while (query.next())
        columns.append(query.value(1).toString());
    return columns;
}

// The largest rowid worth probing up to once a page turned out unreadable.
qint64 probeLimit(const QSqlDatabase &db, const QString &table, qint64 last)
{
    qint64 limit = 0;
    QSqlQuery query(db);
    // The rightmost path of the table's b-tree, often intact when a page in the middle is not.
    if (query.exec(QStringLiteral("SELECT max(rowid) FROM %1").arg(table)) && query.next())
        limit = query.value(0).toLongLong();
    query.finish();
    query.prepare(QStringLiteral("SELECT seq FROM sqlite_sequence WHERE name = ?"));
    query.addBindValue(table);
    if (query.exec() && query.next())
        limit = qMax(limit, query.value(0).toLongLong());
    // Neither readable: look this far past the damage (AUTOINCREMENT ids have few gaps).
    constexpr qint64 window = 100'000;
    const qint64 base = qMax<qint64>(last, 0);
    if (limit <= base)
        limit = base + window;
    return qMin(limit, base + 10 * window);
}

// Reads every row of table that SQLite can still read, in rowid order: a range scan until it
// hits a damaged page, then one rowid at a time past the damage, then a range scan again from
// the first row readable after it. take() gets each row: rowid, then columns.
int scanTable(const QSqlDatabase &db, const QString &table, const QString &columns,
              const std::function<void(const QSqlQuery &)> &take, QStringList &problems)
{
    int unreadable = 0;
    QSqlQuery range(db);
    range.setForwardOnly(true);
    QSqlQuery point(db);
    point.setForwardOnly(true);
    // NOT INDEXED: the table's own b-tree, by rowid; an index may be the damaged part.
    if (!range.prepare(QStringLiteral("SELECT rowid, %1 FROM %2 NOT INDEXED WHERE rowid > ? "
                                      "ORDER BY rowid")
                           .arg(columns, table)) ||
        !point.prepare(QStringLiteral("SELECT rowid, %1 FROM %2 NOT INDEXED WHERE rowid = ?")
                           .arg(columns, table))) {
        problems.append(QStringLiteral("%1: %2").arg(table, describe(range.lastError())));
        return 1;
    }
    qint64 last = std::numeric_limits<qint64>::min();
    std::optional<qint64> limit;
    for (;;) {
        range.bindValue(0, last);
        bool failed = !range.exec();
        if (!failed) {
            while (range.next()) {
                last = range.value(0).toLongLong();
                take(range);
            }
            failed = range.lastError().isValid();
        }
        const QString why = describe(range.lastError());
        range.finish();
        if (!failed)
            return unreadable;
        ++unreadable;
        if (problems.size() < 20)
            problems.append(QStringLiteral("%1 after rowid %2: %3")
                                .arg(table)
                                .arg(last == std::numeric_limits<qint64>::min() ? 0 : last)
                                .arg(why));
        if (!limit)
            limit = probeLimit(db, table, last);
        bool found = false;
        for (qint64 id = qMax<qint64>(last, 0) + 1; id <= *limit && !found; ++id) {
            point.bindValue(0, id);
            if (!point.exec()) {
                ++unreadable;
                continue;
            }
            if (point.next()) {
                last = id;
                take(point);
                found = true;
            } else if (point.lastError().isValid()) {
                ++unreadable;
            }
            point.finish();
        }
        if (!found)
            return unreadable;
    }
}

QString titleFrom(const QString &question)
{
    QString title = question.simplified();
    if (title.size() > 60)
        title = title.left(59) + QChar(0x2026);
    return title;
}

QVariant nullableId(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType::fromType<qlonglong>());
}

QString text(const QVariant &value)
{
    const QString result = value.toString();
    return result.isNull() ? QStringLiteral("") : result;
}

// The files SQLite keeps next to a database.
const QString sideFiles[] = {QStringLiteral("-wal"), QStringLiteral("-shm"),
                             QStringLiteral("-journal")};

// Moves path and its side files to target (and target-wal...). The side files go first: a
// database renamed before its WAL would find, at the next open, a WAL that is not its own.
bool moveAside(const QString &path, const QString &target, QString &error)
{
    for (const QString &suffix : sideFiles) {
        if (QFile::exists(path + suffix) && !QFile::rename(path + suffix, target + suffix)) {
            error = StoreRecovery::tr("%1 could not be renamed to %2.")
                        .arg(path + suffix, target + suffix);
            return false;
        }
    }
    if (QFile::exists(path) && !QFile::rename(path, target)) {
        error = StoreRecovery::tr("%1 could not be renamed to %2.").arg(path, target);
        return false;
    }
    return true;
}

void removeWithSideFiles(const QString &path)
{
    QFile::remove(path);
    for (const QString &suffix : sideFiles)
        QFile::remove(path + suffix);
}

} // namespace

QString StoreRecovery::damagedPathFor(const QString &path, const QDateTime &when)
{
    const QString base =
        path + QStringLiteral(".damaged-") + when.toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString candidate = base;
    for (int n = 2; QFile::exists(candidate) || QFile::exists(candidate + QStringLiteral("-wal"));
         ++n)
        candidate = base + u'-' + QString::number(n);
    return candidate;
}

StoreRecovery::CheckResult StoreRecovery::check(const QString &path, int maxProblems)
{
    CheckResult result;
    const QFileInfo info(path);
    if (!info.exists()) {
        result.message = tr("There is no conversation history yet.");
        return result;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.health = Health::Unreadable;
        result.detail = file.errorString();
        result.message =
            tr("The conversation history (%1) cannot be read: %2").arg(path, file.errorString());
        return result;
    }
    const QByteArray header = file.read(100);
    file.close();
    if (header.isEmpty()) {
        // SQLite treats an empty file as an empty database.
        result.message = tr("The conversation history is empty.");
        return result;
    }
    if (!header.startsWith(QByteArrayView(sqliteMagic, sizeof sqliteMagic))) {
        result.health = Health::NotADatabase;
        result.detail = QStringLiteral("no SQLite header in the first 16 bytes");
        result.message = tr("The conversation history file (%1) is not a database: it was "
                            "overwritten or replaced by another file.")
                             .arg(path);
        return result;
    }

    Connection connection(path, true);
    QString problem;
    if (!connection.isOpen()) {
        problem = connection.error();
    } else {
        // quick_check: every b-tree page and record, without the (costly) check that each
        // index matches its table; the search index is plain tables to it.
        QSqlQuery query(connection.db());
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral("PRAGMA quick_check(%1)").arg(qMax(1, maxProblems)))) {
            problem = describe(query.lastError());
        } else {
            QStringList lines;
            while (query.next()) {
                const QString line = query.value(0).toString();
                if (line != QLatin1String("ok"))
                    lines.append(line);
            }
            if (query.lastError().isValid())
                lines.append(describe(query.lastError()));
            problem = lines.join(u'\n');
        }
    }
    if (problem.isEmpty()) {
        result.message = tr("The conversation history is in order.");
        return result;
    }
    result.health = Health::Damaged;
    result.detail = problem;
    result.message = tr("The conversation history file (%1) is damaged. Qalam can save what is "
                        "still readable into a new file, or start with an empty history; the "
                        "damaged file is kept either way.")
                         .arg(path);
    return result;
}

StoreRecovery::Result StoreRecovery::recover(const QString &path)
{
    Result result;
    if (!QFileInfo::exists(path)) {
        result.error = tr("There is no conversation history at %1.").arg(path);
        return result;
    }

    // 1. Read what can be read, without writing to the damaged file.
    QMap<qint64, ConversationRow> conversations;
    QMap<qint64, MessageRow> messages; // by id: the order of creation, parents first
    qint64 conversationSequence = 0;
    qint64 messageSequence = 0;
    QStringList problems;
    bool hasParentColumn = false;
    {
        Connection source(path, true);
        if (source.isOpen()) {
            const QSqlDatabase db = source.db();
            QString versionError;
            const std::optional<int> version = StoreSchema::version(db, versionError);
            if (version && *version > StoreSchema::currentVersion) {
                result.error = tr("The conversation history at %1 was written by a newer "
                                  "version of Qalam; use that version to open it.")
                                   .arg(path);
                return result;
            }
            const QStringList conversationColumns = columnsOf(db, QStringLiteral("conversations"));
            if (!conversationColumns.isEmpty()) {
                const bool hasLeaf = conversationColumns.contains(QLatin1String("leaf_id"));
                result.unreadableRows += scanTable(
                    db, QStringLiteral("conversations"),
                    QStringLiteral("title, profile, created_at, updated_at, %1")
                        .arg(hasLeaf ? QStringLiteral("leaf_id") : QStringLiteral("NULL")),
                    [&conversations](const QSqlQuery &row) {
                        ConversationRow conversation;
                        conversation.id = row.value(0).toLongLong();
                        conversation.title = text(row.value(1));
                        conversation.profile = text(row.value(2));
                        conversation.createdAt = row.value(3).toLongLong();
                        conversation.updatedAt = row.value(4).toLongLong();
                        conversation.leafId = row.value(5).toLongLong();
                        if (conversation.id > 0)
                            conversations.insert(conversation.id, conversation);
                    },
                    problems);
            }
            const QStringList messageColumns = columnsOf(db, QStringLiteral("messages"));
            if (!messageColumns.isEmpty()) {
                hasParentColumn = messageColumns.contains(QLatin1String("parent_id"));
                result.unreadableRows += scanTable(
                    db, QStringLiteral("messages"),
                    QStringLiteral("conversation_id, role, state, error, metrics, last_event_id, "
                                   "created_at, updated_at, content, %1")
                        .arg(hasParentColumn ? QStringLiteral("parent_id")
                                             : QStringLiteral("NULL")),
                    [&messages](const QSqlQuery &row) {
                        MessageRow message;
                        message.id = row.value(0).toLongLong();
                        message.conversationId = row.value(1).toLongLong();
                        message.role = text(row.value(2));
                        message.state = text(row.value(3));
                        message.error = text(row.value(4));
                        message.metrics = text(row.value(5));
                        message.lastEventId = text(row.value(6));
                        message.createdAt = row.value(7).toLongLong();
                        message.updatedAt = row.value(8).toLongLong();
                        message.content = text(row.value(9));
                        message.parentId = row.value(10).toLongLong();
                        if (message.id > 0 && message.conversationId > 0)
                            messages.insert(message.id, message);
                    },
                    problems);
            }
            // Ids are never reused, also across a recovery.
            QSqlQuery sequence(db);
            if (sequence.exec(QStringLiteral("SELECT name, seq FROM sqlite_sequence"))) {
                while (sequence.next()) {
                    if (sequence.value(0).toString() == QLatin1String("conversations"))
                        conversationSequence = sequence.value(1).toLongLong();
                    else if (sequence.value(0).toString() == QLatin1String("messages"))
                        messageSequence = sequence.value(1).toLongLong();
                }
            }
        }
    }

    // 2. Link every message to a parent that was saved, and every conversation to its rows.
    QHash<qint64, qint64> lastInConversation; // conversation -> newest message so far
    QHash<qint64, qint64> firstQuestion;      // conversation -> its first user message
    QSet<qint64> rebuiltIds;
    for (MessageRow &message : messages) {
        const qint64 previous = lastInConversation.value(message.conversationId);
        if (hasParentColumn && message.parentId == 0) {
            // A first message (or a first version of one).
        } else if (!hasParentColumn || !messages.contains(message.parentId) ||
                   messages.value(message.parentId).conversationId != message.conversationId ||
                   message.parentId >= message.id) {
            // An older file, or the parent was lost: follow the message before it.
            message.parentId = previous;
        }
        lastInConversation.insert(message.conversationId, message.id);
        if (message.role == StoredMessage::roleName(StoredMessage::Role::User) &&
            !firstQuestion.contains(message.conversationId))
            firstQuestion.insert(message.conversationId, message.id);
        if (!conversations.contains(message.conversationId)) {
            // Its row was lost: rebuilt from its messages, first created to last updated.
            ConversationRow rebuilt;
            rebuilt.id = message.conversationId;
            rebuilt.createdAt = message.createdAt;
            conversations.insert(rebuilt.id, rebuilt);
            rebuiltIds.insert(rebuilt.id);
        }
        if (rebuiltIds.contains(message.conversationId)) {
            ConversationRow &conversation = conversations[message.conversationId];
            conversation.updatedAt = qMax(conversation.updatedAt, message.updatedAt);
        }
    }
    result.rebuiltConversations = int(rebuiltIds.size());
    for (ConversationRow &conversation : conversations) {
        if (conversation.title.isEmpty()) {
            const qint64 question = firstQuestion.value(conversation.id);
            conversation.title = question > 0 ? titleFrom(messages.value(question).content)
                                              : tr("Recovered conversation");
        }
        const auto leaf = messages.constFind(conversation.leafId);
        if (leaf == messages.cend() || leaf->conversationId != conversation.id)
            conversation.leafId = lastInConversation.value(conversation.id);
    }

    // 3. Write them into a new database next to the old one, in one transaction.
    const QString building = path + QStringLiteral(".recovering");
    removeWithSideFiles(building);
    {
        Connection target(building, false);
        if (!target.isOpen()) {
            result.error = tr("Cannot create a new conversation history at %1: %2")
                               .arg(building, target.error());
            return result;
        }
        const QSqlDatabase db = target.db();
        QString error;
        QSqlQuery query(db);
        query.exec(QStringLiteral("PRAGMA foreign_keys = ON"));
        query.exec(QStringLiteral("PRAGMA synchronous = FULL"));
        const auto failed = [&result, &building, &error] {
            result.error =
                tr("Cannot write the new conversation history at %1: %2").arg(building, error);
            return result;
        };
        if (!StoreSchema::migrate(db, StoreSchema::supportsFullTextSearch(db), error))
            return failed();
        SqlTransaction transaction(db);
        if (!transaction.isActive()) {
            error = describe(transaction.error());
            return failed();
        }
        query.prepare(QStringLiteral("INSERT INTO conversations (id, title, profile, created_at, "
                                     "updated_at, leaf_id, folded_title) VALUES (?, ?, ?, ?, ?, ?, "
                                     "?)"));
        for (const ConversationRow &conversation : std::as_const(conversations)) {
            query.bindValue(0, conversation.id);
            query.bindValue(1, conversation.title);
            query.bindValue(2, conversation.profile.isNull() ? QStringLiteral("")
                                                             : conversation.profile);
            query.bindValue(3, conversation.createdAt);
            query.bindValue(4, conversation.updatedAt);
            query.bindValue(5, nullableId(conversation.leafId));
            query.bindValue(6, SearchFolding::fold(conversation.title));
            if (query.exec())
                ++result.conversations;
            else if (problems.size() < 40)
                problems.append(describe(query.lastError()));
        }
        query.prepare(QStringLiteral(
            "INSERT INTO messages (id, conversation_id, parent_id, role, state, error, metrics, "
            "last_event_id, created_at, updated_at, content, folded_content) VALUES (?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const MessageRow &message : std::as_const(messages)) {
            query.bindValue(0, message.id);
            query.bindValue(1, message.conversationId);
            query.bindValue(2, nullableId(message.parentId));
            query.bindValue(3, message.role);
            query.bindValue(4, message.state);
            query.bindValue(5, message.error);
            query.bindValue(6, message.metrics);
            query.bindValue(7, message.lastEventId);
            query.bindValue(8, message.createdAt);
            query.bindValue(9, message.updatedAt);
            query.bindValue(10, message.content);
            query.bindValue(11, SearchFolding::fold(message.content));
            if (query.exec())
                ++result.messages;
            else if (problems.size() < 40)
                problems.append(describe(query.lastError()));
        }
        const std::pair<const char *, qint64> sequences[] = {
            {"conversations",
             qMax(conversationSequence, conversations.isEmpty() ? 0 : conversations.lastKey())},
            {"messages", qMax(messageSequence, messages.isEmpty() ? 0 : messages.lastKey())},
        };
        for (const auto &[name, value] : sequences) {
            if (value <= 0)
                continue;
            query.prepare(QStringLiteral("DELETE FROM sqlite_sequence WHERE name = ?"));
            query.addBindValue(QString::fromLatin1(name));
            const bool deleted = query.exec();
            query.prepare(QStringLiteral("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)"));
            query.addBindValue(QString::fromLatin1(name));
            query.addBindValue(value);
            if (!deleted || !query.exec()) {
                error = describe(query.lastError());
                return failed();
            }
        }
        query.finish();
        if (!transaction.commit()) {
            error = describe(transaction.error());
            return failed();
        }
    }

    // 4. The damaged file aside, the new one in its place.
    result.damagedPath = damagedPathFor(path, QDateTime::currentDateTime());
    QString error;
    if (!moveAside(path, result.damagedPath, error) || !QFile::rename(building, path)) {
        if (error.isEmpty())
            error = tr("%1 could not be renamed to %2.").arg(building, path);
        result.error = tr("The readable conversations were saved in %1, but it could not take "
                          "the damaged file's place: %2")
                           .arg(building, error);
        return result;
    }
    result.ok = true;
    result.message = tr("%1 and %2 were saved from the damaged conversation history. The damaged "
                        "file was kept as %3.")
                         .arg(tr("%n conversation(s)", nullptr, result.conversations),
                              tr("%n message(s)", nullptr, result.messages), result.damagedPath);
    return result;
}

StoreRecovery::Result StoreRecovery::startEmpty(const QString &path)
{
    Result result;
    result.damagedPath = damagedPathFor(path, QDateTime::currentDateTime());
    QString error;
    if (!moveAside(path, result.damagedPath, error)) {
        result.damagedPath.clear();
        result.error =
            tr("The damaged conversation history could not be moved aside: %1").arg(error);
        return result;
    }
    {
        Connection target(path, false);
        QString migrationError;
        if (!target.isOpen() ||
            !StoreSchema::migrate(target.db(), StoreSchema::supportsFullTextSearch(target.db()),
                                  migrationError)) {
            result.error = tr("Cannot create a new conversation history at %1: %2")
                               .arg(path, target.isOpen() ? migrationError : target.error());
            return result;
        }
    }
    result.ok = true;
    result.message = tr("A new, empty conversation history was started. The damaged file was "
                        "kept as %1.")
                         .arg(result.damagedPath);
    return result;
}

} // namespace qalam
