// fuzz_adminprotocol: AdminStreamProtocol on the events of an arbitrary SSE stream. Besides the
// shared invariants (ProtocolFuzzing.h): terminal updates carry no text; the delta sequence
// only moves forward one step at a time, so a resumed stream can never show a delta twice or skip
// one silently; and reset() forgets everything, so a second run of the same events gives the same
// updates.
//
// Input: byte 0 bit 0 set makes the first run a resume (prepareResume()); the rest is the stream.
#include "ProtocolFuzzing.h"
#include "chat/AdminStreamProtocol.h"

#include <cstddef>
#include <cstdint>

using namespace qalam;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const bool resuming = data[0] & 1;
    const QList<SseEvent> events = fuzz::parseEvents(
        QByteArrayView(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));

    AdminStreamProtocol protocol;
    const auto runOnce = [&] {
        if (resuming)
            protocol.prepareResume();
        bool sequenced = !resuming; // until a resume has fixed its starting point
        qint64 lastSeq = protocol.lastSequence();
        return fuzz::drive(protocol, events, [&](const ChatUpdate &update) {
            // done and error events carry no text: the answer is settled before them.
            if (update.complete || update.error)
                fuzz::check(update.text.isEmpty(), "a terminal update carried text");
            const qint64 seq = protocol.lastSequence();
            if (sequenced) {
                fuzz::check(seq == lastSeq || seq == lastSeq + 1,
                            "the delta sequence moved by more than one");
                if (seq == lastSeq + 1)
                    fuzz::check(!update.error, "an accepted delta came with an error");
            }
            if (seq != lastSeq)
                sequenced = true;
            lastSeq = seq;
        });
    };
    const QList<QString> first = runOnce();
    protocol.reset();
    fuzz::check(protocol.lastSequence() == 0 && protocol.streamId().isEmpty(),
                "reset() kept state");
    fuzz::check(runOnce() == first, "the same events after reset() gave different updates");
    return 0;
}
