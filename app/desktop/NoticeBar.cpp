#include "NoticeBar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace qalam {

NoticeBar::NoticeBar(QWidget *parent) : QFrame(parent), m_layout(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("noticeBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    m_layout->setContentsMargins(8, 4, 8, 4);
    hide();
}

void NoticeBar::addNotice(const QString &text)
{
    if (text.isEmpty() || notices().contains(text))
        return;
    auto *row = new QWidget(this);
    auto *rowLayout = new QHBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(text, row);
    label->setObjectName(QStringLiteral("noticeText"));
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setForegroundRole(QPalette::ToolTipText);
    auto *dismiss = new QPushButton(row);
    dismiss->setObjectName(QStringLiteral("noticeDismiss"));
    dismiss->setText(tr("Dismiss"));
    dismiss->setAccessibleDescription(text); // what is dismissed, for a screen reader
    rowLayout->addWidget(label, 1);
    rowLayout->addWidget(dismiss, 0, Qt::AlignTop);
    m_layout->addWidget(row);
    connect(dismiss, &QPushButton::clicked, this, [this, row] {
        row->deleteLater();
        if (m_layout->count() <= 1)
            hide();
    });
    show();
}

QStringList NoticeBar::notices() const
{
    QStringList texts;
    for (const QLabel *label : findChildren<QLabel *>(QStringLiteral("noticeText")))
        texts << label->text();
    return texts;
}

void NoticeBar::retranslate()
{
    for (QPushButton *button : findChildren<QPushButton *>(QStringLiteral("noticeDismiss")))
        button->setText(tr("Dismiss"));
}

void NoticeBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QFrame::changeEvent(event);
}

} // namespace qalam
