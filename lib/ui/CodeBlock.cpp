#include "ui/CodeBlock.h"

#include "ui/TextDirection.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextOption>

#include <algorithm>
#include <cmath>

namespace qalam {

namespace {

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// The highlight colour sets: light and dark after Atom's One Light and One Dark, which keep every
// kind readable on its background, and high contrast (every kind at 7:1 or more on the block's
// near-black); plain code keeps the palette's text colour.
enum ColourSet { LightSet = 0, DarkSet = 1, HighContrastSet = 2 };

QColor tokenColour(CodeHighlighter::Token token, int set)
{
    using Token = CodeHighlighter::Token;
    const bool dark = set == DarkSet;
    const bool high = set == HighContrastSet;
    switch (token) {
    case Token::Keyword:
        return high   ? QColor(0xff, 0x9e, 0xff)
               : dark ? QColor(0xc6, 0x78, 0xdd)
                      : QColor(0xa6, 0x26, 0xa4);
    case Token::Type:
        return high   ? QColor(0xff, 0xd7, 0x5f)
               : dark ? QColor(0xe5, 0xc0, 0x7b)
                      : QColor(0xb7, 0x6b, 0x01);
    case Token::String:
    case Token::Added:
        if (high)
            return {0x7c, 0xff, 0x7c};
        if (token == Token::Added)
            return dark ? QColor(0x98, 0xc3, 0x79) : QColor(0x2e, 0x7d, 0x32);
        return dark ? QColor(0x98, 0xc3, 0x79) : QColor(0x50, 0xa1, 0x4f);
    case Token::Comment:
        return high   ? QColor(0xc8, 0xc8, 0xc8)
               : dark ? QColor(0x8b, 0x92, 0x9e)
                      : QColor(0x80, 0x82, 0x8a);
    case Token::Number:
        return high   ? QColor(0xff, 0xb8, 0x6c)
               : dark ? QColor(0xd1, 0x9a, 0x66)
                      : QColor(0x98, 0x68, 0x01);
    case Token::Preprocessor:
    case Token::Function:
    case Token::Heading:
        return high   ? QColor(0x80, 0xd8, 0xff)
               : dark ? QColor(0x61, 0xaf, 0xef)
                      : QColor(0x40, 0x78, 0xf2);
    case Token::Variable:
        return high   ? QColor(0xff, 0x9e, 0x9e)
               : dark ? QColor(0xe0, 0x6c, 0x75)
                      : QColor(0xe4, 0x56, 0x49);
    case Token::Symbol:
        return high   ? QColor(0x00, 0xff, 0xff)
               : dark ? QColor(0x56, 0xb6, 0xc2)
                      : QColor(0x01, 0x84, 0xbc);
    case Token::Removed:
        return high   ? QColor(0xff, 0x9e, 0x9e)
               : dark ? QColor(0xe0, 0x6c, 0x75)
                      : QColor(0xc6, 0x28, 0x28);
    }
    return {};
}

double luminance(const QColor &colour)
{
    const auto linear = [](float c) {
        return c <= 0.04045f ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) +
           0.0722 * linear(colour.blueF());
}

// Dark by the window's lightness; high contrast when the text is at 18:1 or more on the base
// (white on black; Qalam's dark palette is at about 12:1).
int colourSetOf(const QPalette &palette)
{
    if (palette.color(QPalette::Window).lightness() >= 128)
        return LightSet;
    const double text = luminance(palette.color(QPalette::Text));
    const double base = luminance(palette.color(QPalette::Base));
    return (std::max(text, base) + 0.05) / (std::min(text, base) + 0.05) >= 18.0 ? HighContrastSet
                                                                                 : DarkSet;
}

qsizetype indentOf(QStringView line)
{
    qsizetype i = 0;
    while (i < line.size() && line[i] == QLatin1Char(' '))
        ++i;
    return i;
}

} // namespace

std::optional<CodeBlock::Fence> CodeBlock::parseFence(QStringView markdown)
{
    const qsizetype firstEnd = markdown.indexOf(QLatin1Char('\n'));
    const QStringView opener = firstEnd < 0 ? markdown : markdown.first(firstEnd);
    const qsizetype indent = indentOf(opener);
    if (indent > 3 || indent >= opener.size())
        return std::nullopt;
    const QChar fenceChar = opener[indent];
    if (fenceChar != QLatin1Char('`') && fenceChar != QLatin1Char('~'))
        return std::nullopt;
    qsizetype run = indent;
    while (run < opener.size() && opener[run] == fenceChar)
        ++run;
    const qsizetype fenceLength = run - indent;
    if (fenceLength < 3)
        return std::nullopt;
    const QStringView info = opener.sliced(run).trimmed();
    if (fenceChar == QLatin1Char('`') && info.contains(QLatin1Char('`')))
        return std::nullopt; // CommonMark: not a fence but inline code

    Fence fence;
    // "python", "{.python}", "python title=x.py": the first word, without braces or a dot.
    QString language = info.toString().section(QLatin1Char(' '), 0, 0);
    language.remove(QLatin1Char('{')).remove(QLatin1Char('}'));
    if (language.startsWith(QLatin1Char('.')))
        language.remove(0, 1);
    fence.language = language;
    if (firstEnd < 0)
        return fence;

    QStringList lines;
    qsizetype start = firstEnd + 1;
    while (start <= markdown.size()) {
        qsizetype end = markdown.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = markdown.size();
        const QStringView line = markdown.sliced(start, end - start);
        const qsizetype lineIndent = indentOf(line);
        if (lineIndent <= 3 && lineIndent < line.size() && line[lineIndent] == fenceChar) {
            qsizetype n = lineIndent;
            while (n < line.size() && line[n] == fenceChar)
                ++n;
            if (n - lineIndent >= fenceLength && line.sliced(n).trimmed().isEmpty()) {
                fence.closed = true;
                break;
            }
        }
        lines.append(line.sliced(std::min(lineIndent, indent)).toString());
        if (end == markdown.size())
            break;
        start = end + 1;
    }
    fence.code = lines.join(QLatin1Char('\n'));
    return fence;
}

QFont CodeBlock::codeFont(const QFont &base)
{
    QFont font = base;
    // A monospace family first; Arabic comments and strings fall back to Noto's Arabic faces
    // (fonts-noto-core, which Qalam depends on) instead of whatever fontconfig finds first.
    font.setFamilies({QStringLiteral("Noto Sans Mono"), QStringLiteral("DejaVu Sans Mono"),
                      QStringLiteral("Liberation Mono"), QStringLiteral("monospace"),
                      QStringLiteral("Noto Sans Arabic"), QStringLiteral("Noto Naskh Arabic")});
    font.setStyleHint(QFont::Monospace);
    font.setFixedPitch(true);
    if (base.pointSizeF() > 0)
        font.setPointSizeF(base.pointSizeF() * 0.92);
    else if (base.pixelSize() > 0)
        font.setPixelSize(std::max(1, int(base.pixelSize() * 0.92)));
    font.setBold(false);
    font.setItalic(false);
    return font;
}

CodeBlock::CodeBlock(const Fence &fence, const QFont &font)
    : m_language(fence.language), m_code(fence.code), m_uiFont(font), m_font(codeFont(font)),
      m_document(std::make_unique<BlockDocument>())
{
    m_document->setDefaultFont(m_font);
    QTextOption option = m_document->defaultTextOption();
    option.setTextDirection(Qt::LeftToRight); // code reads left to right, in any answer
    option.setAlignment(Qt::AlignLeft | Qt::AlignAbsolute);
    option.setWrapMode(QTextOption::NoWrap);
    option.setTabStopDistance(QFontMetricsF(m_font).horizontalAdvance(QLatin1Char(' ')) * 4);
    m_document->setDefaultTextOption(option);
    m_document->setPlainText(m_code);
    QTextCursor cursor(m_document.get());
    cursor.select(QTextCursor::Document);
    QTextBlockFormat format;
    format.setLayoutDirection(Qt::LeftToRight);
    format.setAlignment(Qt::AlignLeft | Qt::AlignAbsolute);
    cursor.mergeBlockFormat(format);
    // Direction controls inside code are shown as marks too: the code's text stays as it came.
    if (TextDirection::containsDirectionControl(m_code))
        m_document->neutraliseDirectionControls();
    m_document->cacheShaping();
}

CodeBlock::~CodeBlock() = default;

void CodeBlock::appendCode(QStringView text)
{
    if (text.isEmpty())
        return;
    m_code.append(text);
    QTextCursor cursor(m_document.get());
    cursor.movePosition(QTextCursor::End);
    const int from = cursor.position();
    cursor.insertText(text.toString()); // new lines take the last block's (LTR) format
    if (TextDirection::containsDirectionControl(text))
        m_document->neutraliseDirectionControls(from);
    if (text.contains(QLatin1Char('\n')))
        m_document->cacheShaping();
    else
        m_document->lastBlock().layout()->setCacheEnabled(true);
}

void CodeBlock::finish()
{
    if (m_highlighted)
        return;
    m_highlighted = true;
    m_spans = CodeHighlighter::highlight(m_language, m_code);
}

void CodeBlock::finish(const QList<CodeHighlighter::Span> &spans)
{
    m_highlighted = true;
    m_spans = spans;
}

void CodeBlock::setWrap(bool wrap)
{
    if (wrap == m_wrap)
        return;
    m_wrap = wrap;
    QTextOption option = m_document->defaultTextOption();
    option.setWrapMode(wrap ? QTextOption::WrapAtWordBoundaryOrAnywhere : QTextOption::NoWrap);
    m_document->setDefaultTextOption(option);
    m_document->setTextWidth(-2); // forces a new layout at the next layout()
}

QFont CodeBlock::headerFont() const
{
    QFont font = m_uiFont;
    font.setBold(false);
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * 0.85);
    return font;
}

