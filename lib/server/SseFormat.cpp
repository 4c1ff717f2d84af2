#include "server/SseFormat.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace qalam::server::SseFormat {

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
