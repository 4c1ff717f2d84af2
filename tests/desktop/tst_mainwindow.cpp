// The real desktop window in demo mode (the embedded demo server on loopback, a real SQLite file
// in a temporary directory), driven like a person would: type, send, stop, regenerate, restart.
// Every window gets an in-memory keychain (MemorySecretBackend), never the machine's.
#include "Composer.h"
#include "ConversationSidebar.h"
#include "MainWindow.h"
#include "MemorySecretBackend.h"
#include "NetworkIdle.h"
#include "NoticeBar.h"
#include "ProfileDialog.h"
#include "TestWindow.h"
#include "WindowActions.h"
#include "chat/ChatStream.h"
#include "server/DemoServer.h"
#include "session/ConversationSession.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"
#include "store/ConversationStore.h"
#include "ui/ChatView.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTimer>
#include <QToolButton>
#include <QUuid>

using namespace qalam;

namespace {

constexpr int kLong = 30000; // generous: a busy CI machine must not fail these

struct FirstLine
{
    Qt::LayoutDirection direction;
    qreal left;
    qreal right;
    qreal width;
};

std::optional<FirstLine> firstParagraph(const MessageLayout &layout)
{
    for (int i = 0; i < layout.blockCount(); ++i) {
        const BlockDocument *document = layout.block(i);
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            if (block.text().trimmed().isEmpty() || block.layout()->lineCount() == 0)
                continue;
            const QRectF rect =
                block.layout()->lineAt(0).naturalTextRect().translated(block.layout()->position());
            return FirstLine{block.textDirection(), rect.left(), rect.right(),
                             document->textWidth()};
        }
    }
    return std::nullopt;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void sendingShowsTheStreamedAnswer();
    void stopKeepsWhatArrived();
    void regenerateReplacesTheAnswer();
    void editAndResend();
    void arabicAnswerIsLaidOutRightToLeft();
    void conversationsPersistAcrossRestart();
    void killedMidStreamKeepsThePartialAnswer_data();
    void killedMidStreamKeepsThePartialAnswer();
    void unknownProfileIsAClearError();
    void damagedDatabaseOffersRecovery_data();
    void damagedDatabaseOffersRecovery();
    void answerKeepsStreamingWhileAnotherConversationIsShown();
    void quittingWithALiveAnswerAsks();
    void openAiCompatibleProfile();
    void profileDialogKeepsSecretHeadersInTheKeychain();
    void keyComesFromTheWindowsKeychain();
    void sidebarAndWindowLayoutAreRemembered();

private:
    // The window, initialized, with m_vault as its keychain; nullptr (after a warning saying
    // why) when initialize() failed. `resized`: at 900x700, else at the size it restored.
    std::unique_ptr<MainWindow> openWindow(int rate = 0, MainWindow::RecoveryPrompt prompt = {},
                                           bool resized = true);
    // Asks `question` and waits for the answer's end; the spy exists before the question goes.
    bool askAndWait(MainWindow &window, const QString &question);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_database;
    QHash<QString, QString> m_vault; // the windows' keychain, kept across their restarts
};

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = m_dir->filePath(QStringLiteral("qalam.sqlite3"));
    m_vault.clear();
}

void TestMainWindow::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<MainWindow> TestMainWindow::openWindow(int rate, MainWindow::RecoveryPrompt prompt,
                                                       bool resized)
{
    DesktopOptions options;
    options.databasePath = m_database;
    options.settingsPath = m_dir->filePath(QStringLiteral("qalam.ini"));
    options.demoTokensPerSecond = rate > 0 ? rate : 2000;
    return test::openTestWindow(options, &m_vault, nullptr, resized ? QSize(900, 700) : QSize(),
                                std::move(prompt));
}

bool TestMainWindow::askAndWait(MainWindow &window, const QString &question)
{
    QSignalSpy finished(window.session(), &ConversationSession::answerFinished);
    window.ask(question);
    return finished.wait(kLong);
}

