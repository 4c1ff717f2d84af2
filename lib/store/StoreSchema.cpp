#include "store/StoreSchema.h"

#include "store/SearchFolding.h"
#include "store/SqlTransaction.h"

#include <QSqlError>
#include <QSqlQuery>

#include <span>
#include <utility>

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

// The search index as v2 and v3 had it, over the raw text. Frozen: the v2 migration still
// creates it (v4 then replaces it), so a step never depends on a later schema.
constexpr QLatin1String v2SearchIndexStatements[] = {
    QLatin1String("CREATE VIRTUAL TABLE message_fts USING fts5(content, tokenize='trigram')"),
    QLatin1String("CREATE TRIGGER message_fts_insert AFTER INSERT ON messages"
                  " WHEN new.state <> 'streaming' BEGIN"
                  " INSERT INTO message_fts(rowid, content) VALUES (new.id, new.content);"
                  " END"),
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

// v4: search compares folded text (SearchFolding). The folded forms are columns the store writes
// with the text (SQLite cannot fold: the rules live in C++), NULL until written; the partial
// index holds the rows still to fold (normally none), so the check at every open is one probe.
// The old index over the raw text goes first, so filling the columns does not reindex it.
constexpr QLatin1String v4DropOldIndex[] = {
    QLatin1String("DROP TRIGGER IF EXISTS message_fts_insert"),
    QLatin1String("DROP TRIGGER IF EXISTS message_fts_update"),
    QLatin1String("DROP TRIGGER IF EXISTS message_fts_delete"),
    QLatin1String("DROP TABLE IF EXISTS message_fts"),
};
constexpr QLatin1String v4Index(
    "CREATE INDEX IF NOT EXISTS messages_unfolded ON messages(id) WHERE folded_content IS NULL");

// A regular (not external-content) FTS5 table: it keeps its own copy of the text, which costs
// disk space but lets a row be removed by rowid alone. External-content and contentless tables
// need the exact indexed text to delete a row and corrupt the index silently when given anything
// else; that is not a risk worth taking with the user's history. It indexes the folded text,
// which is already case-folded: case_sensitive 1 makes the index match exactly what the LIKE
// path and SearchSnippet match. A row whose folded text is still NULL is indexed when the text
// is written (the update trigger watches folded_content too).
constexpr QLatin1String searchIndexStatements[] = {
    QLatin1String("CREATE VIRTUAL TABLE message_fts USING fts5(folded,"
                  " tokenize='trigram case_sensitive 1')"),
    QLatin1String("CREATE TRIGGER message_fts_insert AFTER INSERT ON messages"
                  " WHEN new.state <> 'streaming' BEGIN"
                  " INSERT INTO message_fts(rowid, folded) VALUES (new.id, new.folded_content);"
                  " END"),
    // Streaming-to-streaming saves (the frequent ones) do not fire this trigger at all.
    QLatin1String("CREATE TRIGGER message_fts_update AFTER UPDATE OF content, folded_content, state"
                  " ON messages WHEN old.state <> 'streaming' OR new.state <> 'streaming' BEGIN"
                  " DELETE FROM message_fts WHERE rowid = old.id;"
                  " INSERT INTO message_fts(rowid, folded)"
                  "  SELECT new.id, new.folded_content WHERE new.state <> 'streaming';"
                  " END"),
    QLatin1String("CREATE TRIGGER message_fts_delete AFTER DELETE ON messages BEGIN"
                  " DELETE FROM message_fts WHERE rowid = old.id;"
                  " END"),
    QLatin1String("INSERT INTO message_fts(rowid, folded)"
                  " SELECT id, folded_content FROM messages WHERE state <> 'streaming'"),
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

bool hasColumn(const QSqlDatabase &db, const QString &table, const QString &column)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT 1 FROM pragma_table_info(?) WHERE name = ?"));
    query.addBindValue(table);
    query.addBindValue(column);
    return query.exec() && query.next();
}

// Adds the column unless an earlier, interrupted attempt already did (the migration is safe to
// run on a file that has it).
bool addColumn(const QSqlDatabase &db, const QString &table, const QString &column, QString &error)
{
    if (hasColumn(db, table, column))
        return true;
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("ALTER TABLE %1 ADD COLUMN %2 TEXT").arg(table, column))) {
        error = describe(query.lastError());
        return false;
    }
    return true;
}

