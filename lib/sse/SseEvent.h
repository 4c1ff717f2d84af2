// SseEvent: one dispatched Server-Sent Event, as the WHATWG "dispatch the event" step defines it.
#pragma once

#include <QString>

namespace qalam {

struct SseEvent
{
    QString type;        // "message" unless an `event:` field named another type
    QString data;        // data lines joined with '\n', without the final '\n'
    QString lastEventId; // the stream's last event id at dispatch time (persists across events)

    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

} // namespace qalam
