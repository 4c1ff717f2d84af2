// LiveAnswer: one answer streaming into its stored message, from request to outcome, whether or
// not its conversation is on screen.
//
// Owns the ChatStream and the AnswerSaver of that message. Every save writes the text together
// with the last event id it ends at, so an answer cut off by a crash, a network failure or a
// stop can be continued in place (resume()) from exactly where the database says it stopped.
// The text is saved as it arrives, not as a typewriter reveals it. Nothing here knows about
// widgets or about which conversation is shown.
#pragma once

#include "chat/ChatStream.h"
#include "store/AnswerSaver.h"
#include "store/StoredMessage.h"

#include <QObject>

#include <memory>

class QNetworkAccessManager;

namespace qalam {

class ConversationStore;

class LiveAnswer : public QObject
{
    Q_OBJECT

public:
    // `message` is the stored answer (Streaming, or the Interrupted one to continue). The store
    // must outlive the answer; `network` may be null (a default manager).
    LiveAnswer(ConversationStore *store, const StoredMessage &message, ChatProtocol::Kind kind,
               QNetworkAccessManager *network, const SseConsumer::Options &options,
               QObject *parent = nullptr);
    // Still streaming: what arrived is saved and marked Interrupted with `closingReason()`.
    ~LiveAnswer() override;

    // A fresh answer to `request`.
    void start(const ChatRequest &request);
    // Continues the stored text from its last event id (only when canResume()).
    void resume(const ChatRequest &request);
    bool canResume() const;
    void stop();

    qint64 conversationId() const { return m_message.conversationId; }
    qint64 messageId() const { return m_message.id; }
    // The message as it is now: all text so far, state, error, metrics, last event id.
    const StoredMessage &message() const { return m_message; }
    bool isRunning() const { return !m_finished; }
    bool isStarted() const { return m_started; }
    ChatStream::Phase phase() const { return m_stream.phase(); }
    ChatMetrics metrics() const { return m_stream.metrics(); }
    // False while a save failed and is being retried: the text is only in memory.
    bool isSaved() const { return m_saved; }
    // Why it ended when the application closes while it is still running.
    static QString closingReason();

Q_SIGNALS:
    void textReceived(const QString &delta);
    // Connecting, Streaming, Reconnecting (with the reason and delay), Finished.
    void phaseChanged(qalam::ChatStream::Phase phase, const QString &detail);
    void savedChanged(bool saved, const QString &error);
    // Exactly once, with the final message (state, error, metrics).
    void finished(const qalam::StoredMessage &message);

private:
    void begin();
    void onFinished(ChatStream::Outcome outcome, const QString &message);

    StoredMessage m_message;
    ChatStream m_stream;
    std::unique_ptr<AnswerSaver> m_saver;
    bool m_started = false;
    bool m_finished = false;
    bool m_saved = true;
};

} // namespace qalam
