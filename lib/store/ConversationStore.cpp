#include "store/ConversationStore.h"

#include "store/SearchFolding.h"
#include "store/SqlTransaction.h"
#include "store/StoreSchema.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QUuid>

namespace qalam {

namespace {

QString describe(const QSqlError &error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

// QSQLITE puts SQLite's result code in nativeErrorCode(); the primary code is its low byte.
ConversationStore::ErrorKind kindOf(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    if (!ok)
        return ConversationStore::ErrorKind::Other;
    switch (code) {
    case 13: // SQLITE_FULL: the disk, or max_page_count
        return ConversationStore::ErrorKind::DiskFull;
    case 8: // SQLITE_READONLY
        return ConversationStore::ErrorKind::ReadOnly;
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return ConversationStore::ErrorKind::Busy;
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return ConversationStore::ErrorKind::Damaged;
    default:
        return ConversationStore::ErrorKind::Other;
    }
}

QVariant nullableId(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType::fromType<qlonglong>());
}

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// Column lists shared by the queries and the readers below, so their order cannot drift apart.
// Message queries name the table "m". The two counts are the message's place among its versions
// and how many there are; both are ranges of messages_tree, which holds everything they need.
constexpr QLatin1String conversationColumns("id, title, profile, created_at, updated_at");
constexpr QLatin1String
    messageColumns("m.id, m.conversation_id, m.role, m.state, m.error, m.metrics, m.last_event_id, "
                   "m.created_at, m.updated_at, m.content, m.parent_id, "
                   "(SELECT count(*) FROM messages s WHERE s.conversation_id = m.conversation_id"
                   " AND s.parent_id IS m.parent_id AND s.role = m.role AND s.id <= m.id), "
                   "(SELECT count(*) FROM messages s WHERE s.conversation_id = m.conversation_id"
                   " AND s.parent_id IS m.parent_id AND s.role = m.role)");

// The shown leaf of conversation c: leaf_id when it is a message of c, else c's newest message
// (a leaf lost to a hand edit or a recovery), NULL when c has no messages.
constexpr QLatin1String leafOfConversation(
    "coalesce((SELECT l.id FROM messages l WHERE l.id = c.leaf_id AND l.conversation_id = c.id),"
    " (SELECT max(n.id) FROM messages n WHERE n.conversation_id = c.id))");

// The newest descendant of a message (?1, in conversation ?2) along the most recently created
// child at each step; the message itself when it has no children. Ids grow along every path, so
// the last one reached is the largest, and "c.id > down.id" makes a looping hand-edited file end.
// INDEXED BY: for max(id) SQLite would otherwise walk messages_by_conversation backwards from the
// newest message, reading rows until one has the parent, at every step.
constexpr QLatin1String
    newestDescendant("WITH RECURSIVE down(id) AS (SELECT ? UNION ALL"
                     " SELECT (SELECT max(c.id) FROM messages c INDEXED BY messages_tree"
                     " WHERE c.conversation_id = ? AND c.parent_id = down.id AND c.id > down.id)"
                     " FROM down WHERE down.id IS NOT NULL)"
                     " SELECT max(id) FROM down");

Conversation readConversation(const QSqlQuery &query)
{
    Conversation conversation;
    conversation.id = query.value(0).toLongLong();
    conversation.title = query.value(1).toString();
    conversation.profile = query.value(2).toString();
    conversation.createdAt = fromMs(query.value(3).toLongLong());
    conversation.updatedAt = fromMs(query.value(4).toLongLong());
    return conversation;
}

StoredMessage readMessage(const QSqlQuery &query)
{
    StoredMessage message;
    message.id = query.value(0).toLongLong();
    message.conversationId = query.value(1).toLongLong();
    const QString role = query.value(2).toString();
    const QString state = query.value(3).toString();
    message.errorText = query.value(4).toString();
    message.metricsJson = query.value(5).toString();
    message.lastEventId = query.value(6).toString();
    message.createdAt = fromMs(query.value(7).toLongLong());
    message.updatedAt = fromMs(query.value(8).toLongLong());
    message.content = query.value(9).toString();
    message.parentId = query.value(10).toLongLong(); // NULL reads as 0
    message.versionIndex = query.value(11).toInt();
    message.versionCount = query.value(12).toInt();
    // Only a hand-edited file has other names (a newer schema is refused). Show such a message
    // rather than fail the whole conversation, and say why it looks odd.
    message.role = StoredMessage::roleFromName(role).value_or(StoredMessage::Role::User);
    if (const auto known = StoredMessage::stateFromName(state)) {
        message.state = *known;
    } else {
        message.state = StoredMessage::State::Failed;
        if (message.errorText.isEmpty())
            message.errorText = QStringLiteral("unknown message state \"%1\"").arg(state);
    }
    return message;
}

// A null QString binds as SQL NULL, which the NOT NULL text columns refuse; QString() is the
// natural "no error / no metrics" argument, so it is stored as ''.
void bindText(QSqlQuery &query, const QString &text)
{
    query.addBindValue(text.isNull() ? QStringLiteral("") : text);
}

// LIKE with ESCAPE '\': the user's %, _ and \ are literal characters, not wildcards.
QString containsPattern(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size() + 8);
    for (QChar c : text) {
        if (c == u'\\' || c == u'%' || c == u'_')
            escaped += u'\\';
        escaped += c;
    }
    return u'%' + escaped + u'%';
}

// An FTS5 phrase: everything between the quotes is literal except a doubled quote.
QString ftsPhrase(QString text)
{
    text.replace(u'"', QLatin1String("\"\""));
    return u'"' + text + u'"';
}

} // namespace

