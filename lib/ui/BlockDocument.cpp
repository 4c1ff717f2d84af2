#include "ui/BlockDocument.h"

#include "ui/CodeBlock.h"
#include "ui/DirectionControlMarks.h"
#include "ui/TextDirection.h"

#include <QFontMetrics>
#include <QGuiApplication>
#include <QHash>
#include <QPainter>
#include <QPalette>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextFrame>
#include <QTextLayout>
#include <QTextList>
#include <QTextTable>

namespace qalam {

namespace {

constexpr char16_t kLeftToRightIsolate = 0x2066;
constexpr char16_t kPopDirectionalIsolate = 0x2069;
// On a table whose columns mirrorRightToLeftTables() reversed.
constexpr int kMirroredTableProperty = QTextFormat::UserProperty + 0x2F;

bool isCodeBlock(const QTextBlock &block)
{
    const QTextBlockFormat format = block.blockFormat();
    return format.hasProperty(QTextFormat::BlockCodeFence) ||
           format.hasProperty(QTextFormat::BlockCodeLanguage) || format.nonBreakableLines();
}

// Translucent greys: the same shade reads on a light and on a dark background.
QColor shade(int alpha)
{
    return QColor(128, 128, 128, alpha);
}

bool isTableLine(QStringView line)
{
    return line.trimmed().startsWith(QLatin1Char('|'));
}

// The cells of a table row, split at pipes that are neither escaped nor inside a code span.
QStringList tableCells(QStringView line)
{
    QStringView text = line.trimmed();
    if (text.startsWith(QLatin1Char('|')))
        text = text.sliced(1);
    if (text.endsWith(QLatin1Char('|')) && !text.endsWith(u"\\|"))
        text.chop(1);
    QStringList cells;
    QString cell;
    bool inCode = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            cell += c;
            cell += text[++i];
            continue;
        }
        if (c == QLatin1Char('`'))
            inCode = !inCode;
        if (c == QLatin1Char('|') && !inCode) {
            cells.append(cell);
            cell.clear();
            continue;
        }
        cell += c;
    }
    cells.append(cell);
    return cells;
}

// A numbered list item, whose marker BlockDocument draws itself.
bool isNumberedItem(const QTextBlock &block)
{
    const QTextList *list = block.textList();
    return list && list->format().style() == QTextListFormat::ListDecimal;
}

Qt::Alignment alignmentFor(const QTextBlockFormat &format, Qt::LayoutDirection direction)
{
    const Qt::Alignment alignment = format.alignment();
    const Qt::Alignment horizontal = alignment & Qt::AlignHorizontal_Mask;
    // A table column centred or right-aligned by the Markdown (":---:", "---:") keeps it, on
    // the right as in HTML (align="right" is physical), so a column of numbers lines up
    // whatever each cell's direction. (The alignments set here are absolute, the Markdown's
    // not: a block laid out again gets its direction's.)
    if (format.hasProperty(QTextFormat::BlockAlignment) && !(alignment & Qt::AlignAbsolute) &&
        horizontal & (Qt::AlignHCenter | Qt::AlignJustify | Qt::AlignRight))
        return alignment | Qt::AlignAbsolute;
    return (direction == Qt::RightToLeft ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignAbsolute |
           (alignment & Qt::AlignVertical_Mask);
}

// Inline code of a block, each run of code (adjacent code fragments) as one range.
QList<TextDirection::Range> codeRanges(const QTextBlock &block)
{
    QList<TextDirection::Range> ranges;
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextFragment fragment = it.fragment();
        if (!fragment.charFormat().fontFixedPitch())
            continue;
        const qsizetype start = fragment.position() - block.position();
        if (!ranges.isEmpty() && ranges.last().end() == start)
            ranges.last().length += fragment.length();
        else
            ranges.append({start, fragment.length()});
    }
    return ranges;
}

