// The chat transcript as assistive technologies see it (ChatViewAccessible, MessageAccessible),
// through QAccessible::queryAccessibleInterface on the offscreen platform, with every event the
// view sends recorded (where a platform bridge would pass it on). What a real screen reader
// receives over AT-SPI is checked by tests/desktop/atspi.
#include "ui/ChatView.h"
#include "ui/ChatViewAccessible.h"
#include "ui/MessageAccessible.h"

#include <QAccessible>
#include <QApplication>
#include <QImage>
#include <QTest>

#include <vector>

using namespace qalam;

namespace {

struct Recorded
{
    QAccessible::Event type = QAccessible::InvalidEvent;
    QAccessible::Id id = 0; // of the interface the event is about
    int position = -1;
    QString inserted;
    QString removed;
};

// The update handler is a plain function: what it records has to live at file scope.
std::vector<Recorded> &recorded()
{
    static std::vector<Recorded> events;
    return events;
}

void record(QAccessibleEvent *event)
{
    Recorded entry;
    entry.type = event->type();
    if (QAccessibleInterface *iface = event->accessibleInterface())
        entry.id = QAccessible::uniqueId(iface);
    if (event->type() == QAccessible::TextInserted) {
        const auto *insert = static_cast<QAccessibleTextInsertEvent *>(event);
        entry.position = insert->changePosition();
        entry.inserted = insert->textInserted();
    } else if (event->type() == QAccessible::TextRemoved) {
        const auto *remove = static_cast<QAccessibleTextRemoveEvent *>(event);
        entry.position = remove->changePosition();
        entry.removed = remove->textRemoved();
    } else if (event->type() == QAccessible::TextUpdated) {
        const auto *update = static_cast<QAccessibleTextUpdateEvent *>(event);
        entry.position = update->changePosition();
        entry.inserted = update->textInserted();
        entry.removed = update->textRemoved();
    }
    recorded().push_back(entry);
}

std::vector<Recorded> eventsFor(QAccessibleInterface *iface, QAccessible::Event type)
{
    std::vector<Recorded> out;
    const QAccessible::Id id = QAccessible::uniqueId(iface);
    for (const Recorded &event : recorded()) {
        if (event.id == id && event.type == type)
            out.push_back(event);
    }
    return out;
}

// A screen reader's copy of a text, kept up to date from the text events alone.
QString replayText(QAccessibleInterface *iface)
{
    QString text;
    const QAccessible::Id id = QAccessible::uniqueId(iface);
    for (const Recorded &event : recorded()) {
        if (event.id != id || event.position < 0)
            continue;
        if (!event.removed.isEmpty()) {
            if (text.mid(event.position, event.removed.size()) != event.removed)
                return QStringLiteral("<removed text that was not there>");
            text.remove(event.position, event.removed.size());
        }
        text.insert(event.position, event.inserted);
    }
    return text;
}

ChatView::Message stored(ChatView::Role role, const QString &text)
{
    ChatView::Message message;
    message.role = role;
    message.text = text;
    return message;
}

ChatView::Card errorCard(const QString &title)
{
    ChatView::Card card;
    card.severity = ChatView::Card::Severity::Error;
    card.title = title;
    card.detail = QStringLiteral("The server answered HTTP 500.");
    return card;
}

} // namespace

class TestChatAccessible : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void treeListsMessagesInOrder();
    void streamingAnswerGrowsSentenceBySentence();
    void failedAnswerIsNamedAndAnnounced();
    void keyboardMovesFocusMessageByMessage();
    void removedMessagesLeaveNoInterfaces();
    void messagesOutOfViewAreOffscreenChildren();
    void textInterfaceUsesTheViewsSelection();
    void focusRingIsDrawnOnTheMessagesSide_data();
    void focusRingIsDrawnOnTheMessagesSide();

private:
    QAccessibleInterface *list() const { return QAccessible::queryAccessibleInterface(m_view); }
    QAccessibleInterface *item(int index) const { return list()->child(index); }
    ChatView *m_view = nullptr;
};

void TestChatAccessible::initTestCase() {}

void TestChatAccessible::init()
{
    m_view = new ChatView;
    m_view->resize(640, 480);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
    // The offscreen platform has no accessibility bridge (and Qt 6.4 passes events to an update
    // handler only through an active one): the view's own observer stands for it.
    auto *accessible = dynamic_cast<ChatViewAccessible *>(list());
    QVERIFY(accessible);
    accessible->setObserver(&record);
    QCOMPARE(list()->childCount(), 0);
    recorded().clear();
}

