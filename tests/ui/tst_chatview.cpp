// ChatView under the offscreen platform: direction and alignment of what is actually laid out,
// Markdown safety, incremental streaming, lazy layout of long conversations, following the
// bottom, selection and links.
#include "ChatViewTestSupport.h"
#include "NetworkIdle.h"
#include "ui/ChatView.h"
#include "ui/InlineEditor.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolButton>

using namespace qalam;
using qalam::test::pointOfText;

namespace {

struct LaidOutLine
{
    Qt::LayoutDirection direction;
    qreal left; // of the first line's text, in block-document coordinates
    qreal right;
    qreal width; // of the document
};

// Finds the paragraph containing `needle` among the message's blocks and reports how its first
// line was laid out.
std::optional<LaidOutLine> lineOf(const MessageLayout &layout, const QString &needle)
{
    for (int i = 0; i < layout.blockCount(); ++i) {
        const BlockDocument *document = layout.block(i);
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            if (!BlockDocument::stripIsolates(block.text()).contains(needle))
                continue;
            const QTextLayout *textLayout = block.layout();
            if (textLayout->lineCount() == 0)
                return std::nullopt;
            const QRectF rect =
                textLayout->lineAt(0).naturalTextRect().translated(textLayout->position());
            return LaidOutLine{block.textDirection(), rect.left(), rect.right(),
                               document->textWidth()};
        }
    }
    return std::nullopt;
}

} // namespace

class TestChatView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void eachParagraphTakesItsOwnDirection();
    void codeBlocksStayLeftToRightInArabic();
    void urlsArePlainLeftToRightRunsAndCopyWithoutMarks();
    void rawHtmlIsShownAsText();
    void remoteImagesAreNeverLoaded();
    void streamingDoesNotReparseFinishedBlocks();
    void streamedAndWholeRenderTheSame();
    void longConversationLaysOutOnlyWhatIsVisible();
    void followsTheBottomOnlyWhenAtTheBottom();
    void selectAllCopiesSources();
    void safeLinksOnly();
    void userTextIsNotMarkdown();
    void continuedAnswerJoinsItsLastBlock();
    void versionSwitchIsClickableInBothDirections_data();
    void versionSwitchIsClickableInBothDirections();
    void failedAnswerWithoutTextShowsItsCard();
    void cardButtonsAct();
    void readingColumnIsLimited();
    void questionBubbleSitsOnItsWritersSide_data();
    void questionBubbleSitsOnItsWritersSide();
    void hoverActionBarCopies();
    void keyboardMovesAndActsOnTheCurrentMessage();
    void editInPlaceSendsTheEditedQuestion();
    void jumpToLatestWhileScrolledUp();
    void waitingDotsMoveOnlyWhileVisibleAndAllowed();
    void paletteChangeRepaintsInTheNewColours();

private:
    std::unique_ptr<ChatView> m_view;
};

