#include "store/StoreSchema.h"

#include "store/SqlTransaction.h"

#include <QSqlError>
#include <QSqlQuery>

#include <span>

namespace qalam {

namespace {

QString describe(const QSqlError &error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

// Timestamps are milliseconds since the epoch (UTC). Role and state are their names
// (StoredMessage::roleName/stateName). Ids are AUTOINCREMENT so an id is never reused: an
// AnswerSaver still holding the id of a deleted answer (regenerate) must not write into the
// answer that replaced it. content is the last column so reading the other columns of a row
// does not have to walk a long answer's overflow pages.
constexpr QLatin1String v1Statements[] = {
    QLatin1String("CREATE TABLE conversations ("
                  " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                  " title TEXT NOT NULL DEFAULT '',"
                  " profile TEXT NOT NULL DEFAULT '',"
                  " created_at INTEGER NOT NULL,"
                  " updated_at INTEGER NOT NULL)"),
    QLatin1String("CREATE INDEX conversations_by_update ON conversations(updated_at, id)"),
    QLatin1String("CREATE TABLE messages ("
                  " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                  " conversation_id INTEGER NOT NULL"
                  "  REFERENCES conversations(id) ON DELETE CASCADE,"
                  " role TEXT NOT NULL,"
                  " state TEXT NOT NULL,"
                  " error TEXT NOT NULL DEFAULT '',"
                  " metrics TEXT NOT NULL DEFAULT '',"
                  " last_event_id TEXT NOT NULL DEFAULT '',"
                  " created_at INTEGER NOT NULL,"
                  " updated_at INTEGER NOT NULL,"
                  " content TEXT NOT NULL DEFAULT '')"),
    // Loading a conversation is one range scan of this index; it also serves the foreign key's
    // cascade.
    QLatin1String("CREATE INDEX messages_by_conversation ON messages(conversation_id, id)"),
};

// A partial index holds only the rows still streaming (normally none), so the startup recovery
// does not scan every message.
constexpr QLatin1String v2Statements[] = {
    QLatin1String("CREATE INDEX messages_streaming ON messages(id) WHERE state = 'streaming'"),
};

// Versions. parent_id has no REFERENCES clause on purpose: SQLite runs a cascade one trigger level
// per generation (a chain of 1,000 messages would hit SQLITE_MAX_TRIGGER_DEPTH), and checking the
// constraint on every delete would need an index of its own. The store deletes a subtree itself,
// in one statement, and a parent that is missing (a recovered file) reads as no parent. Ids grow
// along every path (a message is added after its parent), which the store relies on: the shown
// path read in id order is the path in conversation order.
//
// The migration reads the previous message by id within each conversation through
// messages_by_conversation (one index probe per message) and rewrites every row once.
// messages_tree serves every tree query without touching the rows (which hold the text): the
// skeleton of a conversation, the children of a message, the versions of a turn.
constexpr QLatin1String v3Statements[] = {
    QLatin1String("ALTER TABLE messages ADD COLUMN parent_id INTEGER"),
    QLatin1String("ALTER TABLE conversations ADD COLUMN leaf_id INTEGER"),
    QLatin1String("UPDATE messages SET parent_id = (SELECT max(p.id) FROM messages p"
                  " WHERE p.conversation_id = messages.conversation_id AND p.id < messages.id)"),
    QLatin1String("UPDATE conversations SET leaf_id = (SELECT max(m.id) FROM messages m"
                  " WHERE m.conversation_id = conversations.id)"),
    QLatin1String("CREATE INDEX messages_tree ON messages(conversation_id, parent_id, role, id)"),
};

// A regular (not external-content) FTS5 table: it keeps its own copy of the text, which costs
// disk space but lets a row be removed by rowid alone. External-content and contentless tables
// need the exact indexed text to delete a row and corrupt the index silently when given anything
// else; that is not a risk worth taking with the user's history.
constexpr QLatin1String searchIndexStatements[] = {
    QLatin1String("CREATE VIRTUAL TABLE message_fts USING fts5(content, tokenize='trigram')"),
    QLatin1String("CREATE TRIGGER message_fts_insert AFTER INSERT ON messages"
                  " WHEN new.state <> 'streaming' BEGIN"
                  " INSERT INTO message_fts(rowid, content) VALUES (new.id, new.content);"
                  " END"),
    // Streaming-to-streaming saves (the frequent ones) do not fire this trigger at all.
    QLatin1String("CREATE TRIGGER message_fts_update AFTER UPDATE OF content, state ON messages"
                  " WHEN old.state <> 'streaming' OR new.state <> 'streaming' BEGIN"
                  " DELETE FROM message_fts WHERE rowid = old.id;"
                  " INSERT INTO message_fts(rowid, content)"
                  "  SELECT new.id, new.content WHERE new.state <> 'streaming';"
                  " END"),
    QLatin1String("CREATE TRIGGER message_fts_delete AFTER DELETE ON messages BEGIN"
                  " DELETE FROM message_fts WHERE rowid = old.id;"
                  " END"),
    QLatin1String("INSERT INTO message_fts(rowid, content)"
                  " SELECT id, content FROM messages WHERE state <> 'streaming'"),
};

// QSQLITE runs one statement per exec(), hence the lists.
bool run(const QSqlDatabase &db, std::span<const QLatin1String> statements, QString &error)
{
    QSqlQuery query(db);
    for (QLatin1String statement : statements) {
        if (!query.exec(statement)) {
            error = describe(query.lastError());
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<int> StoreSchema::version(const QSqlDatabase &db, QString &error)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
        error = describe(query.lastError());
        if (error.isEmpty())
            error = QStringLiteral("PRAGMA user_version returned nothing");
        return std::nullopt;
    }
    return query.value(0).toInt();
}

bool StoreSchema::supportsFullTextSearch(const QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral(
            "CREATE VIRTUAL TABLE temp.qalam_fts_probe USING fts5(x, tokenize='trigram')")))
        return false;
    query.exec(QStringLiteral("DROP TABLE temp.qalam_fts_probe"));
    return true;
}

bool StoreSchema::hasSearchIndex(const QSqlDatabase &db)
{
    QSqlQuery query(db);
    return query.exec(QStringLiteral(
               "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'message_fts'")) &&
           query.next();
}

bool StoreSchema::migrate(const QSqlDatabase &db, bool fullTextSearch, QString &error)
{
    // The usual case, an up-to-date file, takes no write lock.
    const std::optional<int> initial = version(db, error);
    if (!initial)
        return false;
    for (int target = *initial + 1; target <= currentVersion; ++target) {
        SqlTransaction transaction(db);
        if (!transaction.isActive()) {
            error = describe(transaction.error());
            return false;
        }
        // Read inside the write transaction: another instance may have migrated meanwhile.
        const std::optional<int> current = version(db, error);
        if (!current)
            return false;
        if (*current >= target)
            continue;
        bool ok = false;
        switch (target) {
        case 1:
            ok = run(db, v1Statements, error);
            break;
        case 2:
            ok = run(db, v2Statements, error) &&
                 (!fullTextSearch || run(db, searchIndexStatements, error));
            break;
        case 3:
            ok = run(db, v3Statements, error);
            break;
        }
        if (!ok) {
            error =
                QStringLiteral("migration to schema version %1 failed: %2").arg(target).arg(error);
            return false;
        }
        // user_version lives in the database header and is written inside the transaction, so
        // it commits or rolls back with the migration.
        QSqlQuery bump(db);
        if (!bump.exec(QStringLiteral("PRAGMA user_version = %1").arg(target))) {
            error = describe(bump.lastError());
            return false;
        }
        if (!transaction.commit()) {
            error = describe(transaction.error());
            return false;
        }
    }
    return true;
}

bool StoreSchema::ensureSearchIndex(const QSqlDatabase &db, QString &error)
{
    if (hasSearchIndex(db))
        return true;
    SqlTransaction transaction(db);
    if (!transaction.isActive()) {
        error = describe(transaction.error());
        return false;
    }
    if (hasSearchIndex(db))
        return true;
    if (!run(db, searchIndexStatements, error))
        return false;
    if (!transaction.commit()) {
        error = describe(transaction.error());
        return false;
    }
    return true;
}

} // namespace qalam