// Bold and italic runs of a block (see TextDirection::count()).
QList<TextDirection::Range> emphasisRanges(const QTextBlock &block)
{
    QList<TextDirection::Range> ranges;
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextFragment fragment = it.fragment();
        const QTextCharFormat format = fragment.charFormat();
        if (format.fontFixedPitch() ||
            (format.fontWeight() <= QFont::Normal && !format.fontItalic()))
            continue;
        ranges.append({fragment.position() - block.position(), fragment.length()});
    }
    return ranges;
}

QTextTable *tableOf(const QTextBlock &block)
{
    return QTextCursor(block).currentTable();
}

double headingScale(int level)
{
    switch (level) {
    case 1:
        return 1.3;
    case 2:
        return 1.2;
    case 3:
        return 1.1;
    default:
        return 1.0;
    }
}

} // namespace

BlockDocument::BlockDocument(QObject *parent) : QTextDocument(parent)
{
    setDocumentMargin(0);
    setUndoRedoEnabled(false);
}

QTextDocument::MarkdownFeatures BlockDocument::markdownFeatures()
{
    return QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub |
                                           QTextDocument::MarkdownNoHTML);
}

void BlockDocument::setMarkdownSource(const QString &markdown, Qt::LayoutDirection context)
{
    const bool hasTable = markdown.contains(QLatin1Char('|'));
    // A table keeps its words whole and grows wider than the column when it must (the view
    // scrolls it sideways) instead of breaking words in the middle.
    QTextOption option = defaultTextOption();
    option.setWrapMode(hasTable ? QTextOption::WordWrap
                                : QTextOption::WrapAtWordBoundaryOrAnywhere);
    setDefaultTextOption(option);
    m_mirroredTables.clear();
    setMarkdown(hasTable ? mirrorRightToLeftTables(markdown, &m_mirroredTables) : markdown,
                markdownFeatures());
    if (TextDirection::containsDirectionControl(markdown))
        neutraliseDirectionControls(); // before the isolates of applyDirections() exist
    applyDirections(context);
    applyChatStyle();
    cacheShaping();
}

void BlockDocument::setPlainTextSource(const QString &text, Qt::LayoutDirection context)
{
    m_context = context;
    setPlainText(text);
    if (TextDirection::containsDirectionControl(text))
        neutraliseDirectionControls();
    applyPlainTextDirections(begin());
    cacheShaping();
}

void BlockDocument::appendPlainText(QStringView text)
{
    const int from = characterCount() - 1;
    QTextCursor cursor(this);
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text.toString());
    if (TextDirection::containsDirectionControl(text))
        neutraliseDirectionControls(from);
    applyPlainTextDirections(findBlock(from));
    cacheShaping(); // a newline in the text made a new block
}

int BlockDocument::neutraliseDirectionControls(int from)
{
    return DirectionControlMarks::neutralise(this, from);
}

void BlockDocument::applyPlainTextDirections(const QTextBlock &from)
{
    // A line without letters reads like the line before it (what a person typed has no lists
    // or tables to take a direction from).
    Qt::LayoutDirection previous =
        m_context != Qt::LayoutDirectionAuto ? m_context : QGuiApplication::layoutDirection();
    if (from.previous().isValid())
        previous = from.previous().textDirection();
    QTextCursor cursor(this);
    for (QTextBlock block = from; block.isValid(); block = block.next()) {
        const QString text = block.text();
        const auto runs = TextDirection::leftToRightRuns(text);
        Qt::LayoutDirection direction = TextDirection::count(text, runs).direction();
        if (direction == Qt::LayoutDirectionAuto)
            direction = previous;
        previous = direction;
        QTextBlockFormat format = block.blockFormat();
        if (format.layoutDirection() == direction &&
            format.alignment() == alignmentFor(format, direction))
            continue;
        format.setLayoutDirection(direction);
        format.setAlignment(alignmentFor(format, direction));
        cursor.setPosition(block.position());
        cursor.setBlockFormat(format);
    }
    m_direction = begin().textDirection();
}

