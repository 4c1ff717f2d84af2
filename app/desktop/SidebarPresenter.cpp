#include "SidebarPresenter.h"

#include "ConversationSidebar.h"
#include "session/ConversationSession.h"
#include "store/ConversationStore.h"

#include <QInputDialog>
#include <QMessageBox>

namespace qalam {

SidebarPresenter::SidebarPresenter(ConversationSession *session, ConversationStore *store,
                                   ConversationSidebar *sidebar, QWidget *dialogParent)
    : m_session(session), m_store(store), m_sidebar(sidebar), m_dialogParent(dialogParent)
{
    connect(sidebar, &ConversationSidebar::newRequested, this, [this] {
        m_session->newConversation();
        m_sidebar->setCurrent(0);
    });
    connect(sidebar, &ConversationSidebar::selected, this, [this](qint64 id) {
        if (id != m_session->conversationId())
            m_session->openConversation(id);
    });
    connect(sidebar, &ConversationSidebar::searchChanged, this, &SidebarPresenter::refresh);
    connect(sidebar, &ConversationSidebar::renameRequested, this, &SidebarPresenter::rename);
    connect(sidebar, &ConversationSidebar::deleteRequested, this, &SidebarPresenter::remove);

    connect(session, &ConversationSession::conversationChanged, this, &SidebarPresenter::refresh);
    connect(session, &ConversationSession::messagesReset, this,
            [this] { m_sidebar->setCurrent(m_session->conversationId()); });
    connect(session, &ConversationSession::liveConversationsChanged, this,
            [this] { m_sidebar->setLiveConversations(m_session->liveConversations()); });
}

void SidebarPresenter::refresh()
{
    const auto list = m_store->search(m_sidebar->searchText());
    if (!list) {
        Q_EMIT errorOccurred(ConversationSession::storeErrorText(m_store->lastError()));
        return;
    }
    m_sidebar->setConversations(*list);
    m_sidebar->setCurrent(m_session->conversationId());
}

void SidebarPresenter::rename(qint64 id)
{
    const auto conversation = m_store->conversation(id);
    if (!conversation)
        return;
    bool ok = false;
    const QString title =
        QInputDialog::getText(m_dialogParent, tr("Rename conversation"), tr("Title:"),
                              QLineEdit::Normal, conversation->title, &ok);
    if (!ok || title.trimmed().isEmpty())
        return;
    if (!m_store->renameConversation(id, title.trimmed())) {
        QMessageBox::warning(m_dialogParent, tr("Rename conversation"),
                             ConversationSession::storeErrorText(m_store->lastError()));
        return;
    }
    refresh();
}

void SidebarPresenter::remove(qint64 id)
{
    const auto conversation = m_store->conversation(id);
    if (!conversation)
        return;
    const auto answer =
        QMessageBox::question(m_dialogParent, tr("Delete conversation"),
                              tr("Delete “%1” and all its messages?").arg(conversation->title));
    if (answer != QMessageBox::Yes)
        return;
    if (m_session->conversationId() == id)
        m_session->newConversation();
    if (!m_store->deleteConversation(id)) {
        QMessageBox::warning(m_dialogParent, tr("Delete conversation"),
                             ConversationSession::storeErrorText(m_store->lastError()));
        return;
    }
    refresh();
}

} // namespace qalam
