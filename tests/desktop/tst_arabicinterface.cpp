// The interface as an Arabic-speaking admin sees it: Arabic in its own typefaces (Noto Naskh
// Arabic for messages, Noto Sans Arabic UI for the interface) and the preference that picks them;
// figures beside Arabic-Indic digits; sidebar titles in their own direction, elided at their
// logical end; dialog buttons as wide as their words; fields in their text's direction.
#include "ArabicFonts.h"
#include "ConversationDelegate.h"
#include "ConversationListView.h"
#include "ConversationSidebar.h"
#include "DialogButtonBox.h"
#include "FieldDirection.h"
#include "LanguageManager.h"
#include "MainWindow.h"
#include "MemorySecretBackend.h"
#include "PreferencesDialog.h"
#include "ProfileDialog.h"
#include "SidebarModel.h"
#include "WindowActions.h"
#include "session/ConversationSession.h"
#include "session/FigureText.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"
#include "ui/ChatView.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QGlyphRun>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QProxyStyle>
#include <QPushButton>
#include <QRawFont>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStyle>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>
#include <QTextLayout>
#include <QTimer>
#include <QVBoxLayout>

using namespace qalam;

namespace {

constexpr int kLong = 30000; // generous: a busy CI machine must not fail these

const QString kArabicWord = QStringLiteral("محادثة");

// The families the glyphs of `text` come from, in `font`, after Qt's and fontconfig's fallback.
QStringList drawingFamilies(const QFont &font, const QString &text)
{
    QTextLayout layout(text, font);
    layout.beginLayout();
    layout.createLine();
    layout.endLayout();
    QStringList families;
    const QList<QGlyphRun> runs = layout.glyphRuns();
    for (const QGlyphRun &run : runs) {
        if (!families.contains(run.rawFont().familyName()))
            families.append(run.rawFont().familyName());
    }
    return families;
}

// Each test its own size: Qt caches a font's engines under its first family and size.
QFont fontOf(const QString &family, int pointSize)
{
    QFont font;
    font.setFamilies({family});
    font.setPointSize(pointSize);
    return font;
}

void deliverLanguageChange()
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
}

bool hasMiddleDotBesideDigit(const QString &text)
{
    const QString plain = FigureText::withoutMarks(text);
    for (qsizetype i = 0; i < plain.size(); ++i) {
        if (plain.at(i) != QChar(0x00B7))
            continue;
        for (qsizetype j = qMax<qsizetype>(0, i - 2); j <= qMin(plain.size() - 1, i + 2); ++j) {
            if (plain.at(j).isDigit())
                return true;
        }
    }
    return false;
}

// The columns of `image` that hold ink (pixels far from the base colour).
QPair<int, int> inkColumns(const QImage &image, const QColor &base)
{
    int left = image.width();
    int right = -1;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (qAbs(c.red() - base.red()) + qAbs(c.green() - base.green()) +
                    qAbs(c.blue() - base.blue()) >
                120) {
                left = qMin(left, x);
                right = qMax(right, x);
            }
        }
    }
    return {left, right};
}

// Every button of `dialog` whose text needs more room than it has, as "text: needs N, has M": a
// push button's text must fit the contents rect its style gives it (the frame and margins taken
// off), a check box's text the room right of its indicator.
QStringList clippedButtons(QWidget *dialog)
{
    QStringList clipped;
    const QList<QAbstractButton *> buttons = dialog->findChildren<QAbstractButton *>();
    for (QAbstractButton *button : buttons) {
        if (!button->isVisible() || button->text().isEmpty())
            continue;
        const int needed = button->fontMetrics().horizontalAdvance(button->text());
        QStyleOptionButton option;
        option.initFrom(button);
        option.text = button->text();
        option.rect = button->rect();
        int room = button->width();
        if (qobject_cast<QPushButton *>(button)) {
            room = button->style()
                       ->subElementRect(QStyle::SE_PushButtonContents, &option, button)
                       .width();
        } else if (qobject_cast<QCheckBox *>(button)) {
            room = button->style()
                       ->subElementRect(QStyle::SE_CheckBoxContents, &option, button)
                       .width();
        }
        if (needed > room)
            clipped
                << QStringLiteral("%1: needs %2, has %3").arg(button->text()).arg(needed).arg(room);
        // And it is drawn there, centred: the dark (text, icon) pixels inside the frame are as
        // far from the left edge as from the right one. (Qt 6.4 puts the text of a right-to-left
        // button with an icon against its left edge.)
        if (auto *push = qobject_cast<QPushButton *>(button)) {
            const QImage image = push->grab().toImage();
            const qreal ratio = image.devicePixelRatio();
            int left = button->width();
            int right = -1;
            for (int y = 3; y < button->height() - 3; ++y) {
                for (int x = 3; x < button->width() - 3; ++x) {
                    if (qGray(image.pixel(int(x * ratio), int(y * ratio))) < 100) {
                        left = qMin(left, x);
                        right = qMax(right, x);
                    }
                }
            }
            const int rightGap = button->width() - 1 - right;
            if (right >= 0 && qAbs(left - rightGap) > 3) {
                clipped << QStringLiteral("%1: drawn off centre (%2 px on the left, %3 on the "
                                          "right)")
                               .arg(button->text())
                               .arg(left)
                               .arg(rightGap);
            }
        }
    }
    return clipped;
}

