// WindowSnapshot: `qalam --screenshot FILE`, a picture of the window once it has something to
// show, for documentation and bug reports.
//
// Waiting is by signal, never by time: with a question asked at start (--ask) the picture is
// taken when its answer has ended and all of it is revealed (complete, failed or stopped);
// without one, as soon as the shown window has been laid out. The window is rendered with
// QWidget::grab(), so the picture holds exactly the window (no desktop around it) and works on
// any platform plugin, offscreen included.
#pragma once

#include <QObject>
#include <QString>

namespace qalam {

class MainWindow;

class WindowSnapshot : public QObject
{
    Q_OBJECT

public:
    enum class Trigger { AnswerEnded, WindowShown };

    // The window is not owned and must outlive the snapshot.
    WindowSnapshot(MainWindow *window, QString path, Trigger trigger, QObject *parent = nullptr);

Q_SIGNALS:
    // The picture is written (ok) or could not be (error says why, in the UI language).
    void taken(bool ok, const QString &error);

private:
    void takeSoon();
    void take();

    MainWindow *m_window;
    QString m_path;
    bool m_pending = false;
};

} // namespace qalam
