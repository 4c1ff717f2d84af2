#include "OutputBuffer.h"

#include <QAbstractEventDispatcher>

namespace qalam::cli {

OutputBuffer::OutputBuffer(std::FILE *out) : m_out(out)
{
    m_bytes.reserve(highWaterMark + 64 * 1024);
    if (auto *dispatcher = QAbstractEventDispatcher::instance()) {
        m_aboutToBlock = QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock,
                                          dispatcher, [this] { flush(); });
    }
}

OutputBuffer::~OutputBuffer()
{
    QObject::disconnect(m_aboutToBlock);
    flush();
}

void OutputBuffer::appended()
{
    if (m_bytes.size() >= highWaterMark || !m_aboutToBlock)
        flush();
}

void OutputBuffer::flush()
{
    if (m_bytes.isEmpty())
        return;
    std::fwrite(m_bytes.constData(), 1, size_t(m_bytes.size()), m_out);
    std::fflush(m_out);
    m_bytes.resize(0); // keeps the capacity
}

} // namespace qalam::cli
