#include "ui/BlockDocument.h"

#include "ui/CodeBlock.h"
#include "ui/DirectionControlMarks.h"
#include "ui/TextDirection.h"

#include <QFontMetrics>
#include <QGuiApplication>
#include <QHash>
#include <QPainter>
#include <QPalette>
#include <QPointer>
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
// After an isolate that continues a left-to-right run in a right-to-left paragraph (see
// applyDirections()). Direction controls from the server are shown as marks, never kept as
// characters (DirectionControlMarks), so every one in the document is Qalam's own.
constexpr char16_t kLeftToRightMark = 0x200E;

bool isDisplayControl(QChar c)
{
    return c == QChar(kLeftToRightIsolate) || c == QChar(kPopDirectionalIsolate) ||
           c == QChar(kLeftToRightMark);
}
// On a table whose columns mirrorRightToLeftTables() reversed.
constexpr int kMirroredTableProperty = QTextFormat::UserProperty + 0x2F;
// On a block that continues the paragraph of the block before it (appendToLastParagraph()).
constexpr int kContinuationProperty = QTextFormat::UserProperty + 0x30;
// A streaming paragraph is cut once its last block is this long, keeping about kKeptTail
// characters of it in the block that grows.
constexpr int kCutLength = 1500;
constexpr int kKeptTail = 400;

// The bidi class of the last strong character before `position` (L, R or AL), or ON.
QChar::Direction previousStrongDirection(QStringView text, qsizetype position)
{
    for (qsizetype i = std::min(position, text.size()) - 1; i >= 0; --i) {
        char32_t c = text[i].unicode();
        if (text[i].isLowSurrogate() && i > 0 && text[i - 1].isHighSurrogate()) {
            c = QChar::surrogateToUcs4(text[i - 1], text[i]);
            --i;
        }
        const QChar::Direction direction = QChar::direction(c);
        if (direction == QChar::DirL || direction == QChar::DirR || direction == QChar::DirAL)
            return direction;
    }
    return QChar::DirON;
}

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

bool isBulleted(const QTextList *list)
{
    const QTextListFormat::Style style = list->format().style();
    return style == QTextListFormat::ListDisc || style == QTextListFormat::ListCircle ||
           style == QTextListFormat::ListSquare;
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
    // Edit blocks: outside one, every insertText() of the Markdown importer and of the isolates
    // below updates the cursor's x position, which itemizes the whole paragraph again, so a long
    // paragraph cost its length squared (325 ms at 32k chars). Two of them, since Qt finds a
    // new table's frame only when the edit block that made it ends.
    QTextCursor edit(this);
    edit.beginEditBlock();
    setMarkdown(hasTable ? mirrorRightToLeftTables(markdown, &m_mirroredTables) : markdown,
                markdownFeatures());
    edit.endEditBlock();
    if (TextDirection::containsDirectionControl(markdown))
        neutraliseDirectionControls(); // before the isolates of applyDirections() exist
    edit.beginEditBlock();
    applyDirections(context);
    applyChatStyle();
    edit.endEditBlock();
    cacheShaping();
}

void BlockDocument::setPlainTextSource(const QString &text, Qt::LayoutDirection context)
{
    m_context = context;
    QTextCursor edit(this); // see setMarkdownSource()
    edit.beginEditBlock();
    setPlainText(text);
    if (TextDirection::containsDirectionControl(text))
        neutraliseDirectionControls();
    applyPlainTextDirections(begin());
    edit.endEditBlock();
    cacheShaping();
}

void BlockDocument::appendPlainText(QStringView text)
{
    const int from = characterCount() - 1;
    QTextCursor cursor(this);
    cursor.beginEditBlock(); // see setMarkdownSource()
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text.toString());
    if (TextDirection::containsDirectionControl(text))
        neutraliseDirectionControls(from);
    applyPlainTextDirections(findBlock(from));
    cursor.endEditBlock();
    cacheShaping(); // a newline in the text made a new block
}

