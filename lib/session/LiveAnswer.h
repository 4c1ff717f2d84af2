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
#include "session/AnswerActivity.h"
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

    // Who answers, stored with the answer's metrics: the profile's name (the model and the
    // endpoint come from the request).
    void setProfileName(const QString &name) { m_profileName = name; }

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
    // What it is doing now (not Queued: the session knows that).
    AnswerActivity activity() const;
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
    void begin(const ChatRequest &request);
    void onFinished(ChatStream::Outcome outcome, const QString &message);

    StoredMessage m_message;
    ChatStream m_stream;
    std::unique_ptr<AnswerSaver> m_saver;
    QString m_profileName;
    QString m_model;    // asked for; the server's own name for it wins when it says one
    QString m_endpoint; // AnswerFailure::displayEndpoint() of the request's URL
    int m_maxReconnects = -1;
    AnswerActivity m_reconnect; // the last reconnection scheduled, while reconnecting
    bool m_started = false;
    bool m_finished = false;
    bool m_saved = true;
};

} // namespace qalam
