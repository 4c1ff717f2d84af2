#include "FocusRingStyle.h"

#include <QPainter>
#include <QStyleOption>

namespace qalam {

namespace {

bool keyboardFocus(const QStyleOption *option)
{
    return (option->state & QStyle::State_HasFocus) &&
           (option->state & QStyle::State_KeyboardFocusChange);
}

} // namespace

FocusRingStyle::FocusRingStyle(QStyle *base) : QProxyStyle(base) {}

void FocusRingStyle::paintRing(QPainter *painter, const QRectF &rect, const QPalette &palette,
                               qreal radius)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(palette.color(QPalette::Active, QPalette::Highlight), 2));
    painter->drawRoundedRect(rect.adjusted(1, 1, -1, -1), radius, radius);
    painter->setPen(QPen(palette.color(QPalette::Active, QPalette::HighlightedText), 1));
    painter->drawRoundedRect(rect.adjusted(2.5, 2.5, -2.5, -2.5), std::max<qreal>(radius - 2, 1),
                             std::max<qreal>(radius - 2, 1));
    painter->restore();
}

void FocusRingStyle::paintOutline(QPainter *painter, const QRect &rect,
                                  const QPalette &palette) const
{
    if (!m_outlined)
        return;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(palette.color(QPalette::Mid), 1));
    painter->drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
    painter->restore();
}

int FocusRingStyle::styleHint(StyleHint hint, const QStyleOption *option, const QWidget *widget,
                              QStyleHintReturn *returnData) const
{
    if (hint == SH_DialogButtonBox_ButtonsHaveIcons)
        return 0;
    return QProxyStyle::styleHint(hint, option, widget, returnData);
}

void FocusRingStyle::drawPrimitive(PrimitiveElement element, const QStyleOption *option,
                                   QPainter *painter, const QWidget *widget) const
{
    QProxyStyle::drawPrimitive(element, option, painter, widget);
    switch (element) {
    case PE_PanelButtonCommand:
    case PE_IndicatorCheckBox:
    case PE_IndicatorRadioButton:
        paintOutline(painter, option->rect, option->palette);
        if (keyboardFocus(option))
            paintRing(painter, option->rect, option->palette,
                      element == PE_IndicatorRadioButton ? option->rect.height() / 2.0 : 3);
        break;
    case PE_FrameLineEdit:
        paintOutline(painter, option->rect, option->palette);
        if (option->state & State_HasFocus)
            paintRing(painter, option->rect, option->palette, 3);
        break;
    default:
        break;
    }
}

void FocusRingStyle::drawComplexControl(ComplexControl control, const QStyleOptionComplex *option,
                                        QPainter *painter, const QWidget *widget) const
{
    QProxyStyle::drawComplexControl(control, option, painter, widget);
    switch (control) {
    case CC_ComboBox:
    case CC_SpinBox:
        paintOutline(painter, option->rect, option->palette);
        if (option->state & State_HasFocus && (control == CC_SpinBox || keyboardFocus(option)))
            paintRing(painter, option->rect, option->palette, 3);
        break;
    case CC_ToolButton:
        if (keyboardFocus(option))
            paintRing(painter, option->rect, option->palette, 3);
        break;
    default:
        break;
    }
}

} // namespace qalam
