// The real desktop window in Arabic: translated through the same LanguageManager main() uses,
// mirrored right to left, with Arabic numbers; and switched between languages while it runs.
#include "Composer.h"
#include "ConversationSidebar.h"
#include "LanguageManager.h"
#include "MainWindow.h"
#include "MemorySecretBackend.h"
#include "session/ConversationSession.h"
#include "settings/ProfileStore.h"
#include "store/MessageMetrics.h"
#include "ui/ChatView.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace qalam;

namespace {

constexpr int kLong = 30000; // generous: a busy CI machine must not fail these

bool hasArabicLetter(const QString &text)
{
    return std::any_of(text.begin(), text.end(),
                       [](QChar c) { return c.script() == QChar::Script_Arabic && c.isLetter(); });
}

bool hasArabicIndicDigit(const QString &text)
{
    return std::any_of(text.begin(), text.end(),
                       [](QChar c) { return c.unicode() >= 0x0660 && c.unicode() <= 0x0669; });
}

// Every text a person sees in `window` that is not Arabic, as "kind: text" lines.
QStringList untranslatedTexts(MainWindow &window)
{
    QStringList found;
    const auto check = [&found](const QString &kind, const QString &text) {
        if (!text.isEmpty() && !hasArabicLetter(text))
            found.append(kind + QStringLiteral(": ") + text);
    };
    check(QStringLiteral("window title"), window.windowTitle());
    const QList<QAction *> menus = window.menuBar()->actions();
    for (const QAction *menuAction : menus) {
        check(QStringLiteral("menu"), menuAction->text());
        if (const QMenu *menu = menuAction->menu()) {
            const QList<QAction *> actions = menu->actions();
            for (const QAction *action : actions) {
                if (!action->isSeparator())
                    check(QStringLiteral("action"), action->text());
            }
        }
    }
    const QList<QWidget *> widgets = window.findChildren<QWidget *>();
    for (QWidget *widget : widgets) {
        if (!widget->isVisible())
            continue;
        if (auto *button = qobject_cast<QPushButton *>(widget))
            check(QStringLiteral("button"), button->text());
        else if (auto *label = qobject_cast<QLabel *>(widget))
            check(QStringLiteral("label"), label->text());
        else if (auto *line = qobject_cast<QLineEdit *>(widget))
            check(QStringLiteral("placeholder"), line->placeholderText());
        else if (auto *edit = qobject_cast<QPlainTextEdit *>(widget))
            check(QStringLiteral("placeholder"), edit->placeholderText());
        else if (auto *combo = qobject_cast<QComboBox *>(widget))
            check(QStringLiteral("combo box"), combo->currentText());
        if (!widget->toolTip().isEmpty())
            check(QStringLiteral("tooltip"), widget->toolTip());
    }
    return found;
}

QString menuTitles(MainWindow &window)
{
    QStringList titles;
    const QList<QAction *> menus = window.menuBar()->actions();
    for (const QAction *menu : menus)
        titles.append(menu->text());
    return titles.join(QLatin1Char('|'));
}

// Installing a translator posts QEvent::LanguageChange to every window; the next turn of the
// event loop delivers it. Delivering it here keeps the test free of waits.
void deliverLanguageChange()
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
}

} // namespace

class TestArabicUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void arabicWindowIsTranslatedAndMirrored();
    void arabicFontIsAvailable();
    void switchingLanguageRetranslatesAtOnce();
    void preferencesDialogSwitchesLanguage();
    void numbersUseTheArabicLocale();

private:
    std::unique_ptr<MainWindow> openWindow(const QString &language);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LanguageManager> m_languages;
};

void TestArabicUi::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_languages = std::make_unique<LanguageManager>();
}

void TestArabicUi::cleanup()
{
    m_languages.reset();
    QLocale::setDefault(QLocale::c());
    QApplication::setLayoutDirection(Qt::LeftToRight);
    m_dir.reset();
}

