// ArabicFonts: the typeface Arabic script is drawn in, for the interface and for message text.
//
// The Latin font is the desktop's; Arabic comes from a font made for it: message text in Noto
// Naskh Arabic (the book hand, with room for harakat), the interface in Noto Sans Arabic UI (the
// metrics of Noto Sans, so a line of the interface keeps its height), each falling back to Noto
// Sans Arabic, then to whatever fontconfig picks (the System choice goes there at once).
//
// The Arabic family comes FIRST in the font's family list, the Latin one second. Qt 6.4 draws a
// run of Arabic script in the first family only if that family has Arabic; otherwise it asks the
// rest of the list and fontconfig, and caches the answer under the first family alone: two fonts
// with the same Latin family and size then share one Arabic font, whichever laid Arabic out first
// (DejaVu Sans, when a plain font got there first), so neither a second typeface for messages nor
// a live change could work, and a Latin family with Arabic of its own (DejaVu Sans) would always
// win. First in the list, the Arabic family is matched directly. Latin letters come from the Latin
// family by per-glyph fallback; spaces, digits and common punctuation, which the Noto Arabic fonts
// have, come from the Arabic family (drawn to match Noto Sans; Naskh's line is taller and its
// space a little narrower).
//
// Values in, values out: the application's font is set from interfaceFont() by
// WindowPreferences, the chat's and the composer's from messageFont().
#pragma once

#include "settings/Preferences.h"

#include <QFont>
#include <QString>
#include <QStringList>

namespace qalam {

class ArabicFonts
{
public:
    // The Arabic families tried, in order, for each use (empty for System).
    static QStringList interfaceCandidates(Preferences::ArabicFont choice);
    static QStringList messageCandidates(Preferences::ArabicFont choice);

    // The first installed family of `candidates`, or empty.
    static QString installed(const QStringList &candidates);

    // `font` with the Arabic family of `choice` in the place where Qt takes Arabic from it, and
    // any Arabic family an earlier call (or ThemeManager) put there removed, so applying another
    // choice to the result gives what applying it to the original font would.
    static QFont interfaceFont(const QFont &font, Preferences::ArabicFont choice);
    static QFont messageFont(const QFont &font, Preferences::ArabicFont choice);

    // The application font with the interface's Arabic family of `choice`, delivered to the
    // windows that exist: before QApplication::exec() runs, Qt's setFont() tells no widget
    // (and a window built before the font was set, as the main window is, would keep Qt's
    // default font, whose Arabic is whatever fontconfig answers: DejaVu Sans).
    static void applyToApplication(Preferences::ArabicFont choice);

    // `font`'s families with `arabicFamily` placed as the header says (removed when empty).
    static QFont withArabicFamily(const QFont &font, const QString &arabicFamily);
};

} // namespace qalam
