// MessageLayout: the rendered form of one chat message, built lazily and cached.
//
// A message is a list of Markdown blocks (see MarkdownBlockSplitter), each its own
// BlockDocument; a fenced code block is a CodeBlock (frame, header, Copy and Wrap buttons,
// highlighting). While a message streams, only the last, still-growing block is re-parsed (an
// open code fence only appends the new code); finished blocks are parsed once. The open block
// shows only what the finished answer would show too (MarkdownTail): no raw pipes, markers or
// asterisks. Documents exist only while the message is on or near the screen
// (releaseDocuments() drops them); heights stay cached per width, and so does each block's
// sideways scroll and wrap, so scrolling a long conversation lays out only what becomes visible.
//
// Direction (BlockDocument, TextDirection): each paragraph reads in its words' majority
// direction; a block without words reads like the block before it. Direction controls that
// arrive in the text are shown as marks and reported (hasDirectionControls()).
//
// A block wider than the message (a long code line, a wide table) is never cut: it scrolls
// sideways (scrollHorizontally(), from the wheel with Shift or a horizontal wheel) with a thin
// indicator under it, and a code block can wrap its lines instead (its Wrap button).
#pragma once

#include "ui/BlockDocument.h"
#include "ui/CodeBlock.h"
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
    bool hasDocuments() const { return !m_blocks.empty() && !m_buildingAhead; }
    // For idle time: takes up to `steps` more steps of building a finished message (parsing
    // and highlighting one block, or laying one block out at `width`), so that layout() later
    // finds the work done; returns whether it is all done. The message's height stays as it
    // was until layout(), so nothing on screen moves.
    bool buildAhead(const QFont &font, int width, int steps);
    bool isBuildingAhead() const { return m_buildingAhead; }
    void releaseDocuments();

    int blockCount() const { return int(m_blocks.size()); }
    const BlockDocument *block(int index) const { return m_blocks.at(size_t(index)).document(); }
    int blockTop(int index) const { return m_blocks.at(size_t(index)).top; }
    // The fenced code block at `index`, or null for other Markdown.
    const CodeBlock *codeBlock(int index) const { return m_blocks.at(size_t(index)).code.get(); }

    // `selection` is [from, to) in this message, or nothing. The palette gives every colour
    // (code frames, highlight set, shades): a theme is a palette.
    void paint(QPainter *painter, const QRect &clip, const QPalette &palette,
               std::optional<std::pair<BlockPosition, BlockPosition>> selection) const;
    BlockPosition hitTest(QPoint point) const;
    QString anchorAt(QPoint point) const;
    // Whether the message contains bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E,
    // U+200F, U+061C). The view shows them as small marks instead of obeying them (see
    // DirectionControlMarks); the row should warn that the message "contains hidden direction
    // controls". Known without documents (from the source), kept up to date while streaming.
    bool hasDirectionControls() const { return m_directionControls; }
    // The description of the direction control mark under `point` (message coordinates), for a
    // tooltip; empty elsewhere.
    QString directionControlAt(QPoint point) const;
    QString text(BlockPosition from, BlockPosition to) const;
    BlockPosition endPosition() const;

    // Code block buttons, in message coordinates (laid out first).
    struct ButtonHit
    {
        int block = -1;
        CodeBlock::Button button = CodeBlock::Button::Copy;
    };
    std::optional<ButtonHit> buttonAt(QPoint point) const;
    QRect buttonRect(int block, CodeBlock::Button button) const;
    // Copy puts the block's code (exactly, without fences) on the clipboard; Wrap toggles the
    // block's soft wrap. Returns whether the height may have changed (lay out again).
    bool pressButton(int block, CodeBlock::Button button);
    // Soft wrap for every code block of the message (the keyboard's way to long lines).
    bool hasCodeBlocks() const;
    bool codeWraps() const;
    void setCodeWrap(bool wrap);

    // Scrolls the block under `point` sideways by `pixels` (positive: towards the right end).
    // Returns whether it moved.
    bool scrollHorizontally(QPoint point, int pixels);
    // For tests: how far a block is scrolled (pixels from its left end), how far it can be, the
    // part of the message the block's content is visible in, and where a character is drawn.
    int horizontalScroll(int block) const;
    int maxHorizontalScroll(int block) const;
    QRect blockViewport(int block) const;
    QRectF characterRect(BlockPosition position) const;

    // How many times a block document was parsed: tests use it to prove that streaming does
    // not re-parse finished blocks.
    int parseCount() const { return m_parseCount; }

private:
    struct Block
    {
        std::unique_ptr<BlockDocument> text; // Markdown other than a top-level fence
        std::unique_ptr<CodeBlock> code;     // a fenced code block
        bool rightToLeft = false;            // overflowing content starts at the right end
        int top = 0;
        int height = 0;
        int overflow = 0; // how much wider than its viewport the content is
        BlockDocument *document() const { return code ? code->document() : text.get(); }
    };
    // What the user set on a block; kept when the documents are released.
    struct BlockView
    {
        bool wrap = false;
        int scroll = 0; // pixels from the start (the right end for right-to-left content)
        // A finished code block's highlighting: scrolling back to it does not highlight again.
        std::optional<QList<CodeHighlighter::Span>> spans;
    };

    void build(const QFont &font);
    void syncWithSplitter();
    // `previous`: the open block's document before this change, kept where it did not change.
    void addBlock(const QString &markdown, bool finished,
                  std::unique_ptr<BlockDocument> previous = nullptr);
    bool addTail(const QString &tail, std::unique_ptr<BlockDocument> previous);
    bool growCodeTail(const QString &tail);
    // The open text block grown in place (BlockDocument::appendToLastParagraph(),
    // appendListItem()) while what arrives is plain text: a long paragraph or list then costs
    // the new text, not its whole length, per delta. Anything else is parsed again.
    void followTextTail(const QString &tail);
    bool growTextTail(const QString &tail);
    int blockAt(int y) const;
    QRect viewport(const Block &block) const; // block coordinates
    QPoint documentOrigin(int index) const;   // message coordinates of the document's (0, 0)
    int scrollPixels(int index) const;        // from the left end

    QString m_source;
    bool m_streaming = false;
    Format m_format = Format::Markdown;
    MarkdownBlockSplitter m_splitter;
    QFont m_font;
    std::vector<Block> m_blocks; // committed blocks, then the tail
    std::vector<BlockView> m_views;
    bool m_hasTailBlock = false;
    qsizetype m_tailConsumed = 0;   // characters of an open fence's source shown as code
    bool m_tailIncremental = false; // the open fence grows by appending
    QChar m_tailFenceChar;
    qsizetype m_tailFollowed = -1; // characters of the open text block its document shows; -1: none
    qsizetype m_tailLineStart = 0; // where its last line starts
    qsizetype m_tailLineShown = 0; // characters of that line in the document (no trailing blanks)
    QString m_tailClosers;         // what MarkdownTail closed at the line's end for display
    QChar m_tailBullet;            // the bullet of a list's items, or null
    int m_width = -1;
    int m_height = -1;
    bool m_dirty = true;
    int m_parseCount = 0;
    bool m_buildingAhead = false; // buildAhead() has done only some of its steps
    size_t m_aheadLaidOut = 0;    // blocks it laid out
    bool m_directionControls = false;
};

} // namespace qalam
