#include "ConversationPresenter.h"

#include "session/AnswerCard.h"

namespace qalam {

ConversationPresenter::ConversationPresenter(ConversationSession *session, ChatView *view,
                                             QObject *parent)
    : QObject(parent), m_session(session), m_view(view)
{
    m_countdown.setInterval(250);
    connect(&m_countdown, &QTimer::timeout, this, &ConversationPresenter::refreshLive);

    connect(session, &ConversationSession::messagesReset, this,
            [this](const QList<StoredMessage> &messages) {
                QList<ChatView::Message> rows;
                rows.reserve(messages.size());
                for (const StoredMessage &message : messages)
                    rows.append(row(message));
                m_liveRow = -1;
                m_view->setMessages(rows);
                refreshActions();
                refreshLive();
            });
    connect(session, &ConversationSession::messageAdded, this,
            [this](int index, const StoredMessage &message) {
                if (index < m_view->messageCount())
                    m_view->removeMessagesFrom(index);
                // A streaming answer starts empty and is filled by the typewriter.
                const bool streaming = message.state == StoredMessage::State::Streaming;
                m_view->appendMessage(viewRole(message.role),
                                      streaming ? QString() : message.content, streaming);
                m_view->setVersion(index, message.versionIndex, message.versionCount);
                m_view->setAuthor(index, ConversationSession::authorText(message));
                m_view->scrollToBottom();
                refreshActions();
                refreshLive();
            });
    connect(session, &ConversationSession::messagesRemovedFrom, this, [this](int index) {
        m_view->removeMessagesFrom(index);
        if (m_liveRow >= index)
            m_liveRow = -1;
    });
    connect(session, &ConversationSession::messageReopened, this,
            [this](int index, const StoredMessage &) {
                m_view->reopenMessage(index);
                m_view->setCard(index, {});
                m_view->setFooter(index, {});
                refreshActions();
                refreshLive();
            });
    connect(session, &ConversationSession::textRevealed, this,
            [this](int index, const QString &text) {
                const bool first =
                    index < m_view->messageCount() && m_view->messageText(index).isEmpty();
                m_view->appendText(index, text);
                if (first)
                    refreshLive(); // "Thinking…" gives way to the text
            });
    connect(session, &ConversationSession::answerStatusChanged, this,
            [this](int index, const QString &text) {
                if (index == m_session->liveIndex())
                    refreshLive();
                else
                    m_view->setFooter(index, text); // ended, and its last save is retried
            });
    connect(session, &ConversationSession::answerFinished, this,
            [this](int index, const StoredMessage &message) {
                m_view->finishMessage(index);
                m_view->setLiveStatus(index, {});
                if (m_liveRow == index)
                    m_liveRow = -1;
                m_view->setAuthor(index, ConversationSession::authorText(message));
                m_view->setFooter(index, ConversationSession::footerText(message));
                m_view->setCard(index, card(message));
                refreshActions();
                refreshLive();
            });
    connect(session, &ConversationSession::liveConversationsChanged, this, [this] {
        refreshActions();
        refreshLive();
    });

    connect(view, &ChatView::regenerateRequested, session, [this] { m_session->regenerate(); });
    connect(view, &ChatView::continueRequested, session,
            [this](int index) { m_session->continueAnswer(index); });
    connect(view, &ChatView::editSubmitted, session,
            [this](int index, const QString &text) { m_session->editAndResend(index, text); });
    connect(view, &ChatView::versionRequested, session,
            [this](int index, int delta) { m_session->showVersion(index, delta); });
    connect(view, &ChatView::openProfileRequested, this,
            &ConversationPresenter::openProfileRequested);
}

ChatView::Role ConversationPresenter::viewRole(StoredMessage::Role role)
{
    switch (role) {
    case StoredMessage::Role::User:
        return ChatView::Role::User;
    case StoredMessage::Role::Assistant:
        return ChatView::Role::Assistant;
    case StoredMessage::Role::System:
        return ChatView::Role::System;
    }
    return ChatView::Role::Assistant;
}

ChatView::Card ConversationPresenter::card(const StoredMessage &message)
{
    const auto answerCard = AnswerCard::forMessage(message);
    if (!answerCard)
        return {};
    ChatView::Card card;
    card.severity = answerCard->severity == AnswerCard::Severity::Error
                        ? ChatView::Card::Severity::Error
                        : ChatView::Card::Severity::Warning;
    card.title = answerCard->title;
    card.detail = answerCard->detail;
    card.openProfile = answerCard->offersProfile;
    return card;
}

ChatView::Message ConversationPresenter::row(const StoredMessage &message)
{
    ChatView::Message row;
    row.role = viewRole(message.role);
    row.text = message.content;
    row.footer = ConversationSession::footerText(message);
    row.author = ConversationSession::authorText(message);
    row.card = card(message);
    row.streaming = message.state == StoredMessage::State::Streaming;
    row.versionIndex = message.versionIndex;
    row.versionCount = message.versionCount;
    return row;
}

void ConversationPresenter::refresh()
{
    const QList<StoredMessage> &messages = m_session->messages();
    for (int i = 0; i < messages.size() && i < m_view->messageCount(); ++i) {
        const StoredMessage &message = messages.at(i);
        m_view->setAuthor(i, ConversationSession::authorText(message));
        if (message.state != StoredMessage::State::Streaming) {
            m_view->setFooter(i, ConversationSession::footerText(message));
            m_view->setCard(i, card(message));
        }
    }
    refreshActions();
    refreshLive();
}

void ConversationPresenter::refreshActions()
{
    for (int i = 0; i < m_view->messageCount(); ++i) {
        ChatView::Actions actions;
        actions.regenerate = m_session->canRegenerate(i);
        actions.continueAnswer = m_session->canContinue(i);
        actions.edit = m_session->canEdit(i);
        m_view->setActions(i, actions);
    }
}

void ConversationPresenter::refreshLive()
{
    const int index = m_session->liveIndex();
    if (m_liveRow >= 0 && m_liveRow != index && m_liveRow < m_view->messageCount())
        m_view->setLiveStatus(m_liveRow, {});
    m_liveRow = index;
    if (index < 0 || index >= m_view->messageCount()) {
        m_countdown.stop();
        return;
    }
    const AnswerActivity activity = m_session->activity();
    ChatView::LiveStatus status;
    switch (activity.kind) {
    case AnswerActivity::Kind::None:
        break;
    case AnswerActivity::Kind::Queued:
        status = {activity.text(), false};
        break;
    case AnswerActivity::Kind::Connecting:
    case AnswerActivity::Kind::Reconnecting:
        status = {activity.text(), true};
        break;
    case AnswerActivity::Kind::Streaming:
        // Before the first word the model is thinking; after it the text itself moves.
        if (m_view->messageText(index).isEmpty())
            status = {tr("Thinking…"), true};
        if (!activity.saved)
            status = {activity.text(), false};
        break;
    }
    m_view->setLiveStatus(index, status);
    if (activity.kind == AnswerActivity::Kind::Reconnecting)
        m_countdown.start();
    else
        m_countdown.stop();
}

} // namespace qalam
