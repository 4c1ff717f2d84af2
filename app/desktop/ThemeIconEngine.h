// ThemeIconEngine: draws one of Qalam's bundled SVG icons (resources/icons, from KDE's Breeze) in
// the colours of the application palette at the moment it is painted, so an icon set once stays
// visible when the theme switches from light to dark: Breeze's text colour becomes the palette's
// button text, or another role for icons on a coloured background (disabled: the disabled
// button text; selected: the highlighted text). In a right-to-left
// interface a `mirrored` icon is drawn flipped. With the System theme the desktop's icon theme is
// asked first (QIcon::fromTheme), as the desktop draws its own icons for its own colours.
#pragma once

#include <QHash>
#include <QIconEngine>
#include <QPalette>
#include <QPointer>

namespace qalam {

class ThemeManager;

class ThemeIconEngine : public QIconEngine
{
public:
    // `name` is the file's base name in :/icons; `theme` (may be null) says whether the desktop's
    // icon theme is asked first.
    ThemeIconEngine(QString name, bool mirrored, const ThemeManager *theme,
                    QPalette::ColorRole role = QPalette::ButtonText);

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override;
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QIconEngine *clone() const override;
    QString key() const override;
    QString iconName() override;
    bool isNull() override;

    // The SVG source with Breeze's text colour replaced by `colour`.
    static QByteArray recoloured(const QByteArray &svg, const QColor &colour);

private:
    QPixmap render(const QSize &size, QIcon::Mode mode, qreal scale);

    QString m_name;
    bool m_mirrored;
    QPalette::ColorRole m_role;
    QPointer<const ThemeManager> m_theme;
    QByteArray m_svg;
    QHash<QString, QPixmap> m_cache; // by size, scale, colour and direction
};

} // namespace qalam
