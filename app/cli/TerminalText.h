// TerminalText: makes text from a server safe to show on a terminal.
//
// A terminal acts on control characters: ESC ]52; writes the clipboard, ESC ]0; sets the window
// title, ESC [2J clears the screen, and on many terminals a lone C1 control (U+009B, CSI) does
// what ESC [ does. An answer, an HTTP reason phrase or an error message comes from a server we do
// not control, so before it reaches a terminal every such character is replaced by a visible
// notation, the one `cat -v` and most shells use for C0:
//
//   U+0000..U+001F   caret notation: ^@ ^A ... ^[ (ESC) ... ^_   (e.g. BEL is ^G, CR is ^M)
//   U+007F (DEL)     ^?
//   U+0080..U+009F   <U+0080> ... <U+009F>   (C1 has no caret form; e.g. CSI is <U+009B>)
//
// Everything else, all printable Unicode included, passes unchanged. The functions are pure and
// work on UTF-16: the controls are all single BMP code units, so a text that ends between the
// two halves of a surrogate pair is escaped correctly and can be joined to the next one.
#pragma once

#include <QString>
#include <QStringView>

namespace qalam::cli {

class TerminalText
{
public:
    enum class LineBreaks {
        Keep,   // answer text: \n and \t are layout, shown as they are
        Escape, // one-line messages: \n and \t are shown as ^J and ^I like any other control
    };

    // The longest message errorLine() keeps, in characters (code points), before its marker.
    static constexpr qsizetype maxMessageLength = 2000;

    // True for the characters visible() replaces (with LineBreaks::Escape: \n and \t too).
    static bool isControl(char32_t c, LineBreaks lineBreaks);

    // `text` with each control shown in the notation above.
    static QString visible(QStringView text, LineBreaks lineBreaks);

    // A message for one line of stderr: every control (\n and \t included) shown visibly, and
    // cut after `maxLength` characters with " … [N more characters]" so a 100 KB error body
    // cannot flood the terminal. A surrogate pair or a notation is never cut in half.
    static QString errorLine(QStringView message, qsizetype maxLength = maxMessageLength);

private:
    // The notation for one control character, e.g. "^[" or "<U+009B>".
    static QString notation(char16_t c);
};

} // namespace qalam::cli
