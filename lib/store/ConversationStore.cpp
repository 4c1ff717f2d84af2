#include "ConversationStore.h"

#include "SqlTransaction.h"
#include "StoreSchema.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

namespace qalam {

namespace {

QString describe(const QSqlError &error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// Column lists shared by the queries and the readers below, so their order cannot drift apart.
constexpr QLatin1String conversationColumns("id, title, profile, created_at, updated_at");
constexpr QLatin1String messageColumns(
    "id, conversation_id, role, state, error, metrics, last_event_id, created_at, updated_at, "
    "content");

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

bool ConversationStore::fail(const QString &message)
{
    m_lastError = message;
    return false;
}

bool ConversationStore::checkOpen()
{
    return m_open || fail(m_openError);
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
    const auto openFailed = [this, &db](const QString &why) {
        m_openError =
            QStringLiteral("cannot open the conversation database %1: %2").arg(m_path, why);
        fail(m_openError);
        db.close();
    };
    if (!db.open()) {
        openFailed(describe(db.lastError()));
        return;
    }

    // Read the version before anything writes: journal_mode=WAL alone rewrites the header, and a
    // file from a newer Qalam must stay exactly as it is.
    QString error;
    const std::optional<int> version = StoreSchema::version(db, error);
    if (!version) {
        openFailed(error);
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
        openFailed(describe(pragma.lastError()));
        return;
    }

    const bool fullTextSearch = options.fullTextSearch && StoreSchema::supportsFullTextSearch(db);
    if (!StoreSchema::migrate(db, fullTextSearch, error) ||
        (fullTextSearch && !StoreSchema::ensureSearchIndex(db, error))) {
        openFailed(error);
        return;
    }
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
                                 "updated_at) VALUES (?, ?, ?, ?)"));
    bindText(query, title);
    bindText(query, profile);
    query.addBindValue(stamp);
    query.addBindValue(stamp);
    if (!query.exec()) {
        fail(QStringLiteral("cannot create a conversation: %1").arg(describe(query.lastError())));
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
        QStringLiteral("UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?"));
    bindText(query, title);
    query.addBindValue(now());
    query.addBindValue(conversationId);
    if (!query.exec())
        return fail(QStringLiteral("cannot rename conversation %1: %2")
                        .arg(conversationId)
                        .arg(describe(query.lastError())));
    if (query.numRowsAffected() == 0)
        return fail(
            QStringLiteral("cannot rename conversation %1: it does not exist").arg(conversationId));
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
                        .arg(describe(query.lastError())));
    if (query.numRowsAffected() == 0)
        return fail(
            QStringLiteral("cannot delete conversation %1: it does not exist").arg(conversationId));
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
                 .arg(describe(query.lastError())));
        return std::nullopt;
    }
    if (!query.next()) {
        fail(QStringLiteral("conversation %1 does not exist").arg(conversationId));
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
    const QString needle = text.trimmed();
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
                     : QStringLiteral("SELECT conversation_id FROM messages WHERE content LIKE ? "
                                      "ESCAPE '\\'");
        query.prepare(QStringLiteral("SELECT %1 FROM conversations WHERE title LIKE ? ESCAPE '\\' "
                                     "OR id IN (%2)")
                          .arg(conversationColumns, inMessages) +
                      order);
        const QString pattern = containsPattern(needle);
        query.addBindValue(pattern);
        query.addBindValue(useIndex ? ftsPhrase(needle) : pattern);
    }
    if (!query.exec()) {
        fail(QStringLiteral("cannot list conversations: %1").arg(describe(query.lastError())));
        return std::nullopt;
    }
    QList<Conversation> result;
    while (query.next())
        result.append(readConversation(query));
    return result;
}

std::optional<StoredMessage> ConversationStore::addMessage(qint64 conversationId,
                                                           StoredMessage::Role role,
                                                           const QString &content,
                                                           StoredMessage::State state)
{
    if (!checkOpen())
        return std::nullopt;
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const auto failed = [this, conversationId](const QString &why) {
        fail(QStringLiteral("cannot add a message to conversation %1: %2")
                 .arg(conversationId)
                 .arg(why));
        return std::nullopt;
    };
    SqlTransaction transaction(db);
    if (!transaction.isActive())
        return failed(describe(transaction.error()));
    const qint64 stamp = now();
    QSqlQuery query(db);
    query.prepare(QStringLiteral("UPDATE conversations SET updated_at = ? WHERE id = ?"));
    query.addBindValue(stamp);
    query.addBindValue(conversationId);
    if (!query.exec())
        return failed(describe(query.lastError()));
    if (query.numRowsAffected() == 0)
        return failed(QStringLiteral("the conversation does not exist"));
    query.prepare(QStringLiteral("INSERT INTO messages (conversation_id, role, state, created_at, "
                                 "updated_at, content) VALUES (?, ?, ?, ?, ?, ?)"));
    query.addBindValue(conversationId);
    query.addBindValue(StoredMessage::roleName(role));
    query.addBindValue(StoredMessage::stateName(state));
    query.addBindValue(stamp);
    query.addBindValue(stamp);
    bindText(query, content);
    if (!query.exec())
        return failed(describe(query.lastError()));
    StoredMessage message;
    message.id = query.lastInsertId().toLongLong();
    message.conversationId = conversationId;
    message.role = role;
    message.content = content;
    message.state = state;
    message.createdAt = fromMs(stamp);
    message.updatedAt = fromMs(stamp);
    if (!transaction.commit())
        return failed(describe(transaction.error()));
    return message;
}