void TestChatView::init()
{
    m_view = std::make_unique<ChatView>();
    m_view->resize(640, 480);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestChatView::cleanup()
{
    m_view.reset();
}

void TestChatView::eachParagraphTakesItsOwnDirection()
{
    const int index = m_view->appendMessage(
        ChatView::Role::Assistant,
        QStringLiteral("مرحبا بك في قلم. هذا النص عربي بالكامل.\n\n"
                       "This paragraph is English, inside an Arabic answer.\n\n"
                       "يدعم قلم 2 من البروتوكولات: OpenAI و admin stream.\n\n"
                       "- بند أول في القائمة\n- English item"));
    QTRY_VERIFY(m_view->messageLayout(index).hasDocuments());
    const MessageLayout &layout = m_view->messageLayout(index);

    const auto arabic = lineOf(layout, QStringLiteral("مرحبا بك"));
    QVERIFY(arabic);
    QCOMPARE(arabic->direction, Qt::RightToLeft);
    // Right-aligned: the line ends at the right edge and starts well inside it, so the full stop
    // (logically last) is at the left end.
    QVERIFY2(qAbs(arabic->right - arabic->width) < 2, qPrintable(QString::number(arabic->right)));
    QVERIFY(arabic->left > 20);

    const auto english = lineOf(layout, QStringLiteral("This paragraph"));
    QVERIFY(english);
    QCOMPARE(english->direction, Qt::LeftToRight);
    QVERIFY(english->left < 2);
    QVERIFY(english->right < english->width - 20);

    const auto mixed = lineOf(layout, QStringLiteral("يدعم قلم"));
    QVERIFY(mixed);
    QCOMPARE(mixed->direction, Qt::RightToLeft); // the first strong character is Arabic
    QVERIFY(qAbs(mixed->right - mixed->width) < 2);

    const auto arabicItem = lineOf(layout, QStringLiteral("بند أول"));
    QVERIFY(arabicItem);
    QCOMPARE(arabicItem->direction, Qt::RightToLeft);
    const auto englishItem = lineOf(layout, QStringLiteral("English item"));
    QVERIFY(englishItem);
    QCOMPARE(englishItem->direction, Qt::LeftToRight);
    QVERIFY(arabicItem->right > englishItem->right);
}

void TestChatView::codeBlocksStayLeftToRightInArabic()
{
    const int index = m_view->appendMessage(
        ChatView::Role::Assistant,
        QStringLiteral("هذا مثال:\n\n```python\n# تعليق عربي\nprint('مرحبا')\n```"));
    QTRY_VERIFY(m_view->messageLayout(index).hasDocuments());
    const auto comment = lineOf(m_view->messageLayout(index), QStringLiteral("# تعليق"));
    QVERIFY(comment);
    QCOMPARE(comment->direction, Qt::LeftToRight);
    QVERIFY(comment->left < 2);
    const auto intro = lineOf(m_view->messageLayout(index), QStringLiteral("هذا مثال"));
    QVERIFY(intro);
    QCOMPARE(intro->direction, Qt::RightToLeft);
}

void TestChatView::urlsArePlainLeftToRightRunsAndCopyWithoutMarks()
{
    const QString text =
        QStringLiteral("افتح https://example.com/docs/v1 ثم الملف /etc/qalam/config.ini الآن");
    const int index = m_view->appendMessage(ChatView::Role::Assistant, text);
    QTRY_VERIFY(m_view->messageLayout(index).hasDocuments());
    const BlockDocument *document = m_view->messageLayout(index).block(0);
    const QString shown = document->begin().text();
    // Each run is wrapped in a left-to-right isolate, so bidi cannot reorder its slashes.
    QVERIFY(shown.contains(QChar(0x2066) + QStringLiteral("https://example.com/docs/v1") +
                           QChar(0x2069)));
    QVERIFY(
        shown.contains(QChar(0x2066) + QStringLiteral("/etc/qalam/config.ini") + QChar(0x2069)));
    QCOMPARE(document->plainText(0, document->characterCount() - 1), text);
}

void TestChatView::rawHtmlIsShownAsText()
{
    const int index = m_view->appendMessage(
        ChatView::Role::Assistant,
        QStringLiteral(
            "<b>bold</b> and <script>alert(1)</script>\n\n<div style=\"color:red\">x</div>"));
    QTRY_VERIFY(m_view->messageLayout(index).hasDocuments());
    const MessageLayout &layout = m_view->messageLayout(index);
    QString all;
    for (int i = 0; i < layout.blockCount(); ++i)
        all += layout.block(i)->toPlainText();
    QVERIFY2(all.contains(QLatin1String("<b>bold</b>")), qPrintable(all));
    QVERIFY(all.contains(QLatin1String("<script>alert(1)</script>")));
    QVERIFY(all.contains(QLatin1String("<div style=\"color:red\">x</div>")));
}

void TestChatView::remoteImagesAreNeverLoaded()
{
    const int index = m_view->appendMessage(
        ChatView::Role::Assistant,
        QStringLiteral(
            "![tracker](http://127.0.0.1:9/pixel.png) and ![local](file:///etc/passwd)"));
    QTRY_VERIFY(m_view->messageLayout(index).hasDocuments());
    auto *document = const_cast<BlockDocument *>(m_view->messageLayout(index).block(0));
    QVERIFY(document
                ->resource(QTextDocument::ImageResource,
                           QUrl(QStringLiteral("http://127.0.0.1:9/pixel.png")))
                .isNull());
    QVERIFY(
        document->resource(QTextDocument::ImageResource, QUrl(QStringLiteral("file:///etc/passwd")))
            .isNull());
    m_view->viewport()->repaint(); // painting must not load them either
    QVERIFY(
        document->resource(QTextDocument::ImageResource, QUrl(QStringLiteral("file:///etc/passwd")))
            .isNull());
}

void TestChatView::streamingDoesNotReparseFinishedBlocks()
{
    const int index = m_view->appendMessage(ChatView::Role::Assistant, QString(), true);
    m_view->appendText(index, QStringLiteral("# Title\n\nFirst paragraph.\n\n"));
    m_view->appendText(index, QStringLiteral("Second "));
    QTRY_VERIFY(m_view->messageLayout(index).blockCount() >= 2);
    const MessageLayout &layout = m_view->messageLayout(index);
    const BlockDocument *title = layout.block(0);
    const int titleRevision = title->revision();

    // Two hundred more deltas: the finished title block is never touched again, and parsing
    // work grows with the deltas (one tail re-parse each plus one per finished block), not with
    // the answer's length squared.
    for (int i = 0; i < 200; ++i)
        m_view->appendText(index,
                           i % 20 == 19 ? QStringLiteral("end.\n\n") : QStringLiteral("word "));
    QCOMPARE(layout.block(0), title);
    QCOMPARE(title->revision(), titleRevision);
    QVERIFY2(layout.parseCount() <= 2 + 200 + 2 * (200 / 20 + 2),
             qPrintable(QString::number(layout.parseCount())));
    QVERIFY(layout.blockCount() >= 11);
}

void TestChatView::streamedAndWholeRenderTheSame()
{
    const QString answer =
        QStringLiteral("## عنوان\n\nفقرة أولى مع **تأكيد**.\n\n```cpp\nint main() {}\n```\n\n"
                       "| a | b |\n|---|---|\n| 1 | 2 |\n\nEnd 👩‍💻.");
    const int whole = m_view->appendMessage(ChatView::Role::Assistant, answer);
    const int streamed = m_view->appendMessage(ChatView::Role::Assistant, QString(), true);
    for (qsizetype i = 0; i < answer.size(); i += 3)
        m_view->appendText(streamed, QStringView(answer).mid(i, 3));
    m_view->finishMessage(streamed);
    m_view->scrollToBottom();
    QTRY_VERIFY(m_view->messageLayout(streamed).hasDocuments());
    m_view->verticalScrollBar()->setValue(0);
    QTRY_VERIFY(m_view->messageLayout(whole).hasDocuments());
    const auto renderAll = [](const MessageLayout &layout) {
        QStringList blocks;
        for (int i = 0; i < layout.blockCount(); ++i)
            blocks.append(layout.block(i)->toMarkdown());
        return blocks;
    };
    QCOMPARE(renderAll(m_view->messageLayout(streamed)), renderAll(m_view->messageLayout(whole)));
}

void TestChatView::longConversationLaysOutOnlyWhatIsVisible()
{
    const QString paragraph =
        QStringLiteral("Paragraph with some words, and **bold** text. فقرة عربية أيضا.\n\n");
    for (int i = 0; i < 1000; ++i)
        m_view->appendMessage(i % 2 ? ChatView::Role::Assistant : ChatView::Role::User,
                              paragraph.repeated(1 + i % 5));
    m_view->scrollToBottom();
    QTRY_VERIFY(m_view->messageLayout(999).hasDocuments());
    QVERIFY2(m_view->documentCount() < 60, qPrintable(QString::number(m_view->documentCount())));
    QVERIFY(!m_view->messageLayout(0).hasDocuments());
    QVERIFY(m_view->isAtBottom());

    m_view->verticalScrollBar()->setValue(0);
    QTRY_VERIFY(m_view->messageLayout(0).hasDocuments());
    QVERIFY(!m_view->messageLayout(999).hasDocuments()); // far away again: documents given back
    QVERIFY(m_view->documentCount() < 60);
    QCOMPARE(m_view->messageContentRect(0).top() > 0, true);
}

void TestChatView::followsTheBottomOnlyWhenAtTheBottom()
{
    for (int i = 0; i < 30; ++i)
        m_view->appendMessage(ChatView::Role::Assistant,
                              QStringLiteral("Line one.\n\nLine two.\n\nLine three."));
    const int index = m_view->appendMessage(ChatView::Role::Assistant, QString(), true);
    m_view->scrollToBottom();
    for (int i = 0; i < 20; ++i)
        m_view->appendText(index, QStringLiteral("More streamed text.\n\n"));
    QVERIFY(m_view->isAtBottom());

    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum() / 2);
    const int reading = m_view->verticalScrollBar()->value();
    for (int i = 0; i < 20; ++i)
        m_view->appendText(index, QStringLiteral("Even more text.\n\n"));
    QCOMPARE(m_view->verticalScrollBar()->value(), reading);
    QVERIFY(!m_view->isAtBottom());
}

