#include "ConversationSession.h"

#include "MessageMetrics.h"

#include <QLocale>

namespace qalam {

namespace {

StoredMessage::State stateFor(ChatStream::Outcome outcome)
{
    switch (outcome) {
    case ChatStream::Outcome::Completed:
        return StoredMessage::State::Complete;
    case ChatStream::Outcome::Interrupted:
        return StoredMessage::State::Interrupted;
    case ChatStream::Outcome::Failed:
        return StoredMessage::State::Failed;
    case ChatStream::Outcome::Cancelled:
        return StoredMessage::State::Cancelled;
    }
    return StoredMessage::State::Failed;
}

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
    connect(&m_typewriter, &AdaptiveTypewriter::finishedRevealing, this, &ConversationSession::onRevealFinished);
}

ConversationSession::~ConversationSession()
{
    if (m_stream) {
        m_stream->disconnect(this);
        m_stream->cancel();
    }
    if (m_saver && m_saver->state() == StoredMessage::State::Streaming)
        m_saver->setState(StoredMessage::State::Interrupted, tr("the application was closed"));
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

bool ConversationSession::openConversation(qint64 conversationId)
{
    stop();
    const auto messages = m_store->messages(conversationId);
    if (!messages)
        return fail(m_store->lastError());
    m_conversationId = conversationId;
    m_messages = *messages;
    m_answerIndex = -1;
    Q_EMIT messagesReset(m_messages);
    Q_EMIT conversationChanged(conversationId);
    return true;
}

void ConversationSession::newConversation()
{
    stop();
    m_conversationId = 0;
    m_messages.clear();
    m_answerIndex = -1;
    Q_EMIT messagesReset(m_messages);
}

bool ConversationSession::send(const QString &prompt)
{
    const QString question = prompt.trimmed();
    if (question.isEmpty() || isStreaming())
        return false;
    if (m_conversationId == 0) {
        QString title = question.simplified();
        if (title.size() > 60)
            title = title.left(59) + QChar(0x2026);
        const auto conversation = m_store->createConversation(title, m_profileName);
        if (!conversation)
            return fail(m_store->lastError());
        m_conversationId = conversation->id;
    }
    const auto stored = m_store->addMessage(m_conversationId, StoredMessage::Role::User, question);
    if (!stored)
        return fail(m_store->lastError());
    m_messages.append(*stored);
    Q_EMIT messageAdded(int(m_messages.size()) - 1, *stored);
    Q_EMIT conversationChanged(m_conversationId);
    return startAnswer();
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

bool ConversationSession::startAnswer(const QString &continueFromId)
{
    if (m_stream) {
        m_stream->disconnect(this);
        m_stream->cancel();
        m_stream.release()->deleteLater(); // it may be inside one of its own signals
    }
    m_saver.reset();
    m_typewriter.reset();
    m_waitingForReveal = false;

    if (continueFromId.isEmpty()) {
        const auto stored = m_store->addMessage(m_conversationId, StoredMessage::Role::Assistant,
                                                QString(), StoredMessage::State::Streaming);
        if (!stored)
            return fail(m_store->lastError());
        m_messages.append(*stored);
        m_answerIndex = int(m_messages.size()) - 1;
        Q_EMIT messageAdded(m_answerIndex, *stored);
    } else {
        m_answerIndex = int(m_messages.size()) - 1;
    }

    StoredMessage &answer = m_messages[m_answerIndex];
    m_saver = std::make_unique<AnswerSaver>(m_store, answer.id);
    connect(m_saver.get(), &AnswerSaver::saveFailed, this, &ConversationSession::errorOccurred);
    if (!continueFromId.isEmpty()) {
        m_saver->setStored(answer.content, answer.state);
        answer.state = StoredMessage::State::Streaming;
        answer.errorText.clear();
        m_saver->setState(StoredMessage::State::Streaming);
    }

    m_stream = std::make_unique<ChatStream>(m_kind, m_network);
    m_stream->setConsumerOptions(m_options);
    connect(m_stream.get(), &ChatStream::textReceived, this, [this](const QString &delta) {
        // Saved as it arrives, not as it is revealed: the typewriter's pace never costs text.
        m_messages[m_answerIndex].content += delta;
        m_saver->appendText(delta);
        m_typewriter.append(delta);
    });
    connect(m_stream.get(), &ChatStream::phaseChanged, this, [this](ChatStream::Phase phase) {
        if (phase != ChatStream::Phase::Reconnecting && phase != ChatStream::Phase::Finished)
            Q_EMIT phaseChanged(phase, QString());
    });
    connect(m_stream.get(), &ChatStream::reconnecting, this, [this](int attempt, qint64 delayMs, const QString &reason) {
        Q_EMIT phaseChanged(ChatStream::Phase::Reconnecting,
                            tr("reconnecting in %1 s (attempt %2): %3")
                                .arg(QLocale().toString(double(delayMs) / 1000.0, 'f', 1))
                                .arg(QLocale().toString(attempt), reason));
    });
    connect(m_stream.get(), &ChatStream::finished, this, &ConversationSession::onStreamFinished);

    const ChatRequest request = requestFor(m_answerIndex);
    if (continueFromId.isEmpty())
        m_stream->start(request);
    else
        m_stream->resume(request, continueFromId);
    return true;
}

void ConversationSession::onStreamFinished(ChatStream::Outcome outcome, const QString &message)
{
    if (m_answerIndex < 0 || !m_saver)
        return;
    const ChatMetrics metrics = m_stream->metrics();
    MessageMetrics stored;
    stored.timeToFirstTokenMs = metrics.timeToFirstTokenMs;
    stored.charactersPerSecond = metrics.charactersPerSecond();
    stored.reconnects = metrics.reconnects;
    stored.finishReason = metrics.finishReason;
    stored.model = metrics.model;

    StoredMessage &answer = m_messages[m_answerIndex];
    answer.state = stateFor(outcome);
    answer.errorText = outcome == ChatStream::Outcome::Completed ? QString() : message;
    answer.metricsJson = stored.toJson();
    answer.lastEventId = m_stream->lastEventId();
    m_saver->setMetricsJson(answer.metricsJson);
    m_saver->setLastEventId(answer.lastEventId);
    m_saver->setState(answer.state, answer.errorText);

    Q_EMIT phaseChanged(ChatStream::Phase::Finished,
                        answer.state == StoredMessage::State::Complete ? tr("Answer complete")
                                                                       : footerText(answer));
    m_waitingForReveal = true;
    m_typewriter.finish(); // the rest is shown within the lag bound, then onRevealFinished()
}

void ConversationSession::onRevealFinished()
{
    if (!m_waitingForReveal || m_answerIndex < 0)
        return;
    m_waitingForReveal = false;
    Q_EMIT answerFinished(m_answerIndex, m_messages.at(m_answerIndex));
}

void ConversationSession::stop()
{
    if (isStreaming())
        m_stream->cancel();
}

bool ConversationSession::regenerate()
{
    if (isStreaming() || m_messages.isEmpty())
        return false;
    int question = int(m_messages.size()) - 1;
    while (question >= 0 && m_messages.at(question).role != StoredMessage::Role::User)
        --question;
    if (question < 0)
        return false;
    if (!m_store->deleteMessagesAfter(m_messages.at(question).id))
        return fail(m_store->lastError());
    m_messages.resize(question + 1);
    Q_EMIT messagesRemovedFrom(question + 1);
    return startAnswer();
}

bool ConversationSession::editAndResend(int index, const QString &text)
{
    const QString question = text.trimmed();
    if (isStreaming() || index < 0 || index >= m_messages.size() || question.isEmpty() ||
        m_messages.at(index).role != StoredMessage::Role::User)
        return false;
    StoredMessage &edited = m_messages[index];
    if (!m_store->updateMessage(edited.id, question, StoredMessage::State::Complete) ||
        !m_store->deleteMessagesAfter(edited.id))
        return fail(m_store->lastError());
    edited.content = question;
    m_messages.resize(index + 1);
    Q_EMIT messagesRemovedFrom(index);
    Q_EMIT messageAdded(index, edited);
    return startAnswer();
}

bool ConversationSession::continueAnswer(int index)
{
    if (isStreaming() || index != m_messages.size() - 1 ||
        m_messages.at(index).role != StoredMessage::Role::Assistant ||
        m_messages.at(index).state == StoredMessage::State::Complete)
        return false;
    const StoredMessage &answer = m_messages.at(index);
    const bool resumable = ChatProtocol::create(m_kind)->canResume() && !answer.lastEventId.isEmpty();
    if (!resumable)
        return regenerate();
    return startAnswer(answer.lastEventId);
}

QString ConversationSession::footerText(const StoredMessage &message)
{
    const QLocale locale;
    switch (message.state) {
    case StoredMessage::State::Streaming:
        return {};
    case StoredMessage::State::Interrupted:
        return tr("Interrupted: %1. Right-click the answer to continue or regenerate it.")
            .arg(message.errorText.isEmpty() ? tr("the connection ended early") : message.errorText);
    case StoredMessage::State::Failed:
        return tr("Failed: %1").arg(message.errorText);
    case StoredMessage::State::Cancelled:
        return tr("Stopped");
    case StoredMessage::State::Complete:
        break;
    }
    if (message.role != StoredMessage::Role::Assistant)
        return {};
    const MessageMetrics metrics = MessageMetrics::fromJson(message.metricsJson).value_or(MessageMetrics());
    QStringList parts;
    if (metrics.timeToFirstTokenMs >= 0)
        parts.append(tr("first token %1 ms").arg(locale.toString(metrics.timeToFirstTokenMs)));
    if (metrics.charactersPerSecond > 0)
        parts.append(tr("%1 chars/s").arg(locale.toString(metrics.charactersPerSecond, 'f', 0)));
    if (metrics.reconnects > 0)
        parts.append(tr("%Ln reconnect(s)", nullptr, metrics.reconnects));
    if (!metrics.finishReason.isEmpty())
        parts.append(metrics.finishReason);
    return parts.join(QStringLiteral(" · "));
}

} // namespace qalam
