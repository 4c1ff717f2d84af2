// SidebarPresenter: shows the store's conversations in the ConversationSidebar (searched, newest
// first; the one on screen selected, those with a live answer marked) and carries out what the
// sidebar asks for: a new conversation, another one opened, a rename or a delete (each asked
// with a dialog). The list follows the session: a conversation created, renamed or opened.
#pragma once

#include <QObject>

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

    // Lists the conversations again (also after a language change: "Untitled", the dates).
    void refresh();

Q_SIGNALS:
    // The list could not be read; `message` is for people.
    void errorOccurred(const QString &message);

private:
    void rename(qint64 id);
    void remove(qint64 id);

    ConversationSession *m_session;
    ConversationStore *m_store;
    ConversationSidebar *m_sidebar;
    QWidget *m_dialogParent;
};

} // namespace qalam