int CodeBlock::padding() const
{
    return std::max(6, QFontMetrics(m_font).height() / 2);
}

int CodeBlock::headerHeight() const
{
    return QFontMetrics(headerFont()).height() + 10;
}

QRect CodeBlock::codeArea(int width) const
{
    const int pad = padding();
    const int height = int(std::ceil(m_document->size().height()));
    return {pad, headerHeight() + pad / 2, std::max(1, width - 2 * pad), height};
}

QString CodeBlock::buttonText(Button button) const
{
    return button == Button::Copy ? tr("Copy") : tr("Wrap");
}

QRect CodeBlock::buttonRect(Button button, int width) const
{
    const QFontMetrics metrics(headerFont());
    const int height = headerHeight() - 6;
    const int copyWidth = metrics.horizontalAdvance(buttonText(Button::Copy)) + 16;
    const int wrapWidth = metrics.horizontalAdvance(buttonText(Button::Wrap)) + 16;
    const int right = width - 4;
    const QRect copy(right - copyWidth, 3, copyWidth, height);
    if (button == Button::Copy)
        return copy;
    return {copy.left() - 4 - wrapWidth, 3, wrapWidth, height};
}

int CodeBlock::layout(int width, bool indicator)
{
    const int inner = std::max(1, width - 2 * padding());
    const qreal textWidth = m_wrap ? qreal(inner) : -1.0;
    if (m_document->textWidth() != textWidth)
        m_document->setTextWidth(textWidth);
    const int height = int(std::ceil(m_document->size().height()));
    return headerHeight() + padding() / 2 + height + padding() + (indicator ? 6 : 0);
}

