#include "ui/SentenceBatcher.h"

#include <algorithm>

namespace qalam {

namespace {

// One step of the scan shared by append() and lastSentenceEnd(): whether a sentence ends just
// after `c`, given whether only closing characters followed the last mark.
bool endsAfter(QChar c, bool &afterMark)
{
    if (SentenceBatcher::isLineBreak(c)) {
        afterMark = false;
        return true;
    }
    if (SentenceBatcher::isSentenceMark(c)) {
        afterMark = true;
        return false;
    }
    if (afterMark && c.isSpace()) {
        afterMark = false;
        return true;
    }
    if (afterMark && SentenceBatcher::isClosing(c))
        return false;
    afterMark = false;
    return false;
}

} // namespace

SentenceBatcher::SentenceBatcher(qsizetype announced)
    : m_length(announced), m_announced(announced), m_ready(announced)
{}

bool SentenceBatcher::isSentenceMark(QChar c)
{
    switch (c.unicode()) {
    case u'.':
    case u'!':
    case u'?':
    case u'\u061F': // ؟ Arabic question mark
    case u'\u2026': // … horizontal ellipsis
    case u'\u06D4': // ۔ Arabic full stop (Urdu)
    case u'\u3002': // 。
    case u'\uFF01': // ！
    case u'\uFF1F': // ？
        return true;
    default:
        return false;
    }
}

bool SentenceBatcher::isLineBreak(QChar c)
{
    return c == u'\n' || c == QChar::LineSeparator || c == QChar::ParagraphSeparator;
}

bool SentenceBatcher::isClosing(QChar c)
{
    switch (c.unicode()) {
    case u'"':
    case u'\'':
    case u')':
    case u']':
    case u'}':
    case u'*': // Markdown emphasis closed after the mark: **Done.**
    case u'_':
    case u'`':
    case u'\u2019': // ’
    case u'\u201D': // ”
    case u'\u00BB': // »
        return true;
    default:
        // Other closing punctuation (brackets and quotes of other scripts).
        return c.category() == QChar::Punctuation_Close ||
               c.category() == QChar::Punctuation_FinalQuote;
    }
}

void SentenceBatcher::append(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (endsAfter(text[i], m_afterMark))
            m_ready = m_length + i + 1;
    }
    m_length += text.size();
}

std::optional<SentenceBatcher::Range> SentenceBatcher::take()
{
    if (!hasReady())
        return std::nullopt;
    const Range range{m_announced, m_ready - m_announced};
    m_announced = m_ready;
    return range;
}

std::optional<SentenceBatcher::Range> SentenceBatcher::takeAll()
{
    m_ready = m_length;
    m_afterMark = false;
    return take();
}

void SentenceBatcher::reset(qsizetype announced)
{
    m_length = announced;
    m_announced = announced;
    m_ready = announced;
    m_afterMark = false;
}

qsizetype SentenceBatcher::lastSentenceEnd(QStringView text, qsizetype from, bool textIsFinal)
{
    from = std::clamp<qsizetype>(from, 0, text.size());
    bool afterMark = false;
    qsizetype end = from;
    for (qsizetype i = from; i < text.size(); ++i) {
        if (endsAfter(text[i], afterMark))
            end = i + 1;
    }
    if (textIsFinal && afterMark)
        end = text.size();
    return end;
}

} // namespace qalam
