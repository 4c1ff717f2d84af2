// The chat view in the real window: what a failed answer shows (against real local servers
// answering 401, 404 and 500, and a closed port), after reopening too; retry from its card; no
// speed where nothing was measured; the status bar cleared on new and switch; edit in place;
// the live reconnection countdown. Every window gets an in-memory keychain, never the machine's.
#include "ConversationSidebar.h"
#include "MainWindow.h"
#include "ScriptedServer.h"
#include "TestWindow.h"
#include "WindowActions.h"
#include "session/AnswerActivity.h"
#include "session/ConversationSession.h"
#include "session/FigureText.h"
#include "settings/ProfileStore.h"
#include "store/ConversationStore.h"
#include "ui/ChatView.h"
#include "ui/InlineEditor.h"

#include <QAction>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qalam;
using qalam::test::Script;
using qalam::test::ScriptedServer;

namespace {

constexpr int kLong = 30000;

} // namespace

class TestChatWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void failedAnswerShowsItsCard_data();
    void failedAnswerShowsItsCard();
    void retryFromTheCardRegenerates();
    void statusBarIsClearedOnNewAndSwitch();
    void editInPlaceSendsTheEditedQuestion();
    void answersSayWhoAnswered();
    void reconnectionCountsDown();
    void reconnectTextHasNoDuplication();

private:
    std::unique_ptr<MainWindow> openWindow();
    // A profile at `url` (OpenAI-compatible unless `admin`), in use and ready.
    bool useProfile(MainWindow &window, const QUrl &url, bool admin = false);
    bool askAndWait(MainWindow &window, const QString &question);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_database;
    QHash<QString, QString> m_vault;
};

void TestChatWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = m_dir->filePath(QStringLiteral("qalam.sqlite3"));
    m_vault.clear();
}

void TestChatWindow::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<MainWindow> TestChatWindow::openWindow()
{
    DesktopOptions options;
    options.databasePath = m_database;
    options.settingsPath = m_dir->filePath(QStringLiteral("qalam.ini"));
    options.demoTokensPerSecond = 2000;
    return test::openTestWindow(options, &m_vault, nullptr, QSize(1000, 700));
}

bool TestChatWindow::useProfile(MainWindow &window, const QUrl &url, bool admin)
{
    Profile profile = Profile::create(QStringLiteral("Local"));
    profile.protocol = admin ? ChatProtocol::Kind::AdminStream : ChatProtocol::Kind::OpenAi;
    profile.baseUrl = url;
    profile.model = QStringLiteral("test-model");
    m_vault.insert(profile.id, QStringLiteral("sk-test"));
    if (!window.profiles()->saveProfile(profile).isEmpty())
        return false;
    window.applyProfile(profile);
    return QTest::qWaitFor([&window] { return window.isBackendReady(); }, kLong);
}

bool TestChatWindow::askAndWait(MainWindow &window, const QString &question)
{
    QSignalSpy finished(window.session(), &ConversationSession::answerFinished);
    window.ask(question);
    return finished.wait(kLong);
}

void TestChatWindow::failedAnswerShowsItsCard_data()
{
    QTest::addColumn<int>("status"); // 0: nothing listens on the port
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("title"); // %1: the endpoint
    QTest::addColumn<QString>("detail");
    QTest::addColumn<bool>("openProfile");
    QTest::newRow("refused") << 0 << QByteArray()
                             << QStringLiteral("Could not connect to %1 — connection refused")
                             << QString() << true;
    QTest::newRow("401") << 401 << QByteArray(R"({"error":{"message":"Invalid API key"}})")
                         << QStringLiteral("The server refused the key (401)")
                         << QStringLiteral("Invalid API key") << true;
    QTest::newRow("404") << 404 << QByteArray("no such route")
                         << QStringLiteral("Not found (404): check the URL %1") << QString()
                         << true;
    QTest::newRow("500") << 500 << QByteArray(R"({"error":{"message":"model overloaded"}})")
                         << QStringLiteral("The server failed (500)")
                         << QStringLiteral("model overloaded") << false;
}

