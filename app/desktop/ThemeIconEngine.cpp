#include "ThemeIconEngine.h"

#include "ThemeManager.h"

#include <QFile>
#include <QGuiApplication>
#include <QPainter>
#include <QSvgRenderer>

namespace qalam {

namespace {

// Breeze's stylesheet colour for ColorScheme-Text, which its monochrome icons fill with.
constexpr QLatin1String kBreezeText("#232629");

QColor colourFor(QIcon::Mode mode, QPalette::ColorRole role)
{
    const QPalette palette = QGuiApplication::palette();
    switch (mode) {
    case QIcon::Disabled:
        return palette.color(QPalette::Disabled, QPalette::ButtonText);
    case QIcon::Selected:
        return palette.color(QPalette::Active, QPalette::HighlightedText);
    case QIcon::Normal:
    case QIcon::Active:
        break;
    }
    return palette.color(QPalette::Active, role);
}

} // namespace

ThemeIconEngine::ThemeIconEngine(QString name, bool mirrored, const ThemeManager *theme,
                                 QPalette::ColorRole role)
    : m_name(std::move(name)), m_mirrored(mirrored), m_role(role), m_theme(theme)
{
    QFile file(QStringLiteral(":/icons/%1.svg").arg(m_name));
    if (file.open(QIODevice::ReadOnly))
        m_svg = file.readAll();
}

QByteArray ThemeIconEngine::recoloured(const QByteArray &svg, const QColor &colour)
{
    QByteArray out = svg;
    out.replace(QByteArray(kBreezeText.data(), kBreezeText.size()),
                colour.name(QColor::HexRgb).toLatin1());
    return out;
}

QPixmap ThemeIconEngine::render(const QSize &size, QIcon::Mode mode, qreal scale)
{
    const QColor colour = colourFor(mode, m_role);
    const bool flip = m_mirrored && QGuiApplication::layoutDirection() == Qt::RightToLeft;
    const QString cacheKey = QStringLiteral("%1x%2@%3 %4 %5")
                                 .arg(size.width())
                                 .arg(size.height())
                                 .arg(scale)
                                 .arg(colour.name(QColor::HexArgb))
                                 .arg(flip);
    if (const auto it = m_cache.constFind(cacheKey); it != m_cache.cend())
        return *it;

    const QSize pixels = (QSizeF(size) * scale).toSize();
    QPixmap pixmap(pixels);
    pixmap.fill(Qt::transparent);
    QSvgRenderer renderer(recoloured(m_svg, colour));
    if (renderer.isValid()) {
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        if (flip) {
            painter.translate(pixels.width(), 0);
            painter.scale(-1, 1);
        }
        // Square icons in a non-square request stay square and centred.
        const int side = std::min(pixels.width(), pixels.height());
        renderer.render(&painter, QRectF((pixels.width() - side) / 2.0,
                                         (pixels.height() - side) / 2.0, side, side));
    }
    pixmap.setDevicePixelRatio(scale);
    if (m_cache.size() > 64)
        m_cache.clear(); // themes and sizes switched many times: start over rather than grow
    m_cache.insert(cacheKey, pixmap);
    return pixmap;
}

QPixmap ThemeIconEngine::scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                                      qreal scale)
{
    if (m_theme && m_theme->followsDesktopIcons() && QIcon::hasThemeIcon(m_name)) {
        QPixmap themed = QIcon::fromTheme(m_name).pixmap(size, scale, mode, state);
        if (!themed.isNull())
            return themed;
    }
    return render(size, mode, scale);
}

QPixmap ThemeIconEngine::pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state)
{
    return scaledPixmap(size, mode, state, 1.0);
}

void ThemeIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode mode,
                            QIcon::State state)
{
    const qreal scale = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    painter->drawPixmap(rect, scaledPixmap(rect.size(), mode, state, scale));
}

QSize ThemeIconEngine::actualSize(const QSize &size, QIcon::Mode, QIcon::State)
{
    return size;
}

QIconEngine *ThemeIconEngine::clone() const
{
    return new ThemeIconEngine(m_name, m_mirrored, m_theme, m_role);
}

QString ThemeIconEngine::key() const
{
    return QStringLiteral("qalam-theme-icon");
}

QString ThemeIconEngine::iconName()
{
    return m_name;
}

bool ThemeIconEngine::isNull()
{
    return m_svg.isEmpty();
}

} // namespace qalam