// As main() does: --lang applied through the LanguageManager before the window is built.
std::unique_ptr<MainWindow> TestArabicUi::openWindow(const QString &language)
{
    DesktopOptions options;
    options.language = language;
    options.forceDemo = true;
    options.databasePath = m_dir->filePath(QStringLiteral("qalam.sqlite3"));
    options.settingsPath = m_dir->filePath(QStringLiteral("qalam.ini"));
    options.demoTokensPerSecond = 2000;
    if (!language.isEmpty() && !m_languages->setLanguage(language))
        return nullptr;
    // An in-memory keychain: the test never reaches (or unlocks) the machine's.
    auto window = std::make_unique<MainWindow>(options, m_languages.get(),
                                               std::make_unique<MemorySecretBackend>());
    QString error;
    if (!window->initialize(&error)) {
        qWarning("initialize failed: %s", qPrintable(error));
        return nullptr;
    }
    window->resize(900, 700);
    window->show();
    return window;
}

void TestArabicUi::arabicWindowIsTranslatedAndMirrored()
{
    auto window = openWindow(QStringLiteral("ar"));
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));

    QCOMPARE(QApplication::layoutDirection(), Qt::RightToLeft);
    QCOMPARE(window->layoutDirection(), Qt::RightToLeft);
    const QStringList untranslated = untranslatedTexts(*window);
    QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(QLatin1Char('\n'))));
    // Not vacuous: the menus, the send button and the status line were all looked at.
    QVERIFY(window->menuBar()->actions().size() >= 4);
    QVERIFY(hasArabicLetter(window->sendButton()->text()));
    QVERIFY(hasArabicLetter(window->connectionLabel()->text()));

    // Mirrored: the sidebar on the right, the send button on the composer's left.
    const auto left = [&window](const QWidget *widget) {
        return widget->mapTo(window.get(), QPoint(0, 0)).x();
    };
    QVERIFY(left(window->sidebar()) > left(window->chatView()));
    QVERIFY(left(window->sendButton()) < left(window->composer()));

    // The chat view's headers are translated when painted, and the names a screen reader
    // gives the messages (lib/ui/MessageAccessible): the catalogue has them.
    QVERIFY(hasArabicLetter(ChatView::tr("Assistant")));
    QVERIFY(hasArabicLetter(QCoreApplication::translate("qalam::MessageAccessible", "You")));
    QVERIFY(hasArabicLetter(QCoreApplication::translate("qalam::MessageAccessible", "Assistant")));
    // Qt's own strings (standard buttons) are Arabic too.
    QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QVERIFY(hasArabicLetter(buttons.button(QDialogButtonBox::Cancel)->text()));
}

void TestArabicUi::arabicFontIsAvailable()
{
    // The font package (fonts-noto-core on Debian) must give Arabic text real glyphs.
    QVERIFY(!QFontDatabase::families(QFontDatabase::Arabic).isEmpty());
    const QString family = LanguageManager::arabicFontFamily(QApplication::font());
    QVERIFY2(!family.isEmpty(), "no installed font renders Arabic text");
    QVERIFY(QFontDatabase::writingSystems(family).contains(QFontDatabase::Arabic));
}

