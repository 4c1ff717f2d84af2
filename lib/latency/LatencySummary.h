// LatencySummary: percentiles of a set of runs, per measure (p50, p90, p99, max), by the
// nearest-rank method, so every figure is one that was measured. Pure.
#pragma once

#include "latency/LatencyRun.h"

#include <QList>
#include <QString>

#include <optional>

namespace qalam::latency {

struct Percentiles
{
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
    qsizetype count = 0;
};

class LatencySummary
{
public:
    enum class Measure {
        TimeToFirstByte,
        TimeToFirstToken,
        GapBetweenDeltas,
        CharsPerSecond,
        Total
    };

    explicit LatencySummary(const QList<LatencyRun> &runs);

    // Nothing when no run measured it (no run completed, or none produced text).
    std::optional<Percentiles> percentiles(Measure measure) const;
    int runs() const { return int(m_runs.size()); }
    int failures() const; // runs that did not complete
    int reconnects() const;

    static QString label(Measure measure); // "time to first byte", ...
    static QString unit(Measure measure);  // "ms" or "chars/s"
    static QList<Measure> measures();
    // The nearest-rank percentile p (0-100] of `values` (not empty).
    static double nearestRank(QList<double> values, double p);

private:
    QList<LatencyRun> m_runs;
};

} // namespace qalam::latency
