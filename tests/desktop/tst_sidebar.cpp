// The conversations sidebar as a person uses it: date headings the keyboard passes over,
// selection that opens what it reaches, rename in place, delete with confirmation and Undo,
// search with highlighted snippets (English and Arabic) and "No matches", Ctrl+K, and the mark of
// an answer streaming in the background. A real SQLite file in a temporary directory; the window
// tests run the embedded demo server on loopback.
#include "ConversationDelegate.h"
#include "ConversationListView.h"
#include "ConversationSidebar.h"
#include "DateGroup.h"
#include "MainWindow.h"
#include "SidebarModel.h"
#include "SidebarPresenter.h"
#include "TestWindow.h"
#include "UndoNotice.h"
#include "WindowActions.h"
#include "session/ConversationSession.h"
#include "store/ConversationStore.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>
#include <QVBoxLayout>

using namespace qalam;

namespace {

constexpr int kLong = 30000;

// "Now" for the date headings and the store: noon on 15 October 2026, local time.
QDateTime fixedNow()
{
    return QDateTime(QDate(2026, 10, 15), QTime(12, 0));
}

// Every column of every message of a conversation, read behind the store's back.
QList<QVariantList> messageRows(const QString &path, qint64 conversationId)
{
    QList<QVariantList> rows;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            query.prepare(
                QStringLiteral("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id"));
            query.addBindValue(conversationId);
            query.exec();
            while (query.next()) {
                QVariantList row;
                for (int i = 0; i < query.record().count(); ++i)
                    row << query.value(i);
                rows << row;
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

// The row painted on its own, on the list's base colour.
QImage paintRow(ConversationSidebar *sidebar, int row)
{
    ConversationListView *list = sidebar->list();
    const QModelIndex index = sidebar->model()->index(row);
    QStyleOptionViewItem option;
    option.initFrom(list->viewport());
    option.rect = QRect(QPoint(0, 0), list->visualRect(index).size());
    option.font = list->font();
    option.state = QStyle::State_Enabled | QStyle::State_Active;
    option.direction = list->layoutDirection();
    QImage image(option.rect.size(), QImage::Format_ARGB32);
    image.fill(option.palette.color(QPalette::Base));
    QPainter painter(&image);
    sidebar->delegate()->paint(&painter, option, index);
    return image;
}

// Pixels of the match's tint (the accent at 28% over the base), as the delegate paints it.
int tintPixels(const QImage &image, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor accent = palette.color(QPalette::Highlight);
    const auto mix = [](int b, int a) { return int(b + (a - b) * 0.28); };
    const QColor tint(mix(base.red(), accent.red()), mix(base.green(), accent.green()),
                      mix(base.blue(), accent.blue()));
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (qAbs(c.red() - tint.red()) <= 3 && qAbs(c.green() - tint.green()) <= 3 &&
                qAbs(c.blue() - tint.blue()) <= 3)
                ++count;
        }
    }
    return count;
}

// Answers the next modal dialog: checks it names `title` and offers Delete and Cancel, then
// clicks `button`. `seen` says it was there.
void answerDeleteDialog(const QString &title, const QString &button, bool *seen)
{
    auto *timer = new QTimer;
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, title, button, seen] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        timer->stop();
        timer->deleteLater();
        QStringList buttons;
        QAbstractButton *wanted = nullptr;
        for (QAbstractButton *b : box->buttons()) {
            buttons << b->text();
            if (b->text() == button)
                wanted = b;
        }
        *seen = box->text().contains(title) && buttons.contains(QStringLiteral("Delete")) &&
                buttons.contains(QStringLiteral("Cancel"));
        if (wanted)
            wanted->click();
        else
            box->reject();
    });
    timer->start();
}

} // namespace

class TestSidebar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void dateGroupBoundaries();
    void monthHeadingsInArabic();
    void headingsInOrderAndSkippedByTheKeyboard();
    void selectionFollowsTheKeyboard();
    void renameInPlace();
    void deleteAsksAndUndoRestoresEverything();
    void deleteIsCarriedOutWhenTheNoticeEnds();
    void deletingTheLastConversationShowsAnEmptyOne();
    void searchShowsHighlightedSnippets();
    void noMatchesAndEscClears();
    void ctrlKAndCtrlFFocusTheSearch();
    void liveAnswerIsMarkedUntilItEnds();