// Fusion as on an X11 desktop, where dialog buttons get icons (the offscreen platform gives none).
class ButtonIconsStyle : public QProxyStyle
{
public:
    ButtonIconsStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion"))) {}
    int styleHint(StyleHint hint, const QStyleOption *option, const QWidget *widget,
                  QStyleHintReturn *data) const override
    {
        if (hint == SH_DialogButtonBox_ButtonsHaveIcons)
            return 1;
        return QProxyStyle::styleHint(hint, option, widget, data);
    }
};

} // namespace

class TestArabicInterface : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void arabicTypefacesDrawArabic();
    void arabicTypefaceEvenAfterALatinFontWithArabic();
    void windowUsesTheTypefacesAndFollowsThePreference();
    void preferenceRoundTripsAndIsRepaired();
    void figuresBesideArabicIndicDigits();
    void figuresInEnglishAreUnchanged();
    void sidebarTitlesReadInTheirOwnDirection();
    void dialogButtonsFitTheirWords_data();
    void dialogButtonsFitTheirWords();
    void fieldsTakeTheirTextsDirection();

private:
    std::unique_ptr<MainWindow> openWindow(const QString &language);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LanguageManager> m_languages;
    QFont m_applicationFont;
};

void TestArabicInterface::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_languages = std::make_unique<LanguageManager>();
    m_applicationFont = QApplication::font();
}

void TestArabicInterface::cleanup()
{
    m_languages.reset();
    QLocale::setDefault(QLocale::c());
    QApplication::setLayoutDirection(Qt::LeftToRight);
    QApplication::setFont(m_applicationFont);
    m_dir.reset();
}

std::unique_ptr<MainWindow> TestArabicInterface::openWindow(const QString &language)
{
    DesktopOptions options;
    options.language = language;
    options.forceDemo = true;
    options.databasePath = m_dir->filePath(QStringLiteral("qalam.sqlite3"));
    options.settingsPath = m_dir->filePath(QStringLiteral("qalam.ini"));
    options.demoTokensPerSecond = 4000;
    if (!language.isEmpty() && !m_languages->setLanguage(language))
        return nullptr;
    auto window = std::make_unique<MainWindow>(options, m_languages.get(),
                                               std::make_unique<MemorySecretBackend>());
    QString error;
    if (!window->initialize(&error)) {
        qWarning("initialize failed: %s", qPrintable(error));
        return nullptr;
    }
    window->resize(1000, 700);
    window->show();
    return window;
}

