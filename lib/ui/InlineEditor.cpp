#include "ui/InlineEditor.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBlock>
#include <QVBoxLayout>
#include <cmath>

namespace qalam {

namespace {

bool isSend(const QKeyEvent *key)
{
    return (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
           (key->modifiers() & Qt::ControlModifier);
}

} // namespace

InlineEditor::InlineEditor(const QString &initial, QWidget *parent)
    : QFrame(parent), m_edit(new QPlainTextEdit(this)), m_send(new QPushButton(this)),
      m_cancel(new QPushButton(this))
{
    setObjectName(QStringLiteral("inlineEditor"));
    setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    m_edit->setPlainText(initial);
    m_edit->setTabChangesFocus(true);
    m_edit->setObjectName(QStringLiteral("inlineEditorText"));
    layout->addWidget(m_edit, 1);
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_send);
    m_send->setDefault(true);
    layout->addLayout(buttons);
    m_edit->installEventFilter(this);
    installEventFilter(this);
    connect(m_send, &QPushButton::clicked, this, [this] { Q_EMIT submitted(text()); });
    connect(m_cancel, &QPushButton::clicked, this, &InlineEditor::cancelled);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        alignToText();
        m_send->setEnabled(!text().trimmed().isEmpty());
        const int height = heightForWidth(width());
        if (height != m_lastHeight) {
            m_lastHeight = height;
            Q_EMIT heightChanged();
        }
    });
    alignToText();
    retranslate();
    QTextCursor cursor = m_edit->textCursor();
    cursor.movePosition(QTextCursor::End);
    m_edit->setTextCursor(cursor);
}

QString InlineEditor::text() const
{
    return m_edit->toPlainText();
}

int InlineEditor::heightForWidth(int width) const
{
    Q_UNUSED(width);
    const QFontMetrics metrics(m_edit->font());
    // A plain text document's size is counted in lines, wrapped ones included.
    const int lines = std::clamp(int(std::ceil(m_edit->document()->size().height())), 3, 12);
    const int frame = 2 * m_edit->frameWidth() + 2 * int(m_edit->document()->documentMargin());
    return lines * metrics.lineSpacing() + frame + 6 + m_send->sizeHint().height();
}

void InlineEditor::alignToText()
{
    // QPlainTextEdit does not align by the text's direction by itself.
    const Qt::LayoutDirection direction =
        text().isRightToLeft() ? Qt::RightToLeft : Qt::LeftToRight;
    QTextOption option = m_edit->document()->defaultTextOption();
    if (option.textDirection() != direction) {
        option.setTextDirection(direction);
        option.setAlignment(Qt::AlignAbsolute |
                            (direction == Qt::RightToLeft ? Qt::AlignRight : Qt::AlignLeft));
        m_edit->document()->setDefaultTextOption(option);
    }
}

bool InlineEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape || isSend(key)) {
            event->accept(); // ours, not the window's "stop"
            return false;
        }
    } else if (event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            Q_EMIT cancelled();
            return true;
        }
        if (isSend(key)) {
            if (!text().trimmed().isEmpty())
                Q_EMIT submitted(text());
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void InlineEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QFrame::changeEvent(event);
}

void InlineEditor::retranslate()
{
    m_send->setText(tr("Save && send"));
    m_send->setToolTip(
        tr("Send the edited question (%1); the earlier one stays as a version")
            .arg(QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Keep the question as it was (Esc)"));
    m_edit->setAccessibleName(tr("Edit the question"));
}

} // namespace qalam
