#include "JsonLineWriter.h"

namespace qalam::cli {

QByteArray JsonLineWriter::quoted(QStringView text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out.append('"');
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escape[8];
                std::snprintf(escape, sizeof escape, "\\u%04x", unsigned(c));
                out.append(escape);
            } else {
                out.append(c);
            }
        }
    }
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
