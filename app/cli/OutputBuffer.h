// OutputBuffer: what a qalam-cli command writes to stdout, gathered and written in one piece each
// time the event loop is about to wait for more input (QAbstractEventDispatcher::aboutToBlock),
// when it grows past a limit, and at the end.
//
// Scripts read the output as it happens, so nothing may sit in a buffer while the program waits
// for the network: everything produced while handling what arrived is on stdout before the next
// wait, which is when it would have been readable anyway. What it saves is a write() and fflush()
// per line or delta: a socket read of 16 KiB holds dozens of events.
#pragma once

#include <QByteArray>
#include <QMetaObject>

#include <cstdio>

namespace qalam::cli {

class OutputBuffer
{
public:
    explicit OutputBuffer(std::FILE *out = stdout);
    ~OutputBuffer();
    OutputBuffer(const OutputBuffer &) = delete;
    OutputBuffer &operator=(const OutputBuffer &) = delete;

    // The bytes not yet written; append to it, then call appended().
    QByteArray &bytes() { return m_bytes; }
    // Writes now when the buffer is past the limit, or when there is no event loop to say when.
    void appended();
    // Writes everything held, e.g. before a message on stderr so the two stay in order.
    void flush();

    static constexpr qsizetype highWaterMark = 256 * 1024;

private:
    std::FILE *m_out;
    QByteArray m_bytes;
    QMetaObject::Connection m_aboutToBlock;
};

} // namespace qalam::cli
