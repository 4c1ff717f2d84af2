// SidebarPresenter: shows the store's conversations in the ConversationSidebar (grouped by date,
// or the matches of a search with their snippets; the one on screen selected, those with a live
// or queued answer marked) and carries out what the sidebar asks for: a new conversation, another
// one opened, a rename, a delete. The list follows the session: a conversation created, renamed
// or opened.
//
// Deleting asks first, then hides the conversation and offers Undo for a few seconds; the rows
// are deleted from the store only when that notice ends (its time runs out, it is closed, another
// deletion replaces it) or the presenter goes (the window closes). Deferred rather than deleted
// and restored: a crash or a kill during those seconds then leaves the conversation in the file,
// whole, and it is listed at the next start; a restore would have to write every message and
// version back, and a crash before Undo was clicked would have lost them for good.
#pragma once

#include "store/Conversation.h"

#include <QObject>

#include <functional>
#include <optional>

class QWidget;

namespace qalam {

class ConversationSession;
class ConversationSidebar;
class ConversationStore;

class SidebarPresenter : public QObject
{
    Q_OBJECT

public:
    // Nothing is owned; all must outlive the presenter. Dialogs open over `dialogParent`.
    SidebarPresenter(ConversationSession *session, ConversationStore *store,
                     ConversationSidebar *sidebar, QWidget *dialogParent);
    // A deletion still waiting for its notice to end is carried out now.
    ~SidebarPresenter() override;

    // Lists the conversations again (also after a language change: "Untitled", the headings).
    void refresh();

    // Whether to delete a conversation. The default asks with a dialog naming it; tests may
    // answer for the person.
    using DeleteConfirmation = std::function<bool(const Conversation &)>;
    void setDeleteConfirmation(DeleteConfirmation confirm) { m_confirmDelete = std::move(confirm); }
    static bool askToDelete(QWidget *parent, const Conversation &conversation);

    // The conversation hidden and waiting for its notice to end, or 0.
    qint64 pendingDeletion() const { return m_pending ? m_pending->id : 0; }

Q_SIGNALS:
    // The list could not be read, or a change not written; `message` is for people.
    void errorOccurred(const QString &message);

private:
    void rename(qint64 id, const QString &title);
    void remove(qint64 id);
    void undoRemove();
    void commitRemove();

    ConversationSession *m_session;
    ConversationStore *m_store;
    ConversationSidebar *m_sidebar;
    QWidget *m_dialogParent;
    DeleteConfirmation m_confirmDelete;
    struct Pending
    {
        qint64 id = 0;
        bool wasOpen = false;
    };
    std::optional<Pending> m_pending;
};

} // namespace qalam
