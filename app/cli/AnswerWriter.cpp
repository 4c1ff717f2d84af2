#include "AnswerWriter.h"

#include "TerminalText.h"
#include "Utf8Encoding.h"

#include <QString>

#include <utility>

namespace qalam::cli {

void AnswerWriter::write(QStringView text)
{
    if (text.isEmpty())
        return;
    if (!m_highSurrogate.isNull()) {
        // Rare: only a pair split between two deltas comes here.
        QString joined = QString(std::exchange(m_highSurrogate, QChar()));
        joined.append(text);
        write(joined);
        return;
    }
    if (text.back().isHighSurrogate()) {
        m_highSurrogate = text.back();
        text.chop(1);
    }
    put(text);
}

void AnswerWriter::finish()
{
    if (!m_highSurrogate.isNull()) {
        const QChar held = std::exchange(m_highSurrogate, QChar());
        put(QStringView(&held, 1));
    }
    m_out.flush();
}

void AnswerWriter::put(QStringView text)
{
    if (text.isEmpty())
        return;
    if (m_mode == Mode::Exact)
        Utf8Encoding::append(m_out.bytes(), text);
    else
        Utf8Encoding::append(m_out.bytes(),
                             TerminalText::visible(text, TerminalText::LineBreaks::Keep));
    m_out.appended();
}

} // namespace qalam::cli
