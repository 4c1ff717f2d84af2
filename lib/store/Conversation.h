// Conversation: one entry of the sidebar, as stored. A value type; ConversationStore reads and
// writes it.
#pragma once

#include <QDateTime>
#include <QString>

namespace qalam {

struct Conversation
{
    qint64 id = 0;
    QString title;
    QDateTime createdAt; // UTC, millisecond precision
    QDateTime updatedAt; // UTC; bumped by rename and by every new message (sidebar order)
    // The name of the connection profile the conversation talks to. Only the name: keys and
    // tokens live in the system keyring and never in this database.
    QString profile;

    bool isValid() const { return id > 0; }
    bool operator==(const Conversation &other) const = default;
};

} // namespace qalam
