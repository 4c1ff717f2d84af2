// The composer and its Send button as a person meets them: the field grows with what is typed
// (wrapped lines too) without a scroll bar up to Composer::maxVisibleLines lines, then scrolls;
// emptied it shrinks back; Send is disabled while there is nothing but white space to send, and
// becomes Stop while an answer streams; the bar mirrors in a right-to-left interface and each
// paragraph takes its direction from its first letter.
#include "Composer.h"
#include "ComposerBar.h"
#include "ThemeManager.h"

#include <QApplication>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QVBoxLayout>

using namespace qalam;

namespace {

QString lines(int count)
{
    QStringList text;
    for (int i = 1; i <= count; ++i)
        text << QStringLiteral("line %1").arg(i);
    return text.join(QLatin1Char('\n'));
}

// A window the width of a small chat pane, with the bar at its bottom as the app has it.
struct Harness
{
    QWidget window;
    ThemeManager theme;
    ComposerBar *bar;

    Harness() : bar(new ComposerBar(&theme, &window))
    {
        auto *layout = new QVBoxLayout(&window);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addStretch(1);
        layout->addWidget(bar);
        window.resize(600, 700);
        window.show();
    }
    Composer *composer() const { return bar->composer(); }
    bool scrollBarShown() const { return composer()->verticalScrollBar()->isVisible(); }
};

} // namespace

class TestComposer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void growsWithoutScrollBarUpToEightLines();
    void wrappedLinesCountToo();
    void sendIsDisabledWhileEmpty();
    void enterSendsOnlyText();
    void mirrorsAndFollowsTheTextsDirection();
};

void TestComposer::growsWithoutScrollBarUpToEightLines()
{
    Harness h;
    QVERIFY(QTest::qWaitForWindowExposed(&h.window));
    Composer *composer = h.composer();
    const int oneLine = composer->height();
    QVERIFY(oneLine > 0);
    QVERIFY(!h.scrollBarShown());

    composer->setPlainText(lines(3));
    QTRY_COMPARE(composer->lineCount(), 3);
    QTRY_VERIFY(composer->height() > oneLine);
    const int threeLines = composer->height();
    // Every line shows: no scroll bar, nothing scrolled away.
    QTRY_VERIFY(!h.scrollBarShown());
    QCOMPARE(composer->verticalScrollBar()->maximum(), 0);

    composer->setPlainText(lines(Composer::maxVisibleLines));
    QTRY_VERIFY(composer->height() > threeLines);
    const int eightLines = composer->height();
    QTRY_COMPARE(composer->verticalScrollBar()->maximum(), 0);
    QTRY_VERIFY(!h.scrollBarShown());

    // Past the limit it stops growing and scrolls instead.
    composer->setPlainText(lines(Composer::maxVisibleLines + 12));
    QTRY_VERIFY(h.scrollBarShown());
    QCOMPARE(composer->height(), eightLines);
    QVERIFY(composer->verticalScrollBar()->maximum() > 0);

    // Sent (the window clears it): back to one line.
    composer->clear();
    QTRY_COMPARE(composer->height(), oneLine);
    QTRY_VERIFY(!h.scrollBarShown());
}

void TestComposer::wrappedLinesCountToo()
{
    Harness h;
    QVERIFY(QTest::qWaitForWindowExposed(&h.window));
    Composer *composer = h.composer();
    const int oneLine = composer->height();
    // One paragraph, long enough to wrap over about three lines at this width.
    QString paragraph;
    while (composer->fontMetrics().horizontalAdvance(paragraph) < composer->width() * 2.5)
        paragraph += QStringLiteral("word ");
    composer->setPlainText(paragraph);
    QTRY_VERIFY(composer->lineCount() >= 3);
    QTRY_VERIFY(composer->height() > oneLine * 2);
    QTRY_COMPARE(composer->verticalScrollBar()->maximum(), 0);
    QTRY_VERIFY(!h.scrollBarShown());
}

void TestComposer::sendIsDisabledWhileEmpty()
{
    Harness h;
    QPushButton *send = h.bar->sendButton();
    QVERIFY(!send->isEnabled());
    QVERIFY(!send->icon().isNull());
    QCOMPARE(send->text(), QStringLiteral("Send"));

    h.composer()->setPlainText(QStringLiteral("  \n\t "));
    QVERIFY(!send->isEnabled());
    h.composer()->setPlainText(QStringLiteral("  hello "));
    QVERIFY(send->isEnabled());
    h.composer()->clear();
    QVERIFY(!send->isEnabled());

    // While an answer streams the button stops it, with or without text.
    h.bar->setStreaming(true);
    QCOMPARE(send->text(), QStringLiteral("Stop"));
    QVERIFY(send->isEnabled());
    h.bar->setStreaming(false);
    QCOMPARE(send->text(), QStringLiteral("Send"));
    QVERIFY(!send->isEnabled());
}

void TestComposer::enterSendsOnlyText()
{
    Harness h;
    Composer *composer = h.composer();
    composer->setFocus();
    QSignalSpy submitted(composer, &Composer::submitted);
    QTest::keyClicks(composer, QStringLiteral("   "));
    QTest::keyClick(composer, Qt::Key_Return);
    QCOMPARE(submitted.size(), 0);
    QTest::keyClicks(composer, QStringLiteral("first"));
    QTest::keyClick(composer, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(composer, QStringLiteral("second"));
    QCOMPARE(composer->lineCount(), 2);
    QTest::keyClick(composer, Qt::Key_Return);
    QCOMPARE(submitted.size(), 1);
    QCOMPARE(submitted.at(0).at(0).toString(), QStringLiteral("   first\nsecond"));
}

void TestComposer::mirrorsAndFollowsTheTextsDirection()
{
    Harness h;
    QVERIFY(QTest::qWaitForWindowExposed(&h.window));
    Composer *composer = h.composer();
    const auto left = [](const QWidget *w) { return w->mapTo(w->window(), QPoint(0, 0)).x(); };
    QVERIFY(left(h.bar->sendButton()) > left(composer));

    // Arabic in the English interface reads right to left, English stays left to right.
    composer->setPlainText(QStringLiteral("مرحبا بالعالم\nhello"));
    QCOMPARE(composer->document()->firstBlock().textDirection(), Qt::RightToLeft);
    QCOMPARE(composer->document()->lastBlock().textDirection(), Qt::LeftToRight);

    QApplication::setLayoutDirection(Qt::RightToLeft);
    QTRY_VERIFY(left(h.bar->sendButton()) < left(composer));
    composer->setPlainText(QStringLiteral("hello\nمرحبا"));
    QCOMPARE(composer->document()->firstBlock().textDirection(), Qt::LeftToRight);
    QCOMPARE(composer->document()->lastBlock().textDirection(), Qt::RightToLeft);
    QApplication::setLayoutDirection(Qt::LeftToRight);
}

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"
