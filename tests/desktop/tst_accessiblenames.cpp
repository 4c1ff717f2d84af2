// What a screen reader hears: every control a person can reach in the real window (demo mode,
// in-memory keychain) and in its dialogs has an accessible name, as QAccessible reports it, in
// English and, after a switch of the interface language, in Arabic; and Tab walks the window in
// reading order (sidebar search, the list, the conversation, the question, Send).
#include "Composer.h"
#include "ComposerBar.h"
#include "ConversationListView.h"
#include "ConversationSidebar.h"
#include "EmptyStateView.h"
#include "LanguageManager.h"
#include "MainWindow.h"
#include "MemorySecretBackend.h"
#include "NoticeBar.h"
#include "PreferencesDialog.h"
#include "ProfileDialog.h"
#include "TestWindow.h"
#include "UndoNotice.h"
#include "session/ConversationSession.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"
#include "ui/ChatView.h"

#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>

using namespace qalam;

namespace {

constexpr int kLong = 30000;

bool hasArabicLetter(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(),
                       [](QChar c) { return c.script() == QChar::Script_Arabic && c.isLetter(); });
}

// The controls a person reaches with the keyboard or the pointer: buttons, fields, lists, boxes
// and the conversation itself, shown in `root`. A spin box's or a combo box's own line edit is
// part of that box.
QList<QWidget *> controlsOf(QWidget *root)
{
    QList<QWidget *> controls;
    for (QWidget *widget : root->findChildren<QWidget *>()) {
        if (!widget->isVisibleTo(root))
            continue;
        QWidget *parent = widget->parentWidget();
        if (qobject_cast<QAbstractSpinBox *>(parent) || qobject_cast<QComboBox *>(parent))
            continue;
        const bool control =
            qobject_cast<QAbstractButton *>(widget) || qobject_cast<QLineEdit *>(widget) ||
            qobject_cast<QTextEdit *>(widget) || qobject_cast<QPlainTextEdit *>(widget) ||
            qobject_cast<QComboBox *>(widget) || qobject_cast<QAbstractItemView *>(widget) ||
            qobject_cast<QAbstractSpinBox *>(widget) || qobject_cast<ChatView *>(widget);
        if (control &&
            (widget->focusPolicy() != Qt::NoFocus || qobject_cast<QAbstractButton *>(widget)))
            controls << widget;
    }
    return controls;
}

// The name QAccessible gives. On Linux a combo box's name is its current text, as AT-SPI
// expects; what the box is for is its own accessible name (other platforms) or its label's.
QString accessibleNameOf(QWidget *widget)
{
    QAccessibleInterface *interface = QAccessible::queryAccessibleInterface(widget);
    if (!interface)
        return {};
    if (qobject_cast<QComboBox *>(widget)) {
        if (!widget->accessibleName().isEmpty())
            return widget->accessibleName();
        const auto labels = interface->relations(QAccessible::Label);
        return labels.isEmpty() ? QString() : labels.constFirst().first->text(QAccessible::Name);
    }
    return interface->text(QAccessible::Name);
}

QString describe(QWidget *widget)
{
    return QStringLiteral("%1 \"%2\" (parent %3)")
        .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName(),
             widget->parentWidget()
                 ? QString::fromLatin1(widget->parentWidget()->metaObject()->className())
                 : QStringLiteral("none"));
}

// Empty when every control of `root` is named (in Arabic when `arabic`), else what is not.
QStringList unnamedControls(QWidget *root, bool arabic)
{
    QStringList problems;
    const QList<QWidget *> controls = controlsOf(root);
    if (controls.isEmpty())
        problems << QStringLiteral("no controls found in %1").arg(describe(root));
    for (QWidget *widget : controls) {
        const QString name = accessibleNameOf(widget).trimmed();
        if (name.isEmpty())
            problems << QStringLiteral("no name: %1").arg(describe(widget));
        else if (arabic && !hasArabicLetter(name))
            problems << QStringLiteral("not Arabic: %1 named \"%2\"").arg(describe(widget), name);
    }
    return problems;
}

} // namespace

class TestAccessibleNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void everyControlIsNamedInEnglishAndArabic();
    void dialogsNameEveryControl_data();
    void dialogsNameEveryControl();
    void sidebarRowsSayTitleDateAndState();
    void tabFollowsReadingOrder();

