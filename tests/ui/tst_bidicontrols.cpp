// Direction inside chat messages, as laid out (offscreen): every paragraph of the corpus reads in
// its words' majority direction and sits on its start side in either UI language; the sentence's
// punctuation stays outside the isolate of a path or URL; numbered list markers of Arabic items
// are on the right; and bidi controls that arrive in an answer (bidi spoofing) are shown as
// visible marks, not obeyed, while copying gives back exactly what arrived.
#include "../common/ChatViewTestSupport.h"
#include "DirectionCorpus.h"
#include "ui/BlockDocument.h"
#include "ui/ChatView.h"
#include "ui/DirectionControlMarks.h"
#include "ui/MessageLayout.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QImage>
#include <QPainter>
#include <QTest>
#include <QTextBlock>
#include <QTextFrame>
#include <QTextLayout>
#include <QTextList>
#include <QTextTable>

using namespace qalam;
using qalam::test::directionCorpus;
using qalam::test::pointOfText;

Q_DECLARE_METATYPE(Qt::LayoutDirection)

namespace {

const QChar kRlo(0x202E);
const QChar kPdf(0x202C);

// Wide enough that every corpus paragraph is one line, far from the other side.
constexpr int kWideWidth = 3000;

QTextBlock firstTextBlock(const QTextDocument *document)
{
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        if (!block.text().trimmed().isEmpty())
            return block;
    }
    return {};
}

QTextTable *firstTable(const QTextDocument *document)
{
    const QList<QTextFrame *> frames = document->rootFrame()->childFrames();
    for (QTextFrame *frame : frames) {
        if (auto *table = qobject_cast<QTextTable *>(frame))
            return table;
    }
    return nullptr;
}

// The first line of a block, in document coordinates (a table cell's block too).
QRectF firstLine(const QTextBlock &block)
{
    const QTextLayout *layout = block.layout();
    if (!layout || layout->lineCount() == 0)
        return {};
    const QRectF bounds = block.document()->documentLayout()->blockBoundingRect(block);
    return layout->lineAt(0).naturalTextRect().translated(bounds.topLeft());
}

// Where a block's text may start: its margin and list indent on its start side.
qreal startInset(const QTextBlock &block, Qt::LayoutDirection direction)
{
    const QTextBlockFormat format = block.blockFormat();
    qreal inset = direction == Qt::RightToLeft ? format.rightMargin() : format.leftMargin();
    qreal indent = format.indent();
    if (const QTextList *list = block.textList())
        indent += list->format().indent();
    return inset + indent * block.document()->indentWidth();
}

QImage paint(const MessageLayout &layout, int width, int height)
{
    QImage image(width, height, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPalette palette;
    palette.setColor(QPalette::Text, Qt::black);
    QPainter painter(&image);
    layout.paint(&painter, image.rect(), palette, std::nullopt);
    return image;
}

// Pixels noticeably darker than the white background inside `rect`.
int inkIn(const QImage &image, const QRect &rect)
{
    int ink = 0;
    const QRect area = rect.intersected(image.rect());
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x)
            ink += qGray(image.pixel(x, y)) < 200 ? 1 : 0;
    }
    return ink;
}

// Whether, in a drawn "2." or "3.", the full stop is left of the digit: the columns whose ink
// is only near the baseline are the dot's (every column of a 2 or a 3 has ink higher up).
std::optional<bool> dotLeftOfDigit(const QImage &image, const QRect &rect)
{
    const QRect area = rect.intersected(image.rect());
    int top = area.bottom();
    int bottom = area.top();
    QList<int> topOfColumn;
    for (int x = area.left(); x <= area.right(); ++x) {
        int first = -1;
        for (int y = area.top(); y <= area.bottom(); ++y) {
            if (qGray(image.pixel(x, y)) < 160) {
                if (first < 0)
                    first = y;
                bottom = std::max(bottom, y);
            }
        }
        topOfColumn.append(first);
        if (first >= 0)
            top = std::min(top, first);
    }
    if (bottom <= top)
        return std::nullopt;
    qreal dot = 0;
    qreal digit = 0;
    int dots = 0;
    int digits = 0;
    for (int i = 0; i < topOfColumn.size(); ++i) {
        if (topOfColumn[i] < 0)
            continue;
        if (topOfColumn[i] > top + (bottom - top) * 0.6) {
            dot += i;
            ++dots;
        } else {
            digit += i;
            ++digits;
        }
    }
    if (dots == 0 || digits == 0)
        return std::nullopt;
    return dot / dots < digit / digits;
}

