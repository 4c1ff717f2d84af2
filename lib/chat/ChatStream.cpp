#include "chat/ChatStream.h"

namespace qalam {

namespace {

// Code points in `text`, counted as toUcs4() would (a lone surrogate is one), without making
// the UCS-4 copy toUcs4() does for every delta.
qint64 codePointCount(QStringView text)
{
    qint64 count = text.size();
    const QChar *const end = text.end();
    for (const QChar *c = text.begin(); c != end; ++c) {
        if (c->isHighSurrogate() && c + 1 != end && c[1].isLowSurrogate()) {
            --count;
            ++c;
        }
    }
    return count;
}

} // namespace

double ChatMetrics::charactersPerSecond() const
{
    if (generationMs <= 0)
        return 0.0;
    return double(characters) * 1000.0 / double(generationMs);
}

ChatStream::ChatStream(ChatProtocol::Kind kind, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent), m_protocol(ChatProtocol::create(kind)), m_consumer(network, this)
{
    connect(&m_consumer, &SseConsumer::opened, this, [this] { setPhase(Phase::Streaming); });
    connect(&m_consumer, &SseConsumer::eventReceived, this, &ChatStream::onEvent);
    connect(&m_consumer, &SseConsumer::reconnecting, this,
            [this](int attempt, qint64 delayMs, const QString &reason) {
                setPhase(Phase::Reconnecting);
                Q_EMIT reconnecting(attempt, delayMs, reason);
            });
    connect(&m_consumer, &SseConsumer::errorOccurred, this, &ChatStream::onConsumerError);
    connect(&m_consumer, &SseConsumer::finished, this, &ChatStream::onConsumerFinished);
}

ChatStream::~ChatStream() = default;

void ChatStream::setConsumerOptions(const SseConsumer::Options &options)
{
    m_options = options;
}

void ChatStream::start(const ChatRequest &request)
{
    m_protocol->reset();
    begin(m_protocol->buildRequest(request));
}

void ChatStream::resume(const ChatRequest &request, const QString &lastEventId)
{
    m_protocol->reset();
    m_protocol->prepareResume();
    SseRequest sse = m_protocol->buildRequest(request);
    sse.lastEventId = lastEventId;
    begin(sse);
}

void ChatStream::begin(const SseRequest &request)
{
    m_text.clear();
    m_consumerError.clear();
    m_metrics = {};
    m_clock.start();

    SseConsumer::Options options = m_options;
    if (!m_protocol->canResume())
        options.maxReconnects = 0;
    m_consumer.setOptions(options);
    setPhase(Phase::Connecting);
    m_consumer.start(request);
}

void ChatStream::cancel()
{
    if (m_phase == Phase::Idle || m_phase == Phase::Finished)
        return;
    conclude(Outcome::Cancelled, tr("stopped"));
}

ChatMetrics ChatStream::metrics() const
{
    ChatMetrics metrics = m_metrics;
    const SseMetrics transport = m_consumer.metrics();
    metrics.reconnects = transport.reconnects;
    metrics.bytes = transport.bytes;
    metrics.timeToFirstByteMs = transport.timeToFirstByteMs;
    if (m_phase != Phase::Finished && m_clock.isValid())
        metrics.elapsedMs = m_clock.elapsed();
    return metrics;
}

void ChatStream::onEvent(const SseEvent &event)
{
    if (m_phase == Phase::Finished)
        return;
    const ChatUpdate update = m_protocol->handleEvent(event);
    if (update.model)
        m_metrics.model = *update.model;
    if (update.usage)
        m_metrics.usage = *update.usage;
    if (update.finishReason)
        m_metrics.finishReason = *update.finishReason;
    if (update.progress)
        Q_EMIT progress(*update.progress, update.progressPercent);
    if (!update.reasoning.isEmpty())
        Q_EMIT reasoningReceived(update.reasoning);
    if (!update.text.isEmpty()) {
        if (m_text.size() + update.text.size() > m_maxAnswerLength) {
            conclude(Outcome::Failed,
                     tr("the answer is longer than %1 characters; it was cut off there")
                         .arg(m_maxAnswerLength));
            return;
        }
        const qint64 now = m_clock.elapsed();
        if (m_metrics.timeToFirstTokenMs < 0)
            m_metrics.timeToFirstTokenMs = now;
        m_metrics.generationMs = now - m_metrics.timeToFirstTokenMs;
        m_metrics.characters += codePointCount(update.text);
        m_text += update.text;
        Q_EMIT textReceived(update.text);
        if (m_phase == Phase::Finished)
            return; // a receiver cancelled
    }
    if (update.error) {
        const QString message =
            update.error->code.isEmpty()
                ? update.error->message
                : QStringLiteral("%1 (%2)").arg(update.error->message, update.error->code);
        conclude(Outcome::Failed, message);
        return;
    }
    if (update.complete)
        conclude(Outcome::Completed, {});
}

void ChatStream::onConsumerError(SseConsumer::ErrorKind kind, const QString &message)
{
    Q_UNUSED(kind);
    m_consumerError = message;
}

void ChatStream::onConsumerFinished(SseConsumer::FinishReason reason)
{
    if (m_phase == Phase::Finished)
        return;
    switch (reason) {
    case SseConsumer::FinishReason::Cancelled:
        conclude(Outcome::Cancelled, tr("stopped"));
        return;
    case SseConsumer::FinishReason::Failed:
        // Text that already arrived makes this an interrupted answer rather than no answer.
        conclude(m_text.isEmpty() ? Outcome::Failed : Outcome::Interrupted, m_consumerError);
        return;
    case SseConsumer::FinishReason::ServerClosed:
    case SseConsumer::FinishReason::EndOfStream:
        conclude(Outcome::Interrupted,
                 m_protocol->canResume()
                     ? tr("the connection ended before the answer was complete, and resuming "
                          "did not succeed")
                     : tr("the connection ended before the answer was complete (no [DONE])"));
        return;
    }
}

void ChatStream::conclude(Outcome outcome, const QString &message)
{
    if (m_phase == Phase::Finished)
        return;
    m_metrics.elapsedMs = m_clock.elapsed();
    setPhase(Phase::Finished);
    m_consumer.cancel(); // the answer is decided; nothing more is read
    Q_EMIT finished(outcome, message);
}

void ChatStream::setPhase(Phase phase)
{
    if (m_phase == phase)
        return;
    m_phase = phase;
    Q_EMIT phaseChanged(phase);
}

} // namespace qalam
