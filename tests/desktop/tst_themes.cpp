// The look of the whole window: Qalam's light and dark palettes (complete, readable), switched at
// run time for the whole application and the chat view, previewed in Preferences and remembered
// across a restart; --theme on the command line; icons drawn in the palette's colours (visible in
// both themes, mirrored in Arabic); and colour emoji: the fonts of the chat view and the composer
// fall back to Noto Color Emoji, which shapes ZWJ, skin-tone and flag sequences as one glyph.
#include "Composer.h"
#include "MainWindow.h"
#include "PreferencesDialog.h"
#include "ProcessRunner.h"
#include "TestWindow.h"
#include "ThemeIconEngine.h"
#include "ThemeManager.h"
#include "ThemePalettes.h"
#include "ToolSkip.h"
#include "WindowActions.h"
#include "settings/ProfileStore.h"
#include "ui/ChatView.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFontDatabase>
#include <QGlyphRun>
#include <QImage>
#include <QRawFont>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTextLayout>
#include <QTimer>

#include <functional>

using namespace qalam;
using Scheme = ThemePalettes::Scheme;

namespace {

constexpr int kLong = 30000;

// WCAG relative luminance contrast of two colours.
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
               0.0722 * channel(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// Runs `act` on the modal dialog of type T as soon as it is open (exec() blocks the caller).
template<typename T> void whenModal(std::function<void(T *)> act)
{
    auto *timer = new QTimer;
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, [timer, act] {
        if (auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            act(dialog);
        }
    });
    timer->start();
}

// The average lightness of the opaque pixels of an icon.
int inkLightness(const QPixmap &pixmap)
{
    const QImage image = pixmap.toImage().convertToFormat(QImage::Format_ARGB32);
    qint64 sum = 0;
    qint64 count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() > 200) {
                sum += c.lightness();
                ++count;
            }
        }
    }
    return count ? int(sum / count) : -1;
}

int averageLightness(const QImage &image)
{
    qint64 sum = 0;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4)
            sum += image.pixelColor(x, y).lightness();
    return int(sum / ((image.height() / 4 + 1) * (image.width() / 4 + 1)));
}

} // namespace

class TestThemes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void themeNames();
    void palettesAreCompleteAndReadable_data();
    void palettesAreCompleteAndReadable();
    void schemeOfAPalette();
    void switchRepaintsTheWholeApplication();
    void chosenInPreferencesAndRememberedAcrossRestart();
    void cancelledPreviewGoesBack();
    void commandLineThemeIsForThisRunOnly();
    void themeOption();
    void iconsFollowThePalette();
    void sendIconMirrorsInArabic();
    void emojiSequencesAreOneColourGlyph_data();
    void emojiSequencesAreOneColourGlyph();

private:
    std::unique_ptr<MainWindow> openWindow(std::optional<Preferences::Theme> theme = {});
    QString settingsPath() const { return m_dir->filePath(QStringLiteral("qalam.ini")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QHash<QString, QString> m_vault;
};

void TestThemes::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestThemes::cleanup()
{
    m_dir.reset();
    QApplication::setLayoutDirection(Qt::LeftToRight);
}

std::unique_ptr<MainWindow> TestThemes::openWindow(std::optional<Preferences::Theme> theme)
{
    DesktopOptions options;
    options.databasePath = m_dir->filePath(QStringLiteral("qalam.sqlite3"));
    options.settingsPath = settingsPath();
    options.theme = theme;
    return test::openTestWindow(options, &m_vault);
}

void TestThemes::themeNames()
{
    QCOMPARE(ThemeManager::themeFromName(u"dark"), Preferences::Theme::Dark);
    QCOMPARE(ThemeManager::themeFromName(u"light"), Preferences::Theme::Light);
    QCOMPARE(ThemeManager::themeFromName(u"system"), Preferences::Theme::System);
    QCOMPARE(ThemeManager::themeFromName(u"high-contrast"), Preferences::Theme::HighContrast);
    QVERIFY(!ThemeManager::themeFromName(u"Dark"));
    QVERIFY(!ThemeManager::themeFromName(u"purple"));
    QVERIFY(!ThemeManager::themeFromName(u""));
}

void TestThemes::palettesAreCompleteAndReadable_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::newRow("light") << Scheme::Light;
    QTest::newRow("dark") << Scheme::Dark;
    QTest::newRow("high-contrast") << Scheme::HighContrast; // 7:1 everywhere: tst_highcontrast
}