// Folds `source` into `target` for the rows of `table` (all of them, or those whose target is
// NULL), in batches by id: a batch is read whole before it is written, so no statement reads a
// table while it is being changed, and memory stays bounded by the batch.
bool foldRows(const QSqlDatabase &db, const QString &table, const QString &source,
              const QString &target, bool onlyMissing, QString &error)
{
    constexpr int batchSize = 256;
    QSqlQuery read(db);
    read.setForwardOnly(true);
    read.prepare(QStringLiteral("SELECT id, %1 FROM %2 WHERE id > ?%3 ORDER BY id LIMIT %4")
                     .arg(source, table,
                          onlyMissing ? QStringLiteral(" AND %1 IS NULL").arg(target) : QString())
                     .arg(batchSize));
    QSqlQuery write(db);
    write.prepare(QStringLiteral("UPDATE %1 SET %2 = ? WHERE id = ?").arg(table, target));
    qint64 after = 0;
    for (;;) {
        read.addBindValue(after);
        if (!read.exec()) {
            error = describe(read.lastError());
            return false;
        }
        QList<std::pair<qint64, QString>> batch;
        batch.reserve(batchSize);
        while (read.next())
            batch.append({read.value(0).toLongLong(), read.value(1).toString()});
        if (read.lastError().isValid()) {
            error = describe(read.lastError());
            return false;
        }
        read.finish();
        for (const auto &[id, text] : std::as_const(batch)) {
            write.addBindValue(SearchFolding::fold(text));
            write.addBindValue(id);
            if (!write.exec()) {
                error = describe(write.lastError());
                return false;
            }
        }
        if (batch.size() < batchSize)
            return true;
        after = batch.last().first;
    }
}

bool migrateToVersion4(const QSqlDatabase &db, bool fullTextSearch, QString &error)
{
    // Every row is folded, not only the NULL ones: whatever a half-done attempt left is redone.
    return run(db, v4DropOldIndex, error) &&
           addColumn(db, QStringLiteral("messages"), QStringLiteral("folded_content"), error) &&
           addColumn(db, QStringLiteral("conversations"), QStringLiteral("folded_title"), error) &&
           foldRows(db, QStringLiteral("messages"), QStringLiteral("content"),
                    QStringLiteral("folded_content"), false, error) &&
           foldRows(db, QStringLiteral("conversations"), QStringLiteral("title"),
                    QStringLiteral("folded_title"), false, error) &&
           run(db, std::span(&v4Index, 1), error) &&
           (!fullTextSearch || run(db, searchIndexStatements, error));
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
                 (!fullTextSearch || run(db, v2SearchIndexStatements, error));
            break;
        case 3:
            ok = run(db, v3Statements, error);
            break;
        case 4:
            ok = migrateToVersion4(db, fullTextSearch, error);
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

bool StoreSchema::foldMissing(const QSqlDatabase &db, QString &error)
{
    // The usual case, nothing to fold, is one probe of an empty index and a scan of the (small)
    // conversation rows, without a write lock.
    const auto anyMissing = [&db] {
        QSqlQuery query(db);
        return query.exec(QStringLiteral(
                   "SELECT EXISTS (SELECT 1 FROM messages WHERE folded_content IS NULL)"
                   " OR EXISTS (SELECT 1 FROM conversations WHERE folded_title IS NULL)")) &&
               query.next() && query.value(0).toBool();
    };
    if (!anyMissing())
        return true;
    SqlTransaction transaction(db);
    if (!transaction.isActive()) {
        error = describe(transaction.error());
        return false;
    }
    if (!foldRows(db, QStringLiteral("messages"), QStringLiteral("content"),
                  QStringLiteral("folded_content"), true, error) ||
        !foldRows(db, QStringLiteral("conversations"), QStringLiteral("title"),
                  QStringLiteral("folded_title"), true, error))
        return false;
    if (!transaction.commit()) {
        error = describe(transaction.error());
        return false;
    }
    return true;
}

} // namespace qalam