private:
    std::unique_ptr<MainWindow> openWindow(LanguageManager *languages);
    void showEveryNotice(MainWindow &window);

    std::unique_ptr<QTemporaryDir> m_dir;
    QHash<QString, QString> m_vault;
};

void TestAccessibleNames::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestAccessibleNames::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<MainWindow> TestAccessibleNames::openWindow(LanguageManager *languages)
{
    DesktopOptions options;
    options.databasePath = m_dir->filePath(QStringLiteral("qalam.sqlite3"));
    options.settingsPath = m_dir->filePath(QStringLiteral("qalam.ini"));
    options.demoTokensPerSecond = 4000;
    if (languages)
        options.language = languages->language();
    return test::openTestWindow(options, &m_vault, languages, QSize(1000, 700));
}

// The notices are hidden until something happens: shown here so their buttons are walked too.
void TestAccessibleNames::showEveryNotice(MainWindow &window)
{
    window.notices()->addNotice(QStringLiteral("A notice"));
    window.sidebar()->undoNotice()->setTimeout(600000);
    window.sidebar()->undoNotice()->showNotice(QStringLiteral("Deleted"));
}

void TestAccessibleNames::everyControlIsNamedInEnglishAndArabic()
{
    LanguageManager languages;
    QVERIFY(languages.setLanguage(QStringLiteral("en")));
    auto window = openWindow(&languages);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    showEveryNotice(*window);
    // With a conversation on screen (the chat view, not the empty state) and one in the list.
    QTRY_VERIFY_WITH_TIMEOUT(window->isBackendReady(), kLong);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    window->ask(QStringLiteral("hello"));
    QVERIFY(finished.wait(kLong));
    QTRY_VERIFY_WITH_TIMEOUT(window->sidebar()->count() == 1, kLong);

    const QStringList english = unnamedControls(window.get(), false);
    QVERIFY2(english.isEmpty(), qPrintable(english.join(u'\n')));
    const QString composerName = accessibleNameOf(window->composer());
    QCOMPARE(composerName, QStringLiteral("Question"));

    // The empty state's controls, in a new conversation.
    window->session()->newConversation();
    QTRY_VERIFY(window->emptyState()->isVisible());
    const QStringList empty = unnamedControls(window->emptyState(), false);
    QVERIFY2(empty.isEmpty(), qPrintable(empty.join(u'\n')));

    // The same window, switched to Arabic while it runs: every name follows.
    QVERIFY(languages.setLanguage(QStringLiteral("ar")));
    QTRY_VERIFY(hasArabicLetter(accessibleNameOf(window->composer())));
    const QStringList arabic = unnamedControls(window.get(), true);
    QVERIFY2(arabic.isEmpty(), qPrintable(arabic.join(u'\n')));
    QVERIFY(accessibleNameOf(window->sidebar()->searchField()) !=
            QStringLiteral("Search conversations"));
    window.reset();
    QVERIFY(languages.setLanguage(QStringLiteral("en")));
}

void TestAccessibleNames::dialogsNameEveryControl_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("ar") << QStringLiteral("ar");
}

void TestAccessibleNames::dialogsNameEveryControl()
{
    QFETCH(QString, language);
    const bool arabic = language == QLatin1String("ar");
    LanguageManager languages;
    QVERIFY(languages.setLanguage(language));
    auto window = openWindow(&languages);
    QVERIFY(window);

    {
        PreferencesDialog preferences(window->profiles()->preferences(), window.get());
        preferences.show();
        QVERIFY(QTest::qWaitForWindowExposed(&preferences));
        const QStringList inPreferences = unnamedControls(&preferences, arabic);
        QVERIFY2(inPreferences.isEmpty(), qPrintable(inPreferences.join(u'\n')));
        preferences.reject();

        SecretStore secrets(std::make_unique<MemorySecretBackend>());
        ProfileDialog profiles(window->profiles(), &secrets, window.get());
        // The demo alone: the dialog opens a new profile's form, every field enabled.
        profiles.select(window->currentProfile().id);
        profiles.show();
        QVERIFY(QTest::qWaitForWindowExposed(&profiles));
        QPushButton *addHeader = nullptr;
        for (QPushButton *button : profiles.findChildren<QPushButton *>()) {
            if (button->text() == ProfileDialog::tr("Add header"))
                addHeader = button;
        }
        QVERIFY(addHeader);
        addHeader->click(); // a header row: its name, value, secret box and remove button
        QCOMPARE(profiles.findChild<QTableWidget *>(QStringLiteral("headers"))->rowCount(), 1);
        const QStringList inProfiles = unnamedControls(&profiles, arabic);
        QVERIFY2(inProfiles.isEmpty(), qPrintable(inProfiles.join(u'\n')));
        profiles.reject();
    } // the dialogs before their parent
    window.reset();
    QVERIFY(languages.setLanguage(QStringLiteral("en")));
}