void TestMainWindow::sendingShowsTheStreamedAnswer()
{
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);

    window->composer()->setFocus();
    QTest::keyClicks(window->composer(), QStringLiteral("What can Qalam do?"));
    QTest::keyClick(window->composer(), Qt::Key_Return);
    QVERIFY(window->composer()->toPlainText().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(window->chatView()->messageCount(), 2, kLong);
    QCOMPARE(window->sendButton()->text(), QStringLiteral("Stop"));
    QVERIFY(finished.wait(kLong));

    const QList<StoredMessage> stored =
        *window->store()->messages(window->session()->conversationId());
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored.at(0).content, QStringLiteral("What can Qalam do?"));
    QCOMPARE(stored.at(1).state, StoredMessage::State::Complete);
    QVERIFY(stored.at(1).content.size() > 100);
    // What the view shows is exactly what was streamed and saved, and the footer has metrics.
    QCOMPARE(window->chatView()->messageText(1), stored.at(1).content);
    QVERIFY(window->chatView()->footer(1).contains(QLatin1String("chars/s")));
    QCOMPARE(window->sendButton()->text(), QStringLiteral("Send"));
    QCOMPARE(window->sidebar()->count(), 1);
}

void TestMainWindow::stopKeepsWhatArrived()
{
    auto window = openWindow(40);
    QVERIFY(window);
    window->ask(QStringLiteral("Tell me about streaming and resume"));
    QTRY_VERIFY_WITH_TIMEOUT(window->chatView()->messageCount() == 2 &&
                                 window->chatView()->messageText(1).size() > 20,
                             kLong);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    QTest::keyClick(window->composer(), Qt::Key_Escape);
    QVERIFY(finished.count() > 0 || finished.wait(kLong));

    const StoredMessage answer =
        window->store()->messages(window->session()->conversationId())->at(1);
    QCOMPARE(answer.state, StoredMessage::State::Cancelled);
    QVERIFY(!answer.content.isEmpty());
    QCOMPARE(window->chatView()->messageText(1), answer.content);
    QCOMPARE(window->chatView()->footer(1), QStringLiteral("Stopped"));
    // Nothing more arrives after a stop: once the session holds no live answer (its stream and
    // network manager are gone) and no timer, the view and the store still hold what they held.
    QTRY_VERIFY_WITH_TIMEOUT(window->session()->liveConversations().isEmpty() &&
                                 test::activeTimers(*window->session()) == 0,
                             kLong);
    QCOMPARE(window->chatView()->messageText(1), answer.content);
    QCOMPARE(window->store()->messages(window->session()->conversationId())->at(1).content,
             answer.content);
}

