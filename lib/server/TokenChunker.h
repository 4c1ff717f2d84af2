// TokenChunker: splits an answer into the pieces a language model would stream.
//
// Pieces are word-ish: a word with the space before it, a punctuation mark, a run of line
// breaks, a long word in sub-word parts, sometimes two or three words at once. A piece never
// ends inside a user-perceived character (grapheme): Arabic letters keep their harakat, emoji
// ZWJ sequences and flags stay whole. The split is deterministic for a given text and seed.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace qalam::server {

class TokenChunker
{
public:
    struct Options
    {
        double multiWordChance = 0.15; // chance that a piece takes the next word along
        int maxWordsPerPiece = 3;
        int longWordGraphemes = 10; // longer words are streamed in parts ...
        int minPartGraphemes = 3;   // ... of this many graphemes ...
        int maxPartGraphemes = 6;   // ... up to this many
    };

    // The end offset (in UTF-16 units) of each piece; the last one is text.size().
    static QList<qsizetype> pieceEnds(const QString &text, quint64 seed, const Options &options);
    static QList<qsizetype> pieceEnds(const QString &text, quint64 seed)
    {
        return pieceEnds(text, seed, Options());
    }
    static QStringList split(const QString &text, quint64 seed, const Options &options);
    static QStringList split(const QString &text, quint64 seed)
    {
        return split(text, seed, Options());
    }

    // How many pieces `text` makes: the demo server's token count for usage figures.
    static int countTokens(const QString &text);
};

} // namespace qalam::server
