// The first run, as a person meets it: the chat area says what Qalam is and offers three example
// questions in the interface language; a click asks one and the demo server's answer arrives;
// the demo is said to be canned; "Connect a backend" opens the profile editor on a new profile;
// a new empty conversation shows the same again; and all of it in Arabic, mirrored.
#include "Composer.h"
#include "EmptyStateView.h"
#include "LanguageManager.h"
#include "MainWindow.h"
#include "ProfileDialog.h"
#include "TestWindow.h"
#include "WindowActions.h"
#include "session/ConversationSession.h"
#include "ui/ChatView.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace qalam;

namespace {

constexpr int kLong = 30000;

bool hasArabicLetter(const QString &text)
{
    return std::any_of(text.begin(), text.end(),
                       [](QChar c) { return c.script() == QChar::Script_Arabic && c.isLetter(); });
}

bool showsEmptyState(const MainWindow &window)
{
    return window.emptyState()->isVisible() && !window.chatView()->isVisible();
}

} // namespace

class TestFirstRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void firstRunExplainsAndOffersPrompts();
    void clickingAPromptAsksIt();
    void connectABackendOpensTheProfileEditor();
    void newConversationShowsItAgain();
    void arabicIsTranslatedAndMirrored();

private:
    std::unique_ptr<MainWindow> openWindow(LanguageManager *languages = nullptr);

    std::unique_ptr<QTemporaryDir> m_dir;
    QHash<QString, QString> m_vault;
};

void TestFirstRun::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestFirstRun::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<MainWindow> TestFirstRun::openWindow(LanguageManager *languages)
{
    DesktopOptions options;
    options.databasePath = m_dir->filePath(QStringLiteral("qalam.sqlite3"));
    options.settingsPath = m_dir->filePath(QStringLiteral("qalam.ini"));
    options.demoTokensPerSecond = 2000;
    if (languages)
        options.language = languages->language();
    return test::openTestWindow(options, &m_vault, languages);
}

void TestFirstRun::firstRunExplainsAndOffersPrompts()
{
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QVERIFY(showsEmptyState(*window));
    EmptyStateView *empty = window->emptyState();
    QCOMPARE(empty->promptButtons().size(), EmptyStateView::promptCount);
    QStringList prompts;
    for (const QPushButton *button : empty->promptButtons()) {
        QVERIFY(button->isVisible());
        QVERIFY(!button->text().trimmed().isEmpty());
        QVERIFY(!prompts.contains(button->text()));
        prompts << button->text();
    }
    // The demo is the backend: its answers are said to be canned, and a way out is offered.
    QVERIFY(empty->isDemo());
    QVERIFY(empty->demoNote()->isVisible());
    QVERIFY(empty->demoNote()->text().contains(QLatin1String("canned")));
    QVERIFY(empty->connectButton()->isVisible());
    QVERIFY(!empty->connectButton()->icon().isNull());
}

void TestFirstRun::clickingAPromptAsksIt()
{
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QTRY_VERIFY_WITH_TIMEOUT(window->isBackendReady(), kLong);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    QPushButton *second = window->emptyState()->promptButtons().at(1);
    const QString prompt = second->text();
    QTest::mouseClick(second, Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(!showsEmptyState(*window), kLong);
    QVERIFY(window->chatView()->isVisible());
    QCOMPARE(window->chatView()->messageText(0), prompt);
    QVERIFY(finished.wait(kLong));
    QCOMPARE(window->chatView()->messageCount(), 2);
    QVERIFY(window->chatView()->messageText(1).size() > 50); // the demo server's answer
    QVERIFY(!window->chatView()->isStreaming(1));
    QVERIFY(window->composer()->toPlainText().isEmpty());
}

void TestFirstRun::connectABackendOpensTheProfileEditor()
{
    auto window = openWindow();
    QVERIFY(window);
    QPointer<ProfileDialog> opened;
    QString nameField;
    bool urlEditable = false;
    auto *timer = new QTimer(window.get());
    timer->setInterval(10);
    connect(timer, &QTimer::timeout, this, [&, timer] {
        if (auto *dialog = qobject_cast<ProfileDialog *>(QApplication::activeModalWidget())) {
            timer->stop();
            opened = dialog;
            nameField = dialog->findChild<QLineEdit *>(QStringLiteral("profileName"))->text();
            urlEditable = dialog->findChild<QLineEdit *>(QStringLiteral("profileUrl"))->isEnabled();
            dialog->reject();
        }
    });
    timer->start();
    QTest::mouseClick(window->emptyState()->connectButton(), Qt::LeftButton);
    QVERIFY(opened.isNull());                           // exec() returned: the dialog is gone
    QCOMPARE(nameField, QStringLiteral("New profile")); // a new profile, ready to fill in
    QVERIFY(urlEditable);
    QVERIFY(!timer->isActive());
}

void TestFirstRun::newConversationShowsItAgain()
{
    auto window = openWindow();
    QVERIFY(window);
    QTRY_VERIFY_WITH_TIMEOUT(window->isBackendReady(), kLong);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    window->ask(QStringLiteral("Hello"));
    QVERIFY(finished.wait(kLong));
    QVERIFY(!showsEmptyState(*window));
    window->actions()->newConversation()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(showsEmptyState(*window), kLong);
}

void TestFirstRun::arabicIsTranslatedAndMirrored()
{
    LanguageManager languages;
    QVERIFY(languages.setLanguage(QStringLiteral("ar")));
    auto window = openWindow(&languages);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    EmptyStateView *empty = window->emptyState();
    QCOMPARE(empty->layoutDirection(), Qt::RightToLeft);
    for (const QPushButton *button : empty->promptButtons())
        QVERIFY2(hasArabicLetter(button->text()), qPrintable(button->text()));
    QVERIFY(hasArabicLetter(empty->demoNote()->text()));
    QVERIFY(hasArabicLetter(empty->connectButton()->text()));
    // The prompt asked is the Arabic text on the button.
    QTRY_VERIFY_WITH_TIMEOUT(window->isBackendReady(), kLong);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    const QString prompt = empty->promptButtons().at(0)->text();
    QTest::mouseClick(empty->promptButtons().at(0), Qt::LeftButton);
    QVERIFY(finished.wait(kLong));
    QCOMPARE(window->chatView()->messageText(0), prompt);
    window.reset();
    QVERIFY(languages.setLanguage(QStringLiteral("en")));
}

QTEST_MAIN(TestFirstRun)
#include "tst_firstrun.moc"