// Message text in Naskh, the interface in the UI cut of Noto Sans Arabic, Latin untouched.
void TestArabicInterface::arabicTypefacesDrawArabic()
{
    for (const QString &family :
         {QStringLiteral("Noto Naskh Arabic"), QStringLiteral("Noto Sans Arabic UI"),
          QStringLiteral("Noto Sans Arabic"), QStringLiteral("Noto Sans")}) {
        if (!QFontDatabase::hasFamily(family))
            QSKIP(qPrintable(family + QStringLiteral(" is not installed (scripts/setup.sh)")));
    }
    const QFont latin = fontOf(QStringLiteral("Noto Sans"), 10);
    // A plain font of the same family and size lays Arabic out first, as a widget may before the
    // preferences are applied: Qt caches the Arabic font it found under the Latin family.
    QVERIFY(!drawingFamilies(latin, kArabicWord).isEmpty());
    const QFont message = ArabicFonts::messageFont(latin, Preferences::ArabicFont::Naskh);
    const QFont interface = ArabicFonts::interfaceFont(latin, Preferences::ArabicFont::Naskh);
    QCOMPARE(drawingFamilies(message, kArabicWord),
             QStringList{QStringLiteral("Noto Naskh Arabic")});
    QCOMPARE(drawingFamilies(interface, kArabicWord),
             QStringList{QStringLiteral("Noto Sans Arabic UI")});
    QCOMPARE(drawingFamilies(message, QStringLiteral("Hello")),
             QStringList{QStringLiteral("Noto Sans")});
    QCOMPARE(drawingFamilies(interface, QStringLiteral("Hello")),
             QStringList{QStringLiteral("Noto Sans")});
    // The interface's lines keep the Latin font's height (Noto Sans Arabic UI has its metrics).
    QCOMPARE(QFontMetrics(interface).height(), QFontMetrics(latin).height());

    const QFont sans = ArabicFonts::messageFont(latin, Preferences::ArabicFont::Sans);
    QCOMPARE(drawingFamilies(sans, kArabicWord), QStringList{QStringLiteral("Noto Sans Arabic")});

    // System: no family of Qalam's; applying it to a font that had one takes it away again.
    const QFont system = ArabicFonts::messageFont(message, Preferences::ArabicFont::System);
    for (const QString &family : system.families())
        QVERIFY2(!family.contains(QLatin1String("Arabic")), qPrintable(family));
    QCOMPARE(ArabicFonts::messageFont(system, Preferences::ArabicFont::Naskh).families(),
             message.families());
    // An alias is resolved first (fontconfig would answer Arabic per script for it).
    const QFont alias = ArabicFonts::interfaceFont(fontOf(QStringLiteral("Sans Serif"), 11),
                                                   Preferences::ArabicFont::Naskh);
    QVERIFY2(!alias.families().contains(QStringLiteral("Sans Serif")),
             qPrintable(alias.families().join(u',')));
    QCOMPARE(drawingFamilies(alias, kArabicWord),
             QStringList{QStringLiteral("Noto Sans Arabic UI")});
}

// DejaVu Sans declares Arabic: listed first, its own Arabic would be used (what the admin saw).
void TestArabicInterface::arabicTypefaceEvenAfterALatinFontWithArabic()
{
    for (const QString &family :
         {QStringLiteral("DejaVu Sans"), QStringLiteral("Noto Naskh Arabic")}) {
        if (!QFontDatabase::hasFamily(family))
            QSKIP(qPrintable(family + QStringLiteral(" is not installed (scripts/setup.sh)")));
    }
    const QFont dejaVu = fontOf(QStringLiteral("DejaVu Sans"), 13);
    QCOMPARE(drawingFamilies(dejaVu, kArabicWord),
             QStringList{QStringLiteral("DejaVu Sans")}); // the problem
    const QFont message = ArabicFonts::messageFont(dejaVu, Preferences::ArabicFont::Naskh);
    QCOMPARE(drawingFamilies(message, kArabicWord),
             QStringList{QStringLiteral("Noto Naskh Arabic")});
    QCOMPARE(drawingFamilies(message, QStringLiteral("Hello")),
             QStringList{QStringLiteral("DejaVu Sans")});
}

