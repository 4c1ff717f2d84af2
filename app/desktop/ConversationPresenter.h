// ConversationPresenter: shows a ConversationSession in a ChatView, and turns the view's
// requests into session commands.
//
// The one place that maps stored messages to rows (role, text, footer, the actions that apply,
// the ‹ 2/3 › version switch) and keeps them current while answers stream, continue in place or
// finish. MainWindow only builds the pair and wires it; the benchmark and tests use it the same
// way.
#pragma once

#include "session/ConversationSession.h"
#include "ui/ChatView.h"

#include <QObject>

namespace qalam {

class ConversationPresenter : public QObject
{
    Q_OBJECT

public:
    // Neither is owned; both must outlive the presenter.
    ConversationPresenter(ConversationSession *session, ChatView *view, QObject *parent = nullptr);

    static ChatView::Role viewRole(StoredMessage::Role role);
    static ChatView::Message row(const StoredMessage &message);

    // Footers and actions again (after a language change, or when what applies changed).
    void refresh();

Q_SIGNALS:
    // The user asked to edit the question at `index`: the window asks for the new text.
    void editRequested(int index);

private:
    void refreshActions();

    ConversationSession *m_session;
    ChatView *m_view;
};

} // namespace qalam
