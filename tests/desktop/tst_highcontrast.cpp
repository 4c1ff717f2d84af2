// The high-contrast theme and the keyboard focus everywhere: every text colour of the palette,
// and of what the chat view and the code blocks derive from it, at 7:1 or more on every
// background it is drawn on (WCAG AAA); the theme's name on the command line and in the settings
// file; the sidebar's focused row drawn with a ring (light, dark and high contrast, left to right
// and right to left, selected or not), and the focus ring of FocusRingStyle on a button.
#include "ConversationListView.h"
#include "ConversationSidebar.h"
#include "FocusRingStyle.h"
#include "SidebarModel.h"
#include "ThemeManager.h"
#include "ThemePalettes.h"
#include "settings/ProfileStore.h"
#include "ui/ChatView.h"
#include "ui/CodeBlock.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QImage>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QVBoxLayout>

using namespace qalam;
using Scheme = ThemePalettes::Scheme;

Q_DECLARE_METATYPE(qalam::ThemePalettes::Scheme)

namespace {

constexpr double kAaa = 7.0;

QColor blend(const QColor &base, const QColor &over, double amount)
{
    return QColor::fromRgbF(float(base.redF() + (over.redF() - base.redF()) * amount),
                            float(base.greenF() + (over.greenF() - base.greenF()) * amount),
                            float(base.blueF() + (over.blueF() - base.blueF()) * amount));
}

// ChatView's error and warning accent (lib/ui/ChatView.cpp, accentFor): the highlight's
// saturation and lightness at a red or amber hue.
QColor cardAccent(const QPalette &palette, int hue)
{
    const QColor highlight = palette.color(QPalette::Highlight);
    return QColor::fromHsl(hue, std::max(highlight.hslSaturation(), 160),
                           std::clamp(highlight.lightness(), 100, 150));
}

QString pairText(const char *what, const QColor &text, const QColor &background)
{
    return QStringLiteral("%1: %2 on %3 is %4:1")
        .arg(QLatin1String(what), text.name(), background.name())
        .arg(ThemePalettes::contrastRatio(text, background), 0, 'f', 2);
}

bool near(const QColor &a, const QColor &b, int tolerance = 40)
{
    return std::abs(a.red() - b.red()) <= tolerance &&
           std::abs(a.green() - b.green()) <= tolerance &&
           std::abs(a.blue() - b.blue()) <= tolerance;
}

QList<Conversation> threeConversations()
{
    QList<Conversation> conversations;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 1; i <= 3; ++i) {
        Conversation conversation;
        conversation.id = i;
        conversation.title = QStringLiteral("Conversation %1").arg(i);
        conversation.createdAt = now;
        conversation.updatedAt = now.addSecs(-i);
        conversations << conversation;
    }
    return conversations;
}

} // namespace

class TestHighContrast : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void everyTextIsAtSevenToOne();
    void codeIsAtSevenToOne();
    void themeIsNamedAndKept();
    void applyingOutlinesTheControls();
    void focusedRowHasARing_data();
    void focusedRowHasARing();
    void focusedButtonHasARing();
    void questionBubbleIsOutlinedOnBlack();
    void dialogButtonsHaveNoIcons();

private:
    std::unique_ptr<ThemeManager> m_theme;
};

void TestHighContrast::initTestCase()
{
    m_theme = std::make_unique<ThemeManager>();
}

void TestHighContrast::cleanup()
{
    QApplication::setLayoutDirection(Qt::LeftToRight);
    m_theme->apply(Preferences::Theme::Light);
}

