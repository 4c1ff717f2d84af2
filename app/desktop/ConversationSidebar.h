// ConversationSidebar: the conversations list with a "new" button, search and the undo notice.
// Listing, conversations are grouped under date headings (Today, Yesterday, Previous 7 days,
// Previous 30 days, then by month), newest first; searching, each match shows its title and a
// snippet around the match, highlighted, or "No matches for “…”". It shows what it is given; the
// presenter decides what selecting, renaming or deleting means.
//
// Keyboard: selection follows the keyboard (Up, Down, Home, End, Page Up, Page Down and Enter
// open the conversation they reach; headings are passed over), F2 renames in place (Enter saves,
// Esc cancels, an empty name is refused), Delete asks to delete. In the search field Esc clears
// the search, Down and Enter go to the first result.
#pragma once

#include "store/Conversation.h"
#include "store/ConversationMatch.h"

#include <QElapsedTimer>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTimer;

namespace qalam {

class ConversationDelegate;
class ConversationListView;
class SidebarModel;
class UndoNotice;

class ConversationSidebar : public QWidget
{
    Q_OBJECT

public:
    explicit ConversationSidebar(QWidget *parent = nullptr);

    // Listing: all conversations, grouped by date.
    void setConversations(const QList<Conversation> &conversations);
    // Searching: the matches for `text` (the search field's text when they were read).
    void setMatches(const QList<ConversationMatch> &matches, const QString &text);
    // Selects the conversation on screen (0: none) without asking to open it.
    void setCurrent(qint64 conversationId);
    // Conversations with an answer streaming get a dot, those waiting for a slot "queued".
    void setLiveConversations(const QList<qint64> &live, const QList<qint64> &queued = {});
    // The live dot pulses unless this action (View > Reduce motion) is checked.
    void setReduceMotionAction(const QAction *reduceMotion) { m_reduceMotion = reduceMotion; }
    // What "today" is, for the date headings; tests set a fixed one. Default: the system clock.
    void setClock(std::function<QDateTime()> clock);

    QString searchText() const;
    // Ctrl+K / Ctrl+F: the search field gets the focus with its text selected.
    void focusSearch();
    // Opens the title editor on that conversation's row.
    void editTitle(qint64 conversationId);
    qint64 currentId() const;
    // Conversations shown (headings not counted).
    int count() const;
    // The conversation shown after `conversationId` in the list (else the one before it), or 0:
    // what to open when that one goes away.
    qint64 neighbourOf(qint64 conversationId) const;

    QPushButton *newButton() const { return m_newButton; }
    QLineEdit *searchField() const { return m_search; }
    ConversationListView *list() const { return m_list; }
    SidebarModel *model() const { return m_model; }
    ConversationDelegate *delegate() const { return m_delegate; }
    // "No matches for …" or "No conversations yet", shown instead of an empty list.
    QLabel *placeholder() const { return m_placeholder; }
    UndoNotice *undoNotice() const { return m_undo; }

Q_SIGNALS:
    void newRequested();
    void selected(qint64 conversationId);
    void renameRequested(qint64 conversationId, const QString &title);
    void deleteRequested(qint64 conversationId);
    void searchChanged(const QString &text);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void retranslate();
    void updatePlaceholder();
    void selectRow(int row);
    void openFirstResult();
    void updatePulse();
    void scheduleRegroup();
    QDateTime now() const;

    QPushButton *m_newButton;
    QLineEdit *m_search;
    QStackedWidget *m_stack;
    ConversationListView *m_list;
    QLabel *m_placeholder;
    UndoNotice *m_undo;
    SidebarModel *m_model;
    ConversationDelegate *m_delegate;
    QTimer *m_searchDebounce;
    QTimer *m_pulseTimer;
    QTimer *m_midnight;
    QElapsedTimer m_pulseClock;
    const QAction *m_reduceMotion = nullptr;
    std::function<QDateTime()> m_clock;
    QList<Conversation> m_conversations; // the last listing, regrouped when the day changes
    QString m_shownSearch;               // what the matches shown are for
    bool m_settingCurrent = false;
};

} // namespace qalam
