#include "ui/MessageLayout.h"

#include "ui/DirectionControlMarks.h"
#include "ui/MarkdownTail.h"
#include "ui/TextDirection.h"

#include <QAbstractTextDocumentLayout>
#include <QClipboard>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextLayout>

#include <limits>

namespace qalam {

namespace {

// Space between two Markdown blocks, in line heights.
constexpr double kBlockGap = 0.6;
// Room under a block that scrolls sideways, for its indicator.
constexpr int kIndicatorSpace = 8;
constexpr int kIndicatorThickness = 3;

bool startsRightToLeft(const QTextDocument &document)
{
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        if (!block.text().trimmed().isEmpty())
            return block.textDirection() == Qt::RightToLeft;
    }
    return false;
}

// An incomplete line of an open fence that may still become its closing fence: shown, its
// backticks would flash as code for a moment.
bool mayCloseFence(QStringView line, QChar fenceChar)
{
    qsizetype i = 0;
    while (i < line.size() && i < 4 && line[i] == QLatin1Char(' '))
        ++i;
    if (i > 3)
        return false;
    const QStringView rest = line.sliced(i).trimmed();
    return std::all_of(rest.begin(), rest.end(), [fenceChar](QChar c) { return c == fenceChar; });
}

// Characters that may change how the text before them renders or start a Markdown span:
// text with none of them is shown as it arrives (URLs and paths, which need isolates, are
// looked for separately).
bool isPlainText(QStringView text)
{
    static constexpr QStringView kSyntax = u"\\`*_~[]()<>!&|$";
    return std::none_of(text.begin(), text.end(), [](QChar c) {
        return kSyntax.contains(c) || c == QLatin1Char('\r') || c == QLatin1Char('\t');
    });
}

// How a last line of the open block is shown: how much of it (without trailing blanks) and
// what MarkdownTail appended to close its spans; nothing when it is held back or rewritten.
std::optional<std::pair<qsizetype, QString>> shownLine(QStringView line)
{
    if (MarkdownTail::mayBecomeMarker(line) || MarkdownTail::isTableRow(line))
        return std::nullopt;
    qsizetype core = line.size();
    while (core > 0 && line[core - 1].isSpace())
        --core;
    const QString shown = MarkdownTail::displayableLine(line);
    if (!shown.startsWith(line.first(core)))
        return std::nullopt;
    QString closers = shown.sliced(core);
    if (!std::all_of(closers.begin(), closers.end(),
                     [](QChar c) { return QStringView(u"*_~`").contains(c); }))
        return std::nullopt;
    return std::pair{core, closers};
}

} // namespace

MessageLayout::MessageLayout(const QString &text, bool streaming, Format format)
    : m_source(text), m_streaming(streaming), m_format(format),
      m_directionControls(TextDirection::containsDirectionControl(text))
{}

MessageLayout::~MessageLayout() = default;

void MessageLayout::appendText(QStringView text)
{
    if (text.isEmpty())
        return;
    m_source.append(text);
    m_directionControls = m_directionControls || TextDirection::containsDirectionControl(text);
    m_dirty = true;
    if (hasDocuments() && m_format == Format::PlainText) {
        m_blocks.front().text->appendPlainText(text);
    } else if (hasDocuments()) {
        const qsizetype committed = m_splitter.blocks().size();
        m_splitter.append(text);
        // The open block only grew (nothing was committed): append its new code, or its new
        // plain text.
        const bool grown =
            m_splitter.blocks().size() == committed && m_hasTailBlock &&
            (m_blocks.back().code ? m_tailIncremental && growCodeTail(m_splitter.tail())
                                  : growTextTail(m_splitter.tail()));
        if (!grown)
            syncWithSplitter();
    }
}

void MessageLayout::finish()
{
    if (!m_streaming)
        return;
    m_streaming = false;
    m_dirty = true;
    if (hasDocuments() && m_format == Format::Markdown) {
        m_splitter.finish();
        syncWithSplitter();
    }
}

