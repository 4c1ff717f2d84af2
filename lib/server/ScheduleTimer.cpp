#include "server/ScheduleTimer.h"

namespace qalam::server {

ScheduleTimer::ScheduleTimer(int batchMs, QObject *parent)
    : QObject(parent), m_batchMs(std::max(0, batchMs))
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ScheduleTimer::fire);
}

ScheduleTimer::Key ScheduleTimer::add(std::function<void()> wake)
{
    const Key key = m_nextKey++;
    m_wakes.emplace(key, std::move(wake));
    return key;
}

void ScheduleTimer::remove(Key key)
{
    m_schedule.cancel(key);
    m_wakes.erase(key);
}

void ScheduleTimer::wakeAt(Key key, qint64 dueMs)
{
    if (m_wakes.count(key) == 0)
        return;
    m_schedule.schedule(key, dueMs);
    if (!m_firing && (m_armedFor < 0 || dueMs < m_armedFor))
        arm();
}

void ScheduleTimer::cancel(Key key)
{
    m_schedule.cancel(key);
    // The timer may stay set for a deadline that is gone: fire() then finds nothing and re-arms.
}

void ScheduleTimer::arm()
{
    const auto next = m_schedule.nextDue();
    if (!next) {
        m_timer.stop();
        m_armedFor = -1;
        return;
    }
    m_armedFor = *next;
    m_timer.start(int(std::clamp<qint64>(*next - now(), 0, 24 * 3600 * 1000)));
}

void ScheduleTimer::fire()
{
    m_armedFor = -1;
    m_firing = true;
    // One pass wakes what is due now and what would be due within the batch: those deadlines are
    // so close that waking the event loop again for them costs more than being a little early.
    // The more there is to wake, the wider the batch: each wake-up of the event loop costs a
    // poll over every connection, so 10,000 streams are woken in passes 20 ms apart, a handful
    // of streams every millisecond or so.
    const qint64 batch = std::clamp<qint64>(m_schedule.size() / 500, m_batchMs, 20);
    for (const Key key : m_schedule.takeDue(now() + batch)) {
        const auto found = m_wakes.find(key);
        if (found == m_wakes.end())
            continue;
        // A copy: the wake may remove its own entry.
        const std::function<void()> wake = found->second;
        wake();
    }
    m_firing = false;
    arm();
}

} // namespace qalam::server
