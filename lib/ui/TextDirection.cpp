#include "ui/TextDirection.h"

#include <QRegularExpression>

#include <vector>

namespace qalam {

namespace {

const QRegularExpression &leftToRightRunPattern()
{
    // A URL (with a scheme, or www.), an e-mail address, an absolute or ./ ../ ~/ path with at
    // least two parts, a relative path ending in an extension ("app/cli/main.cpp"), a Windows
    // path, and digits joined by "-" or "+" ("1234-5678", "2024-01-15": one number by the
    // Unicode bidi rules, which Qt 6.4 shows reversed, "5678-1234", in right-to-left text).
    // Trailing punctuation is trimmed afterwards, not here: a URL may contain a "." or a
    // balanced ")" that a sentence's would not be.
    static const QRegularExpression pattern(
        QStringLiteral(R"((?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s<>"]+|)"
                       R"([\w.+-]+@[\w-]+(?:\.[\w-]+)+|)"
                       R"((?:~|\.{1,2})?/[\w.@%+~-]+(?:/[\w.@%+~-]+)+/?|)"
                       R"([\w.-]+(?:/[\w.@%+-]+)+\.\w+|)"
                       R"([A-Za-z]:\\[\w.@%+~-]+(?:\\[\w.@%+~-]+)*\\?|)"
                       R"((?<![\w.])[0-9]+(?:[-+][0-9]+)+(?![\w]|[.,][0-9]))"));
    return pattern;
}

bool isSentencePunctuation(QChar c)
{
    return QStringView(u".,;:!?\u060C\u061B\u061F\u2026'\"\u00BB\u201D\u2019\u203A").contains(c);
}

// How much of a matched run is the run: without the punctuation of the sentence around it.
qsizetype trimmedLength(QStringView run)
{
    qsizetype length = run.size();
    while (length > 0) {
        const QChar last = run[length - 1];
        if (isSentencePunctuation(last)) {
            --length;
            continue;
        }
        const qsizetype closer = QStringView(u")]}").indexOf(last);
        if (closer >= 0) {
            const QChar opener = QStringView(u"([{")[closer];
            const QStringView kept = run.first(length);
            if (kept.count(last) > kept.count(opener)) {
                --length; // "(see /etc/hosts)": the bracket is the sentence's
                continue;
            }
        }
        break;
    }
    return length;
}

Qt::LayoutDirection directionOf(char32_t c)
{
    switch (QChar::direction(c)) {
    case QChar::DirL:
        return Qt::LeftToRight;
    case QChar::DirR:
    case QChar::DirAL:
        return Qt::RightToLeft;
    default:
        return Qt::LayoutDirectionAuto;
    }
}

bool continuesNumber(QChar c)
{
    return c.isLetterOrNumber() || c.isMark() || QStringView(u".,:%/_-+\u00D7").contains(c);
}

// Code spans and link destinations of a line of Markdown source.
QList<TextDirection::Range> markdownExclusions(QStringView text)
{
    QList<TextDirection::Range> ranges;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == QLatin1Char('\\')) {
            i += 2;
            continue;
        }
        if (c == QLatin1Char('`')) {
            qsizetype run = 1;
            while (i + run < text.size() && text[i + run] == QLatin1Char('`'))
                ++run;
            // The span ends at the next run of exactly as many backticks (CommonMark).
            qsizetype j = i + run;
            qsizetype close = -1;
            while (j < text.size()) {
                if (text[j] != QLatin1Char('`')) {
                    ++j;
                    continue;
                }
                qsizetype k = j;
                while (k < text.size() && text[k] == QLatin1Char('`'))
                    ++k;
                if (k - j == run) {
                    close = k;
                    break;
                }
                j = k;
            }
            const qsizetype end = close < 0 ? text.size() : close;
            ranges.append({i, end - i});
            i = end;
            continue;
        }
        if (c == QLatin1Char(']') && i + 1 < text.size() && text[i + 1] == QLatin1Char('(')) {
            const qsizetype close = text.indexOf(QLatin1Char(')'), i + 2);
            const qsizetype end = close < 0 ? text.size() : close + 1;
            ranges.append({i, end - i});
            i = end;
            continue;
        }
        ++i;
    }
    return ranges;
}

// **Bold**, *italic*, __bold__ and _italic_ spans of Markdown source (an underscore inside a
// word, as in snake_case, is not emphasis).
QList<TextDirection::Range> markdownEmphasis(QStringView text)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"((\*{1,3})(?=\S).*?(?<=\S)\1|(?<!\w)(_{1,3})(?=\S).*?(?<=\S)\2(?!\w))"));
    QList<TextDirection::Range> ranges;
    auto matches = pattern.globalMatch(text);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        ranges.append({match.capturedStart(), match.capturedLength()});
    }
    return ranges;
}

} // namespace

Qt::LayoutDirection TextDirection::Counts::direction() const
{
    if (leftToRight > rightToLeft)
        return Qt::LeftToRight;
    if (rightToLeft > leftToRight)
        return Qt::RightToLeft;
    return first;
}

TextDirection::Counts &TextDirection::Counts::operator+=(const Counts &other)
{
    leftToRight += other.leftToRight;
    rightToLeft += other.rightToLeft;
    if (first == Qt::LayoutDirectionAuto)
        first = other.first;
    return *this;
}

