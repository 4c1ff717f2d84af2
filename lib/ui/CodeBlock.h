// CodeBlock: a fenced code block of a chat message, as the chat view draws it.
//
// A framed block (rounded, its colours derived from the view's palette) with a header line: the
// fence's language and two buttons, Wrap and Copy. The code itself is a left-to-right document in
// a monospace font with Arabic fallbacks (comments in Arabic stay readable), unwrapped by default:
// long lines scroll sideways (MessageLayout does the scrolling) instead of being cut. Highlighting
// (CodeHighlighter) runs once, when the block is complete; while its fence still streams the code
// grows by appending to the document, which costs the new text, not the whole block. Highlight
// colours come in a light, a dark and a high-contrast set, chosen by the palette's window
// lightness and its text's contrast on the base.
#pragma once

#include "ui/BlockDocument.h"
#include "ui/CodeHighlighter.h"

#include <QCoreApplication>
#include <QFont>
#include <QList>
#include <QRect>
#include <QString>

#include <memory>
#include <optional>

class QPainter;
class QPalette;

namespace qalam {

class CodeBlock
{
    Q_DECLARE_TR_FUNCTIONS(qalam::CodeBlock)

public:
    enum class Button { Copy, Wrap };

    // A fence split into its parts: the first word of the info string, the code between the
    // fences (indentation of the opening fence removed, as CommonMark says), and whether the
    // closing fence arrived.
    struct Fence
    {
        QString language;
        QString code;
        bool closed = false;
    };
    // The fence that `markdown` is (it must start with one), or nothing.
    static std::optional<Fence> parseFence(QStringView markdown);
    // The monospace font code is shown in: `base`'s size, a monospace family first, then
    // families with Arabic glyphs.
    static QFont codeFont(const QFont &base);

    CodeBlock(const Fence &fence, const QFont &font);
    ~CodeBlock();

    const QString &language() const { return m_language; }
    const QString &code() const { return m_code; }
    BlockDocument *document() const { return m_document.get(); }
    // More code of a fence still streaming (never touches what is already shown).
    void appendCode(QStringView text);
    // The block is complete: highlight it (once).
    void finish();
    // The block is complete and was highlighted before (its documents were released since).
    void finish(const QList<CodeHighlighter::Span> &spans);
    bool isHighlighted() const { return m_highlighted; }
    const QList<CodeHighlighter::Span> &spans() const { return m_spans; }

    bool wraps() const { return m_wrap; }
    void setWrap(bool wrap);

    // Geometry, in block coordinates (0, 0 is the frame's top-left), for a frame `width` wide.
    int headerHeight() const;
    int padding() const;
    // The area the code is visible in; the document is drawn in it, shifted by the scroll.
    QRect codeArea(int width) const;
    QRect buttonRect(Button button, int width) const;
    // Lays the document out for `width` and returns the block's height. `indicator`: leave room
    // for the sideways-scroll indicator under the code.
    int layout(int width, bool indicator);

    // Frame and header; the code is painted by MessageLayout (it handles scroll and selection).
    void paintFrame(QPainter *painter, int width, int height, const QPalette &palette) const;
    // Applies the highlight colours for the palette (light or dark set) if they differ from the
    // ones applied, and returns whether anything changed.
    bool applyColours(const QPalette &palette);

private:
    void applyFormats();
    QString buttonText(Button button) const;
    QFont headerFont() const;

    QString m_language;
    QString m_code;
    QFont m_uiFont; // the message's font: the header's labels
    QFont m_font;   // the code's
    std::unique_ptr<BlockDocument> m_document;
    QList<CodeHighlighter::Span> m_spans;
    bool m_highlighted = false;
    bool m_wrap = false;
    int m_dark = -1; // the colour set applied: -1 none yet, 0 light, 1 dark, 2 high contrast
};

} // namespace qalam