void TestMainWindow::regenerateReplacesTheAnswer()
{
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(askAndWait(*window, QStringLiteral("What can Qalam do?")));
    const qint64 firstAnswerId = window->session()->messages().at(1).id;

    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    QTest::keyClick(window.get(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(finished.wait(kLong));
    const QList<StoredMessage> stored =
        *window->store()->messages(window->session()->conversationId());
    QCOMPARE(stored.size(), 2);
    QVERIFY(stored.at(1).id != firstAnswerId);
    QCOMPARE(stored.at(1).state, StoredMessage::State::Complete);
    QCOMPARE(window->chatView()->messageCount(), 2);
    QCOMPARE(window->chatView()->messageText(1), stored.at(1).content);
}

void TestMainWindow::editAndResend()
{
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(askAndWait(*window, QStringLiteral("First question")));
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    QVERIFY(window->session()->editAndResend(0, QStringLiteral("ما هو قلم؟")));
    QVERIFY(finished.wait(kLong));
    const QList<StoredMessage> stored =
        *window->store()->messages(window->session()->conversationId());
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored.at(0).content, QStringLiteral("ما هو قلم؟"));
    QCOMPARE(window->chatView()->messageText(0), QStringLiteral("ما هو قلم؟"));
}

void TestMainWindow::arabicAnswerIsLaidOutRightToLeft()
{
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(askAndWait(*window, QStringLiteral("ما الذي يستطيع قلم فعله؟")));
    ChatView *view = window->chatView();
    QTRY_VERIFY(view->messageLayout(1).hasDocuments());
    const auto line = firstParagraph(view->messageLayout(1));
    QVERIFY(line);
    QCOMPARE(line->direction, Qt::RightToLeft);
    QVERIFY(qAbs(line->right - line->width) < 2); // right-aligned in the English UI
    QCOMPARE(window->layoutDirection(), Qt::LeftToRight);
}

void TestMainWindow::conversationsPersistAcrossRestart()
{
    QString answer;
    {
        auto window = openWindow();
        QVERIFY(window);
        QVERIFY(askAndWait(*window, QStringLiteral("What can Qalam do?")));
        answer = window->session()->messages().at(1).content;
    }
    auto window = openWindow();
    QVERIFY(window);
    QCOMPARE(window->sidebar()->count(), 1);
    const qint64 id = window->store()->conversations()->first().id;
    Q_EMIT window->sidebar()->selected(id);
    QTRY_COMPARE(window->chatView()->messageCount(), 2);
    QCOMPARE(window->chatView()->messageText(0), QStringLiteral("What can Qalam do?"));
    QCOMPARE(window->chatView()->messageText(1), answer);
}

void TestMainWindow::killedMidStreamKeepsThePartialAnswer_data()
{
    QTest::addColumn<int>("killAfter"); // characters of the answer saved before the kill
    QTest::newRow("question saved, answer not yet") << 0;
    QTest::newRow("early") << 40;
    QTest::newRow("middle") << 400;
    QTest::newRow("late") << 1000;
}

void TestMainWindow::killedMidStreamKeepsThePartialAnswer()
{
    QFETCH(int, killAfter);
    const QString question = QStringLiteral("Explain streaming and resume in detail");

    // The whole answer, for comparison: the demo corpus is deterministic per prompt and seed.
    QString fullAnswer;
    {
        server::DemoServer reference(server::DemoServer::Options{});
        QVERIFY(reference.listen());
        ChatStream stream(ChatProtocol::Kind::AdminStream);
        ChatRequest request;
        request.url = reference.url().resolved(QUrl(server::DemoServer::adminStreamPath()));
        request.messages.append({ChatMessage::Role::User, question});
        QSignalSpy done(&stream, &ChatStream::finished);
        stream.start(request);
        QVERIFY(done.wait(kLong));
        fullAnswer = stream.text();
        QVERIFY(fullAnswer.size() > killAfter + 100);
    }

    // The real executable, killed with SIGKILL while the answer streams.
    QProcess app;
    app.setProgram(QStringLiteral(QALAM_DESKTOP_PATH));
    app.setArguments({QStringLiteral("--demo"), QStringLiteral("--database"), m_database,
                      QStringLiteral("--settings"), m_dir->filePath(QStringLiteral("qalam.ini")),
                      QStringLiteral("--demo-rate"), QStringLiteral("60"), QStringLiteral("--ask"),
                      question});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    app.setProcessEnvironment(env);
    app.start();
    QVERIFY(app.waitForStarted());

    // Wait until the app has saved the question and at least `killAfter` characters of the
    // answer (it saves at least once a second), reading the database like any other process.
    qsizetype savedLength = -1;
    const auto readSavedLength = [&]() -> qsizetype {
        ConversationStore reader(m_database);
        if (!reader.isOpen())
            return -1;
        const auto conversations = reader.conversations();
        if (!conversations || conversations->isEmpty())
            return -1;
        const auto messages = reader.messages(conversations->first().id);
        return messages && messages->size() == 2 ? messages->at(1).content.size() : -1;
    };
    QTRY_VERIFY2_WITH_TIMEOUT((savedLength = readSavedLength()) >= killAfter,
                              "the app never saved that much", 30000);
    app.kill();
    QVERIFY(app.waitForFinished(kLong));

    qsizetype lengthAtKill = 0;
    qint64 id = 0;
    {
        ConversationStore store(m_database);
        QVERIFY(store.isOpen());
        QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
        id = store.conversations()->first().id;
        const QList<StoredMessage> messages = *store.messages(id);
        QCOMPARE(messages.at(0).content, question);
        const StoredMessage &answer = messages.at(1);
        QCOMPARE(answer.state, StoredMessage::State::Streaming); // nobody had the chance to mark it
        // Up to about the last second: at least what was seen saved, and exactly a prefix of the
        // real answer (nothing garbled, nothing repeated).
        QVERIFY(answer.content.size() >= savedLength);
        QVERIFY(fullAnswer.startsWith(answer.content));
        lengthAtKill = answer.content.size();
    }
    qInfo("killed after %lld saved characters; %lld of %lld characters kept", qint64(savedLength),
          qint64(lengthAtKill), qint64(fullAnswer.size()));

    // The next start marks it interrupted, shows what was kept, and offers to continue.
    auto window = openWindow();
    QVERIFY(window);
    Q_EMIT window->sidebar()->selected(id);
    QTRY_COMPARE(window->chatView()->messageCount(), 2);
    QCOMPARE(window->chatView()->messageText(1).size(), lengthAtKill);
    // Cut off: a card at the answer says so and offers to continue.
    QCOMPARE(window->chatView()->card(1).severity, ChatView::Card::Severity::Warning);
    QCOMPARE(window->chatView()->card(1).title,
             QStringLiteral("The answer stopped before it was complete"));
    QCOMPARE(window->store()->messages(id)->at(1).state, StoredMessage::State::Interrupted);
    QCOMPARE(window->store()->integrityCheck(), QStringLiteral("ok"));

    // Continue, as the menu offers it: the same row resumes from the saved event id (the new
    // demo server regenerates the stream it never had) and ends as the whole answer, byte for
    // byte, in one block where it was cut.
    if (lengthAtKill == 0 || window->store()->messages(id)->at(1).lastEventId.isEmpty()) {
        // Killed before any text was saved: nothing to continue, Regenerate applies.
        QCOMPARE(lengthAtKill, 0);
        QVERIFY(!window->chatView()->actions(1).continueAnswer);
        QVERIFY(window->chatView()->actions(1).regenerate);
        return;
    }
    QVERIFY(window->chatView()->actions(1).continueAnswer);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    Q_EMIT window->chatView()->continueRequested(1);
    QVERIFY(finished.wait(kLong));
    QCOMPARE(window->chatView()->messageCount(), 2);
    QCOMPARE(window->chatView()->messageText(1), fullAnswer);
    const StoredMessage whole = window->store()->messages(id)->at(1);
    QCOMPARE(whole.state, StoredMessage::State::Complete);
    QCOMPARE(whole.content, fullAnswer);
    QVERIFY(window->chatView()->card(1).isNull());
}

void TestMainWindow::unknownProfileIsAClearError()
{
    DesktopOptions options;
    options.databasePath = m_database;
    options.settingsPath = m_dir->filePath(QStringLiteral("qalam.ini"));
    options.profileName = QStringLiteral("No such backend");
    MainWindow window(options, nullptr, std::make_unique<MemorySecretBackend>());
    QString error;
    QVERIFY(!window.initialize(&error));
    QVERIFY2(error.contains(QLatin1String("No such backend")), qPrintable(error));
}

void TestMainWindow::openAiCompatibleProfile()
{
    // A real OpenAI-compatible backend on loopback: the demo server's /v1 API.
    server::DemoServer backend(server::DemoServer::Options{});
    QVERIFY(backend.listen());
    auto window = openWindow();
    QVERIFY(window);
    Profile profile = Profile::create(QStringLiteral("Local OpenAI"));
    profile.protocol = ChatProtocol::Kind::OpenAi;
    profile.baseUrl = QUrl(backend.url().toString() + QStringLiteral("/v1"));
    profile.model = QStringLiteral("qalam-demo");
    QCOMPARE(window->profiles()->saveProfile(profile), QStringList());
    window->applyProfile(profile);
    QTRY_VERIFY_WITH_TIMEOUT(window->isBackendReady(), kLong);

    QVERIFY(askAndWait(*window, QStringLiteral("What can Qalam do?")));
    const StoredMessage answer = window->session()->messages().at(1);
    QCOMPARE(answer.state, StoredMessage::State::Complete);
    QVERIFY(answer.content.size() > 100);
    QCOMPARE(window->store()->conversations()->first().profile, QStringLiteral("Local OpenAI"));

    // The choice is remembered for the next start.
    window.reset();
    auto again = openWindow();
    QVERIFY(again);
    QCOMPARE(again->currentProfile().name, QStringLiteral("Local OpenAI"));
}

namespace {

// The secret header values the keychain holds for a profile, as "name=value".
QStringList storedHeaderValues(const QHash<QString, QString> &vault, const QString &profileId)
{
    QStringList values;
    const QJsonArray entries =
        QJsonDocument::fromJson(vault.value(SecretStore::headersAccount(profileId)).toUtf8())
            .array();
    for (const QJsonValue &entry : entries)
        values << entry[QLatin1String("name")].toString() + QLatin1Char('=') +
                      entry[QLatin1String("value")].toString();
    return values;
}

QPushButton *buttonCalled(const QWidget &parent, const QString &text)
{
    const QList<QPushButton *> buttons = parent.findChildren<QPushButton *>();
    for (QPushButton *button : buttons) {
        if (button->text() == text)
            return button;
    }
    return nullptr;
}

} // namespace

void TestMainWindow::profileDialogKeepsSecretHeadersInTheKeychain()
{
    const QString ini = m_dir->filePath(QStringLiteral("dialog.ini"));
    ProfileStore profiles(ini);
    QHash<QString, QString> vault;
    auto backend =
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, &vault);
    const MemorySecretBackend *keychain = backend.get();
    SecretStore secrets(std::move(backend));
    Profile profile = Profile::create(QStringLiteral("Tenant"));
    profile.baseUrl = QUrl(QStringLiteral("https://api.example.com/v1"));
    profile.model = QStringLiteral("m1");
    profile.extraHeaders = {{QStringLiteral("X-Team"), QStringLiteral("blue")}};
    QCOMPARE(profiles.saveProfile(profile), QStringList());

    ProfileDialog dialog(&profiles, &secrets);
    dialog.select(profile.id);
    auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("headers"));
    QVERIFY(table);
    QPushButton *add = buttonCalled(dialog, QStringLiteral("Add header"));
    QPushButton *save = buttonCalled(dialog, QStringLiteral("Save"));
    QVERIFY(add && save);
    const auto field = [table](int row, ProfileDialog::HeaderColumn column) {
        return qobject_cast<QLineEdit *>(table->cellWidget(row, column));
    };
    const auto secret = [table](int row) {
        return table->cellWidget(row, ProfileDialog::SecretColumn)->findChild<QCheckBox *>();
    };
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->horizontalHeaderItem(ProfileDialog::SecretColumn)->text(),
             QStringLiteral("Secret"));
    QCOMPARE(field(0, ProfileDialog::NameColumn)->text(), QStringLiteral("X-Team"));
    QCOMPARE(field(0, ProfileDialog::ValueColumn)->text(), QStringLiteral("blue"));
    QVERIFY(!secret(0)->isChecked());
    QCOMPARE(field(0, ProfileDialog::ValueColumn)->echoMode(), QLineEdit::Normal);

    // One header the user marks secret, masked like the API key...
    const QString token = QStringLiteral("tok-") + QUuid::createUuid().toString(QUuid::Id128);
    const QString apiKey = QStringLiteral("ak-") + QUuid::createUuid().toString(QUuid::Id128);
    add->click();
    QCOMPARE(table->rowCount(), 2);
    QTest::keyClicks(field(1, ProfileDialog::NameColumn), QStringLiteral("X-Tenant-Token"));
    QTest::keyClicks(field(1, ProfileDialog::ValueColumn), token);
    QVERIFY(secret(1)->isEnabled());
    secret(1)->click();
    QCOMPARE(field(1, ProfileDialog::ValueColumn)->echoMode(), QLineEdit::Password);
    // ...and one that is secret by its name: checked, and not to be unchecked.
    add->click();
    QTest::keyClicks(field(2, ProfileDialog::NameColumn), QStringLiteral("x-api-key"));
    QVERIFY(secret(2)->isChecked());
    QVERIFY(!secret(2)->isEnabled());
    QCOMPARE(field(2, ProfileDialog::ValueColumn)->echoMode(), QLineEdit::Password);
    field(2, ProfileDialog::NameColumn)
        ->setText(QStringLiteral("X-Other")); // the user's choice again
    QVERIFY(!secret(2)->isChecked());
    QVERIFY(secret(2)->isEnabled());
    field(2, ProfileDialog::NameColumn)->setText(QStringLiteral("X-Api-Key"));
    QVERIFY(secret(2)->isChecked());
    QTest::keyClicks(field(2, ProfileDialog::ValueColumn), apiKey);

    save->click();
    QTRY_COMPARE(storedHeaderValues(vault, profile.id),
                 QStringList({QStringLiteral("X-Tenant-Token=") + token,
                              QStringLiteral("X-Api-Key=") + apiKey}));
    const QByteArray file = [&ini] {
        QFile f(ini);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    QVERIFY(file.contains("X-Tenant-Token") && file.contains("blue"));
    QVERIFY(!file.contains(token.toUtf8()) && !file.contains(apiKey.toUtf8()));
    QCOMPARE(profiles.profile(profile.id)->extraHeaders,
             QList<HttpHeader>({{QStringLiteral("X-Team"), QStringLiteral("blue"), false},
                                {QStringLiteral("X-Tenant-Token"), QString(), true},
                                {QStringLiteral("X-Api-Key"), QString(), true}}));

    // Shown again, a stored value is not: an empty masked field that says where the value is.
    QCOMPARE(table->rowCount(), 3);
    QVERIFY(secret(1)->isChecked());
    QVERIFY(field(1, ProfileDialog::ValueColumn)->text().isEmpty());
    QCOMPARE(field(1, ProfileDialog::ValueColumn)->echoMode(), QLineEdit::Password);
    QVERIFY(!field(1, ProfileDialog::ValueColumn)->placeholderText().isEmpty());
    // Saved untouched, the values stay (what is stored is read, and written back, before the
    // next save starts); a removed header takes its value along.
    const int answered = keychain->answerCount();
    save->click();
    QTRY_COMPARE(keychain->answerCount(), answered + 2);
    QCOMPARE(keychain->answerCount(), keychain->callCount());
    QCOMPARE(storedHeaderValues(vault, profile.id),
             QStringList({QStringLiteral("X-Tenant-Token=") + token,
                          QStringLiteral("X-Api-Key=") + apiKey}));
    table->cellWidget(1, ProfileDialog::RemoveColumn)->findChild<QToolButton *>()->click();
    QCOMPARE(table->rowCount(), 2);
    save->click();
    QTRY_COMPARE(storedHeaderValues(vault, profile.id),
                 QStringList({QStringLiteral("X-Api-Key=") + apiKey}));

    // Right to left, like the rest of the dialog: Name is the rightmost column; names and values
    // still read left to right.
    dialog.setLayoutDirection(Qt::RightToLeft);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(table->layoutDirection(), Qt::RightToLeft);
    const auto left = [table](int column) {
        return table->viewport()
            ->mapTo(table, QPoint(table->columnViewportPosition(column), 0))
            .x();
    };
    QVERIFY2(left(ProfileDialog::NameColumn) > left(ProfileDialog::ValueColumn) &&
                 left(ProfileDialog::ValueColumn) > left(ProfileDialog::SecretColumn),
             qPrintable(QStringLiteral("%1 %2 %3").arg(left(0)).arg(left(1)).arg(left(2))));
    QCOMPARE(field(0, ProfileDialog::NameColumn)->layoutDirection(), Qt::LeftToRight);

    // Removing the profile removes its keychain entries.
    buttonCalled(dialog, QStringLiteral("Remove"))->click();
    QTRY_VERIFY(vault.isEmpty());
    QVERIFY(!profiles.profile(profile.id));
}

