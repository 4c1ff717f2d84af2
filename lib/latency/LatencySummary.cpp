#include "latency/LatencySummary.h"

#include <algorithm>
#include <cmath>

namespace qalam::latency {

LatencySummary::LatencySummary(const QList<LatencyRun> &runs) : m_runs(runs) {}

double LatencySummary::nearestRank(QList<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(values.size())));
    return values.at(std::clamp<qsizetype>(rank - 1, 0, values.size() - 1));
}

std::optional<Percentiles> LatencySummary::percentiles(Measure measure) const
{
    QList<double> values;
    for (const LatencyRun &run : m_runs) {
        switch (measure) {
        case Measure::TimeToFirstByte:
            if (run.timeToFirstByteMs >= 0)
                values.append(double(run.timeToFirstByteMs));
            break;
        case Measure::TimeToFirstToken:
            if (run.timeToFirstTokenMs >= 0)
                values.append(double(run.timeToFirstTokenMs));
            break;
        case Measure::GapBetweenDeltas:
            for (const qint64 gap : run.gapsMs)
                values.append(double(gap));
            break;
        case Measure::CharsPerSecond:
            if (run.completed() && run.charactersPerSecond > 0)
                values.append(run.charactersPerSecond);
            break;
        case Measure::Total:
            if (run.completed())
                values.append(double(run.totalMs));
            break;
        }
    }
    if (values.isEmpty())
        return std::nullopt;
    Percentiles result;
    result.p50 = nearestRank(values, 50);
    result.p90 = nearestRank(values, 90);
    result.p99 = nearestRank(values, 99);
    result.max = *std::max_element(values.cbegin(), values.cend());
    result.count = values.size();
    return result;
}

int LatencySummary::failures() const
{
    return int(std::count_if(m_runs.cbegin(), m_runs.cend(),
                             [](const LatencyRun &run) { return !run.completed(); }));
}

int LatencySummary::reconnects() const
{
    int total = 0;
    for (const LatencyRun &run : m_runs)
        total += run.reconnects;
    return total;
}

QString LatencySummary::label(Measure measure)
{
    switch (measure) {
    case Measure::TimeToFirstByte:
        return QStringLiteral("time to first byte");
    case Measure::TimeToFirstToken:
        return QStringLiteral("time to first token");
    case Measure::GapBetweenDeltas:
        return QStringLiteral("gap between deltas");
    case Measure::CharsPerSecond:
        return QStringLiteral("chars/s");
    case Measure::Total:
        break;
    }
    return QStringLiteral("total time");
}

QString LatencySummary::unit(Measure measure)
{
    return measure == Measure::CharsPerSecond ? QStringLiteral("chars/s") : QStringLiteral("ms");
}

QList<LatencySummary::Measure> LatencySummary::measures()
{
    return {Measure::TimeToFirstByte, Measure::TimeToFirstToken, Measure::GapBetweenDeltas,
            Measure::CharsPerSecond, Measure::Total};
}

} // namespace qalam::latency