bool ConversationStore::updateMessage(qint64 messageId, const QString &content,
                                      StoredMessage::State state, const QString &errorText,
                                      const QString &metricsJson, const QString &lastEventId)
{
    if (!checkOpen())
        return false;
    // One statement, so no explicit transaction: autocommit makes it atomic, and in WAL it is
    // one append of the changed pages. See AnswerSaver for why the whole text is rewritten.
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("UPDATE messages SET content = ?, state = ?, error = ?, "
                                 "metrics = ?, last_event_id = ?, updated_at = ? WHERE id = ?"));
    bindText(query, content);
    query.addBindValue(StoredMessage::stateName(state));
    bindText(query, errorText);
    bindText(query, metricsJson);
    bindText(query, lastEventId);
    query.addBindValue(now());
    query.addBindValue(messageId);
    if (!query.exec())
        return fail(QStringLiteral("cannot save message %1: %2")
                        .arg(messageId)
                        .arg(describe(query.lastError())));
    if (query.numRowsAffected() == 0)
        return fail(
            QStringLiteral("cannot save message %1: it does not exist (deleted?)").arg(messageId));
    return true;
}

std::optional<StoredMessage> ConversationStore::message(qint64 messageId)
{
    if (!checkOpen())
        return std::nullopt;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("SELECT %1 FROM messages WHERE id = ?").arg(messageColumns));
    query.addBindValue(messageId);
    if (!query.exec()) {
        fail(QStringLiteral("cannot read message %1: %2")
                 .arg(messageId)
                 .arg(describe(query.lastError())));
        return std::nullopt;
    }
    if (!query.next()) {
        fail(QStringLiteral("message %1 does not exist").arg(messageId));
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
    query.prepare(QStringLiteral("SELECT %1 FROM messages WHERE conversation_id = ? ORDER BY id")
                      .arg(messageColumns));
    query.addBindValue(conversationId);
    if (!query.exec()) {
        fail(QStringLiteral("cannot read the messages of conversation %1: %2")
                 .arg(conversationId)
                 .arg(describe(query.lastError())));
        return std::nullopt;
    }
    QList<StoredMessage> result;
    while (query.next())
        result.append(readMessage(query));
    if (query.lastError().isValid()) {
        fail(QStringLiteral("cannot read the messages of conversation %1: %2")
                 .arg(conversationId)
                 .arg(describe(query.lastError())));
        return std::nullopt;
    }
    return result;
}

std::optional<int> ConversationStore::deleteMessagesAfter(qint64 messageId)
{
    if (!checkOpen())
        return std::nullopt;
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const auto failed = [this, messageId](const QString &why) {
        fail(QStringLiteral("cannot delete the messages after message %1: %2")
                 .arg(messageId)
                 .arg(why));
        return std::nullopt;
    };
    SqlTransaction transaction(db);
    if (!transaction.isActive())
        return failed(describe(transaction.error()));
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT conversation_id FROM messages WHERE id = ?"));
    query.addBindValue(messageId);
    if (!query.exec())
        return failed(describe(query.lastError()));
    if (!query.next())
        return failed(QStringLiteral("the message does not exist"));
    const qint64 conversationId = query.value(0).toLongLong();
    query.finish();
    query.prepare(QStringLiteral("DELETE FROM messages WHERE conversation_id = ? AND id > ?"));
    query.addBindValue(conversationId);
    query.addBindValue(messageId);
    if (!query.exec())
        return failed(describe(query.lastError()));
    const int deleted = query.numRowsAffected();
    if (!transaction.commit())
        return failed(describe(transaction.error()));
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
        fail(QStringLiteral("cannot mark cut-off answers as interrupted: %1")
                 .arg(describe(query.lastError())));
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
