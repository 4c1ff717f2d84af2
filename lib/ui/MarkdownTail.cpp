#include "ui/MarkdownTail.h"

#include <QList>

namespace qalam {

namespace {

QStringView trimmedStart(QStringView line)
{
    qsizetype i = 0;
    while (i < line.size() && (line[i] == QLatin1Char(' ') || line[i] == QLatin1Char('\t')))
        ++i;
    return line.sliced(i);
}

} // namespace

// An incomplete line that may still turn into a block marker: shown, it would flash as text.
bool MarkdownTail::mayBecomeMarker(QStringView line)
{
    const QStringView text = trimmedStart(line).trimmed();
    if (text.isEmpty())
        return false;
    const QChar first = text.front();
    const bool allSame = std::all_of(
        text.begin(), text.end(), [first](QChar c) { return c == first || c == QLatin1Char(' '); });
    if (allSame && QStringView(u"#-*+_=>`~|").contains(first))
        return true; // "#", "##", "-", "* *", "---", ">", "``", "~~~"...
    // A fence opener, with or without its info string yet.
    if (text.startsWith(u"```") || text.startsWith(u"~~~"))
        return true;
    // "1", "12." or "3)": maybe the start of a numbered item.
    qsizetype digits = 0;
    while (digits < text.size() && text[digits].isDigit())
        ++digits;
    return digits > 0 && digits <= 9 &&
           (digits == text.size() ||
            (digits + 1 == text.size() &&
             (text[digits] == QLatin1Char('.') || text[digits] == QLatin1Char(')'))));
}

bool MarkdownTail::isTableRow(QStringView line)
{
    return trimmedStart(line).startsWith(QLatin1Char('|'));
}

namespace {

// Where a line's inline content starts: after list markers, quote markers and a heading's #s.
qsizetype inlineStart(QStringView line)
{
    qsizetype i = 0;
    while (true) {
        const qsizetype before = i;
        while (i < line.size() && line[i] == QLatin1Char(' '))
            ++i;
        if (i < line.size() && line[i] == QLatin1Char('>')) {
            ++i;
            continue;
        }
        if (i + 1 < line.size() && QStringView(u"-*+").contains(line[i]) &&
            line[i + 1] == QLatin1Char(' ')) {
            i += 2;
            continue;
        }
        qsizetype digits = i;
        while (digits < line.size() && line[digits].isDigit())
            ++digits;
        if (digits > i && digits + 1 < line.size() &&
            (line[digits] == QLatin1Char('.') || line[digits] == QLatin1Char(')')) &&
            line[digits + 1] == QLatin1Char(' ')) {
            i = digits + 2;
            continue;
        }
        qsizetype hashes = i;
        while (hashes < line.size() && line[hashes] == QLatin1Char('#'))
            ++hashes;
        if (hashes > i && hashes - i <= 6 && hashes < line.size() &&
            line[hashes] == QLatin1Char(' ')) {
            i = hashes + 1;
            continue;
        }
        if (i == before)
            return i;
    }
}

bool isSpaceAt(QStringView text, qsizetype i)
{
    return i < 0 || i >= text.size() || text[i].isSpace();
}

bool isWordAt(QStringView text, qsizetype i)
{
    return i >= 0 && i < text.size() && text[i].isLetterOrNumber();
}

// Closes, for display, what the last line opened and did not close yet.
QString closeInline(QString line)
{
    const qsizetype begin = inlineStart(line);
    struct Opener
    {
        QChar c;
        qsizetype length;
        qsizetype position;
    };
    QList<Opener> open;
    qsizetype linkStart = -1; // the last "[" not yet closed by "](...)"
    qsizetype linkTextEnd = -1;
    bool inLinkTarget = false;
    qsizetype i = begin;
    while (i < line.size()) {
        const QChar c = line[i];
        if (c == QLatin1Char('\\')) {
            i += 2;
            continue;
        }
        if (inLinkTarget) {
            if (c == QLatin1Char(')')) {
                inLinkTarget = false;
                linkStart = -1;
            }
            ++i;
            continue;
        }
        qsizetype run = 1;
        while (i + run < line.size() && line[i + run] == c)
            ++run;
        if (c == QLatin1Char('`')) {
            // A code span ends at the next run of exactly as many backticks.
            qsizetype j = i + run;
            qsizetype close = -1;
            while (j < line.size()) {
                if (line[j] == QLatin1Char('`')) {
                    qsizetype k = j;
                    while (k < line.size() && line[k] == QLatin1Char('`'))
                        ++k;
                    if (k - j == run) {
                        close = k;
                        break;
                    }
                    j = k;
                } else {
                    ++j;
                }
            }
            if (close < 0) {
                if (i + run == line.size() || line.sliced(i + run).trimmed().isEmpty())
                    line.truncate(i); // nothing inside yet: hold the backticks back
                else
                    line.append(QString(run, QLatin1Char('`')));
                return line; // everything after an open code span is its content
            }
            i = close;
            continue;
        }
        if (c == QLatin1Char('*') || c == QLatin1Char('_') || (c == QLatin1Char('~') && run >= 2)) {
            const bool underscore = c == QLatin1Char('_');
            const bool canOpen =
                !isSpaceAt(line, i + run) && (!underscore || !isWordAt(line, i - 1));
            const bool canClose =
                !isSpaceAt(line, i - 1) && (!underscore || !isWordAt(line, i + run));
            if (canClose && !open.isEmpty() && open.last().c == c) {
                if (run < open.last().length && i + run == line.size()) {
                    line.truncate(i); // "**bold*": the rest of the closer is on its way
                    break;
                }
                open.removeLast();
            } else if (canOpen || i + run == line.size()) {
                open.append({c, std::min<qsizetype>(run, 3), i});
            }
            i += run;
            continue;
        }
        if (c == QLatin1Char('[')) {
            linkStart = i;
            linkTextEnd = -1;
        } else if (c == QLatin1Char(']') && linkStart >= 0) {
            linkTextEnd = i;
            if (i + 1 < line.size() && line[i + 1] == QLatin1Char('(')) {
                inLinkTarget = true;
                i += 2;
                continue;
            }
        }
        i += run;
    }
    if (linkStart >= 0) {
        // "[text", "[text]" or "[text](partial": show the text without the brackets or target.
        const qsizetype textEnd = linkTextEnd >= 0 ? linkTextEnd : line.size();
        const QString text = line.mid(linkStart + 1, textEnd - linkStart - 1);
        const bool image = linkStart > 0 && line[linkStart - 1] == QLatin1Char('!');
        line = line.left(image ? linkStart - 1 : linkStart) + (image ? QString() : text);
        open.removeIf([linkStart](const Opener &o) { return o.position >= linkStart; });
    }
    while (!open.isEmpty()) {
        const Opener opener = open.takeLast();
        const QStringView inside =
            QStringView(line).sliced(std::min(line.size(), opener.position + opener.length));
        if (inside.trimmed().isEmpty()) {
            line.truncate(opener.position); // an opener with nothing after it: hold it back
            continue;
        }
        while (!line.isEmpty() && line.back().isSpace())
            line.chop(1); // a closer after a space would not close
        line.append(QString(opener.length, opener.c));
    }
    return line;
}

} // namespace

bool MarkdownTail::isTableDelimiterRow(QStringView line)
{
    const QStringView text = line.trimmed();
    if (text.isEmpty() || !text.contains(QLatin1Char('-')))
        return false;
    bool sawPipe = false;
    for (QChar c : text) {
        if (c == QLatin1Char('|'))
            sawPipe = true;
        else if (c != QLatin1Char('-') && c != QLatin1Char(':') && c != QLatin1Char(' ') &&
                 c != QLatin1Char('\t'))
            return false;
    }
    return sawPipe;
}

QString MarkdownTail::displayable(QStringView tail)
{
    QList<QStringView> lines;
    for (qsizetype start = 0; start <= tail.size();) {
        qsizetype end = tail.indexOf(QLatin1Char('\n'), start);
        if (end < 0) {
            lines.append(tail.sliced(start));
            break;
        }
        lines.append(tail.sliced(start, end - start));
        start = end + 1;
    }
    const bool lastComplete = tail.endsWith(QLatin1Char('\n'));
    if (lastComplete)
        lines.removeLast(); // the empty piece after the final newline

    // A table: from its first row, shown only once its delimiter row is complete, and then
    // without an incomplete last row.
    qsizetype keep = lines.size();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (!isTableRow(lines[i]))
            continue;
        const bool delimiterDone = i + 1 < lines.size() && isTableDelimiterRow(lines[i + 1]) &&
                                   (i + 2 < lines.size() || lastComplete);
        if (!delimiterDone) {
            keep = i;
        } else if (!lastComplete && isTableRow(lines.last())) {
            keep = lines.size() - 1;
        }
        break;
    }
    if (keep < lines.size()) {
        lines.resize(keep);
    } else if (!lastComplete && !lines.isEmpty() && mayBecomeMarker(lines.last())) {
        lines.removeLast();
    }
    if (lines.isEmpty())
        return {};

    QString result;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        result += lines[i];
        result += QLatin1Char('\n');
    }
    const QStringView last = lines.last();
    if (isTableRow(last))
        result += last; // a complete table row renders as the finished answer does
    else
        result += closeInline(last.toString());
    return result;
}

QString MarkdownTail::displayableLine(QStringView line)
{
    return closeInline(line.toString());
}

} // namespace qalam
