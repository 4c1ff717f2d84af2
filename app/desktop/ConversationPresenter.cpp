#include "ConversationPresenter.h"

namespace qalam {

ConversationPresenter::ConversationPresenter(ConversationSession *session, ChatView *view,
                                             QObject *parent)
    : QObject(parent), m_session(session), m_view(view)
{
    connect(session, &ConversationSession::messagesReset, this,
            [this](const QList<StoredMessage> &messages) {
                QList<ChatView::Message> rows;
                rows.reserve(messages.size());
                for (const StoredMessage &message : messages)
                    rows.append(row(message));
                m_view->setMessages(rows);
                refreshActions();
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
                m_view->scrollToBottom();
                refreshActions();
            });
    connect(session, &ConversationSession::messagesRemovedFrom, m_view,
            &ChatView::removeMessagesFrom);
    connect(session, &ConversationSession::messageReopened, this,
            [this](int index, const StoredMessage &) {
                m_view->reopenMessage(index);
                m_view->setFooter(index, tr("Continuing…"));
                refreshActions();
            });
    connect(session, &ConversationSession::textRevealed, m_view, &ChatView::appendText);
    connect(session, &ConversationSession::answerStatusChanged, m_view, &ChatView::setFooter);
    connect(session, &ConversationSession::answerFinished, this,
            [this](int index, const StoredMessage &message) {
                m_view->finishMessage(index);
                m_view->setFooter(index, ConversationSession::footerText(message));
                refreshActions();
            });
    connect(session, &ConversationSession::liveConversationsChanged, this,
            &ConversationPresenter::refreshActions);

    connect(view, &ChatView::regenerateRequested, session, [this] { m_session->regenerate(); });
    connect(view, &ChatView::continueRequested, session,
            [this](int index) { m_session->continueAnswer(index); });
    connect(view, &ChatView::editRequested, this, &ConversationPresenter::editRequested);
    connect(view, &ChatView::versionRequested, session,
            [this](int index, int delta) { m_session->showVersion(index, delta); });
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

ChatView::Message ConversationPresenter::row(const StoredMessage &message)
{
    ChatView::Message row;
    row.role = viewRole(message.role);
    row.text = message.content;
    row.footer = ConversationSession::footerText(message);
    row.streaming = message.state == StoredMessage::State::Streaming;
    row.versionIndex = message.versionIndex;
    row.versionCount = message.versionCount;
    return row;
}

void ConversationPresenter::refresh()
{
    const QList<StoredMessage> &messages = m_session->messages();
    for (int i = 0; i < messages.size() && i < m_view->messageCount(); ++i) {
        if (messages.at(i).state != StoredMessage::State::Streaming)
            m_view->setFooter(i, ConversationSession::footerText(messages.at(i)));
    }
    refreshActions();
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

} // namespace qalam