// The x of the character at `index` of a block (its leading edge), document coordinates.
qreal xOf(const QTextBlock &block, int index)
{
    const QTextLayout *layout = block.layout();
    const QTextLine line = layout->lineForTextPosition(index);
    return layout->position().x() + std::min(line.cursorToX(index), line.cursorToX(index + 1));
}

void dragSelect(QWidget *viewport, QPoint from, QPoint to)
{
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QMouseEvent move(QEvent::MouseMove, to, viewport->mapToGlobal(to), Qt::NoButton, Qt::LeftButton,
                     {});
    QApplication::sendEvent(viewport, &move);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
}

} // namespace

class TestBidiControls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void corpusIsLaidOutInItsDirection_data();
    void corpusIsLaidOutInItsDirection();
    void paragraphWithoutLettersFollowsItsContext();
    void tableCellsTakeTheirOwnDirection();
    void punctuationStaysOutsideIsolates();
    void urlStaysWithTheEnglishItEnds();
    void numberedArabicListHasItsMarkersOnTheRight();
    void overrideIsShownAsAMarkAndNotObeyed();
    void copyGivesBackTheOriginalControls();
    void answersOwnIsolatesAreKeptAndShown();
    void controlsInCodeAreMarksToo();
    void streamingNeutralisesAsItArrives();
    void typedTextTakesItsDirectionAndShowsControls();
};

void TestBidiControls::cleanup()
{
    QGuiApplication::setLayoutDirection(Qt::LeftToRight);
}

void TestBidiControls::corpusIsLaidOutInItsDirection_data()
{
    QTest::addColumn<QString>("markdown");
    QTest::addColumn<Qt::LayoutDirection>("expected");
    QTest::addColumn<Qt::LayoutDirection>("ui");
    const auto cases = directionCorpus();
    QVERIFY2(cases.size() >= 40, "the corpus is missing or malformed");
    for (const auto ui : {Qt::LeftToRight, Qt::RightToLeft}) {
        for (const auto &c : cases) {
            const QString name =
                (ui == Qt::RightToLeft ? QStringLiteral("Arabic UI, ") : QStringLiteral("")) +
                c.name();
            QTest::newRow(qPrintable(name)) << c.markdown << c.expected << ui;
        }
    }
}

