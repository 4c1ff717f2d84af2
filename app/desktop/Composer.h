// Composer: where the question is typed. Enter sends, Shift+Enter starts a new line, Esc stops
// the answer that is streaming. It grows with its text up to a few lines.
#pragma once

#include <QPlainTextEdit>

namespace qalam {

class Composer : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit Composer(QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void submitted(const QString &text);
    void stopRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    int heightForLines(int lines) const;
};

} // namespace qalam
