// ConversationStore: conversations and their messages in one SQLite file (Qt SQL, QSQLITE).
//
// Opening applies the versioned migrations (StoreSchema); a file newer than this build, a file
// that is not a database, one this process may not write, or a path that cannot be opened leaves
// the store closed with a clear lastError(), and the file untouched. Every operation reports
// failure (false or nothing) and sets lastError() and lastErrorKind(); none throws or crashes.
// A damaged file is for StoreRecovery (check before opening, recover or start empty).
//
// Durability: WAL with synchronous=NORMAL. A commit survives the process being killed at any
// instant (the WAL is in the OS page cache and is replayed at the next open); a power loss may
// roll back the last commits but never corrupts the file. That matches the promise that a crash
// loses at most about a second of a streamed answer (see AnswerSaver).
//
// Versions: the messages of a conversation form a tree (StoredMessage::parentId). Regenerating an
// answer or editing a question adds a sibling; nothing the user received is deleted except by
// deleteVersion() or deleteConversation(). Each conversation remembers the branch it shows (its
// leaf, the last message of that branch); messages() returns that path and adding a message
// makes it the leaf.
//
// One instance per thread: a Qt SQL connection must be used from the thread that opened it.
// Nothing secret is stored here: Conversation::profile is a profile's name, never its key.
#pragma once

#include "store/Conversation.h"
#include "store/ConversationMatch.h"
#include "store/StoredMessage.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QSqlQuery;

namespace qalam {

class ConversationStore
{
public:
    struct Options
    {
        // Use the FTS5 search index when the SQLite has it. Off: search is a LIKE scan (also
        // what happens on a SQLite without FTS5); tests use it to cover that path.
        bool fullTextSearch = true;
    };

    // Opens (or creates) the database at path and migrates it. Check isOpen().
    explicit ConversationStore(const QString &path);
    ConversationStore(const QString &path, const Options &options);
    ~ConversationStore();

    ConversationStore(const ConversationStore &) = delete;
    ConversationStore &operator=(const ConversationStore &) = delete;

    // QStandardPaths::AppDataLocation/qalam.sqlite3, creating the directory; empty when there is
    // no writable location. Needs the application name set.
    static QString defaultPath();

    // What kind of failure lastError() is, so a caller can tell a fault worth retrying (disk
    // full, read-only, busy) from one that is final (the message was deleted).
    enum class ErrorKind { None, NotFound, DiskFull, ReadOnly, Busy, Damaged, Other };

    bool isOpen() const { return m_open; }
    const QString &path() const { return m_path; }
    // Why the last operation (or the opening) failed; stays until the next failure.
    const QString &lastError() const { return m_lastError; }
    ErrorKind lastErrorKind() const { return m_lastErrorKind; }
    // The Qt SQL connection (QSqlDatabase::database(name)), for diagnostics and tests on this
    // thread; the store's own statements assume nobody else changes its settings.
    const QString &connectionName() const { return m_connectionName; }
    // Whether search uses the FTS5 index (otherwise a LIKE scan).
    bool usesFullTextSearch() const { return m_fullTextSearch; }

    // Time source for created/updated stamps; tests set a fake clock to make ordering exact.
    void setClock(std::function<QDateTime()> clock);

    // Conversations.
    std::optional<Conversation> createConversation(const QString &title,
                                                   const QString &profile = QString());
    bool renameConversation(qint64 conversationId, const QString &title);
    // Deletes the conversation and, by cascade, its messages.
    bool deleteConversation(qint64 conversationId);
    std::optional<Conversation> conversation(qint64 conversationId);
    // All conversations, most recently updated first.
    std::optional<QList<Conversation>> conversations();
    // Conversations whose title or any message contains text (a substring once both are folded
    // by SearchFolding: any case, harakat and tatweel ignored, أ إ آ ٱ as ا, ى as ي, ة as ه), most
    // recently updated first. Empty text lists all; text that folds to nothing (only harakat)
    // finds nothing. Messages still streaming are found by the LIKE path (queries under three
    // folded characters, or no FTS5) only; the index takes them once they finish.
    std::optional<QList<Conversation>> search(const QString &text);
    // The same conversations, in the same order, each with a snippet around the match in its
    // first message that contains text (by id; every version counts), or no snippet when only
    // the title matches. The snippet's match is in the original text's characters, harakat
    // included. Empty text finds nothing.
    std::optional<QList<ConversationMatch>> searchMatches(const QString &text);

