// ConversationPresenter: shows a ConversationSession in a ChatView, and turns the view's
// requests into session commands.
//
// The one place that maps stored messages to rows (role, text, who answered, footer, the card of
// an answer that failed or was cut off, the actions that apply, the ‹ 2/3 › version switch) and
// keeps them current while answers stream, continue in place or finish, including the live line
// at the answer on screen (connecting, thinking, reconnecting with a countdown). MainWindow only
// builds the pair and wires it; the benchmark and tests use it the same way.
#pragma once

#include "session/ConversationSession.h"
#include "ui/ChatView.h"

#include <QObject>
#include <QTimer>

namespace qalam {

class ConversationPresenter : public QObject
{
    Q_OBJECT

public:
    // Neither is owned; both must outlive the presenter.
    ConversationPresenter(ConversationSession *session, ChatView *view, QObject *parent = nullptr);

    static ChatView::Role viewRole(StoredMessage::Role role);
    static ChatView::Message row(const StoredMessage &message);
    static ChatView::Card card(const StoredMessage &message);

    // Footers, cards, names and actions again (after a language change, or when what applies
    // changed).
    void refresh();

Q_SIGNALS:
    // A card's "Open profile": the window opens the profile editor.
    void openProfileRequested();

private:
    void refreshActions();
    // The live line at the shown answer (and none anywhere else).
    void refreshLive();

    ConversationSession *m_session;
    ChatView *m_view;
    int m_liveRow = -1;
    QTimer m_countdown; // while reconnecting: the seconds count down
};

} // namespace qalam
