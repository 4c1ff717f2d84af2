#include "Composer.h"

#include <QAbstractTextDocumentLayout>
#include <QKeyEvent>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

#include <cmath>

namespace qalam {

Composer::Composer(QWidget *parent) : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    setFrameShape(QFrame::NoFrame); // ComposerBar draws the rounded frame around it
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    retranslate();
    // The height follows the laid-out lines: typing, pasting, clearing, and rewrapping when the
    // width changes all end in a new document size.
    connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            [this] { updateGeometry(); });
    connect(this, &QPlainTextEdit::textChanged, this, &Composer::textEdited);
}

void Composer::retranslate()
{
    setPlaceholderText(tr("Ask a question… (Enter sends, Shift+Enter for a new line)"));
    setAccessibleName(tr("Question"));
    setAccessibleDescription(
        tr("Enter sends, Shift+Enter starts a new line, Esc stops the answer"));
}

void Composer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateGeometry();
}

void Composer::textEdited()
{
    const bool hasText = !toPlainText().trimmed().isEmpty();
    if (hasText != m_hasText) {
        m_hasText = hasText;
        Q_EMIT hasTextChanged(hasText);
    }
}

int Composer::lineCount() const
{
    int lines = 0;
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next())
        lines += std::max(1, block.layout() ? block.layout()->lineCount() : 1);
    return lines;
}

// The height QPlainTextEdit needs to show every block without a scroll bar: the blocks' own
// bounding rectangles (the last one includes the bottom margin) plus the margin and the pixel
// its scroll bar logic keeps free. Past maxVisibleLines lines (a pasted log of thousands of
// lines is not summed to the end) the height of that many lines, and the text scrolls.
int Composer::heightForContent() const
{
    const qreal margin = document()->documentMargin();
    const qreal lineHeight = QFontMetricsF(font()).height();
    qreal content = 0;
    int lines = 0;
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        const QTextLayout *layout = block.layout();
        const int count = std::max(1, layout ? layout->lineCount() : 0);
        if (lines + count > maxVisibleLines) {
            content += (maxVisibleLines - lines) * lineHeight + margin;
            break;
        }
        lines += count;
        const qreal height = blockBoundingRect(block).height();
        content += height > 0 ? height : lineHeight;
    }
    if (document()->isEmpty() || content <= 0)
        content = lineHeight + margin;
    const QMargins margins = contentsMargins();
    return int(std::ceil(content + margin + 1)) + margins.top() + margins.bottom();
}

QSize Composer::sizeHint() const
{
    return {QPlainTextEdit::sizeHint().width(), heightForContent()};
}

QSize Composer::minimumSizeHint() const
{
    return {100, heightForContent()};
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        if (m_hasText)
            Q_EMIT submitted(toPlainText());
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        Q_EMIT stopRequested();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace qalam