void TestBidiControls::corpusIsLaidOutInItsDirection()
{
    QFETCH(QString, markdown);
    QFETCH(Qt::LayoutDirection, expected);
    QFETCH(Qt::LayoutDirection, ui);
    QGuiApplication::setLayoutDirection(ui);
    MessageLayout layout(markdown);
    layout.layout(kWideWidth, QApplication::font());
    QCOMPARE(layout.blockCount(), 1);
    const BlockDocument *document = layout.block(0);
    QCOMPARE(document->direction(), expected);

    if (QTextTable *table = firstTable(document)) {
        // The column the source names first is on the start side, and so is the table.
        const QString first = markdown.section(QLatin1Char('|'), 1, 1).trimmed();
        const int startColumn = expected == Qt::RightToLeft ? table->columns() - 1 : 0;
        const QTextBlock start = table->cellAt(0, startColumn).firstCursorPosition().block();
        const QTextBlock end =
            table->cellAt(0, table->columns() - 1 - startColumn).firstCursorPosition().block();
        QCOMPARE(BlockDocument::stripIsolates(start.text()), first);
        QCOMPARE(start.textDirection(), expected);
        if (expected == Qt::RightToLeft) {
            QVERIFY(firstLine(start).left() > firstLine(end).left());
            QVERIFY(table->format().alignment() & Qt::AlignRight);
        } else {
            QVERIFY(firstLine(start).left() < firstLine(end).left());
            QVERIFY(!(table->format().alignment() & Qt::AlignRight));
        }
        return;
    }

    const QTextBlock block = firstTextBlock(document);
    QVERIFY(block.isValid());
    QCOMPARE(block.textDirection(), expected);
    const Qt::Alignment alignment = block.blockFormat().alignment();
    // Absolute: right means right in a left-to-right UI too.
    QCOMPARE(alignment & Qt::AlignHorizontal_Mask,
             (expected == Qt::RightToLeft ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignAbsolute);
    // Laid out on its start side, whatever the UI's direction.
    const QRectF line = firstLine(block);
    const qreal inset = startInset(block, expected);
    if (expected == Qt::RightToLeft) {
        QVERIFY2(qAbs(line.right() - (kWideWidth - inset)) < 1.5,
                 qPrintable(QStringLiteral("%1 %2").arg(line.right()).arg(kWideWidth - inset)));
        QVERIFY(line.left() > kWideWidth / 2);
    } else {
        QVERIFY2(qAbs(line.left() - inset) < 1.5,
                 qPrintable(QStringLiteral("%1 %2").arg(line.left()).arg(inset)));
        QVERIFY(line.right() < kWideWidth / 2);
    }
}

void TestBidiControls::paragraphWithoutLettersFollowsItsContext()
{
    // A number or a lone command reads like the paragraph before it...
    MessageLayout arabic(QStringLiteral("النتيجة هي:\n\n42\n\n`ls -la`"));
    arabic.layout(600, QApplication::font());
    QCOMPARE(arabic.blockCount(), 3);
    QCOMPARE(arabic.block(1)->begin().textDirection(), Qt::RightToLeft);
    QCOMPARE(arabic.block(2)->begin().textDirection(), Qt::RightToLeft);
    MessageLayout english(QStringLiteral("The result is:\n\n42"));
    english.layout(600, QApplication::font());
    QCOMPARE(english.block(1)->begin().textDirection(), Qt::LeftToRight);
    // ...a list item like its list...
    MessageLayout list(QStringLiteral("- خادم الإنتاج\n- 10.0.0.5\n- خادم الاختبار"));
    list.layout(600, QApplication::font());
    QCOMPARE(list.block(0)->begin().next().textDirection(), Qt::RightToLeft);
    // ...and a message without letters like the UI.
    QGuiApplication::setLayoutDirection(Qt::RightToLeft);
    MessageLayout alone(QStringLiteral("42"));
    alone.layout(600, QApplication::font());
    QCOMPARE(alone.block(0)->begin().textDirection(), Qt::RightToLeft);
}

void TestBidiControls::tableCellsTakeTheirOwnDirection()
{
    MessageLayout layout(QStringLiteral("| المقياس | القيمة |\n|---|---|\n| Throughput | 45 |"));
    layout.layout(600, QApplication::font());
    QTextTable *table = firstTable(layout.block(0));
    QVERIFY(table);
    QCOMPARE(table->columns(), 2);
    // Mirrored: the source's first column is Qt's last.
    const QTextBlock name = table->cellAt(1, 1).firstCursorPosition().block();
    const QTextBlock value = table->cellAt(1, 0).firstCursorPosition().block();
    QCOMPARE(name.text(), QStringLiteral("Throughput"));
    QCOMPARE(name.textDirection(), Qt::LeftToRight);  // a Latin cell reads left to right
    QCOMPARE(value.textDirection(), Qt::RightToLeft); // a number takes the table's direction
    // Copied, the columns come in the source's order, a row per line, cells between tabs.
    QCOMPARE(layout.text({}, layout.endPosition()),
             QStringLiteral("المقياس\tالقيمة\nThroughput\t45"));
    MessageLayout english(QStringLiteral("| Metric | Value |\n|---|---|\n| TTFT | 310 ms |"));
    english.layout(600, QApplication::font());
    QCOMPARE(english.text({}, english.endPosition()),
             QStringLiteral("Metric\tValue\nTTFT\t310 ms"));
}

void TestBidiControls::punctuationStaysOutsideIsolates()
{
    const QString text = QStringLiteral(
        "راجع الملف /etc/hosts. ثم افتح https://example.com/docs، واقرأ (الملف app/main.cpp)؟");
    MessageLayout layout(text);
    layout.layout(900, QApplication::font());
    const QTextBlock block = layout.block(0)->begin();
    const QString shown = block.text();
    const QChar lri(0x2066);
    const QChar pdi(0x2069);
    QVERIFY2(shown.contains(lri + QStringLiteral("/etc/hosts") + pdi + QLatin1Char('.')),
             qPrintable(shown));
    QVERIFY(shown.contains(lri + QStringLiteral("https://example.com/docs") + pdi +
                           QStringLiteral("،")));
    QVERIFY(shown.contains(lri + QStringLiteral("app/main.cpp") + pdi + QStringLiteral(")؟")));
    QCOMPARE(layout.text({}, layout.endPosition()), text);

    // Laid out: the full stop ends the Arabic sentence, at the left of the path, not inside it
    // at its right end.
    MessageLayout sentence(QStringLiteral("راجع الملف /etc/hosts."));
    sentence.layout(900, QApplication::font());
    const QTextBlock line = sentence.block(0)->begin();
    const int stop = int(line.text().lastIndexOf(QLatin1Char('.')));
    const int slash = int(line.text().indexOf(QLatin1Char('/')));
    const int lastLetter = int(line.text().indexOf(QLatin1Char('s'), slash + 6));
    QVERIFY(xOf(line, stop) < xOf(line, slash));
    QVERIFY(xOf(line, stop) < xOf(line, lastLetter));
    QVERIFY(xOf(line, slash) < xOf(line, lastLetter)); // the path itself reads left to right
}

void TestBidiControls::urlStaysWithTheEnglishItEnds()
{
    // An Arabic paragraph quoting an English sentence that ends with a URL: the URL is the end
    // of the English run, on its right, not moved before "Welcome" (an isolate is a neutral,
    // and between English and the end of a right-to-left paragraph it took the Arabic side).
    // (The demo's own Markdown tour: the bold name is not counted, so Arabic has most words.)
    const QString text = QStringLiteral("السطر التالي إنجليزي داخل إجابة عربية: **Welcome to "
                                        "Qalam**, version 0.1 is available at "
                                        "https://qalam.example/en.");
    MessageLayout layout(text);
    layout.layout(1400, QApplication::font());
    const QTextBlock line = layout.block(0)->begin();
    QCOMPARE(line.textDirection(), Qt::RightToLeft);
    QCOMPARE(line.layout()->lineCount(), 1);
    const QString shown = line.text();
    const int welcome = int(shown.indexOf(QLatin1String("Welcome")));
    const int at = int(shown.indexOf(QLatin1String(" at ")) + 1);
    const int url = int(shown.indexOf(QLatin1String("https")));
    const int arabic = int(shown.indexOf(QStringLiteral("عربية")));
    QVERIFY(xOf(line, welcome) < xOf(line, at));
    QVERIFY2(xOf(line, at) < xOf(line, url), qPrintable(shown)); // was: the URL left of Welcome
    QVERIFY(xOf(line, url) < xOf(line, arabic)); // the English run sits left of the Arabic
    // The mark is for display only: copying gives the text as it came.
    QVERIFY(shown.contains(QChar(0x200E)));
    QVERIFY(!layout.text({}, layout.endPosition()).contains(QChar(0x200E)));
    // Arabic after the URL: no mark needed, the URL is between Arabic words.
    MessageLayout between(QStringLiteral("افتح https://qalam.example/ar ثم اقرأ."));
    between.layout(1400, QApplication::font());
    QVERIFY(!between.block(0)->begin().text().contains(QChar(0x200E)));
}

void TestBidiControls::numberedArabicListHasItsMarkersOnTheRight()
{
    // Items that open with a Latin term or with code are Arabic by their words' majority.
    MessageLayout layout(QStringLiteral("1. SSE هو بروتوكول للبث من الخادم\n"
                                        "2. `curl` أداة لإرسال الطلبات من الطرفية\n"
                                        "3. الخطوة الثالثة"));
    const int height = layout.layout(600, QApplication::font());
    const BlockDocument *document = layout.block(0);
    const QImage image = paint(layout, 600, height);
    int item = 0;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        ++item;
        QVERIFY(block.textList());
        QCOMPARE(block.textDirection(), Qt::RightToLeft);
        const auto marker = document->listMarker(block);
        QVERIFY(marker);
        // In logical order, laid out right to left: the number is read first, at the right.
        QCOMPARE(marker->text, QString::number(item) + QLatin1Char('.'));
        QCOMPARE(marker->direction, Qt::RightToLeft);
        const QRectF text = firstLine(block);
        QVERIFY2(marker->rect.left() >= text.right(),
                 qPrintable(QStringLiteral("%1 %2").arg(marker->rect.left()).arg(text.right())));
        QVERIFY(marker->rect.right() <= document->textWidth());
        // Drawn there, and nothing is drawn on the left of the text (Qt's own marker is off).
        QVERIFY(inkIn(image, marker->rect.toAlignedRect()) > 0);
        if (item > 1) {
            // Read right to left, the number comes first: the dot is on its left (not "2." as
            // Qt's own marker shows it, reversed twice).
            const auto dotLeft = dotLeftOfDigit(image, marker->rect.toAlignedRect());
            QVERIFY(dotLeft);
            QVERIFY(*dotLeft);
        }
        const QRect left(0, int(text.top()), int(text.left()) - 1, int(text.height()));
        QCOMPARE(inkIn(image, left), 0);
    }
    QCOMPARE(item, 3);

    // An English list keeps its markers on the left.
    MessageLayout english(QStringLiteral("1. Open the file\n2. Save it"));
    const int englishHeight = english.layout(600, QApplication::font());
    const QTextBlock first = english.block(0)->begin();
    const auto marker = english.block(0)->listMarker(first);
    QVERIFY(marker);
    QCOMPARE(marker->direction, Qt::LeftToRight);
    QVERIFY(marker->rect.right() <= firstLine(first).left());
    QVERIFY(marker->rect.left() >= 0);
    const auto second = english.block(0)->listMarker(first.next());
    QVERIFY(second);
    const auto dotLeft =
        dotLeftOfDigit(paint(english, 600, englishHeight), second->rect.toAlignedRect());
    QVERIFY(dotLeft);
    QVERIFY(!*dotLeft); // "2." left to right
    // Bullets are Qt's: no marker of ours.
    MessageLayout bullets(QStringLiteral("- بند"));
    bullets.layout(600, QApplication::font());
    QVERIFY(!bullets.block(0)->listMarker(bullets.block(0)->begin()));
}