void TestThemes::palettesAreCompleteAndReadable()
{
    QFETCH(Scheme, scheme);
    const QPalette palette = ThemePalettes::palette(scheme);
    // Every role of every group is Qalam's own, none left to the platform or the style.
    for (const QPalette::ColorGroup group :
         {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        for (int role = 0; role < QPalette::NColorRoles; ++role) {
            if (role == QPalette::NoRole)
                continue;
            QVERIFY2(palette.isBrushSet(group, QPalette::ColorRole(role)),
                     qPrintable(QStringLiteral("group %1 role %2").arg(group).arg(role)));
        }
    }
    QCOMPARE(ThemePalettes::schemeOf(palette), scheme);
    const auto active = [&](QPalette::ColorRole role) {
        return palette.color(QPalette::Active, role);
    };
    QVERIFY(contrast(active(QPalette::Text), active(QPalette::Base)) >= 7.0);
    QVERIFY(contrast(active(QPalette::WindowText), active(QPalette::Window)) >= 7.0);
    QVERIFY(contrast(active(QPalette::Text), active(QPalette::AlternateBase)) >= 7.0);
    QVERIFY(contrast(active(QPalette::PlaceholderText), active(QPalette::Base)) >= 4.5);
    QVERIFY(contrast(active(QPalette::HighlightedText), active(QPalette::Highlight)) >= 4.5);
    QVERIFY(contrast(active(QPalette::ToolTipText), active(QPalette::ToolTipBase)) >= 7.0);
    QVERIFY(contrast(active(QPalette::Link), active(QPalette::Base)) >= 4.5);
    QVERIFY(contrast(active(QPalette::ButtonText), active(QPalette::Button)) >= 7.0);
    // Disabled text is visibly fainter than enabled text, still distinct from its background.
    const QColor disabled = palette.color(QPalette::Disabled, QPalette::Text);
    QVERIFY(contrast(disabled, active(QPalette::Base)) <
            contrast(active(QPalette::Text), active(QPalette::Base)));
    QVERIFY(contrast(disabled, palette.color(QPalette::Disabled, QPalette::Base)) >= 1.8);
    // The user's message band and the chat's background differ, but only slightly.
    QVERIFY(active(QPalette::AlternateBase) != active(QPalette::Base));
    QVERIFY(contrast(active(QPalette::AlternateBase), active(QPalette::Base)) < 1.3);
}

void TestThemes::schemeOfAPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    QCOMPARE(ThemePalettes::schemeOf(dark), Scheme::Dark);
    QPalette light;
    light.setColor(QPalette::Window, QColor(0xf0, 0xf0, 0xf0));
    light.setColor(QPalette::WindowText, QColor(0x10, 0x10, 0x10));
    QCOMPARE(ThemePalettes::schemeOf(light), Scheme::Light);
}

