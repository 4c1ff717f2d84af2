// How an answer's Markdown looks and behaves in the chat view (offscreen): code blocks (Copy,
// sideways scrolling, soft wrap, highlighting by Source-highlight, left to right in Arabic),
// tables (single borders, a shaded header, mirrored in Arabic), chat-sized headings, and a
// stream that never shows Markdown syntax the finished answer hides.
#include "ui/ChatView.h"
#include "ui/CodeHighlighter.h"
#include "ui/MarkdownBlockSplitter.h"
#include "ui/MarkdownTail.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QImage>
#include <QPainter>
#include <QSet>
#include <QTest>
#include <QTextBlock>
#include <QTextFrame>
#include <QTextLayout>
#include <QTextList>
#include <QTextTable>
#include <QWheelEvent>

using namespace qalam;

namespace {

int firstCodeBlock(const MessageLayout &layout)
{
    for (int i = 0; i < layout.blockCount(); ++i) {
        if (layout.codeBlock(i))
            return i;
    }
    return -1;
}

// Everything the message shows, as text (isolate marks removed).
QString visibleText(const MessageLayout &layout)
{
    if (layout.blockCount() == 0)
        return {};
    return layout.text({}, layout.endPosition());
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

// The distinct foreground colours the code document's characters are drawn in (the palette's
// text colour for characters without one).
QSet<QRgb> foregroundColours(const QTextDocument *document, const QColor &plain)
{
    QSet<QRgb> colours;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            if (it.fragment().text().trimmed().isEmpty())
                continue;
            colours.insert(format.hasProperty(QTextFormat::ForegroundBrush)
                               ? format.foreground().color().rgb()
                               : plain.rgb());
        }
    }
    return colours;
}

void paintOnce(const MessageLayout &layout, const QPalette &palette)
{
    QImage image(800, 600, QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&image);
    layout.paint(&painter, image.rect(), palette, std::nullopt);
}

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x20, 0x21, 0x24));
    palette.setColor(QPalette::Base, QColor(0x18, 0x19, 0x1c));
    palette.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    palette.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    return palette;
}

QPalette lightPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0xf5, 0xf5, 0xf5));
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::Text, Qt::black);
    return palette;
}

const QString kLongLine = QStringLiteral("curl -fsSL https://example.com/install.sh | sudo bash "
                                         "-s -- --prefix=/opt/qalam --with-everything "
                                         "--and-a-very-long-option-name=value --END_OF_LINE");

} // namespace

class TestMarkdownRendering : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void copyButtonCopiesExactlyTheCode();
    void longLineScrollsIntoView();
    void softWrapMakesTheBlockTallerAndShowsTheEnd();
    void keyboardTurnsSoftWrapOn();
    void knownLanguageIsHighlighted();
    void highlightColoursFollowThePalette();
    void unknownLanguageIsPlain();
    void fenceNamesMapToDefinitions();
    void tablesHaveSingleBordersAndAShadedHeader();
    void arabicTablesAreMirrored();
    void headingsOnAChatScale();
    void streamingShowsNoRawMarkdown_data();
    void streamingShowsNoRawMarkdown();
    void openFenceIsCodeAtOnceAndGrowsByAppending();
    void fenceAfterAParagraphIsItsOwnBlock();
    void arabicAnswerWithCodeBlock();

private:
    std::unique_ptr<ChatView> m_view;
};

void TestMarkdownRendering::init()
{
    m_view = std::make_unique<ChatView>();
    m_view->resize(640, 600);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestMarkdownRendering::copyButtonCopiesExactlyTheCode()
{
    const QString code = QStringLiteral("def greet(name):\n    print(f\"مرحبا {name}\")  # تحية\n\n"
                                        "greet(\"Qalam\")");
    m_view->appendMessage(ChatView::Role::Assistant, QStringLiteral("Run this:\n\n```python\n") +
                                                         code +
                                                         QStringLiteral("\n```\n\nThat is all."));
    QTRY_VERIFY(m_view->messageLayout(0).hasDocuments());
    const MessageLayout &layout = m_view->messageLayout(0);
    const int block = firstCodeBlock(layout);
    QVERIFY(block >= 0);
    QCOMPARE(layout.codeBlock(block)->language(), QStringLiteral("python"));
    QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
    const QRect button = layout.buttonRect(block, CodeBlock::Button::Copy)
                             .translated(m_view->messageContentRect(0).topLeft());
    QVERIFY(m_view->viewport()->rect().contains(button));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, button.center());
    QCOMPARE(QGuiApplication::clipboard()->text(), code);
}