void MessageLayout::addBlock(const QString &markdown, bool finished,
                             std::unique_ptr<BlockDocument> previous)
{
    Block block;
    if (const auto fence = CodeBlock::parseFence(markdown)) {
        block.code = std::make_unique<CodeBlock>(*fence, m_font);
    } else {
        // A block without letters (a number, a lone command) reads like the text before it.
        Qt::LayoutDirection context = Qt::LayoutDirectionAuto;
        for (auto it = m_blocks.crbegin(); it != m_blocks.crend(); ++it) {
            if (it->text) {
                context = it->text->direction();
                break;
            }
        }
        block.text = std::make_unique<BlockDocument>();
        block.text->setDefaultFont(m_font);
        block.text->setMarkdownSource(markdown, context);
        if (previous && previous->takeChangedEnd(*block.text))
            block.text = std::move(previous);
        block.rightToLeft = startsRightToLeft(*block.text);
    }
    ++m_parseCount;
    m_blocks.push_back(std::move(block));
    if (m_views.size() < m_blocks.size())
        m_views.resize(m_blocks.size());
    CodeBlock *code = m_blocks.back().code.get();
    if (!code)
        return;
    BlockView &view = m_views[m_blocks.size() - 1];
    code->setWrap(view.wrap);
    if (finished && view.spans) {
        code->finish(*view.spans);
    } else if (finished) {
        code->finish();
        view.spans = code->spans();
    }
}

bool MessageLayout::addTail(const QString &tail, std::unique_ptr<BlockDocument> previous)
{
    m_tailIncremental = false;
    if (const auto fence = CodeBlock::parseFence(tail)) {
        const qsizetype openerEnd = tail.indexOf(QLatin1Char('\n'));
        if (openerEnd < 0)
            return false; // the info string may still grow: wait for the opening line
        CodeBlock::Fence shown = *fence;
        m_tailConsumed = tail.size();
        const qsizetype lastLine = tail.lastIndexOf(QLatin1Char('\n')) + 1;
        qsizetype indent = 0;
        while (tail.at(indent) == QLatin1Char(' '))
            ++indent;
        m_tailFenceChar = tail.at(indent);
        if (lastLine < tail.size() &&
            mayCloseFence(QStringView(tail).sliced(lastLine), m_tailFenceChar)) {
            m_tailConsumed = lastLine;
            const qsizetype cut = shown.code.lastIndexOf(QLatin1Char('\n'));
            shown.code.truncate(std::max<qsizetype>(0, cut));
        }
        Block block;
        block.code = std::make_unique<CodeBlock>(shown, m_font);
        ++m_parseCount;
        m_blocks.push_back(std::move(block));
        if (m_views.size() < m_blocks.size())
            m_views.resize(m_blocks.size());
        m_blocks.back().code->setWrap(m_views[m_blocks.size() - 1].wrap);
        m_tailIncremental = indent == 0; // code lines are the source lines
        return true;
    }
    const QString shown = m_streaming ? MarkdownTail::displayable(tail) : tail;
    if (shown.trimmed().isEmpty())
        return false;
    addBlock(shown, !m_streaming, m_streaming ? std::move(previous) : nullptr);
    followTextTail(tail);
    return true;
}

void MessageLayout::followTextTail(const QString &tail)
{
    m_tailFollowed = -1;
    // Tables (rows shown only when complete) and direction controls (marks) are parsed again.
    if (!m_streaming || m_directionControls || !m_blocks.back().text ||
        tail.contains(QLatin1Char('|')))
        return;
    m_tailBullet = QChar();
    if (tail.size() > 2 && QStringView(u"-*+").contains(tail.front()) &&
        tail.at(1) == QLatin1Char(' '))
        m_tailBullet = tail.front();
    m_tailLineStart = tail.lastIndexOf(QLatin1Char('\n')) + 1;
    const QStringView line = QStringView(tail).sliced(m_tailLineStart);
    if (line.isEmpty()) {
        // After a complete line, only a new item of the list can be followed.
        if (m_tailBullet.isNull())
            return;
        m_tailLineShown = 0;
        m_tailClosers.clear();
        m_tailFollowed = tail.size();
        return;
    }
    const auto shown = shownLine(line);
    if (!shown)
        return;
    m_tailLineShown = shown->first;
    m_tailClosers = shown->second;
    m_tailFollowed = tail.size();
}

