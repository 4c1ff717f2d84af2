// ConversationSession: one open conversation and the answer streaming into it.
//
// The layer between the window and everything below it: it persists each question when sent and
// each answer while it streams (AnswerSaver), drives one ChatStream per answer, paces the text
// through an AdaptiveTypewriter, and tells the view what to show through signals with message
// indexes. It knows nothing of widgets, so it is tested without any.
#pragma once

#include "AdaptiveTypewriter.h"
#include "AnswerSaver.h"
#include "ChatStream.h"
#include "ConversationStore.h"

#include <QObject>

#include <memory>

namespace qalam {

class ConversationSession : public QObject
{
    Q_OBJECT

public:
    // The store is not owned and must outlive the session.
    explicit ConversationSession(ConversationStore *store, QObject *parent = nullptr);
    ~ConversationSession() override;

    // Where and how answers are asked for. The template's messages are ignored; its url, model,
    // key and headers are used for every answer.
    void setBackend(ChatProtocol::Kind kind, const ChatRequest &requestTemplate,
                    const SseConsumer::Options &options = {});
    void setProfileName(const QString &name) { m_profileName = name; }
    // The manager answers are fetched with (proxy, TLS); not owned. nullptr: a default one.
    void setNetworkAccessManager(QNetworkAccessManager *network) { m_network = network; }
    void setReduceMotion(bool on) { m_typewriter.setReduceMotion(on); }
    AdaptiveTypewriter &typewriter() { return m_typewriter; }

    qint64 conversationId() const { return m_conversationId; }
    const QList<StoredMessage> &messages() const { return m_messages; }
    bool isStreaming() const { return m_stream && m_stream->phase() != ChatStream::Phase::Finished && m_stream->phase() != ChatStream::Phase::Idle; }
    ChatMetrics currentMetrics() const { return m_stream ? m_stream->metrics() : ChatMetrics(); }

    bool openConversation(qint64 conversationId);
    // An empty conversation; it is stored with the first question.
    void newConversation();
    bool send(const QString &prompt);
    void stop();
    // Asks the last question again, replacing the last answer.
    bool regenerate();
    // Replaces the question at `index` with `text`, drops everything after it and asks again.
    bool editAndResend(int index, const QString &text);
    // Finishes an answer that was cut off: resumes the stream where it stopped when the protocol
    // can, otherwise asks again.
    bool continueAnswer(int index);

    // The footer shown under an answer: its metrics, or why it is incomplete.
    static QString footerText(const StoredMessage &message);

Q_SIGNALS:
    void conversationChanged(qint64 conversationId); // opened, created or renamed: refresh lists
    void messagesReset(const QList<StoredMessage> &messages);
    void messageAdded(int index, const StoredMessage &message);
    void messagesRemovedFrom(int index);
    void textRevealed(int index, const QString &text);
    // The answer at `index` ended and all its text has been revealed.
    void answerFinished(int index, const StoredMessage &message);
    void phaseChanged(qalam::ChatStream::Phase phase, const QString &detail);
    void errorOccurred(const QString &message);

private:
    bool startAnswer(const QString &continueFromId = QString());
    void onStreamFinished(ChatStream::Outcome outcome, const QString &message);
    void onRevealFinished();
    ChatRequest requestFor(int answerIndex) const;
    bool fail(const QString &message);

    ConversationStore *m_store;
    ChatProtocol::Kind m_kind = ChatProtocol::Kind::AdminStream;
    ChatRequest m_template;
    SseConsumer::Options m_options;
    QString m_profileName;
    QNetworkAccessManager *m_network = nullptr;

    qint64 m_conversationId = 0;
    QList<StoredMessage> m_messages;
    std::unique_ptr<ChatStream> m_stream;
    std::unique_ptr<AnswerSaver> m_saver;
    AdaptiveTypewriter m_typewriter;
    int m_answerIndex = -1;
    bool m_waitingForReveal = false;
};

} // namespace qalam
