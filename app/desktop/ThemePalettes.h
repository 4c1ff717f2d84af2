// ThemePalettes: Qalam's own light, dark and high-contrast colours, as complete QPalettes for the
// Fusion style (every role, in the active, inactive and disabled groups), and the two colours a
// palette has no role for. The chat view and every widget take their colours from these; nothing
// else in the app names a colour. High contrast is white on black with a yellow accent (the
// selection, the focus ring) and cyan links; every text colour is at 7:1 or more on every
// background it is drawn on (WCAG AAA), the chat view's derived shades included.
//
// The keyboard focus is drawn in QPalette::Highlight everywhere (FocusRingStyle, the sidebar's
// rows, the composer's field, the chat view's current message); on a Highlight-filled surface
// (a selected row, the Send button) in HighlightedText.
#pragma once

#include <QColor>
#include <QPalette>

namespace qalam {

class ThemePalettes
{
public:
    enum class Scheme { Light, Dark, HighContrast };

    static QPalette palette(Scheme scheme);
    // Light or dark, by whether the window's text is darker than its background; what a platform
    // palette (KDE's colour scheme, a GTK theme) says about the desktop. A dark palette whose
    // window text is at 18:1 or more on its window (white on black: a high-contrast desktop
    // theme, or Qalam's own) is HighContrast.
    static Scheme schemeOf(const QPalette &palette);

    // WCAG 2 relative luminance (0 black .. 1 white) and contrast ratio (1 .. 21) of two opaque
    // colours.
    static double luminance(const QColor &colour);
    static double contrastRatio(const QColor &a, const QColor &b);

    // The colour of a successful and of a failed result line (Test connection).
    static QColor positive(Scheme scheme);
    static QColor negative(Scheme scheme);
};

} // namespace qalam
