#include "latency/LatencyRun.h"

#include <algorithm>

namespace qalam::latency {

qint64 LatencyRun::maxGapMs() const
{
    return gapsMs.isEmpty() ? -1 : *std::max_element(gapsMs.cbegin(), gapsMs.cend());
}

} // namespace qalam::latency
