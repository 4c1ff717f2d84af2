// Composer: where the question is typed. Enter sends, Shift+Enter starts a new line, Esc stops
// the answer that is streaming. It grows with its text, wrapped lines included, up to
// maxVisibleLines lines, then scrolls; emptied (after sending) it shrinks back to one line.
// Each paragraph reads in the direction of its first letter, whatever the interface language.
#pragma once

#include <QPlainTextEdit>

namespace qalam {

class Composer : public QPlainTextEdit
{
    Q_OBJECT

public:
    static constexpr int maxVisibleLines = 8;

    explicit Composer(QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // True when there is something to send: text that is not only white space.
    bool hasText() const { return m_hasText; }
    // The lines the text takes at the current width, wrapped lines included.
    int lineCount() const;

Q_SIGNALS:
    void submitted(const QString &text);
    void stopRequested();
    void hasTextChanged(bool hasText);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void textEdited();
    int heightForContent() const;

    bool m_hasText = false;
};

} // namespace qalam