bool BlockDocument::endTakesText() const
{
    const QTextBlock last = lastBlock();
    if (last.length() <= 1 || isCodeBlock(last) || tableOf(last))
        return false;
    const QChar c = characterAt(characterCount() - 2);
    if (isDisplayControl(c) || c == QChar::ObjectReplacementCharacter ||
        c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
        return false;
    QTextCursor cursor(const_cast<BlockDocument *>(this));
    cursor.movePosition(QTextCursor::End);
    const QTextCharFormat format = cursor.charFormat();
    return !format.isAnchor() && !format.fontFixedPitch() && !format.isImageFormat();
}

bool BlockDocument::appendToLastParagraph(QStringView text)
{
    if (!endTakesText() || m_borrowedDirections)
        return false;
    if (text.isEmpty())
        return true;
    cutLongLastParagraph();
    QTextCursor cursor(this);
    cursor.movePosition(QTextCursor::End);
    const QTextCharFormat format = cursor.charFormat();
    const bool emphasis = format.fontWeight() > QFont::Normal || format.fontItalic();
    // The paragraph's direction with the new words, as applyDirections() would find it.
    const Qt::LayoutDirection direction = paragraphDirection(lastBlock(), text, emphasis);
    if (direction == Qt::LayoutDirectionAuto)
        return false; // no letters yet: it reads like its list or document
    // Which isolates need a mark after them depends on the paragraph's direction
    // (applyDirections()): a paragraph that turns around with isolates in it is built again.
    if (direction != lastBlock().blockFormat().layoutDirection()) {
        for (QTextBlock block = lastBlock(); block.isValid(); block = block.previous()) {
            if (block.text().contains(QChar(kPopDirectionalIsolate)))
                return false;
            if (!block.blockFormat().boolProperty(kContinuationProperty))
                break;
        }
    }
    cursor.beginEditBlock(); // see setMarkdownSource()
    cursor.insertText(text.toString(), format);
    for (QTextBlock block = lastBlock(); block.isValid(); block = block.previous()) {
        setBlockDirection(block, direction);
        if (!block.blockFormat().boolProperty(kContinuationProperty))
            break;
    }
    cursor.endEditBlock();
    lastBlock().layout()->setCacheEnabled(true);
    return true;
}

Qt::LayoutDirection BlockDocument::paragraphDirection(const QTextBlock &last, QStringView appended,
                                                      bool emphasis) const
{
    QTextBlock first = last;
    while (first.isValid() && first.blockFormat().boolProperty(kContinuationProperty) &&
           first.previous().isValid())
        first = first.previous();
    QString text;
    QList<TextDirection::Range> ranges;
    QList<TextDirection::Range> emphasised;
    for (QTextBlock block = first; block.isValid(); block = block.next()) {
        const qsizetype base = text.size();
        for (const TextDirection::Range &range : codeRanges(block))
            ranges.append({base + range.start, range.length});
        for (const TextDirection::Range &range : emphasisRanges(block))
            emphasised.append({base + range.start, range.length});
        text += block.text();
        if (block == last)
            break;
    }
    if (emphasis)
        emphasised.append({text.size(), appended.size()});
    text += appended;
    // The isolates added for display were not there when the paragraph was counted.
    text.replace(QChar(kLeftToRightIsolate), QLatin1Char(' '));
    text.replace(QChar(kPopDirectionalIsolate), QLatin1Char(' '));
    text.replace(QChar(kLeftToRightMark), QLatin1Char(' '));
    const qsizetype codeCount = ranges.size();
    for (const TextDirection::Range &run : TextDirection::leftToRightRuns(text)) {
        const bool insideCode =
            std::any_of(ranges.cbegin(), ranges.cbegin() + codeCount, [&run](const auto &r) {
                return run.start >= r.start && run.start < r.end();
            });
        if (!insideCode)
            ranges.append(run);
    }
    return TextDirection::count(text, ranges, emphasised).direction();
}

void BlockDocument::setBlockDirection(const QTextBlock &block, Qt::LayoutDirection direction)
{
    QTextBlockFormat format = block.blockFormat();
    if (format.layoutDirection() == direction &&
        format.alignment() == alignmentFor(format, direction))
        return;
    format.setLayoutDirection(direction);
    format.setAlignment(alignmentFor(format, direction));
    QTextCursor cursor(this);
    cursor.setPosition(block.position());
    cursor.setBlockFormat(format);
}

namespace {

// The char formats of [from, from + length) of a block, positions relative to `from`.
QList<QTextLayout::FormatRange> formatsOf(const QTextBlock &block, int from, int length)
{
    QList<QTextLayout::FormatRange> ranges;
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextFragment fragment = it.fragment();
        const int start = std::max(from, fragment.position() - block.position());
        const int end =
            std::min(from + length, fragment.position() - block.position() + fragment.length());
        if (start >= end)
            continue;
        if (!ranges.isEmpty() && ranges.last().format == fragment.charFormat() &&
            ranges.last().start + ranges.last().length == start - from) {
            ranges.last().length += end - start;
            continue;
        }
        ranges.append({start - from, end - start, fragment.charFormat()});
    }
    return ranges;
}

// A block format without what streaming changes on its own: the margins of a cut paragraph,
// the list object (another document's), and the cut marker.
QTextBlockFormat comparable(QTextBlockFormat format)
{
    format.clearProperty(QTextFormat::BlockTopMargin);
    format.clearProperty(QTextFormat::BlockBottomMargin);
    format.clearProperty(QTextFormat::ObjectIndex);
    format.clearProperty(kContinuationProperty);
    return format;
}

bool sameList(const QTextBlock &a, const QTextBlock &b)
{
    const QTextList *x = a.textList();
    const QTextList *y = b.textList();
    if (!x || !y)
        return !x && !y;
    return x->format().style() == y->format().style() &&
           x->format().indent() == y->format().indent();
}

} // namespace