ConversationStore::ConversationStore(const QString &path) : ConversationStore(path, Options()) {}

ConversationStore::ConversationStore(const QString &path, const Options &options)
    : m_path(path), m_connectionName(QStringLiteral("qalam-store-") +
                                     QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    open(options);
}

ConversationStore::~ConversationStore()
{
    // removeDatabase() requires that no QSqlDatabase or QSqlQuery for the connection is alive:
    // queries are locals of the methods, and this handle dies before the call.
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString ConversationStore::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty() || !QDir().mkpath(dir))
        return QString();
    return QDir(dir).filePath(QStringLiteral("qalam.sqlite3"));
}

void ConversationStore::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
}

qint64 ConversationStore::now() const
{
    return m_clock ? m_clock().toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

bool ConversationStore::fail(const QString &message, ErrorKind kind)
{
    m_lastError = message;
    m_lastErrorKind = kind;
    return false;
}

bool ConversationStore::checkOpen()
{
    return m_open || fail(m_openError, m_openErrorKind);
}

void ConversationStore::open(const Options &options)
{
    if (m_path.isEmpty()) {
        // QSQLITE would silently open a temporary database: history that vanishes on exit.
        m_openError = QStringLiteral("no path given for the conversation database");
        fail(m_openError);
        return;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (!db.isValid()) {
        m_openError = QStringLiteral("the Qt SQLite driver (QSQLITE) is not available");
        fail(m_openError);
        return;
    }
    db.setDatabaseName(m_path);
    // Another instance of the app on the same file waits instead of failing at once.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    const auto openFailed = [this, &db](const QString &why, ErrorKind kind = ErrorKind::Other) {
        m_openError =
            QStringLiteral("cannot open the conversation database %1: %2").arg(m_path, why);
        m_openErrorKind = kind;
        fail(m_openError, kind);
        db.close();
    };
    // SQLite opens a file it may not write read-only without a word, and every save would then
    // fail; say so before anything is read or created next to it.
    const QFileInfo file(m_path);
    if (file.exists() && !file.isWritable()) {
        openFailed(QStringLiteral("the file is read-only; Qalam must be able to write to it "
                                  "(check its permissions)"),
                   ErrorKind::ReadOnly);
        return;
    }
    if (!db.open()) {
        openFailed(describe(db.lastError()), kindOf(db.lastError()));
        return;
    }

    // Read the version before anything writes: journal_mode=WAL alone rewrites the header, and a
    // file from a newer Qalam must stay exactly as it is.
    QString error;
    const std::optional<int> version = StoreSchema::version(db, error);
    if (!version) {
        openFailed(error, ErrorKind::Damaged);
        return;
    }
    if (*version > StoreSchema::currentVersion) {
        openFailed(QStringLiteral("it has schema version %1, newer than the version %2 this "
                                  "Qalam knows; it was left untouched (use a newer Qalam)")
                       .arg(*version)
                       .arg(StoreSchema::currentVersion));
        return;
    }

    QSqlQuery pragma(db);
    // The permission check above cannot see everything (a read-only mount, a root user whose
    // access() says yes while open() says no): SQLite then opens the file read-only, and in WAL
    // mode even takes the write lock. Write the version it has, in a transaction rolled back,
    // which fails at once with SQLITE_READONLY and changes nothing. Busy (another instance
    // writing) is not that and is left to the statements below.
    if (pragma.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        const bool written = pragma.exec(QStringLiteral("PRAGMA user_version = %1").arg(*version));
        const QSqlError writeError = pragma.lastError();
        pragma.exec(QStringLiteral("ROLLBACK"));
        if (!written && kindOf(writeError) == ErrorKind::ReadOnly) {
            openFailed(QStringLiteral("the file is read-only to Qalam (%1); Qalam must be able "
                                      "to write to it (check its permissions and the disk)")
                           .arg(describe(writeError)),
                       ErrorKind::ReadOnly);
            return;
        }
    }
    // Per connection, off by default in SQLite: without it deleting a conversation would leave
    // its messages behind.
    if (!pragma.exec(QStringLiteral("PRAGMA foreign_keys = ON"))) {
        openFailed(describe(pragma.lastError()));
        return;
    }
    // journal_mode answers with the mode it got: "memory" for ":memory:", "delete" on file
    // systems without shared memory. Both are still safe (just slower), so that is no error.
    if (!pragma.exec(QStringLiteral("PRAGMA journal_mode = WAL")) ||
        !pragma.exec(QStringLiteral("PRAGMA synchronous = NORMAL"))) {
        openFailed(describe(pragma.lastError()), kindOf(pragma.lastError()));
        return;
    }

    const bool fullTextSearch = options.fullTextSearch && StoreSchema::supportsFullTextSearch(db);
    if (!StoreSchema::migrate(db, fullTextSearch, error) ||
        (fullTextSearch && !StoreSchema::ensureSearchIndex(db, error))) {
        openFailed(error, error.contains(QLatin1String("malformed")) ? ErrorKind::Damaged
                                                                     : ErrorKind::Other);
        return;
    }
    // A migration that rewrote every row (v4 folds all the text) left a WAL as large as the
    // file, which would stay that size until the app quits: copy it back and empty it now. A
    // failure (another instance reading) only leaves it for SQLite's own checkpoints.
    if (*version < StoreSchema::currentVersion)
        pragma.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    // Rows written behind the store's back have no folded text yet. That is derived data: when
    // it cannot be written now (another instance busy writing), those rows are only missing
    // from search until a later start, and the history opens all the same.
    QString foldError;
    StoreSchema::foldMissing(db, foldError);
    m_fullTextSearch = fullTextSearch;
    m_open = true;
}

std::optional<Conversation> ConversationStore::createConversation(const QString &title,
                                                                  const QString &profile)
{
    if (!checkOpen())
        return std::nullopt;
    const qint64 stamp = now();
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("INSERT INTO conversations (title, profile, created_at, "
                                 "updated_at, folded_title) VALUES (?, ?, ?, ?, ?)"));
    bindText(query, title);
    bindText(query, profile);
    query.addBindValue(stamp);
    query.addBindValue(stamp);
    query.addBindValue(SearchFolding::fold(title));
    if (!query.exec()) {
        fail(QStringLiteral("cannot create a conversation: %1").arg(describe(query.lastError())),
             kindOf(query.lastError()));
        return std::nullopt;
    }
    Conversation conversation;
    conversation.id = query.lastInsertId().toLongLong();
    conversation.title = title;
    conversation.profile = profile;
    conversation.createdAt = fromMs(stamp);
    conversation.updatedAt = fromMs(stamp);
    return conversation;
}

