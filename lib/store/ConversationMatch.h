// ConversationMatch: one search result, a conversation and where the search text was found in it.
// A value type; ConversationStore::searchMatches() makes them.
#pragma once

#include "store/Conversation.h"
#include "store/SearchSnippet.h"

namespace qalam {

struct ConversationMatch
{
    Conversation conversation;
    // Around the match in the conversation's first message that contains it; empty (no text)
    // when only the title matched.
    SearchSnippet snippet;
    qint64 messageId = 0; // the message the snippet comes from; 0 when only the title matched

    bool operator==(const ConversationMatch &other) const = default;
};

} // namespace qalam
