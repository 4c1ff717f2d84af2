// FocusRingStyle: Fusion with a keyboard focus ring that can be seen in every palette. Fusion marks
// the focused control with a one-pixel outline a shade darker than the accent, which is hard to
// find on a light window and gone on a black one. This style draws, around the focused button,
// check box, radio button, combo box, spin box and text field, a two-pixel ring in the palette's
// Highlight with a one-pixel HighlightedText line inside it, so the ring also stands out on a
// control filled with the accent (the Send button). Buttons and boxes show it after a keyboard
// focus change only (a click does not), text fields whenever they have the focus, as browsers do
// for :focus-visible.
//
// Outlined (the high-contrast theme): every field, button and box also gets a one-pixel border in
// the palette's Mid, since Fusion derives its borders from the window colour, which on black
// leaves none.
#pragma once

#include <QProxyStyle>

namespace qalam {

class FocusRingStyle : public QProxyStyle
{
    Q_OBJECT

public:
    // Takes `base` (Fusion), like QProxyStyle.
    explicit FocusRingStyle(QStyle *base);

    void setOutlined(bool outlined) { m_outlined = outlined; }
    bool isOutlined() const { return m_outlined; }

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget = nullptr) const override;
    void drawComplexControl(ComplexControl control, const QStyleOptionComplex *option,
                            QPainter *painter, const QWidget *widget = nullptr) const override;
    // Dialog buttons without icons, message boxes included: Qt 6.4's Fusion draws the text of
    // a right-to-left button with an icon against its edge, and the words say it all.
    int styleHint(StyleHint hint, const QStyleOption *option = nullptr,
                  const QWidget *widget = nullptr,
                  QStyleHintReturn *returnData = nullptr) const override;

    // The ring around `rect` (the control's outer edge), in `palette`'s colours.
    static void paintRing(QPainter *painter, const QRectF &rect, const QPalette &palette,
                          qreal radius = 4);

private:
    void paintOutline(QPainter *painter, const QRect &rect, const QPalette &palette) const;

    bool m_outlined = false;
};

} // namespace qalam