bool ConversationStore::renameConversation(qint64 conversationId, const QString &title)
{
    if (!checkOpen())
        return false;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(
        QStringLiteral("UPDATE conversations SET title = ?, folded_title = ?, updated_at = ? "
                       "WHERE id = ?"));
    bindText(query, title);
    query.addBindValue(SearchFolding::fold(title));
    query.addBindValue(now());
    query.addBindValue(conversationId);
    if (!query.exec())
        return fail(QStringLiteral("cannot rename conversation %1: %2")
                        .arg(conversationId)
                        .arg(describe(query.lastError())),
                    kindOf(query.lastError()));
    if (query.numRowsAffected() == 0)
        return fail(
            QStringLiteral("cannot rename conversation %1: it does not exist").arg(conversationId),
            ErrorKind::NotFound);
    return true;
}

bool ConversationStore::deleteConversation(qint64 conversationId)
{
    if (!checkOpen())
        return false;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("DELETE FROM conversations WHERE id = ?"));
    query.addBindValue(conversationId);
    if (!query.exec())
        return fail(QStringLiteral("cannot delete conversation %1: %2")
                        .arg(conversationId)
                        .arg(describe(query.lastError())),
                    kindOf(query.lastError()));
    if (query.numRowsAffected() == 0)
        return fail(
            QStringLiteral("cannot delete conversation %1: it does not exist").arg(conversationId),
            ErrorKind::NotFound);
    return true;
}