void CodeBlock::paintFrame(QPainter *painter, int width, int height, const QPalette &palette) const
{
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const QRectF frame = QRectF(0.5, 0.5, width - 1, height - 1);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(frame, 6, 6);
    painter->fillPath(path, mix(base, text, 0.045));
    // The header: a slightly deeper shade, the language on the left, the buttons on the right
    // (the block is left to right like its code, whatever the UI's direction).
    painter->save();
    painter->setClipRect(QRectF(0, 0, width, headerHeight()));
    painter->fillPath(path, mix(base, text, 0.085));
    painter->restore();
    painter->setPen(QPen(mix(base, text, 0.18), 1));
    painter->drawPath(path);
    painter->drawLine(QPointF(frame.left(), headerHeight() - 0.5),
                      QPointF(frame.right(), headerHeight() - 0.5));

    const QFont font = headerFont();
    painter->setFont(font);
    painter->setPen(palette.color(QPalette::PlaceholderText));
    const QRect labelRect(padding(), 0, width / 2, headerHeight());
    painter->drawText(labelRect, Qt::AlignVCenter | Qt::AlignLeft | Qt::AlignAbsolute,
                      QFontMetrics(font).elidedText(m_language, Qt::ElideRight, width / 2));
    for (const Button button : {Button::Wrap, Button::Copy}) {
        const QRect rect = buttonRect(button, width);
        QPainterPath pill;
        pill.addRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        const bool active = button == Button::Wrap && m_wrap;
        painter->fillPath(pill, active ? mix(base, palette.color(QPalette::Highlight), 0.25)
                                       : mix(base, text, 0.03));
        painter->setPen(QPen(mix(base, text, 0.22), 1));
        painter->drawPath(pill);
        painter->setPen(active ? text : palette.color(QPalette::PlaceholderText));
        painter->drawText(rect, Qt::AlignCenter, buttonText(button));
    }
    painter->restore();
}

bool CodeBlock::applyColours(const QPalette &palette)
{
    if (!m_highlighted || m_spans.isEmpty())
        return false;
    const int set = colourSetOf(palette);
    if (set == m_dark)
        return false;
    m_dark = set;
    applyFormats();
    return true;
}

void CodeBlock::applyFormats()
{
    // Colours only: the geometry (and so every cached height) does not depend on the theme.
    QTextCursor cursor(m_document.get());
    cursor.beginEditBlock();
    // Every fragment back to no colour, keeping the rest of its format (a direction control's
    // mark keeps what it stands for).
    // (Collected first: changing a format merges fragments under an iterator.)
    struct Coloured
    {
        int position;
        int length;
        QTextCharFormat format;
    };
    QList<Coloured> coloured;
    for (QTextBlock block = m_document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            QTextCharFormat format = it.fragment().charFormat();
            if (!format.hasProperty(QTextFormat::ForegroundBrush))
                continue;
            format.clearForeground();
            coloured.append({it.fragment().position(), it.fragment().length(), format});
        }
    }
    for (const Coloured &run : std::as_const(coloured)) {
        cursor.setPosition(run.position);
        cursor.setPosition(run.position + run.length, QTextCursor::KeepAnchor);
        cursor.setCharFormat(run.format);
    }
    const int end = m_document->characterCount() - 1;
    for (const CodeHighlighter::Span &span : std::as_const(m_spans)) {
        if (span.start >= end)
            break;
        cursor.setPosition(span.start);
        cursor.setPosition(std::min(end, span.start + span.length), QTextCursor::KeepAnchor);
        QTextCharFormat format;
        format.setForeground(tokenColour(span.token, m_dark));
        cursor.mergeCharFormat(format);
    }
    cursor.endEditBlock();
    m_document->cacheShaping();
}

} // namespace qalam