QString BlockDocument::mirrorRightToLeftTables(const QString &markdown, QList<bool> *mirrored)
{
    QStringList lines = markdown.split(QLatin1Char('\n'));
    bool changed = false;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        if (!isTableLine(lines[i]) || !lines[i + 1].contains(QLatin1Char('-')) ||
            !isTableLine(lines[i + 1]))
            continue;
        qsizetype end = i;
        while (end < lines.size() && isTableLine(lines[end]))
            ++end;
        const bool rtl = TextDirection::ofMarkdown(lines.mid(i, end - i).join(QLatin1Char('\n'))) ==
                         Qt::RightToLeft;
        if (mirrored)
            mirrored->append(rtl);
        if (rtl) {
            for (qsizetype row = i; row < end; ++row) {
                QStringList cells = tableCells(lines[row]);
                std::reverse(cells.begin(), cells.end());
                lines[row] = QLatin1Char('|') + cells.join(QLatin1Char('|')) + QLatin1Char('|');
            }
            changed = true;
        }
        i = end - 1;
    }
    return changed ? lines.join(QLatin1Char('\n')) : markdown;
}

void BlockDocument::applyChatStyle()
{
    const QFont base = defaultFont();
    const double baseSize = base.pointSizeF() > 0 ? base.pointSizeF() : 10.0;
    const QFont code = CodeBlock::codeFont(base);
    QTextCursor cursor(this);
    cursor.beginEditBlock();
    for (QTextBlock block = begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat blockFormat = block.blockFormat();
        const int quoteLevel = blockFormat.property(QTextFormat::BlockQuoteLevel).toInt();
        if (const int level = blockFormat.headingLevel(); level > 0) {
            // Chat scale: a heading leads a part of an answer, it does not title a document.
            QTextCharFormat heading;
            heading.setProperty(QTextFormat::FontSizeAdjustment, 0);
            heading.setFontPointSize(baseSize * headingScale(level));
            heading.setFontWeight(QFont::Bold);
            cursor.setPosition(block.position());
            cursor.setPosition(block.position() + block.length() - 1, QTextCursor::KeepAnchor);
            cursor.mergeCharFormat(heading);
            cursor.mergeBlockCharFormat(heading);
            blockFormat.setTopMargin(QFontMetrics(base).height() * 0.4);
            blockFormat.setBottomMargin(QFontMetrics(base).height() * 0.2);
            cursor.setBlockFormat(blockFormat);
        } else if (quoteLevel > 0) {
            const bool rtl = block.textDirection() == Qt::RightToLeft;
            const int margin = kQuoteIndent * quoteLevel;
            blockFormat.setLeftMargin(rtl ? 0 : margin);
            blockFormat.setRightMargin(rtl ? margin : 0);
            cursor.setPosition(block.position());
            cursor.setBlockFormat(blockFormat);
        } else if (isCodeBlock(block)) {
            // Code inside a list item or a quote (top-level fences are CodeBlocks).
            blockFormat.setBackground(shade(28));
            cursor.setPosition(block.position());
            cursor.setBlockFormat(blockFormat);
            cursor.setPosition(block.position() + block.length() - 1, QTextCursor::KeepAnchor);
            QTextCharFormat format;
            format.setFontFamilies(code.families());
            cursor.mergeCharFormat(format);
            continue;
        }
        // Inline code: a shaded monospace run.
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().fontFixedPitch())
                continue;
            QTextCharFormat format;
            format.setFontFamilies(code.families());
            format.setBackground(shade(45));
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.mergeCharFormat(format);
        }
    }
    const QList<QTextFrame *> frames = rootFrame()->childFrames();
    for (QTextFrame *frame : frames) {
        auto *table = qobject_cast<QTextTable *>(frame);
        if (!table)
            continue;
        QTextTableFormat format = table->format();
        format.setBorderCollapse(true); // one line between two cells, not two
        format.setBorder(1);
        format.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
        format.setBorderBrush(shade(110));
        format.setCellSpacing(0);
        format.setCellPadding(6);
        format.setMargin(2);
        // The header row: a shade of its own (Markdown tables always have one).
        table->setFormat(format);
        for (int column = 0; column < table->columns(); ++column) {
            QTextTableCell cell = table->cellAt(0, column);
            if (!cell.isValid())
                continue;
            QTextTableCellFormat cellFormat = cell.format().toTableCellFormat();
            cellFormat.setBackground(shade(38));
            cell.setFormat(cellFormat);
        }
    }
    cursor.endEditBlock();
}

