// InlineEditor: a question edited in place, where its bubble was: the text in a QPlainTextEdit
// that grows with it, and "Save & send" / "Cancel" under it. Ctrl+Enter sends, Esc cancels; both
// are taken before any window shortcut (Esc also stops an answer there), since while the editor
// has focus they are the editor's. The text's alignment follows its direction, as in the bubble.
#pragma once

#include <QFrame>

class QPlainTextEdit;
class QPushButton;

namespace qalam {

class InlineEditor : public QFrame
{
    Q_OBJECT

public:
    explicit InlineEditor(const QString &initial, QWidget *parent = nullptr);

    QString text() const;
    QPlainTextEdit *textEdit() const { return m_edit; }
    QPushButton *sendButton() const { return m_send; }
    QPushButton *cancelButton() const { return m_cancel; }
    // The height it wants at `width`: the text's lines (three to twelve) and the buttons.
    int heightForWidth(int width) const override;
    bool hasHeightForWidth() const override { return true; }

Q_SIGNALS:
    void submitted(const QString &text);
    void cancelled();
    void heightChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void alignToText();

    QPlainTextEdit *m_edit;
    QPushButton *m_send;
    QPushButton *m_cancel;
    int m_lastHeight = -1;
};

} // namespace qalam