void TestChatAccessible::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

void TestChatAccessible::treeListsMessagesInOrder()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("What is *Qalam*?"));
    m_view->appendMessage(ChatView::Role::Assistant,
                          QStringLiteral("Qalam is a **desktop** client.\n\nIt streams answers."));
    m_view->setAuthor(1, QStringLiteral("Demo · qalam-demo"));
    const int failed = m_view->appendMessage(ChatView::Role::Assistant, QString());
    m_view->setCard(failed, errorCard(QStringLiteral("The server refused the request")));

    QAccessibleInterface *view = list();
    QVERIFY(view);
    QVERIFY(dynamic_cast<ChatViewAccessible *>(view));
    QCOMPARE(view->role(), QAccessible::List);
    QCOMPARE(view->text(QAccessible::Name), QStringLiteral("Conversation"));
    QCOMPARE(view->childCount(), 3);

    const QStringList names{QStringLiteral("You"), QStringLiteral("Demo · qalam-demo"),
                            QStringLiteral("The server refused the request")};
    const QStringList texts{QStringLiteral("What is *Qalam*?"), // a question is not Markdown
                            QStringLiteral("Qalam is a desktop client.\n\nIt streams answers."),
                            QString()};
    for (int i = 0; i < 3; ++i) {
        QAccessibleInterface *child = view->child(i);
        QVERIFY(child);
        QVERIFY(child->isValid());
        QCOMPARE(child->role(), QAccessible::ListItem);
        QCOMPARE(child->text(QAccessible::Name), names[i]);
        QVERIFY(child->textInterface());
        QCOMPARE(child->textInterface()->text(0, child->textInterface()->characterCount()),
                 texts[i]);
        QCOMPARE(child->textInterface()->characterCount(), int(texts[i].size()));
        QCOMPARE(child->parent(), view);
        QCOMPARE(view->indexOfChild(child), i);
        QCOMPARE(view->child(i), child); // one object per message
        QVERIFY(child->state().focusable);
        QVERIFY(child->state().selectable);
        QVERIFY(!child->state().busy);
    }
    QVERIFY(item(2)->text(QAccessible::Description).contains(QStringLiteral("HTTP 500")));

    // Appending keeps the existing items (and their unique ids) and announces the new one.
    const QAccessible::Id first = QAccessible::uniqueId(item(0));
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Thanks"));
    QCOMPARE(view->childCount(), 4);
    QCOMPARE(QAccessible::uniqueId(item(0)), first);
    QCOMPARE(eventsFor(item(3), QAccessible::ObjectCreated).size(), size_t(1));
}

