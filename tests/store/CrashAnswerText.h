// The answer store_crash_helper streams, shared with tst_storecrash so the test can tell whether
// what survived the kill is exactly a prefix of it.
#pragma once

#include <QString>

namespace qalam::test {

inline QString crashQuestion()
{
    return QStringLiteral("اكتب مقالة طويلة عن القلم — a long essay about the pen, please "
                          "🖊️");
}

// Chunk i of the answer: numbered, so a repeated or dropped chunk shows; mixed scripts and
// surrogate pairs, so a cut inside a character would show too.
inline QString crashAnswerChunk(int index, int repeat)
{
    QString chunk = QStringLiteral("[%1] ").arg(index);
    for (int i = 0; i < repeat; ++i)
        chunk += QStringLiteral("القلم pen 🖊️ ");
    return chunk;
}

inline QString crashAnswerText(qsizetype minLength, int repeat)
{
    QString text;
    for (int index = 0; text.size() < minLength; ++index)
        text += crashAnswerChunk(index, repeat);
    return text;
}

} // namespace qalam::test