void TestMarkdownRendering::longLineScrollsIntoView()
{
    m_view->appendMessage(ChatView::Role::Assistant, QStringLiteral("```bash\n") + kLongLine +
                                                         QStringLiteral("\necho ok\n```"));
    QTRY_VERIFY(m_view->messageLayout(0).hasDocuments());
    const MessageLayout &layout = m_view->messageLayout(0);
    const int block = firstCodeBlock(layout);
    QVERIFY(block >= 0);
    QVERIFY(layout.maxHorizontalScroll(block) > 0); // wider than the view: not wrapped, not cut
    const int last = int(kLongLine.size()) - 1;
    const QRect visible = layout.blockViewport(block);
    QVERIFY(!visible.contains(layout.characterRect({block, last}).toAlignedRect()));

    const QPoint over = m_view->messageContentRect(0).topLeft() + visible.center();
    for (int i = 0; i < 500 && layout.horizontalScroll(block) < layout.maxHorizontalScroll(block);
         ++i) {
        QWheelEvent wheel(over, m_view->viewport()->mapToGlobal(over), QPoint(), QPoint(0, -120),
                          Qt::NoButton, Qt::ShiftModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(m_view->viewport(), &wheel);
    }
    QCOMPARE(layout.horizontalScroll(block), layout.maxHorizontalScroll(block));
    const QRectF end = layout.characterRect({block, last});
    QVERIFY2(QRectF(visible).contains(end), "the line's last character is in the visible part");
    QCOMPARE(m_view->messageContentRect(0).top(), m_view->messageContentRect(0).top());

    // A horizontal wheel (a touchpad) scrolls back.
    QWheelEvent back(over, m_view->viewport()->mapToGlobal(over), QPoint(), QPoint(120, 0),
                     Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_view->viewport(), &back);
    QVERIFY(layout.horizontalScroll(block) < layout.maxHorizontalScroll(block));
}

void TestMarkdownRendering::softWrapMakesTheBlockTallerAndShowsTheEnd()
{
    m_view->appendMessage(ChatView::Role::Assistant,
                          QStringLiteral("```bash\n") + kLongLine + QStringLiteral("\n```"));
    QTRY_VERIFY(m_view->messageLayout(0).hasDocuments());
    const MessageLayout &layout = m_view->messageLayout(0);
    const int block = firstCodeBlock(layout);
    const int before = layout.blockViewport(block).height();
    const QRect wrap = layout.buttonRect(block, CodeBlock::Button::Wrap)
                           .translated(m_view->messageContentRect(0).topLeft());
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, wrap.center());
    QVERIFY(layout.codeBlock(block)->wraps());
    QVERIFY(layout.blockViewport(block).height() > before);
    QCOMPARE(layout.maxHorizontalScroll(block), 0);
    QVERIFY(QRectF(layout.blockViewport(block))
                .contains(layout.characterRect({block, int(kLongLine.size()) - 1})));
    QVERIFY(m_view->messageContentRect(0).height() >= layout.blockViewport(block).bottom());
    // And back.
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {},
                      layout.buttonRect(block, CodeBlock::Button::Wrap)
                          .translated(m_view->messageContentRect(0).topLeft())
                          .center());
    QVERIFY(!layout.codeBlock(block)->wraps());
    QCOMPARE(layout.blockViewport(block).height(), before);
}

void TestMarkdownRendering::keyboardTurnsSoftWrapOn()
{
    m_view->appendMessage(ChatView::Role::Assistant,
                          QStringLiteral("```bash\n") + kLongLine + QStringLiteral("\n```"));
    QTRY_VERIFY(m_view->messageLayout(0).hasDocuments());
    const MessageLayout &layout = m_view->messageLayout(0);
    const int block = firstCodeBlock(layout);
    QTest::keyClick(m_view.get(), Qt::Key_Z, Qt::AltModifier);
    QVERIFY(layout.codeBlock(block)->wraps());
    QCOMPARE(layout.maxHorizontalScroll(block), 0);
}