void TestChatAccessible::streamingAnswerGrowsSentenceBySentence()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Explain streaming"));
    const int answer = m_view->appendMessage(ChatView::Role::Assistant, QString(), true);
    QAccessibleInterface *child = item(answer);
    QVERIFY(child->state().busy);
    QVERIFY(child->text(QAccessible::Description).contains(QStringLiteral("Answering")));

    const QString source = QStringLiteral(
        "## How it works\nAn answer arrives as a stream of events. Each one carries an id! "
        "Can it resume? Yes, with Last-Event-ID.\n\n- one item\n- another item\n\nAnd then "
        "it ends");
    // Tokens of two to four characters, like a model's.
    std::vector<QString> deltas;
    for (qsizetype at = 0, step = 2; at < source.size(); at += step, step = 2 + (step + 1) % 3)
        deltas.push_back(source.mid(at, step));
    QVERIFY(deltas.size() > 40);

    int lastCount = 0;
    int grew = 0;
    for (const QString &delta : deltas) {
        m_view->appendText(answer, delta);
        const int count = child->textInterface()->characterCount();
        QVERIFY(count >= lastCount - 4); // the open tail may hold a marker back, never more
        if (count > lastCount)
            ++grew;
        lastCount = count;
    }
    QVERIFY2(grew > 20, "the accessible text grows while the answer streams");
    QVERIFY(child->state().busy);

    const auto spokenInserts = [&] {
        std::vector<Recorded> spoken;
        for (const Recorded &event : eventsFor(child, QAccessible::TextInserted)) {
            if (!event.inserted.trimmed().isEmpty())
                spoken.push_back(event);
        }
        return spoken;
    };
    const std::vector<Recorded> whileStreaming = spokenInserts();
    QVERIFY2(whileStreaming.size() >= 4, "sentences are announced while the answer streams");
    for (const Recorded &event : whileStreaming) {
        // Each ends a sentence or a line: never a piece of a word.
        const QString text = event.inserted;
        const QString trimmed = text.trimmed();
        QVERIFY2(text.endsWith(QLatin1Char('\n')) || QStringLiteral(".!?").contains(trimmed.back()),
                 qPrintable(text));
    }

    m_view->finishMessage(answer);
    const QString final = child->textInterface()->text(0, child->textInterface()->characterCount());
    QVERIFY(final.startsWith(QStringLiteral("How it works")));
    QVERIFY(final.endsWith(QStringLiteral("And then it ends")));
    // Far fewer announcements than tokens, and together exactly the text.
    const std::vector<Recorded> all = spokenInserts();
    QCOMPARE(all.back().inserted.trimmed(), QStringLiteral("And then it ends"));
    QVERIFY2(all.size() * 4 < deltas.size(), qPrintable(QString::number(all.size())));
    QCOMPARE(replayText(child), final);
    QVERIFY(eventsFor(child, QAccessible::TextUpdated).empty()); // nothing said twice

    // Completion is announced once the outcome is known (the card would come in this turn).
    QVERIFY(!child->state().busy);
    QTRY_VERIFY(
        child->text(QAccessible::Description).startsWith(QStringLiteral("Answer complete")));
    QCOMPARE(eventsFor(child, QAccessible::DescriptionChanged).size(), size_t(1));
    QCOMPARE(eventsFor(child, QAccessible::Alert).size(), size_t(1));
}

void TestChatAccessible::failedAnswerIsNamedAndAnnounced()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Hello"));
    const int answer = m_view->appendMessage(ChatView::Role::Assistant, QString(), true);
    QAccessibleInterface *child = item(answer);
    m_view->appendText(answer, QStringLiteral("Partial text that never"));
    // What the session does when the answer fails: finish it, then show why.
    m_view->finishMessage(answer);
    m_view->setCard(answer, errorCard(QStringLiteral("The server refused the request")));
    QCOMPARE(child->text(QAccessible::Name), QStringLiteral("The server refused the request"));
    QTRY_VERIFY(child->text(QAccessible::Description)
                    .startsWith(QStringLiteral("Answer failed: The server refused the request")));
    QVERIFY(child->text(QAccessible::Description).contains(QStringLiteral("HTTP 500")));
    QCOMPARE(replayText(child), QStringLiteral("Partial text that never"));
    QVERIFY(!eventsFor(child, QAccessible::NameChanged).empty());

    // Continued in place: the announcement goes, it streams again.
    m_view->reopenMessage(answer);
    m_view->setCard(answer, {});
    QVERIFY(child->state().busy);
    QVERIFY(!child->text(QAccessible::Description).contains(QStringLiteral("Answer failed")));
    QCOMPARE(child->text(QAccessible::Name), QStringLiteral("Assistant"));
}