void TestThemes::switchRepaintsTheWholeApplication()
{
    auto window = openWindow();
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    ThemeManager *theme = window->theme();
    QVERIFY(ThemeManager::isFusion(QApplication::style()));

    theme->apply(Preferences::Theme::Light);
    const QPalette light = ThemePalettes::palette(Scheme::Light);
    QCOMPARE(QApplication::palette().color(QPalette::Window), light.color(QPalette::Window));
    // Windows take a new application palette from the event loop (Qt posts it to them), and
    // their widgets inherit it from there.
    QTRY_COMPARE(window->chatView()->palette().color(QPalette::Base), light.color(QPalette::Base));
    QTRY_COMPARE(window->composer()->palette().color(QPalette::Text), light.color(QPalette::Text));
    const QColor lightWindow = window->palette().color(QPalette::Window);
    const QColor lightBase = window->chatView()->palette().color(QPalette::Base);
    const QColor lightText = window->chatView()->palette().color(QPalette::Text);

    theme->apply(Preferences::Theme::Dark);
    const QPalette dark = ThemePalettes::palette(Scheme::Dark);
    QCOMPARE(theme->scheme(), Scheme::Dark);
    QCOMPARE(QApplication::palette().color(QPalette::Base), dark.color(QPalette::Base));
    QTRY_COMPARE(window->chatView()->palette().color(QPalette::Base), dark.color(QPalette::Base));
    QVERIFY(window->palette().color(QPalette::Window) != lightWindow);
    QVERIFY(window->chatView()->palette().color(QPalette::Base) != lightBase);
    QVERIFY(window->chatView()->palette().color(QPalette::Text) != lightText);
    QVERIFY(window->chatView()->palette().color(QPalette::Base).lightness() < 80);
    QVERIFY(qApp->styleSheet().isEmpty()); // everything from the palette

    // What the user sees: the chat area's pixels are dark now.
    QTRY_VERIFY(averageLightness(window->grab().toImage()) < 100);
    theme->apply(Preferences::Theme::Light);
    QTRY_VERIFY(averageLightness(window->grab().toImage()) > 160);
}

void TestThemes::chosenInPreferencesAndRememberedAcrossRestart()
{
    {
        auto window = openWindow();
        QVERIFY(window);
        QCOMPARE(window->theme()->theme(), Preferences::Theme::System);
        bool previewed = false;
        whenModal<PreferencesDialog>([&](PreferencesDialog *dialog) {
            auto *box = dialog->findChild<QComboBox *>(QStringLiteral("theme"));
            QVERIFY(box);
            box->setCurrentIndex(box->findData(int(Preferences::Theme::Dark)));
            // Shown at once, before OK.
            previewed = QApplication::palette().color(QPalette::Base) ==
                        ThemePalettes::palette(Scheme::Dark).color(QPalette::Base);
            dialog->accept();
        });
        window->actions()->preferences()->trigger();
        QVERIFY(previewed);
        QCOMPARE(window->theme()->theme(), Preferences::Theme::Dark);
        QCOMPARE(QApplication::palette().color(QPalette::Base),
                 ThemePalettes::palette(Scheme::Dark).color(QPalette::Base));
        QCOMPARE(window->profiles()->preferences().theme, Preferences::Theme::Dark);
    }
    QCOMPARE(QSettings(settingsPath(), QSettings::IniFormat)
                 .value(QStringLiteral("preferences/theme"))
                 .toString(),
             QStringLiteral("dark"));

    // A light start in between, then the restart: the saved theme comes back.
    ThemeManager().apply(Preferences::Theme::Light);
    auto window = openWindow();
    QVERIFY(window);
    QCOMPARE(window->theme()->theme(), Preferences::Theme::Dark);
    QTRY_COMPARE(window->chatView()->palette().color(QPalette::Base),
                 ThemePalettes::palette(Scheme::Dark).color(QPalette::Base));
}

void TestThemes::cancelledPreviewGoesBack()
{
    auto window = openWindow(Preferences::Theme::Light);
    QVERIFY(window);
    whenModal<PreferencesDialog>([](PreferencesDialog *dialog) {
        auto *box = dialog->findChild<QComboBox *>(QStringLiteral("theme"));
        box->setCurrentIndex(box->findData(int(Preferences::Theme::Dark)));
        dialog->reject();
    });
    window->actions()->preferences()->trigger();
    QCOMPARE(window->theme()->theme(), Preferences::Theme::Light);
    QCOMPARE(QApplication::palette().color(QPalette::Base),
             ThemePalettes::palette(Scheme::Light).color(QPalette::Base));
    QCOMPARE(window->profiles()->preferences().theme, Preferences::Theme::System);
}

