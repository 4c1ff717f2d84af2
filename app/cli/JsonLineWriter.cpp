#include "JsonLineWriter.h"

#include "Utf8Encoding.h"

namespace qalam::cli {

QByteArray JsonLineWriter::quoted(QStringView text)
{
    QByteArray out;
    Utf8Encoding::appendJsonString(out, text);
    return out;
}

void JsonLineWriter::writeObject(std::initializer_list<std::pair<const char *, QByteArray>> members)
{
    QByteArray &line = m_out.bytes();
    line.append('{');
    bool first = true;
    for (const auto &[key, value] : members) {
        if (!first)
            line.append(',');
        first = false;
        line.append('"').append(key).append("\":").append(value);
    }
    line.append("}\n");
    m_out.appended();
}

void JsonLineWriter::writeEvent(QStringView type, QStringView data, QStringView id)
{
    QByteArray &line = m_out.bytes();
    line.append("{\"type\":");
    Utf8Encoding::appendJsonString(line, type);
    line.append(",\"data\":");
    Utf8Encoding::appendJsonString(line, data);
    line.append(",\"id\":");
    Utf8Encoding::appendJsonString(line, id);
    line.append("}\n");
    m_out.appended();
}

} // namespace qalam::cli