void TestMainWindow::damagedDatabaseOffersRecovery_data()
{
    QTest::addColumn<int>("choice"); // MainWindow::RecoveryChoice
    QTest::newRow("recover") << int(MainWindow::RecoveryChoice::Recover);
    QTest::newRow("start empty") << int(MainWindow::RecoveryChoice::StartEmpty);
    QTest::newRow("quit") << int(MainWindow::RecoveryChoice::Quit);
}

// A database damaged over pages 2-4 used to open with "Ready" and an empty history. Now the
// window asks, and each answer does what it says; the damaged file is always kept.
void TestMainWindow::damagedDatabaseOffersRecovery()
{
    QFETCH(int, choice);
    {
        ConversationStore store(m_database);
        QVERIFY(store.isOpen());
        for (int i = 0; i < 6; ++i) {
            const auto conversation =
                store.createConversation(QStringLiteral("Conversation %1").arg(i));
            QVERIFY(conversation);
            for (int m = 0; m < 6; ++m)
                QVERIFY(store.addMessage(conversation->id,
                                         m % 2 ? StoredMessage::Role::Assistant
                                               : StoredMessage::Role::User,
                                         QStringLiteral("message %1 of %2").arg(m).arg(i)));
        }
    }
    {
        QFile file(m_database);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.size() >= 5 * 4096);
        QVERIFY(file.seek(4096));
        QByteArray garbage(3 * 4096, '\0');
        for (qsizetype i = 0; i < garbage.size(); ++i)
            garbage[i] = char((i * 131 + 7) % 256);
        QCOMPARE(file.write(garbage), garbage.size());
    }
    QString asked;
    auto window = openWindow(0, [&](const QString &problem) {
        asked = problem;
        return MainWindow::RecoveryChoice(choice);
    });
    QVERIFY2(!asked.isEmpty(), "the damaged database was opened without asking");
    QStringList kept = QDir(m_dir->path()).entryList({QStringLiteral("qalam.sqlite3.damaged-*")});
    kept.removeIf([](const QString &name) {
        return name.endsWith(QLatin1String("-wal")) || name.endsWith(QLatin1String("-shm"));
    });
    if (MainWindow::RecoveryChoice(choice) == MainWindow::RecoveryChoice::Quit) {
        QVERIFY(!window);
        QVERIFY(kept.isEmpty()); // nothing touched
        return;
    }
    QVERIFY(window);
    QCOMPARE(kept.size(), 1);
    QVERIFY(!window->notices()->notices().isEmpty()); // says what happened, and stays
    if (MainWindow::RecoveryChoice(choice) == MainWindow::RecoveryChoice::Recover) {
        QCOMPARE(window->store()->conversations()->size(), 6);
        QCOMPARE(window->sidebar()->count(), 6);
    } else {
        QCOMPARE(window->store()->conversations()->size(), 0);
    }
}

