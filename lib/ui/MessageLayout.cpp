#include "ui/MessageLayout.h"

#include <QAbstractTextDocumentLayout>
#include <QFontMetrics>
#include <QPainter>
#include <QPalette>
#include <QTextBlock>
#include <QTextCursor>

namespace qalam {

namespace {

// Space between two Markdown blocks, in line heights.
constexpr double kBlockGap = 0.6;

} // namespace

MessageLayout::MessageLayout(const QString &text, bool streaming, Format format)
    : m_source(text), m_streaming(streaming), m_format(format)
{}

MessageLayout::~MessageLayout() = default;

void MessageLayout::appendText(QStringView text)
{
    if (text.isEmpty())
        return;
    m_source.append(text);
    m_dirty = true;
    if (hasDocuments() && m_format == Format::PlainText) {
        QTextCursor cursor(m_documents.front().get());
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(text.toString());
        m_documents.front()->cacheShaping(); // a newline in the text made a new block
    } else if (hasDocuments()) {
        m_splitter.append(text);
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

BlockDocument *MessageLayout::newDocument(const QString &markdown)
{
    auto document = std::make_unique<BlockDocument>();
    document->setDefaultFont(m_font);
    document->setMarkdownSource(markdown);
    ++m_parseCount;
    m_documents.push_back(std::move(document));
    return m_documents.back().get();
}

void MessageLayout::build(const QFont &font)
{
    m_font = font;
    if (m_format == Format::PlainText) {
        // What a person typed is shown as typed: one document, no Markdown.
        m_documents.clear();
        auto document = std::make_unique<BlockDocument>();
        document->setDefaultFont(m_font);
        document->setPlainText(m_source);
        document->cacheShaping();
        ++m_parseCount;
        m_documents.push_back(std::move(document));
        m_dirty = true;
        return;
    }
    m_splitter.clear();
    m_splitter.append(m_source);
    if (!m_streaming)
        m_splitter.finish();
    m_documents.clear();
    m_hasTailDocument = false;
    syncWithSplitter();
}

void MessageLayout::syncWithSplitter()
{
    // Drop the tail document: its source is either committed now or has grown.
    if (m_hasTailDocument) {
        m_documents.pop_back();
        m_hasTailDocument = false;
    }
    const QStringList &blocks = m_splitter.blocks();
    for (qsizetype i = qsizetype(m_documents.size()); i < blocks.size(); ++i)
        newDocument(blocks.at(i));
    if (!m_splitter.tail().trimmed().isEmpty()) {
        newDocument(m_splitter.tail());
        m_hasTailDocument = true;
    }
    m_dirty = true;
}

int MessageLayout::layout(int width, const QFont &font)
{
    if (!hasDocuments() || font != m_font)
        build(font);
    if (!m_dirty && width == m_width)
        return m_height;
    const int gap = int(QFontMetrics(m_font).height() * kBlockGap);
    m_tops.resize(m_documents.size());
    int y = 0;
    for (size_t i = 0; i < m_documents.size(); ++i) {
        if (i > 0)
            y += gap;
        m_tops[i] = y;
        BlockDocument *document = m_documents[i].get();
        if (document->textWidth() != width)
            document->setTextWidth(width);
        y += int(std::ceil(document->size().height()));
    }
    m_width = width;
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
    m_documents.clear();
    m_tops.clear();
    m_hasTailDocument = false;
    m_splitter.clear();
    // The height stays cached for its width: the message does not change while off screen.
}

void MessageLayout::paint(QPainter *painter, const QRect &clip, const QPalette &palette,
                          std::optional<std::pair<BlockPosition, BlockPosition>> selection) const
{
    for (int i = 0; i < blockCount(); ++i) {
        const BlockDocument *document = block(i);
        const int top = m_tops[size_t(i)];
        const QRectF area(0, top, document->textWidth(), document->size().height());
        if (!area.intersects(clip))
            continue;
        QAbstractTextDocumentLayout::PaintContext context;
        context.palette = palette;
        context.clip = QRectF(clip).translated(0, -top);
        if (selection && selection->first.block <= i && i <= selection->second.block) {
            QTextCursor cursor(const_cast<BlockDocument *>(document));
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
        painter->translate(0, top);
        painter->setClipRect(context.clip);
        document->documentLayout()->draw(painter, context);
        painter->restore();
    }
}

BlockPosition MessageLayout::hitTest(QPoint point) const
{
    if (blockCount() == 0)
        return {};
    int index = 0;
    while (index + 1 < blockCount() && point.y() >= m_tops[size_t(index) + 1])
        ++index;
    const BlockDocument *document = block(index);
    const QPointF local(point.x(), point.y() - m_tops[size_t(index)]);
    const int pos = document->documentLayout()->hitTest(local, Qt::FuzzyHit);
    return {index, std::max(0, pos)};
}

QString MessageLayout::anchorAt(QPoint point) const
{
    if (blockCount() == 0)
        return {};
    const BlockPosition position = hitTest(point);
    const BlockDocument *document = block(position.block);
    return document->documentLayout()->anchorAt(
        QPointF(point.x(), point.y() - m_tops[size_t(position.block)]));
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

} // namespace qalam
