#include "session/LiveAnswer.h"

#include "session/AnswerFailure.h"
#include "store/MessageMetrics.h"

namespace qalam {

namespace {

StoredMessage::State stateFor(ChatStream::Outcome outcome)
{
    switch (outcome) {
    case ChatStream::Outcome::Completed:
        return StoredMessage::State::Complete;
    case ChatStream::Outcome::Interrupted:
        return StoredMessage::State::Interrupted;
    case ChatStream::Outcome::Failed:
        return StoredMessage::State::Failed;
    case ChatStream::Outcome::Cancelled:
        return StoredMessage::State::Cancelled;
    }
    return StoredMessage::State::Failed;
}

} // namespace

LiveAnswer::LiveAnswer(ConversationStore *store, const StoredMessage &message,
                       ChatProtocol::Kind kind, QNetworkAccessManager *network,
                       const SseConsumer::Options &options, QObject *parent)
    : QObject(parent), m_message(message), m_stream(kind, network),
      m_saver(std::make_unique<AnswerSaver>(store, message.id)),
      m_maxReconnects(options.maxReconnects)
{
    m_stream.setConsumerOptions(options);
    m_saver->setStored(message);
    // The saver retries a failed write by itself (with backoff) and holds the text meanwhile;
    // this only reports it, so the UI can mark the answer "not saved" until a write succeeds.
    connect(m_saver.get(), &AnswerSaver::savedStateChanged, this, [this](bool saved) {
        m_saved = saved;
        Q_EMIT savedChanged(saved, saved ? QString() : m_saver->lastError());
    });

    connect(&m_stream, &ChatStream::textReceived, this, [this](const QString &delta) {
        m_message.content += delta;
        // The id of the event that carried this text goes into the same write as the text: a
        // resume from the saved id never repeats or skips a delta.
        m_message.lastEventId = m_stream.lastEventId();
        m_saver->setLastEventId(m_message.lastEventId);
        m_saver->appendText(delta);
        Q_EMIT textReceived(delta);
    });
    connect(&m_stream, &ChatStream::phaseChanged, this, [this](ChatStream::Phase phase) {
        if (phase != ChatStream::Phase::Reconnecting && phase != ChatStream::Phase::Finished)
            Q_EMIT phaseChanged(phase, QString());
    });
    connect(&m_stream, &ChatStream::reconnecting, this,
            [this](int attempt, qint64 delayMs, const QString &reason) {
                m_reconnect.kind = AnswerActivity::Kind::Reconnecting;
                m_reconnect.attempt = attempt;
                m_reconnect.maxAttempts = m_maxReconnects;
                m_reconnect.reason = reason;
                m_reconnect.nextAttempt = QDeadlineTimer(delayMs);
                Q_EMIT phaseChanged(ChatStream::Phase::Reconnecting, activity().text());
            });
    connect(&m_stream, &ChatStream::finished, this, &LiveAnswer::onFinished);
}

LiveAnswer::~LiveAnswer()
{
    m_stream.disconnect(this);
    if (!m_finished) {
        m_stream.cancel();
        m_saver->setState(StoredMessage::State::Interrupted, closingReason());
    }
    // The saver's destructor writes whatever is still unsaved.
}

QString LiveAnswer::closingReason()
{
    return tr("the application was closed");
}

bool LiveAnswer::canResume() const
{
    return m_stream.canResume() && !m_message.lastEventId.isEmpty();
}

AnswerActivity LiveAnswer::activity() const
{
    AnswerActivity activity;
    switch (m_stream.phase()) {
    case ChatStream::Phase::Idle:
        activity.kind =
            m_started || m_finished ? AnswerActivity::Kind::None : AnswerActivity::Kind::Connecting;
        break;
    case ChatStream::Phase::Connecting:
        activity.kind = AnswerActivity::Kind::Connecting;
        break;
    case ChatStream::Phase::Streaming:
        activity.kind = AnswerActivity::Kind::Streaming;
        break;
    case ChatStream::Phase::Reconnecting:
        activity = m_reconnect;
        break;
    case ChatStream::Phase::Finished:
        break;
    }
    activity.saved = m_saved;
    return activity;
}

void LiveAnswer::start(const ChatRequest &request)
{
    begin(request);
    m_stream.start(request);
}

void LiveAnswer::resume(const ChatRequest &request)
{
    begin(request);
    m_stream.resume(request, m_message.lastEventId);
}

void LiveAnswer::begin(const ChatRequest &request)
{
    m_started = true;
    m_finished = false;
    m_model = request.model;
    m_endpoint = AnswerFailure::displayEndpoint(request.url);
    m_message.state = StoredMessage::State::Streaming;
    m_message.errorText.clear();
    // Who answers is saved with the first write, so even an answer cut off by a crash says it.
    MessageMetrics origin;
    origin.profile = m_profileName;
    origin.model = m_model;
    origin.endpoint = m_endpoint;
    m_message.metricsJson = origin.toJson();
    m_saver->setMetricsJson(m_message.metricsJson);
    m_saver->setState(StoredMessage::State::Streaming);
}

void LiveAnswer::stop()
{
    if (m_finished)
        return;
    if (m_started) {
        m_stream.cancel(); // finished() follows from the stream
        return;
    }
    // Still waiting for a free slot: it ends here, having asked nothing.
    m_finished = true;
    m_message.state = StoredMessage::State::Cancelled;
    m_message.errorText = tr("stopped before it started");
    m_saver->setState(m_message.state, m_message.errorText);
    Q_EMIT finished(m_message);
}

void LiveAnswer::onFinished(ChatStream::Outcome outcome, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    const ChatMetrics metrics = m_stream.metrics();
    MessageMetrics stored;
    stored.timeToFirstTokenMs = metrics.timeToFirstTokenMs;
    stored.charactersPerSecond = metrics.charactersPerSecond();
    stored.reconnects = metrics.reconnects;
    stored.finishReason = metrics.finishReason;
    stored.model = metrics.model.isEmpty() ? m_model : metrics.model;
    stored.profile = m_profileName;
    stored.endpoint = m_endpoint;
    if (outcome == ChatStream::Outcome::Failed || outcome == ChatStream::Outcome::Interrupted) {
        const AnswerFailure failure = AnswerFailure::classify(message);
        stored.failure = AnswerFailure::kindName(failure.kind);
        stored.httpStatus = failure.httpStatus;
    }

    m_message.state = stateFor(outcome);
    m_message.errorText = outcome == ChatStream::Outcome::Completed ? QString() : message;
    m_message.metricsJson = stored.toJson();
    if (const QString id = m_stream.lastEventId(); !id.isEmpty())
        m_message.lastEventId = id;
    m_saver->setMetricsJson(m_message.metricsJson);
    m_saver->setLastEventId(m_message.lastEventId);
    m_saver->setState(m_message.state, m_message.errorText);
    Q_EMIT phaseChanged(ChatStream::Phase::Finished, QString());
    Q_EMIT finished(m_message);
}

} // namespace qalam
