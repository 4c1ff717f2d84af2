#include "store/SearchSnippet.h"

#include "store/SearchFolding.h"

namespace qalam {

namespace {

constexpr QChar ellipsis(0x2026);
// How far a cut may move to land on a space instead of inside a word.
constexpr qsizetype wordSlack = 12;

// A cut must not separate the halves of a surrogate pair, nor a letter from its harakat (a mark
// at the start of a line would be drawn on a dotted circle).
qsizetype clampToCodePoint(const QString &text, qsizetype index)
{
    while (index > 0 && index < text.size() &&
           (text.at(index).isLowSurrogate() || text.at(index).isMark()))
        --index;
    return index;
}

} // namespace

SearchSnippet SearchSnippet::around(const QString &content, const QString &needle, int before,
                                    int maxLength)
{
    const SearchFolding::Match match = SearchFolding::find(content, needle);
    const qsizetype found = match.start;
    const qsizetype matchEnd = match.isValid() ? match.start + match.length : 0;

    qsizetype start = 0;
    if (found > before) {
        start = found - before;
        // Start after a space within reach, so the first word is whole.
        for (qsizetype i = start; i < found && i < start + wordSlack; ++i) {
            if (content.at(i).isSpace()) {
                start = i + 1;
                break;
            }
        }
        start = clampToCodePoint(content, start);
    }
    qsizetype end = qMin(content.size(), qMax(start + maxLength, matchEnd));
    if (end < content.size()) {
        for (qsizetype i = end; i > matchEnd && i > end - wordSlack; --i) {
            if (content.at(i - 1).isSpace()) {
                end = i - 1;
                break;
            }
        }
        end = qMax(matchEnd, clampToCodePoint(content, end));
    }

    // Fold whitespace runs into one space while keeping track of where the match lands.
    SearchSnippet snippet;
    snippet.text.reserve(end - start + 2);
    if (start > 0)
        snippet.text += ellipsis;
    bool inSpace = start > 0 && content.at(start - 1).isSpace();
    for (qsizetype i = start; i < end; ++i) {
        if (found >= 0 && i == found)
            snippet.matchStart = snippet.text.size();
        const QChar c = content.at(i);
        const bool insideMatch = found >= 0 && i > found && i < matchEnd;
        if (c.isSpace() && !insideMatch) {
            if (!inSpace && !snippet.text.isEmpty() && snippet.text.back() != ellipsis)
                snippet.text += u' ';
            inSpace = true;
            continue;
        }
        inSpace = false;
        snippet.text += c;
        if (found >= 0 && i + 1 == matchEnd)
            snippet.matchLength = snippet.text.size() - snippet.matchStart;
    }
    while (snippet.text.endsWith(u' '))
        snippet.text.chop(1);
    if (end < content.size())
        snippet.text += ellipsis;
    if (snippet.matchLength == 0)
        snippet.matchStart = -1;
    return snippet;
}

} // namespace qalam
