#include "UndoNotice.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

namespace qalam {

UndoNotice::UndoNotice(QWidget *parent)
    : QFrame(parent), m_label(new QLabel(this)), m_undo(new QPushButton(this)),
      m_close(new QPushButton(this)), m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("undoNotice"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setForegroundRole(QPalette::ToolTipText);
    m_label->setWordWrap(true);
    m_close->setFlat(true);
    m_close->setText(QStringLiteral("✕"));
    layout->addWidget(m_label, 1);
    layout->addWidget(m_undo);
    layout->addWidget(m_close);
    m_timer->setSingleShot(true);
    m_timer->setInterval(defaultTimeoutMs);
    connect(m_timer, &QTimer::timeout, this, &UndoNotice::finish);
    connect(m_close, &QPushButton::clicked, this, &UndoNotice::finish);
    connect(m_undo, &QPushButton::clicked, this, [this] {
        m_timer->stop();
        hide();
        Q_EMIT undoRequested();
    });
    retranslate();
    hide();
}

void UndoNotice::showNotice(const QString &text)
{
    finish();
    m_label->setText(text);
    m_undo->setAccessibleDescription(text);
    show();
    m_timer->start();
}

void UndoNotice::finish()
{
    if (!isActive())
        return;
    m_timer->stop();
    hide();
    Q_EMIT finished();
}

bool UndoNotice::isActive() const
{
    return !isHidden();
}

QString UndoNotice::text() const
{
    return m_label->text();
}

void UndoNotice::setTimeout(int milliseconds)
{
    m_timer->setInterval(milliseconds);
}

// The time does not run out under the pointer: someone reaching for Undo gets to click it.
void UndoNotice::enterEvent(QEnterEvent *event)
{
    m_timer->stop();
    QFrame::enterEvent(event);
}

void UndoNotice::leaveEvent(QEvent *event)
{
    if (isActive())
        m_timer->start();
    QFrame::leaveEvent(event);
}

void UndoNotice::retranslate()
{
    m_undo->setText(tr("Undo"));
    m_close->setToolTip(tr("Delete now"));
    m_close->setAccessibleName(tr("Delete now"));
    m_close->setAccessibleDescription(tr("Deletes the conversation at once, without Undo"));
}

void UndoNotice::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QFrame::changeEvent(event);
}

} // namespace qalam
