// MarkdownTail: what of a streaming answer's open (last, still growing) Markdown block to show.
//
// The finished answer never shows Markdown syntax that its renderer hides, so neither may the
// stream while it arrives: a table row, a list marker or a **bold** span that has started but not
// ended would otherwise flash as raw pipes, dashes or asterisks for a moment. Rules:
//  - a table is shown from its delimiter row (`|---|---|`) on, and only its complete rows;
//  - an incomplete last line that could still become a block marker (`-`, `1.`, `##`, `>`,
//    a fence, `---`) is held back until more of it arrives;
//  - on the last line, an unclosed code span, emphasis or strikethrough is closed for display
//    (so `**bol` shows as bold "bol" and `` `cod `` as code), and a link whose `](url)` has not
//    ended shows its text only.
// Pure: no Qt event loop, no GUI. Fenced code needs none of this: the view shows an open fence as
// code at once (MessageLayout).
#pragma once

#include <QString>
#include <QStringView>

namespace qalam {

class MarkdownTail
{
public:
    static QString displayable(QStringView tail);
    // Whether a line of Markdown is a table delimiter row, e.g. "|---|:--:|".
    static bool isTableDelimiterRow(QStringView line);
    // The parts of displayable() for its last line, for a caller that follows one line as it
    // grows (MessageLayout): whether the incomplete line is held back, whether it is a table
    // row, and the line as shown (its open inline spans closed).
    static bool mayBecomeMarker(QStringView line);
    static bool isTableRow(QStringView line);
    static QString displayableLine(QStringView line);
};

} // namespace qalam