    // Messages. Adding one bumps its conversation's updatedAt, so the sidebar shows the active
    // conversation first; saving a streaming answer does not (one small write per save less).
    // The new message becomes the conversation's shown leaf.
    //
    // This one follows the shown leaf (the end of what messages() returns).
    std::optional<StoredMessage>
    addMessage(qint64 conversationId, StoredMessage::Role role, const QString &content,
               StoredMessage::State state = StoredMessage::State::Complete);
    // This one follows parentId, a message of the same conversation, or starts the conversation
    // when parentId is 0. A message with the same parent and role as an earlier one is a new
    // version of that turn: regenerate adds an answer under the question, edit-and-resend a
    // question under the question's parent.
    std::optional<StoredMessage>
    addMessage(qint64 conversationId, qint64 parentId, StoredMessage::Role role,
               const QString &content, StoredMessage::State state = StoredMessage::State::Complete);
    // Rewrites a message's mutable part: the answer saver's write, or an edited question. Fails
    // if the message no longer exists.
    bool updateMessage(qint64 messageId, const QString &content, StoredMessage::State state,
                       const QString &errorText = QString(), const QString &metricsJson = QString(),
                       const QString &lastEventId = QString());
    std::optional<StoredMessage> message(qint64 messageId);
    // The conversation's shown path, first message to leaf, in one indexed query. Empty for a
    // conversation without messages (or one that does not exist).
    std::optional<QList<StoredMessage>> messages(qint64 conversationId);
    // The versions of messageId's turn (same parent, same role), oldest first; messageId is one
    // of them.
    std::optional<QList<StoredMessage>> siblings(qint64 messageId);
    // Shows the branch through messageId: the leaf becomes its newest descendant, following the
    // most recently created child at each step (what the later turns were based on when that
    // version was shown). Returns the new shown path.
    std::optional<QList<StoredMessage>> showVersion(qint64 messageId);
    // Deletes messageId and every message that follows it (its subtree), the explicit "delete
    // this version". When the shown path went through it, the previous version of the turn is
    // shown instead (else the next one, else the branch ends at its parent). Returns the new
    // shown path.
    std::optional<QList<StoredMessage>> deleteVersion(qint64 messageId);
    // Deletes the messages of messageId's conversation created after it, and returns how many.
    // Kept for compatibility (it predates versions, and deletes other branches' later messages
    // too); the shown leaf becomes messageId if it was among them.
    std::optional<int> deleteMessagesAfter(qint64 messageId);

    // At startup: every message left Streaming (by a crash or kill) becomes Interrupted. Returns
    // how many, or nothing (lastError() says why, with the file: disk full, read-only...).
    std::optional<int> markStreamingAsInterrupted();

    // "ok", or what PRAGMA integrity_check (and the search index's own check) found.
    QString integrityCheck();

private:
    // Runs a prepared query of message rows; on failure lastError() says "cannot read <what>".
    std::optional<QList<StoredMessage>> readMessages(QSqlQuery &query, const QString &what);
    void open(const Options &options);
    bool fail(const QString &message, ErrorKind kind = ErrorKind::Other);
    bool checkOpen();
    qint64 now() const;
    // The folded form of content for the folded_content column. A streaming answer is saved
    // whole every second, each time a little longer: the fold of what was saved before is kept,
    // and only what follows its last whitespace is folded again (folding never joins characters
    // across whitespace, so the result is exactly SearchFolding::fold(content)).
    QString foldForSave(qint64 messageId, const QString &content);
    std::optional<StoredMessage> insertMessage(qint64 conversationId,
                                               std::optional<qint64> parentId,
                                               StoredMessage::Role role, const QString &content,
                                               StoredMessage::State state);

    QString m_path;
    QString m_connectionName;
    QString m_lastError;
    QString m_openError; // kept apart: it explains every later failure of a store that is closed
    ErrorKind m_lastErrorKind = ErrorKind::None;
    ErrorKind m_openErrorKind = ErrorKind::Other;
    std::function<QDateTime()> m_clock;
    struct FoldedPrefix
    {
        qint64 messageId = 0;
        QString source;       // the text last saved
        qsizetype length = 0; // of its prefix that ends after whitespace
        QString folded;       // the fold of that prefix
    };
    FoldedPrefix m_lastSaved;
    bool m_open = false;
    bool m_fullTextSearch = false;
};

} // namespace qalam
