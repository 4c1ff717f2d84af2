// WindowSnapshot: `qalam --screenshot FILE`, a picture of the window once it has something to
// show, for documentation and bug reports.
//
// Waiting is by signal, never by time: with a question asked at start (--ask) the picture is
// taken when its answer has ended and all of it is revealed (complete, failed or stopped);
// without one, as soon as the shown window has been laid out. The window is rendered with
// QWidget::grab(), so the picture holds exactly the window (no desktop around it) and works on
// any platform plugin, offscreen included.
//
// The subject can also be the window with its first menu open, or one of its dialogs
// (`--screenshot-of menu|preferences|profiles`): the menu or dialog is opened once the window
// is ready, and drawn over the window where it sits, as a user sees it. A dialog runs its own
// event loop and announces nothing when it is up, so it is looked for on the next turns of the
// loop (a bounded number of tries), the one wait that is not by signal.
#pragma once

#include <QObject>
#include <QString>
#include <QStringView>

#include <optional>

class QWidget;

namespace qalam {

class MainWindow;

class WindowSnapshot : public QObject
{
    Q_OBJECT

public:
    enum class Trigger { AnswerEnded, WindowShown };
    enum class Subject { Window, Menu, Preferences, Profiles };

    // The window is not owned and must outlive the snapshot.
    WindowSnapshot(MainWindow *window, QString path, Trigger trigger,
                   Subject subject = Subject::Window, QObject *parent = nullptr);

    // "window", "menu", "preferences", "profiles"; nothing for other names.
    static std::optional<Subject> subjectFromName(QStringView name);

Q_SIGNALS:
    // The picture is written (ok) or could not be (error says why, in the UI language).
    void taken(bool ok, const QString &error);

private:
    void takeSoon();
    void open();
    void takeWhenOpen();
    void take(QWidget *over);

    MainWindow *m_window;
    QString m_path;
    Subject m_subject;
    bool m_pending = false;
    int m_tries = 0;
};

} // namespace qalam
