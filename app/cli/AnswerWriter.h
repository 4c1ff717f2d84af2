// AnswerWriter: writes an answer's text to stdout as it streams in (`chat`, `record`).
//
// Text goes out as UTF-8. A delta may end between the two halves of a surrogate pair (an
// OpenAI-compatible server can send "\ud83c" and "\udf0d" in separate chunks): the high half
// waits for the next delta, since converting it alone would print U+FFFD instead of the emoji.
//
// On a terminal (unless --raw) the text is shown with TerminalText::visible(): a server must not
// be able to write the user's clipboard, retitle the window or clear the screen with escape
// sequences inside an answer. Into a pipe or a file the bytes stay exact, for scripts.
//
// The bytes go through an OutputBuffer: a delta is on stdout before the program next waits for
// the network, without a write and a flush for each one.
#pragma once

#include "OutputBuffer.h"

#include <QChar>
#include <QStringView>

namespace qalam::cli {

class AnswerWriter
{
public:
    enum class Mode { Exact, Visible };
    explicit AnswerWriter(Mode mode) : m_mode(mode) {}

    void write(QStringView text);
    // The stream ended: whatever is held back is printed (a half that stayed unpaired comes out
    // as '?', as QString::toUtf8() makes it) and everything is written.
    void finish();

private:
    void put(QStringView text);

    Mode m_mode;
    OutputBuffer m_out;
    QChar m_highSurrogate; // null when nothing is held back
};

} // namespace qalam::cli
