#include "session/AnswerCard.h"

#include "session/AnswerFailure.h"
#include "store/MessageMetrics.h"
#include "store/StoredMessage.h"

namespace qalam {

namespace {

QString sentence(QString text)
{
    text = text.trimmed();
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

} // namespace

std::optional<AnswerCard> AnswerCard::forMessage(const StoredMessage &message)
{
    if (message.role != StoredMessage::Role::Assistant)
        return std::nullopt;
    const bool failed = message.state == StoredMessage::State::Failed;
    if (!failed && message.state != StoredMessage::State::Interrupted)
        return std::nullopt;
    const MessageMetrics metrics =
        MessageMetrics::fromJson(message.metricsJson).value_or(MessageMetrics());
    AnswerCard card;
    if (failed) {
        // Rows from before the kind was stored are read from their text.
        AnswerFailure failure = AnswerFailure::classify(message.errorText);
        if (!metrics.failure.isEmpty()) {
            failure.kind = AnswerFailure::kindFromName(metrics.failure);
            failure.httpStatus = metrics.httpStatus;
        }
        card.severity = Severity::Error;
        card.title = failure.title(metrics.endpoint);
        card.offersProfile = failure.concernsProfile();
        card.detail = sentence(message.errorText);
    } else {
        card.severity = Severity::Warning;
        card.title = tr("The answer stopped before it was complete");
        card.detail = sentence(message.errorText.isEmpty() ? tr("the connection ended early")
                                                           : message.errorText);
    }
    // "Connection refused" under "Could not connect to … — connection refused" says nothing new.
    if (card.title.contains(card.detail, Qt::CaseInsensitive))
        card.detail.clear();
    return card;
}

} // namespace qalam