void TestHighContrast::everyTextIsAtSevenToOne()
{
    const QPalette p = ThemePalettes::palette(Scheme::HighContrast);
    QCOMPARE(ThemePalettes::schemeOf(p), Scheme::HighContrast);
    // Qalam's dark palette and a usual dark desktop stay dark.
    QCOMPARE(ThemePalettes::schemeOf(ThemePalettes::palette(Scheme::Dark)), Scheme::Dark);
    QCOMPARE(ThemePalettes::schemeOf(ThemePalettes::palette(Scheme::Light)), Scheme::Light);
    const auto c = [&](QPalette::ColorRole role) { return p.color(QPalette::Active, role); };

    const QColor base = c(QPalette::Base);
    const QColor text = c(QPalette::Text);
    // The chat view's own backgrounds (lib/ui/ChatView.cpp): the question's bubble, the error
    // and warning cards, a hovered message button; the code block's body and header
    // (CodeBlock::paintFrame).
    const QColor bubble = blend(base, c(QPalette::Highlight), 0.13);
    const QColor errorCard = blend(base, cardAccent(p, 4), 0.09);
    const QColor warningCard = blend(base, cardAccent(p, 34), 0.09);
    const QColor hovered = blend(base, text, 0.08);
    const QColor codeBody = blend(base, text, 0.045);
    const QColor codeHeader = blend(base, text, 0.085);
    const QColor cardDetail = blend(base, text, 0.8);

    struct Pair
    {
        const char *what;
        QColor text;
        QColor background;
    };
    const QList<Pair> pairs{
        {"window text", c(QPalette::WindowText), c(QPalette::Window)},
        {"text", text, base},
        {"text on alternate base", text, c(QPalette::AlternateBase)},
        {"button text", c(QPalette::ButtonText), c(QPalette::Button)},
        {"placeholder on base", c(QPalette::PlaceholderText), base},
        {"placeholder on window (sidebar headings, status)", c(QPalette::PlaceholderText),
         c(QPalette::Window)},
        {"selected text", c(QPalette::HighlightedText), c(QPalette::Highlight)},
        {"tooltip and notices", c(QPalette::ToolTipText), c(QPalette::ToolTipBase)},
        {"link", c(QPalette::Link), base},
        {"visited link", c(QPalette::LinkVisited), base},
        {"bright text", c(QPalette::BrightText), base},
        {"question bubble", text, bubble},
        {"question bubble footer", c(QPalette::PlaceholderText), bubble},
        {"error card title", text, errorCard},
        {"error card detail", cardDetail, errorCard},
        {"warning card title", text, warningCard},
        {"warning card detail", cardDetail, warningCard},
        {"card button", c(QPalette::ButtonText), c(QPalette::Button)},
        {"hovered card button", c(QPalette::ButtonText), c(QPalette::Midlight)},
        {"metrics footer and message buttons", c(QPalette::PlaceholderText), base},
        {"hovered message button", text, hovered},
        {"code", text, codeBody},
        {"code header label", c(QPalette::PlaceholderText), codeHeader},
        {"selected sidebar row", c(QPalette::HighlightedText), c(QPalette::Highlight)},
        {"connection test passed", ThemePalettes::positive(Scheme::HighContrast),
         c(QPalette::Window)},
        {"connection test failed", ThemePalettes::negative(Scheme::HighContrast),
         c(QPalette::Window)},
    };
    for (const Pair &pair : pairs) {
        QVERIFY2(ThemePalettes::contrastRatio(pair.text, pair.background) >= kAaa,
                 qPrintable(pairText(pair.what, pair.text, pair.background)));
    }
    // Inactive windows keep the same colours.
    QCOMPARE(p.color(QPalette::Inactive, QPalette::Text), text);
    // Borders and the focus ring stand out from the black (non-text contrast, 3:1 and more).
    QVERIFY(ThemePalettes::contrastRatio(c(QPalette::Mid), base) >= 4.5);
    QVERIFY(ThemePalettes::contrastRatio(c(QPalette::Highlight), base) >= 4.5);
    // Disabled text still readable, dimmer than the placeholder.
    const QColor disabled = p.color(QPalette::Disabled, QPalette::Text);
    QVERIFY(ThemePalettes::contrastRatio(disabled, base) >= 4.5);
    QVERIFY(ThemePalettes::contrastRatio(disabled, base) <
            ThemePalettes::contrastRatio(c(QPalette::PlaceholderText), base));
    // The formula itself, against WCAG's own extremes.
    QCOMPARE(qRound(ThemePalettes::contrastRatio(Qt::black, Qt::white)), 21);
    QCOMPARE(ThemePalettes::contrastRatio(Qt::red, Qt::red), 1.0);
}

