#include "SseTestSupport.h"

namespace qalam::test {

SseRequest get(const QUrl &url)
{
    SseRequest request;
    request.url = url;
    return request;
}

SseConsumer::Options quickReconnects(int maxReconnects)
{
    SseConsumer::Options options;
    options.minRetryMs = 1;
    options.initialRetryMs = 10;
    options.maxRetryMs = 50;
    options.maxReconnects = maxReconnects;
    return options;
}

SseRecorder::SseRecorder(SseConsumer &consumer, Keep mode) : keep(mode)
{
    connect(&consumer, &SseConsumer::opened, this, [this] { ++opened; });
    connect(&consumer, &SseConsumer::eventReceived, this, [this](const SseEvent &event) {
        ++eventCount;
        if (keep == Keep::All)
            events.append(event);
    });
    connect(&consumer, &SseConsumer::comment, this, [this](const QString &text) {
        ++commentCount;
        if (keep == Keep::All)
            comments.append(text);
    });
    connect(&consumer, &SseConsumer::retryChanged, this, [this](qint64 ms) { retries.append(ms); });
    connect(&consumer, &SseConsumer::reconnecting, this,
            [this](int attempt, qint64 delayMs, const QString &reason) {
                reconnects.append({attempt, delayMs, reason});
            });
    connect(&consumer, &SseConsumer::errorOccurred, this,
            [this](SseConsumer::ErrorKind kind, const QString &message) {
                errors.append({kind, message});
            });
    connect(&consumer, &SseConsumer::finished, this,
            [this](SseConsumer::FinishReason reason) { finishes.append(reason); });
}

QStringList SseRecorder::data() const
{
    QStringList out;
    for (const SseEvent &event : events)
        out.append(event.data);
    return out;
}

QList<qint64> SseRecorder::delays() const
{
    QList<qint64> out;
    for (const Reconnect &reconnect : reconnects)
        out.append(reconnect.delayMs);
    return out;
}

} // namespace qalam::test