void TestChatAccessible::keyboardMovesFocusMessageByMessage()
{
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("One"));
    m_view->appendMessage(ChatView::Role::Assistant, QStringLiteral("Two."));
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Three"));
    m_view->setFocus();
    QTRY_VERIFY(m_view->hasFocus());
    recorded().clear();

    const auto lastFocus = [] {
        for (auto it = recorded().rbegin(); it != recorded().rend(); ++it) {
            if (it->type == QAccessible::Focus)
                return it->id;
        }
        return QAccessible::Id(0);
    };
    QTest::keyClick(m_view, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(m_view->currentMessage(), 2);
    QCOMPARE(lastFocus(), QAccessible::uniqueId(item(2)));
    QTest::keyClick(m_view, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(m_view->currentMessage(), 1);
    QCOMPARE(lastFocus(), QAccessible::uniqueId(item(1)));
    QVERIFY(item(1)->state().focused);
    QVERIFY(!item(2)->state().focused);
    QCOMPARE(list()->focusChild(), item(1));
    QTest::keyClick(m_view, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(lastFocus(), QAccessible::uniqueId(item(0)));
    const size_t focusEvents = std::count_if(recorded().begin(), recorded().end(),
                                             [](auto &e) { return e.type == QAccessible::Focus; });
    QTest::keyClick(m_view, Qt::Key_Up, Qt::ControlModifier); // already the first: no event
    QCOMPARE(std::count_if(recorded().begin(), recorded().end(),
                           [](auto &e) { return e.type == QAccessible::Focus; }),
             qsizetype(focusEvents));
    QTest::keyClick(m_view, Qt::Key_Down, Qt::ControlModifier);
    QCOMPARE(lastFocus(), QAccessible::uniqueId(item(1)));

    // Focus leaving and coming back lands on the current message again.
    m_view->clearFocus();
    QTRY_VERIFY(!m_view->hasFocus());
    QVERIFY(!item(1)->state().focused);
    recorded().clear();
    m_view->setFocus(Qt::TabFocusReason);
    QTRY_COMPARE(lastFocus(), QAccessible::uniqueId(item(1)));
}

void TestChatAccessible::removedMessagesLeaveNoInterfaces()
{
    for (int i = 0; i < 4; ++i)
        m_view->appendMessage(i % 2 ? ChatView::Role::Assistant : ChatView::Role::User,
                              QStringLiteral("Message %1.").arg(i));
    std::vector<QAccessible::Id> ids;
    for (int i = 0; i < 4; ++i)
        ids.push_back(QAccessible::uniqueId(item(i)));
    recorded().clear();

    m_view->removeMessagesFrom(2);
    QCOMPARE(list()->childCount(), 2);
    QVERIFY(!QAccessible::accessibleInterface(ids[2]));
    QVERIFY(!QAccessible::accessibleInterface(ids[3]));
    for (const QAccessible::Id removed : {ids[2], ids[3]}) {
        QVERIFY(std::any_of(recorded().begin(), recorded().end(), [removed](auto &e) {
            return e.type == QAccessible::ObjectDestroyed && e.id == removed;
        }));
    }
    QCOMPARE(QAccessible::uniqueId(item(1)), ids[1]); // the others stay as they were
    QVERIFY(!list()->child(2));

    // A new message at a removed index is a new object.
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Again"));
    QVERIFY(QAccessible::uniqueId(item(2)) != ids[2]);
    QCOMPARE(item(2)->textInterface()->text(0, -1), QStringLiteral("Again"));

    // Another conversation: every old item goes.
    const QAccessible::Id again = QAccessible::uniqueId(item(2));
    m_view->setMessages({stored(ChatView::Role::User, QStringLiteral("Other"))});
    for (const QAccessible::Id gone : {ids[0], ids[1], again})
        QVERIFY(!QAccessible::accessibleInterface(gone));
    QCOMPARE(list()->childCount(), 1);
    QCOMPARE(item(0)->textInterface()->text(0, -1), QStringLiteral("Other"));
    const QAccessible::Id other = QAccessible::uniqueId(item(0));
    m_view->clear();
    QVERIFY(!QAccessible::accessibleInterface(other));
    QCOMPARE(list()->childCount(), 0);

    // And the view's own end takes its items along.
    m_view->appendMessage(ChatView::Role::User, QStringLiteral("Last"));
    const QAccessible::Id last = QAccessible::uniqueId(item(0));
    delete m_view;
    m_view = nullptr;
    QVERIFY(!QAccessible::accessibleInterface(last));
}

void TestChatAccessible::messagesOutOfViewAreOffscreenChildren()
{
    QList<ChatView::Message> messages;
    for (int i = 0; i < 40; ++i)
        messages.append(
            stored(i % 2 ? ChatView::Role::Assistant : ChatView::Role::User,
                   QStringLiteral("Message number %1 with a few words to wrap.").arg(i)));
    m_view->setMessages(messages); // opens at the bottom
    QCOMPARE(list()->childCount(), 40);
    QAccessibleInterface *top = item(0);
    QAccessibleInterface *bottom = item(39);
    QVERIFY(top->state().offscreen);
    QVERIFY(top->state().invisible);
    QVERIFY(!bottom->state().offscreen);
    const QRect viewport(m_view->viewport()->mapToGlobal(QPoint(0, 0)), m_view->viewport()->size());
    QVERIFY(viewport.intersects(bottom->rect()));
    QVERIFY(top->rect().bottom() < viewport.top());
    QCOMPARE(top->textInterface()->text(0, -1),
             QStringLiteral("Message number 0 with a few words to wrap."));
    QCOMPARE(list()->childAt(bottom->rect().center().x(), bottom->rect().center().y()), bottom);
}

void TestChatAccessible::textInterfaceUsesTheViewsSelection()
{
    const int index =
        m_view->appendMessage(ChatView::Role::Assistant,
                              QStringLiteral("Hello *brave* new world. Second sentence here."));
    QAccessibleTextInterface *text = item(index)->textInterface();
    QCOMPARE(text->text(0, -1), QStringLiteral("Hello brave new world. Second sentence here."));
    QCOMPARE(text->selectionCount(), 0);

    text->setSelection(0, 6, 11);
    QCOMPARE(m_view->selectedText(), QStringLiteral("brave"));
    int start = -1;
    int end = -1;
    text->selection(0, &start, &end);
    QCOMPARE(start, 6);
    QCOMPARE(end, 11);
    QCOMPARE(text->cursorPosition(), 11);
    text->removeSelection(0);
    QVERIFY(m_view->selectedText().isEmpty());
    m_view->selectAll();
    text->selection(0, &start, &end);
    QCOMPARE(start, 0);
    QCOMPARE(end, text->characterCount());

    // Words, sentences and lines by Qt's boundary helpers.
    QCOMPARE(text->textAtOffset(8, QAccessible::WordBoundary, &start, &end),
             QStringLiteral("brave"));
    QCOMPARE(start, 6);
    QVERIFY(text->textAtOffset(30, QAccessible::SentenceBoundary, &start, &end)
                .startsWith(QStringLiteral("Second sentence")));
    QCOMPARE(text->textAtOffset(3, QAccessible::LineBoundary, &start, &end), text->text(0, -1));

    // Geometry: a character is inside its message, and found again at its place.
    const QRect character = text->characterRect(6);
    QVERIFY(!character.isEmpty());
    QVERIFY(item(index)->rect().contains(character.center()));
    QCOMPARE(text->offsetAtPoint(character.center()), 6);
}

void TestChatAccessible::focusRingIsDrawnOnTheMessagesSide_data()
{
    QTest::addColumn<QString>("question");
    QTest::addColumn<bool>("rightSide");
    QTest::newRow("English question, left") << QStringLiteral("What is Qalam?") << false;
    QTest::newRow("Arabic question, right") << QStringLiteral("ما هو قلم؟") << true;
}

void TestChatAccessible::focusRingIsDrawnOnTheMessagesSide()
{
    QFETCH(QString, question);
    QFETCH(bool, rightSide);
    const QColor ring(255, 0, 255);
    QPalette palette = m_view->palette();
    palette.setColor(QPalette::Highlight, ring);
    m_view->setPalette(palette);
    m_view->appendMessage(ChatView::Role::User, question);
    m_view->setFocus();
    QTRY_VERIFY(m_view->hasFocus());

    const auto ringPixels = [&](int fromX, int toX) {
        const QImage image = m_view->viewport()->grab().toImage();
        const QRect message = m_view->messageRect(0);
        int count = 0;
        for (int y = std::max(0, message.top() - 8); y < message.bottom() + 8; ++y) {
            for (int x = fromX; x < toX; ++x) {
                if (image.pixelColor(x, y) == ring)
                    ++count;
            }
        }
        return count;
    };
    const int middle = m_view->viewport()->width() / 2;
    const int width = m_view->viewport()->width();
    QCOMPARE(ringPixels(0, width), 0); // no current message: no ring

    QTest::keyClick(m_view, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(m_view->currentMessage(), 0);
    QCOMPARE(m_view->messageRect(0).center().x() > middle, rightSide);
    QTRY_VERIFY(ringPixels(0, width) > 40);
    // The ring hugs the bubble on its writer's side; the other side of the column has none.
    const int near = rightSide ? ringPixels(middle, width) : ringPixels(0, middle);
    const int far = rightSide ? ringPixels(0, m_view->messageRect(0).left() - 10)
                              : ringPixels(m_view->messageRect(0).right() + 10, width);
    QVERIFY(near > 40);
    QCOMPARE(far, 0);

    m_view->clearFocus(); // only while the view has focus
    QTRY_COMPARE(ringPixels(0, width), 0);
}

QTEST_MAIN(TestChatAccessible)
#include "tst_chataccessible.moc"