// Every highlighted token of code in the languages answers use most, on the code block's
// background as painted.
void TestHighContrast::codeIsAtSevenToOne()
{
    const QPalette p = ThemePalettes::palette(Scheme::HighContrast);
    const QList<CodeBlock::Fence> fences{
        {QStringLiteral("cpp"),
         QStringLiteral("#include <vector>\n// a comment\nint main() { std::vector<int> v{1, 2};\n"
                        "  const char *s = \"text\"; return v.size() > 0 ? 0 : 1; }\n"),
         true},
        {QStringLiteral("python"),
         QStringLiteral("def f(x):\n    # comment\n    return [n * 2.5 for n in x if n] + "
                        "\"s\"\nclass A: pass\n"),
         true},
        {QStringLiteral("bash"),
         QStringLiteral("#!/bin/bash\nfor f in $HOME/*.log; do echo \"$f\" | wc -l; done # n\n"),
         true},
        {QStringLiteral("diff"),
         QStringLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old line\n+new line\n"), true},
        {QStringLiteral("json"), QStringLiteral("{\"key\": [1, true, null, \"v\"]}\n"), true},
    };
    int coloured = 0;
    for (const CodeBlock::Fence &fence : fences) {
        CodeBlock block(fence, QApplication::font());
        block.finish();
        block.applyColours(p);
        const int width = 500;
        const int height = block.layout(width, false);
        QImage frame(width, height, QImage::Format_RGB32);
        frame.fill(p.color(QPalette::Base));
        QPainter painter(&frame);
        block.paintFrame(&painter, width, height, p);
        painter.end();
        const QRect area = block.codeArea(width);
        const QColor background = frame.pixelColor(area.center());
        for (QTextBlock text = block.document()->begin(); text.isValid(); text = text.next()) {
            for (auto it = text.begin(); !it.atEnd(); ++it) {
                const QTextCharFormat format = it.fragment().charFormat();
                if (!format.hasProperty(QTextFormat::ForegroundBrush))
                    continue; // the palette's text, checked above
                ++coloured;
                const QColor colour = format.foreground().color();
                QVERIFY2(ThemePalettes::contrastRatio(colour, background) >= kAaa,
                         qPrintable(QStringLiteral("%1 in %2: %3")
                                        .arg(it.fragment().text(), fence.language,
                                             pairText("token", colour, background))));
            }
        }
    }
    QVERIFY2(coloured > 10, "the highlighter coloured (almost) nothing: nothing was checked");
}

void TestHighContrast::themeIsNamedAndKept()
{
    QCOMPARE(ThemeManager::themeFromName(u"high-contrast"), Preferences::Theme::HighContrast);
    QVERIFY(!ThemeManager::themeFromName(u"highcontrast"));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("qalam.ini"));
    {
        ProfileStore store(file);
        Preferences preferences = store.preferences();
        preferences.theme = Preferences::Theme::HighContrast;
        QVERIFY(store.savePreferences(preferences).isEmpty());
    }
    {
        QSettings settings(file, QSettings::IniFormat);
        QCOMPARE(settings.value(QStringLiteral("preferences/theme")).toString(),
                 QStringLiteral("high-contrast"));
    }
    ProfileStore again(file);
    QCOMPARE(again.preferences().theme, Preferences::Theme::HighContrast);
}

void TestHighContrast::applyingOutlinesTheControls()
{
    m_theme->apply(Preferences::Theme::HighContrast);
    QCOMPARE(m_theme->scheme(), Scheme::HighContrast);
    QCOMPARE(QApplication::palette().color(QPalette::Base),
             ThemePalettes::palette(Scheme::HighContrast).color(QPalette::Base));
    auto *style = qobject_cast<FocusRingStyle *>(QApplication::style());
    QVERIFY(style);
    QVERIFY(ThemeManager::isFusion(style));
    QVERIFY(style->isOutlined());
    // A button on black: its border is drawn, in Mid.
    QPushButton button(QStringLiteral("OK"));
    button.resize(120, 32);
    const QImage image = button.grab().toImage();
    const QColor mid = QApplication::palette().color(QPalette::Mid);
    QVERIFY2(near(image.pixelColor(image.width() / 2, 0), mid, 60),
             qPrintable(image.pixelColor(image.width() / 2, 0).name()));
    m_theme->apply(Preferences::Theme::Dark);
    QVERIFY(!style->isOutlined());
}

void TestHighContrast::focusedRowHasARing_data()
{
    QTest::addColumn<Scheme>("scheme");
    QTest::addColumn<bool>("rightToLeft");
    QTest::addColumn<bool>("selected");
    for (const auto &[name, scheme] :
         {std::pair{"light", Scheme::Light}, std::pair{"dark", Scheme::Dark},
          std::pair{"high-contrast", Scheme::HighContrast}}) {
        for (const bool rtl : {false, true}) {
            for (const bool selected : {false, true}) {
                QTest::addRow("%s %s %s", name, rtl ? "rtl" : "ltr",
                              selected ? "selected" : "current")
                    << scheme << rtl << selected;
            }
        }
    }
}