// Opening another conversation does not stop an answer: the sidebar marks it while it streams,
// and it completes in the background.
void TestMainWindow::answerKeepsStreamingWhileAnotherConversationIsShown()
{
    auto window = openWindow(60);
    QVERIFY(window);
    window->ask(QStringLiteral("What can Qalam do?"));
    const qint64 streaming = window->session()->conversationId();
    QVERIFY(window->session()->isStreaming());
    Q_EMIT window->sidebar()->newRequested();
    QVERIFY(!window->session()->isStreaming());
    QCOMPARE(window->session()->liveConversations(), QList<qint64>{streaming});
    QVERIFY(window->sidebar()->count() >= 1);
    QTRY_VERIFY_WITH_TIMEOUT(window->session()->liveConversations().isEmpty(), kLong);
    const QList<StoredMessage> stored = *window->store()->messages(streaming);
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored.at(1).state, StoredMessage::State::Complete);
}

// Quitting with an answer streaming asks first; "No" keeps the window and the answer going.
void TestMainWindow::quittingWithALiveAnswerAsks()
{
    auto window = openWindow(40);
    QVERIFY(window);
    QSignalSpy revealed(window->session(), &ConversationSession::textRevealed);
    window->ask(QStringLiteral("What can Qalam do?"));
    QVERIFY(window->session()->isStreaming());
    QVERIFY(revealed.wait(kLong)); // some of the answer is there to keep
    const qint64 conversation = window->session()->conversationId();
    QString question;
    const auto answer = [&question](QMessageBox::StandardButton button) {
        QTimer::singleShot(0, [&question, button] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                question = box->text();
                box->button(button)->click();
            }
        });
    };
    answer(QMessageBox::No);
    QVERIFY(!window->close());
    QVERIFY2(question.contains(QLatin1String("still streaming")), qPrintable(question));
    QVERIFY(window->session()->isStreaming());
    answer(QMessageBox::Yes);
    QVERIFY(window->close());
    window.reset();
    ConversationStore store(m_database);
    const StoredMessage cut = store.messages(conversation)->at(1);
    QCOMPARE(cut.state, StoredMessage::State::Interrupted);
    QCOMPARE(cut.errorText, LiveAnswer::closingReason());
    QVERIFY(!cut.content.isEmpty());
}

