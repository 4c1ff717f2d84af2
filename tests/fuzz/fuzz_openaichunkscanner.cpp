// fuzz_openaichunkscanner: OpenAiProtocol with OpenAiChunkScanner (the fast path for the usual
// chunk) against OpenAiProtocol reading every chunk with QJsonDocument. Both must give the same
// update, field by field, for every event, and leave the same state behind (the finish reason
// that [DONE] reports). The input is used three ways: as one event's data (UTF-8, so mutations
// work on the JSON directly), as one event's data read as raw UTF-16 (lone surrogates and any
// other code unit), and as an SSE stream whose events are fed in order.
#include "ProtocolFuzzing.h"
#include "chat/OpenAiChunkScanner.h"
#include "chat/OpenAiProtocol.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

using namespace qalam;

namespace {

bool sameOptional(const std::optional<QString> &a, const std::optional<QString> &b)
{
    return a.has_value() == b.has_value() && (!a || *a == *b);
}

void checkSame(const ChatUpdate &fast, const ChatUpdate &general)
{
    fuzz::check(fast.text == general.text, "text differs");
    fuzz::check(fast.reasoning == general.reasoning, "reasoning differs");
    fuzz::check(sameOptional(fast.model, general.model), "model differs");
    fuzz::check(sameOptional(fast.progress, general.progress), "progress differs");
    fuzz::check(fast.progressPercent == general.progressPercent, "progress percent differs");
    fuzz::check(fast.usage.has_value() == general.usage.has_value(), "usage presence differs");
    if (fast.usage) {
        fuzz::check(fast.usage->promptTokens == general.usage->promptTokens &&
                        fast.usage->completionTokens == general.usage->completionTokens &&
                        fast.usage->totalTokens == general.usage->totalTokens,
                    "usage differs");
    }
    fuzz::check(sameOptional(fast.finishReason, general.finishReason), "finish reason differs");
    fuzz::check(fast.complete == general.complete, "complete differs");
    fuzz::check(fast.error.has_value() == general.error.has_value(), "error presence differs");
    if (fast.error) {
        fuzz::check(fast.error->code == general.error->code &&
                        fast.error->message == general.error->message,
                    "error differs");
    }
}

// Both protocols see the same events; after them, [DONE] shows the state they kept.
void compare(const QList<SseEvent> &events)
{
    OpenAiProtocol fast;
    OpenAiProtocol general;
    general.setChunkScannerEnabled(false);
    for (const SseEvent &event : events) {
        OpenAiChunkScanner::Chunk chunk;
        // On its own too: it must not crash or read outside the text, whatever it holds.
        OpenAiChunkScanner::scanChunk(event.data, chunk);
        checkSame(fast.handleEvent(event), general.handleEvent(event));
    }
    const SseEvent done{QStringLiteral("message"), QStringLiteral("[DONE]"), {}};
    checkSame(fast.handleEvent(done), general.handleEvent(done));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString message = QStringLiteral("message");
    compare({SseEvent{message, QString::fromUtf8(bytes), {}}});

    QString units(qsizetype(size / 2), Qt::Uninitialized);
    if (!units.isEmpty())
        std::memcpy(units.data(), data, size_t(units.size()) * 2);
    compare({SseEvent{message, units, {}}});

    compare(fuzz::parseEvents(bytes));
    return 0;
}
