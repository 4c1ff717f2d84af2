// ThemeManager: the look of the whole application. It sets the Fusion style and one of Qalam's
// palettes (ThemePalettes) on the application, so every widget and the chat view (which takes all
// its colours from its QPalette) change at once, without a restart. No style sheet: what is drawn
// on another background than its default takes another palette role (the conversation list on
// the sidebar's Window, the composer's field on Base), so it follows a switch too. It also makes
// the application font fall back to Noto Color Emoji, so emoji are in colour and ZWJ, skin-tone
// and flag sequences are one glyph.
//
// Light, Dark and HighContrast are Qalam's own palettes. System follows the desktop: light, dark or
// high contrast as it says, in Qalam's palette of that scheme, with the desktop's icon theme asked
// first for icons. On Qt 6.5 and later the desktop's answer is QStyleHints::colorScheme() (and its
// change signal); on Qt 6.4, which has no public colour scheme, it is the palette the platform
// theme gives (KDE's colour scheme, the GTK theme through the gtk3 platform theme), read as dark
// when its window text is lighter than its window; with no platform palette (a bare X server,
// offscreen) it is light. High contrast: on Qt 6.10 and later when the desktop asks for it
// (QAccessibilityHints::contrastPreference()); Qt 6.4 has no such hint, so there it is a platform
// palette of white (or nearly) on black, at 18:1 or more. A change of the desktop's theme while
// Qalam runs is followed.
#pragma once

#include "ThemePalettes.h"
#include "settings/Preferences.h"

#include <QIcon>
#include <QObject>
#include <QTimer>

#include <optional>

class QStyle;

namespace qalam {

class ThemeManager : public QObject
{
    Q_OBJECT

public:
    // Sets the Fusion style and the emoji font fallback on the application.
    explicit ThemeManager(QObject *parent = nullptr);
    ~ThemeManager() override;

    // "light", "dark", "high-contrast" or "system" (the --theme option); nothing for anything
    // else.
    static std::optional<Preferences::Theme> themeFromName(QStringView name);

    void apply(Preferences::Theme theme);
    Preferences::Theme theme() const { return m_theme; }
    ThemePalettes::Scheme scheme() const { return m_scheme; }
    // True with the System theme: icons come from the desktop's icon theme when it has them.
    bool followsDesktopIcons() const { return m_theme == Preferences::Theme::System; }

    // An icon of resources/icons drawn in the current palette's text colour (and, with the System
    // theme, the desktop's icon of that name when it has one). `mirrored`: drawn flipped in a
    // right-to-left interface (arrows, the send icon). `role`: the palette colour it is drawn in
    // (HighlightedText on a Highlight-coloured button).
    QIcon icon(const QString &name, bool mirrored = false,
               QPalette::ColorRole role = QPalette::ButtonText) const;

    // `font` with Noto Color Emoji (and Noto Sans Arabic, when installed) after its own family:
    // Qt 6.4 takes a character's font from the first family of the list that has it, and keeps
    // a ZWJ with the emoji font of the character before it, so a sequence is shaped by one font.
    static QFont withEmojiFallback(const QFont &font);

    // True for the Fusion style (the one the palettes are made for), also under FocusRingStyle.
    static bool isFusion(const QStyle *style);

    // The desktop's scheme as Qt reports it (see the header comment).
    static ThemePalettes::Scheme desktopScheme();

Q_SIGNALS:
    void schemeChanged(qalam::ThemePalettes::Scheme scheme);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyScheme(ThemePalettes::Scheme scheme);

    Preferences::Theme m_theme = Preferences::Theme::System;
    ThemePalettes::Scheme m_scheme = ThemePalettes::Scheme::Light;
    bool m_applied = false;
    bool m_applying = false;
    QTimer m_followDesktop; // Qt 6.4: one re-read for the ThemeChange every window gets
};

} // namespace qalam