void TestArabicInterface::windowUsesTheTypefacesAndFollowsThePreference()
{
    if (!QFontDatabase::hasFamily(QStringLiteral("Noto Naskh Arabic")) ||
        !QFontDatabase::hasFamily(QStringLiteral("Noto Sans Arabic UI")))
        QSKIP("Noto Naskh Arabic or Noto Sans Arabic UI is not installed (scripts/setup.sh)");
    auto window = openWindow(QStringLiteral("ar"));
    QVERIFY(window);
    QCOMPARE(drawingFamilies(window->chatView()->font(), kArabicWord),
             QStringList{QStringLiteral("Noto Naskh Arabic")});
    QCOMPARE(drawingFamilies(window->connectionLabel()->font(), kArabicWord),
             QStringList{QStringLiteral("Noto Sans Arabic UI")});

    // Settings > Preferences: Sans everywhere, OK: the chat changes at once, and it is saved.
    bool picked = false;
    QTimer::singleShot(0, this, [&picked] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        auto *box = dialog->findChild<QComboBox *>(QStringLiteral("arabicFont"));
        if (box) {
            box->setCurrentIndex(box->findData(int(Preferences::ArabicFont::Sans)));
            picked = true;
        }
        dialog->accept();
    });
    window->actions()->preferences()->trigger();
    QVERIFY(picked);
    QCOMPARE(drawingFamilies(window->chatView()->font(), kArabicWord),
             QStringList{QStringLiteral("Noto Sans Arabic")});
    QCOMPARE(window->profiles()->preferences().arabicFont, Preferences::ArabicFont::Sans);
}

void TestArabicInterface::preferenceRoundTripsAndIsRepaired()
{
    const QString path = m_dir->filePath(QStringLiteral("prefs.ini"));
    {
        ProfileStore store(path);
        QCOMPARE(store.preferences().arabicFont, Preferences::ArabicFont::Naskh); // the default
        Preferences preferences = store.preferences();
        preferences.arabicFont = Preferences::ArabicFont::System;
        QVERIFY(store.savePreferences(preferences).isEmpty());
    }
    {
        ProfileStore store(path);
        QCOMPARE(store.preferences().arabicFont, Preferences::ArabicFont::System);
        QVERIFY(store.warnings().isEmpty());
    }
    {
        QSettings settings(path, QSettings::IniFormat);
        QCOMPARE(settings.value(QStringLiteral("preferences/arabicFont")).toString(),
                 QStringLiteral("system"));
        settings.setValue(QStringLiteral("preferences/arabicFont"), QStringLiteral("kufi"));
    }
    ProfileStore store(path);
    QCOMPARE(store.preferences().arabicFont, Preferences::ArabicFont::Naskh);
    QCOMPARE(store.warnings().size(), 1);
    QVERIFY2(store.warnings().first().contains(QLatin1String("arabicFont")),
             qPrintable(store.warnings().first()));
}

void TestArabicInterface::figuresBesideArabicIndicDigits()
{
    QVERIFY(m_languages->setLanguage(QStringLiteral("ar")));
    QCOMPARE(FigureText::number(qint64(106115)), QStringLiteral("١٠٦٬١١٥"));
    QCOMPARE(FigureText::number(106115.4, 0), QStringLiteral("١٠٦٬١١٥"));
    QCOMPARE(FigureText::separator(), QStringLiteral("، "));
    const QString line = FigureText::join({QStringLiteral("أول رمز بعد ١٧٠ ملّي ثانية"), QString(),
                                           QStringLiteral("١٠٦٬١١٥ حرف/ثانية")});
    // Each part isolated, no part left empty, no middle dot.
    QCOMPARE(line, QStringLiteral("\u200F\u2068أول رمز بعد ١٧٠ ملّي ثانية\u2069، "
                                  "\u2068١٠٦٬١١٥ حرف/ثانية\u2069"));
    // A label takes its direction from the first strong character outside isolates: the mark.
    QVERIFY(line.isRightToLeft());

    // The window: a finished demo answer's footer and the status bar.
    auto window = openWindow(QStringLiteral("ar"));
    QVERIFY(window);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    window->ask(QStringLiteral("ما هو قلم؟"));
    QVERIFY(finished.wait(kLong));
    QTRY_VERIFY_WITH_TIMEOUT(!window->chatView()->footer(1).isEmpty(), kLong);
    const QString footer = window->chatView()->footer(1);
    QVERIFY2(!hasMiddleDotBesideDigit(footer), qPrintable(footer));
    QVERIFY2(footer.contains(QStringLiteral("، ")), qPrintable(footer));
    QVERIFY2(footer.contains(FigureText::firstStrongIsolate), qPrintable(footer));
    const QString metrics = window->metricsLabel()->text();
    QVERIFY2(!metrics.isEmpty() && !hasMiddleDotBesideDigit(metrics), qPrintable(metrics));
    // The Arabic-Indic digits and the thousands separator are drawn by an Arabic font.
    const QStringList families =
        drawingFamilies(window->metricsLabel()->font(), QStringLiteral("١٠٦٬١١٥"));
    QCOMPARE(families.size(), 1);
    QVERIFY2(QFontDatabase::writingSystems(families.first()).contains(QFontDatabase::Arabic),
             qPrintable(families.first()));
}