void TestChatView::selectAllCopiesSources()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("ما هو **قلم**؟"));
    m_view->appendMessage(ChatView::Role::Assistant, QStringLiteral("قلم هو *عميل* دردشة."));
    QTRY_VERIFY(m_view->messageLayout(1).hasDocuments());
    m_view->setFocus();
    QTest::keyClick(m_view.get(), Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(m_view->selectedText(), QStringLiteral("ما هو **قلم**؟\n\nقلم هو *عميل* دردشة."));
    QTest::keyClick(m_view.get(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), m_view->selectedText());
}

void TestChatView::safeLinksOnly()
{
    const int index = m_view->appendMessage(
        ChatView::Role::Assistant,
        QStringLiteral("[docs](https://example.com/docs) and [evil](javascript:alert(1)) here"));
    QTRY_VERIFY(m_view->messageLayout(index).hasDocuments());
    QSignalSpy spy(m_view.get(), &ChatView::linkActivated);

    const QPoint evil = pointOfText(*m_view, index, QStringLiteral("evil"));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, evil);
    QCOMPARE(spy.count(), 0);

    const QPoint docs = pointOfText(*m_view, index, QStringLiteral("docs"));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, docs);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toUrl(), QUrl(QStringLiteral("https://example.com/docs")));
}

void TestChatView::userTextIsNotMarkdown()
{
    const int index = m_view->appendMessage(ChatView::Role::User,
                                            QStringLiteral("# not a heading *not emphasis*"));
    QTRY_VERIFY(m_view->messageLayout(index).hasDocuments());
    QCOMPARE(m_view->messageLayout(index).block(0)->toPlainText(),
             QStringLiteral("# not a heading *not emphasis*"));
}

