#include "Composer.h"

#include <QKeyEvent>
#include <QTextDocument>

namespace qalam {

namespace {
constexpr int kMaxLines = 6;
}

Composer::Composer(QWidget *parent) : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    retranslate();
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(document(), &QTextDocument::contentsChanged, this, [this] { updateGeometry(); });
}

void Composer::retranslate()
{
    setPlaceholderText(tr("Ask a question… (Enter sends, Shift+Enter for a new line)"));
}

void Composer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QPlainTextEdit::changeEvent(event);
}

int Composer::heightForLines(int lines) const
{
    const int frame = 2 * frameWidth() + int(document()->documentMargin() * 2);
    return frame + lines * fontMetrics().lineSpacing();
}

QSize Composer::sizeHint() const
{
    const int lines = std::clamp(document()->lineCount(), 1, kMaxLines);
    return {QPlainTextEdit::sizeHint().width(), heightForLines(std::max(lines, 2))};
}

QSize Composer::minimumSizeHint() const
{
    return {100, heightForLines(2)};
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        const QString text = toPlainText();
        if (!text.trimmed().isEmpty())
            Q_EMIT submitted(text);
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        Q_EMIT stopRequested();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace qalam