std::optional<Conversation> ConversationStore::conversation(qint64 conversationId)
{
    if (!checkOpen())
        return std::nullopt;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(
        QStringLiteral("SELECT %1 FROM conversations WHERE id = ?").arg(conversationColumns));
    query.addBindValue(conversationId);
    if (!query.exec()) {
        fail(QStringLiteral("cannot read conversation %1: %2")
                 .arg(conversationId)
                 .arg(describe(query.lastError())),
             kindOf(query.lastError()));
        return std::nullopt;
    }
    if (!query.next()) {
        if (query.lastError().isValid())
            fail(QStringLiteral("cannot read conversation %1: %2")
                     .arg(conversationId)
                     .arg(describe(query.lastError())),
                 kindOf(query.lastError()));
        else
            fail(QStringLiteral("conversation %1 does not exist").arg(conversationId),
                 ErrorKind::NotFound);
        return std::nullopt;
    }
    return readConversation(query);
}

std::optional<QList<Conversation>> ConversationStore::conversations()
{
    return search(QString());
}

std::optional<QList<Conversation>> ConversationStore::search(const QString &text)
{
    if (!checkOpen())
        return std::nullopt;
    const QString trimmed = text.trimmed();
    const QString needle = SearchFolding::fold(trimmed);
    // Only marks (harakat, tatweel): nothing to look for, which is not "list everything".
    if (needle.isEmpty() && !trimmed.isEmpty())
        return QList<Conversation>();
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    const QString order = QStringLiteral(" ORDER BY updated_at DESC, id DESC");
    if (needle.isEmpty()) {
        query.prepare(QStringLiteral("SELECT %1 FROM conversations").arg(conversationColumns) +
                      order);
    } else {
        // The trigram index cannot match fewer than three characters; those take the scan.
        const bool useIndex = m_fullTextSearch && needle.toUcs4().size() >= 3;
        const QString inMessages =
            useIndex ? QStringLiteral("SELECT conversation_id FROM messages WHERE id IN "
                                      "(SELECT rowid FROM message_fts WHERE message_fts MATCH ?)")
                     : QStringLiteral("SELECT conversation_id FROM messages WHERE "
                                      "folded_content LIKE ? ESCAPE '\\'");
        query.prepare(QStringLiteral("SELECT %1 FROM conversations WHERE folded_title LIKE ? "
                                     "ESCAPE '\\' OR id IN (%2)")
                          .arg(conversationColumns, inMessages) +
                      order);
        const QString pattern = containsPattern(needle);
        query.addBindValue(pattern);
        query.addBindValue(useIndex ? ftsPhrase(needle) : pattern);
    }
    const auto failed = [this, &query] {
        fail(QStringLiteral("cannot list conversations: %1").arg(describe(query.lastError())),
             kindOf(query.lastError()));
        return std::nullopt;
    };
    if (!query.exec())
        return failed();
    QList<Conversation> result;
    while (query.next())
        result.append(readConversation(query));
    // A damaged page met halfway is an error, not a shorter list.
    if (query.lastError().isValid())
        return failed();
    return result;
}

std::optional<QList<ConversationMatch>> ConversationStore::searchMatches(const QString &text)
{
    if (!checkOpen())
        return std::nullopt;
    const QString trimmed = text.trimmed();
    const QString needle = SearchFolding::fold(trimmed);
    if (needle.isEmpty())
        return QList<ConversationMatch>();
    // The same matching as search(), on the folded text. hits is one row per conversation with a
    // matching message, computed once (an aggregate is not flattened into the join); only the first
    // matching message's text is read, for the snippet, by a scalar subquery on its id. The snippet
    // column comes last so the conversation's columns read as everywhere else.
    const bool useIndex = m_fullTextSearch && needle.toUcs4().size() >= 3;
    const QString matching =
        useIndex ? QStringLiteral("id IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)")
                 : QStringLiteral("folded_content LIKE ? ESCAPE '\\'");
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral(
            "WITH hits(cid, mid) AS (SELECT conversation_id, min(id) FROM messages"
            " WHERE %2 GROUP BY conversation_id)"
            " SELECT %1, hits.mid, (SELECT m.content FROM messages m WHERE m.id = hits.mid)"
            " FROM conversations LEFT JOIN hits ON hits.cid = conversations.id"
            " WHERE folded_title LIKE ? ESCAPE '\\' OR hits.mid IS NOT NULL"
            " ORDER BY updated_at DESC, id DESC")
            .arg(conversationColumns, matching));
    const QString pattern = containsPattern(needle);
    query.addBindValue(useIndex ? ftsPhrase(needle) : pattern);
    query.addBindValue(pattern);
    const auto failed = [this, &query] {
        fail(QStringLiteral("cannot search conversations: %1").arg(describe(query.lastError())),
             kindOf(query.lastError()));
        return std::nullopt;
    };
    if (!query.exec())
        return failed();
    QList<ConversationMatch> result;
    while (query.next()) {
        ConversationMatch match;
        match.conversation = readConversation(query);
        const int last = query.record().count() - 1;
        match.messageId = query.value(last - 1).toLongLong(); // NULL reads as 0
        if (match.messageId > 0)
            match.snippet = SearchSnippet::around(query.value(last).toString(), trimmed);
        result.append(match);
    }
    if (query.lastError().isValid())
        return failed();
    return result;
}

