// ConversationSession against the real demo server and a real SQLite file: send, stop,
// regenerate and edit (versions kept and selectable), continue in place after a network fault
// and after a simulated kill (the database as it was at the kill, reopened), answers streaming
// in the background while another conversation is shown, the queue past four live answers,
// quitting with a live answer, and a full disk while an answer streams. Every wait is for the
// signal that ends the phase.
#include "server/DemoServer.h"
#include "session/ConversationSession.h"
#include "store/ConversationStore.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace qalam;

namespace {

constexpr int kLong = 30000;
const QString kPrompt = QStringLiteral("Explain how resuming a stream works");

struct Fixture
{
    explicit Fixture(double tokensPerSecond = 4000)
    {
        server::DemoServer::Options options;
        options.tokensPerSecond = tokensPerSecond;
        options.firstTokenMs = 0;
        server = std::make_unique<server::DemoServer>(options);
        if (!server->listen())
            qFatal("demo server: %s", qPrintable(server->errorString()));
        path = dir.filePath(QStringLiteral("qalam.sqlite3"));
        store = std::make_unique<ConversationStore>(path);
        session = std::make_unique<ConversationSession>(store.get());
        setBackend();
    }

    void setBackend(const QList<QPair<QByteArray, QByteArray>> &headers = {}, int maxReconnects = 0)
    {
        ChatRequest request;
        request.url = server->url().resolved(QUrl(QStringLiteral("/api/v1/stream/chat")));
        request.headers = headers;
        SseConsumer::Options options;
        options.maxReconnects = maxReconnects;
        options.minRetryMs = 10;
        options.initialRetryMs = 10;
        session->setBackend(ChatProtocol::Kind::AdminStream, request, options);
    }

    // Sends and waits until the answer ended and was revealed; its final message.
    StoredMessage ask(const QString &prompt = kPrompt)
    {
        QSignalSpy finished(session.get(), &ConversationSession::answerFinished);
        if (!session->send(prompt))
            qFatal("send refused");
        if (!finished.wait(kLong))
            qFatal("no answer");
        return finished.last().at(1).value<StoredMessage>();
    }

    QTemporaryDir dir;
    QString path;
    std::unique_ptr<server::DemoServer> server;
    std::unique_ptr<ConversationStore> store;
    std::unique_ptr<ConversationSession> session;
};

// The whole answer the demo server gives to kPrompt, fetched once without any fault.
QString referenceAnswer()
{
    static const QString text = [] {
        Fixture fixture;
        return fixture.ask().content;
    }();
    return text;
}

QList<StoredMessage> stored(ConversationStore &store, qint64 conversation)
{
    return store.messages(conversation).value_or(QList<StoredMessage>());
}

} // namespace

class TestConversationSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sendStoresQuestionAndAnswer();
    void stopKeepsWhatArrived();
    void regenerateKeepsVersions();
    void editKeepsTheOldQuestionAndItsAnswer();
    void continueAfterNetworkFault();
    void continueAfterKill();
    void nonResumableContinueKeepsTheCutText();
    void actionsOfferedOnlyWhereTheyApply();
    void answersKeepStreamingInTheBackground();
    void fifthAnswerWaitsQueued();
    void quitWithLiveAnswerKeepsItInterrupted();
    void fullDiskLosesNothing();
    void storeErrorsAreForPeople();
};

void TestConversationSession::initTestCase()
{
    qRegisterMetaType<StoredMessage>();
    QVERIFY(referenceAnswer().size() > 200);
}

void TestConversationSession::sendStoresQuestionAndAnswer()
{
    Fixture f;
    const StoredMessage answer = f.ask();
    QCOMPARE(answer.state, StoredMessage::State::Complete);
    QCOMPARE(answer.content, referenceAnswer());
    const QList<StoredMessage> messages = stored(*f.store, f.session->conversationId());
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).content, kPrompt);
    QCOMPARE(messages.at(1).content, referenceAnswer());
    QCOMPARE(messages.at(1).state, StoredMessage::State::Complete);
    QVERIFY(!messages.at(1).lastEventId.isEmpty());
}