private:
    // The sidebar, its presenter and a session on m_store, in a window of their own.
    void buildSidebar();
    qint64 addConversation(const QString &title, const QDateTime &when,
                           const QString &question = QString());
    std::unique_ptr<MainWindow> openWindow(int rate);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_database;
    std::unique_ptr<ConversationStore> m_store;
    std::unique_ptr<ConversationSession> m_session;
    std::unique_ptr<QWidget> m_window;
    ConversationSidebar *m_sidebar = nullptr;
    std::unique_ptr<SidebarPresenter> m_presenter;
    QDateTime m_storeTime;
    QHash<QString, QString> m_vault;
};

void TestSidebar::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = m_dir->filePath(QStringLiteral("qalam.sqlite3"));
    m_store = std::make_unique<ConversationStore>(m_database);
    QVERIFY(m_store->isOpen());
    m_storeTime = fixedNow();
    m_store->setClock([this] { return m_storeTime; });
}

void TestSidebar::cleanup()
{
    m_presenter.reset();
    m_window.reset();
    m_sidebar = nullptr;
    m_session.reset();
    m_store.reset();
    m_dir.reset();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestSidebar::buildSidebar()
{
    m_session = std::make_unique<ConversationSession>(m_store.get());
    m_window = std::make_unique<QWidget>();
    auto *layout = new QVBoxLayout(m_window.get());
    m_sidebar = new ConversationSidebar(m_window.get());
    m_sidebar->setClock(fixedNow);
    layout->addWidget(m_sidebar);
    m_presenter = std::make_unique<SidebarPresenter>(m_session.get(), m_store.get(), m_sidebar,
                                                     m_window.get());
    m_window->resize(300, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_presenter->refresh();
}

qint64 TestSidebar::addConversation(const QString &title, const QDateTime &when,
                                    const QString &question)
{
    m_storeTime = when;
    const auto conversation = m_store->createConversation(title);
    if (!conversation)
        return 0;
    if (!question.isEmpty()) {
        const auto asked =
            m_store->addMessage(conversation->id, StoredMessage::Role::User, question);
        m_store->addMessage(conversation->id, StoredMessage::Role::Assistant,
                            QStringLiteral("An answer to: ") + question);
        // A second version of the answer, so a restore has a tree to get right.
        if (asked)
            m_store->addMessage(conversation->id, asked->id, StoredMessage::Role::Assistant,
                                QStringLiteral("Another answer to: ") + question);
    }
    m_storeTime = fixedNow();
    return conversation->id;
}

std::unique_ptr<MainWindow> TestSidebar::openWindow(int rate)
{
    DesktopOptions options;
    options.databasePath = m_database;
    options.settingsPath = m_dir->filePath(QStringLiteral("qalam.ini"));
    options.demoTokensPerSecond = rate;
    m_store.reset(); // the window opens the file itself
    return test::openTestWindow(options, &m_vault);
}

void TestSidebar::dateGroupBoundaries()
{
    const QDate today(2026, 10, 15);
    using Kind = DateGroup::Kind;
    QCOMPARE(DateGroup::of(today.addDays(2), today).kind(), Kind::Today); // clock set back
    QCOMPARE(DateGroup::of(today, today).kind(), Kind::Today);
    QCOMPARE(DateGroup::of(today.addDays(-1), today).kind(), Kind::Yesterday);
    QCOMPARE(DateGroup::of(today.addDays(-2), today).kind(), Kind::Previous7Days);
    QCOMPARE(DateGroup::of(today.addDays(-7), today).kind(), Kind::Previous7Days);
    QCOMPARE(DateGroup::of(today.addDays(-8), today).kind(), Kind::Previous30Days);
    QCOMPARE(DateGroup::of(today.addDays(-30), today).kind(), Kind::Previous30Days);
    const DateGroup older = DateGroup::of(today.addDays(-31), today);
    QCOMPARE(older.kind(), Kind::Month);
    QCOMPARE(older.month(), QDate(2026, 9, 1));
    QCOMPARE(older.title(QLocale(QLocale::English)), QStringLiteral("September 2026"));
    QCOMPARE(DateGroup::of(QDate(2025, 12, 31), today).title(QLocale(QLocale::English)),
             QStringLiteral("December 2025"));
}

void TestSidebar::monthHeadingsInArabic()
{
    const QLocale arabic(QLocale::Arabic, QLocale::Egypt);
    const QString title = DateGroup::of(QDate(2026, 8, 3), QDate(2026, 10, 15)).title(arabic);
    QVERIFY2(title.contains(arabic.standaloneMonthName(8)), qPrintable(title));
    QVERIFY(title.contains(arabic.toString(QDate(2026, 8, 3), QStringLiteral("yyyy"))));
    QVERIFY(title.isRightToLeft());
    QVERIFY(!title.contains(QStringLiteral("August")));
}

void TestSidebar::headingsInOrderAndSkippedByTheKeyboard()
{
    const QDateTime now = fixedNow();
    const qint64 todayA = addConversation(QStringLiteral("Today A"), now.addSecs(-3600));
    const qint64 todayB = addConversation(QStringLiteral("Today B"), now.addSecs(-7200));
    const qint64 yesterday = addConversation(QStringLiteral("Yesterday"), now.addDays(-1));
    const qint64 threeDays = addConversation(QStringLiteral("Three days"), now.addDays(-3));
    const qint64 twentyDays = addConversation(QStringLiteral("Twenty days"), now.addDays(-20));
    const qint64 august = addConversation(QStringLiteral("August"), now.addDays(-70));
    const qint64 lastYear = addConversation(QStringLiteral("Last year"), now.addDays(-320));
    buildSidebar();

    SidebarModel *model = m_sidebar->model();
    QStringList shown;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        const bool header = index.data(SidebarModel::IsHeaderRole).toBool();
        shown << (header ? QStringLiteral("# ") : QString()) + index.data().toString();
        // Headings can be neither selected nor reached.
        QCOMPARE(bool(model->flags(index) & Qt::ItemIsSelectable), !header);
        QCOMPARE(bool(model->flags(index) & Qt::ItemIsEnabled), !header);
    }
    const QStringList expected = {
        QStringLiteral("# Today"),     QStringLiteral("Today A"),
        QStringLiteral("Today B"),     QStringLiteral("# Yesterday"),
        QStringLiteral("Yesterday"),   QStringLiteral("# Previous 7 days"),
        QStringLiteral("Three days"),  QStringLiteral("# Previous 30 days"),
        QStringLiteral("Twenty days"), QStringLiteral("# August 2026"),
        QStringLiteral("August"),      QStringLiteral("# November 2025"),
        QStringLiteral("Last year")};
    QCOMPARE(shown, expected);
    QCOMPARE(m_sidebar->count(), 7);

    // Down from the last of a group goes to the first of the next, over the heading, and opens it.
    QVERIFY(m_session->openConversation(todayA));
    m_sidebar->list()->setFocus();
    const QList<qint64> order = {todayA,     todayB, yesterday, threeDays,
                                 twentyDays, august, lastYear};
    for (int i = 1; i < order.size(); ++i) {
        QTest::keyClick(m_sidebar->list(), Qt::Key_Down);
        QCOMPARE(m_session->conversationId(), order.at(i));
        QCOMPARE(m_sidebar->currentId(), order.at(i));
    }
    QTest::keyClick(m_sidebar->list(), Qt::Key_Down); // at the end: stays
    QCOMPARE(m_session->conversationId(), lastYear);
    for (int i = int(order.size()) - 2; i >= 0; --i) {
        QTest::keyClick(m_sidebar->list(), Qt::Key_Up);
        QCOMPARE(m_session->conversationId(), order.at(i));
    }
    QTest::keyClick(m_sidebar->list(), Qt::Key_Up); // the "Today" heading above is not reached
    QCOMPARE(m_session->conversationId(), todayA);
    QCOMPARE(m_sidebar->list()->currentIndex().row(), 1);

    QTest::keyClick(m_sidebar->list(), Qt::Key_End);
    QCOMPARE(m_session->conversationId(), lastYear);
    QTest::keyClick(m_sidebar->list(), Qt::Key_Home);
    QCOMPARE(m_session->conversationId(), todayA);
    // Page Down and Page Up in a short window: they may land anywhere but on a heading.
    m_window->resize(300, 160);
    QTRY_VERIFY(m_sidebar->list()->viewport()->height() < 150);
    for (Qt::Key key : {Qt::Key_PageDown, Qt::Key_PageDown, Qt::Key_PageUp, Qt::Key_PageUp}) {
        const qint64 before = m_session->conversationId();
        QTest::keyClick(m_sidebar->list(), key);
        const QModelIndex current = m_sidebar->list()->currentIndex();
        QVERIFY(!current.data(SidebarModel::IsHeaderRole).toBool());
        QCOMPARE(m_session->conversationId(), current.data(SidebarModel::ConversationIdRole));
        if (key == Qt::Key_PageDown && before != lastYear)
            QVERIFY(m_session->conversationId() != before);
    }
}

void TestSidebar::selectionFollowsTheKeyboard()
{
    const qint64 older = addConversation(QStringLiteral("Older"), fixedNow().addSecs(-600),
                                         QStringLiteral("first question"));
    const qint64 newer = addConversation(QStringLiteral("Newer"), fixedNow().addSecs(-60),
                                         QStringLiteral("second question"));
    buildSidebar();
    QCOMPARE(m_session->conversationId(), 0);
    m_sidebar->list()->setFocus();
    // Nothing open: Down goes to the first conversation and opens it; its messages are shown.
    QSignalSpy reset(m_session.get(), &ConversationSession::messagesReset);
    QTest::keyClick(m_sidebar->list(), Qt::Key_Down);
    QCOMPARE(m_session->conversationId(), newer);
    QTest::keyClick(m_sidebar->list(), Qt::Key_Down);
    QCOMPARE(m_session->conversationId(), older);
    QVERIFY(!reset.isEmpty());
    QCOMPARE(m_session->messages().constFirst().content, QStringLiteral("first question"));
    QVERIFY(m_sidebar->list()->hasFocus()); // opening does not take the focus away
    // Enter opens too (after New conversation the row is still current).
    m_session->newConversation();
    QCOMPARE(m_session->conversationId(), 0);
    m_sidebar->list()->setCurrentIndex(m_sidebar->model()->index(m_sidebar->model()->rowOf(older)));
    QTest::keyClick(m_sidebar->list(), Qt::Key_Return);
    QCOMPARE(m_session->conversationId(), older);
}

void TestSidebar::renameInPlace()
{
    const qint64 id = addConversation(QStringLiteral("Old name"), fixedNow().addSecs(-60));
    buildSidebar();
    QVERIFY(m_session->openConversation(id));
    ConversationListView *list = m_sidebar->list();
    list->setFocus();
    const auto editor = [list] {
        return list->findChild<QLineEdit *>(QStringLiteral("conversationTitleEditor"));
    };

    // F2, a new name, Enter: saved in the store.
    QTest::keyClick(list, Qt::Key_F2);
    QTRY_VERIFY(editor() && editor()->isVisible());
    QCOMPARE(editor()->text(), QStringLiteral("Old name"));
    editor()->selectAll();
    QTest::keyClicks(editor(), QStringLiteral("Plans for the release"));
    QTest::keyClick(editor(), Qt::Key_Return);
    QTRY_VERIFY(!editor() || !editor()->isVisible());
    QCOMPARE(m_store->conversation(id)->title, QStringLiteral("Plans for the release"));
    QCOMPARE(m_sidebar->model()->index(m_sidebar->model()->rowOf(id)).data().toString(),
             QStringLiteral("Plans for the release"));

    // An empty name is refused: Enter keeps the editor open; Esc cancels.
    list->setFocus();
    QTest::keyClick(list, Qt::Key_F2);
    QTRY_VERIFY(editor() && editor()->isVisible());
    editor()->clear();
    QTest::keyClicks(editor(), QStringLiteral("   "));
    QTest::keyClick(editor(), Qt::Key_Return);
    QVERIFY(editor() && editor()->isVisible());
    QTest::keyClick(editor(), Qt::Key_Escape);
    QTRY_VERIFY(!editor() || !editor()->isVisible());
    QCOMPARE(m_store->conversation(id)->title, QStringLiteral("Plans for the release"));

    // Esc after typing a real name cancels it too.
    list->setFocus();
    QTest::keyClick(list, Qt::Key_F2);
    QTRY_VERIFY(editor() && editor()->isVisible());
    editor()->selectAll();
    QTest::keyClicks(editor(), QStringLiteral("Not this"));
    QTest::keyClick(editor(), Qt::Key_Escape);
    QTRY_VERIFY(!editor() || !editor()->isVisible());
    QCOMPARE(m_store->conversation(id)->title, QStringLiteral("Plans for the release"));
}

void TestSidebar::deleteAsksAndUndoRestoresEverything()
{
    const qint64 keep = addConversation(QStringLiteral("Keep me"), fixedNow().addSecs(-600),
                                        QStringLiteral("kept question"));
    const qint64 victim = addConversation(QStringLiteral("Delete me"), fixedNow().addSecs(-60),
                                          QStringLiteral("doomed question"));
    const QList<QVariantList> before = messageRows(m_database, victim);
    QCOMPARE(before.size(), 3); // a question and two versions of its answer
    buildSidebar();
    QVERIFY(m_session->openConversation(victim));
    m_sidebar->list()->setFocus();

    // Cancel: nothing happens.
    bool seen = false;
    answerDeleteDialog(QStringLiteral("Delete me"), QStringLiteral("Cancel"), &seen);
    QTest::keyClick(m_sidebar->list(), Qt::Key_Delete);
    QVERIFY(seen);
    QVERIFY(m_sidebar->model()->rowOf(victim) >= 0);
    QVERIFY(!m_sidebar->undoNotice()->isActive());

    // Delete: hidden at once, the neighbour is shown, and Undo is offered.
    seen = false;
    answerDeleteDialog(QStringLiteral("Delete me"), QStringLiteral("Delete"), &seen);
    QTest::keyClick(m_sidebar->list(), Qt::Key_Delete);
    QVERIFY(seen);
    QCOMPARE(m_sidebar->model()->rowOf(victim), -1);
    QCOMPARE(m_session->conversationId(), keep);
    QVERIFY(m_sidebar->undoNotice()->isVisible());
    QVERIFY(m_sidebar->undoNotice()->text().contains(QStringLiteral("Delete me")));
    // Hidden from search too.
    m_sidebar->searchField()->setText(QStringLiteral("doomed"));
    QTRY_VERIFY(m_sidebar->model()->isSearching());
    QCOMPARE(m_sidebar->count(), 0);
    m_sidebar->searchField()->clear();
    QTRY_VERIFY(!m_sidebar->model()->isSearching());

    // Undo: listed and shown again, every message and version exactly as before.
    QTest::mouseClick(m_sidebar->undoNotice()->undoButton(), Qt::LeftButton);
    QVERIFY(!m_sidebar->undoNotice()->isActive());
    QVERIFY(m_sidebar->model()->rowOf(victim) >= 0);
    QCOMPARE(m_session->conversationId(), victim);
    QCOMPARE(m_sidebar->currentId(), victim);
    QCOMPARE(messageRows(m_database, victim), before);
    QCOMPARE(m_session->messages().size(), 2);
    QCOMPARE(m_store->siblings(m_session->messages().at(1).id)->size(), 2);
}

void TestSidebar::deleteIsCarriedOutWhenTheNoticeEnds()
{
    const qint64 first =
        addConversation(QStringLiteral("First"), fixedNow().addSecs(-600), QStringLiteral("one"));
    const qint64 second =
        addConversation(QStringLiteral("Second"), fixedNow().addSecs(-60), QStringLiteral("two"));
    buildSidebar();
    m_presenter->setDeleteConfirmation([](const Conversation &) { return true; });
    m_sidebar->undoNotice()->setTimeout(50);

    // The notice's time runs out: the rows go from the file.
    Q_EMIT m_sidebar->deleteRequested(second);
    QVERIFY(m_store->conversation(second)); // still there while Undo is offered
    QTRY_VERIFY(!m_sidebar->undoNotice()->isActive());
    QVERIFY(!m_store->conversation(second));
    QVERIFY(messageRows(m_database, second).isEmpty());
    QCOMPARE(m_presenter->pendingDeletion(), 0);

    // Closing the window (the presenter going) carries out a deletion still waiting.
    m_sidebar->undoNotice()->setTimeout(UndoNotice::defaultTimeoutMs);
    Q_EMIT m_sidebar->deleteRequested(first);
    QCOMPARE(m_presenter->pendingDeletion(), first);
    QVERIFY(m_store->conversation(first));
    m_presenter.reset();
    QVERIFY(!m_store->conversation(first));
    QVERIFY(messageRows(m_database, first).isEmpty());
}

void TestSidebar::deletingTheLastConversationShowsAnEmptyOne()
{
    const qint64 only =
        addConversation(QStringLiteral("Only"), fixedNow().addSecs(-60), QStringLiteral("alone"));
    buildSidebar();
    m_presenter->setDeleteConfirmation([](const Conversation &) { return true; });
    QVERIFY(m_session->openConversation(only));
    Q_EMIT m_sidebar->deleteRequested(only);
    QCOMPARE(m_session->conversationId(), 0);
    QVERIFY(m_session->messages().isEmpty());
    QCOMPARE(m_sidebar->count(), 0);
    QVERIFY(m_sidebar->placeholder()->isVisible());
}

void TestSidebar::searchShowsHighlightedSnippets()
{
    addConversation(QStringLiteral("Animals"), fixedNow().addSecs(-600),
                    QStringLiteral("Tell me about the quick brown fox and the lazy dog"));
    const qint64 arabic = addConversation(QStringLiteral("الكتابة"), fixedNow().addSecs(-300),
                                          QStringLiteral("كتبت الرسالة بالقلم الأزرق على الورق"));
    const qint64 titled = addConversation(QStringLiteral("A lazy Sunday"), fixedNow());
    addConversation(QStringLiteral("<b>markup</b> lazy"), fixedNow().addSecs(-900));
    buildSidebar();

    QLineEdit *search = m_sidebar->searchField();
    QTest::keyClicks(search, QStringLiteral("lazy"));
    QTRY_VERIFY(m_sidebar->model()->isSearching());
    QCOMPARE(m_sidebar->count(), 3);
    SidebarModel *model = m_sidebar->model();
    // No headings while searching; the title match first (newest), then the message match.
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->conversationAt(0), titled);
    const QModelIndex message = model->index(1);
    const QString snippet = message.data(SidebarModel::SnippetRole).toString();
    const int start = message.data(SidebarModel::SnippetMatchStartRole).toInt();
    const int length = message.data(SidebarModel::SnippetMatchLengthRole).toInt();
    QVERIFY2(snippet.contains(QStringLiteral("lazy dog")), qPrintable(snippet));
    QCOMPARE(snippet.mid(start, length), QStringLiteral("lazy"));
    // The match is painted on its tint; a row whose snippet has no match has none.
    const QPalette palette = m_sidebar->list()->viewport()->palette();
    QVERIFY(tintPixels(paintRow(m_sidebar, 1), palette) > 0);
    // A title is text: "<b>" is shown as typed, never read as markup.
    const QModelIndex markup = model->index(2);
    QCOMPARE(markup.data().toString(), QStringLiteral("<b>markup</b> lazy"));
    QVERIFY(tintPixels(paintRow(m_sidebar, 2), palette) > 0); // "lazy" in the title

    // Arabic: the match inside بالقلم, highlighted, the snippet reading right to left.
    search->setText(QStringLiteral("قلم")); // keyClicks types Latin-1 only
    QTRY_COMPARE(model->data(model->index(0), SidebarModel::SearchTextRole).toString(),
                 QStringLiteral("قلم"));
    QCOMPARE(m_sidebar->count(), 1);
    QCOMPARE(model->conversationAt(0), arabic);
    const QModelIndex ar = model->index(0);
    const QString arSnippet = ar.data(SidebarModel::SnippetRole).toString();
    QCOMPARE(arSnippet.mid(ar.data(SidebarModel::SnippetMatchStartRole).toInt(),
                           ar.data(SidebarModel::SnippetMatchLengthRole).toInt()),
             QStringLiteral("قلم"));
    QVERIFY(arSnippet.contains(QStringLiteral("بالقلم")));
    QVERIFY(arSnippet.isRightToLeft());
    QVERIFY(tintPixels(paintRow(m_sidebar, 0), palette) > 0);

    // Enter opens the first result.
    QTest::keyClick(search, Qt::Key_Return);
    QCOMPARE(m_session->conversationId(), arabic);
}

