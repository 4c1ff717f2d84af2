#include "ChatTestSupport.h"

#include <QSignalSpy>

namespace qalam::test {

ChatRequest chatRequest(const QUrl &url, const QString &prompt, const QString &apiKey)
{
    ChatRequest request;
    request.url = url;
    request.messages.append({ChatMessage::Role::User, prompt});
    request.apiKey = apiKey;
    return request;
}

ChatRecorder::ChatRecorder(ChatStream &stream)
{
    connect(&stream, &ChatStream::textReceived, this, [this](const QString &delta) {
        text += delta;
        ++deltas;
    });
    connect(&stream, &ChatStream::reasoningReceived, this,
            [this](const QString &delta) { reasoning += delta; });
    connect(&stream, &ChatStream::reconnecting, this, [this](int, qint64 delayMs, const QString &) {
        ++reconnects;
        reconnectDelays.append(delayMs);
    });
    connect(&stream, &ChatStream::finished, this,
            [this](ChatStream::Outcome outcome, const QString &message) {
                outcomes.append(outcome);
                messages.append(message);
            });
}

ChatRun runToEnd(ChatStream &stream, const ChatRequest &request, int timeoutMs)
{
    ChatRecorder recorder(stream);
    // QSignalSpy::wait() runs a real event loop until the signal (QTest::qWaitFor would poll,
    // sleeping between rounds, which slows a long upload through a proxy to a crawl).
    QSignalSpy finished(&stream, &ChatStream::finished);
    stream.start(request);
    ChatRun run;
    run.finished = !recorder.outcomes.isEmpty() || finished.wait(timeoutMs);
    if (!run.finished) {
        qWarning("the answer did not end within %d ms", timeoutMs);
        return run;
    }
    run.outcome = recorder.outcomes.first();
    run.message = recorder.messages.first();
    run.text = stream.text();
    run.reconnects = recorder.reconnects;
    run.metrics = stream.metrics();
    return run;
}

} // namespace qalam::test
