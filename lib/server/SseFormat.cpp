#include "server/SseFormat.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace qalam::server::SseFormat {

namespace {

char hexDigit(uint value)
{
    return char(value < 10 ? '0' + value : 'a' + value - 10);
}

} // namespace

QByteArray jsonString(QStringView text)
{
    QByteArray out;
    out.reserve(text.size() + 8);
    out += '"';
    qsizetype runStart = -1; // a run of non-ASCII characters, converted to UTF-8 at once
    const auto flush = [&](qsizetype end) {
        if (runStart >= 0) {
            out += text.sliced(runStart, end - runStart).toUtf8();
            runStart = -1;
        }
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c >= 0x80) {
            if (runStart < 0)
                runStart = i;
            continue;
        }
        flush(i);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hexDigit(c >> 4);
                out += hexDigit(c & 0xf);
            } else {
                out += char(c);
            }
        }
    }
    flush(text.size());
    out += '"';
    return out;
}

QByteArray event(QByteArrayView type, QByteArrayView id, QByteArrayView data, bool crlf)
{
    const QByteArrayView eol = crlf ? QByteArrayView("\r\n") : QByteArrayView("\n");
    QByteArray out;
    out.reserve(type.size() + id.size() + data.size() + 32);
    if (!type.isEmpty())
        out.append("event: ").append(type).append(eol);
    if (!id.isEmpty())
        out.append("id: ").append(id).append(eol);
    out.append("data: ").append(data).append(eol).append(eol);
    return out;
}

QByteArray comment(QByteArrayView text, bool crlf)
{
    const QByteArrayView eol = crlf ? QByteArrayView("\r\n") : QByteArrayView("\n");
    return QByteArray(": ").append(text).append(eol).append(eol);
}

QByteArray retry(int milliseconds, bool crlf)
{
    const QByteArrayView eol = crlf ? QByteArrayView("\r\n") : QByteArrayView("\n");
    return QByteArray("retry: ").append(QByteArray::number(milliseconds)).append(eol).append(eol);
}

QByteArray errorEvent(QByteArrayView id, const QString &code, const QString &message,
                      bool retryable, bool crlf)
{
    const QJsonObject payload{{QStringLiteral("code"), code},
                              {QStringLiteral("message"), message},
                              {QStringLiteral("retryable"), retryable}};
    return event("error", id, QJsonDocument(payload).toJson(QJsonDocument::Compact), crlf);
}

QList<QByteArray> splitAwkwardly(const QByteArray &bytes)
{
    QList<qsizetype> cuts;
    // A lead byte of a multi-byte sequence is 11xxxxxx; cutting right after it leaves the
    // character unfinished at the end of a write.
    const auto lead = std::find_if(bytes.cbegin(), bytes.cend(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) == 0xC0;
    });
    if (lead != bytes.cend())
        cuts.append(lead - bytes.cbegin() + 1);
    if (const qsizetype cr = bytes.indexOf("\r\n"); cr >= 0)
        cuts.append(cr + 1);
    if (bytes.endsWith("\r\n\r\n"))
        cuts.append(bytes.size() - 1);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

    QList<QByteArray> pieces;
    qsizetype start = 0;
    for (const qsizetype cut : cuts) {
        if (cut > start && cut < bytes.size()) {
            pieces.append(bytes.sliced(start, cut - start));
            start = cut;
        }
    }
    pieces.append(bytes.sliced(start));
    return pieces;
}

} // namespace qalam::server::SseFormat