bool MessageLayout::growTextTail(const QString &tail)
{
    if (m_tailFollowed < 0 || tail.size() < m_tailFollowed)
        return false;
    const QStringView added = QStringView(tail).sliced(m_tailFollowed);
    if (added.isEmpty())
        return true;
    if (!isPlainText(added) || TextDirection::containsDirectionControl(added))
        return false;
    BlockDocument *document = m_blocks.back().text.get();
    qsizetype from = m_tailFollowed;
    while (from < tail.size()) {
        const qsizetype newline = tail.indexOf(QLatin1Char('\n'), from);
        const qsizetype lineEnd = newline < 0 ? tail.size() : newline;
        const QStringView line =
            QStringView(tail).sliced(m_tailLineStart, lineEnd - m_tailLineStart);
        if (m_tailLineShown == 0 && !line.isEmpty()) {
            // A new line: a new item of the bulleted list, or nothing that can be followed.
            if (m_tailBullet.isNull() || line.front() != m_tailBullet)
                return false;
            if (line.size() <= 2 || line.trimmed().size() <= 1) {
                if (newline >= 0 || line.size() > 2)
                    return false; // "-" followed by something other than an item's text
                m_tailFollowed = m_tailLineStart; // "- " is held back until its text comes
                m_dirty = true;
                return true;
            }
            const auto shown = shownLine(line);
            const QStringView text = line.sliced(2, shown ? shown->first - 2 : 0);
            if (!shown || !shown->second.isEmpty() || line.at(1) != QLatin1Char(' ') ||
                text.front().isSpace() || !TextDirection::leftToRightRuns(text).isEmpty() ||
                !document->appendListItem(text))
                return false;
            m_tailLineShown = shown->first;
            m_tailClosers.clear();
        } else if (!line.isEmpty()) {
            // The new text takes the format of the character before it, which is only right
            // when no syntax (a closed span's closer, say) stands between them.
            const auto shown = shownLine(line);
            if (!shown || shown->second != m_tailClosers ||
                !isPlainText(line.sliced(m_tailLineShown - 1, 1)))
                return false;
            // The last word as it grows, with the new ones: a URL or a path needs an isolate.
            const qsizetype wordStart =
                line.first(m_tailLineShown).lastIndexOf(QLatin1Char(' ')) + 1;
            if (!TextDirection::leftToRightRuns(line.sliced(wordStart, shown->first - wordStart))
                     .isEmpty() ||
                !document->appendToLastParagraph(
                    line.sliced(m_tailLineShown, shown->first - m_tailLineShown)))
                return false;
            m_tailLineShown = shown->first;
        }
        if (newline < 0)
            break;
        // The line is complete; the next one must be a new item, and this one no longer ends
        // the block: spans closed for display would show their markers again.
        if (m_tailBullet.isNull() || !m_tailClosers.isEmpty())
            return false;
        m_tailLineStart = newline + 1;
        m_tailLineShown = 0;
        from = newline + 1;
    }
    m_tailFollowed = tail.size();
    m_dirty = true;
    return true;
}

bool MessageLayout::growCodeTail(const QString &tail)
{
    const QStringView pending = QStringView(tail).sliced(std::min(m_tailConsumed, tail.size()));
    if (pending.isEmpty())
        return true;
    const qsizetype lastNewline = pending.lastIndexOf(QLatin1Char('\n'));
    const QStringView rest = pending.sliced(lastNewline + 1);
    const bool restStartsLine =
        lastNewline >= 0 ||
        (m_tailConsumed > 0 && tail.at(m_tailConsumed - 1) == QLatin1Char('\n'));
    qsizetype take = pending.size();
    if (restStartsLine && mayCloseFence(rest, m_tailFenceChar))
        take = lastNewline + 1;
    m_blocks.back().code->appendCode(pending.first(take));
    m_tailConsumed += take;
    m_dirty = true;
    return true;
}