// Continue in place: a finished answer cut in mid-word, reopened and continued, is laid out
// exactly like the whole answer streamed at once: no paragraph break where it was cut.
void TestChatView::continuedAnswerJoinsItsLastBlock()
{
    const QString whole = QStringLiteral("First paragraph.\n\nSecond paragraph, cut in the mid"
                                         "dle of a word, then continued.");
    const qsizetype cut = whole.indexOf(QLatin1String("dle of"));
    const int continued = m_view->appendMessage(ChatView::Role::Assistant, QString(), true);
    m_view->appendText(continued, QStringView(whole).first(cut));
    m_view->finishMessage(continued);
    QVERIFY(!m_view->isStreaming(continued));
    m_view->reopenMessage(continued);
    QVERIFY(m_view->isStreaming(continued));
    m_view->appendText(continued, QStringView(whole).sliced(cut));
    m_view->finishMessage(continued);
    const int reference = m_view->appendMessage(ChatView::Role::Assistant, whole);
    QTRY_VERIFY(m_view->messageLayout(continued).hasDocuments() &&
                m_view->messageLayout(reference).hasDocuments());
    const MessageLayout &a = m_view->messageLayout(continued);
    const MessageLayout &b = m_view->messageLayout(reference);
    QCOMPARE(a.source(), whole);
    QCOMPARE(a.blockCount(), b.blockCount());
    QCOMPARE(a.blockCount(), 2);
    for (int i = 0; i < a.blockCount(); ++i)
        QCOMPARE(a.block(i)->toPlainText(), b.block(i)->toPlainText());
}

