// DeadlineSchedule: the one ordered list of "wake this up at time T" entries the whole demo server
// shares, for stream pacing, heartbeats and connection timeouts.
//
// A QTimer per stream and per connection does not scale: Qt keeps its timers in one sorted list
// and every restart of a short pacing timer walks past all the long heartbeat timers, O(N) per
// event. Here an entry is rescheduled in O(log N), and one timer (ScheduleTimer) wakes the server
// for everything due at once. Pure: times are plain milliseconds on any monotonic clock, keys are
// numbers the owner maps to what they wake.
#pragma once

#include <QtGlobal>

#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace qalam::server {

class DeadlineSchedule
{
public:
    using Key = quint64;

    // Sets (or moves) `key`'s deadline to `dueMs`.
    void schedule(Key key, qint64 dueMs);
    // Removes `key`'s deadline, if it has one.
    void cancel(Key key);
    bool isScheduled(Key key) const { return m_dueOf.count(key) != 0; }
    std::optional<qint64> dueOf(Key key) const;

    // The earliest deadline; nothing when the schedule is empty.
    std::optional<qint64> nextDue() const;
    // Removes and returns every key due at or before `nowMs`, earliest first (keys with the
    // same deadline in the order they were scheduled).
    std::vector<Key> takeDue(qint64 nowMs);

    qsizetype size() const { return qsizetype(m_dueOf.size()); }
    bool isEmpty() const { return m_dueOf.empty(); }

private:
    struct Entry
    {
        qint64 due;
        quint64 order; // ties: first scheduled, first woken
        Key key;
        bool operator<(const Entry &other) const
        {
            return due != other.due ? due < other.due : order < other.order;
        }
    };
    std::set<Entry> m_entries;
    std::unordered_map<Key, std::pair<qint64, quint64>> m_dueOf; // key -> (due, order)
    quint64 m_order = 0;
};

} // namespace qalam::server