void TestThemes::commandLineThemeIsForThisRunOnly()
{
    {
        ProfileStore store(settingsPath());
        Preferences preferences = store.preferences();
        preferences.theme = Preferences::Theme::Light;
        QVERIFY(store.savePreferences(preferences).isEmpty());
    }
    auto window = openWindow(Preferences::Theme::Dark);
    QVERIFY(window);
    QCOMPARE(window->theme()->scheme(), Scheme::Dark);
    QTRY_COMPARE(window->chatView()->palette().color(QPalette::Base),
                 ThemePalettes::palette(Scheme::Dark).color(QPalette::Base));
    window->close();
    window.reset();
    QCOMPARE(ProfileStore(settingsPath()).preferences().theme, Preferences::Theme::Light);
}

// The real program: --theme is documented in --help, a wrong value is refused, and
// `--theme dark` paints a dark window (its own --screenshot of the first-run window).
void TestThemes::themeOption()
{
    const QString program = QStringLiteral(QALAM_DESKTOP_PATH);
    test::ProcessOptions options;
    options.environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    options.environment.insert(QStringLiteral("LANG"), QStringLiteral("en_US.UTF-8"));
    const test::ProcessResult help = test::runProcess(program, {QStringLiteral("--help")}, options);
    QVERIFY2(help.succeeded(), help.err.constData());
    QVERIFY(help.out.contains("--theme <light|dark|high-contrast|system>"));

    const test::ProcessResult wrong =
        test::runProcess(program, {QStringLiteral("--theme"), QStringLiteral("purple")}, options);
    QCOMPARE(wrong.exitCode, 2);
    QVERIFY(wrong.err.contains("--theme must be light, dark, high-contrast or system"));

    for (const QString &name : {QStringLiteral("dark"), QStringLiteral("light")}) {
        const QString png = m_dir->filePath(name + QStringLiteral(".png"));
        const test::ProcessResult run = test::runProcess(
            program,
            {QStringLiteral("--demo"), QStringLiteral("--lang"), QStringLiteral("en"),
             QStringLiteral("--theme"), name, QStringLiteral("--database"),
             m_dir->filePath(QStringLiteral("cli.sqlite3")), QStringLiteral("--settings"),
             m_dir->filePath(QStringLiteral("cli.ini")), QStringLiteral("--screenshot"), png},
            options);
        QVERIFY2(run.succeeded(), run.err.constData());
        const QImage image(png);
        QVERIFY(!image.isNull());
        if (name == QLatin1String("dark"))
            QVERIFY(averageLightness(image) < 100);
        else
            QVERIFY(averageLightness(image) > 160);
    }
    // --theme did not become the saved choice.
    QCOMPARE(QSettings(m_dir->filePath(QStringLiteral("cli.ini")), QSettings::IniFormat)
                 .value(QStringLiteral("preferences/theme"), QStringLiteral("system"))
                 .toString(),
             QStringLiteral("system"));
}

void TestThemes::iconsFollowThePalette()
{
    ThemeManager theme;
    theme.apply(Preferences::Theme::Light);
    const QIcon send = theme.icon(QStringLiteral("media-playback-stop"));
    QVERIFY(!send.isNull());
    const int onLight = inkLightness(send.pixmap(QSize(22, 22)));
    QVERIFY2(onLight >= 0 && onLight < 80, qPrintable(QString::number(onLight)));
    // The same icon object, after the switch: drawn light on the dark palette.
    theme.apply(Preferences::Theme::Dark);
    const int onDark = inkLightness(send.pixmap(QSize(22, 22)));
    QVERIFY2(onDark > 170, qPrintable(QString::number(onDark)));
    // Disabled is fainter: nearer the background than the normal icon is.
    const int disabled = inkLightness(send.pixmap(QSize(22, 22), QIcon::Disabled));
    QVERIFY(disabled < onDark);
    // Every icon the window uses is bundled.
    for (const char *name :
         {"document-send", "media-playback-stop", "mail-message-new", "view-refresh", "configure",
          "network-connect", "application-exit", "sidebar-collapse-left", "edit-find"}) {
        QVERIFY2(!theme.icon(QString::fromLatin1(name)).isNull(), name);
        QVERIFY2(inkLightness(theme.icon(QString::fromLatin1(name)).pixmap(QSize(22, 22))) >= 0,
                 name);
    }
    QCOMPARE(ThemeIconEngine::recoloured("<path style=\"color:#232629\"/>", QColor(0xff, 0, 0)),
             QByteArray("<path style=\"color:#ff0000\"/>"));
}

