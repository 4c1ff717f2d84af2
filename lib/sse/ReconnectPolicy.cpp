#include "ReconnectPolicy.h"

#include <algorithm>
#include <cmath>

namespace qalam {

qint64 ReconnectPolicy::baseDelayMs() const
{
    const qint64 base = m_serverRetryMs >= 0 ? m_serverRetryMs : m_settings.initialDelayMs;
    return std::clamp(base, m_settings.minDelayMs, std::max(m_settings.minDelayMs, m_settings.maxDelayMs));
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
    const double grown = std::min<double>(double(base) * std::pow(2.0, doublings),
                                          double(std::max(base, m_settings.maxDelayMs)));
    const double factor = 1.0 + m_settings.jitter * (2.0 * random01 - 1.0);
    return std::max(m_settings.minDelayMs, qint64(std::llround(grown * factor)));
}

} // namespace qalam