void TestMarkdownRendering::knownLanguageIsHighlighted()
{
    const QString code =
        QStringLiteral("def count(stream):\n    # عدّ الأحداث\n"
                       "    return sum(1 for line in stream if \"event\" in line)");
    MessageLayout layout(QStringLiteral("```python\n") + code + QStringLiteral("\n```"));
    layout.layout(600, QApplication::font());
    const int block = firstCodeBlock(layout);
    QVERIFY(block >= 0);
    const CodeBlock *codeBlock = layout.codeBlock(block);
    QVERIFY(codeBlock->isHighlighted());
    QCOMPARE(codeBlock->code(), code);
    QCOMPARE(layout.block(block)->toPlainText(), code); // exactly the code: no fences, no marks
    // "def" is a keyword, the comment (Arabic included) is one comment span.
    const QList<CodeHighlighter::Span> &spans = codeBlock->spans();
    QVERIFY(std::any_of(spans.begin(), spans.end(), [](const CodeHighlighter::Span &s) {
        return s.start == 0 && s.length == 3 && s.token == CodeHighlighter::Token::Keyword;
    }));
    const int comment = int(code.indexOf(QLatin1Char('#')));
    QVERIFY(std::any_of(spans.begin(), spans.end(), [&](const CodeHighlighter::Span &s) {
        return s.start == comment && s.token == CodeHighlighter::Token::Comment &&
               code.mid(s.start, s.length) == QStringLiteral("# عدّ الأحداث");
    }));
    paintOnce(layout, lightPalette());
    QVERIFY(foregroundColours(layout.block(block), Qt::black).size() >= 3);
    QCOMPARE(layout.block(block)->toPlainText(), code);
}

void TestMarkdownRendering::highlightColoursFollowThePalette()
{
    MessageLayout layout(QStringLiteral("```cpp\nint main() { return 0; } // done\n```"));
    layout.layout(600, QApplication::font());
    const int block = firstCodeBlock(layout);
    paintOnce(layout, lightPalette());
    const QSet<QRgb> light = foregroundColours(layout.block(block), Qt::black);
    const int height = layout.layout(600, QApplication::font());
    paintOnce(layout, darkPalette());
    const QSet<QRgb> dark = foregroundColours(layout.block(block), QColor(0xe8, 0xe8, 0xe8));
    QVERIFY(light.size() >= 3);
    QVERIFY(dark.size() >= 3);
    QVERIFY(light != dark);
    QCOMPARE(layout.layout(600, QApplication::font()), height); // colours only, same geometry
}

void TestMarkdownRendering::unknownLanguageIsPlain()
{
    for (const QString &fence : {QStringLiteral("```nosuchlanguage\n"), QStringLiteral("```\n")}) {
        MessageLayout layout(fence + QStringLiteral("def x(): return 1\n```"));
        layout.layout(600, QApplication::font());
        const int block = firstCodeBlock(layout);
        QVERIFY(block >= 0);
        QVERIFY(layout.codeBlock(block)->spans().isEmpty());
        paintOnce(layout, lightPalette());
        QCOMPARE(foregroundColours(layout.block(block), Qt::black).size(), 1);
        QCOMPARE(layout.block(block)->toPlainText(), QStringLiteral("def x(): return 1"));
    }
    QVERIFY(CodeHighlighter::highlight(QStringLiteral("nosuchlanguage"), QStringLiteral("x"))
                .isEmpty());
}

void TestMarkdownRendering::fenceNamesMapToDefinitions()
{
    const QList<std::pair<const char *, const char *>> names{
        {"sh", "sh.lang"},         {"bash", "sh.lang"},       {"shell", "sh.lang"},
        {"console", "sh.lang"},    {"python", "python.lang"}, {"py", "python.lang"},
        {"js", "javascript.lang"}, {"ts", "javascript.lang"}, {"json", "json.lang"},
        {"yaml", "conf.lang"},     {"yml", "conf.lang"},      {"cpp", "cpp.lang"},
        {"c++", "cpp.lang"},       {"c", "c.lang"},           {"sql", "sql.lang"},
        {"nginx", "conf.lang"},    {"ini", "desktop.lang"},   {"xml", "xml.lang"},
        {"html", "html.lang"},     {"diff", "diff.lang"},     {"go", "go.lang"},
        {"rust", "rust.lang"},     {"java", "java.lang"},     {"Python", "python.lang"},
    };
    for (const auto &[name, file] : names)
        QCOMPARE(CodeHighlighter::definitionFor(QLatin1String(name)), QLatin1String(file));
    QVERIFY(CodeHighlighter::definitionFor(QStringLiteral("klingon")).isEmpty());
}

