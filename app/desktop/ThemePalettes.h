// ThemePalettes: Qalam's own light and dark colours, as complete QPalettes for the Fusion style
// (every role, in the active, inactive and disabled groups), and the two colours a palette has
// no role for. The chat view and every widget take their colours from these; nothing else in the
// app names a colour.
#pragma once

#include <QColor>
#include <QPalette>

namespace qalam {

class ThemePalettes
{
public:
    enum class Scheme { Light, Dark };

    static QPalette palette(Scheme scheme);
    // Light or dark, by whether the window's text is darker than its background; what a platform
    // palette (KDE's colour scheme, a GTK theme) says about the desktop.
    static Scheme schemeOf(const QPalette &palette);

    // The colour of a successful and of a failed result line (Test connection).
    static QColor positive(Scheme scheme);
    static QColor negative(Scheme scheme);
};

} // namespace qalam