void TestConversationSession::stopKeepsWhatArrived()
{
    Fixture f(200);
    QSignalSpy revealed(f.session.get(), &ConversationSession::textRevealed);
    QSignalSpy finished(f.session.get(), &ConversationSession::answerFinished);
    QVERIFY(f.session->send(kPrompt));
    QVERIFY(revealed.wait(kLong));
    f.session->stop();
    // The reveal of what arrived may end within stop() already.
    QVERIFY(!finished.isEmpty() || finished.wait(kLong));
    const StoredMessage answer = finished.first().at(1).value<StoredMessage>();
    QCOMPARE(answer.state, StoredMessage::State::Cancelled);
    QVERIFY(!answer.content.isEmpty());
    QVERIFY(referenceAnswer().startsWith(answer.content));
    QCOMPARE(stored(*f.store, f.session->conversationId()).at(1).content, answer.content);
}

void TestConversationSession::regenerateKeepsVersions()
{
    Fixture f;
    const StoredMessage first = f.ask();
    QSignalSpy finished(f.session.get(), &ConversationSession::answerFinished);
    for (int i = 0; i < 2; ++i) {
        QVERIFY(f.session->regenerate());
        QVERIFY(finished.wait(kLong));
    }
    QList<StoredMessage> shown = f.session->messages();
    QCOMPARE(shown.size(), 2);
    QCOMPARE(shown.at(1).versionIndex, 3);
    QCOMPARE(shown.at(1).versionCount, 3);
    const auto versions = f.store->siblings(shown.at(1).id);
    QVERIFY(versions);
    QCOMPARE(versions->size(), 3);
    QCOMPARE(versions->first().id, first.id);
    for (const StoredMessage &version : *versions)
        QCOMPARE(version.content, referenceAnswer()); // nothing the user received was deleted

    QSignalSpy reset(f.session.get(), &ConversationSession::messagesReset);
    QVERIFY(f.session->showVersion(1, -1));
    QCOMPARE(reset.size(), 1);
    QCOMPARE(f.session->messages().at(1).versionIndex, 2);
    QVERIFY(f.session->showVersion(1, -1));
    QCOMPARE(f.session->messages().at(1).id, first.id);
    QVERIFY(!f.session->showVersion(1, -1)); // there is no version before the first
    // The choice is the store's: reopened, the conversation shows the same version.
    QVERIFY(f.session->openConversation(f.session->conversationId()));
    QCOMPARE(f.session->messages().at(1).id, first.id);
}

void TestConversationSession::editKeepsTheOldQuestionAndItsAnswer()
{
    Fixture f;
    const StoredMessage answer = f.ask();
    const qint64 oldQuestion = f.session->messages().at(0).id;
    QSignalSpy finished(f.session.get(), &ConversationSession::answerFinished);
    QVERIFY(f.session->editAndResend(0, QStringLiteral("ما هو البث؟")));
    QVERIFY(finished.wait(kLong));
    const QList<StoredMessage> shown = f.session->messages();
    QCOMPARE(shown.size(), 2);
    QCOMPARE(shown.at(0).content, QStringLiteral("ما هو البث؟"));
    QCOMPARE(shown.at(0).versionIndex, 2);
    QCOMPARE(shown.at(0).versionCount, 2);
    QVERIFY(f.session->showVersion(0, -1));
    QCOMPARE(f.session->messages().at(0).id, oldQuestion);
    QCOMPARE(f.session->messages().at(1).id, answer.id); // its own answer came back with it
    QCOMPARE(f.session->messages().at(1).content, referenceAnswer());
}