void TestMarkdownRendering::tablesHaveSingleBordersAndAShadedHeader()
{
    MessageLayout layout(QStringLiteral("| Metric | Target |\n|---|---:|\n| TTFT | < 500 ms |\n"
                                        "| Rate | 45 |"));
    layout.layout(600, QApplication::font());
    QCOMPARE(layout.blockCount(), 1);
    QTextTable *table = firstTable(layout.block(0));
    QVERIFY(table);
    const QTextTableFormat format = table->format();
    QVERIFY(format.borderCollapse());
    QCOMPARE(format.cellSpacing(), 0.0);
    QCOMPARE(format.border(), 1.0);
    QVERIFY(format.cellPadding() >= 4);
    const QTextTableCellFormat header = table->cellAt(0, 0).format().toTableCellFormat();
    const QTextTableCellFormat body = table->cellAt(1, 0).format().toTableCellFormat();
    QVERIFY(header.hasProperty(QTextFormat::BackgroundBrush));
    QVERIFY(header.background().style() != Qt::NoBrush);
    QVERIFY(!body.hasProperty(QTextFormat::BackgroundBrush));
    QVERIFY(!visibleText(layout).contains(QLatin1Char('|')));
}

void TestMarkdownRendering::arabicTablesAreMirrored()
{
    MessageLayout layout(
        QStringLiteral("| المقياس | القيمة |\n|---|---|\n| زمن أول رمز | 310 ms |"));
    layout.layout(600, QApplication::font());
    QTextTable *table = firstTable(layout.block(0));
    QVERIFY(table);
    // The first column of the source is on the right: the last column of Qt's table.
    const QString right =
        table->cellAt(0, table->columns() - 1).firstCursorPosition().block().text();
    QCOMPARE(BlockDocument::stripIsolates(right), QStringLiteral("المقياس"));
    QCOMPARE(BlockDocument::stripIsolates(
                 table->cellAt(1, table->columns() - 1).firstCursorPosition().block().text()),
             QStringLiteral("زمن أول رمز"));
}

void TestMarkdownRendering::headingsOnAChatScale()
{
    const QFont font = QApplication::font();
    MessageLayout layout(QStringLiteral("# Big\n\n## Medium\n\n### Small\n\ntext"));
    layout.layout(600, font);
    QCOMPARE(layout.blockCount(), 4);
    const double base = font.pointSizeF();
    const double expected[] = {1.3, 1.2, 1.1};
    for (int i = 0; i < 3; ++i) {
        const QTextBlock block = layout.block(i)->begin();
        const QTextCharFormat format = block.begin().fragment().charFormat();
        QCOMPARE(block.blockFormat().headingLevel(), i + 1);
        QCOMPARE(format.property(QTextFormat::FontSizeAdjustment).toInt(), 0);
        QVERIFY2(qAbs(format.fontPointSize() - base * expected[i]) < 0.01,
                 qPrintable(QString::number(format.fontPointSize())));
        QVERIFY(format.font().bold());
    }
}

void TestMarkdownRendering::streamingShowsNoRawMarkdown_data()
{
    QTest::addColumn<QString>("answer");
    QTest::newRow("table with a lone backtick")
        << QStringLiteral("Here is the **comparison** you asked for, with `code`:\n\n"
                          "| Option | Meaning | Example |\n"
                          "|--------|:-------:|--------:|\n"
                          "| `-v` | verbose | `ls -v` |\n"
                          "| a lone ` backtick | **bold** cell | [docs](https://example.com/d) |\n"
                          "| ~~old~~ | _new_ | 42 |\n\n"
                          "After the table, a list:\n\n- first **item**\n- second `item`\n\n"
                          "## Done\n\nThat is *all*.\n");
    QTest::newRow("arabic table") << QStringLiteral(
        "إليك **المقارنة**:\n\n| الخيار | المعنى |\n|---|---|\n| `-v` | تفصيلي |\n"
        "| علامة ` وحيدة | **عريض** |\n\nانتهى.\n");
    QTest::newRow("code and quote") << QStringLiteral(
        "Run:\n```bash\necho \"**not bold**\" | tr a b\n```\n> quoted **text**\n\n"
        "1. one\n2. two\n\n---\n\nbye\n");
}

void TestMarkdownRendering::streamingShowsNoRawMarkdown()
{
    // At every prefix of the answer, fed one character at a time, the laid-out text shows no
    // more of any Markdown syntax character than the finished answer shows: a pipe, a backtick,
    // an asterisk... that is on screen while streaming but not at the end is raw syntax.
    QFETCH(QString, answer);
    const QFont font = QApplication::font();
    MessageLayout finished(answer);
    finished.layout(600, font);
    const QString finalText = visibleText(finished);
    const QString syntax = QStringLiteral("|`*_~[]()#>");
    QMap<QChar, int> allowed;
    for (QChar c : syntax)
        allowed[c] = int(finalText.count(c));

    MessageLayout streaming(QString(), true);
    streaming.layout(600, font);
    for (qsizetype i = 0; i < answer.size(); ++i) {
        streaming.appendText(QStringView(answer).sliced(i, 1));
        streaming.layout(600, font);
        const QString shown = visibleText(streaming);
        for (QChar c : syntax) {
            if (shown.count(c) > allowed[c])
                QFAIL(qPrintable(QStringLiteral("after %1 characters the stream shows '%2' %3 "
                                                "times, the finished answer %4: \"%5\"")
                                     .arg(i + 1)
                                     .arg(c)
                                     .arg(shown.count(c))
                                     .arg(allowed[c])
                                     .arg(shown.right(80))));
        }
    }
    streaming.finish();
    streaming.layout(600, font);
    QCOMPARE(visibleText(streaming), finalText);
}

