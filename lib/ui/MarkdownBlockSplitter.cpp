#include "ui/MarkdownBlockSplitter.h"

namespace qalam {

namespace {

bool isBlank(QStringView line)
{
    for (QChar c : line) {
        if (!c.isSpace())
            return false;
    }
    return true;
}

// Leading spaces, up to 3, as CommonMark allows before a fence or a list marker.
qsizetype indentOf(QStringView line)
{
    qsizetype i = 0;
    while (i < line.size() && line[i] == QLatin1Char(' '))
        ++i;
    return i;
}

// A fence opener or closer: 3+ backticks or tildes after at most 3 spaces. Returns its length.
qsizetype fenceLength(QStringView line, QChar *fenceChar)
{
    const qsizetype indent = indentOf(line);
    if (indent > 3 || indent >= line.size())
        return 0;
    const QChar c = line[indent];
    if (c != QLatin1Char('`') && c != QLatin1Char('~'))
        return 0;
    qsizetype n = indent;
    while (n < line.size() && line[n] == c)
        ++n;
    if (n - indent < 3)
        return 0;
    *fenceChar = c;
    return n - indent;
}

bool isListItem(QStringView line)
{
    line = line.sliced(std::min<qsizetype>(indentOf(line), 3));
    if (line.size() >= 2 &&
        (line[0] == QLatin1Char('-') || line[0] == QLatin1Char('*') ||
         line[0] == QLatin1Char('+')) &&
        line[1] == QLatin1Char(' '))
        return true;
    qsizetype digits = 0;
    while (digits < line.size() && digits < 10 && line[digits].isDigit())
        ++digits;
    return digits > 0 && digits + 1 < line.size() &&
           (line[digits] == QLatin1Char('.') || line[digits] == QLatin1Char(')')) &&
           line[digits + 1] == QLatin1Char(' ');
}

bool isIndented(QStringView line)
{
    return line.startsWith(QLatin1Char(' ')) || line.startsWith(QLatin1Char('\t'));
}

} // namespace

qsizetype MarkdownBlockSplitter::append(QStringView text)
{
    const qsizetype before = m_blocks.size();
    m_pending.append(text);
    scanLines();
    return m_blocks.size() - before;
}

qsizetype MarkdownBlockSplitter::finish()
{
    const qsizetype before = m_blocks.size();
    // The last line is complete now: classify it like any other (it may end a block).
    if (!m_pending.isEmpty() && !m_pending.endsWith(QLatin1Char('\n'))) {
        m_pending.append(QLatin1Char('\n'));
        scanLines();
    }
    qsizetype committed = m_blocks.size() - before;
    if (!isBlank(m_pending)) {
        commit(m_pending.size());
        ++committed;
    }
    m_pending.clear();
    m_scanPos = 0;
    m_boundary = -1;
    m_inFence = false;
    m_fenceIsBlock = false;
    m_inList = false;
    return committed;
}

void MarkdownBlockSplitter::clear()
{
    *this = MarkdownBlockSplitter();
}

void MarkdownBlockSplitter::scanLines()
{
    while (true) {
        const qsizetype newline = m_pending.indexOf(QLatin1Char('\n'), m_scanPos);
        if (newline < 0)
            return; // an incomplete line: wait for the rest
        const QStringView line = QStringView(m_pending).sliced(m_scanPos, newline - m_scanPos);
        const qsizetype lineStart = m_scanPos;
        m_scanPos = newline + 1;

        if (m_inFence) {
            QChar c;
            const qsizetype length = fenceLength(line, &c);
            if (length >= m_fenceLength && c == m_fenceChar &&
                isBlank(line.sliced(indentOf(line) + length))) {
                m_inFence = false;
                // A top-level fence is a block of its own, finished at its closing line: its
                // code can be highlighted now, and what follows starts a new block.
                if (m_fenceIsBlock) {
                    commit(m_scanPos);
                    m_inList = false;
                    m_fenceIsBlock = false;
                }
            }
            continue;
        }
        if (isBlank(line)) {
            if (m_boundary < 0)
                m_boundary = m_scanPos;
            continue;
        }
        // Classify before committing: committing moves the text the view points into.
        QChar c;
        const qsizetype fence = fenceLength(line, &c);
        // A loose list (items or indented content after a blank line) stays one block, or its
        // numbering and spacing would restart; anything else after a blank line starts a block.
        const bool listItem = isListItem(line);
        const qsizetype indent = indentOf(line);
        const qsizetype lineLength = line.size();
        if (m_boundary >= 0) {
            if (m_inList && (listItem || isIndented(line))) {
                m_boundary = -1;
            } else {
                commit(lineStart);
                m_inList = listItem;
            }
        } else if (listItem) {
            m_inList = true;
        }
        // A fence that is not list content (CommonMark: a fence may interrupt a paragraph)
        // starts a block of its own, so a code block is always a whole block.
        const bool topLevelFence = fence > 0 && (!m_inList || indent < 2);
        const qsizetype start = m_scanPos - lineLength - 1; // this line, after any commit above
        if (topLevelFence && !isBlank(QStringView(m_pending).first(start))) {
            commit(start);
            m_inList = false;
        }
        m_fenceIsBlock = topLevelFence;
        if (fence > 0) {
            m_inFence = true;
            m_fenceChar = c;
            m_fenceLength = fence;
        }
    }
}

void MarkdownBlockSplitter::commit(qsizetype length)
{
    QString block = m_pending.left(length);
    while (block.endsWith(QLatin1Char('\n')) || block.endsWith(QLatin1Char(' ')))
        block.chop(1);
    if (!block.isEmpty())
        m_blocks.append(block);
    m_pending.remove(0, length);
    m_scanPos -= length;
    m_boundary = -1;
}

} // namespace qalam
