// MemoryMeter: the process's resident memory and its peak over one test case, from
// /proc/self/status, for the figures in docs/reliability.md.
//
// The peak comes from VmHWM after resetting it through /proc/self/clear_refs ("5"), which the
// kernel allows a process to do to itself. Where that is refused (or /proc is missing) a 5 ms
// timer samples VmRSS instead, which can miss a short spike but never invents one.
#pragma once

#include <QFile>
#include <QTimer>

#include <algorithm>

namespace qalam::test {

class MemoryMeter
{
public:
    MemoryMeter()
    {
        QObject::connect(&m_sampler, &QTimer::timeout, &m_sampler,
                         [this] { m_sampledPeak = std::max(m_sampledPeak, read().rssKb); });
    }
    struct Status
    {
        qint64 rssKb = -1;
        qint64 hwmKb = -1;
    };

    static Status read()
    {
        Status status;
        QFile file(QStringLiteral("/proc/self/status"));
        if (!file.open(QIODevice::ReadOnly))
            return status;
        for (const QByteArray &line : file.readAll().split('\n')) {
            const auto value = [&line] {
                return line.mid(line.indexOf(':') + 1).trimmed().split(' ').value(0).toLongLong();
            };
            if (line.startsWith("VmRSS:"))
                status.rssKb = value();
            else if (line.startsWith("VmHWM:"))
                status.hwmKb = value();
        }
        return status;
    }

    // Starts a measurement: the peak is reset to the current resident size.
    void start()
    {
        QFile clear(QStringLiteral("/proc/self/clear_refs"));
        m_hwmReset = clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
        clear.close();
        m_baseline = read().rssKb;
        m_sampledPeak = m_baseline;
        if (!m_hwmReset)
            m_sampler.start(5);
    }

    // Resident memory at start(), in KiB.
    qint64 baselineKb() const { return m_baseline; }
    // The highest resident size since start() minus the size at start(), in KiB.
    qint64 peakGrowthKb() const
    {
        const Status now = read();
        const qint64 peak = m_hwmReset ? now.hwmKb : std::max(m_sampledPeak, now.rssKb);
        return std::max<qint64>(0, peak - m_baseline);
    }
    bool usesKernelPeak() const { return m_hwmReset; }

private:
    bool m_hwmReset = false;
    qint64 m_baseline = 0;
    qint64 m_sampledPeak = 0;
    QTimer m_sampler;
};

} // namespace qalam::test