void TestBidiControls::overrideIsShownAsAMarkAndNotObeyed()
{
    const QString text = QStringLiteral("account ") + kRlo + QStringLiteral("1234-5678") + kPdf;
    // The spoof is real: obeyed, the override shows the digits reversed.
    {
        QTextLayout raw(text, QApplication::font());
        raw.beginLayout();
        QTextLine line = raw.createLine();
        raw.endLayout();
        // (Inside the run: at its ends a cursor position is on both sides at once.)
        const int two = int(text.indexOf(QLatin1Char('2')));
        const int seven = int(text.indexOf(QLatin1Char('7')));
        QVERIFY(line.cursorToX(two) > line.cursorToX(seven));
    }
    MessageLayout layout(text);
    const int height = layout.layout(600, QApplication::font());
    QVERIFY(layout.hasDirectionControls());
    QVERIFY(!MessageLayout(QStringLiteral("account 1234-5678")).hasDirectionControls());
    const QTextBlock block = layout.block(0)->begin();
    const QString shown = block.text();
    QVERIFY(!shown.contains(kRlo));
    QCOMPARE(shown.count(QChar::ObjectReplacementCharacter), 2);
    // The digits in logical order, left to right.
    const int start = int(shown.indexOf(QLatin1Char('1')));
    for (int i = start; i < start + 8; ++i)
        QVERIFY2(xOf(block, i) < xOf(block, i + 1), qPrintable(QString::number(i)));
    // The mark before them is visible: it has a width and something is drawn in it.
    const int mark = int(shown.indexOf(QChar::ObjectReplacementCharacter));
    const QRectF markRect = layout.characterRect({0, mark});
    QVERIFY2(markRect.width() > 6, qPrintable(QString::number(markRect.width())));
    const QImage image = paint(layout, 600, height);
    QVERIFY(inkIn(image, markRect.toAlignedRect()) > 4);
    // Its tooltip says what it is.
    const QString tip = layout.directionControlAt(markRect.center().toPoint());
    QVERIFY2(tip.contains(QLatin1String("U+202E")), qPrintable(tip));
    QVERIFY(layout.directionControlAt(layout.characterRect({0, 2}).center().toPoint()).isEmpty());

    // In an Arabic sentence too: the number reads in order (it is isolated: Qt 6.4 would show
    // "5678-1234" there even without an override).
    MessageLayout arabic(QStringLiteral("حساب ") + kRlo + QStringLiteral("1234-5678") + kPdf +
                         QStringLiteral(" للتحويل"));
    arabic.layout(600, QApplication::font());
    const QTextBlock line = arabic.block(0)->begin();
    QCOMPARE(line.textDirection(), Qt::RightToLeft);
    // (Cursor positions inside the number: at its ends a position is on two sides at once.)
    const int first = int(line.text().indexOf(QLatin1Char('1')));
    const QTextLine textLine = line.layout()->lineAt(0);
    for (int i = first + 1; i < first + 8; ++i)
        QVERIFY2(textLine.cursorToX(i) < textLine.cursorToX(i + 1), qPrintable(QString::number(i)));
}