// The card says what failed and why, in the UI language, with the server's own words; the
// footer shows no speed for an answer that never had a word; and all of it is there again when
// the conversation is reopened in a new window on the same file.
void TestChatWindow::failedAnswerShowsItsCard()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, title);
    QFETCH(QString, detail);
    QFETCH(bool, openProfile);
    ScriptedServer server([status, body](const test::RecordedRequest &, int) {
        return Script::response(status, {"Content-Type: application/json"}, body);
    });
    const QUrl url =
        status == 0
            ? QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(ScriptedServer::closedPort()))
            : server.url(QStringLiteral("/v1"));
    const QString expectedTitle =
        title.contains(QLatin1String("%1")) ? title.arg(url.toDisplayString()) : title;
    qint64 conversation = 0;
    {
        auto window = openWindow();
        QVERIFY(window);
        QVERIFY(useProfile(*window, url));
        QVERIFY(askAndWait(*window, QStringLiteral("Hello?")));
        ChatView *view = window->chatView();
        QCOMPARE(view->messageCount(), 2);
        QCOMPARE(window->session()->messages().at(1).state, StoredMessage::State::Failed);
        const ChatView::Card card = view->card(1);
        QCOMPARE(card.title, expectedTitle);
        QCOMPARE(card.severity, ChatView::Card::Severity::Error);
        QVERIFY2(detail.isEmpty() || card.detail.contains(detail), qPrintable(card.detail));
        QCOMPARE(card.openProfile, openProfile);
        QVERIFY(!view->cardRect(1).isEmpty());
        // Nothing was measured: no speed, under the answer or in the status bar.
        QVERIFY2(!view->footer(1).contains(QLatin1String("chars/s")), qPrintable(view->footer(1)));
        QVERIFY2(!window->metricsLabel()->text().contains(QLatin1String("chars/s")),
                 qPrintable(window->metricsLabel()->text()));
        QVERIFY2(window->connectionLabel()->text().startsWith(QLatin1String("Failed: ")),
                 qPrintable(window->connectionLabel()->text()));
        QVERIFY(window->connectionLabel()->text().contains(expectedTitle));
        conversation = window->session()->conversationId();
    }
    auto window = openWindow();
    QVERIFY(window);
    Q_EMIT window->sidebar()->selected(conversation);
    QTRY_COMPARE(window->chatView()->messageCount(), 2);
    QCOMPARE(window->chatView()->card(1).title, expectedTitle);
    QVERIFY(detail.isEmpty() || window->chatView()->card(1).detail.contains(detail));
    QVERIFY(!window->chatView()->footer(1).contains(QLatin1String("chars/s")));
}

void TestChatWindow::retryFromTheCardRegenerates()
{
    ScriptedServer server([](const test::RecordedRequest &, int) {
        return Script::response(500, {"Content-Type: application/json"},
                                R"({"error":{"message":"busy"}})");
    });
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(useProfile(*window, server.url(QStringLiteral("/v1"))));
    QVERIFY(askAndWait(*window, QStringLiteral("Hello?")));
    ChatView *view = window->chatView();
    const qint64 first = window->session()->messages().at(1).id;
    QTRY_VERIFY(!view->actionButtonRect(1, ChatView::Action::Retry).isEmpty());
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      view->actionButtonRect(1, ChatView::Action::Retry).center());
    QVERIFY(finished.wait(kLong));
    QCOMPARE(server.requests().size(), 2);
    const StoredMessage retried = window->session()->messages().at(1);
    QVERIFY(retried.id != first);
    QCOMPARE(retried.versionCount, 2); // the failed one stays as an earlier version
    QCOMPARE(view->messageCount(), 2);
    QVERIFY(!view->card(1).isNull());
}

// After an answer's end the status bar speaks of it; a new conversation, or another one, starts
// clean.
void TestChatWindow::statusBarIsClearedOnNewAndSwitch()
{
    ScriptedServer server([](const test::RecordedRequest &, int) {
        return Script::response(401, {"Content-Type: application/json"}, "{}");
    });
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(useProfile(*window, server.url(QStringLiteral("/v1"))));
    const QString idle = window->connectionLabel()->text();
    QVERIFY(askAndWait(*window, QStringLiteral("Hello?")));
    const qint64 failed = window->session()->conversationId();
    QVERIFY(window->connectionLabel()->text() != idle);

    window->actions()->newConversation()->trigger();
    QCOMPARE(window->connectionLabel()->text(), idle);
    QVERIFY(window->metricsLabel()->text().isEmpty());

    QVERIFY(askAndWait(*window, QStringLiteral("Again?")));
    QVERIFY(window->connectionLabel()->text() != idle);
    Q_EMIT window->sidebar()->selected(failed);
    QTRY_COMPARE(window->session()->conversationId(), failed);
    QCOMPARE(window->connectionLabel()->text(), idle);
    QVERIFY(window->metricsLabel()->text().isEmpty());
}

