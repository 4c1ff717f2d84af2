// WindowActions: the window's menus (File, Conversation, View, Settings), their actions with
// their shortcuts, and their texts in the current language. It only builds the actions, keeps
// what is enabled, and retranslates them; the window connects them to what they do.
#pragma once

#include <QObject>

class QAction;
class QMainWindow;
class QMenu;

namespace qalam {

class WindowActions : public QObject
{
    Q_OBJECT

public:
    // Adds the menus to `window`'s menu bar; the window owns this object.
    explicit WindowActions(QMainWindow *window);

    QAction *newConversation() const { return m_new; }        // Ctrl+N
    QAction *searchConversations() const { return m_search; } // Ctrl+K, Ctrl+F
    QAction *quit() const { return m_quit; }
    QAction *stop() const { return m_stop; }                 // Esc
    QAction *regenerate() const { return m_regenerate; }     // Ctrl+R
    QAction *reduceMotion() const { return m_reduceMotion; } // checkable
    QAction *showSidebar() const { return m_showSidebar; }   // checkable, Ctrl+B
    QAction *profiles() const { return m_profiles; }
    QAction *preferences() const { return m_preferences; }

    // What applies to the conversation on screen.
    void setAnswerState(bool streaming, bool canRegenerate);
    void retranslate();

private:
    QMenu *m_fileMenu;
    QMenu *m_conversationMenu;
    QMenu *m_viewMenu;
    QMenu *m_settingsMenu;
    QAction *m_new;
    QAction *m_search;
    QAction *m_quit;
    QAction *m_stop;
    QAction *m_regenerate;
    QAction *m_reduceMotion;
    QAction *m_showSidebar;
    QAction *m_profiles;
    QAction *m_preferences;
};

} // namespace qalam
