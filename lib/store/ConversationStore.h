// ConversationStore: conversations and their messages in one SQLite file (Qt SQL, QSQLITE).
//
// Opening applies the versioned migrations (StoreSchema); a file newer than this build, a file
// that is not a database or a path that cannot be opened leaves the store closed with a clear
// lastError(), and the file untouched. Every operation reports failure (false or nothing) and
// sets lastError(); none throws or crashes.
//
// Durability: WAL with synchronous=NORMAL. A commit survives the process being killed at any
// instant (the WAL is in the OS page cache and is replayed at the next open); a power loss may
// roll back the last commits but never corrupts the file. That matches the promise that a crash
// loses at most about a second of a streamed answer (see AnswerSaver).
//
// One instance per thread: a Qt SQL connection must be used from the thread that opened it.
// Nothing secret is stored here: Conversation::profile is a profile's name, never its key.
#pragma once

#include "Conversation.h"
#include "StoredMessage.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

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

    bool isOpen() const { return m_open; }
    const QString &path() const { return m_path; }
    // Why the last operation (or the opening) failed; stays until the next failure.
    const QString &lastError() const { return m_lastError; }
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
    // Conversations whose title or any message contains text (case-insensitive substring), most
    // recently updated first. Empty text lists all. Messages still streaming are found by the
    // LIKE path only; the index takes them once they finish.
    std::optional<QList<Conversation>> search(const QString &text);

    // Messages. Adding one bumps its conversation's updatedAt, so the sidebar shows the active
    // conversation first; saving a streaming answer does not (one small write per save less).
    std::optional<StoredMessage>
    addMessage(qint64 conversationId, StoredMessage::Role role, const QString &content,
               StoredMessage::State state = StoredMessage::State::Complete);
    // Rewrites a message's mutable part: the answer saver's write, or an edited question. Fails
    // if the message no longer exists.
    bool updateMessage(qint64 messageId, const QString &content, StoredMessage::State state,
                       const QString &errorText = QString(), const QString &metricsJson = QString(),
                       const QString &lastEventId = QString());
    std::optional<StoredMessage> message(qint64 messageId);
    // The conversation's messages in order, in one indexed query.
    std::optional<QList<StoredMessage>> messages(qint64 conversationId);
    // Deletes the messages of messageId's conversation that come after it, and returns how many:
    // regenerate (after the question) and edit-and-resend (after the edited question).
    std::optional<int> deleteMessagesAfter(qint64 messageId);

    // At startup: every message left Streaming (by a crash or kill) becomes Interrupted. Returns
    // how many.
    std::optional<int> markStreamingAsInterrupted();

    // "ok", or what PRAGMA integrity_check (and the search index's own check) found.
    QString integrityCheck();

private:
    void open(const Options &options);
    bool fail(const QString &message);
    bool checkOpen();
    qint64 now() const;

    QString m_path;
    QString m_connectionName;
    QString m_lastError;
    QString m_openError; // kept apart: it explains every later failure of a store that is closed
    std::function<QDateTime()> m_clock;
    bool m_open = false;
    bool m_fullTextSearch = false;
};

} // namespace qalam