void BlockDocument::cacheShaping()
{
    // Shaping (HarfBuzz for Arabic, and a PNG decoded per glyph for colour emoji) was most of
    // the cost of painting a chat view: without the cache every paint shapes every visible line
    // again, 30 to 60 times a second while an answer streams. Editing a block still invalidates
    // its layout, so the cache never shows stale glyphs.
    for (QTextBlock block = begin(); block.isValid(); block = block.next())
        block.layout()->setCacheEnabled(true);
}

QVariant BlockDocument::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(type);
    Q_UNUSED(name);
    return {}; // never fetch: not from the network, not from disk
}

QString BlockDocument::stripIsolates(QString text)
{
    text.remove(QChar(kLeftToRightIsolate));
    text.remove(QChar(kPopDirectionalIsolate));
    return text;
}

QString BlockDocument::plainText(int from, int to) const
{
    from = std::clamp(from, 0, characterCount() - 1);
    to = std::clamp(to, 0, characterCount() - 1);
    // The part of one block in [from, to), as it arrived.
    const auto blockText = [from, to](const QTextBlock &block) {
        QString text;
        const int blockEnd = block.position() + block.length() - 1;
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const int start = std::max(from, fragment.position());
            const int end = std::min({to, blockEnd, fragment.position() + fragment.length()});
            if (start >= end)
                continue;
            const QString part = fragment.text().mid(start - fragment.position(), end - start);
            if (const auto control = DirectionControlMarks::original(fragment.charFormat())) {
                text += QString(part.size(), QChar(char16_t(*control))); // adjacent marks
                continue;
            }
            for (const QChar c : part) {
                // Images (never loaded) and the isolates added for display are not text.
                if (c != QChar::ObjectReplacementCharacter && c != QChar(kLeftToRightIsolate) &&
                    c != QChar(kPopDirectionalIsolate))
                    text += c == QChar::LineSeparator ? QChar(QLatin1Char('\n')) : c;
            }
        }
        return text;
    };
    // Blocks on lines; a table's cells in a row separated by tabs, in the source's order.
    QString text;
    bool started = false;
    QStringList row;
    const QTextTable *rowTable = nullptr;
    int rowIndex = -1;
    const auto flushRow = [&]() {
        if (!rowTable)
            return;
        if (rowTable->format().boolProperty(kMirroredTableProperty))
            std::reverse(row.begin(), row.end());
        if (started)
            text += QLatin1Char('\n');
        text += row.join(QLatin1Char('\t'));
        started = true;
        row.clear();
        rowTable = nullptr;
    };
    for (QTextBlock block = findBlock(from); block.isValid() && block.position() <= to;
         block = block.next()) {
        if (const QTextTable *table = tableOf(block)) {
            const QTextTableCell cell = table->cellAt(block.position());
            if (table != rowTable || cell.row() != rowIndex) {
                flushRow();
                rowTable = table;
                rowIndex = cell.row();
            }
            if (cell.firstPosition() == block.position() || row.isEmpty())
                row.append(blockText(block));
            else
                row.last() += QLatin1Char('\n') + blockText(block);
            continue;
        }
        flushRow();
        // The empty blocks Qt keeps before and after a table are not lines of the answer.
        if (block.length() == 1 && (tableOf(block.next()) || tableOf(block.previous())))
            continue;
        if (started)
            text += QLatin1Char('\n');
        text += blockText(block);
        started = true;
    }
    flushRow();
    return text;
}

