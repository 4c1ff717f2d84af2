// AnswerCard: what the chat shows at an answer that did not complete: a failed one (what failed
// and why, in the UI language) or one cut off midway (why it stopped). Built from the stored
// message alone, so it is the same after reopening the conversation. Which buttons it carries
// (retry, edit, continue) depends on the conversation and is the presenter's choice; whether
// opening the profile may help is the failure's.
#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace qalam {

struct StoredMessage;

struct AnswerCard
{
    Q_DECLARE_TR_FUNCTIONS(qalam::AnswerCard)

public:
    enum class Severity { Error, Warning };

    Severity severity = Severity::Error;
    QString title;
    QString detail; // what the transport or the server said; may be empty
    bool offersProfile = false;

    // Nothing for answers that completed, are streaming or were stopped.
    static std::optional<AnswerCard> forMessage(const StoredMessage &message);
};

} // namespace qalam
