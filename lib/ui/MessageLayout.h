// MessageLayout: the rendered form of one chat message, built lazily and cached.
//
// A message is a list of Markdown blocks (see MarkdownBlockSplitter), each its own
// BlockDocument. While a message streams, only the last, still-growing block is re-parsed;
// finished blocks are parsed once. Documents exist only while the message is on or near the
// screen (releaseDocuments() drops them); heights stay cached per width, so scrolling a long
// conversation lays out only what becomes visible.
#pragma once

#include "ui/BlockDocument.h"
#include "ui/MarkdownBlockSplitter.h"

#include <QFont>
#include <QPoint>
#include <QRect>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

class QPainter;
class QPalette;

namespace qalam {

// A position in a message: which block, which character in it.
struct BlockPosition
{
    int block = 0;
    int pos = 0;
    friend auto operator<=>(const BlockPosition &, const BlockPosition &) = default;
};

class MessageLayout
{
public:
    enum class Format { Markdown, PlainText };

    explicit MessageLayout(const QString &text = {}, bool streaming = false,
                           Format format = Format::Markdown);
    ~MessageLayout();

    const QString &source() const { return m_source; }
    bool isStreaming() const { return m_streaming; }
    void appendText(QStringView text);
    void finish();

    // Builds what is missing and lays out at `width`; returns the height. Cheap when nothing
    // changed since the last call at this width.
    int layout(int width, const QFont &font);
    // The height known for `width` without any work, or -1.
    int cachedHeight(int width) const { return !m_dirty && width == m_width ? m_height : -1; }
    int estimatedHeight(int width, const QFont &font) const;
    bool hasDocuments() const { return !m_documents.empty(); }
    void releaseDocuments();

    int blockCount() const { return int(m_documents.size()); }
    const BlockDocument *block(int index) const { return m_documents.at(size_t(index)).get(); }
    int blockTop(int index) const { return m_tops.at(size_t(index)); }

    // `selection` is [from, to) in this message, or nothing.
    void paint(QPainter *painter, const QRect &clip, const QPalette &palette,
               std::optional<std::pair<BlockPosition, BlockPosition>> selection) const;
    BlockPosition hitTest(QPoint point) const;
    QString anchorAt(QPoint point) const;
    QString text(BlockPosition from, BlockPosition to) const;
    BlockPosition endPosition() const;

    // How many times a block document was parsed: tests use it to prove that streaming does
    // not re-parse finished blocks.
    int parseCount() const { return m_parseCount; }

private:
    void build(const QFont &font);
    void syncWithSplitter();
    BlockDocument *newDocument(const QString &markdown);

    QString m_source;
    bool m_streaming = false;
    Format m_format = Format::Markdown;
    MarkdownBlockSplitter m_splitter;
    QFont m_font;
    std::vector<std::unique_ptr<BlockDocument>> m_documents; // committed blocks, then the tail
    bool m_hasTailDocument = false;
    std::vector<int> m_tops;
    int m_width = -1;
    int m_height = -1;
    bool m_dirty = true;
    int m_parseCount = 0;
};

} // namespace qalam
