#include "SidebarPresenter.h"

#include "ConversationSidebar.h"
#include "UndoNotice.h"
#include "session/ConversationSession.h"
#include "store/ConversationStore.h"

#include <QMessageBox>
#include <QPushButton>

namespace qalam {

SidebarPresenter::SidebarPresenter(ConversationSession *session, ConversationStore *store,
                                   ConversationSidebar *sidebar, QWidget *dialogParent)
    : m_session(session), m_store(store), m_sidebar(sidebar), m_dialogParent(dialogParent),
      m_confirmDelete([dialogParent](const Conversation &conversation) {
          return askToDelete(dialogParent, conversation);
      })
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
    connect(sidebar->undoNotice(), &UndoNotice::undoRequested, this, &SidebarPresenter::undoRemove);
    connect(sidebar->undoNotice(), &UndoNotice::finished, this, &SidebarPresenter::commitRemove);

    connect(session, &ConversationSession::conversationChanged, this, &SidebarPresenter::refresh);
    connect(session, &ConversationSession::messagesReset, this,
            [this] { m_sidebar->setCurrent(m_session->conversationId()); });
    connect(session, &ConversationSession::liveConversationsChanged, this, [this] {
        const QList<qint64> live = m_session->liveConversations();
        QList<qint64> queued;
        for (qint64 id : live) {
            if (m_session->isQueued(id))
                queued.append(id);
        }
        m_sidebar->setLiveConversations(live, queued);
    });
}

SidebarPresenter::~SidebarPresenter()
{
    // The window is closing: only the store is needed, nothing is shown any more.
    if (m_pending)
        m_store->deleteConversation(m_pending->id);
}

void SidebarPresenter::refresh()
{
    const QString text = m_sidebar->searchText().trimmed();
    const qint64 hidden = pendingDeletion();
    if (text.isEmpty()) {
        auto list = m_store->conversations();
        if (!list) {
            Q_EMIT errorOccurred(ConversationSession::storeErrorText(m_store->lastError()));
            return;
        }
        list->removeIf([hidden](const Conversation &c) { return c.id == hidden; });
        m_sidebar->setConversations(*list);
    } else {
        auto matches = m_store->searchMatches(text);
        if (!matches) {
            Q_EMIT errorOccurred(ConversationSession::storeErrorText(m_store->lastError()));
            return;
        }
        matches->removeIf(
            [hidden](const ConversationMatch &m) { return m.conversation.id == hidden; });
        m_sidebar->setMatches(*matches, text);
    }
    m_sidebar->setCurrent(m_session->conversationId());
}

void SidebarPresenter::rename(qint64 id, const QString &title)
{
    if (title.trimmed().isEmpty())
        return;
    if (!m_store->renameConversation(id, title.trimmed())) {
        QMessageBox::warning(m_dialogParent, tr("Rename conversation"),
                             ConversationSession::storeErrorText(m_store->lastError()));
    }
    refresh();
}

bool SidebarPresenter::askToDelete(QWidget *parent, const Conversation &conversation)
{
    const QString title = conversation.title.isEmpty() ? tr("Untitled") : conversation.title;
    QMessageBox box(QMessageBox::Question, tr("Delete conversation"),
                    tr("Delete “%1” and all its messages?").arg(title), QMessageBox::NoButton,
                    parent);
    box.setTextFormat(Qt::PlainText); // a title is text, never markup
    box.setInformativeText(tr("You can undo this for a few seconds."));
    QPushButton *remove = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    QPushButton *cancel = box.addButton(tr("Cancel"), QMessageBox::RejectRole);
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    box.exec();
    return box.clickedButton() == remove;
}

void SidebarPresenter::remove(qint64 id)
{
    const auto conversation = m_store->conversation(id);
    if (!conversation) {
        Q_EMIT errorOccurred(ConversationSession::storeErrorText(m_store->lastError()));
        return;
    }
    if (!m_confirmDelete(*conversation))
        return;
    // One deletion waits at a time: an earlier one is carried out now.
    m_sidebar->undoNotice()->finish();
    const bool wasOpen = m_session->conversationId() == id;
    if (wasOpen) {
        // Show the conversation next to it, as a mail client does; none left: an empty one.
        const qint64 next = m_sidebar->neighbourOf(id);
        if (next == 0 || !m_session->openConversation(next))
            m_session->newConversation();
    }
    m_pending = Pending{id, wasOpen};
    refresh();
    const QString title = conversation->title.isEmpty() ? tr("Untitled") : conversation->title;
    m_sidebar->undoNotice()->showNotice(tr("Deleted “%1”").arg(title));
}

void SidebarPresenter::undoRemove()
{
    if (!m_pending)
        return;
    const Pending pending = *m_pending;
    m_pending.reset();
    if (pending.wasOpen)
        m_session->openConversation(pending.id); // refreshes the list
    refresh();
}

void SidebarPresenter::commitRemove()
{
    if (!m_pending)
        return;
    const qint64 id = m_pending->id;
    m_pending.reset();
    if (!m_store->deleteConversation(id) &&
        m_store->lastErrorKind() != ConversationStore::ErrorKind::NotFound) {
        // Not deleted: it is listed again, whole, and the status bar says why.
        Q_EMIT errorOccurred(ConversationSession::storeErrorText(m_store->lastError()));
        refresh();
    }
}

} // namespace qalam
