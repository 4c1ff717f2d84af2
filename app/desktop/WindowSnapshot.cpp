#include "WindowSnapshot.h"

#include "MainWindow.h"
#include "session/ConversationSession.h"

#include <QDir>
#include <QPixmap>
#include <QTimer>

namespace qalam {

WindowSnapshot::WindowSnapshot(MainWindow *window, QString path, Trigger trigger, QObject *parent)
    : QObject(parent), m_window(window), m_path(std::move(path))
{
    if (trigger == Trigger::AnswerEnded) {
        connect(window->session(), &ConversationSession::answerFinished, this,
                &WindowSnapshot::takeSoon);
    } else {
        takeSoon();
    }
}

void WindowSnapshot::takeSoon()
{
    if (m_pending)
        return;
    m_pending = true;
    // After the events already queued (the last reveal's repaint, layout requests), so the
    // picture shows the state the signal announced.
    QTimer::singleShot(0, this, &WindowSnapshot::take);
}

void WindowSnapshot::take()
{
    const QPixmap picture = m_window->grab();
    if (picture.isNull()) {
        Q_EMIT taken(false, tr("The window could not be rendered."));
        return;
    }
    if (!picture.save(m_path, "PNG")) {
        Q_EMIT taken(
            false, tr("Could not write the picture to %1.").arg(QDir::toNativeSeparators(m_path)));
        return;
    }
    Q_EMIT taken(true, QString());
}

} // namespace qalam
