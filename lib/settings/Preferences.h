// Preferences: the app-wide choices kept in QSettings (not per profile), as plain values.
// ProfileStore loads them, repairing anything out of range, and saves them.
#pragma once

#include <QByteArray>
#include <QString>

namespace qalam {

struct ProxySettings
{
    enum class Mode { System, None, Manual };
    enum class Type { Http, Socks5 };

    Mode mode = Mode::System;
    Type type = Type::Http; // Manual only
    QString host;           // Manual only
    quint16 port = 0;       // Manual only

    friend bool operator==(const ProxySettings &, const ProxySettings &) = default;
};

struct Preferences
{
    enum class Language { System, Arabic, English };
    // System: light or dark as the desktop is (see app/desktop/ThemeManager.h). HighContrast:
    // white on black with yellow and cyan accents, every text at 7:1 or more (WCAG AAA).
    enum class Theme { System, Light, Dark, HighContrast };
    // The typeface of Arabic script (app/desktop/ArabicFonts): Naskh, the book hand, for message
    // text with Noto Sans Arabic UI for the interface; Sans, Noto Sans Arabic everywhere; System,
    // whatever fontconfig gives the interface's font.
    enum class ArabicFont { Naskh, Sans, System };

    static constexpr int minFontPointSize = 6;
    static constexpr int maxFontPointSize = 72;
    // The longest line of a message, in average characters; 0: the view's whole width.
    static constexpr int defaultReadingWidth = 75;
    static constexpr int minReadingWidth = 30;
    static constexpr int maxReadingWidth = 200;

    Language language = Language::System;
    Theme theme = Theme::System;
    ArabicFont arabicFont = ArabicFont::Naskh;
    int readingWidth = defaultReadingWidth; // 0 or within the bounds above
    bool reduceMotion = false; // show answers as they arrive, without the typewriter's pace
    int fontPointSize = 0;     // 0: the system's default; otherwise within the bounds above
    QString lastProfileId;
    QByteArray windowGeometry;  // QWidget::saveGeometry()
    QByteArray windowState;     // QMainWindow::saveState()
    bool sidebarVisible = true; // View > Show sidebar (Ctrl+B)
    ProxySettings proxy;

    friend bool operator==(const Preferences &, const Preferences &) = default;
};

} // namespace qalam