void TestChatView::versionSwitchIsClickableInBothDirections_data()
{
    QTest::addColumn<Qt::LayoutDirection>("direction");
    QTest::newRow("left to right") << Qt::LeftToRight;
    QTest::newRow("right to left") << Qt::RightToLeft;
}

void TestChatView::versionSwitchIsClickableInBothDirections()
{
    QFETCH(Qt::LayoutDirection, direction);
    m_view->setLayoutDirection(direction);
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Question"));
    const int answer =
        m_view->appendMessage(ChatView::Role::Assistant, QStringLiteral("Answer two"));
    QVERIFY(m_view->versionButtonRect(answer, -1).isEmpty()); // one version: no switch
    m_view->setVersion(answer, 2, 3);
    m_view->setFooter(answer, QStringLiteral("first token 12 ms"));
    QTRY_VERIFY(m_view->messageLayout(answer).hasDocuments());
    const QRect previous = m_view->versionButtonRect(answer, -1);
    const QRect next = m_view->versionButtonRect(answer, 1);
    QVERIFY(!previous.isEmpty() && !next.isEmpty());
    QVERIFY(m_view->viewport()->rect().contains(previous));
    // "Previous" is on the leading side: left in English, right in Arabic.
    QCOMPARE(previous.center().x() < next.center().x(), direction == Qt::LeftToRight);

    QSignalSpy requested(m_view.get(), &ChatView::versionRequested);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, previous.center());
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, next.center());
    m_view->setFocus();
    QTest::keyClick(m_view.get(), direction == Qt::LeftToRight ? Qt::Key_Left : Qt::Key_Right,
                    Qt::AltModifier);
    QCOMPARE(requested.size(), 3);
    QCOMPARE(requested.at(0), (QList<QVariant>{answer, -1}));
    QCOMPARE(requested.at(1), (QList<QVariant>{answer, 1}));
    QCOMPARE(requested.at(2), (QList<QVariant>{answer, -1}));
}

namespace {

// Whether any pixel of `rect` (viewport coordinates) differs from the palette's base.
bool inked(ChatView &view, const QRect &rect)
{
    QImage image(view.viewport()->size(), QImage::Format_ARGB32);
    image.fill(Qt::white);
    view.viewport()->render(&image);
    const QColor base = view.palette().color(QPalette::Base);
    const QRect area = rect.intersected(image.rect());
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x) {
            if (image.pixelColor(x, y) != base)
                return true;
        }
    }
    return false;
}

ChatView::Card errorCard()
{
    ChatView::Card card;
    card.title = QStringLiteral("Could not connect to http://127.0.0.1:9/ — connection refused");
    card.detail = QStringLiteral("Connection refused");
    card.openProfile = true;
    return card;
}

} // namespace

// A failed answer often has no text at all: its card (what failed and why) must be there.
void TestChatView::failedAnswerWithoutTextShowsItsCard()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Question"));
    const int failed = m_view->appendMessage(ChatView::Role::Assistant, QString());
    QVERIFY(m_view->cardRect(failed).isEmpty());
    m_view->setCard(failed, errorCard());
    const QRect card = m_view->cardRect(failed);
    QVERIFY(!card.isEmpty());
    QVERIFY(m_view->viewport()->rect().intersects(card));
    QVERIFY2(inked(*m_view, card), "the card of an answer without text was not painted");
    QCOMPARE(m_view->card(failed).title, errorCard().title);
}

