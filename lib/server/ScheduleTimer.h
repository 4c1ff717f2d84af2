// ScheduleTimer: drives a DeadlineSchedule with a single QTimer and calls what is due.
//
// Everything in the demo server that waits (stream pacing, heartbeats, stalls, head, body and
// idle timeouts) registers here instead of owning a QTimer, so 10,000 streams cost one timer and
// O(log N) per reschedule. Deadlines that fall within a batch of each other are woken in the
// same pass: `batchMs`, widened up to 20 ms as the schedule grows (one wake-up of the event loop
// costs a poll over every connection).
#pragma once

#include "server/DeadlineSchedule.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace qalam::server {

class ScheduleTimer : public QObject
{
    Q_OBJECT

public:
    using Key = DeadlineSchedule::Key;

    explicit ScheduleTimer(int batchMs = 4, QObject *parent = nullptr);

    // A new entry that calls `wake` each time its deadline comes; not scheduled yet.
    Key add(std::function<void()> wake);
    // Forgets the entry (safe from inside its own wake).
    void remove(Key key);

    void wakeAt(Key key, qint64 dueMs);
    void wakeIn(Key key, qint64 delayMs) { wakeAt(key, now() + delayMs); }
    void cancel(Key key);
    bool isScheduled(Key key) const { return m_schedule.isScheduled(key); }

    // Milliseconds on this timer's monotonic clock.
    qint64 now() const { return m_clock.elapsed(); }
    // Entries with a deadline.
    qsizetype scheduledCount() const { return m_schedule.size(); }

private:
    void arm();
    void fire();

    int m_batchMs;
    QElapsedTimer m_clock;
    DeadlineSchedule m_schedule;
    std::unordered_map<Key, std::function<void()>> m_wakes;
    Key m_nextKey = 1;
    qint64 m_armedFor = -1; // the deadline the timer is set for; -1: not set
    bool m_firing = false;
    QTimer m_timer; // no parent: not one of the owner's children
};

} // namespace qalam::server
