#include "DialogButtonBox.h"

#include <QEvent>
#include <QIcon>
#include <QPushButton>

namespace qalam {

DialogButtonBox::DialogButtonBox(StandardButtons buttons, QWidget *parent)
    : QDialogButtonBox(buttons, parent)
{
    retranslate();
}

QString DialogButtonBox::textFor(StandardButton button)
{
    switch (button) {
    case Ok:
        return tr("OK");
    case Cancel:
        return tr("Cancel");
    case Close:
        return tr("Close");
    case Save:
        return tr("Save");
    case Apply:
        return tr("Apply");
    case Yes:
        return tr("Yes");
    case No:
        return tr("No");
    default:
        break;
    }
    return {};
}

bool DialogButtonBox::event(QEvent *event)
{
    const bool handled = QDialogButtonBox::event(event);
    if (event->type() == QEvent::LanguageChange)
        retranslate(); // after the base class put the platform's texts back
    return handled;
}

void DialogButtonBox::retranslate()
{
    const QList<QAbstractButton *> all = buttons();
    for (QAbstractButton *button : all) {
        const QString text = textFor(standardButton(button));
        if (!text.isEmpty())
            button->setText(text);
        // No icon: Qt 6.4 lays out a right-to-left button's icon and text from the text's
        // measured width and draws the text beside it where that width says, so in Arabic the
        // text runs into the icon or the button's edge. Words alone, in both languages.
        button->setIcon(QIcon());
    }
}

} // namespace qalam