void BlockDocument::applyDirections(Qt::LayoutDirection context)
{
    m_numberedItems = false;
    struct Paragraph
    {
        QTextBlock block;
        Qt::LayoutDirection direction;
        QList<TextDirection::Range> isolates;
    };
    std::vector<Paragraph> paragraphs;
    TextDirection::Counts whole;
    QHash<const QTextObject *, TextDirection::Counts> groups;  // lists and tables
    QHash<const QTextObject *, TextDirection::Counts> headers; // tables' header rows
    QList<const QTextTable *> tables;                          // in document order
    QTextCursor cursor(this);
    for (QTextBlock block = begin(); block.isValid(); block = block.next()) {
        if (isCodeBlock(block)) {
            QTextBlockFormat format = block.blockFormat();
            format.setLayoutDirection(Qt::LeftToRight);
            format.setAlignment(Qt::AlignLeft | Qt::AlignAbsolute);
            cursor.setPosition(block.position());
            cursor.setBlockFormat(format);
            continue;
        }
        // Inline code and left-to-right runs are isolated, and not counted.
        const QString text = block.text();
        QList<TextDirection::Range> ranges = codeRanges(block);
        const qsizetype codeCount = ranges.size();
        const QList<TextDirection::Range> runs = TextDirection::leftToRightRuns(text);
        for (const TextDirection::Range &run : runs) {
            const bool insideCode =
                std::any_of(ranges.cbegin(), ranges.cbegin() + codeCount, [&run](const auto &r) {
                    return run.start >= r.start && run.start < r.end();
                });
            if (!insideCode)
                ranges.append(run);
        }
        const TextDirection::Counts counts =
            TextDirection::count(text, ranges, emphasisRanges(block));
        if (!tableOf(block))
            whole += counts; // a table counts as its header, below
        if (const QTextList *list = block.textList())
            groups[list] += counts;
        if (const QTextTable *table = tableOf(block)) {
            if (!groups.contains(table))
                tables.append(table);
            groups[table] += counts;
            if (table->cellAt(block.position()).row() == 0)
                headers[table] += counts;
        }
        paragraphs.push_back({block, counts.direction(), ranges});
    }
    for (const QTextTable *table : std::as_const(tables)) {
        const TextDirection::Counts header = headers.value(table);
        whole += header.direction() != Qt::LayoutDirectionAuto ? header : groups.value(table);
    }
    // Without letters: the list's or table's direction, the document's, the message's, the UI's.
    m_direction = whole.direction();
    if (m_direction == Qt::LayoutDirectionAuto)
        m_direction =
            context != Qt::LayoutDirectionAuto ? context : QGuiApplication::layoutDirection();
    // (A table's is its header's, as in mirrorRightToLeftTables().)
    const auto groupDirection = [&groups, &headers, this](const QTextObject *group) {
        Qt::LayoutDirection direction =
            group ? headers.value(group).direction() : Qt::LayoutDirectionAuto;
        if (direction == Qt::LayoutDirectionAuto && group)
            direction = groups.value(group).direction();
        return direction == Qt::LayoutDirectionAuto ? m_direction : direction;
    };
    for (Paragraph &paragraph : paragraphs) {
        const QTextBlock &block = paragraph.block;
        const QTextObject *group = block.textList();
        if (!group)
            group = tableOf(block);
        const Qt::LayoutDirection direction = paragraph.direction == Qt::LayoutDirectionAuto
                                                  ? groupDirection(group)
                                                  : paragraph.direction;
        QTextBlockFormat format = block.blockFormat();
        format.setLayoutDirection(direction);
        format.setAlignment(alignmentFor(format, direction));
        if (isNumberedItem(block)) { // drawn by paintListMarkers()
            format.setProperty(QTextFormat::ListStyle, int(QTextListFormat::ListStyleUndefined));
            m_numberedItems = true;
        }
        cursor.setPosition(block.position());
        cursor.setBlockFormat(format);
        // Isolates, last first so that earlier positions stay valid.
        std::sort(paragraph.isolates.begin(), paragraph.isolates.end(),
                  [](const auto &a, const auto &b) { return a.start > b.start; });
        for (const TextDirection::Range &range : std::as_const(paragraph.isolates)) {
            cursor.setPosition(block.position() + int(range.end()));
            cursor.insertText(QString(QChar(kPopDirectionalIsolate)));
            cursor.setPosition(block.position() + int(range.start));
            cursor.insertText(QString(QChar(kLeftToRightIsolate)));
        }
    }
    // A right-to-left table, mirrored by mirrorRightToLeftTables(), sits on the right.
    QList<QTextTable *> topLevel;
    for (QTextFrame *frame : rootFrame()->childFrames()) {
        if (auto *table = qobject_cast<QTextTable *>(frame))
            topLevel.append(table);
    }
    for (qsizetype i = 0; i < topLevel.size(); ++i) {
        QTextTable *table = topLevel[i];
        const bool mirrored = topLevel.size() == m_mirroredTables.size()
                                  ? m_mirroredTables[i]
                                  : groupDirection(table) == Qt::RightToLeft;
        if (!mirrored)
            continue;
        QTextTableFormat format = table->format();
        format.setAlignment(Qt::AlignRight | Qt::AlignAbsolute);
        format.setProperty(kMirroredTableProperty, true);
        table->setFormat(format);
    }
}

