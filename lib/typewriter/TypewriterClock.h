// TypewriterClock: where AdaptiveTypewriter reads the time. The typewriter's pacing and its lag
// bound are functions of time, so tests substitute a clock they move by hand and check every
// deadline exactly, without waiting and without wall-clock flakiness.
#pragma once

#include <QtGlobal>

namespace qalam {

class TypewriterClock
{
public:
    virtual ~TypewriterClock() = default;
    // Milliseconds on a monotonic scale; only differences matter.
    virtual qint64 nowMs() const = 0;
};

} // namespace qalam