void MessageLayout::build(const QFont &font)
{
    m_buildingAhead = false;
    m_font = font;
    m_blocks.clear();
    m_hasTailBlock = false;
    if (m_format == Format::PlainText) {
        // What a person typed is shown as typed: one document, no Markdown.
        Block block;
        block.text = std::make_unique<BlockDocument>();
        block.text->setDefaultFont(m_font);
        block.text->setPlainTextSource(m_source);
        ++m_parseCount;
        m_blocks.push_back(std::move(block));
        m_views.resize(1);
        m_dirty = true;
        return;
    }
    m_splitter.clear();
    m_splitter.append(m_source);
    if (!m_streaming)
        m_splitter.finish();
    syncWithSplitter();
}

void MessageLayout::syncWithSplitter()
{
    // Drop the tail block: its source is either committed now or has grown (then what did not
    // change of its document is kept).
    std::unique_ptr<BlockDocument> previous;
    if (m_hasTailBlock) {
        previous = std::move(m_blocks.back().text);
        m_blocks.pop_back();
        m_hasTailBlock = false;
    }
    const QStringList &blocks = m_splitter.blocks();
    if (qsizetype(m_blocks.size()) < blocks.size())
        previous.reset();
    for (qsizetype i = qsizetype(m_blocks.size()); i < blocks.size(); ++i)
        addBlock(blocks.at(i), true);
    if (!m_splitter.tail().trimmed().isEmpty())
        m_hasTailBlock = addTail(m_splitter.tail(), std::move(previous));
    m_dirty = true;
}

QRect MessageLayout::viewport(const Block &block) const
{
    if (block.code)
        return block.code->codeArea(m_width);
    return {0, 0, m_width, int(std::ceil(block.text->size().height()))};
}

int MessageLayout::scrollPixels(int index) const
{
    const Block &block = m_blocks[size_t(index)];
    const int scroll = std::clamp(m_views[size_t(index)].scroll, 0, block.overflow);
    return block.rightToLeft ? block.overflow - scroll : scroll;
}

QPoint MessageLayout::documentOrigin(int index) const
{
    const Block &block = m_blocks[size_t(index)];
    return viewport(block).topLeft() + QPoint(-scrollPixels(index), block.top);
}

bool MessageLayout::buildAhead(const QFont &font, int width, int steps)
{
    if (m_streaming || m_format == Format::PlainText || (hasDocuments() && !m_buildingAhead)) {
        if (!hasDocuments() || font != m_font)
            build(font);
        return true;
    }
    if (!m_buildingAhead || font != m_font) {
        m_font = font;
        m_blocks.clear();
        m_hasTailBlock = false;
        m_splitter.clear();
        m_splitter.append(m_source);
        m_splitter.finish();
        m_buildingAhead = true;
        m_aheadLaidOut = 0;
        m_dirty = true;
    }
    const QStringList &source = m_splitter.blocks();
    for (; steps > 0; --steps) {
        if (qsizetype(m_blocks.size()) < source.size()) {
            addBlock(source.at(qsizetype(m_blocks.size())), true);
            continue;
        }
        if (m_aheadLaidOut >= m_blocks.size())
            break;
        // As layout() lays it out (QTextDocument keeps the layout for its width).
        Block &block = m_blocks[m_aheadLaidOut++];
        if (block.code) {
            block.code->layout(width, false);
        } else {
            if (block.text->textWidth() != width)
                block.text->setTextWidth(width);
            block.text->size();
        }
    }
    m_buildingAhead =
        qsizetype(m_blocks.size()) < source.size() || m_aheadLaidOut < m_blocks.size();
    return !m_buildingAhead;
}