void TestChatView::cardButtonsAct()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Question"));
    const int failed = m_view->appendMessage(ChatView::Role::Assistant, QString());
    m_view->setCard(failed, errorCard());
    // What applies comes from the session: no Retry while it may not regenerate.
    QVERIFY(m_view->actionButtonRect(failed, ChatView::Action::Retry).isEmpty());
    m_view->setActions(0, {false, false, true});
    m_view->setActions(failed, {true, false, false});
    const QRect retry = m_view->actionButtonRect(failed, ChatView::Action::Retry);
    const QRect edit = m_view->actionButtonRect(failed, ChatView::Action::EditQuestion);
    const QRect profile = m_view->actionButtonRect(failed, ChatView::Action::OpenProfile);
    QVERIFY(!retry.isEmpty() && !edit.isEmpty() && !profile.isEmpty());
    QVERIFY(m_view->cardRect(failed).contains(retry));

    QSignalSpy regenerate(m_view.get(), &ChatView::regenerateRequested);
    QSignalSpy openProfile(m_view.get(), &ChatView::openProfileRequested);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, retry.center());
    QCOMPARE(regenerate.size(), 1);
    QCOMPARE(regenerate.at(0).at(0).toInt(), failed);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, profile.center());
    QCOMPARE(openProfile.size(), 1);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, edit.center());
    QCOMPARE(m_view->editedMessage(), 0); // the question it answers, in place
}

void TestChatView::readingColumnIsLimited()
{
    m_view->resize(1500, 600);
    const QString paragraph = QStringLiteral("A long paragraph of words that wraps. ").repeated(30);
    const int index = m_view->appendMessage(ChatView::Role::Assistant, paragraph);
    QTRY_VERIFY(m_view->messageLayout(index).hasDocuments());
    const int average = QFontMetrics(m_view->font()).averageCharWidth();
    QCOMPARE(m_view->readingWidth(), 75);
    const QRect column = m_view->columnRect();
    QCOMPARE(column.width(), 75 * average);
    QVERIFY(column.width() < m_view->viewport()->width() - 400);
    // Centred, and the text stays inside it.
    QVERIFY(qAbs(column.center().x() - m_view->viewport()->rect().center().x()) <= 1);
    QVERIFY(column.contains(m_view->messageContentRect(index).adjusted(0, 0, 0, 0).topLeft()));
    QVERIFY(m_view->messageContentRect(index).width() <= column.width());

    m_view->setReadingWidth(0); // the whole width
    QTRY_VERIFY(m_view->messageLayout(index).hasDocuments());
    QVERIFY(m_view->columnRect().width() > m_view->viewport()->width() - 64);
    QVERIFY(m_view->messageContentRect(index).width() > 75 * average);
}

void TestChatView::questionBubbleSitsOnItsWritersSide_data()
{
    QTest::addColumn<Qt::LayoutDirection>("direction");
    QTest::newRow("English UI") << Qt::LeftToRight;
    QTest::newRow("Arabic UI") << Qt::RightToLeft;
}

void TestChatView::questionBubbleSitsOnItsWritersSide()
{
    QFETCH(Qt::LayoutDirection, direction);
    m_view->setLayoutDirection(direction);
    const int english =
        m_view->appendMessage(ChatView::Role::User, QStringLiteral("What is Qalam?"));
    const int arabic = m_view->appendMessage(ChatView::Role::User, QStringLiteral("ما هو قلم؟"));
    QTRY_VERIFY(m_view->messageLayout(english).hasDocuments() &&
                m_view->messageLayout(arabic).hasDocuments());
    const QRect column = m_view->columnRect();
    const QRect left = m_view->bubbleRect(english);
    const QRect right = m_view->bubbleRect(arabic);
    // Whatever the interface's direction: an English question starts at the left, an Arabic one
    // at the right, each a bubble only as wide as its short text.
    QCOMPARE(left.left(), column.left());
    QVERIFY(left.right() < column.center().x());
    QCOMPARE(right.right(), column.right());
    QVERIFY(right.left() > column.center().x());
    QVERIFY(m_view->bubbleRect(english).contains(m_view->messageContentRect(english)));
    // The bubble is painted (a fill from the palette), the space beside it is not.
    QVERIFY(inked(*m_view, QRect(left.left() + 2, left.top() + 2, 4, 4)));
    QVERIFY(!inked(*m_view, QRect(right.left() - 30, right.top() + 2, 4, 4)) ||
            right.left() - 30 < left.right());
}

