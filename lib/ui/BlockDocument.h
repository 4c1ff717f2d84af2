// BlockDocument: one rendered Markdown block of a chat message.
//
// Markdown is parsed with raw HTML off (model output must not inject markup) and GitHub
// extensions on (tables, strikethrough, autolinks). Nothing is ever loaded: images and other
// resources resolve to nothing, so a remote image in an answer cannot make a request.
// Direction: every paragraph, heading, list item, table cell and quote takes the direction of
// the majority of its strong letters, inline code, URLs, paths and numbers not counted
// (TextDirection), and is aligned to its start side (right for right to left) whatever the
// UI's language; one without letters takes its list's, table's or document's direction, then
// the message's (`context`). Code blocks are forced left-to-right; URLs, file paths and inline
// code in paragraphs are wrapped in bidi isolates (U+2066 ... U+2069) so they read
// left-to-right inside Arabic text instead of having their slashes and dots reordered (the
// sentence's punctuation after them stays outside). Numbered list markers are drawn here
// (paintListMarkers()), "1." reading right to left on the right of an Arabic item: Qt reverses
// the marker's text for right-to-left items and then lays it out right to left, which shows it
// reversed twice.
// Direction controls that arrive in the text (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
// U+061C) are neutralised first, before the isolates are added, and shown as small marks
// (DirectionControlMarks): stripIsolates() and plainText() remove only the isolates added here,
// and plainText() gives the controls back.
// Style (chat scale, not a document's): headings 1.3/1.2/1.1 em and bold; inline code in a
// monospace font on a light shade; tables with single 1 px borders, cell padding and a shaded
// header row, mirrored (first column on the right) when their header is right-to-left; block
// quotes indented on their start side (MessageLayout draws the bar). Shades are translucent
// grey, so they read on a light and on a dark palette alike.
#pragma once

#include <QRectF>
#include <QTextDocument>

#include <optional>

class QPainter;
class QPalette;

namespace qalam {

class BlockDocument : public QTextDocument
{
    Q_OBJECT

public:
    explicit BlockDocument(QObject *parent = nullptr);

    // `context`: the direction of what comes before in the message, for a document whose
    // paragraphs have no letters at all (LayoutDirectionAuto: the UI's direction).
    void setMarkdownSource(const QString &markdown,
                           Qt::LayoutDirection context = Qt::LayoutDirectionAuto);
    // What a person typed, without Markdown: every line its own direction.
    void setPlainTextSource(const QString &text,
                            Qt::LayoutDirection context = Qt::LayoutDirectionAuto);
    void appendPlainText(QStringView text);
    // Streaming, so that a growing block costs the new text and not the whole block (see
    // MessageLayout): `text` (plain, no Markdown syntax or isolate-worthy run, no line break)
    // goes at the end of the last paragraph in the format of its last character; returns false,
    // changing nothing, when that end is not ordinary text (a link, an isolate, a mark, code).
    // A paragraph grown longer than a few screen lines is cut, at the start of a laid-out line
    // near its end, into blocks that continue each other without any space between them, so
    // the next append lays out only the last of them; plainText() joins them again.
    bool appendToLastParagraph(QStringView text);
    // A new item with `text` (as above) at the end of the last list: bulleted, top level.
    bool appendListItem(QStringView text);
    // Streaming: `fresh` is this block's Markdown parsed again with more text. Keeps the blocks
    // that did not change (with their layout) and takes the rest from `fresh`: the paragraph
    // that grows is cut as above, so a long paragraph or list is laid out again only at its
    // end. Returns false, changing nothing, when the change is not at the end or is one it
    // cannot take (tables, images, nested or new lists); then use `fresh` itself.
    bool takeChangedEnd(const BlockDocument &fresh);
    // The document's direction: its letters' majority, or its context's.
    Qt::LayoutDirection direction() const { return m_direction; }
    // Replaces the direction controls from `from` on with visible marks; returns how many.
    int neutraliseDirectionControls(int from = 0);

    // Where the marker of a numbered list item is drawn (document coordinates, laid out first),
    // and what it reads; nothing for other blocks.
    struct ListMarker
    {
        QString text;
        QRectF rect;
        Qt::LayoutDirection direction = Qt::LeftToRight;
    };
    std::optional<ListMarker> listMarker(const QTextBlock &block) const;
    // Draws the numbered list markers (Qt draws bullets). [selectionStart, selectionEnd): the
    // selected positions, whose markers are drawn selected.
    void paintListMarkers(QPainter *painter, const QPalette &palette, int selectionStart = -1,
                          int selectionEnd = -1) const;
    // Keeps each paragraph's shaped glyphs after layout instead of shaping the visible lines
    // again on every paint (QTextDocumentLayout's default). Call after changing the content;
    // setMarkdownSource() does. Costs memory only while the document exists, i.e. while its
    // message is on or near the screen.
    void cacheShaping();

    // The text of [from, to) as it arrived: without the isolates added for display, with the
    // direction controls the marks stand for; a table's cells separated by tabs, rows by lines.
    QString plainText(int from, int to) const;

    static QTextDocument::MarkdownFeatures markdownFeatures();
    static QString stripIsolates(QString text);
    // `markdown` with the cells of every table that reads right to left (its header's
    // direction, TextDirection::ofMarkdown()) in reverse order: Qt lays table columns out left
    // to right only. `mirrored`, if given, gets one entry per table found: whether it was.
    static QString mirrorRightToLeftTables(const QString &markdown,
                                           QList<bool> *mirrored = nullptr);
    // The width of a block quote's bar and the gap after it, for MessageLayout.
    static constexpr int kQuoteBarWidth = 3;
    static constexpr int kQuoteIndent = 14;

protected:
    QVariant loadResource(int type, const QUrl &name) override;

private:
    void applyDirections(Qt::LayoutDirection context);
    void applyPlainTextDirections(const QTextBlock &from);
    void applyChatStyle();
    bool endTakesText() const;
    // The direction of the paragraph ending in `last` (a cut paragraph's parts together) with
    // `appended` after it; an invalid `last`: of `appended` alone.
    Qt::LayoutDirection paragraphDirection(const QTextBlock &last, QStringView appended,
                                           bool emphasis) const;
    void setBlockDirection(const QTextBlock &block, Qt::LayoutDirection direction);
    void cutLongLastParagraph();

    Qt::LayoutDirection m_context = Qt::LayoutDirectionAuto;
    Qt::LayoutDirection m_direction = Qt::LeftToRight;
    QList<bool> m_mirroredTables; // per table of the source, by mirrorRightToLeftTables()
    bool m_numberedItems = false; // markers for paintListMarkers()
    // A paragraph without letters reads like its list or document: growing one in place
    // (appendToLastParagraph()) could change that, so then the block is parsed again.
    bool m_borrowedDirections = false;
};

} // namespace qalam