bool BlockDocument::takeChangedEnd(const BlockDocument &fresh)
{
    if (!rootFrame()->childFrames().isEmpty() || !fresh.rootFrame()->childFrames().isEmpty() ||
        defaultTextOption().wrapMode() != fresh.defaultTextOption().wrapMode())
        return false; // tables
    cutLongLastParagraph();
    // Pair the blocks: a cut paragraph's blocks are parts of one block of `fresh`.
    QTextBlock old = begin();
    QTextBlock counterpart = fresh.begin();
    int offset = 0; // where `old` starts in `counterpart`
    QString counterpartText = counterpart.text();
    while (old != lastBlock()) {
        const int length = old.length() - 1;
        const bool continued = old.next().blockFormat().boolProperty(kContinuationProperty);
        if (QStringView(counterpartText).mid(offset, length) != old.text() ||
            (!continued && counterpart.length() - 1 != offset + length) ||
            comparable(old.blockFormat()) != comparable(counterpart.blockFormat()) ||
            !sameList(old, counterpart) ||
            formatsOf(old, 0, length) != formatsOf(counterpart, offset, length))
            break;
        old = old.next();
        if (continued) {
            offset += length;
        } else {
            counterpart = counterpart.next();
            offset = 0;
            if (!counterpart.isValid())
                return false; // `fresh` has fewer blocks: not a change at the end
            counterpartText = counterpart.text();
        }
    }
    // From `old` on, `fresh` replaces this document. Lists continue this document's list (so
    // its numbering goes on), which only works for items of one top-level list.
    QTextList *list = old.textList() ? old.textList() : old.previous().textList();
    const QTextList *freshList =
        counterpart.textList() ? counterpart.textList() : counterpart.previous().textList();
    for (QTextBlock block = counterpart; block.isValid(); block = block.next()) {
        if (block.textList() && (block.textList() != freshList || !list ||
                                 list->format().style() != freshList->format().style() ||
                                 freshList->format().indent() != 1))
            return false;
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            if (it.fragment().charFormat().isImageFormat() ||
                DirectionControlMarks::original(it.fragment().charFormat()).has_value())
                return false;
        }
    }
    if (offset > 0 && comparable(old.blockFormat()) != comparable(counterpart.blockFormat()))
        return false;
    // Numbered items join the list (its numbers go on); bulleted ones a new list of the same
    // look, since every item added to a list makes Qt lay out all of that list again.
    // (A list whose last item leaves it is deleted: hold it weakly, and its format by value.)
    const bool numbered = list && !isBulleted(list);
    const QTextListFormat listFormat = list ? list->format() : QTextListFormat();
    QPointer<QTextList> target = numbered ? list : nullptr;
    QTextCursor cursor(this);
    cursor.beginEditBlock();
    cursor.setPosition(old.position());
    cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    for (QTextBlock block = counterpart; block.isValid(); block = block.next()) {
        const bool first = block == counterpart;
        const bool item = block.textList() != nullptr;
        QTextBlockFormat format = block.blockFormat();
        format.clearProperty(QTextFormat::ObjectIndex);
        if (item && target)
            format.setObjectIndex(target->objectIndex());
        if (first && offset == 0 && item && old.textList() && !numbered)
            format.setObjectIndex(old.textList()->objectIndex()); // stays where it is
        if (!first)
            cursor.insertBlock(format, block.charFormat());
        else if (offset == 0)
            cursor.setBlockFormat(format); // a cut paragraph's part keeps its own
        if (item && !cursor.block().textList())
            target = cursor.createList(listFormat);
        const int from = first ? offset : 0;
        for (const QTextLayout::FormatRange &range :
             formatsOf(block, from, block.length() - 1 - from))
            cursor.insertText(block.text().mid(from + range.start, range.length), range.format);
    }
    cursor.endEditBlock();
    m_direction = fresh.m_direction;
    m_numberedItems = fresh.m_numberedItems;
    m_borrowedDirections = fresh.m_borrowedDirections;
    for (QTextBlock block = findBlock(old.position()); block.isValid(); block = block.next())
        block.layout()->setCacheEnabled(true);
    return true;
}

