#include "TerminalText.h"

namespace qalam::cli {

namespace {

// The length of the character at `i`: 2 for a whole surrogate pair, else 1 (a lone surrogate
// counts as one character; toUtf8() later turns it into U+FFFD).
qsizetype characterUnits(QStringView text, qsizetype i)
{
    return text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate() ? 2 : 1;
}

qsizetype countCharacters(QStringView text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); i += characterUnits(text, i))
        ++count;
    return count;
}

} // namespace

bool TerminalText::isControl(char32_t c, LineBreaks lineBreaks)
{
    if (c < 0x20)
        return lineBreaks == LineBreaks::Escape || (c != U'\n' && c != U'\t');
    return c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

QString TerminalText::notation(char16_t c)
{
    if (c < 0x20)
        return QStringLiteral("^") + QChar(char16_t(c + 0x40)); // ^@ .. ^_, ESC is ^[
    if (c == 0x7F)
        return QStringLiteral("^?");
    return QStringLiteral("<U+%1>").arg(unsigned(c), 4, 16, QLatin1Char('0')).toUpper();
}

QString TerminalText::visible(QStringView text, LineBreaks lineBreaks)
{
    QString out;
    out.reserve(text.size());
    qsizetype runStart = 0; // the characters since the last control are copied in one go
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (!isControl(c, lineBreaks))
            continue;
        out += text.sliced(runStart, i - runStart);
        out += notation(c);
        runStart = i + 1;
    }
    out += text.sliced(runStart);
    return out;
}

QString TerminalText::errorLine(QStringView message, qsizetype maxLength)
{
    QString out;
    qsizetype shown = 0; // characters in `out`
    qsizetype i = 0;
    while (i < message.size()) {
        const qsizetype units = characterUnits(message, i);
        const char16_t c = message[i].unicode();
        const bool control = units == 1 && isControl(c, LineBreaks::Escape);
        const QString piece = control ? notation(c) : message.sliced(i, units).toString();
        const qsizetype length = control ? piece.size() : 1;
        if (shown + length > maxLength)
            break;
        out += piece;
        shown += length;
        i += units;
    }
    if (i < message.size()) {
        out += QStringLiteral(" … [%1 more characters]").arg(countCharacters(message.sliced(i)));
    }
    return out;
}

} // namespace qalam::cli