void TestMarkdownRendering::openFenceIsCodeAtOnceAndGrowsByAppending()
{
    const QFont font = QApplication::font();
    MessageLayout layout(QStringLiteral("Intro.\n\n```python\n"), true);
    layout.layout(600, font);
    const int block = firstCodeBlock(layout);
    QVERIFY(block >= 0); // an open fence is a code block at once
    const int parses = layout.parseCount();
    QString code;
    for (int i = 0; i < 300; ++i) {
        const QString line = QStringLiteral("value_%1 = compute(%1)  # step\n").arg(i);
        for (QChar c : line) {
            layout.appendText(QString(c));
            layout.layout(600, font);
        }
        code += line;
    }
    // Appended, never parsed again: the cost of a delta does not grow with the block.
    QCOMPARE(layout.parseCount(), parses);
    QCOMPARE(layout.codeBlock(block)->code(), code);
    QVERIFY(!layout.codeBlock(block)->isHighlighted());
    // The closing fence never shows as code, and completes the block: highlighted once.
    for (QChar c : QStringLiteral("```")) {
        layout.appendText(QString(c));
        layout.layout(600, font);
        QVERIFY(!layout.block(block)->toPlainText().contains(QLatin1Char('`')));
    }
    layout.appendText(QStringLiteral("\n"));
    layout.layout(600, font);
    QVERIFY(layout.codeBlock(block)->isHighlighted());
    code.chop(1);
    QCOMPARE(layout.codeBlock(block)->code(), code);
}

void TestMarkdownRendering::fenceAfterAParagraphIsItsOwnBlock()
{
    MarkdownBlockSplitter splitter;
    splitter.append(
        QStringLiteral("Run this:\n```sh\nls\n```\nand then\n- item\n  ```\n  nested\n  ```\n"));
    splitter.finish();
    QCOMPARE(splitter.blocks(),
             (QStringList{QStringLiteral("Run this:"), QStringLiteral("```sh\nls\n```"),
                          QStringLiteral("and then\n- item\n  ```\n  nested\n  ```")}));
}

void TestMarkdownRendering::arabicAnswerWithCodeBlock()
{
    m_view->appendMessage(ChatView::Role::Assistant,
                          QStringLiteral("هذا مثال على الأمر:\n\n```bash\necho \"مرحبا\"  # تعليق "
                                         "بالعربية\nls -la /var/log\n```\n\n"
                                         "- العنصر الأول\n- العنصر الثاني\n\nهذا كل شيء."));
    QTRY_VERIFY(m_view->messageLayout(0).hasDocuments());
    const MessageLayout &layout = m_view->messageLayout(0);
    const int code = firstCodeBlock(layout);
    QVERIFY(code > 0);
    for (QTextBlock b = layout.block(code)->begin(); b.isValid(); b = b.next())
        QCOMPARE(b.textDirection(), Qt::LeftToRight);
    const QTextBlock first = layout.block(code)->begin();
    QVERIFY(first.layout()->lineAt(0).naturalTextRect().left() < 1); // starts at the left
    QCOMPARE(layout.block(0)->begin().textDirection(), Qt::RightToLeft);
    // The list reads right to left: its text ends at the right, its markers sit right of it.
    const BlockDocument *list = layout.block(code + 1);
    const QTextBlock item = list->begin();
    QVERIFY(item.textList());
    QCOMPARE(item.textDirection(), Qt::RightToLeft);
    const QTextLine line = item.layout()->lineAt(0);
    const qreal right = item.layout()->position().x() + line.naturalTextRect().right();
    QVERIFY2(right > list->textWidth() * 0.8, "an Arabic item is right-aligned");
    QVERIFY(item.layout()->position().x() + line.naturalTextRect().left() > list->textWidth() / 2);
    QCOMPARE(layout.block(code + 2)->begin().textDirection(), Qt::RightToLeft);
}

QTEST_MAIN(TestMarkdownRendering)
#include "tst_markdownrendering.moc"