void TestChatView::hoverActionBarCopies()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Question"));
    const int answer =
        m_view->appendMessage(ChatView::Role::Assistant, QStringLiteral("Some **bold** text."));
    const int later = m_view->appendMessage(ChatView::Role::User, QStringLiteral("And then?"));
    QTRY_VERIFY(m_view->messageLayout(answer).hasDocuments());
    // Not hovered, not current, not the last answer: no action bar.
    QVERIFY(m_view->actionButtonRect(answer, ChatView::Action::Copy).isEmpty());
    QTest::mouseMove(m_view->viewport(), m_view->messageContentRect(answer).center());
    QTRY_VERIFY(!m_view->actionButtonRect(answer, ChatView::Action::Copy).isEmpty());
    QVERIFY(m_view->actionButtonRect(later, ChatView::Action::Copy).isEmpty());

    QGuiApplication::clipboard()->clear();
    const QRect copy = m_view->actionButtonRect(answer, ChatView::Action::Copy);
    QTest::mouseMove(m_view->viewport(), copy.center());
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, copy.center());
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("Some bold text."));
    const QRect markdown = m_view->actionButtonRect(answer, ChatView::Action::CopyMarkdown);
    QVERIFY(!markdown.isEmpty());
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, markdown.center());
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("Some **bold** text."));
}

void TestChatView::keyboardMovesAndActsOnTheCurrentMessage()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("First question"));
    m_view->appendMessage(ChatView::Role::Assistant, QStringLiteral("An *answer*."));
    m_view->setActions(0, {false, false, true});
    m_view->setActions(1, {true, false, false});
    m_view->setFocus();
    QTRY_VERIFY(m_view->hasFocus());
    QCOMPARE(m_view->currentMessage(), -1);
    QTest::keyClick(m_view.get(), Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(m_view->currentMessage(), 1);
    QTest::keyClick(m_view.get(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("An *answer*."));
    QTest::keyClick(m_view.get(), Qt::Key_C, Qt::ControlModifier); // no selection: the text
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("An answer."));
    QSignalSpy regenerate(m_view.get(), &ChatView::regenerateRequested);
    QTest::keyClick(m_view.get(), Qt::Key_R, Qt::ControlModifier);
    QCOMPARE(regenerate.size(), 1);

    // Tab reaches the current message's buttons; Enter presses the focused one.
    QTest::keyClick(m_view.get(), Qt::Key_Tab);
    QVERIFY(m_view->hasFocus());
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(m_view.get(), Qt::Key_Return); // Copy comes first
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("An answer."));

    QTest::keyClick(m_view.get(), Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(m_view->currentMessage(), 0);
    QTest::keyClick(m_view.get(), Qt::Key_F2);
    QCOMPARE(m_view->editedMessage(), 0);
}