void TestArabicInterface::figuresInEnglishAreUnchanged()
{
    QVERIFY(m_languages->setLanguage(QStringLiteral("en")));
    QCOMPARE(FigureText::number(qint64(106115)), QStringLiteral("106,115"));
    QCOMPARE(FigureText::separator(), QStringLiteral(" · "));
    QCOMPARE(FigureText::withoutMarks(FigureText::join(
                 {QStringLiteral("first token 170 ms"), QStringLiteral("1,706 chars/s")})),
             QStringLiteral("first token 170 ms · 1,706 chars/s"));
    // The C locale (no grouping of its own) groups too.
    QLocale::setDefault(QLocale::c());
    QCOMPARE(FigureText::number(qint64(106115)), QStringLiteral("106,115"));
}

void TestArabicInterface::sidebarTitlesReadInTheirOwnDirection()
{
    QVERIFY(m_languages->setLanguage(QStringLiteral("en")));
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *sidebar = new ConversationSidebar(&window);
    layout->addWidget(sidebar);
    window.resize(260, 500);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    const QString arabicLong = QStringLiteral("كيف أعيد تشغيل خدمة nginx على المنفذ 8080 بعد تغيير "
                                              "ملف الإعدادات دون قطع الاتصالات الحالية؟");
    // Opens with a Latin word: first-strong would make it left to right.
    const QString arabicShort = QStringLiteral("nginx: كيف أعيد تشغيل الخدمة؟");
    const QString english = QStringLiteral("Restart nginx on 8080");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<Conversation> conversations;
    qint64 id = 1;
    for (const QString &title : {arabicLong, arabicShort, english}) {
        Conversation conversation;
        conversation.id = id++;
        conversation.title = title;
        conversation.createdAt = now;
        conversation.updatedAt = now;
        conversations.append(conversation);
    }
    sidebar->setConversations(conversations);
    ConversationListView *list = sidebar->list();
    QTRY_VERIFY(list->visualRect(sidebar->model()->index(1)).width() >=
                list->viewport()->width() - 1);

    const auto rowOf = [&](const QString &title) {
        for (int row = 0; row < sidebar->model()->rowCount(); ++row) {
            if (sidebar->model()->index(row).data(Qt::DisplayRole).toString() == title)
                return sidebar->model()->index(row);
        }
        return QModelIndex();
    };
    const auto optionFor = [&](const QModelIndex &index) {
        QStyleOptionViewItem option;
        option.initFrom(list->viewport());
        option.rect = list->visualRect(index);
        option.font = list->font();
        option.state = QStyle::State_Enabled | QStyle::State_Active;
        option.direction = list->layoutDirection();
        return option;
    };
    const auto paintedInk = [&](const QModelIndex &index) {
        QStyleOptionViewItem option = optionFor(index);
        option.rect.moveTo(0, 0);
        const QRect titleHere = sidebar->delegate()->titleRect(option, index);
        QImage image(option.rect.size(), QImage::Format_ARGB32);
        image.fill(option.palette.color(QPalette::Base));
        QPainter painter(&image);
        sidebar->delegate()->paint(&painter, option, index);
        painter.end();
        return std::make_pair(inkColumns(image, option.palette.color(QPalette::Base)), titleHere);
    };

    const QModelIndex longIndex = rowOf(arabicLong);
    QVERIFY(longIndex.isValid());
    const ConversationDelegate::ShownTitle shown =
        sidebar->delegate()->shownTitle(optionFor(longIndex), longIndex);
    QCOMPARE(shown.direction, Qt::RightToLeft);
    QVERIFY2(shown.text.endsWith(QChar(0x2026)), qPrintable(shown.text)); // the logical end
    // (elidedText may keep the last letter's joining form with a ZWJ before the ellipsis)
    QVERIFY2(arabicLong.startsWith(QString(shown.text.chopped(1)).remove(QChar(0x200D))),
             qPrintable(shown.text));
    QVERIFY(shown.text.size() > 10);
    QVERIFY(sidebar->delegate()->isTitleElided(optionFor(longIndex), longIndex));
    {
        // Right-aligned in the English interface; the ellipsis, at the logical end, is the
        // leftmost thing painted: a right-to-left layout of the shown text puts its last
        // character left of its first.
        const auto [ink, title] = paintedInk(longIndex);
        QVERIFY2(ink.second >= title.right() - 3, qPrintable(QString::number(ink.second)));
        QTextOption option;
        option.setTextDirection(Qt::RightToLeft);
        QTextLayout layout(shown.text, list->font());
        layout.setTextOption(option);
        layout.beginLayout();
        QTextLine line = layout.createLine();
        layout.endLayout();
        QVERIFY(line.cursorToX(int(shown.text.size()) - 1) < line.cursorToX(0));
    }

    const QModelIndex shortIndex = rowOf(arabicShort);
    const ConversationDelegate::ShownTitle shortShown =
        sidebar->delegate()->shownTitle(optionFor(shortIndex), shortIndex);
    QCOMPARE(shortShown.direction, Qt::RightToLeft);
    QCOMPARE(shortShown.text, arabicShort);
    {
        const auto [ink, title] = paintedInk(shortIndex);
        QVERIFY2(ink.second >= title.right() - 3, qPrintable(QString::number(ink.second)));
        QVERIFY2(ink.first > title.left() + 10, qPrintable(QString::number(ink.first)));
    }
    const QModelIndex englishIndex = rowOf(english);
    QCOMPARE(sidebar->delegate()->shownTitle(optionFor(englishIndex), englishIndex).direction,
             Qt::LeftToRight);
    {
        const auto [ink, title] = paintedInk(englishIndex);
        QVERIFY2(ink.first <= title.left() + 3, qPrintable(QString::number(ink.first)));
    }

    // No sideways scrolling, however long the titles.
    QCOMPARE(list->horizontalScrollBar()->maximum(), 0);
    QVERIFY(!list->horizontalScrollBar()->isVisible());

    // In the Arabic interface the English title starts on the left.
    QVERIFY(m_languages->setLanguage(QStringLiteral("ar")));
    deliverLanguageChange();
    QTRY_COMPARE(list->layoutDirection(), Qt::RightToLeft);
    QCOMPARE(sidebar->delegate()->shownTitle(optionFor(englishIndex), englishIndex).direction,
             Qt::LeftToRight);
    {
        const auto [ink, title] = paintedInk(englishIndex);
        QVERIFY2(ink.first <= title.left() + 3, qPrintable(QString::number(ink.first)));
        QVERIFY2(ink.second < title.right() - 10, qPrintable(QString::number(ink.second)));
    }
    QCOMPARE(list->horizontalScrollBar()->maximum(), 0);
}