// The row the keyboard is on, rendered with and without the list's focus: with it, the ring's
// colour runs down both sides of the row (the accent; inside a selected row's accent fill, the
// colour drawn on the accent); without it, neither side has it.
void TestHighContrast::focusedRowHasARing()
{
    QFETCH(Scheme, scheme);
    QFETCH(bool, rightToLeft);
    QFETCH(bool, selected);
    m_theme->apply(scheme == Scheme::Dark           ? Preferences::Theme::Dark
                   : scheme == Scheme::HighContrast ? Preferences::Theme::HighContrast
                                                    : Preferences::Theme::Light);
    QApplication::setLayoutDirection(rightToLeft ? Qt::RightToLeft : Qt::LeftToRight);
    ConversationSidebar sidebar;
    sidebar.resize(260, 400);
    sidebar.setConversations(threeConversations());
    sidebar.show();
    sidebar.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&sidebar));
    ConversationListView *list = sidebar.list();
    const int row = sidebar.model()->rowOf(2);
    QVERIFY(row > 0);
    const QModelIndex index = sidebar.model()->index(row);
    if (selected) {
        list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    } else {
        list->selectionModel()->clearSelection();
        list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    }
    const QPalette palette = ThemePalettes::palette(scheme);
    const QColor ring =
        palette.color(QPalette::Active, selected ? QPalette::HighlightedText : QPalette::Highlight);
    const QRect rect = list->visualRect(index);
    // The delegate's row background is inset 4 px; the ring lies on its edge (a current row) or
    // 2.5 px inside it (a selected one).
    const int inset = selected ? 6 : 4;
    const int y = rect.center().y();
    const auto sides = [&](const QImage &image) {
        return std::pair{image.pixelColor(rect.left() + inset, y),
                         image.pixelColor(rect.right() - inset, y)};
    };

    list->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(list->hasFocus());
    const QImage focused = list->viewport()->grab().toImage();
    const auto [left, right] = sides(focused);
    QVERIFY2(near(left, ring) && near(right, ring),
             qPrintable(QStringLiteral("ring %1, left %2, right %3")
                            .arg(ring.name(), left.name(), right.name())));

    sidebar.searchField()->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(!list->hasFocus());
    const QImage unfocused = list->viewport()->grab().toImage();
    const auto [plainLeft, plainRight] = sides(unfocused);
    QVERIFY2(!near(plainLeft, ring, 20) && !near(plainRight, ring, 20),
             qPrintable(QStringLiteral("no focus, yet %1 and %2 (ring %3)")
                            .arg(plainLeft.name(), plainRight.name(), ring.name())));
}

void TestHighContrast::focusedButtonHasARing()
{
    m_theme->apply(Preferences::Theme::HighContrast);
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *first = new QPushButton(QStringLiteral("First"), &window);
    auto *second = new QPushButton(QStringLiteral("Second"), &window);
    layout->addWidget(first);
    layout->addWidget(second);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    first->setFocus(Qt::OtherFocusReason);
    QTest::keyClick(first, Qt::Key_Tab); // a keyboard focus change, as :focus-visible wants
    QTRY_VERIFY(second->hasFocus());
    const QColor highlight = QApplication::palette().color(QPalette::Highlight);
    const QImage image = second->grab().toImage();
    QVERIFY2(near(image.pixelColor(1, image.height() / 2), highlight),
             qPrintable(image.pixelColor(1, image.height() / 2).name()));
    const QImage other = first->grab().toImage();
    QVERIFY(!near(other.pixelColor(1, other.height() / 2), highlight));
}

void TestHighContrast::questionBubbleIsOutlinedOnBlack()
{
    // A question's bubble is tinted with 13 % of the highlight: invisible on black, so in high
    // contrast it is outlined in Mid; in the dark theme the tint shows and there is no outline.
    for (const bool high : {true, false}) {
        m_theme->apply(high ? Preferences::Theme::HighContrast : Preferences::Theme::Dark);
        ChatView view;
        view.resize(700, 300);
        ChatView::Message question;
        question.role = ChatView::Role::User;
        question.text = QStringLiteral("A short question");
        view.setMessages({question});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QImage image = view.viewport()->grab().toImage();
        const QPalette palette = QApplication::palette();
        const QColor mid = palette.color(QPalette::Mid);
        const QColor fill =
            blend(palette.color(QPalette::Base), palette.color(QPalette::Highlight), 0.13);
        // The bubble is where its fill is; its top edge is looked at in the middle third.
        QRect bubble;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                if (near(image.pixelColor(x, y), fill, 4))
                    bubble |= QRect(x, y, 1, 1);
            }
        }
        QVERIFY(bubble.width() > 60 && bubble.height() > 10);
        int outline = 0;
        int looked = 0;
        for (int x = bubble.left() + bubble.width() / 3; x < bubble.left() + bubble.width() * 2 / 3;
             ++x) {
            ++looked;
            for (int y = std::max(0, bubble.top() - 2); y <= bubble.top() + 1; ++y) {
                if (near(image.pixelColor(x, y), mid, 20)) {
                    ++outline;
                    break;
                }
            }
        }
        QVERIFY2(high ? outline == looked : outline == 0,
                 qPrintable(QStringLiteral("%1 of %2").arg(outline).arg(looked)));
    }
}

void TestHighContrast::dialogButtonsHaveNoIcons()
{
    m_theme->apply(Preferences::Theme::HighContrast);
    QVERIFY(!QApplication::style()->styleHint(QStyle::SH_DialogButtonBox_ButtonsHaveIcons));
    QDialogButtonBox box(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QVERIFY(box.button(QDialogButtonBox::Cancel)->icon().isNull());
}

QTEST_MAIN(TestHighContrast)
#include "tst_highcontrast.moc"