int MessageLayout::layout(int width, const QFont &font)
{
    if (m_buildingAhead && font == m_font)
        buildAhead(font, width, std::numeric_limits<int>::max());
    if (!hasDocuments() || font != m_font)
        build(font);
    if (!m_dirty && width == m_width)
        return m_height;
    m_width = width;
    const int gap = int(QFontMetrics(m_font).height() * kBlockGap);
    int y = 0;
    for (size_t i = 0; i < m_blocks.size(); ++i) {
        Block &block = m_blocks[i];
        if (i > 0)
            y += gap;
        block.top = y;
        BlockDocument *document = block.document();
        int height = 0;
        if (block.code) {
            height = block.code->layout(width, false);
            block.overflow = block.code->wraps()
                                 ? 0
                                 : std::max(0, int(std::ceil(document->size().width())) -
                                                   block.code->codeArea(width).width());
        } else {
            if (document->textWidth() != width)
                document->setTextWidth(width);
            const QSizeF size = document->size();
            height = int(std::ceil(size.height()));
            block.overflow = std::max(0, int(std::ceil(size.width())) - width);
        }
        if (block.overflow > 0)
            height += kIndicatorSpace;
        block.height = height;
        y += height;
    }
    m_height = std::max(y, QFontMetrics(m_font).height());
    m_dirty = false;
    return m_height;
}

int MessageLayout::estimatedHeight(int width, const QFont &font) const
{
    const QFontMetrics metrics(font);
    const int perLine = std::max(1, width / std::max(1, metrics.averageCharWidth()));
    qsizetype lines = 0;
    qsizetype lineLength = 0;
    for (QChar c : m_source) {
        if (c == QLatin1Char('\n')) {
            lines += 1 + lineLength / perLine;
            lineLength = 0;
        } else {
            ++lineLength;
        }
    }
    lines += 1 + lineLength / perLine;
    return int(lines) * metrics.lineSpacing();
}

void MessageLayout::releaseDocuments()
{
    m_buildingAhead = false;
    m_blocks.clear();
    m_hasTailBlock = false;
    m_splitter.clear();
    // The height stays cached for its width: the message does not change while off screen, and
    // each block's wrap and scroll are kept in m_views.
}

void MessageLayout::paint(QPainter *painter, const QRect &clip, const QPalette &palette,
                          std::optional<std::pair<BlockPosition, BlockPosition>> selection) const
{
    for (int i = 0; i < blockCount(); ++i) {
        const Block &block = m_blocks[size_t(i)];
        const QRect area(0, block.top, m_width, block.height);
        if (!area.intersects(clip))
            continue;
        BlockDocument *document = block.document();
        painter->save();
        painter->translate(0, block.top);
        painter->setClipRect(clip.translated(0, -block.top));
        if (block.code) {
            // The highlight colours follow the palette: a colour change only, no new layout.
            block.code->applyColours(palette);
            block.code->paintFrame(painter, m_width, block.height, palette);
        }
        const QRect view = viewport(block);
        const int scroll = scrollPixels(i);
        QAbstractTextDocumentLayout::PaintContext context;
        context.palette = palette;
        context.clip = QRectF(view.intersected(clip.translated(0, -block.top)))
                           .translated(-view.left() + scroll, -view.top());
        if (selection && selection->first.block <= i && i <= selection->second.block) {
            QTextCursor cursor(document);
            cursor.setPosition(selection->first.block == i ? selection->first.pos : 0);
            cursor.setPosition(selection->second.block == i ? selection->second.pos
                                                            : document->characterCount() - 1,
                               QTextCursor::KeepAnchor);
            QTextCharFormat format;
            format.setBackground(palette.highlight());
            format.setForeground(palette.highlightedText());
            context.selections.append({cursor, format});
        }
        painter->save();
        painter->setClipRect(view, Qt::IntersectClip);
        painter->translate(view.left() - scroll, view.top());
        document->documentLayout()->draw(painter, context);
        if (!context.selections.isEmpty()) {
            const QTextCursor &selected = context.selections.constFirst().cursor;
            document->paintListMarkers(painter, palette, selected.selectionStart(),
                                       selected.selectionEnd());
        } else {
            document->paintListMarkers(painter, palette);
        }
        if (block.text) {
            // Block quotes: a bar on the start side of each quoted paragraph.
            const QColor bar = palette.color(QPalette::PlaceholderText);
            for (QTextBlock b = document->begin(); b.isValid(); b = b.next()) {
                const int level = b.blockFormat().property(QTextFormat::BlockQuoteLevel).toInt();
                if (level <= 0)
                    continue;
                const QRectF rect = document->documentLayout()->blockBoundingRect(b);
                for (int l = 0; l < level; ++l) {
                    const qreal offset = l * BlockDocument::kQuoteIndent;
                    const qreal x =
                        b.textDirection() == Qt::RightToLeft
                            ? document->textWidth() - offset - BlockDocument::kQuoteBarWidth
                            : offset;
                    painter->fillRect(
                        QRectF(x, rect.top(), BlockDocument::kQuoteBarWidth, rect.height()), bar);
                }
            }
        }
        painter->restore();
        if (block.overflow > 0) {
            // A thin indicator of what part of the wide content is shown.
            const qreal track = view.width();
            const qreal content = track + block.overflow;
            const qreal thumb = std::max<qreal>(24, track * track / content);
            const qreal x = view.left() + (track - thumb) * scroll / block.overflow;
            const qreal y = view.bottom() + 1 + (kIndicatorSpace - kIndicatorThickness) / 2.0;
            QColor colour = palette.color(QPalette::Text);
            colour.setAlpha(70);
            painter->setRenderHint(QPainter::Antialiasing);
            QPainterPath path;
            path.addRoundedRect(QRectF(x, y, thumb, kIndicatorThickness), 1.5, 1.5);
            painter->fillPath(path, colour);
        }
        painter->restore();
    }
}