// A connection cut after 5 events: the answer is Interrupted with its resume point saved with
// the text; Continue resumes the same row, and the whole text equals the uninterrupted answer
// byte for byte (nothing repeated, nothing lost, no break inserted).
void TestConversationSession::continueAfterNetworkFault()
{
    Fixture f;
    f.setBackend({{"X-Qalam-Fault", "close-after-events=6"}});
    const StoredMessage cut = f.ask();
    QCOMPARE(cut.state, StoredMessage::State::Interrupted);
    QVERIFY(!cut.content.isEmpty());
    QVERIFY(referenceAnswer().startsWith(cut.content));
    const StoredMessage saved = stored(*f.store, f.session->conversationId()).at(1);
    QCOMPARE(saved.content, cut.content);
    QVERIFY(!saved.lastEventId.isEmpty());

    f.setBackend();
    QVERIFY(f.session->canContinue(1));
    QSignalSpy reopened(f.session.get(), &ConversationSession::messageReopened);
    QSignalSpy added(f.session.get(), &ConversationSession::messageAdded);
    QSignalSpy finished(f.session.get(), &ConversationSession::answerFinished);
    QVERIFY(f.session->continueAnswer(1));
    QCOMPARE(reopened.size(), 1);
    QCOMPARE(reopened.first().at(0).toInt(), 1);
    QVERIFY(finished.wait(kLong));
    QCOMPARE(added.size(), 0); // the same row, not a new one
    const StoredMessage whole = finished.first().at(1).value<StoredMessage>();
    QCOMPARE(whole.id, cut.id);
    QCOMPARE(whole.state, StoredMessage::State::Complete);
    QCOMPARE(whole.content, referenceAnswer());
    QCOMPARE(stored(*f.store, f.session->conversationId()).at(1).content, referenceAnswer());
}

// The database exactly as a kill would leave it: a snapshot (VACUUM INTO) taken while the answer
// streams, after some of it was saved. Reopened in a new store and session (a restart), the
// answer is marked Interrupted with its saved resume point, and Continue completes it in place.
void TestConversationSession::continueAfterKill()
{
    Fixture f(150);
    QVERIFY(f.session->send(kPrompt));
    const qint64 conversation = f.session->conversationId();
    const qint64 answerId = f.session->messages().at(1).id;
    const QString snapshot = f.dir.filePath(QStringLiteral("killed.sqlite3"));
    {
        ConversationStore reader(f.path);
        QVERIFY(reader.isOpen());
        // Wait for a save that holds text (the saver writes about once a second).
        QTRY_VERIFY_WITH_TIMEOUT(
            reader.message(answerId).value_or(StoredMessage()).content.size() > 40, kLong);
        QSqlQuery query(QSqlDatabase::database(reader.connectionName()));
        QVERIFY2(query.exec(QStringLiteral("VACUUM INTO '%1'").arg(snapshot)),
                 qPrintable(query.lastError().text()));
    }
    f.session.reset(); // the first run is gone (its later saves went to the other file)

    ConversationStore restarted(snapshot);
    QVERIFY(restarted.isOpen());
    QCOMPARE(restarted.markStreamingAsInterrupted().value_or(-1), 1);
    const StoredMessage atKill = restarted.message(answerId).value_or(StoredMessage());
    QCOMPARE(atKill.state, StoredMessage::State::Interrupted);
    QVERIFY(!atKill.lastEventId.isEmpty()); // saved with the text, not only at the end
    QVERIFY(referenceAnswer().startsWith(atKill.content));
    QVERIFY(atKill.content.size() < referenceAnswer().size());

    ConversationSession session(&restarted);
    ChatRequest request;
    request.url = f.server->url().resolved(QUrl(QStringLiteral("/api/v1/stream/chat")));
    session.setBackend(ChatProtocol::Kind::AdminStream, request);
    QVERIFY(session.openConversation(conversation));
    QVERIFY(session.canContinue(1));
    QSignalSpy finished(&session, &ConversationSession::answerFinished);
    QVERIFY(session.continueAnswer(1));
    QVERIFY(finished.wait(kLong));
    const StoredMessage whole = finished.first().at(1).value<StoredMessage>();
    QCOMPARE(whole.id, answerId);
    QCOMPARE(whole.state, StoredMessage::State::Complete);
    QCOMPARE(whole.content, referenceAnswer());
    QCOMPARE(restarted.message(answerId)->content, referenceAnswer());
    QCOMPARE(restarted.messages(conversation)->size(), 2);
}

