#include "server/TokenChunker.h"

#include <QRandomGenerator>
#include <QTextBoundaryFinder>

namespace qalam::server {

namespace {

enum class Kind { Space, Newline, Word, Other };

struct Grapheme
{
    qsizetype start;
    qsizetype end;
    Kind kind;
};

Kind classify(QStringView grapheme)
{
    const char32_t c = grapheme.isEmpty() ? 0 : grapheme.toUcs4().constFirst();
    if (c == U'\n' || c == U'\r')
        return Kind::Newline;
    if (QChar::isSpace(c))
        return Kind::Space;
    if (QChar::isLetterOrNumber(c) || QChar::isMark(c) || c == U'_' || c == U'\'' ||
        c == U'\u2019' || c == U'\u0640') // apostrophes and the Arabic tatweel join words
        return Kind::Word;
    return Kind::Other;
}

QList<Grapheme> graphemes(const QString &text)
{
    QList<Grapheme> out;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    qsizetype start = 0;
    for (qsizetype end = finder.toNextBoundary(); end > 0; end = finder.toNextBoundary()) {
        out.append({start, end, classify(QStringView(text).sliced(start, end - start))});
        start = end;
    }
    return out;
}

// An atom is the smallest piece: leading spaces plus a word (or a part of a long word), one
// punctuation grapheme (or a short run of the same one, like ``` or **), or a run of newlines.
struct Atom
{
    qsizetype end;
    bool newline;
};

QList<Atom> atoms(const QString &text, const QList<Grapheme> &gs, QRandomGenerator &random,
                  const TokenChunker::Options &options)
{
    QList<Atom> out;
    qsizetype i = 0;
    const qsizetype n = gs.size();
    while (i < n) {
        while (i < n && gs[i].kind == Kind::Space)
            ++i;
        if (i == n) { // trailing spaces
            out.append({gs[n - 1].end, false});
            break;
        }
        const Kind kind = gs[i].kind;
        if (kind == Kind::Newline) {
            while (i < n && gs[i].kind == Kind::Newline)
                ++i;
            out.append({gs[i - 1].end, true});
        } else if (kind == Kind::Word) {
            qsizetype wordEnd = i;
            while (wordEnd < n && gs[wordEnd].kind == Kind::Word)
                ++wordEnd;
            qsizetype length = wordEnd - i;
            if (length <= options.longWordGraphemes) {
                out.append({gs[wordEnd - 1].end, false});
            } else {
                while (length > 0) {
                    const qsizetype part =
                        qMin<qsizetype>(length, random.bounded(options.minPartGraphemes,
                                                               options.maxPartGraphemes + 1));
                    i += part;
                    length -= part;
                    out.append({gs[i - 1].end, false});
                }
            }
            i = wordEnd;
        } else {
            const QStringView first =
                QStringView(text).sliced(gs[i].start, gs[i].end - gs[i].start);
            qsizetype runEnd = i + 1;
            while (runEnd < n && runEnd - i < 3 && gs[runEnd].kind == Kind::Other &&
                   QStringView(text).sliced(gs[runEnd].start, gs[runEnd].end - gs[runEnd].start) ==
                       first)
                ++runEnd;
            out.append({gs[runEnd - 1].end, false});
            i = runEnd;
        }
    }
    return out;
}

} // namespace

QList<qsizetype> TokenChunker::pieceEnds(const QString &text, quint64 seed, const Options &options)
{
    QList<qsizetype> ends;
    if (text.isEmpty())
        return ends;
    const quint32 seedWords[] = {quint32(seed), quint32(seed >> 32)};
    QRandomGenerator random(std::begin(seedWords), std::end(seedWords));
    const QList<Atom> list = atoms(text, graphemes(text), random, options);
    for (qsizetype i = 0; i < list.size(); ++i) {
        // Several words in one piece, as a model's tokenizer sometimes merges them; never across
        // a line break, so Markdown structure arrives line by line.
        int words = 1;
        while (!list[i].newline && i + 1 < list.size() && !list[i + 1].newline &&
               words < options.maxWordsPerPiece &&
               random.generateDouble() < options.multiWordChance) {
            ++i;
            ++words;
        }
        ends.append(list[i].end);
    }
    return ends;
}

QStringList TokenChunker::split(const QString &text, quint64 seed, const Options &options)
{
    QStringList pieces;
    qsizetype start = 0;
    for (const qsizetype end : pieceEnds(text, seed, options)) {
        pieces.append(text.sliced(start, end - start));
        start = end;
    }
    return pieces;
}

int TokenChunker::countTokens(const QString &text)
{
    Options options;
    options.multiWordChance = 0.0;
    return int(pieceEnds(text, 0, options).size());
}

} // namespace qalam::server
