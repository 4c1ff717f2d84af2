// SentenceBatcher: decides when streamed text has completed a sentence worth announcing.
//
// A screen reader told about every token of a streaming answer either reads fragments ("Hel",
// "lo wor") or falls behind and drops them. Announcing complete sentences, as chat clients with
// live regions do, reads like speech. The batcher is pure: it sees the text as it arrives, in
// any chunking, and reports the end of the last complete sentence; the caller announces up to
// there and marks it announced.
//
// A sentence ends after . ! ? ؟ … (and the fullwidth 。！？) once whitespace follows, with
// closing quotes, brackets and Markdown emphasis in between (`He said "yes."` ends after the
// quote); a "." inside "3.14" or "example.com" does not end one. A line break (LF, U+2028,
// U+2029) ends one at once. At the end of an answer everything left is announced (takeAll()).
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace qalam {

class SentenceBatcher
{
public:
    // A part of the text, [start, start + length), in the units (UTF-16) of what was appended.
    struct Range
    {
        qsizetype start = 0;
        qsizetype length = 0;
        bool operator==(const Range &) const = default;
    };

    // `announced`: how much of the text was announced before this batcher saw it (an answer
    // that was already partly read out).
    explicit SentenceBatcher(qsizetype announced = 0);

    // Text added at the end. Cost: the new text only, plus one character before it.
    void append(QStringView text);
    qsizetype length() const { return m_length; }
    qsizetype announced() const { return m_announced; }
    // The end of the last complete sentence seen (never before announced()).
    qsizetype readyEnd() const { return m_ready; }
    bool hasReady() const { return m_ready > m_announced; }

    // What is ready: from announced() to readyEnd(), now marked announced; nothing when no
    // sentence was completed since the last take.
    std::optional<Range> take();
    // Everything not announced yet (the answer ended, whatever its last character).
    std::optional<Range> takeAll();
    // Starts again on an empty text, or on a text of which `announced` units were announced.
    void reset(qsizetype announced = 0);

    // The end of the last complete sentence in `text` after `from`, or `from` when none ends
    // there. With `textIsFinal`, a sentence mark at the very end of `text` ends a sentence too
    // (the caller knows nothing more will follow it, or that whitespace followed it in a source
    // the text was rendered from).
    static qsizetype lastSentenceEnd(QStringView text, qsizetype from, bool textIsFinal = false);

    static bool isSentenceMark(QChar c);
    static bool isLineBreak(QChar c);
    // Characters that may stand between a sentence mark and the whitespace after it.
    static bool isClosing(QChar c);

private:
    qsizetype m_length = 0;
    qsizetype m_announced = 0;
    qsizetype m_ready = 0;
    // Since the last sentence mark, only closing characters came: the next whitespace ends a
    // sentence. (This is the one character of context carried between appends.)
    bool m_afterMark = false;
};

} // namespace qalam