void BlockDocument::cutLongLastParagraph()
{
    // Appending to a paragraph lays all of it out again (Qt shapes and breaks a block as a
    // whole): cut it where its laid-out lines already break, so the lines before stay as they
    // are. Only a plain paragraph (no list item: a cut would draw a second marker) that was laid
    // out, and only between the isolates' pairs.
    const QTextBlock last = lastBlock();
    const QTextLayout *layout = last.layout();
    if (last.length() < kCutLength || last.textList() || !layout || layout->lineCount() < 3)
        return;
    const QTextLine line = layout->lineForTextPosition(last.length() - 1 - kKeptTail);
    if (!line.isValid() || line.lineNumber() == 0)
        return;
    const int cut = line.textStart();
    const QString text = last.text();
    if (cut <= 0 || cut >= text.size() || !text.at(cut - 1).isSpace())
        return; // a line broken inside a word: a cut there would change the shaping
    if (text.first(cut).count(QChar(kLeftToRightIsolate)) !=
        text.first(cut).count(QChar(kPopDirectionalIsolate)))
        return;
    QTextBlockFormat before = last.blockFormat();
    QTextBlockFormat after = before;
    before.setBottomMargin(0);
    after.setTopMargin(0);
    after.setProperty(kContinuationProperty, true);
    QTextCursor cursor(this);
    cursor.beginEditBlock();
    cursor.setPosition(last.position());
    cursor.setBlockFormat(before);
    cursor.setPosition(last.position() + cut);
    cursor.insertBlock(after, cursor.charFormat());
    cursor.endEditBlock();
    lastBlock().previous().layout()->setCacheEnabled(true);
    lastBlock().layout()->setCacheEnabled(true);
}

bool BlockDocument::appendListItem(QStringView text)
{
    const QTextBlock last = lastBlock();
    const QTextList *list = last.textList();
    if (!list || list->format().indent() != 1 || tableOf(last) || isCodeBlock(last) ||
        !isBulleted(list))
        return false;
    if (m_borrowedDirections)
        return false;
    // Its own words' direction; without words it would read like its list: parsed again.
    const Qt::LayoutDirection direction = paragraphDirection(QTextBlock(), text, false);
    if (direction == Qt::LayoutDirectionAuto)
        return false;
    const QTextBlock previousItem = list->item(list->count() - 1);
    QTextBlockFormat format = previousItem.blockFormat();
    format.clearProperty(QTextFormat::ObjectIndex);
    QTextCursor cursor(this);
    cursor.beginEditBlock();
    cursor.movePosition(QTextCursor::End);
    // A list of its own with the same look: an item added to a list makes Qt lay out all of
    // that list's items again.
    cursor.insertBlock(format, QTextCharFormat());
    cursor.createList(list->format());
    cursor.insertText(text.toString(), QTextCharFormat());
    setBlockDirection(lastBlock(), direction);
    cursor.endEditBlock();
    lastBlock().layout()->setCacheEnabled(true);
    return true;
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
    text.removeIf(isDisplayControl);
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
                if (c != QChar::ObjectReplacementCharacter && !isDisplayControl(c))
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
        if (started && !block.blockFormat().boolProperty(kContinuationProperty))
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
    m_borrowedDirections =
        std::any_of(paragraphs.begin(), paragraphs.end(), [](const Paragraph &paragraph) {
            return paragraph.direction == Qt::LayoutDirectionAuto;
        });
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
        const QString text = block.text();
        for (const TextDirection::Range &range : std::as_const(paragraph.isolates)) {
            cursor.setPosition(block.position() + int(range.end()));
            // An isolate is a neutral to the paragraph around it: between left-to-right words
            // and the end of a right-to-left paragraph it would take the paragraph's side and
            // jump before the words it follows ("https://… Welcome to Qalam, … at"). A mark
            // after it keeps it with them.
            QChar::Direction before = previousStrongDirection(text, range.start);
            // A paragraph cut into parts while it streams (kContinuationProperty) goes on from
            // the part before.
            for (QTextBlock part = block;
                 before == QChar::DirON && part.blockFormat().hasProperty(kContinuationProperty);) {
                part = part.previous();
                if (!part.isValid())
                    break;
                before = previousStrongDirection(part.text(), part.text().size());
            }
            const bool continuesLeftToRight = direction == Qt::RightToLeft && before == QChar::DirL;
            static const QString closeAndMark =
                QString(QChar(kPopDirectionalIsolate)) + QChar(kLeftToRightMark);
            cursor.insertText(continuesLeftToRight ? closeAndMark
                                                   : QString(QChar(kPopDirectionalIsolate)));
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
