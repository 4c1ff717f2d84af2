// fuzz_openaiprotocol: OpenAiProtocol on the events of an arbitrary SSE stream (the corpus holds
// the quirks of OpenAI, OpenRouter, vLLM, llama.cpp and Ollama). Besides the shared invariants
// (ProtocolFuzzing.h): only `[DONE]` completes, and carries no text; and reset() forgets the
// finish reason, so a second run of the same events gives the same updates.
#include "ProtocolFuzzing.h"
#include "chat/OpenAiProtocol.h"

#include <cstddef>
#include <cstdint>

using namespace qalam;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QList<SseEvent> events =
        fuzz::parseEvents(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    OpenAiProtocol protocol;
    const auto runOnce = [&] {
        return fuzz::drive(protocol, events, [](const ChatUpdate &update) {
            if (update.complete)
                fuzz::check(update.text.isEmpty() && update.reasoning.isEmpty(),
                            "the [DONE] marker carried text");
        });
    };
    const QList<QString> first = runOnce();
    protocol.reset();
    fuzz::check(runOnce() == first, "the same events after reset() gave different updates");
    return 0;
}