// A protocol that cannot resume asks again, and the cut-off text stays as an earlier version.
void TestConversationSession::nonResumableContinueKeepsTheCutText()
{
    Fixture f;
    f.setBackend({{"X-Qalam-Fault", "close-after-events=6"}});
    const StoredMessage cut = f.ask();
    QCOMPARE(cut.state, StoredMessage::State::Interrupted);
    ChatRequest request;
    request.url = f.server->url().resolved(QUrl(QStringLiteral("/v1")));
    f.session->setBackend(ChatProtocol::Kind::OpenAi, request);
    QSignalSpy finished(f.session.get(), &ConversationSession::answerFinished);
    QVERIFY(f.session->continueAnswer(1));
    QVERIFY(finished.wait(kLong));
    const StoredMessage again = finished.first().at(1).value<StoredMessage>();
    QVERIFY(again.id != cut.id);
    QCOMPARE(again.state, StoredMessage::State::Complete);
    QCOMPARE(f.session->messages().at(1).versionCount, 2);
    QCOMPARE(f.store->message(cut.id)->content, cut.content);
}

void TestConversationSession::actionsOfferedOnlyWhereTheyApply()
{
    Fixture f(300);
    QSignalSpy finished(f.session.get(), &ConversationSession::answerFinished);
    QVERIFY(f.session->send(kPrompt));
    // Streaming: nothing to regenerate, continue or edit yet.
    QVERIFY(!f.session->canRegenerate(1));
    QVERIFY(!f.session->canContinue(1));
    QVERIFY(!f.session->canEdit(0));
    QVERIFY(!f.session->regenerate());
    QVERIFY(!f.session->continueAnswer(1));
    QVERIFY(finished.wait(kLong));
    // Complete: regenerate and edit, not continue.
    QVERIFY(f.session->canRegenerate(1));
    QVERIFY(!f.session->canContinue(1));
    QVERIFY(!f.session->continueAnswer(1));
    QVERIFY(f.session->canEdit(0));
    QVERIFY(!f.session->canEdit(1));
}

// Opening another conversation or starting a new one does not stop an answer: it keeps
// streaming and saving, and the session says which conversations have a live answer.
void TestConversationSession::answersKeepStreamingInTheBackground()
{
    Fixture f(400);
    QSignalSpy changed(f.session.get(), &ConversationSession::liveConversationsChanged);
    QVERIFY(f.session->send(kPrompt));
    const qint64 first = f.session->conversationId();
    f.session->newConversation();
    QVERIFY(!f.session->isStreaming());
    QCOMPARE(f.session->liveConversations(), QList<qint64>{first});
    const StoredMessage second = f.ask(QStringLiteral("Another question"));
    QCOMPARE(second.state, StoredMessage::State::Complete);
    const qint64 secondConversation = f.session->conversationId();

    // Back to the first while (or after) it streams: it shows all it has and completes.
    QVERIFY(f.session->openConversation(first));
    if (f.session->isStreaming()) {
        QSignalSpy finished(f.session.get(), &ConversationSession::answerFinished);
        QVERIFY(finished.wait(kLong));
    }
    QTRY_VERIFY_WITH_TIMEOUT(f.session->liveConversations().isEmpty(), kLong);
    QCOMPARE(stored(*f.store, first).at(1).content, referenceAnswer());
    QCOMPARE(stored(*f.store, first).at(1).state, StoredMessage::State::Complete);
    QCOMPARE(stored(*f.store, secondConversation).at(1).state, StoredMessage::State::Complete);
    QVERIFY(changed.size() >= 2);
}