void TestSidebar::noMatchesAndEscClears()
{
    addConversation(QStringLiteral("Something"), fixedNow().addSecs(-60), QStringLiteral("text"));
    addConversation(QStringLiteral("Else"), fixedNow().addSecs(-30));
    buildSidebar();
    QLineEdit *search = m_sidebar->searchField();
    search->setFocus();
    QTest::keyClicks(search, QStringLiteral("zebra"));
    QTRY_VERIFY(m_sidebar->placeholder()->isVisible());
    QCOMPARE(m_sidebar->placeholder()->text(), QStringLiteral("No matches for “zebra”"));
    QVERIFY(!m_sidebar->list()->isVisible());
    QCOMPARE(m_sidebar->count(), 0);

    QTest::keyClick(search, Qt::Key_Escape);
    QVERIFY(search->text().isEmpty());
    QTRY_VERIFY(m_sidebar->list()->isVisible());
    QVERIFY(!m_sidebar->placeholder()->isVisible());
    QCOMPARE(m_sidebar->count(), 2);
    QVERIFY(!m_sidebar->model()->isSearching());
}

void TestSidebar::ctrlKAndCtrlFFocusTheSearch()
{
    auto window = openWindow(2000);
    QVERIFY(window);
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    QLineEdit *search = window->sidebar()->searchField();
    QVERIFY(!search->hasFocus());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY(search->hasFocus());

    // Ctrl+F too, and from a hidden sidebar: it is shown first.
    window->actions()->showSidebar()->setChecked(false);
    QVERIFY(!window->sidebar()->isVisible());
    QTest::keyClick(window.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(window->sidebar()->isVisible());
    QTRY_VERIFY(search->hasFocus());
}

void TestSidebar::liveAnswerIsMarkedUntilItEnds()
{
    auto window = openWindow(30); // slow enough to look at the mark while it streams
    QVERIFY(window);
    QTRY_VERIFY_WITH_TIMEOUT(window->isBackendReady(), kLong);
    QSignalSpy finished(window->session(), &ConversationSession::answerFinished);
    window->ask(QStringLiteral("What can Qalam do?"));
    const qint64 streaming = window->session()->conversationId();
    QVERIFY(streaming > 0);
    Q_EMIT window->sidebar()->newRequested(); // the answer goes on in the background
    QVERIFY(!window->session()->isStreaming());

    SidebarModel *model = window->sidebar()->model();
    const auto live = [&] {
        const int row = model->rowOf(streaming);
        return row >= 0 && model->index(row).data(SidebarModel::LiveRole).toBool();
    };
    QTRY_VERIFY(live());
    const QModelIndex index = model->index(model->rowOf(streaming));
    QVERIFY(!index.data(SidebarModel::QueuedRole).toBool());
    QVERIFY(index.data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("streaming")));
    QVERIFY(window->session()->isStreaming() == false);

    QTRY_VERIFY_WITH_TIMEOUT(window->session()->liveConversations().isEmpty(), kLong);
    QVERIFY(!live());
    QVERIFY(!model->index(model->rowOf(streaming))
                 .data(Qt::AccessibleTextRole)
                 .toString()
                 .contains(QStringLiteral("streaming")));
}

QTEST_MAIN(TestSidebar)
#include "tst_sidebar.moc"
