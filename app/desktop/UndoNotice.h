// UndoNotice: a one-line notice at the bottom of the sidebar after a deletion ("Deleted “Plans”")
// with an Undo button, for a few seconds. It only shows and times; what undoing and ending mean
// is the presenter's. A second notice ends the first (finished, then the new one shows).
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QTimer;

namespace qalam {

class UndoNotice : public QFrame
{
    Q_OBJECT

public:
    static constexpr int defaultTimeoutMs = 10000;

    explicit UndoNotice(QWidget *parent = nullptr);

    // Shows `text` (plain text) with Undo for the timeout. A notice already shown ends first.
    void showNotice(const QString &text);
    // Ends the notice now, as if its time had run out (finished()); nothing when none is shown.
    void finish();
    bool isActive() const;
    QString text() const;
    QPushButton *undoButton() const { return m_undo; }
    void setTimeout(int milliseconds);

Q_SIGNALS:
    void undoRequested();
    // The notice ended without Undo: its time ran out, it was closed or another replaced it.
    void finished();

protected:
    void changeEvent(QEvent *event) override;
    void enterEvent(QEnterEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    void retranslate();

    QLabel *m_label;
    QPushButton *m_undo;
    QPushButton *m_close;
    QTimer *m_timer;
};

} // namespace qalam