// The window asks its own keychain (the one it was given) for a profile's key: a backend that
// refuses requests without the key answers, also to a question asked before the key was known.
void TestMainWindow::keyComesFromTheWindowsKeychain()
{
    const QString key = QStringLiteral("sk-") + QUuid::createUuid().toString(QUuid::Id128);
    server::DemoServer::Options serverOptions;
    serverOptions.token = key; // no "Authorization: Bearer <key>": 401
    serverOptions.tokensPerSecond = 2000;
    serverOptions.firstTokenMs = 10;
    server::DemoServer backend(serverOptions);
    QVERIFY2(backend.listen(), qPrintable(backend.errorString()));
    Profile profile = Profile::create(QStringLiteral("Keyed"));
    profile.protocol = ChatProtocol::Kind::OpenAi;
    profile.baseUrl = QUrl(backend.url().toString() + QStringLiteral("/v1"));
    profile.model = QStringLiteral("qalam-demo");
    m_vault.insert(profile.id, key); // as the profile dialog stores it

    auto window = openWindow();
    QVERIFY(window);
    QCOMPARE(window->profiles()->saveProfile(profile), QStringList());
    window->applyProfile(profile);
    QVERIFY(!window->isBackendReady()); // until the keychain has answered
    // Asked before the key is known (as --ask does at start): sent once it is, with the key.
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    window->ask(QStringLiteral("What can Qalam do?"));
    QVERIFY(window->session()->messages().isEmpty());
    QVERIFY(finished.wait(kLong));
    QVERIFY(window->isBackendReady());
    QCOMPARE(window->composer()->toPlainText(), QString());
    QCOMPARE(window->session()->messages().size(), 2);
    const StoredMessage answer = window->session()->messages().at(1);
    QCOMPARE(answer.state, StoredMessage::State::Complete);
    QVERIFY(answer.content.size() > 100);
}

