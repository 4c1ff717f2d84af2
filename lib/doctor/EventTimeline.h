// EventTimeline: a captured response's body read as an event stream (WHATWG rules, SseParser),
// each event and comment with the time its last byte arrived, plus where the UTF-8 first goes
// wrong. Pure: the doctor's checks are computed from it.
#pragma once

#include "capture/CapturedResponse.h"
#include "sse/SseEvent.h"

#include <QList>

namespace qalam::doctor {

using capture::CapturedChunk;
using capture::CapturedResponse;

struct TimedEvent
{
    SseEvent event;
    qint64 atMs = 0;
};

struct EventTimeline
{
    QList<TimedEvent> events;
    QList<qint64> commentTimes;
    qint64 retryMs = -1;          // the first `retry:` seen, or -1
    qint64 firstInvalidUtf8 = -1; // byte offset in the body, or -1 when it is all valid UTF-8
    qint64 invalidUtf8AtMs = -1;  // when that byte arrived
    bool parseFailed = false;     // a line or event over the parser's limits

    static EventTimeline read(const CapturedResponse &response);
};

} // namespace qalam::doctor