void TestChatView::editInPlaceSendsTheEditedQuestion()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Old question"));
    m_view->appendMessage(ChatView::Role::Assistant, QStringLiteral("Old answer"));
    QVERIFY(!m_view->editMessage(0)); // not editable until the session says so
    m_view->setActions(0, {false, false, true});
    QTest::mouseMove(m_view->viewport(), m_view->bubbleRect(0).center());
    const QRect edit = m_view->actionButtonRect(0, ChatView::Action::Edit);
    QVERIFY(!edit.isEmpty());
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, edit.center());
    InlineEditor *editor = m_view->editor();
    QVERIFY(editor);
    QVERIFY(editor->isVisible());
    QCOMPARE(editor->text(), QStringLiteral("Old question"));
    // Where the bubble was, and the answer moved down to make room.
    QVERIFY(editor->geometry().contains(m_view->bubbleRect(0).topLeft() + QPoint(1, 1)));
    QVERIFY(m_view->messageContentRect(1).top() > editor->geometry().bottom());

    // Esc cancels (even though the window would take Esc for "stop").
    QSignalSpy submitted(m_view.get(), &ChatView::editSubmitted);
    QTest::keyClick(editor->textEdit(), Qt::Key_Escape);
    QVERIFY(!m_view->editor());
    QCOMPARE(submitted.size(), 0);

    QVERIFY(m_view->editMessage(0));
    editor = m_view->editor();
    editor->textEdit()->selectAll();
    editor->textEdit()->insertPlainText(QStringLiteral("ما هو قلم؟")); // keyClicks is ASCII only
    QTest::keyClick(editor->textEdit(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(submitted.size(), 1);
    QCOMPARE(submitted.at(0).at(0).toInt(), 0);
    QCOMPARE(submitted.at(0).at(1).toString(), QStringLiteral("ما هو قلم؟"));
    QVERIFY(!m_view->editor());
}

void TestChatView::jumpToLatestWhileScrolledUp()
{
    for (int i = 0; i < 30; ++i)
        m_view->appendMessage(ChatView::Role::Assistant,
                              QStringLiteral("Line one.\n\nLine two.\n\nLine three."));
    const int index = m_view->appendMessage(ChatView::Role::Assistant, QString(), true);
    m_view->appendText(index, QStringLiteral("Streaming text.\n\n"));
    QVERIFY(m_view->isAtBottom());
    QVERIFY(!m_view->jumpToLatestButton()->isVisible()); // at the bottom: nothing to jump to

    m_view->verticalScrollBar()->setValue(0);
    m_view->appendText(index, QStringLiteral("More streamed text.\n\n"));
    QTRY_VERIFY(m_view->jumpToLatestButton()->isVisible());
    QVERIFY(m_view->viewport()->geometry().contains(m_view->jumpToLatestButton()->geometry()));
    m_view->finishMessage(index);
    QVERIFY(m_view->jumpToLatestButton()->isVisible()); // new text is still below

    QTest::mouseClick(m_view->jumpToLatestButton(), Qt::LeftButton);
    QVERIFY(m_view->isAtBottom());
    QVERIFY(!m_view->jumpToLatestButton()->isVisible());

    m_view->verticalScrollBar()->setValue(0); // scrolled up, nothing new: no button
    QVERIFY(!m_view->jumpToLatestButton()->isVisible());
    m_view->appendText(index, QStringLiteral("x")); // (finished rows ignore nothing here)
    m_view->setFocus();
    QTest::keyClick(m_view.get(), Qt::Key_End);
    QVERIFY(m_view->isAtBottom());
}

void TestChatView::waitingDotsMoveOnlyWhileVisibleAndAllowed()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Question"));
    const int answer = m_view->appendMessage(ChatView::Role::Assistant, QString(), true);
    QCOMPARE(test::activeTimers(*m_view), 0);
    m_view->setLiveStatus(answer, {QStringLiteral("Connecting…"), true});
    QTRY_COMPARE(test::activeTimers(*m_view), 1);
    QVERIFY(inked(*m_view, QRect(m_view->columnRect().left(),
                                 m_view->messageContentRect(answer).top(), 40, 20)));
    m_view->setReduceMotion(true); // static dots: no timer
    QCOMPARE(test::activeTimers(*m_view), 0);
    m_view->setReduceMotion(false);
    QCOMPARE(test::activeTimers(*m_view), 1);
    m_view->hide();
    QTRY_COMPARE(test::activeTimers(*m_view), 0);
    m_view->show();
    QTRY_COMPARE(test::activeTimers(*m_view), 1);
    m_view->setLiveStatus(answer, {});
    QCOMPARE(test::activeTimers(*m_view), 0);
}

void TestChatView::paletteChangeRepaintsInTheNewColours()
{
    const int question = m_view->appendMessage(ChatView::Role::User, QStringLiteral("Question"));
    QTRY_VERIFY(m_view->messageLayout(question).hasDocuments());
    const QRect bubble = m_view->bubbleRect(question);
    const QPoint inside = bubble.topLeft() + QPoint(bubble.width() / 2, 3);
    const auto pixel = [this](QPoint point) {
        QImage image(m_view->viewport()->size(), QImage::Format_ARGB32);
        m_view->viewport()->render(&image);
        return image.pixelColor(point);
    };
    const QColor before = pixel(inside);
    QPalette dark = m_view->palette();
    dark.setColor(QPalette::Base, QColor(20, 20, 24));
    dark.setColor(QPalette::Text, QColor(230, 230, 230));
    dark.setColor(QPalette::Highlight, QColor(80, 140, 255));
    m_view->setPalette(dark);
    const QColor after = pixel(inside);
    QVERIFY(before != after);
    QVERIFY2(after.lightness() < 80, qPrintable(after.name())); // a dark bubble on a dark base
}

QTEST_MAIN(TestChatView)
#include "tst_chatview.moc"
