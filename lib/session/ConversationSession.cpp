#include "session/ConversationSession.h"

#include "session/AnswerCard.h"
#include "session/FigureText.h"
#include "store/MessageMetrics.h"

#include <QLocale>

namespace qalam {

namespace {

ChatMessage::Role chatRole(StoredMessage::Role role)
{
    switch (role) {
    case StoredMessage::Role::User:
        return ChatMessage::Role::User;
    case StoredMessage::Role::Assistant:
        return ChatMessage::Role::Assistant;
    case StoredMessage::Role::System:
        return ChatMessage::Role::System;
    }
    return ChatMessage::Role::User;
}

} // namespace

ConversationSession::ConversationSession(ConversationStore *store, QObject *parent)
    : QObject(parent), m_store(store)
{
    connect(&m_typewriter, &AdaptiveTypewriter::revealed, this, [this](const QString &text) {
        if (m_answerIndex >= 0)
            Q_EMIT textRevealed(m_answerIndex, text);
    });
    connect(&m_typewriter, &AdaptiveTypewriter::finishedRevealing, this,
            &ConversationSession::onRevealFinished);
}

ConversationSession::~ConversationSession()
{
    // Each LiveAnswer saves what arrived and marks it Interrupted as it goes.
    m_live.clear();
}

void ConversationSession::setBackend(ChatProtocol::Kind kind, const ChatRequest &requestTemplate,
                                     const SseConsumer::Options &options)
{
    m_kind = kind;
    m_template = requestTemplate;
    m_options = options;
}

bool ConversationSession::fail(const QString &message)
{
    Q_EMIT errorOccurred(message);
    return false;
}

bool ConversationSession::failStore()
{
    return fail(storeErrorText(m_store->lastError()));
}

QString ConversationSession::storeErrorText(const QString &sqliteError)
{
    const QString error = sqliteError.toLower();
    if (error.contains(QLatin1String("disk is full")) ||
        error.contains(QLatin1String("database or disk is full")))
        return tr("the disk is full, so the conversation could not be saved");
    if (error.contains(QLatin1String("readonly")) || error.contains(QLatin1String("read-only")))
        return tr("the conversation database is read-only, so nothing can be saved");
    if (error.contains(QLatin1String("malformed")) ||
        error.contains(QLatin1String("not a database")) || error.contains(QLatin1String("corrupt")))
        return tr("the conversation database is damaged");
    if (error.contains(QLatin1String("locked")) || error.contains(QLatin1String("busy")))
        return tr("the conversation database is in use by another program");
    if (error.contains(QLatin1String("no longer exists")) ||
        error.contains(QLatin1String("not found")))
        return tr("the message no longer exists");
    return tr("the conversation database reported an error: %1").arg(sqliteError);
}

LiveAnswer *ConversationSession::liveAnswer() const
{
    const auto it = m_live.find(m_conversationId);
    return m_conversationId != 0 && it != m_live.end() ? it->second.get() : nullptr;
}

ChatMetrics ConversationSession::currentMetrics() const
{
    const LiveAnswer *answer = liveAnswer();
    return answer ? answer->metrics() : m_finishedMetrics;
}

AnswerActivity ConversationSession::activity() const
{
    const LiveAnswer *answer = liveAnswer();
    return answer ? activityOf(answer) : AnswerActivity();
}

int ConversationSession::liveIndex() const
{
    const LiveAnswer *answer = liveAnswer();
    return answer ? indexOf(answer->messageId()) : -1;
}

StoredMessage ConversationSession::withOrigin(StoredMessage answer) const
{
    MessageMetrics origin;
    origin.profile = m_profileName;
    origin.model = m_template.model;
    answer.metricsJson = origin.toJson();
    return answer;
}

QList<qint64> ConversationSession::liveConversations() const
{
    QList<qint64> ids;
    for (const auto &[id, answer] : m_live)
        ids.append(id);
    return ids;
}

int ConversationSession::runningAnswers() const
{
    return int(m_live.size()) - int(m_queue.size());
}

bool ConversationSession::isQueued(qint64 conversationId) const
{
    return m_queue.contains(conversationId);
}

int ConversationSession::indexOf(qint64 messageId) const
{
    for (int i = 0; i < m_messages.size(); ++i) {
        if (m_messages.at(i).id == messageId)
            return i;
    }
    return -1;
}

bool ConversationSession::openConversation(qint64 conversationId)
{
    const auto messages = m_store->messages(conversationId);
    if (!messages)
        return failStore();
    m_typewriter.reset();
    m_waitingForReveal = false;
    m_answerIndex = -1;
    m_finishedMetrics = {};
    m_conversationId = conversationId;
    m_messages = *messages;
    LiveAnswer *live = liveAnswer();
    if (live) {
        // The database lags the stream by up to a second: what the answer holds is newer.
        if (const int index = indexOf(live->messageId()); index >= 0) {
            m_messages[index] = live->message();
            m_answerIndex = index;
        }
    }
    Q_EMIT messagesReset(m_messages);
    if (live && m_answerIndex >= 0)
        Q_EMIT answerStatusChanged(m_answerIndex, liveStatus(live));
    Q_EMIT conversationChanged(conversationId);
    return true;
}

void ConversationSession::newConversation()
{
    m_typewriter.reset();
    m_waitingForReveal = false;
    m_answerIndex = -1;
    m_finishedMetrics = {};
    m_conversationId = 0;
    m_messages.clear();
    Q_EMIT messagesReset(m_messages);
}

bool ConversationSession::ensureConversation(const QString &question)
{
    if (m_conversationId != 0)
        return true;
    QString title = question.simplified();
    if (title.size() > 60)
        title = title.left(59) + QChar(0x2026);
    const auto conversation = m_store->createConversation(title, m_profileName);
    if (!conversation)
        return failStore();
    m_conversationId = conversation->id;
    return true;
}

bool ConversationSession::send(const QString &prompt)
{
    const QString question = prompt.trimmed();
    if (question.isEmpty() || isStreaming())
        return false;
    if (!ensureConversation(question))
        return false;
    const qint64 parent = m_messages.isEmpty() ? 0 : m_messages.last().id;
    const auto stored =
        m_store->addMessage(m_conversationId, parent, StoredMessage::Role::User, question);
    if (!stored)
        return failStore();
    m_messages.append(*stored);
    Q_EMIT messageAdded(int(m_messages.size()) - 1, *stored);
    Q_EMIT conversationChanged(m_conversationId);

    const auto answer =
        m_store->addMessage(m_conversationId, stored->id, StoredMessage::Role::Assistant, QString(),
                            StoredMessage::State::Streaming);
    if (!answer)
        return failStore();
    m_messages.append(withOrigin(*answer));
    Q_EMIT messageAdded(int(m_messages.size()) - 1, m_messages.last());
    return startAnswer(m_messages.last(), false) != nullptr;
}

ChatRequest ConversationSession::requestFor(int answerIndex) const
{
    ChatRequest request = m_template;
    request.messages.clear();
    for (int i = 0; i < answerIndex && i < m_messages.size(); ++i) {
        const StoredMessage &message = m_messages.at(i);
        // Earlier answers that failed or were never written add nothing a model can use.
        if (message.content.trimmed().isEmpty())
            continue;
        request.messages.append({chatRole(message.role), message.content});
    }
    return request;
}

LiveAnswer *ConversationSession::startAnswer(const StoredMessage &answer, bool resume)
{
    const int index = indexOf(answer.id);
    auto live = std::make_unique<LiveAnswer>(m_store, answer, m_kind, m_network, m_options);
    LiveAnswer *raw = live.get();
    raw->setProfileName(m_profileName);
    const qint64 conversation = answer.conversationId;

    connect(raw, &LiveAnswer::textReceived, this, [this, raw](const QString &delta) {
        if (raw->conversationId() != m_conversationId || m_answerIndex < 0)
            return;
        m_messages[m_answerIndex].content += delta;
        m_typewriter.append(delta);
    });
    connect(raw, &LiveAnswer::phaseChanged, this,
            [this, raw](ChatStream::Phase phase, const QString &detail) {
                if (raw->conversationId() != m_conversationId)
                    return;
                if (phase != ChatStream::Phase::Finished)
                    Q_EMIT phaseChanged(phase, detail);
                if (m_answerIndex >= 0 && phase != ChatStream::Phase::Finished)
                    Q_EMIT answerStatusChanged(
                        m_answerIndex,
                        phase == ChatStream::Phase::Reconnecting ? detail : liveStatus(raw));
            });
    connect(raw, &LiveAnswer::savedChanged, this, [this, raw](bool saved, const QString &error) {
        if (!saved)
            Q_EMIT errorOccurred(storeErrorText(error));
        if (raw->conversationId() != m_conversationId)
            return;
        const int shown = indexOf(raw->messageId());
        if (shown < 0)
            return;
        if (raw->isRunning())
            Q_EMIT answerStatusChanged(shown, liveStatus(raw));
        else if (saved)
            Q_EMIT answerFinished(shown, raw->message()); // now it is committed
        else
            Q_EMIT answerStatusChanged(
                shown, FigureText::join({footerText(raw->message()), liveStatus(raw)}));
    });
    connect(raw, &LiveAnswer::finished, this,
            [this, raw](const StoredMessage &message) { onLiveFinished(raw, message); });

    m_live[conversation] = std::move(live);
    Pending pending{requestFor(index < 0 ? int(m_messages.size()) : index), resume};
    if (conversation == m_conversationId && index >= 0) {
        m_typewriter.reset();
        m_waitingForReveal = false;
        m_answerIndex = index;
    }
    if (runningAnswers() - 1 < maxLiveAnswers) {
        if (resume)
            raw->resume(pending.request);
        else
            raw->start(pending.request);
    } else {
        m_pending[conversation] = std::move(pending);
        m_queue.append(conversation);
        if (conversation == m_conversationId && index >= 0)
            Q_EMIT answerStatusChanged(index, liveStatus(raw));
    }
    Q_EMIT liveConversationsChanged();
    return raw;
}

void ConversationSession::runQueued()
{
    while (!m_queue.isEmpty() && runningAnswers() < maxLiveAnswers) {
        const qint64 conversation = m_queue.takeFirst();
        const auto it = m_live.find(conversation);
        const auto pending = m_pending.find(conversation);
        if (it == m_live.end() || pending == m_pending.end())
            continue;
        const Pending request = pending->second;
        m_pending.erase(pending);
        if (request.resume)
            it->second->resume(request.request);
        else
            it->second->start(request.request);
    }
    Q_EMIT liveConversationsChanged();
}

AnswerActivity ConversationSession::activityOf(const LiveAnswer *answer) const
{
    if (isQueued(answer->conversationId())) {
        AnswerActivity queued;
        queued.kind = AnswerActivity::Kind::Queued;
        queued.queuedBehind = runningAnswers();
        queued.saved = answer->isSaved();
        return queued;
    }
    return answer->activity();
}

QString ConversationSession::liveStatus(const LiveAnswer *answer) const
{
    return activityOf(answer).text();
}

void ConversationSession::onLiveFinished(LiveAnswer *answer, const StoredMessage &message)
{
    const qint64 conversation = answer->conversationId();
    auto it = m_live.find(conversation);
    if (it == m_live.end() || it->second.get() != answer)
        return;
    std::unique_ptr<LiveAnswer> finished = std::move(it->second);
    m_live.erase(it);
    m_queue.removeAll(conversation);
    m_pending.erase(conversation);

    if (conversation == m_conversationId) {
        if (const int index = indexOf(message.id); index >= 0) {
            m_messages[index] = message;
            if (index == m_answerIndex) {
                m_finishedMetrics = answer->metrics();
                m_revealedFinal = message;
                m_revealedAnswer = answer;
                m_waitingForReveal = true;
                Q_EMIT phaseChanged(ChatStream::Phase::Finished, outcomeText(message));
                m_typewriter.finish(); // the rest within the lag bound, then onRevealFinished()
            } else {
                Q_EMIT answerFinished(index, message);
            }
        }
    }
    // It may be inside its own signal; and an answer whose last save failed lives on until its
    // saver has written it (the saver retries), so nothing the user received is lost.
    LiveAnswer *raw = finished.release();
    raw->setParent(this); // destroyed with the session at the latest: its saver writes once more
    if (raw->isSaved()) {
        raw->deleteLater();
    } else {
        connect(raw, &LiveAnswer::savedChanged, raw, [raw](bool saved) {
            if (saved)
                raw->deleteLater();
        });
    }
    Q_EMIT conversationChanged(conversation);
    runQueued();
}

void ConversationSession::onRevealFinished()
{
    if (!m_waitingForReveal || m_answerIndex < 0)
        return;
    m_waitingForReveal = false;
    const int index = m_answerIndex;
    m_answerIndex = -1;
    Q_EMIT answerFinished(index, m_revealedFinal);
    // Shown complete only once committed: an answer whose last save failed lives on (retrying)
    // and says so until it is written.
    if (m_revealedAnswer && !m_revealedAnswer->isSaved())
        Q_EMIT answerStatusChanged(
            index, FigureText::join({footerText(m_revealedFinal), liveStatus(m_revealedAnswer)}));
}

void ConversationSession::stop()
{
    if (LiveAnswer *answer = liveAnswer())
        answer->stop();
}

void ConversationSession::interruptAll()
{
    m_typewriter.reset();
    m_waitingForReveal = false;
    m_answerIndex = -1;
    m_queue.clear();
    m_pending.clear();
    m_live.clear(); // each LiveAnswer saves and marks itself Interrupted as it goes
    Q_EMIT liveConversationsChanged();
}

bool ConversationSession::canRegenerate(int index) const
{
    return !isStreaming() && index == m_messages.size() - 1 && index > 0 &&
           m_messages.at(index).role == StoredMessage::Role::Assistant;
}

bool ConversationSession::canContinue(int index) const
{
    if (!canRegenerate(index))
        return false;
    // Nothing arrived: there is nothing to continue, only to ask again (Regenerate).
    const StoredMessage &answer = m_messages.at(index);
    return !answer.content.isEmpty() && (answer.state == StoredMessage::State::Interrupted ||
                                         answer.state == StoredMessage::State::Cancelled ||
                                         answer.state == StoredMessage::State::Failed);
}

bool ConversationSession::canEdit(int index) const
{
    return !isStreaming() && index >= 0 && index < m_messages.size() &&
           m_messages.at(index).role == StoredMessage::Role::User;
}

bool ConversationSession::regenerate()
{
    const int last = int(m_messages.size()) - 1;
    if (!canRegenerate(last))
        return false;
    int question = last;
    while (question >= 0 && m_messages.at(question).role != StoredMessage::Role::User)
        --question;
    if (question < 0)
        return false;
    // A new version of the answer, beside the one shown so far (which stays in the store).
    const auto answer = m_store->addMessage(m_conversationId, m_messages.at(question).id,
                                            StoredMessage::Role::Assistant, QString(),
                                            StoredMessage::State::Streaming);
    if (!answer)
        return failStore();
    m_messages.resize(question + 1);
    Q_EMIT messagesRemovedFrom(question + 1);
    m_messages.append(withOrigin(*answer));
    Q_EMIT messageAdded(int(m_messages.size()) - 1, m_messages.last());
    return startAnswer(m_messages.last(), false) != nullptr;
}

bool ConversationSession::editAndResend(int index, const QString &text)
{
    const QString question = text.trimmed();
    if (!canEdit(index) || question.isEmpty())
        return false;
    // A new version of the question, beside the old one (which keeps its answers).
    const auto edited = m_store->addMessage(m_conversationId, m_messages.at(index).parentId,
                                            StoredMessage::Role::User, question);
    if (!edited)
        return failStore();
    m_messages.resize(index);
    Q_EMIT messagesRemovedFrom(index);
    m_messages.append(*edited);
    Q_EMIT messageAdded(index, *edited);
    const auto answer =
        m_store->addMessage(m_conversationId, edited->id, StoredMessage::Role::Assistant, QString(),
                            StoredMessage::State::Streaming);
    if (!answer)
        return failStore();
    m_messages.append(withOrigin(*answer));
    Q_EMIT messageAdded(index + 1, m_messages.last());
    Q_EMIT conversationChanged(m_conversationId);
    return startAnswer(m_messages.last(), false) != nullptr;
}

bool ConversationSession::continueAnswer(int index)
{
    if (!canContinue(index))
        return false;
    const StoredMessage stored = m_messages.at(index);
    const bool resumable =
        ChatProtocol::create(m_kind)->canResume() && !stored.lastEventId.isEmpty();
    if (!resumable)
        return regenerate(); // the cut-off text stays as the earlier version
    StoredMessage reopened = stored;
    reopened.state = StoredMessage::State::Streaming;
    reopened.errorText.clear();
    m_messages[index] = reopened;
    Q_EMIT messageReopened(index, reopened);
    // From the stored state, so the saver writes "streaming" at once: a crash during the
    // continuation is found and marked again at the next start.
    return startAnswer(stored, true) != nullptr;
}

bool ConversationSession::showVersion(int index, int delta)
{
    if (isStreaming() || index < 0 || index >= m_messages.size() || delta == 0)
        return false;
    const auto siblings = m_store->siblings(m_messages.at(index).id);
    if (!siblings)
        return failStore();
    qsizetype position = -1;
    for (qsizetype i = 0; i < siblings->size(); ++i) {
        if (siblings->at(i).id == m_messages.at(index).id)
            position = i;
    }
    const qsizetype target = position + delta;
    if (position < 0 || target < 0 || target >= siblings->size())
        return false;
    const auto path = m_store->showVersion(siblings->at(target).id);
    if (!path)
        return failStore();
    m_typewriter.reset();
    m_waitingForReveal = false;
    m_answerIndex = -1;
    m_messages = *path;
    Q_EMIT messagesReset(m_messages);
    return true;
}

QString ConversationSession::outcomeText(const StoredMessage &message)
{
    switch (message.state) {
    case StoredMessage::State::Complete:
        return tr("Answer complete");
    case StoredMessage::State::Cancelled:
        return tr("Stopped");
    case StoredMessage::State::Streaming:
        return {};
    case StoredMessage::State::Failed:
    case StoredMessage::State::Interrupted:
        break;
    }
    const auto card = AnswerCard::forMessage(message);
    const QString why = card ? card->title : message.errorText;
    return message.state == StoredMessage::State::Failed
               ? tr("Failed: %1").arg(why)
               : tr("Interrupted: %1").arg(message.errorText.isEmpty() ? why : message.errorText);
}

QString ConversationSession::authorText(const StoredMessage &message)
{
    if (message.role != StoredMessage::Role::Assistant)
        return {};
    const MessageMetrics metrics =
        MessageMetrics::fromJson(message.metricsJson).value_or(MessageMetrics());
    QStringList parts;
    if (!metrics.profile.isEmpty())
        parts.append(metrics.profile);
    if (!metrics.model.isEmpty() && metrics.model != metrics.profile)
        parts.append(metrics.model);
    return FigureText::join(parts);
}

QString ConversationSession::footerText(const StoredMessage &message)
{
    switch (message.state) {
    case StoredMessage::State::Streaming:
        return {};
    case StoredMessage::State::Cancelled:
        return tr("Stopped");
    case StoredMessage::State::Interrupted:
    case StoredMessage::State::Failed:
    case StoredMessage::State::Complete:
        break;
    }
    // Figures only where they measured something (below): an answer that failed before its first
    // word has no first token and no speed, and its card says why it failed.
    if (message.role != StoredMessage::Role::Assistant)
        return {};
    const MessageMetrics metrics =
        MessageMetrics::fromJson(message.metricsJson).value_or(MessageMetrics());
    QStringList parts;
    if (metrics.timeToFirstTokenMs >= 0)
        parts.append(tr("first token %1 ms").arg(FigureText::number(metrics.timeToFirstTokenMs)));
    if (metrics.charactersPerSecond > 0)
        parts.append(tr("%1 chars/s").arg(FigureText::number(metrics.charactersPerSecond, 0)));
    if (metrics.reconnects > 0)
        parts.append(tr("%Ln reconnect(s)", nullptr, metrics.reconnects));
    // "stop" is how every complete answer ends; only another reason ("length") says something.
    if (!metrics.finishReason.isEmpty() && metrics.finishReason != QLatin1String("stop"))
        parts.append(metrics.finishReason);
    return FigureText::join(parts);
}

} // namespace qalam
