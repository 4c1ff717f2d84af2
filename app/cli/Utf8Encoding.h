// Utf8Encoding: UTF-16 text appended as UTF-8 to a byte buffer the caller reuses, without a
// temporary QByteArray per piece. What qalam-cli writes on stdout is a contract (docs/cli.md), so
// both functions produce exactly the bytes of the code they replaced: QString::toUtf8() (a lone
// surrogate becomes '?') and the JSON-lines escaping below.
#pragma once

#include <QByteArray>
#include <QStringView>

namespace qalam::cli {

class Utf8Encoding
{
public:
    // The bytes of text.toUtf8().
    static void append(QByteArray &out, QStringView text);

    // `text` as a JSON string, quotes included. Escapes what JSON requires (", \, C0 controls;
    // \n \r \t in their short forms) and also DEL, the C1 controls U+0080..U+009F and
    // U+2028/U+2029 (as \u007f, \u009b, \u2028...), so a line shown on a terminal cannot drive
    // it; the value any JSON parser reads is unchanged. Lone surrogates become '?' as in
    // toUtf8().
    static void appendJsonString(QByteArray &out, QStringView text);
};

} // namespace qalam::cli
