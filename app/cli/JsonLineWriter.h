// JsonLineWriter: writes one compact JSON object per line to stdout, keys in the order given.
// The line formats of `qalam-cli events` are a contract (docs/cli.md): key order and spelling
// are part of it, so objects are written by hand rather than through QJsonObject (which sorts).
// Lines go through an OutputBuffer: each is on stdout before the program next waits for input.
#pragma once

#include "OutputBuffer.h"

#include <QByteArray>
#include <QString>

#include <cstdio>
#include <initializer_list>
#include <utility>

namespace qalam::cli {

class JsonLineWriter
{
public:
    explicit JsonLineWriter(std::FILE *out = stdout) : m_out(out) {}

    // `text` as a JSON string in UTF-8, by the rules of Utf8Encoding::appendJsonString(): what
    // JSON requires plus DEL, C1 controls and U+2028/U+2029 as \u escapes.
    static QByteArray quoted(QStringView text);

    // Each value must already be JSON (use quoted() for strings).
    void writeObject(std::initializer_list<std::pair<const char *, QByteArray>> members);

    // {"type":<type>,"data":<data>,"id":<id>}: one event line, escaped straight into the buffer.
    void writeEvent(QStringView type, QStringView data, QStringView id);

    // Writes what is buffered now (before a message on stderr, so the two stay in order).
    void flush() { m_out.flush(); }

private:
    OutputBuffer m_out;
};

} // namespace qalam::cli