std::optional<BlockDocument::ListMarker> BlockDocument::listMarker(const QTextBlock &block) const
{
    if (!isNumberedItem(block) || !block.layout() || block.layout()->lineCount() == 0)
        return std::nullopt;
    const QTextList *list = block.textList();
    const QTextListFormat format = list->format();
    ListMarker marker;
    marker.direction = block.textDirection();
    // In logical order: "1." laid out right to left shows the number at the right, as Arabic
    // reads it (Qt's own marker swaps prefix and suffix for right-to-left items, then lays the
    // text out right to left too, and so shows "1." reversed).
    marker.text = format.numberPrefix() + QString::number(list->itemNumber(block) + 1) +
                  format.numberSuffix();
    const QFontMetricsF metrics(block.charFormat().font());
    const QTextLayout *layout = block.layout();
    const QTextLine first = layout->lineAt(0);
    const QRectF text = first.naturalTextRect().translated(layout->position());
    const qreal width = metrics.horizontalAdvance(marker.text);
    const qreal space = metrics.horizontalAdvance(QLatin1Char(' '));
    const qreal x =
        marker.direction == Qt::RightToLeft ? text.right() + space : text.left() - space - width;
    // On the line's baseline: an Arabic line is taller than the marker's digits.
    marker.rect =
        QRectF(x, text.top() + first.ascent() - metrics.ascent(), width, metrics.height());
    return marker;
}

void BlockDocument::paintListMarkers(QPainter *painter, const QPalette &palette, int selectionStart,
                                     int selectionEnd) const
{
    if (!m_numberedItems)
        return; // most documents (and every code block): nothing to walk on every paint
    for (QTextBlock block = begin(); block.isValid(); block = block.next()) {
        const auto marker = listMarker(block);
        if (!marker)
            continue;
        const bool selected = selectionStart <= block.position() && block.position() < selectionEnd;
        QTextLayout layout(marker->text, block.charFormat().font());
        QTextOption option(Qt::AlignLeft | Qt::AlignAbsolute);
        option.setTextDirection(marker->direction);
        layout.setTextOption(option);
        layout.beginLayout();
        layout.createLine();
        layout.endLayout();
        painter->save();
        if (selected)
            painter->fillRect(marker->rect, palette.highlight());
        const QBrush foreground = block.charFormat().foreground();
        painter->setPen(selected ? palette.color(QPalette::HighlightedText)
                        : foreground.style() != Qt::NoBrush ? foreground.color()
                                                            : palette.color(QPalette::Text));
        layout.draw(painter, marker->rect.topLeft());
        painter->restore();
    }
}

} // namespace qalam
