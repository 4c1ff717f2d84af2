#include "capture/CapturedResponse.h"

namespace qalam::capture {

QByteArray CapturedResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool CapturedResponse::hasHeader(QByteArrayView name) const
{
    for (const auto &header : headers) {
        if (QByteArrayView(header.first).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray CapturedResponse::body() const
{
    QByteArray all;
    all.reserve(bodySize());
    for (const CapturedChunk &chunk : chunks)
        all += chunk.bytes;
    return all;
}

qint64 CapturedResponse::bodySize() const
{
    qint64 size = 0;
    for (const CapturedChunk &chunk : chunks)
        size += chunk.bytes.size();
    return size;
}

} // namespace qalam::capture
