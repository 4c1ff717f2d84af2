#include "ThemePalettes.h"

#include <algorithm>
#include <cmath>

namespace qalam {

namespace {

struct Colours
{
    QColor window, windowText, base, alternateBase, text, placeholder, button, buttonText;
    QColor light, midlight, mid, dark, shadow;
    QColor highlight, highlightedText, link, linkVisited, toolTipBase, toolTipText, brightText;
    // The disabled group.
    QColor disabledText, disabledBase, disabledButton, disabledHighlight, disabledHighlightedText,
        disabledPlaceholder;
};

// Text on Base and Window stays above WCAG AA (4.5:1) in both schemes, placeholders and
// footers above 4.5:1 on Base, and the disabled text is visibly fainter than the placeholder.
const Colours lightColours{
    .window = QColor(0xf3, 0xf4, 0xf6),
    .windowText = QColor(0x1f, 0x23, 0x28),
    .base = QColor(0xff, 0xff, 0xff),
    .alternateBase = QColor(0xf1, 0xf4, 0xf9),
    .text = QColor(0x1f, 0x23, 0x28),
    .placeholder = QColor(0x5f, 0x67, 0x73),
    .button = QColor(0xf7, 0xf8, 0xfa),
    .buttonText = QColor(0x1f, 0x23, 0x28),
    .light = QColor(0xff, 0xff, 0xff),
    .midlight = QColor(0xe8, 0xea, 0xee),
    .mid = QColor(0xc8, 0xcd, 0xd5),
    .dark = QColor(0x9a, 0xa1, 0xac),
    .shadow = QColor(0x5b, 0x62, 0x6d),
    .highlight = QColor(0x25, 0x63, 0xeb),
    .highlightedText = QColor(0xff, 0xff, 0xff),
    .link = QColor(0x1d, 0x4e, 0xd8),
    .linkVisited = QColor(0x6d, 0x28, 0xd9),
    .toolTipBase = QColor(0x2b, 0x2f, 0x36),
    .toolTipText = QColor(0xf5, 0xf6, 0xf8),
    .brightText = QColor(0xff, 0xff, 0xff),
    .disabledText = QColor(0xa3, 0xa9, 0xb2),
    .disabledBase = QColor(0xf6, 0xf7, 0xf9),
    .disabledButton = QColor(0xf0, 0xf1, 0xf4),
    .disabledHighlight = QColor(0xc9, 0xcf, 0xd8),
    .disabledHighlightedText = QColor(0xf6, 0xf7, 0xf9),
    .disabledPlaceholder = QColor(0xb8, 0xbd, 0xc4),
};

const Colours darkColours{
    .window = QColor(0x1c, 0x1e, 0x22),
    .windowText = QColor(0xe4, 0xe6, 0xea),
    .base = QColor(0x25, 0x27, 0x2c),
    .alternateBase = QColor(0x2e, 0x31, 0x38),
    .text = QColor(0xe4, 0xe6, 0xea),
    .placeholder = QColor(0x9a, 0xa0, 0xaa),
    .button = QColor(0x2d, 0x30, 0x36),
    .buttonText = QColor(0xe4, 0xe6, 0xea),
    .light = QColor(0x3d, 0x41, 0x48),
    .midlight = QColor(0x34, 0x37, 0x3d),
    .mid = QColor(0x48, 0x4c, 0x54),
    .dark = QColor(0x14, 0x15, 0x18),
    .shadow = QColor(0x00, 0x00, 0x00),
    .highlight = QColor(0x2f, 0x6f, 0xe0),
    .highlightedText = QColor(0xff, 0xff, 0xff),
    .link = QColor(0x7c, 0xb0, 0xff),
    .linkVisited = QColor(0xc0, 0x9c, 0xff),
    .toolTipBase = QColor(0x3a, 0x3e, 0x46),
    .toolTipText = QColor(0xf1, 0xf2, 0xf4),
    .brightText = QColor(0xff, 0xff, 0xff),
    .disabledText = QColor(0x6c, 0x71, 0x7a),
    .disabledBase = QColor(0x21, 0x23, 0x27),
    .disabledButton = QColor(0x26, 0x28, 0x2d),
    .disabledHighlight = QColor(0x3a, 0x3e, 0x46),
    .disabledHighlightedText = QColor(0x8e, 0x94, 0x9c),
    .disabledPlaceholder = QColor(0x5c, 0x61, 0x69),
};

// White on black. Every text colour is at 7:1 or more on Window, Base, AlternateBase, Button and
// ToolTipBase, and on the shades the chat view derives from them (tst_highcontrast); Mid, the
// outline of fields and buttons, at 9:1 on black; the disabled text is dimmer than the
// placeholder but still above 4.5:1.
const Colours highContrastColours{
    .window = QColor(0x00, 0x00, 0x00),
    .windowText = QColor(0xff, 0xff, 0xff),
    .base = QColor(0x00, 0x00, 0x00),
    .alternateBase = QColor(0x1a, 0x1a, 0x1a),
    .text = QColor(0xff, 0xff, 0xff),
    .placeholder = QColor(0xcc, 0xcc, 0xcc),
    .button = QColor(0x00, 0x00, 0x00),
    .buttonText = QColor(0xff, 0xff, 0xff),
    .light = QColor(0xff, 0xff, 0xff),
    .midlight = QColor(0x33, 0x33, 0x33),
    .mid = QColor(0xc0, 0xc0, 0xc0),
    .dark = QColor(0x80, 0x80, 0x80),
    .shadow = QColor(0x00, 0x00, 0x00),
    .highlight = QColor(0xff, 0xff, 0x00),
    .highlightedText = QColor(0x00, 0x00, 0x00),
    .link = QColor(0x00, 0xff, 0xff),
    .linkVisited = QColor(0xff, 0x99, 0xff),
    .toolTipBase = QColor(0x1f, 0x1f, 0x1f),
    .toolTipText = QColor(0xff, 0xff, 0xff),
    .brightText = QColor(0xff, 0xff, 0xff),
    .disabledText = QColor(0x9a, 0x9a, 0x9a),
    .disabledBase = QColor(0x00, 0x00, 0x00),
    .disabledButton = QColor(0x00, 0x00, 0x00),
    .disabledHighlight = QColor(0x80, 0x80, 0x00),
    .disabledHighlightedText = QColor(0x00, 0x00, 0x00),
    .disabledPlaceholder = QColor(0x8c, 0x8c, 0x8c),
};

const Colours &coloursOf(ThemePalettes::Scheme scheme)
{
    switch (scheme) {
    case ThemePalettes::Scheme::Dark:
        return darkColours;
    case ThemePalettes::Scheme::HighContrast:
        return highContrastColours;
    case ThemePalettes::Scheme::Light:
        break;
    }
    return lightColours;
}

} // namespace

QPalette ThemePalettes::palette(Scheme scheme)
{
    const Colours &c = coloursOf(scheme);
    QPalette p;
    for (const QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(group, QPalette::Window, c.window);
        p.setColor(group, QPalette::WindowText, c.windowText);
        p.setColor(group, QPalette::Base, c.base);
        p.setColor(group, QPalette::AlternateBase, c.alternateBase);
        p.setColor(group, QPalette::Text, c.text);
        p.setColor(group, QPalette::PlaceholderText, c.placeholder);
        p.setColor(group, QPalette::Button, c.button);
        p.setColor(group, QPalette::ButtonText, c.buttonText);
        p.setColor(group, QPalette::Highlight, c.highlight);
        p.setColor(group, QPalette::HighlightedText, c.highlightedText);
    }
    // Shared by all three groups.
    for (const QPalette::ColorGroup group :
         {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        p.setColor(group, QPalette::Light, c.light);
        p.setColor(group, QPalette::Midlight, c.midlight);
        p.setColor(group, QPalette::Mid, c.mid);
        p.setColor(group, QPalette::Dark, c.dark);
        p.setColor(group, QPalette::Shadow, c.shadow);
        p.setColor(group, QPalette::Link, c.link);
        p.setColor(group, QPalette::LinkVisited, c.linkVisited);
        p.setColor(group, QPalette::ToolTipBase, c.toolTipBase);
        p.setColor(group, QPalette::ToolTipText, c.toolTipText);
        p.setColor(group, QPalette::BrightText, c.brightText);
    }
    p.setColor(QPalette::Disabled, QPalette::Window, c.window);
    p.setColor(QPalette::Disabled, QPalette::WindowText, c.disabledText);
    p.setColor(QPalette::Disabled, QPalette::Base, c.disabledBase);
    p.setColor(QPalette::Disabled, QPalette::AlternateBase, c.disabledBase);
    p.setColor(QPalette::Disabled, QPalette::Text, c.disabledText);
    p.setColor(QPalette::Disabled, QPalette::PlaceholderText, c.disabledPlaceholder);
    p.setColor(QPalette::Disabled, QPalette::Button, c.disabledButton);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, c.disabledText);
    p.setColor(QPalette::Disabled, QPalette::Highlight, c.disabledHighlight);
    p.setColor(QPalette::Disabled, QPalette::HighlightedText, c.disabledHighlightedText);
    return p;
}

ThemePalettes::Scheme ThemePalettes::schemeOf(const QPalette &palette)
{
    const QColor text = palette.color(QPalette::Active, QPalette::WindowText);
    const QColor window = palette.color(QPalette::Active, QPalette::Window);
    if (luminance(text) <= luminance(window))
        return Scheme::Light;
    // Qalam's dark palette is at about 13:1, common dark desktop themes below 16:1.
    constexpr double highContrast = 18.0;
    return contrastRatio(text, window) >= highContrast ? Scheme::HighContrast : Scheme::Dark;
}

double ThemePalettes::luminance(const QColor &colour)
{
    const auto linear = [](float channel) {
        return channel <= 0.04045f ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
    };
    const QColor rgb = colour.toRgb();
    return 0.2126 * linear(rgb.redF()) + 0.7152 * linear(rgb.greenF()) +
           0.0722 * linear(rgb.blueF());
}

double ThemePalettes::contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor ThemePalettes::positive(Scheme scheme)
{
    switch (scheme) {
    case Scheme::Dark:
        return {0x5f, 0xd0, 0x8a};
    case Scheme::HighContrast:
        return {0x7c, 0xff, 0x7c};
    case Scheme::Light:
        break;
    }
    return {0x15, 0x80, 0x3d};
}

QColor ThemePalettes::negative(Scheme scheme)
{
    switch (scheme) {
    case Scheme::Dark:
        return {0xff, 0x8a, 0x80};
    case Scheme::HighContrast:
        return {0xff, 0x99, 0x99};
    case Scheme::Light:
        break;
    }
    return {0xb9, 0x1c, 0x1c};
}

} // namespace qalam
