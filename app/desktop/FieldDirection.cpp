#include "FieldDirection.h"

#include "ui/TextDirection.h"

#include <QEvent>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>

namespace qalam {

FieldDirection::FieldDirection(QWidget *widget, QLabel *label)
    : QObject(widget), m_widget(widget), m_label(label)
{
    widget->installEventFilter(this);
}

FieldDirection *FieldDirection::follow(QLineEdit *edit)
{
    auto *follower = new FieldDirection(edit, nullptr);
    connect(edit, &QLineEdit::textChanged, follower, &FieldDirection::update);
    follower->update(edit->text());
    return follower;
}

FieldDirection *FieldDirection::follow(QLabel *label)
{
    auto *follower = new FieldDirection(label, label);
    follower->update(label->text());
    return follower;
}

Qt::LayoutDirection FieldDirection::directionFor(const QString &text)
{
    const Qt::LayoutDirection own = TextDirection::of(text);
    return own == Qt::LayoutDirectionAuto ? QGuiApplication::layoutDirection() : own;
}

void FieldDirection::update(const QString &text)
{
    const Qt::LayoutDirection interface = QGuiApplication::layoutDirection();
    if (m_label) {
        markLabel(interface);
        return;
    }
    const bool set = m_widget->testAttribute(Qt::WA_SetLayoutDirection);
    if (set && text == m_text && interface == m_interface)
        return;
    m_text = text;
    m_interface = interface;
    // A line edit's alignment is leading by default: the text starts at its own side.
    const Qt::LayoutDirection direction = directionFor(text);
    if (!set || m_widget->layoutDirection() != direction)
        m_widget->setLayoutDirection(direction);
}

void FieldDirection::markLabel(Qt::LayoutDirection interface)
{
    const QString text = m_label->text();
    if (text == m_text && interface == m_interface)
        return;
    m_interface = interface;
    m_text = text;
    if (text.isEmpty())
        return;
    // A label lays out and aligns its text by the first strong letter (outside isolates) and
    // nothing else, whatever its layout direction: a mark at the start makes that the
    // direction of the majority of the words when they differ.
    QString base = text;
    if (base.startsWith(m_addedMark))
        base.remove(0, 1);
    const Qt::LayoutDirection wanted = directionFor(base);
    const Qt::LayoutDirection firstStrong =
        base.isRightToLeft() ? Qt::RightToLeft : Qt::LeftToRight;
    m_addedMark = QChar();
    if (wanted != firstStrong) {
        m_addedMark = wanted == Qt::RightToLeft ? QChar(0x200F) : QChar(0x200E); // RLM, LRM
        base.prepend(m_addedMark);
    }
    if (base != text) {
        m_text = base;
        m_label->setText(base);
    }
}

bool FieldDirection::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_widget) {
        if (event->type() == QEvent::LanguageChange ||
            (m_label && event->type() == QEvent::Paint)) {
            if (m_label)
                update(m_label->text());
            else if (auto *edit = qobject_cast<QLineEdit *>(m_widget))
                update(edit->text());
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace qalam
