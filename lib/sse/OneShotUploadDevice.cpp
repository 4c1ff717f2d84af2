#include "sse/OneShotUploadDevice.h"

#include <cstring>

namespace qalam {

OneShotUploadDevice::OneShotUploadDevice(QByteArray body, QObject *parent)
    : QIODevice(parent), m_body(std::move(body))
{
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

qint64 OneShotUploadDevice::bytesAvailable() const
{
    return (m_body.size() - m_position) + QIODevice::bytesAvailable();
}

qint64 OneShotUploadDevice::readData(char *data, qint64 maxSize)
{
    const qint64 count = std::min(maxSize, qint64(m_body.size()) - m_position);
    if (count <= 0)
        return -1; // the end: a sequential device has nothing more, ever
    std::memcpy(data, m_body.constData() + m_position, size_t(count));
    m_position += count;
    return count;
}

} // namespace qalam
