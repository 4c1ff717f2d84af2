// StatusPresenter: the status bar's texts, for the conversation on screen. The connection label
// says what its answer is doing (connecting, streaming, reconnecting and why, done or why not)
// and, while nothing streams there, the backend's state (the idle text: ready, looking up the
// key, why the profile cannot be used). The metrics label shows the live time to first token,
// characters per second and reconnects, twice a second while an answer streams. An answer
// streaming in the background is marked in the sidebar, not here.
//
// Texts are kept as functions and asked again by retranslate(), so they follow a language
// change however they were made.
#pragma once

#include "chat/ChatStream.h"

#include <QObject>
#include <QTimer>

#include <functional>

class QLabel;

namespace qalam {

class ConversationSession;

class StatusPresenter : public QObject
{
    Q_OBJECT

public:
    using Text = std::function<QString()>;

    // Nothing is owned; the session and the labels must outlive the presenter.
    StatusPresenter(ConversationSession *session, QLabel *connection, QLabel *metrics,
                    QObject *parent = nullptr);

    // Shows `text` now, until the next change.
    void setConnectionText(Text text);
    void showError(const QString &message);
    // What to show while nothing streams in the conversation on screen; shown now if so.
    void setIdleText(Text text);
    // Every text again, in the current language.
    void retranslate();

private:
    void showConversation();
    void onPhaseChanged(ChatStream::Phase phase, const QString &detail);
    void updateMetrics();

    ConversationSession *m_session;
    QLabel *m_connection;
    QLabel *m_metrics;
    Text m_text;
    Text m_idleText;
    QTimer m_metricsTimer;
};

} // namespace qalam