void TestBidiControls::copyGivesBackTheOriginalControls()
{
    const QString text = QStringLiteral("account ") + kRlo + QStringLiteral("1234-5678") + kPdf +
                         QStringLiteral(" at https://bank.example") + kRlo +
                         QStringLiteral("/moc.live") + kPdf + QStringLiteral(".");
    MessageLayout layout(text);
    layout.layout(600, QApplication::font());
    QCOMPARE(layout.text({}, layout.endPosition()), text);
    const QString shown = layout.block(0)->begin().text();
    const int mark = int(shown.indexOf(QChar::ObjectReplacementCharacter));
    const int closing = int(shown.indexOf(QChar::ObjectReplacementCharacter, mark + 1));
    QCOMPARE(layout.text({0, mark}, {0, closing + 1}), kRlo + QStringLiteral("1234-5678") + kPdf);

    // Through the view: the message's text, and a selection made with the mouse, copied.
    ChatView view;
    view.resize(700, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const int index = view.appendMessage(ChatView::Role::Assistant, text);
    QTRY_VERIFY(view.messageLayout(index).hasDocuments());
    QVERIFY(view.messageLayout(index).hasDirectionControls());
    // The message says so under it, and a clean message does not.
    view.setFooter(index, QStringLiteral("first token 10 ms"));
    QCOMPARE(view.shownFooter(index),
             QStringLiteral("⚠ Contains hidden direction controls · first token 10 ms"));
    QCOMPARE(view.messagePlainText(index), text);
    const QPoint from = pointOfText(view, index, QStringLiteral("ccount"));
    const QPoint to = pointOfText(view, index, QStringLiteral("678"));
    QVERIFY(!from.isNull() && !to.isNull());
    dragSelect(view.viewport(), from, to);
    const QString selected = view.selectedText();
    QVERIFY2(selected.contains(QStringLiteral(" ") + kRlo + QStringLiteral("1234-5")),
             qPrintable(selected));
    QVERIFY(!selected.contains(QChar::ObjectReplacementCharacter));
    view.setFocus();
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), selected);
    const int clean = view.appendMessage(ChatView::Role::Assistant, QStringLiteral("1234-5678"));
    view.setFooter(clean, QStringLiteral("done"));
    QCOMPARE(view.shownFooter(clean), QStringLiteral("done"));
}

