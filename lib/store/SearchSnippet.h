// SearchSnippet: the part of a message a search result shows, cut around the first match so the
// match is near its start (a narrow sidebar shows only a line or two), with the whitespace of the
// message (paragraphs, list indents) folded into single spaces. Pure; the sidebar paints it and
// highlights [matchStart, matchStart + matchLength) itself, so nothing in the text is markup.
#pragma once

#include <QString>

namespace qalam {

struct SearchSnippet
{
    QString text;              // plain text, "…" where it was cut
    qsizetype matchStart = -1; // in text; -1 when the needle was not found there
    qsizetype matchLength = 0;

    bool hasMatch() const { return matchStart >= 0; }
    bool operator==(const SearchSnippet &other) const = default;

    // The snippet of `content` around the first occurrence of `needle` as search sees it
    // (SearchFolding: case, harakat, hamza forms...): at most about `before` characters before the
    // match and `maxLength` in all, cut at a space when one is near. The match covers the
    // original characters, harakat included. Without an occurrence, the start of content.
    static SearchSnippet around(const QString &content, const QString &needle, int before = 24,
                                int maxLength = 160);
};

} // namespace qalam
