// ChatStream: one streamed answer, from request to outcome.
//
// Joins an SseConsumer (transport, reconnection) to a ChatProtocol (meaning) and reports the
// answer as text deltas plus exactly one finished() with the outcome. An answer whose stream
// ends without the protocol's terminal marker is Interrupted, never Completed; the text that did
// arrive has already been delivered and stays the caller's.
#pragma once

#include "chat/ChatProtocol.h"
#include "chat/ChatTypes.h"
#include "sse/SseConsumer.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace qalam {

struct ChatMetrics
{
    qint64 timeToFirstByteMs = -1; // of the response body, from start()
    qint64 timeToFirstTokenMs = -1;
    qint64 characters = 0; // Unicode code points of answer text
    qint64 elapsedMs = 0;
    qint64 generationMs = 0; // from the first token to the last
    int reconnects = 0;
    qint64 bytes = 0;
    ChatUsage usage;
    QString finishReason;
    QString model;

    double charactersPerSecond() const;
};

class ChatStream : public QObject
{
    Q_OBJECT

public:
    enum class Outcome { Completed, Interrupted, Failed, Cancelled };
    Q_ENUM(Outcome)

    enum class Phase { Idle, Connecting, Streaming, Reconnecting, Finished };
    Q_ENUM(Phase)

    explicit ChatStream(ChatProtocol::Kind kind, QNetworkAccessManager *network = nullptr,
                        QObject *parent = nullptr);
    ~ChatStream() override;

    // Transport options (stall timeout, reconnection budget). For protocols that cannot resume,
    // reconnection is always off: a new request would start a different answer.
    void setConsumerOptions(const SseConsumer::Options &options);

    // An answer longer than this (in UTF-16 units) is cut off and reported as Failed, so a
    // runaway server cannot take all memory. Default: 32 Mi.
    void setMaxAnswerLength(qsizetype length) { m_maxAnswerLength = length; }

    void start(const ChatRequest &request);
    // Continues an answer cut off earlier (even in an earlier run), from its last event id.
    // Only for protocols that canResume(); the text before that id is the caller's.
    void resume(const ChatRequest &request, const QString &lastEventId);
    bool canResume() const { return m_protocol->canResume(); }
    void cancel();

    Phase phase() const { return m_phase; }
    ChatProtocol::Kind kind() const { return m_protocol->kind(); }
    const QString &text() const { return m_text; }
    ChatMetrics metrics() const;
    QString lastEventId() const { return m_consumer.lastEventId(); }

Q_SIGNALS:
    void phaseChanged(qalam::ChatStream::Phase phase);
    void textReceived(const QString &delta);
    void reasoningReceived(const QString &delta);
    void progress(const QString &message, int percent);
    void reconnecting(int attempt, qint64 delayMs, const QString &reason);
    // Exactly once per start(): the outcome and, unless Completed, why.
    void finished(qalam::ChatStream::Outcome outcome, const QString &message);

private:
    void onEvent(const SseEvent &event);
    void onConsumerError(SseConsumer::ErrorKind kind, const QString &message);
    void onConsumerFinished(SseConsumer::FinishReason reason);
    void setPhase(Phase phase);
    void begin(const SseRequest &request);
    void conclude(Outcome outcome, const QString &message);

    std::unique_ptr<ChatProtocol> m_protocol;
    SseConsumer m_consumer;
    SseConsumer::Options m_options;
    Phase m_phase = Phase::Idle;
    QString m_text;
    QString m_consumerError;
    ChatMetrics m_metrics;
    QElapsedTimer m_clock;
    qsizetype m_maxAnswerLength = 32 * 1024 * 1024;
};

} // namespace qalam