void TestArabicUi::switchingLanguageRetranslatesAtOnce()
{
    auto window = openWindow(QStringLiteral("en"));
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QCOMPARE(menuTitles(*window), QStringLiteral("&File|&Conversation|&View|&Settings"));
    QCOMPARE(window->layoutDirection(), Qt::LeftToRight);
    const QString englishPlaceholder = window->composer()->placeholderText();

    QSignalSpy changed(m_languages.get(), &LanguageManager::languageChanged);
    QVERIFY(m_languages->setLanguage(QStringLiteral("ar")));
    QCOMPARE(changed.count(), 1);
    deliverLanguageChange(); // no restart, no new window: the same widgets retranslate
    QVERIFY2(hasArabicLetter(menuTitles(*window)), qPrintable(menuTitles(*window)));
    QCOMPARE(window->layoutDirection(), Qt::RightToLeft);
    QVERIFY(hasArabicLetter(window->composer()->placeholderText()));
    QVERIFY(hasArabicLetter(window->connectionLabel()->text()));
    const QStringList untranslated = untranslatedTexts(*window);
    QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(QLatin1Char('\n'))));

    QVERIFY(m_languages->setLanguage(QStringLiteral("en")));
    deliverLanguageChange();
    QCOMPARE(menuTitles(*window), QStringLiteral("&File|&Conversation|&View|&Settings"));
    QCOMPARE(window->layoutDirection(), Qt::LeftToRight);
    QCOMPARE(window->composer()->placeholderText(), englishPlaceholder);
    QVERIFY(!m_languages->setLanguage(QStringLiteral("fr"))); // no such translation
    QCOMPARE(m_languages->language(), QStringLiteral("en"));
}

void TestArabicUi::preferencesDialogSwitchesLanguage()
{
    auto window = openWindow(QString()); // no --lang: the preference decides
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QCOMPARE(m_languages->language(), QStringLiteral("en")); // the C locale of the test

    // The user opens Settings > Preferences, picks العربية and presses OK.
    bool picked = false;
    QTimer::singleShot(0, this, [&picked] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        const QList<QComboBox *> boxes = dialog->findChildren<QComboBox *>();
        for (QComboBox *box : boxes) {
            const int arabic = box->findText(QStringLiteral("العربية"));
            if (arabic >= 0) {
                box->setCurrentIndex(arabic);
                picked = true;
            }
        }
        dialog->accept();
    });
    QAction *preferences = window->menuBar()->actions().at(3)->menu()->actions().at(1);
    preferences->trigger();
    QVERIFY(picked);
    deliverLanguageChange();

    QCOMPARE(m_languages->language(), QStringLiteral("ar"));
    QVERIFY2(hasArabicLetter(menuTitles(*window)), qPrintable(menuTitles(*window)));
    QCOMPARE(window->layoutDirection(), Qt::RightToLeft);
    QCOMPARE(window->profiles()->preferences().language, Preferences::Language::Arabic);
}

void TestArabicUi::numbersUseTheArabicLocale()
{
    auto window = openWindow(QStringLiteral("en"));
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    window->ask(QStringLiteral("What can Qalam do?"));
    QVERIFY(finished.wait(kLong));
    const QString englishFooter = window->chatView()->footer(1);
    QVERIFY2(englishFooter.contains(QLatin1String("chars/s")), qPrintable(englishFooter));

    // The footer of an answer already on screen is computed again in the new language.
    QVERIFY(m_languages->setLanguage(QStringLiteral("ar")));
    deliverLanguageChange();
    const QString arabicFooter = window->chatView()->footer(1);
    QVERIFY2(hasArabicLetter(arabicFooter) && hasArabicIndicDigit(arabicFooter),
             qPrintable(arabicFooter));
    QVERIFY(hasArabicIndicDigit(window->metricsLabel()->text()));

    // A known value, formatted exactly as the Arabic locale does it.
    MessageMetrics metrics;
    metrics.timeToFirstTokenMs = 1234;
    metrics.charactersPerSecond = 56;
    metrics.reconnects = 3;
    StoredMessage answer;
    answer.role = StoredMessage::Role::Assistant;
    answer.state = StoredMessage::State::Complete;
    answer.metricsJson = metrics.toJson();
    const QString footer = ConversationSession::footerText(answer);
    const QLocale arabic(QLocale::Arabic);
    QVERIFY2(footer.contains(arabic.toString(1234)), qPrintable(footer));
    QVERIFY2(footer.contains(arabic.toString(3) + QStringLiteral(" إعادات اتصال")),
             qPrintable(footer));
    QVERIFY(!footer.contains(QLatin1String("1234")));
}

QTEST_MAIN(TestArabicUi)
#include "tst_arabicui.moc"
