#include "WindowSnapshot.h"

#include "MainWindow.h"
#include "WindowActions.h"
#include "session/ConversationSession.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QPixmap>
#include <QTimer>

namespace qalam {

namespace {

// A dialog opens modally from its action: it is looked for on the next turns of the event loop,
// this many times at most.
constexpr int kMaxTries = 200;

} // namespace

std::optional<WindowSnapshot::Subject> WindowSnapshot::subjectFromName(QStringView name)
{
    if (name == QLatin1String("window"))
        return Subject::Window;
    if (name == QLatin1String("menu"))
        return Subject::Menu;
    if (name == QLatin1String("preferences"))
        return Subject::Preferences;
    if (name == QLatin1String("profiles"))
        return Subject::Profiles;
    return std::nullopt;
}

WindowSnapshot::WindowSnapshot(MainWindow *window, QString path, Trigger trigger, Subject subject,
                               QObject *parent)
    : QObject(parent), m_window(window), m_path(std::move(path)), m_subject(subject)
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
    QTimer::singleShot(0, this, &WindowSnapshot::open);
}

void WindowSnapshot::open()
{
    switch (m_subject) {
    case Subject::Window:
        take(nullptr);
        return;
    case Subject::Menu: {
        QMenuBar *bar = m_window->menuBar();
        const QList<QAction *> titles = bar->actions();
        if (titles.isEmpty() || !titles.first()->menu()) {
            take(nullptr);
            return;
        }
        QMenu *menu = titles.first()->menu();
        const QRect title = bar->actionGeometry(titles.first());
        // Under its title, aligned to the title's start: its right edge in a right-to-left UI.
        QPoint at = bar->mapToGlobal(title.bottomLeft());
        if (m_window->layoutDirection() == Qt::RightToLeft)
            at = bar->mapToGlobal(title.bottomRight()) - QPoint(menu->sizeHint().width() - 1, 0);
        menu->popup(at);
        QTimer::singleShot(0, this, [this, menu] { take(menu); });
        return;
    }
    case Subject::Preferences:
    case Subject::Profiles: {
        QAction *action = m_subject == Subject::Preferences ? m_window->actions()->preferences()
                                                            : m_window->actions()->profiles();
        // The dialog runs its own event loop: triggered from a timer, it is found from another.
        QTimer::singleShot(0, action, &QAction::trigger);
        QTimer::singleShot(0, this, &WindowSnapshot::takeWhenOpen);
        return;
    }
    }
}

void WindowSnapshot::takeWhenOpen()
{
    QWidget *dialog = QApplication::activeModalWidget();
    if (dialog && dialog->isVisible()) {
        // Laid out and painted once before it is grabbed.
        QTimer::singleShot(0, this, [this, dialog] { take(dialog); });
        return;
    }
    if (++m_tries > kMaxTries) {
        Q_EMIT taken(false, tr("The dialog did not open."));
        return;
    }
    QTimer::singleShot(10, this, &WindowSnapshot::takeWhenOpen);
}

void WindowSnapshot::take(QWidget *over)
{
    QPixmap picture = m_window->grab();
    if (picture.isNull()) {
        Q_EMIT taken(false, tr("The window could not be rendered."));
        return;
    }
    if (over) {
        // Drawn where it sits over the window; a dialog larger than the window widens the
        // picture rather than being cut.
        const QPixmap top = over->grab();
        QPoint at = m_window->mapFromGlobal(over->mapToGlobal(QPoint(0, 0)));
        if (over->isWindow() && !qobject_cast<QMenu *>(over))
            at = QPoint((picture.width() - top.width()) / 2, (picture.height() - top.height()) / 2);
        at.setX(std::max(0, at.x()));
        at.setY(std::max(0, at.y()));
        QPixmap both(std::max(picture.width(), at.x() + top.width()),
                     std::max(picture.height(), at.y() + top.height()));
        both.fill(Qt::black);
        QPainter painter(&both);
        painter.drawPixmap(0, 0, picture);
        if (!qobject_cast<QMenu *>(over))
            painter.fillRect(picture.rect(), QColor(0, 0, 0, 90)); // the window behind a dialog
        painter.drawPixmap(at, top);
        painter.end();
        picture = both;
    }
    if (!picture.save(m_path, "PNG")) {
        Q_EMIT taken(
            false, tr("Could not write the picture to %1.").arg(QDir::toNativeSeparators(m_path)));
        return;
    }
    Q_EMIT taken(true, QString());
}

} // namespace qalam