void TestConversationSession::fifthAnswerWaitsQueued()
{
    Fixture f(60);
    QList<qint64> conversations;
    for (int i = 0; i < 5; ++i) {
        f.session->newConversation();
        QVERIFY(f.session->send(QStringLiteral("question %1").arg(i)));
        conversations.append(f.session->conversationId());
    }
    QCOMPARE(f.session->liveConversations().size(), 5);
    QCOMPARE(f.session->runningAnswers(), ConversationSession::maxLiveAnswers);
    QVERIFY(f.session->isQueued(conversations.last()));
    QVERIFY(!f.session->isQueued(conversations.first()));
    // The queued one shows why it waits.
    QSignalSpy status(f.session.get(), &ConversationSession::answerStatusChanged);
    QVERIFY(f.session->openConversation(conversations.last()));
    QVERIFY(!status.isEmpty());
    QVERIFY2(status.last().at(1).toString().startsWith(QLatin1String("Queued")),
             qPrintable(status.last().at(1).toString()));
    // Stopping one frees its slot; the queued one starts and completes.
    QVERIFY(f.session->openConversation(conversations.first()));
    f.session->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!f.session->isQueued(conversations.last()), kLong);
    QTRY_VERIFY_WITH_TIMEOUT(f.session->liveConversations().isEmpty(), 120000);
    QCOMPARE(stored(*f.store, conversations.first()).at(1).state, StoredMessage::State::Cancelled);
    for (int i = 1; i < 5; ++i)
        QCOMPARE(stored(*f.store, conversations.at(i)).at(1).state, StoredMessage::State::Complete);
}

void TestConversationSession::quitWithLiveAnswerKeepsItInterrupted()
{
    Fixture f(150);
    QSignalSpy revealed(f.session.get(), &ConversationSession::textRevealed);
    QVERIFY(f.session->send(kPrompt));
    const qint64 conversation = f.session->conversationId();
    QTRY_VERIFY_WITH_TIMEOUT(revealed.size() > 5, kLong);
    f.session.reset(); // quitting
    const StoredMessage answer = stored(*f.store, conversation).at(1);
    QCOMPARE(answer.state, StoredMessage::State::Interrupted);
    QCOMPARE(answer.errorText, LiveAnswer::closingReason());
    QVERIFY(!answer.content.isEmpty());
    QVERIFY(referenceAnswer().startsWith(answer.content));
    QVERIFY(!answer.lastEventId.isEmpty());
}

// PRAGMA max_page_count on the store's own connection: the disk is "full" while the answer
// streams. The session says the answer is not saved (and keeps it in memory); once there is room
// again every byte reaches the database, and only then is it shown complete.
void TestConversationSession::fullDiskLosesNothing()
{
    Fixture f(300);
    QSignalSpy status(f.session.get(), &ConversationSession::answerStatusChanged);
    QSignalSpy errors(f.session.get(), &ConversationSession::errorOccurred);
    QSignalSpy revealed(f.session.get(), &ConversationSession::textRevealed);
    QVERIFY(f.session->send(kPrompt));
    QVERIFY(revealed.wait(kLong));
    QSqlQuery query(QSqlDatabase::database(f.store->connectionName()));
    QVERIFY(query.exec(QStringLiteral("PRAGMA page_count")) && query.next());
    const int pages = query.value(0).toInt();
    QVERIFY(query.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages)));
    QVERIFY(errors.wait(kLong));
    QVERIFY2(errors.last().at(0).toString().contains(QLatin1String("disk is full")),
             qPrintable(errors.last().at(0).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(
        !status.isEmpty() && status.last().at(1).toString().contains(QLatin1String("Not saved")),
        kLong);
    QVERIFY(query.exec(QStringLiteral("PRAGMA max_page_count = 1073741823")));
    QTRY_VERIFY_WITH_TIMEOUT(f.session->liveConversations().isEmpty(), kLong);
    QTRY_COMPARE_WITH_TIMEOUT(stored(*f.store, f.session->conversationId()).at(1).content,
                              referenceAnswer(), kLong);
    QCOMPARE(stored(*f.store, f.session->conversationId()).at(1).state,
             StoredMessage::State::Complete);
}

void TestConversationSession::storeErrorsAreForPeople()
{
    QCOMPARE(ConversationSession::storeErrorText(
                 QStringLiteral("database or disk is full Unable to fetch row")),
             QStringLiteral("the disk is full, so the conversation could not be saved"));
    QCOMPARE(
        ConversationSession::storeErrorText(QStringLiteral("attempt to write a readonly database")),
        QStringLiteral("the conversation database is read-only, so nothing can be saved"));
    QCOMPARE(
        ConversationSession::storeErrorText(QStringLiteral("database disk image is malformed")),
        QStringLiteral("the conversation database is damaged"));
}

QTEST_GUILESS_MAIN(TestConversationSession)
#include "tst_conversationsession.moc"
