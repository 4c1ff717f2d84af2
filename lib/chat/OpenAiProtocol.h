// OpenAiProtocol: OpenAI-compatible chat completions streaming (OpenAI, OpenRouter, vLLM,
// llama.cpp, Ollama /v1). Tolerates every known variant: the role-only first chunk,
// `content: null`, chunks with empty `choices`, the usage chunk, errors sent as a chunk after
// the stream started (OpenAI/OpenRouter `error` objects, vLLM `object: "error"`). Only
// `data: [DONE]` completes an answer; such streams cannot resume.
#pragma once

#include "chat/ChatProtocol.h"
#include "chat/OpenAiChunkScanner.h"

#include <QCoreApplication>

namespace qalam {

class OpenAiProtocol final : public ChatProtocol
{
    // Its error messages reach the chat window, which shows them in the UI language.
    Q_DECLARE_TR_FUNCTIONS(OpenAiProtocol)

public:
    Kind kind() const override { return Kind::OpenAi; }
    SseRequest buildRequest(const ChatRequest &request) const override;
    bool canResume() const override { return false; }
    ChatUpdate handleEvent(const SseEvent &event) override;
    void reset() override
    {
        m_finishReason.clear();
        m_scanner.reset();
    }

    // Whether the usual chunks are read by OpenAiChunkScanner (the default) or all of them with
    // QJsonDocument; both give the same updates (tests/fuzz/fuzz_openaichunkscanner compares
    // them), so this is for that comparison and for benchmarks.
    void setChunkScannerEnabled(bool enabled) { m_scannerEnabled = enabled; }

    // {base}/chat/completions, unless the URL already names the endpoint.
    static QUrl completionsUrl(const QUrl &base);

private:
    ChatUpdate parseChunk(const SseEvent &event, bool errorEvent);

    OpenAiChunkScanner m_scanner;
    QString m_finishReason;
    QString m_model; // the last model name the scanner saw, shared with each update that repeats it
    bool m_scannerEnabled = true;
};

} // namespace qalam