std::optional<StoredMessage> ConversationStore::addMessage(qint64 conversationId,
                                                           StoredMessage::Role role,
                                                           const QString &content,
                                                           StoredMessage::State state)
{
    return insertMessage(conversationId, std::nullopt, role, content, state);
}

std::optional<StoredMessage> ConversationStore::addMessage(qint64 conversationId, qint64 parentId,
                                                           StoredMessage::Role role,
                                                           const QString &content,
                                                           StoredMessage::State state)
{
    return insertMessage(conversationId, parentId, role, content, state);
}

std::optional<StoredMessage> ConversationStore::insertMessage(qint64 conversationId,
                                                              std::optional<qint64> parentId,
                                                              StoredMessage::Role role,
                                                              const QString &content,
                                                              StoredMessage::State state)
{
    if (!checkOpen())
        return std::nullopt;
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const auto failed = [this, conversationId](const QString &why,
                                               ErrorKind kind = ErrorKind::Other) {
        fail(QStringLiteral("cannot add a message to conversation %1: %2")
                 .arg(conversationId)
                 .arg(why),
             kind);
        return std::nullopt;
    };
    SqlTransaction transaction(db);
    if (!transaction.isActive())
        return failed(describe(transaction.error()), kindOf(transaction.error()));
    QSqlQuery query(db);
    // The conversation exists, and (for the first overload) which message is its shown leaf.
    query.prepare(
        QStringLiteral("SELECT %1 FROM conversations c WHERE c.id = ?").arg(leafOfConversation));
    query.addBindValue(conversationId);
    if (!query.exec())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    if (!query.next())
        return failed(QStringLiteral("the conversation does not exist"), ErrorKind::NotFound);
    const qint64 parent = parentId ? *parentId : query.value(0).toLongLong();
    query.finish();
    if (parentId && *parentId != 0) {
        query.prepare(QStringLiteral("SELECT conversation_id FROM messages WHERE id = ?"));
        query.addBindValue(*parentId);
        if (!query.exec())
            return failed(describe(query.lastError()), kindOf(query.lastError()));
        if (!query.next())
            return failed(
                QStringLiteral("the message it follows (%1) does not exist").arg(*parentId),
                ErrorKind::NotFound);
        if (query.value(0).toLongLong() != conversationId)
            return failed(QStringLiteral("the message it follows (%1) is in conversation %2")
                              .arg(*parentId)
                              .arg(query.value(0).toLongLong()));
        query.finish();
    }
    const qint64 stamp = now();
    query.prepare(QStringLiteral("INSERT INTO messages (conversation_id, parent_id, role, state, "
                                 "created_at, updated_at, content, folded_content) VALUES (?, ?, "
                                 "?, ?, ?, ?, ?, ?)"));
    query.addBindValue(conversationId);
    query.addBindValue(nullableId(parent));
    query.addBindValue(StoredMessage::roleName(role));
    query.addBindValue(StoredMessage::stateName(state));
    query.addBindValue(stamp);
    query.addBindValue(stamp);
    bindText(query, content);
    query.addBindValue(SearchFolding::fold(content));
    if (!query.exec())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    StoredMessage message;
    message.id = query.lastInsertId().toLongLong();
    message.conversationId = conversationId;
    message.parentId = parent;
    message.role = role;
    message.content = content;
    message.state = state;
    message.createdAt = fromMs(stamp);
    message.updatedAt = fromMs(stamp);
    query.prepare(
        QStringLiteral("UPDATE conversations SET updated_at = ?, leaf_id = ? WHERE id = ?"));
    query.addBindValue(stamp);
    query.addBindValue(message.id);
    query.addBindValue(conversationId);
    if (!query.exec())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    // The newest version of its turn: its index is the count.
    query.prepare(QStringLiteral("SELECT count(*) FROM messages WHERE conversation_id = ? AND "
                                 "parent_id IS ? AND role = ?"));
    query.addBindValue(conversationId);
    query.addBindValue(nullableId(parent));
    query.addBindValue(StoredMessage::roleName(role));
    if (!query.exec() || !query.next())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    message.versionCount = query.value(0).toInt();
    message.versionIndex = message.versionCount;
    query.finish();
    if (!transaction.commit())
        return failed(describe(transaction.error()), kindOf(transaction.error()));
    return message;
}

