// Shared driver of the protocol adapter fuzz targets: the input is an SSE stream (so the seed
// corpus is real streams and mutations stay close to them); every event it holds goes to the
// adapter, and the updates are checked for the invariants ChatStream relies on.
#pragma once

#include "chat/ChatProtocol.h"
#include "sse/SseParser.h"

#include <QList>

#include <cstdio>
#include <cstdlib>
#include <functional>

namespace qalam::fuzz {

inline void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "protocol fuzz target: invariant violated: %s\n", what);
        std::abort();
    }
}

inline QList<SseEvent> parseEvents(QByteArrayView bytes)
{
    struct Collector final : SseParser::Handler
    {
        QList<SseEvent> events;
        void onEvent(const SseEvent &event) override { events.append(event); }
    } collector;
    SseParser parser(collector);
    parser.feed(bytes);
    return collector.events;
}

// A comparable digest of an update (ChatUpdate itself has no operator==).
inline QString digest(const ChatUpdate &u)
{
    return u.text + u'\x1f' + u.reasoning + u'\x1f' + u.model.value_or(QStringLiteral("-")) +
           u'\x1f' + u.progress.value_or(QStringLiteral("-")) + u'\x1f' +
           QString::number(u.progressPercent) + u'\x1f' +
           (u.usage ? QString::number(u.usage->totalTokens) : QStringLiteral("-")) + u'\x1f' +
           u.finishReason.value_or(QStringLiteral("-")) + u'\x1f' + QString::number(u.complete) +
           u'\x1f' + (u.error ? u.error->code + u'\x1f' + u.error->message : QStringLiteral("-"));
}

// Feeds the events like ChatStream does (stopping at the first terminal update) and returns the
// digests. (That text is only ever appended is the shape of the API: an update carries text to
// append, nothing can take text back; what is checked is what each update may carry.) `afterEvent`
// sees the protocol after each event, for protocol-specific checks.
inline QList<QString> drive(ChatProtocol &protocol, const QList<SseEvent> &events,
                            const std::function<void(const ChatUpdate &)> &afterEvent = {})
{
    QList<QString> digests;
    for (const SseEvent &event : events) {
        const ChatUpdate update = protocol.handleEvent(event);
        // The terminal marker and an error are exclusive: an answer is either whole or failed.
        check(!(update.complete && update.error), "an update is both complete and an error");
        if (update.error)
            check(!update.error->code.isEmpty() && !update.error->message.isEmpty(),
                  "an error without a code or message");
        if (afterEvent)
            afterEvent(update);
        digests.append(digest(update));
        if (update.complete || update.error)
            break;
    }
    return digests;
}

} // namespace qalam::fuzz
