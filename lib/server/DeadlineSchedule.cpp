#include "server/DeadlineSchedule.h"

namespace qalam::server {

void DeadlineSchedule::schedule(Key key, qint64 dueMs)
{
    cancel(key);
    const quint64 order = m_order++;
    m_entries.insert({dueMs, order, key});
    m_dueOf.emplace(key, std::make_pair(dueMs, order));
}

void DeadlineSchedule::cancel(Key key)
{
    const auto found = m_dueOf.find(key);
    if (found == m_dueOf.end())
        return;
    m_entries.erase({found->second.first, found->second.second, key});
    m_dueOf.erase(found);
}

std::optional<qint64> DeadlineSchedule::dueOf(Key key) const
{
    const auto found = m_dueOf.find(key);
    if (found == m_dueOf.end())
        return std::nullopt;
    return found->second.first;
}

std::optional<qint64> DeadlineSchedule::nextDue() const
{
    if (m_entries.empty())
        return std::nullopt;
    return m_entries.begin()->due;
}

std::vector<DeadlineSchedule::Key> DeadlineSchedule::takeDue(qint64 nowMs)
{
    std::vector<Key> due;
    while (!m_entries.empty() && m_entries.begin()->due <= nowMs) {
        const Key key = m_entries.begin()->key;
        m_entries.erase(m_entries.begin());
        m_dueOf.erase(key);
        due.push_back(key);
    }
    return due;
}

} // namespace qalam::server