bool ConversationStore::updateMessage(qint64 messageId, const QString &content,
                                      StoredMessage::State state, const QString &errorText,
                                      const QString &metricsJson, const QString &lastEventId)
{
    if (!checkOpen())
        return false;
    // One statement, so no explicit transaction: autocommit makes it atomic, and in WAL it is
    // one append of the changed pages. The text and the last event id it ends at are in the same
    // statement, so a resume from the saved id can never repeat or skip text. See AnswerSaver
    // for why the whole text is rewritten. The folded text goes with it, also while streaming, so
    // the LIKE search finds an answer as it arrives; only the newly appended text is folded.
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("UPDATE messages SET content = ?, folded_content = ?, state = ?, "
                                 "error = ?, metrics = ?, last_event_id = ?, updated_at = ? "
                                 "WHERE id = ?"));
    bindText(query, content);
    query.addBindValue(foldForSave(messageId, content));
    query.addBindValue(StoredMessage::stateName(state));
    bindText(query, errorText);
    bindText(query, metricsJson);
    bindText(query, lastEventId);
    query.addBindValue(now());
    query.addBindValue(messageId);
    if (!query.exec())
        return fail(QStringLiteral("cannot save message %1 in %2: %3")
                        .arg(messageId)
                        .arg(m_path, describe(query.lastError())),
                    kindOf(query.lastError()));
    if (query.numRowsAffected() == 0)
        return fail(
            QStringLiteral("cannot save message %1: it does not exist (deleted?)").arg(messageId),
            ErrorKind::NotFound);
    return true;
}

QString ConversationStore::foldForSave(qint64 messageId, const QString &content)
{
    const QStringView text(content);
    FoldedPrefix &last = m_lastSaved;
    const bool extends = last.messageId == messageId && last.length <= text.size() &&
                         text.first(last.length) == QStringView(last.source).first(last.length);
    QString folded = extends ? last.folded + SearchFolding::fold(text.sliced(last.length))
                             : SearchFolding::fold(text);
    qsizetype length = text.size();
    while (length > 0 && !text.at(length - 1).isSpace())
        --length;
    const qsizetype tail = SearchFolding::fold(text.sliced(length)).size();
    last = {messageId, content, length, folded.first(folded.size() - tail)};
    return folded;
}

std::optional<StoredMessage> ConversationStore::message(qint64 messageId)
{
    if (!checkOpen())
        return std::nullopt;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.id = ?").arg(messageColumns));
    query.addBindValue(messageId);
    if (!query.exec()) {
        fail(QStringLiteral("cannot read message %1: %2")
                 .arg(messageId)
                 .arg(describe(query.lastError())),
             kindOf(query.lastError()));
        return std::nullopt;
    }
    if (!query.next()) {
        if (query.lastError().isValid())
            fail(QStringLiteral("cannot read message %1: %2")
                     .arg(messageId)
                     .arg(describe(query.lastError())),
                 kindOf(query.lastError()));
        else
            fail(QStringLiteral("message %1 does not exist").arg(messageId), ErrorKind::NotFound);
        return std::nullopt;
    }
    return readMessage(query);
}

std::optional<QList<StoredMessage>> ConversationStore::messages(qint64 conversationId)
{
    if (!checkOpen())
        return std::nullopt;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    // Forward-only: QSqlQuery otherwise keeps every row it has seen, a second copy of the text.
    query.setForwardOnly(true);
    // From the leaf up to the first message by parent_id, then those rows in id order, which is
    // the path's order (ids grow along a path). UNION, not UNION ALL: a hand-edited loop ends.
    query.prepare(QStringLiteral("WITH RECURSIVE path(id) AS ("
                                 " SELECT %1 FROM conversations c WHERE c.id = ?"
                                 " UNION"
                                 " SELECT p.parent_id FROM messages p JOIN path ON p.id = path.id"
                                 " WHERE p.parent_id IS NOT NULL)"
                                 " SELECT %2 FROM messages m"
                                 " WHERE m.id IN (SELECT id FROM path) AND m.conversation_id = ?"
                                 " ORDER BY m.id")
                      .arg(leafOfConversation, messageColumns));
    query.addBindValue(conversationId);
    query.addBindValue(conversationId);
    return readMessages(query,
                        QStringLiteral("the messages of conversation %1").arg(conversationId));
}

std::optional<QList<StoredMessage>> ConversationStore::readMessages(QSqlQuery &query,
                                                                    const QString &what)
{
    const auto failed = [this, &what, &query] {
        fail(QStringLiteral("cannot read %1: %2").arg(what, describe(query.lastError())),
             kindOf(query.lastError()));
        return std::nullopt;
    };
    if (!query.exec())
        return failed();
    QList<StoredMessage> result;
    while (query.next())
        result.append(readMessage(query));
    if (query.lastError().isValid())
        return failed();
    return result;
}