void TestBidiControls::answersOwnIsolatesAreKeptAndShown()
{
    // The answer's isolates are its text; the view's own (around the URL) are not.
    const QString text = QStringLiteral("قال \u2067Hello\u2069 عبر https://example.com/x اليوم");
    MessageLayout layout(text);
    layout.layout(600, QApplication::font());
    const QString shown = layout.block(0)->begin().text();
    QVERIFY(!shown.contains(QChar(0x2067)));
    QCOMPARE(shown.count(QChar::ObjectReplacementCharacter), 2);
    QVERIFY(
        shown.contains(QChar(0x2066) + QStringLiteral("https://example.com/x") + QChar(0x2069)));
    QCOMPARE(layout.text({}, layout.endPosition()), text);
    QCOMPARE(BlockDocument::stripIsolates(shown).count(QChar::ObjectReplacementCharacter), 2);
}

void TestBidiControls::controlsInCodeAreMarksToo()
{
    const QString code = QStringLiteral("access = \"user") + kRlo +
                         QStringLiteral(" \u2066// admin") +
                         QStringLiteral("\"\nif access != \"user\":");
    const QString markdown = QStringLiteral("```python\n") + code + QStringLiteral("\n```");
    MessageLayout layout(markdown);
    const int height = layout.layout(600, QApplication::font());
    QVERIFY(layout.hasDirectionControls());
    const CodeBlock *block = layout.codeBlock(0);
    QVERIFY(block);
    QCOMPARE(block->code(), code); // the Copy button's text
    const BlockDocument *document = block->document();
    QVERIFY(!document->toPlainText().contains(kRlo));
    QCOMPARE(document->toPlainText().count(QChar::ObjectReplacementCharacter), 2);
    // Highlighting recolours the code; the marks keep what they stand for.
    paint(layout, 600, height);
    QVERIFY(block->isHighlighted());
    QCOMPARE(document->plainText(0, document->characterCount() - 1), code);
    QCOMPARE(layout.text({}, layout.endPosition()), code);
}

