// qalam: the desktop app.
#include "LanguageManager.h"
#include "MainWindow.h"
#include "ThemeManager.h"
#include "WindowSnapshot.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

#include <cstdio>
#include <memory>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("qalam"));
    QApplication::setApplicationDisplayName(QStringLiteral("Qalam"));
    QApplication::setOrganizationName(QStringLiteral("Qalam"));
    QApplication::setApplicationVersion(QStringLiteral(QALAM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("qalam"));

    // The system's language until the command line and the saved preference are known, so that
    // --help already speaks it.
    qalam::LanguageManager languages;
    languages.setLanguage(
        qalam::LanguageManager::resolve(QString(), qalam::Preferences::Language::System));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Qalam: a desktop client for streamed AI chat, in Arabic and English."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QApplication::translate("main", "Use the built-in offline demo server."));
    const QCommandLineOption profile(
        QStringLiteral("profile"),
        QApplication::translate("main", "Connect with the profile named NAME."),
        QStringLiteral("NAME"));
    const QCommandLineOption lang(
        QStringLiteral("lang"),
        QApplication::translate("main", "Interface language: ar or en (default: the system's)."),
        QStringLiteral("ar|en"));
    const QCommandLineOption database(
        QStringLiteral("database"),
        QApplication::translate("main", "Keep conversations in FILE instead of the default place."),
        QStringLiteral("FILE"));
    const QCommandLineOption ask(
        QStringLiteral("ask"),
        QApplication::translate("main", "Ask QUESTION as soon as the window opens."),
        QStringLiteral("QUESTION"));
    const QCommandLineOption demoRate(
        QStringLiteral("demo-rate"),
        QApplication::translate("main", "Pace of the demo server's answers, in tokens per second."),
        QStringLiteral("N"));
    const QCommandLineOption settings(
        QStringLiteral("settings"),
        QApplication::translate("main", "Read and write settings and profiles in FILE."),
        QStringLiteral("FILE"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate("main",
                                "Save a PNG picture of the window to FILE and quit: once the "
                                "answer to --ask has ended, or as soon as the window is shown."),
        QStringLiteral("FILE"));
    const QCommandLineOption screenshotOf(
        QStringLiteral("screenshot-of"),
        QApplication::translate("main",
                                "What --screenshot shows: the window (default), the window with "
                                "its first menu open, or the Preferences or Connection profiles "
                                "dialog over it."),
        QStringLiteral("window|menu|preferences|profiles"));
    const QCommandLineOption theme(
        QStringLiteral("theme"),
        QApplication::translate("main",
                                "Colours: light, dark, high-contrast (white on black), or system "
                                "(as the desktop is). Default: the one chosen in Preferences."),
        QStringLiteral("light|dark|high-contrast|system"));
    parser.addOptions(
        {demo, profile, lang, theme, database, settings, ask, demoRate, screenshot, screenshotOf});
    parser.process(app);

    qalam::DesktopOptions options;
    options.forceDemo = parser.isSet(demo);
    options.profileName = parser.value(profile);
    options.language = parser.value(lang);
    options.databasePath = parser.value(database);
    options.settingsPath = parser.value(settings);
    options.demoTokensPerSecond = parser.value(demoRate).toInt();
    if (!options.language.isEmpty() && options.language != QLatin1String("ar") &&
        options.language != QLatin1String("en")) {
        std::fprintf(stderr, "qalam: --lang must be ar or en\n");
        return 2;
    }
    if (parser.isSet(theme)) {
        options.theme = qalam::ThemeManager::themeFromName(parser.value(theme));
        if (!options.theme) {
            std::fprintf(stderr, "qalam: --theme must be light, dark, high-contrast or system\n");
            return 2;
        }
    }

    const auto subject = qalam::WindowSnapshot::subjectFromName(
        parser.isSet(screenshotOf) ? parser.value(screenshotOf) : QStringLiteral("window"));
    if (!subject) {
        std::fprintf(stderr,
                     "qalam: --screenshot-of must be window, menu, preferences or profiles\n");
        return 2;
    }

    // --lang wins over everything; the window applies the saved preference otherwise.
    if (!options.language.isEmpty())
        languages.setLanguage(options.language);

    qalam::MainWindow window(options, &languages);
    window.resize(1100, 760); // the first run's size: initialize() restores the last one
    QString error;
    if (!window.initialize(&error)) {
        if (error.isEmpty())
            return 0; // the user chose to quit (a damaged database left as it is)
        QMessageBox::critical(nullptr, QApplication::translate("main", "Qalam"), error);
        return 1;
    }
    window.show();
    std::unique_ptr<qalam::WindowSnapshot> snapshot;
    if (parser.isSet(screenshot)) {
        snapshot = std::make_unique<qalam::WindowSnapshot>(
            &window, parser.value(screenshot),
            parser.isSet(ask) ? qalam::WindowSnapshot::Trigger::AnswerEnded
                              : qalam::WindowSnapshot::Trigger::WindowShown,
            *subject);
        QObject::connect(snapshot.get(), &qalam::WindowSnapshot::taken, &app,
                         [](bool ok, const QString &error) {
                             if (!ok)
                                 std::fprintf(stderr, "qalam: %s\n", qPrintable(error));
                             QApplication::exit(ok ? 0 : 1);
                         });
    }
    if (parser.isSet(ask))
        window.ask(parser.value(ask));
    return QApplication::exec();
}