std::optional<QList<StoredMessage>> ConversationStore::siblings(qint64 messageId)
{
    const std::optional<StoredMessage> target = message(messageId);
    if (!target)
        return std::nullopt;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.conversation_id = ? AND "
                                 "m.parent_id IS ? AND m.role = ? ORDER BY m.id")
                      .arg(messageColumns));
    query.addBindValue(target->conversationId);
    query.addBindValue(nullableId(target->parentId));
    query.addBindValue(StoredMessage::roleName(target->role));
    return readMessages(query, QStringLiteral("the versions of message %1").arg(messageId));
}

std::optional<QList<StoredMessage>> ConversationStore::showVersion(qint64 messageId)
{
    if (!checkOpen())
        return std::nullopt;
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const auto failed = [this, messageId](const QString &why, ErrorKind kind = ErrorKind::Other) {
        fail(QStringLiteral("cannot show message %1: %2").arg(messageId).arg(why), kind);
        return std::nullopt;
    };
    SqlTransaction transaction(db);
    if (!transaction.isActive())
        return failed(describe(transaction.error()), kindOf(transaction.error()));
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT conversation_id FROM messages WHERE id = ?"));
    query.addBindValue(messageId);
    if (!query.exec())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    if (!query.next())
        return failed(QStringLiteral("it does not exist"), ErrorKind::NotFound);
    const qint64 conversationId = query.value(0).toLongLong();
    query.finish();
    query.prepare(newestDescendant);
    query.addBindValue(messageId);
    query.addBindValue(conversationId);
    if (!query.exec() || !query.next())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    const qint64 leaf = query.value(0).toLongLong();
    query.finish();
    query.prepare(QStringLiteral("UPDATE conversations SET leaf_id = ? WHERE id = ?"));
    query.addBindValue(leaf);
    query.addBindValue(conversationId);
    if (!query.exec())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    if (!transaction.commit())
        return failed(describe(transaction.error()), kindOf(transaction.error()));
    return messages(conversationId);
}

std::optional<QList<StoredMessage>> ConversationStore::deleteVersion(qint64 messageId)
{
    if (!checkOpen())
        return std::nullopt;
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const auto failed = [this, messageId](const QString &why, ErrorKind kind = ErrorKind::Other) {
        fail(QStringLiteral("cannot delete message %1: %2").arg(messageId).arg(why), kind);
        return std::nullopt;
    };
    SqlTransaction transaction(db);
    if (!transaction.isActive())
        return failed(describe(transaction.error()), kindOf(transaction.error()));
    QSqlQuery query(db);
    // The message, and the conversation's shown leaf before the delete.
    query.prepare(QStringLiteral("SELECT m.conversation_id, m.parent_id, m.role, (SELECT %1 FROM "
                                 "conversations c WHERE c.id = m.conversation_id) FROM messages m "
                                 "WHERE m.id = ?")
                      .arg(leafOfConversation));
    query.addBindValue(messageId);
    if (!query.exec())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    if (!query.next())
        return failed(QStringLiteral("it does not exist"), ErrorKind::NotFound);
    const qint64 conversationId = query.value(0).toLongLong();
    const qint64 parentId = query.value(1).toLongLong();
    const QString role = query.value(2).toString();
    const qint64 oldLeaf = query.value(3).toLongLong();
    query.finish();

    // The subtree, found through messages_tree; the leaf is either in it or not.
    const QString subtree =
        QStringLiteral("WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT c.id FROM messages c "
                       "JOIN sub ON c.conversation_id = ? AND c.parent_id = sub.id) ");
    query.prepare(subtree + QStringLiteral("SELECT count(*) FROM sub WHERE id = ?"));
    query.addBindValue(messageId);
    query.addBindValue(conversationId);
    query.addBindValue(oldLeaf);
    if (!query.exec() || !query.next())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    const bool leafDeleted = query.value(0).toInt() > 0;
    query.finish();
    query.prepare(subtree +
                  QStringLiteral("DELETE FROM messages WHERE id IN (SELECT id FROM sub)"));
    query.addBindValue(messageId);
    query.addBindValue(conversationId);
    if (!query.exec())
        return failed(describe(query.lastError()), kindOf(query.lastError()));

    if (leafDeleted) {
        // What to show instead: the previous version of the turn, else the next one, else the
        // branch ends at the parent; a first message without siblings gives way to another
        // first message (of another role), if any. Then that one's newest descendant.
        const auto scalar = [&query](const QString &sql, const QVariantList &values,
                                     qint64 &result) {
            query.prepare(sql);
            for (const QVariant &value : values)
                query.addBindValue(value);
            if (!query.exec())
                return false;
            result = query.next() ? query.value(0).toLongLong() : 0;
            query.finish();
            return true;
        };
        const QVariant parent = nullableId(parentId);
        qint64 base = 0;
        bool ok = scalar(QStringLiteral("SELECT max(id) FROM messages INDEXED BY messages_tree "
                                        "WHERE conversation_id = ? AND parent_id IS ? AND "
                                        "role = ? AND id < ?"),
                         {conversationId, parent, role, messageId}, base);
        if (ok && base == 0)
            ok = scalar(QStringLiteral("SELECT min(id) FROM messages INDEXED BY messages_tree "
                                       "WHERE conversation_id = ? AND parent_id IS ? AND "
                                       "role = ? AND id > ?"),
                        {conversationId, parent, role, messageId}, base);
        if (ok && base == 0)
            base = parentId;
        if (ok && base == 0)
            ok = scalar(QStringLiteral("SELECT max(id) FROM messages INDEXED BY messages_tree "
                                       "WHERE conversation_id = ? AND parent_id IS NULL"),
                        {conversationId}, base);
        qint64 leaf = 0;
        if (ok && base != 0)
            ok = scalar(newestDescendant, {base, conversationId}, leaf);
        if (!ok)
            return failed(describe(query.lastError()), kindOf(query.lastError()));
        query.prepare(QStringLiteral("UPDATE conversations SET leaf_id = ? WHERE id = ?"));
        query.addBindValue(nullableId(leaf));
        query.addBindValue(conversationId);
        if (!query.exec())
            return failed(describe(query.lastError()), kindOf(query.lastError()));
    }
    if (!transaction.commit())
        return failed(describe(transaction.error()), kindOf(transaction.error()));
    return messages(conversationId);
}

