// JsonLineWriter: writes one compact JSON object per line to stdout, keys in the order given.
// The line formats of `qalam-cli events` are a contract (docs/cli.md): key order and spelling
// are part of it, so objects are written by hand rather than through QJsonObject (which sorts).
#pragma once

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

    // `text` as a JSON string in UTF-8. Escapes what JSON requires (", \, C0 controls) and also
    // DEL, the C1 controls U+0080..U+009F and U+2028/U+2029 (as \u007f, \u009b, \u2028...), so
    // a line shown on a terminal cannot drive it; the value any JSON parser reads is unchanged.
    static QByteArray quoted(QStringView text);

    // Each value must already be JSON (use quoted() for strings).
    void writeObject(std::initializer_list<std::pair<const char *, QByteArray>> members);

private:
    std::FILE *m_out;
};

} // namespace qalam::cli