TextDirection::Counts TextDirection::count(QStringView text, const QList<Range> &excluded,
                                           const QList<Range> &emphasis)
{
    std::vector<bool> skip(size_t(text.size()), false);
    const auto mark = [&skip, &text](const QList<Range> &ranges) {
        for (const Range &range : ranges) {
            const qsizetype end = std::min(range.end(), text.size());
            for (qsizetype i = std::max<qsizetype>(0, range.start); i < end; ++i)
                skip[size_t(i)] = true;
        }
    };
    mark(excluded);
    if (!emphasis.isEmpty()) {
        // The prose around emphasis decides; emphasis alone only when there is nothing else.
        std::vector<bool> withoutEmphasis = skip;
        mark(emphasis);
        const Counts prose = countWords(text, skip);
        if (prose.direction() != Qt::LayoutDirectionAuto)
            return prose;
        skip = std::move(withoutEmphasis);
    }
    return countWords(text, skip);
}

TextDirection::Counts TextDirection::countWords(QStringView text, const std::vector<bool> &skip)
{
    Counts counts;
    Qt::LayoutDirection word = Qt::LayoutDirectionAuto; // the direction of the word being read
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (skip[size_t(i)]) {
            word = Qt::LayoutDirectionAuto;
            continue;
        }
        const QChar c = text[i];
        if (c.isDigit() && (i == 0 || !text[i - 1].isLetterOrNumber())) {
            // A number and what is glued to it ("500ms", "2GB", "3.5GHz", "٣كغ") says nothing
            // about the language of the sentence around it.
            while (i + 1 < text.size() && continuesNumber(text[i + 1]))
                ++i;
            word = Qt::LayoutDirectionAuto;
            continue;
        }
        char32_t ucs4 = c.unicode();
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            ucs4 = QChar::surrogateToUcs4(c, text[i + 1]);
            ++i;
        }
        // Letters only: the Arabic question mark and semicolon are strong too, but a "؟" does
        // not make a word.
        const Qt::LayoutDirection direction =
            QChar::isLetter(ucs4) ? directionOf(ucs4) : Qt::LayoutDirectionAuto;
        if (direction == Qt::LayoutDirectionAuto) {
            // Harakat, joiners, and an apostrophe or a hyphen between two letters do not end a
            // word ("don't", "e-mail", "مُدخَل").
            const bool inWord = word != Qt::LayoutDirectionAuto &&
                                (QChar::isMark(ucs4) || ucs4 == 0x200C || ucs4 == 0x200D ||
                                 (QStringView(u"'-\u2019").contains(c) && i + 1 < text.size() &&
                                  directionOf(text[i + 1].unicode()) == word));
            if (!inWord)
                word = Qt::LayoutDirectionAuto;
            continue;
        }
        if (direction == word)
            continue;
        word = direction;
        if (direction == Qt::LeftToRight)
            ++counts.leftToRight;
        else
            ++counts.rightToLeft;
        if (counts.first == Qt::LayoutDirectionAuto)
            counts.first = direction;
    }
    return counts;
}

Qt::LayoutDirection TextDirection::of(QStringView text, const QList<Range> &code)
{
    QList<Range> excluded = code;
    excluded.append(leftToRightRuns(text));
    return count(text, excluded).direction();
}

Qt::LayoutDirection TextDirection::ofMarkdown(QStringView markdown)
{
    const auto direction = [](QStringView text) {
        QList<Range> excluded = markdownExclusions(text);
        excluded.append(leftToRightRuns(text));
        return count(text, excluded, markdownEmphasis(text)).direction();
    };
    // A table: its header's direction, which names the columns in the answer's language while
    // the body often holds names, commands and numbers; the body's without one.
    const qsizetype headerEnd = markdown.indexOf(QLatin1Char('\n'));
    if (markdown.trimmed().startsWith(QLatin1Char('|')) && headerEnd > 0) {
        if (const Qt::LayoutDirection header = direction(markdown.first(headerEnd));
            header != Qt::LayoutDirectionAuto)
            return header;
    }
    return direction(markdown);
}

QList<TextDirection::Range> TextDirection::leftToRightRuns(QStringView text)
{
    QList<Range> runs;
    auto matches = leftToRightRunPattern().globalMatch(text);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        const qsizetype length = trimmedLength(match.capturedView());
        if (length > 0)
            runs.append({match.capturedStart(), length});
    }
    return runs;
}

bool TextDirection::isDirectionControl(char32_t c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
           c == 0x200F || c == 0x061C;
}

bool TextDirection::containsDirectionControl(QStringView text)
{
    return std::any_of(text.begin(), text.end(),
                       [](QChar c) { return isDirectionControl(c.unicode()); });
}

QString TextDirection::abbreviation(char32_t c)
{
    switch (c) {
    case 0x202A:
        return QStringLiteral("LRE");
    case 0x202B:
        return QStringLiteral("RLE");
    case 0x202C:
        return QStringLiteral("PDF");
    case 0x202D:
        return QStringLiteral("LRO");
    case 0x202E:
        return QStringLiteral("RLO");
    case 0x2066:
        return QStringLiteral("LRI");
    case 0x2067:
        return QStringLiteral("RLI");
    case 0x2068:
        return QStringLiteral("FSI");
    case 0x2069:
        return QStringLiteral("PDI");
    case 0x200E:
        return QStringLiteral("LRM");
    case 0x200F:
        return QStringLiteral("RLM");
    case 0x061C:
        return QStringLiteral("ALM");
    default:
        return {};
    }
}

} // namespace qalam