std::optional<int> ConversationStore::deleteMessagesAfter(qint64 messageId)
{
    if (!checkOpen())
        return std::nullopt;
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const auto failed = [this, messageId](const QString &why, ErrorKind kind = ErrorKind::Other) {
        fail(QStringLiteral("cannot delete the messages after message %1: %2")
                 .arg(messageId)
                 .arg(why),
             kind);
        return std::nullopt;
    };
    SqlTransaction transaction(db);
    if (!transaction.isActive())
        return failed(describe(transaction.error()), kindOf(transaction.error()));
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT conversation_id FROM messages WHERE id = ?"));
    query.addBindValue(messageId);
    if (!query.exec())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    if (!query.next())
        return failed(QStringLiteral("the message does not exist"), ErrorKind::NotFound);
    const qint64 conversationId = query.value(0).toLongLong();
    query.finish();
    query.prepare(QStringLiteral("DELETE FROM messages WHERE conversation_id = ? AND id > ?"));
    query.addBindValue(conversationId);
    query.addBindValue(messageId);
    if (!query.exec())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    const int deleted = query.numRowsAffected();
    // Every child has a larger id than its parent, so what is left is whole and messageId has
    // no children any more: a deleted leaf gives way to it.
    query.prepare(QStringLiteral("UPDATE conversations SET leaf_id = ? WHERE id = ? AND "
                                 "(leaf_id IS NULL OR leaf_id > ?)"));
    query.addBindValue(messageId);
    query.addBindValue(conversationId);
    query.addBindValue(messageId);
    if (!query.exec())
        return failed(describe(query.lastError()), kindOf(query.lastError()));
    if (!transaction.commit())
        return failed(describe(transaction.error()), kindOf(transaction.error()));
    return deleted;
}

std::optional<int> ConversationStore::markStreamingAsInterrupted()
{
    if (!checkOpen())
        return std::nullopt;
    // updated_at is left alone: it still says when the last text was saved.
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral(
            "UPDATE messages SET state = 'interrupted' WHERE state = 'streaming'"))) {
        // The answers stay "streaming" in the file, so the next start tries again; the error
        // says what stood in the way (disk full, read-only file...) and where.
        fail(QStringLiteral("cannot mark the answers cut off at the last exit as interrupted in "
                            "%1: %2")
                 .arg(m_path, describe(query.lastError())),
             kindOf(query.lastError()));
        return std::nullopt;
    }
    return query.numRowsAffected();
}

QString ConversationStore::integrityCheck()
{
    if (!checkOpen())
        return m_lastError;
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("PRAGMA integrity_check")))
        return describe(query.lastError());
    QStringList problems;
    while (query.next()) {
        const QString line = query.value(0).toString();
        if (line != QLatin1String("ok"))
            problems.append(line);
    }
    // SQLite before 3.44 does not look inside FTS5 tables; ask the index to check itself.
    if (StoreSchema::hasSearchIndex(db)) {
        QSqlQuery fts(db);
        if (!fts.exec(
                QStringLiteral("INSERT INTO message_fts(message_fts) VALUES ('integrity-check')")))
            problems.append(QStringLiteral("search index: %1").arg(describe(fts.lastError())));
    }
    return problems.isEmpty() ? QStringLiteral("ok") : problems.join(u'\n');
}

} // namespace qalam
