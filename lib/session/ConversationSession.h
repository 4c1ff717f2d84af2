// ConversationSession: the conversation on screen, and every answer still streaming.
//
// The layer between the window and everything below it: it persists each question when sent,
// runs each answer as a LiveAnswer (which saves it as it streams, with its resume point), paces
// the shown answer through an AdaptiveTypewriter, and tells the view what to show through
// signals with message indexes. Answers keep streaming when another conversation is opened or a
// new one started; at most maxLiveAnswers run at once and further ones wait, visibly queued.
// Regenerate and edit-and-resend keep every earlier answer and question as a version of its
// turn; the shown versions are what is sent to the backend. It knows nothing of widgets, so it is
// tested without any (tests/session).
#pragma once

#include "chat/ChatStream.h"
#include "session/AnswerActivity.h"
#include "session/LiveAnswer.h"
#include "store/ConversationStore.h"
#include "typewriter/AdaptiveTypewriter.h"

#include <QObject>
#include <QPointer>

#include <map>
#include <memory>

namespace qalam {

class ConversationSession : public QObject
{
    Q_OBJECT

public:
    static constexpr int maxLiveAnswers = 4;

    // The store is not owned and must outlive the session.
    explicit ConversationSession(ConversationStore *store, QObject *parent = nullptr);
    // Answers still streaming are saved and marked Interrupted ("the application was closed").
    ~ConversationSession() override;

    // Where and how new answers are asked for. The template's messages are ignored; its url,
    // model, key and headers are used. Answers already streaming keep their backend.
    void setBackend(ChatProtocol::Kind kind, const ChatRequest &requestTemplate,
                    const SseConsumer::Options &options = {});
    void setProfileName(const QString &name) { m_profileName = name; }
    // The manager new answers are fetched with (proxy, TLS); not owned, and it must outlive the
    // answers started with it. nullptr: a default one.
    void setNetworkAccessManager(QNetworkAccessManager *network) { m_network = network; }
    void setReduceMotion(bool on) { m_typewriter.setReduceMotion(on); }

    qint64 conversationId() const { return m_conversationId; }
    // The shown path of the conversation: one version of each turn.
    const QList<StoredMessage> &messages() const { return m_messages; }
    // The shown conversation has an answer streaming (or queued).
    bool isStreaming() const { return liveAnswer() != nullptr; }
    // The shown answer's figures: live while it streams, then those it ended with, until another
    // conversation is shown.
    ChatMetrics currentMetrics() const;
    // What the shown conversation's answer is doing (queued, connecting, reconnecting with a
    // countdown...), and its index; None and -1 when nothing streams there.
    AnswerActivity activity() const;
    int liveIndex() const;
    // Conversations with an answer streaming or queued, and how many of those run now.
    QList<qint64> liveConversations() const;
    int runningAnswers() const;
    bool isQueued(qint64 conversationId) const;

    bool openConversation(qint64 conversationId);
    // An empty conversation; it is stored with the first question.
    void newConversation();
    bool send(const QString &prompt);
    // Stops the shown conversation's answer (what arrived is kept).
    void stop();
    // Ends every answer because the application closes: each keeps what arrived, saved and
    // marked Interrupted ("the application was closed"), so it can be continued next time.
    void interruptAll();

    // What applies to the message at `index` now, for menus and buttons.
    bool canRegenerate(int index) const;
    bool canContinue(int index) const;
    bool canEdit(int index) const;
    // Asks the last question again; the previous answer stays as an earlier version.
    bool regenerate();
    // Asks `text` instead of the question at `index`; the old question and what followed it stay
    // as an earlier version of that turn.
    bool editAndResend(int index, const QString &text);
    // Finishes a cut-off answer: in place from its last event id when the protocol can resume,
    // otherwise asked again with the cut-off text kept as an earlier version.
    bool continueAnswer(int index);
    // Shows another version of the message at `index` (delta -1: previous, +1: next).
    bool showVersion(int index, int delta);

    // The footer shown under an answer: its metrics when there is something they measured, or
    // "Stopped". Why an answer failed or was cut off is its AnswerCard.
    static QString footerText(const StoredMessage &message);
    // How an answer ended, in one line for the status bar ("Failed: Could not connect…").
    static QString outcomeText(const StoredMessage &message);
    // Who answered: "Demo · qalam-demo" (profile · model), either alone, or empty.
    static QString authorText(const StoredMessage &message);
    // A store failure for people, in the UI language (SQLite's own texts are English).
    static QString storeErrorText(const QString &sqliteError);

Q_SIGNALS:
    void conversationChanged(qint64 conversationId); // opened, created or renamed: refresh lists
    void liveConversationsChanged();
    void messagesReset(const QList<StoredMessage> &messages);
    void messageAdded(int index, const StoredMessage &message);
    void messagesRemovedFrom(int index);
    // A finished answer continues in place: the view shows it streaming again, same text.
    void messageReopened(int index, const StoredMessage &message);
    void textRevealed(int index, const QString &text);
    // The answer at `index` ended and all its text has been revealed.
    void answerFinished(int index, const StoredMessage &message);
    // The live state under the shown answer changed (queued, connecting, reconnecting, not saved).
    void answerStatusChanged(int index, const QString &text);
    void phaseChanged(qalam::ChatStream::Phase phase, const QString &detail);
    void errorOccurred(const QString &message);

private:
    struct Pending
    {
        ChatRequest request;
        bool resume = false;
    };

    LiveAnswer *liveAnswer() const;
    LiveAnswer *startAnswer(const StoredMessage &answer, bool resume);
    void runQueued();
    void attach(LiveAnswer *answer);
    void onLiveFinished(LiveAnswer *answer, const StoredMessage &message);
    void onRevealFinished();
    ChatRequest requestFor(int answerIndex) const;
    int indexOf(qint64 messageId) const;
    AnswerActivity activityOf(const LiveAnswer *answer) const;
    QString liveStatus(const LiveAnswer *answer) const;
    // A new answer's stored form says who will answer before the first save does.
    StoredMessage withOrigin(StoredMessage answer) const;
    bool ensureConversation(const QString &question);
    bool fail(const QString &message);
    bool failStore();

    ConversationStore *m_store;
    ChatProtocol::Kind m_kind = ChatProtocol::Kind::AdminStream;
    ChatRequest m_template;
    SseConsumer::Options m_options;
    QString m_profileName;
    QNetworkAccessManager *m_network = nullptr;

    qint64 m_conversationId = 0;
    QList<StoredMessage> m_messages;
    // Every answer streaming or waiting, by conversation (one per conversation), in start order.
    std::map<qint64, std::unique_ptr<LiveAnswer>> m_live;
    std::map<qint64, Pending> m_pending; // not started yet, by conversation
    QList<qint64> m_queue;               // conversations waiting for a free slot, in order
    AdaptiveTypewriter m_typewriter;
    int m_answerIndex = -1; // the shown live answer's index, while it is revealed
    bool m_waitingForReveal = false;
    StoredMessage m_revealedFinal; // the shown answer's final message, kept until it is revealed
    QPointer<LiveAnswer> m_revealedAnswer; // alive after the end only while its save is retried
    ChatMetrics m_finishedMetrics;         // of the shown conversation's last answer
};

} // namespace qalam