void TestArabicInterface::dialogButtonsFitTheirWords_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("ar") << QStringLiteral("ar");
    QTest::newRow("en") << QStringLiteral("en");
}

void TestArabicInterface::dialogButtonsFitTheirWords()
{
    QFETCH(QString, language);
    QVERIFY(m_languages->setLanguage(language));
    ProfileStore profiles(m_dir->filePath(QStringLiteral("qalam.ini")));
    SecretStore secrets(std::make_unique<MemorySecretBackend>());
    QApplication::setStyle(new ButtonIconsStyle); // the application owns it
    const auto restoreStyle = qScopeGuard(
        [] { QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion"))); });

    PreferencesDialog preferences(profiles.preferences());
    preferences.show();
    QVERIFY(QTest::qWaitForWindowExposed(&preferences));
    QVERIFY2(clippedButtons(&preferences).isEmpty(),
             qPrintable(clippedButtons(&preferences).join(u'\n')));
    auto *box = preferences.findChild<QDialogButtonBox *>();
    QVERIFY(box);
    QCOMPARE(box->button(QDialogButtonBox::Cancel)->text(),
             language == QLatin1String("ar") ? QStringLiteral("إلغاء") : QStringLiteral("Cancel"));

    ProfileDialog profileDialog(&profiles, &secrets);
    profileDialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&profileDialog));
    QVERIFY2(clippedButtons(&profileDialog).isEmpty(),
             qPrintable(clippedButtons(&profileDialog).join(u'\n')));

    // A language change while open: Qt puts its own words back, Qalam's come again, and the
    // buttons are sized by them.
    const QString other =
        language == QLatin1String("ar") ? QStringLiteral("en") : QStringLiteral("ar");
    QVERIFY(m_languages->setLanguage(other));
    deliverLanguageChange();
    QCOMPARE(box->button(QDialogButtonBox::Cancel)->text(),
             DialogButtonBox::textFor(QDialogButtonBox::Cancel));
    QTRY_VERIFY2(clippedButtons(&preferences).isEmpty(),
                 qPrintable(clippedButtons(&preferences).join(u'\n')));
}