void TestBidiControls::streamingNeutralisesAsItArrives()
{
    const QString answer = QStringLiteral("SSE هو بروتوكول، راجع /etc/hosts.\n\n"
                                          "1. حساب ") +
                           kRlo + QStringLiteral("1234-5678") + kPdf +
                           QStringLiteral(" للتحويل\n2. تم\n\n```sh\necho \"") + kRlo +
                           QStringLiteral("abc\"\n```\n\nEnd.");
    MessageLayout streamed(QString(), true);
    const QFont font = QApplication::font();
    streamed.layout(600, font);
    bool sawControl = false;
    for (qsizetype i = 0; i < answer.size(); ++i) {
        streamed.appendText(QStringView(answer).sliced(i, 1));
        sawControl = sawControl || answer[i] == kRlo;
        QCOMPARE(streamed.hasDirectionControls(), sawControl);
        streamed.layout(600, font);
        for (int b = 0; b < streamed.blockCount(); ++b)
            QVERIFY(!streamed.block(b)->toPlainText().contains(kRlo));
        if (streamed.blockCount() > 0) {
            // The first paragraph is Arabic from its first words on.
            const QTextBlock first = streamed.block(0)->begin();
            if (first.text().contains(QStringLiteral("بروتوكول")))
                QCOMPARE(first.textDirection(), Qt::RightToLeft);
        }
    }
    streamed.finish();
    streamed.layout(600, font);
    MessageLayout whole(answer);
    whole.layout(600, font);
    QCOMPARE(streamed.blockCount(), whole.blockCount());
    for (int b = 0; b < whole.blockCount(); ++b) {
        QCOMPARE(streamed.block(b)->toPlainText(), whole.block(b)->toPlainText());
        QCOMPARE(streamed.block(b)->begin().textDirection(),
                 whole.block(b)->begin().textDirection());
    }
    QCOMPARE(streamed.text({}, streamed.endPosition()), whole.text({}, whole.endPosition()));
    QVERIFY(streamed.text({}, streamed.endPosition()).contains(kRlo + QStringLiteral("1234")));
    QCOMPARE(whole.block(1)->begin().textDirection(), Qt::RightToLeft);
    QVERIFY(whole.block(1)->listMarker(whole.block(1)->begin()));
}

void TestBidiControls::typedTextTakesItsDirectionAndShowsControls()
{
    const QString typed = QStringLiteral("SSE هو بروتوكول؟\nWhat is SSE?\n42\naccount ") + kRlo +
                          QStringLiteral("1234");
    MessageLayout layout(typed, false, MessageLayout::Format::PlainText);
    layout.layout(600, QApplication::font());
    const BlockDocument *document = layout.block(0);
    QTextBlock block = document->begin();
    QCOMPARE(block.textDirection(), Qt::RightToLeft);
    block = block.next();
    QCOMPARE(block.textDirection(), Qt::LeftToRight);
    block = block.next();
    QCOMPARE(block.textDirection(), Qt::LeftToRight); // like the line before it
    QVERIFY(!document->toPlainText().contains(kRlo));
    QVERIFY(layout.hasDirectionControls());
    QCOMPARE(layout.text({}, layout.endPosition()), typed);
    layout.appendText(QStringLiteral("\nمرحبا ") + kPdf);
    layout.layout(600, QApplication::font());
    QCOMPARE(document->lastBlock().textDirection(), Qt::RightToLeft);
    QCOMPARE(document->toPlainText().count(QChar::ObjectReplacementCharacter), 2);
    QCOMPARE(layout.text({}, layout.endPosition()), typed + QStringLiteral("\nمرحبا ") + kPdf);
}

QTEST_MAIN(TestBidiControls)
#include "tst_bidicontrols.moc"
