// StoredMessage: one question or answer of a conversation, as stored. A value type.
//
// Messages form a tree: each one follows its parent (the message it answers or continues), and
// messages with the same parent and the same role are versions of one turn (a regenerated
// answer, an edited question). ConversationStore::messages() returns the shown path through it.
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringView>

#include <optional>

namespace qalam {

struct StoredMessage
{
    enum class Role { User, Assistant, System };
    // Streaming: being written right now. A Streaming message found at startup was cut off by a
    // crash or kill; ConversationStore::markStreamingAsInterrupted() turns it into Interrupted,
    // which the UI offers to continue or retry.
    enum class State { Complete, Streaming, Interrupted, Failed, Cancelled };

    qint64 id = 0;
    qint64 conversationId = 0;
    Role role = Role::User;
    QString content;
    State state = State::Complete;
    QString errorText;
    QDateTime createdAt; // UTC, millisecond precision
    QDateTime updatedAt; // UTC; the last save
    QString metricsJson; // MessageMetrics::toJson() for answers; empty when there are none
    QString lastEventId; // the admin stream's last event id, to resume a cut-off answer
    qint64 parentId = 0; // the message this one follows; 0 for a conversation's first message
    // Which version of its turn this is: 1-based among its siblings (same parent, same role, in
    // the order they were created), and how many there are. As of the read that returned it.
    int versionIndex = 1;
    int versionCount = 1;

    bool isValid() const { return id > 0; }
    bool operator==(const StoredMessage &other) const = default;

    // The names stored in the database ("user", "streaming"...): readable in the sqlite3 shell
    // and independent of the enums' order.
    static QString roleName(Role role);
    static std::optional<Role> roleFromName(QStringView name);
    static QString stateName(State state);
    static std::optional<State> stateFromName(QStringView name);
};

} // namespace qalam
