#include "ThemeManager.h"

#include "FocusRingStyle.h"
#include "ThemeIconEngine.h"

#include <QApplication>
#include <QEvent>
#include <QFontDatabase>
#include <QFontInfo>
#include <QProxyStyle>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>
#if QT_VERSION >= QT_VERSION_CHECK(6, 10, 0)
#include <QAccessibilityHints>
#endif

namespace qalam {

bool ThemeManager::isFusion(const QStyle *style)
{
    if (const auto *proxy = qobject_cast<const QProxyStyle *>(style))
        style = proxy->baseStyle();
    return style && qstrcmp(style->metaObject()->className(), "QFusionStyle") == 0;
}

ThemeManager::ThemeManager(QObject *parent) : QObject(parent)
{
    // Fusion draws everything from the palette, so Qalam's palettes reach every widget; a
    // platform style (Breeze, GTK) would keep parts of its own colours. FocusRingStyle adds a
    // focus ring that is visible in every palette (Fusion's is a faint outline).
    if (!qobject_cast<FocusRingStyle *>(QApplication::style()))
        QApplication::setStyle(new FocusRingStyle(QStyleFactory::create(QStringLiteral("Fusion"))));
    QApplication::setFont(withEmojiFallback(QApplication::font()));
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(QGuiApplication::styleHints(), &QStyleHints::colorSchemeChanged, this, [this] {
        if (m_theme == Preferences::Theme::System)
            apply(m_theme);
    });
#if QT_VERSION >= QT_VERSION_CHECK(6, 10, 0)
    connect(QGuiApplication::styleHints()->accessibility(),
            &QAccessibilityHints::contrastPreferenceChanged, this, [this] {
                if (m_theme == Preferences::Theme::System)
                    apply(m_theme);
            });
#endif
#else
    m_followDesktop.setSingleShot(true);
    m_followDesktop.setInterval(0);
    connect(&m_followDesktop, &QTimer::timeout, this, [this] {
        if (m_theme == Preferences::Theme::System)
            apply(m_theme);
    });
    qApp->installEventFilter(this);
#endif
}

ThemeManager::~ThemeManager() = default;

std::optional<Preferences::Theme> ThemeManager::themeFromName(QStringView name)
{
    if (name == QLatin1String("light"))
        return Preferences::Theme::Light;
    if (name == QLatin1String("dark"))
        return Preferences::Theme::Dark;
    if (name == QLatin1String("system"))
        return Preferences::Theme::System;
    if (name == QLatin1String("high-contrast"))
        return Preferences::Theme::HighContrast;
    return std::nullopt;
}

ThemePalettes::Scheme ThemeManager::desktopScheme()
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 10, 0)
    if (QGuiApplication::styleHints()->accessibility()->contrastPreference() ==
        Qt::ContrastPreference::HighContrast)
        return ThemePalettes::Scheme::HighContrast;
#endif
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    if (QGuiApplication::styleHints()->colorScheme() == Qt::ColorScheme::Dark)
        return ThemePalettes::Scheme::Dark;
    if (QGuiApplication::styleHints()->colorScheme() == Qt::ColorScheme::Light)
        return ThemePalettes::Scheme::Light;
#endif
    // The platform's palette is what the application has while none of its own is set: the
    // one set is taken back for the moment of reading it (the caller sets one right after).
    QApplication::setPalette(QPalette());
    return ThemePalettes::schemeOf(QApplication::palette());
}

void ThemeManager::apply(Preferences::Theme theme)
{
    m_theme = theme;
    switch (theme) {
    case Preferences::Theme::Light:
        applyScheme(ThemePalettes::Scheme::Light);
        break;
    case Preferences::Theme::Dark:
        applyScheme(ThemePalettes::Scheme::Dark);
        break;
    case Preferences::Theme::HighContrast:
        applyScheme(ThemePalettes::Scheme::HighContrast);
        break;
    case Preferences::Theme::System: {
        m_applying = true;
        const ThemePalettes::Scheme scheme = desktopScheme();
        m_applying = false;
        applyScheme(scheme);
        break;
    }
    }
}

void ThemeManager::applyScheme(ThemePalettes::Scheme scheme)
{
    const bool changed = !m_applied || scheme != m_scheme;
    m_applying = true;
    // Outlines first: the palette change repaints every widget.
    if (auto *style = qobject_cast<FocusRingStyle *>(QApplication::style()))
        style->setOutlined(scheme == ThemePalettes::Scheme::HighContrast);
    QApplication::setPalette(ThemePalettes::palette(scheme));
    m_applying = false;
    m_scheme = scheme;
    m_applied = true;
    if (changed)
        Q_EMIT schemeChanged(scheme);
}

QIcon ThemeManager::icon(const QString &name, bool mirrored, QPalette::ColorRole role) const
{
    return QIcon(new ThemeIconEngine(name, mirrored, this, role));
}

QFont ThemeManager::withEmojiFallback(const QFont &font)
{
    // The family the font resolves to, not an alias such as "Sans Serif": with an alias first,
    // Qt 6.4 takes the emoji font for digits and spaces too.
    QStringList families{QFontInfo(font).family()};
    for (const QString &fallback :
         {QStringLiteral("Noto Color Emoji"), QStringLiteral("Noto Sans Arabic")}) {
        if (QFontDatabase::hasFamily(fallback) && !families.contains(fallback))
            families.append(fallback);
    }
    QFont result = font;
    result.setFamilies(families);
    return result;
}

bool ThemeManager::eventFilter(QObject *watched, QEvent *event)
{
    // Qt 6.4: the desktop's theme changed (every window hears it; one look is enough).
    if (event->type() == QEvent::ThemeChange && !m_applying &&
        m_theme == Preferences::Theme::System && watched->isWindowType()) {
        m_followDesktop.start();
    }
    return QObject::eventFilter(watched, event);
}

} // namespace qalam
