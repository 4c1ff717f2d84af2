// ChatProtocol: turns a ChatRequest into an HTTP request and the events of its answer into
// ChatUpdates. Pure: no networking and no event loop, so each adapter is tested event by event
// (and fuzzed) without a server.
#pragma once

#include "chat/ChatTypes.h"
#include "sse/SseEvent.h"
#include "sse/SseRequest.h"

#include <QJsonArray>

#include <memory>

namespace qalam {

class ChatProtocol
{
public:
    enum class Kind { AdminStream, OpenAi };

    virtual ~ChatProtocol() = default;

    static std::unique_ptr<ChatProtocol> create(Kind kind);
    // "admin" or "openai"; nothing for other names.
    static std::optional<Kind> kindFromName(QStringView name);
    static QString name(Kind kind);

    virtual Kind kind() const = 0;
    virtual SseRequest buildRequest(const ChatRequest &request) const = 0;
    // True when a dropped connection can continue with Last-Event-ID without losing or repeating
    // text; false when a reconnection would start a new answer.
    virtual bool canResume() const = 0;
    virtual ChatUpdate handleEvent(const SseEvent &event) = 0;
    // Forget the previous answer's state before a new request.
    virtual void reset() = 0;
    // The next events continue an answer whose earlier part the caller already has (a resume
    // with Last-Event-ID from a saved id): protocols that number their pieces accept the first
    // number they see as the continuation point.
    virtual void prepareResume() {}

protected:
    static QJsonArray messagesArray(const QList<ChatMessage> &messages);
    static void addCommonHeaders(SseRequest &out, const ChatRequest &request);
};

} // namespace qalam