void TestAccessibleNames::sidebarRowsSayTitleDateAndState()
{
    auto window = openWindow(nullptr);
    QVERIFY(window);
    QTRY_VERIFY_WITH_TIMEOUT(window->isBackendReady(), kLong);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    window->ask(QStringLiteral("Name the planets"));
    QVERIFY(finished.wait(kLong));
    QTRY_VERIFY_WITH_TIMEOUT(window->sidebar()->count() == 1, kLong);
    ConversationListView *list = window->sidebar()->list();
    const QModelIndex row = list->model()->index(1, 0); // 0: the "Today" heading
    QVERIFY(!row.data(Qt::AccessibleTextRole).toString().isEmpty());
    QVERIFY(row.data(Qt::AccessibleTextRole).toString().contains(row.data().toString()));
    QVERIFY2(row.data(Qt::AccessibleDescriptionRole).toString().startsWith(u"Last active "),
             qPrintable(row.data(Qt::AccessibleDescriptionRole).toString()));
    // What the list's accessible row says.
    QAccessibleInterface *listInterface = QAccessible::queryAccessibleInterface(list);
    QVERIFY(listInterface);
    QCOMPARE(listInterface->text(QAccessible::Name), QStringLiteral("Conversations"));
    bool found = false;
    for (int i = 0; i < listInterface->childCount(); ++i) {
        QAccessibleInterface *child = listInterface->child(i);
        if (child && child->text(QAccessible::Name) == row.data(Qt::AccessibleTextRole)) {
            found = true;
            QCOMPARE(child->text(QAccessible::Description),
                     row.data(Qt::AccessibleDescriptionRole).toString());
        }
    }
    QVERIFY(found);
    // A live answer is said, not only painted.
    window->sidebar()->setLiveConversations({window->sidebar()->currentId()});
    QVERIFY(row.data(Qt::AccessibleTextRole).toString().contains(u"streaming"));
}

void TestAccessibleNames::tabFollowsReadingOrder()
{
    auto window = openWindow(nullptr);
    QVERIFY(window);
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    QTRY_VERIFY_WITH_TIMEOUT(window->isBackendReady(), kLong);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    window->ask(QStringLiteral("hello"));
    QVERIFY(finished.wait(kLong));
    QTRY_VERIFY_WITH_TIMEOUT(window->sidebar()->count() == 1, kLong);
    QTRY_VERIFY(window->chatView()->isVisible());

    window->composer()->setPlainText(QStringLiteral("next question")); // Send is enabled
    window->sidebar()->searchField()->setFocus(Qt::OtherFocusReason);
    QTRY_COMPARE(QApplication::focusWidget(), window->sidebar()->searchField());
    QList<QWidget *> visited{QApplication::focusWidget()};
    for (int i = 0; i < 40 && visited.constLast() != window->sendButton(); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget *now = QApplication::focusWidget();
        QVERIFY(now);
        if (now != visited.constLast())
            visited << now;
    }
    QStringList names;
    for (QWidget *widget : std::as_const(visited))
        names << describe(widget);
    const QList<QWidget *> expected{window->sidebar()->searchField(), window->sidebar()->list(),
                                    window->chatView(), window->composer(), window->sendButton()};
    QCOMPARE(visited.size() >= expected.size(), true);
    qsizetype at = 0;
    for (QWidget *widget : expected) {
        const qsizetype found = visited.indexOf(widget, at);
        QVERIFY2(found >= 0, qPrintable(QStringLiteral("%1 missing or out of order in:\n%2")
                                            .arg(describe(widget), names.join(u'\n'))));
        at = found + 1;
    }
    // Nothing between the question and its Send button.
    QCOMPARE(visited.indexOf(window->sendButton()), visited.indexOf(window->composer()) + 1);
}

QTEST_MAIN(TestAccessibleNames)
#include "tst_accessiblenames.moc"
