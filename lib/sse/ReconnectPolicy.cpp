#include "sse/ReconnectPolicy.h"

#include <algorithm>
#include <cmath>

namespace qalam {

qint64 ReconnectPolicy::baseDelayMs() const
{
    // Only floored: maxDelayMs caps the backoff's growth, not the server's own `retry`, which
    // spec-strict mode (like EventSource) must wait exactly, however long it is.
    const qint64 base = m_serverRetryMs >= 0 ? m_serverRetryMs : m_settings.initialDelayMs;
    return std::max(base, m_settings.minDelayMs);
}

bool ReconnectPolicy::canRetry() const
{
    return m_settings.maxAttempts < 0 || m_attempts < m_settings.maxAttempts;
}

qint64 ReconnectPolicy::nextDelayMs(double random01)
{
    const qint64 base = baseDelayMs();
    ++m_attempts;
    if (!m_settings.exponential)
        return base;
    const int doublings = std::min(m_attempts - 1, 20);
    const double cap = double(std::max(base, m_settings.maxDelayMs));
    const double grown = std::min<double>(double(base) * std::pow(2.0, doublings), cap);
    const double factor = 1.0 + m_settings.jitter * (2.0 * random01 - 1.0);
    // The cap holds after the jitter too: a delay 20 % over the configured maximum is a bug.
    return std::max(m_settings.minDelayMs, qint64(std::llround(std::min(grown * factor, cap))));
}

} // namespace qalam