void TestThemes::sendIconMirrorsInArabic()
{
    ThemeManager theme;
    theme.apply(Preferences::Theme::Light);
    const QIcon send = theme.icon(QStringLiteral("document-send"), true);
    const QImage ltr = send.pixmap(QSize(22, 22)).toImage();
    QApplication::setLayoutDirection(Qt::RightToLeft);
    const QImage rtl = send.pixmap(QSize(22, 22)).toImage();
    QApplication::setLayoutDirection(Qt::LeftToRight);
    QVERIFY(ltr != rtl);
    // The mirror image, up to antialiasing: every pixel within a few levels of its mirror.
    const QImage a = rtl.convertToFormat(QImage::Format_ARGB32);
    const QImage b = ltr.mirrored(true, false).convertToFormat(QImage::Format_ARGB32);
    QCOMPARE(a.size(), b.size());
    int worst = 0;
    for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x)
            worst = std::max(worst, std::abs(qAlpha(a.pixel(x, y)) - qAlpha(b.pixel(x, y))));
    }
    QVERIFY2(worst < 40, qPrintable(QString::number(worst)));
    // And not the icon itself: the send arrow is not symmetric.
    const QImage same = ltr.convertToFormat(QImage::Format_ARGB32);
    int differs = 0;
    for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x)
            differs += std::abs(qAlpha(a.pixel(x, y)) - qAlpha(same.pixel(x, y))) > 128;
    }
    QVERIFY(differs > 10);
}

void TestThemes::emojiSequencesAreOneColourGlyph_data()
{
    QTest::addColumn<QString>("sequence");
    QTest::newRow("ZWJ family") << QStringLiteral("👩‍👩‍👧");
    QTest::newRow("skin tone") << QStringLiteral("👍🏽");
    QTest::newRow("flag") << QStringLiteral("🇸🇦");
    QTest::newRow("smiley") << QStringLiteral("😀");
    QTest::newRow("ZWJ with skin tone") << QStringLiteral("👩🏽‍💻");
}

// In the line "👩‍👩‍👧 👍🏽 🇸🇦 😀", as the chat view and the composer set
// it: each sequence is exactly one glyph, from the colour emoji font, and the spaces stay in the
// text's font.
void TestThemes::emojiSequencesAreOneColourGlyph()
{
    if (!QFontDatabase::hasFamily(QStringLiteral("Noto Color Emoji")))
        QALAM_SKIP_FOR_MISSING_TOOL("the Noto Color Emoji font (apt-get install "
                                    "fonts-noto-color-emoji)");
    QFETCH(QString, sequence);
    auto window = openWindow();
    QVERIFY(window);
    const QString line = QStringLiteral("👩‍👩‍👧 👍🏽 🇸🇦 😀");
    for (QWidget *widget :
         {static_cast<QWidget *>(window->chatView()), static_cast<QWidget *>(window->composer())}) {
        const QFont font = widget->font();
        for (const QString &text : {sequence, line}) {
            QTextLayout layout(text, font);
            layout.beginLayout();
            layout.createLine();
            layout.endLayout();
            int emojiGlyphs = 0;
            for (const QGlyphRun &run : layout.glyphRuns()) {
                const bool emoji = run.rawFont().familyName() == QLatin1String("Noto Color Emoji");
                if (emoji)
                    emojiGlyphs += int(run.glyphIndexes().size());
                else if (text == sequence)
                    QFAIL(qPrintable(QStringLiteral("%1: a glyph from %2")
                                         .arg(text, run.rawFont().familyName())));
            }
            QCOMPARE(emojiGlyphs, text == line ? 4 : 1);
        }
    }
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    TestThemes test;
    QTEST_SET_MAIN_SOURCE_PATH
    return qalam::test::exitCode(QTest::qExec(&test, argc, argv));
}

#include "tst_themes.moc"