int MessageLayout::blockAt(int y) const
{
    int index = 0;
    while (index + 1 < blockCount() && y >= m_blocks[size_t(index) + 1].top)
        ++index;
    return index;
}

BlockPosition MessageLayout::hitTest(QPoint point) const
{
    if (blockCount() == 0)
        return {};
    const int index = blockAt(point.y());
    const QPointF local = point - documentOrigin(index);
    const int pos = block(index)->documentLayout()->hitTest(local, Qt::FuzzyHit);
    return {index, std::max(0, pos)};
}

QString MessageLayout::directionControlAt(QPoint point) const
{
    if (blockCount() == 0)
        return {};
    const int index = blockAt(point.y());
    const BlockDocument *document = block(index);
    const int pos =
        document->documentLayout()->hitTest(point - documentOrigin(index), Qt::ExactHit);
    if (pos < 0)
        return {};
    // The hit position is the cursor position nearest the point: the mark is either side of it.
    for (const int at : {pos, pos - 1}) {
        if (at < 0 || document->characterAt(at) != QChar::ObjectReplacementCharacter)
            continue;
        const QTextBlock textBlock = document->findBlock(at);
        for (auto it = textBlock.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.contains(at))
                continue;
            if (const auto control = DirectionControlMarks::original(fragment.charFormat())) {
                const QRectF rect = characterRect({index, at});
                if (rect.adjusted(-1, -1, 1, 1).contains(point))
                    return DirectionControlMarks::description(*control);
            }
        }
    }
    return {};
}

QString MessageLayout::anchorAt(QPoint point) const
{
    if (blockCount() == 0)
        return {};
    const int index = blockAt(point.y());
    if (m_blocks[size_t(index)].code)
        return {};
    return block(index)->documentLayout()->anchorAt(point - documentOrigin(index));
}

BlockPosition MessageLayout::endPosition() const
{
    if (blockCount() == 0)
        return {};
    return {blockCount() - 1, block(blockCount() - 1)->characterCount() - 1};
}

QString MessageLayout::text(BlockPosition from, BlockPosition to) const
{
    QStringList parts;
    for (int i = from.block; i <= to.block && i < blockCount(); ++i) {
        const BlockDocument *document = block(i);
        const int start = i == from.block ? from.pos : 0;
        const int end = i == to.block ? to.pos : document->characterCount() - 1;
        parts.append(document->plainText(start, end));
    }
    return parts.join(QStringLiteral("\n\n"));
}

