#include "JsonLineWriter.h"

namespace qalam::cli {

namespace {

// The characters written as \uXXXX although JSON would allow them raw. C1 controls (U+0080..
// U+009F) and DEL act on a terminal like ESC does (U+009B is CSI), and `events` output is often
// just looked at; U+2028 and U+2029 end a line in JavaScript and in some line-oriented tools.
// Escaped, each is still the same character to every JSON parser.
bool needsUnicodeEscape(char16_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

} // namespace

QByteArray JsonLineWriter::quoted(QStringView text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    out.append('"');
    // Runs of ordinary characters are converted to UTF-8 in one piece. Every character escaped
    // here is a single BMP code unit, so a run never ends between the halves of a surrogate pair.
    qsizetype runStart = 0;
    const auto flushRun = [&](qsizetype end) {
        out.append(text.sliced(runStart, end - runStart).toUtf8());
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        const char *escape = nullptr;
        switch (c) {
        case u'"':
            escape = "\\\"";
            break;
        case u'\\':
            escape = "\\\\";
            break;
        case u'\n':
            escape = "\\n";
            break;
        case u'\r':
            escape = "\\r";
            break;
        case u'\t':
            escape = "\\t";
            break;
        default:
            break;
        }
        if (!escape && !needsUnicodeEscape(c))
            continue;
        flushRun(i);
        if (escape) {
            out.append(escape);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\u%04x", unsigned(c));
            out.append(hex);
        }
        runStart = i + 1;
    }
    flushRun(text.size());
    out.append('"');
    return out;
}

void JsonLineWriter::writeObject(std::initializer_list<std::pair<const char *, QByteArray>> members)
{
    QByteArray line("{");
    bool first = true;
    for (const auto &[key, value] : members) {
        if (!first)
            line.append(',');
        first = false;
        line.append('"').append(key).append("\":").append(value);
    }
    line.append("}\n");
    std::fwrite(line.constData(), 1, size_t(line.size()), m_out);
    std::fflush(m_out); // scripts read line by line, as events happen
}

} // namespace qalam::cli