void TestArabicInterface::fieldsTakeTheirTextsDirection()
{
    auto window = openWindow(QStringLiteral("en"));
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    auto *search = window->sidebar()->findChild<QLineEdit *>(QStringLiteral("conversationSearch"));
    QVERIFY(search);
    QCOMPARE(search->layoutDirection(), Qt::LeftToRight); // empty: the interface's
    search->setText(QStringLiteral("nginx إعادة تشغيل الخدمة"));
    QCOMPARE(search->layoutDirection(), Qt::RightToLeft);
    QVERIFY(!(search->alignment() & Qt::AlignAbsolute)); // leading: right in a RTL field
    search->setText(QStringLiteral("restart"));
    QCOMPARE(search->layoutDirection(), Qt::LeftToRight);
    search->setText(QStringLiteral("قلم"));
    search->clear();
    QCOMPARE(search->layoutDirection(), Qt::LeftToRight);

    // The status bar: a label reads by its first strong letter only; one whose words are mostly
    // Arabic but open with a Latin name gets a right-to-left mark (when it paints).
    QLabel *status = window->connectionLabel();
    status->setText(QStringLiteral("nginx: تعذّر الاتصال بالخادم (HTTP 503)"));
    status->grab(); // a paint
    QVERIFY(status->text().isRightToLeft());
    QCOMPARE(status->text(), QStringLiteral("\u200Fnginx: تعذّر الاتصال بالخادم (HTTP 503)"));
    status->grab(); // stable: no second mark
    QCOMPARE(status->text().count(QChar(0x200F)), 1);
    status->setText(QStringLiteral("Ready"));
    status->grab();
    QCOMPARE(status->text(), QStringLiteral("Ready")); // nothing added where nothing is needed

    // The interface turns Arabic: empty fields follow it, English text keeps its own.
    search->clear();
    QVERIFY(m_languages->setLanguage(QStringLiteral("ar")));
    deliverLanguageChange();
    QCOMPARE(search->layoutDirection(), Qt::RightToLeft);
    search->setText(QStringLiteral("restart nginx"));
    QCOMPARE(search->layoutDirection(), Qt::LeftToRight);
    // The metrics line: right to left in the Arabic interface, the first figure on the right.
    QLabel *metrics = window->metricsLabel();
    metrics->setText(FigureText::join(
        {QStringLiteral("أول رمز بعد ٣٢٢ ملّي ثانية"), QStringLiteral("٣٢٬٨٧٢ حرف/ثانية")}));
    metrics->grab();
    QVERIFY(metrics->text().isRightToLeft());

    // The profile editor's name and the preferences' message, too.
    ProfileStore profiles(m_dir->filePath(QStringLiteral("other.ini")));
    SecretStore secrets(std::make_unique<MemorySecretBackend>());
    ProfileDialog dialog(&profiles, &secrets);
    auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("profileName"));
    QVERIFY(name);
    name->setText(QString());
    QCOMPARE(name->layoutDirection(), Qt::RightToLeft);
    name->setText(QStringLiteral("Local vLLM"));
    QCOMPARE(name->layoutDirection(), Qt::LeftToRight);
    auto *url = dialog.findChild<QLineEdit *>(QStringLiteral("profileUrl"));
    QVERIFY(url);
    QCOMPARE(url->layoutDirection(), Qt::LeftToRight); // URLs stay left to right

    QCOMPARE(FieldDirection::directionFor(QStringLiteral("8080")), Qt::RightToLeft);
    QCOMPARE(FieldDirection::directionFor(QStringLiteral("افتح Settings ثم Preferences")),
             Qt::RightToLeft);
}

QTEST_MAIN(TestArabicInterface)
#include "tst_arabicinterface.moc"