QRect MessageLayout::buttonRect(int index, CodeBlock::Button button) const
{
    if (index < 0 || index >= blockCount() || !m_blocks[size_t(index)].code)
        return {};
    return m_blocks[size_t(index)]
        .code->buttonRect(button, m_width)
        .translated(0, m_blocks[size_t(index)].top);
}

std::optional<MessageLayout::ButtonHit> MessageLayout::buttonAt(QPoint point) const
{
    if (blockCount() == 0)
        return std::nullopt;
    const int index = blockAt(point.y());
    for (const auto button : {CodeBlock::Button::Copy, CodeBlock::Button::Wrap}) {
        if (buttonRect(index, button).contains(point))
            return ButtonHit{index, button};
    }
    return std::nullopt;
}

bool MessageLayout::pressButton(int index, CodeBlock::Button button)
{
    if (index < 0 || index >= blockCount() || !m_blocks[size_t(index)].code)
        return false;
    CodeBlock &code = *m_blocks[size_t(index)].code;
    if (button == CodeBlock::Button::Copy) {
        QGuiApplication::clipboard()->setText(code.code());
        return false;
    }
    m_views[size_t(index)].wrap = !code.wraps();
    code.setWrap(m_views[size_t(index)].wrap);
    m_dirty = true;
    return true;
}

bool MessageLayout::hasCodeBlocks() const
{
    return std::any_of(m_blocks.begin(), m_blocks.end(),
                       [](const Block &block) { return block.code != nullptr; });
}

bool MessageLayout::codeWraps() const
{
    for (size_t i = 0; i < m_blocks.size(); ++i) {
        if (m_blocks[i].code)
            return m_views[i].wrap;
    }
    return false;
}

void MessageLayout::setCodeWrap(bool wrap)
{
    for (size_t i = 0; i < m_blocks.size(); ++i) {
        if (!m_blocks[i].code)
            continue;
        m_views[i].wrap = wrap;
        m_blocks[i].code->setWrap(wrap);
    }
    m_dirty = true;
}

bool MessageLayout::scrollHorizontally(QPoint point, int pixels)
{
    if (blockCount() == 0 || pixels == 0)
        return false;
    const int index = blockAt(point.y());
    const Block &block = m_blocks[size_t(index)];
    if (block.overflow <= 0 || point.y() > block.top + block.height)
        return false;
    const int before = scrollPixels(index);
    const int after = std::clamp(before + pixels, 0, block.overflow);
    if (after == before)
        return false;
    m_views[size_t(index)].scroll = block.rightToLeft ? block.overflow - after : after;
    return true;
}

int MessageLayout::horizontalScroll(int index) const
{
    return index >= 0 && index < blockCount() ? scrollPixels(index) : 0;
}

int MessageLayout::maxHorizontalScroll(int index) const
{
    return index >= 0 && index < blockCount() ? m_blocks[size_t(index)].overflow : 0;
}

QRect MessageLayout::blockViewport(int index) const
{
    if (index < 0 || index >= blockCount())
        return {};
    return viewport(m_blocks[size_t(index)]).translated(0, m_blocks[size_t(index)].top);
}

QRectF MessageLayout::characterRect(BlockPosition position) const
{
    if (position.block < 0 || position.block >= blockCount())
        return {};
    const BlockDocument *document = block(position.block);
    const QTextBlock textBlock = document->findBlock(position.pos);
    if (!textBlock.isValid() || !textBlock.layout())
        return {};
    const QTextLayout *layout = textBlock.layout();
    const int inBlock = position.pos - textBlock.position();
    const QTextLine line = layout->lineForTextPosition(inBlock);
    if (!line.isValid())
        return {};
    const qreal x1 = line.cursorToX(inBlock);
    const qreal x2 = line.cursorToX(inBlock + 1);
    const QPointF origin = layout->position() + documentOrigin(position.block);
    return QRectF(origin.x() + std::min(x1, x2), origin.y() + line.y(), std::abs(x2 - x1),
                  line.height());
}

} // namespace qalam