void TestChatWindow::editInPlaceSendsTheEditedQuestion()
{
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(askAndWait(*window, QStringLiteral("First question")));
    ChatView *view = window->chatView();
    QTRY_VERIFY(view->actions(0).edit);
    QVERIFY(view->editMessage(0));
    InlineEditor *editor = view->editor();
    QVERIFY(editor && editor->isVisible());
    QCOMPARE(editor->text(), QStringLiteral("First question"));
    editor->textEdit()->setPlainText(QStringLiteral("ما هو قلم؟"));
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    editor->sendButton()->click();
    QVERIFY(finished.wait(kLong));
    QVERIFY(!view->editor());
    const QList<StoredMessage> stored =
        *window->store()->messages(window->session()->conversationId());
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored.at(0).content, QStringLiteral("ما هو قلم؟"));
    QCOMPARE(stored.at(0).versionCount, 2); // the old question stays as a version
    QCOMPARE(view->messageText(0), QStringLiteral("ما هو قلم؟"));
    QCOMPARE(stored.at(1).state, StoredMessage::State::Complete);
}

void TestChatWindow::answersSayWhoAnswered()
{
    qint64 conversation = 0;
    QString author;
    {
        auto window = openWindow();
        QVERIFY(window);
        QVERIFY(askAndWait(*window, QStringLiteral("What can Qalam do?")));
        // Each part in its own bidi isolate (FigureText), invisible: compared without them.
        author = FigureText::withoutMarks(window->chatView()->author(1));
        QVERIFY2(author.contains(QStringLiteral(" · qalam-demo")), qPrintable(author));
        QVERIFY(author.startsWith(window->currentProfile().name));
        conversation = window->session()->conversationId();
    }
    auto window = openWindow();
    QVERIFY(window);
    Q_EMIT window->sidebar()->selected(conversation);
    QTRY_COMPARE(window->chatView()->messageCount(), 2);
    QCOMPARE(FigureText::withoutMarks(window->chatView()->author(1)), author);
}

// The stream ends early; the admin stream may resume, so Qalam waits the server's retry and says
// so at the answer and in the status bar: which attempt of how many, why, and a countdown.
void TestChatWindow::reconnectionCountsDown()
{
    ScriptedServer server([](const test::RecordedRequest &, int index) {
        return index == 0 ? Script::eventStream("retry: 6000\n: hello\n\n") : Script().stall();
    });
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(useProfile(*window, server.url(QStringLiteral("/api/v1/stream/chat")), true));
    window->ask(QStringLiteral("Hello?"));
    ChatView *view = window->chatView();
    const QRegularExpression live(
        QStringLiteral("^Reconnecting in (\\d+) s \\(attempt 1 of 5\\): (.+)$"));
    QTRY_VERIFY_WITH_TIMEOUT(live.match(view->liveStatus(1).text).hasMatch(), kLong);
    const QRegularExpressionMatch first = live.match(view->liveStatus(1).text);
    const int seconds = first.captured(1).toInt();
    QVERIFY2(seconds >= 2 && seconds <= 8, qPrintable(first.captured(0)));
    QVERIFY(view->liveStatus(1).animated);
    QTRY_VERIFY_WITH_TIMEOUT(live.match(window->connectionLabel()->text()).hasMatch(), kLong);
    QVERIFY(!window->metricsLabel()->text().contains(QLatin1String("reconnect")));
    // It counts down while it waits.
    QTRY_VERIFY_WITH_TIMEOUT(live.match(view->liveStatus(1).text).captured(1).toInt() < seconds,
                             kLong);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    window->session()->stop();
    QVERIFY(finished.count() > 0 || finished.wait(kLong));
    QVERIFY(view->liveStatus(1).isNull());
}

void TestChatWindow::reconnectTextHasNoDuplication()
{
    AnswerActivity activity;
    activity.kind = AnswerActivity::Kind::Reconnecting;
    activity.attempt = 2;
    activity.maxAttempts = 8;
    activity.reason = QStringLiteral("connection reset");
    activity.nextAttempt = QDeadlineTimer(2500);
    QCOMPARE(activity.text(),
             QStringLiteral("Reconnecting in 3 s (attempt 2 of 8): connection reset"));
    activity.maxAttempts = -1;
    activity.nextAttempt = QDeadlineTimer(0);
    QCOMPARE(activity.text(), QStringLiteral("Reconnecting now (attempt 2): connection reset"));
    activity.saved = false;
    QVERIFY(FigureText::withoutMarks(activity.text())
                .endsWith(QStringLiteral(
                    " · Not saved yet: the text is kept in memory and saving is retried")));
}

QTEST_MAIN(TestChatWindow)
#include "tst_chatwindow.moc"