// Ctrl+B hides and shows the sidebar; that, the window's size and its state come back at the
// next start.
void TestMainWindow::sidebarAndWindowLayoutAreRemembered()
{
    {
        auto window = openWindow(0, {}, false);
        QVERIFY(window);
        window->resize(640, 480);
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QAction *toggle = window->actions()->showSidebar();
        QVERIFY(toggle->isChecked() && window->sidebar()->isVisible());
        QCOMPARE(toggle->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_B));

        QTest::keyClick(window.get(), Qt::Key_B, Qt::ControlModifier);
        QVERIFY(!window->sidebar()->isVisible());
        QVERIFY(!toggle->isChecked());
        QVERIFY(!window->profiles()->preferences().sidebarVisible); // saved at once
        QTest::keyClick(window.get(), Qt::Key_B, Qt::ControlModifier);
        QVERIFY(window->sidebar()->isVisible());
        QVERIFY(window->profiles()->preferences().sidebarVisible);
        toggle->trigger(); // the View menu's item does the same
        QVERIFY(!window->sidebar()->isVisible());

        QVERIFY(window->close());
        const Preferences saved = window->profiles()->preferences();
        QVERIFY(!saved.windowGeometry.isEmpty());
        QCOMPARE(saved.windowState, window->saveState());
    }
    auto window = openWindow(0, {}, false);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QCOMPARE(window->size(), QSize(640, 480));
    QVERIFY(!window->sidebar()->isVisible());
    QVERIFY(!window->actions()->showSidebar()->isChecked());
    QTest::keyClick(window.get(), Qt::Key_B, Qt::ControlModifier);
    QVERIFY(window->sidebar()->isVisible());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
