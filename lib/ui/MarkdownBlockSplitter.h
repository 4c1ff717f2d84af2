// MarkdownBlockSplitter: cuts streamed Markdown into top-level blocks as it arrives.
//
// A block is committed once the text after it shows it cannot grow any more: a blank line
// outside a code fence, followed by a line that does not continue a list. A fenced code block
// that is not inside a list is always a block of its own, committed at its closing fence, so the
// view can render it as code (and highlight it once) as soon as it is complete. Committed blocks
// are never parsed again; only the open tail is, so rendering a streamed answer costs work
// proportional to the new text, not to the whole answer. Pure: no Qt event loop, no GUI.
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

namespace qalam {

class MarkdownBlockSplitter
{
public:
    // Returns how many blocks this call committed.
    qsizetype append(QStringView text);
    // The stream ended: the tail, if any, becomes the last block.
    qsizetype finish();
    void clear();

    const QStringList &blocks() const { return m_blocks; }
    // The source not committed yet (the block still growing), possibly empty.
    const QString &tail() const { return m_pending; }

private:
    void scanLines();
    void commit(qsizetype length);

    QStringList m_blocks;
    QString m_pending;
    qsizetype m_scanPos = 0;   // start of the first line of m_pending not yet classified
    qsizetype m_boundary = -1; // end of a blank line that may end the pending block
    bool m_inFence = false;
    bool m_fenceIsBlock = false; // the open fence is a top-level block (not inside a list item)
    bool m_inList = false;       // the pending block is a list: indented or item lines continue it
    QChar m_fenceChar;
    qsizetype m_fenceLength = 0;
};

} // namespace qalam
