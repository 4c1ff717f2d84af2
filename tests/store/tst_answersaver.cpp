// AnswerSaver: throttled saving of a streaming answer, immediate saving of state changes.
// Intervals are short so the suite is quick; assertions are on what was saved and on how many
// writes happened, never on how fast anything ran.
#include "NetworkIdle.h"
#include "StoreTestSupport.h"
#include "store/AnswerSaver.h"
#include "store/ConversationStore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace qalam;
using State = StoredMessage::State;
using qalam::test::activeTimers;
using qalam::test::RawDatabase;

class TestAnswerSaver : public QObject
{
    Q_OBJECT

private:
    QString storedContent() { return m_store->message(m_answerId)->content; }
    State storedState() { return m_store->message(m_answerId)->state; }

    static constexpr int interval = 40;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ConversationStore> m_store;
    qint64 m_answerId = 0;

private Q_SLOTS:
    void init();
    void cleanup();

    void batchesDeltasIntoOneWrite();
    void savesWhileTextKeepsArriving();
    void stateChangeWritesAtOnce_data();
    void stateChangeWritesAtOnce();
    void destructionSavesAndInterrupts();
    void destructionAfterFinishWritesNothing();
    void continuesAnInterruptedAnswer();
    void continuingKeepsWhatTheRowHolds();
    void deletedMessageIsNotRetried();

    void fullDiskLosesNothing();
    void retriesWithBackoffWithoutNewText();
    void readOnlyDuringSavesLosesNothing();
    void chmodWhileSavingKeepsSaving();
    void committedOnlyOnceTheFinalWriteSucceeds();
    void lastEventIdWrittenWithEverySave();
};

void TestAnswerSaver::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".")));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<ConversationStore>(m_dir->filePath(QStringLiteral("s.sqlite3")));
    QVERIFY2(m_store->isOpen(), qPrintable(m_store->lastError()));
    const auto conversation = m_store->createConversation(QStringLiteral("c"));
    QVERIFY(m_store->addMessage(conversation->id, StoredMessage::Role::User, QStringLiteral("q")));
    const auto answer = m_store->addMessage(conversation->id, StoredMessage::Role::Assistant,
                                            QString(), State::Streaming);
    QVERIFY(answer);
    m_answerId = answer->id;
}

void TestAnswerSaver::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

void TestAnswerSaver::batchesDeltasIntoOneWrite()
{
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    QString expected;
    // Without the event loop running, the timer cannot fire: a thousand deltas, not one write.
    for (int i = 0; i < 1000; ++i) {
        const QString delta = QStringLiteral("كلمة %1 word ").arg(i);
        saver.appendText(delta);
        expected += delta;
    }
    QCOMPARE(saver.writeCount(), 0);
    QCOMPARE(storedContent(), QString());
    QVERIFY(saver.hasUnsavedChanges());

    QTRY_COMPARE(saver.writeCount(), 1);
    QCOMPARE(storedContent(), expected);
    QCOMPARE(saver.savedLength(), expected.size());
    QCOMPARE(storedState(), State::Streaming);
    QVERIFY(!saver.hasUnsavedChanges());

    // Nothing unsaved and no save pending (a write comes only from the saver's timers): nothing
    // is written, however long it waits.
    QCOMPARE(activeTimers(saver), 0);
    QCOMPARE(saver.writeCount(), 1);
}

void TestAnswerSaver::savesWhileTextKeepsArriving()
{
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    QStringList mismatches;
    connect(&saver, &AnswerSaver::saved, this, [&](qsizetype length) {
        // What is in the file is exactly the text that had arrived, at every save.
        if (storedContent() != saver.content().left(length))
            mismatches.append(QString::number(length));
    });

    // A delta every 2 ms, never pausing: a debounce (restart the timer on every delta) would
    // never save until the stream stops. The feeder only stops once three saves happened.
    int deltas = 0;
    QTimer feeder;
    feeder.setInterval(2);
    connect(&feeder, &QTimer::timeout, this,
            [&] { saver.appendText(QStringLiteral("delta %1 🖊️ ").arg(deltas++)); });
    QElapsedTimer elapsed;
    elapsed.start();
    feeder.start();
    QTRY_VERIFY_WITH_TIMEOUT(saver.writeCount() >= 3, 30000);
    feeder.stop();
    const qint64 ms = elapsed.elapsed();

    QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(u',')));
    // Two writes are at least one interval apart, so the count is bounded by the time that
    // passed. A slow machine only makes the bound looser, never the test fail.
    QVERIFY2(saver.writeCount() <= ms / interval + 1,
             qPrintable(QStringLiteral("%1 writes in %2 ms").arg(saver.writeCount()).arg(ms)));
    QVERIFY(saver.writeCount() <= deltas);

    saver.setState(State::Complete);
    QCOMPARE(storedContent(), saver.content());
    QCOMPARE(storedState(), State::Complete);
}

void TestAnswerSaver::stateChangeWritesAtOnce_data()
{
    QTest::addColumn<State>("state");
    QTest::addColumn<QString>("error");
    QTest::newRow("completed") << State::Complete << QString();
    QTest::newRow("interrupted") << State::Interrupted << QStringLiteral("connection lost");
    QTest::newRow("failed") << State::Failed << QStringLiteral("الخادم مشغول");
    QTest::newRow("cancelled") << State::Cancelled << QString();
}

void TestAnswerSaver::stateChangeWritesAtOnce()
{
    QFETCH(State, state);
    QFETCH(QString, error);
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    saver.appendText(QStringLiteral("the whole answer"));
    saver.setMetricsJson(QStringLiteral("{\"reconnects\":1}"));
    saver.setLastEventId(QStringLiteral("ev-9"));
    saver.setState(state, error);

    // Written before control returns, without the event loop.
    QCOMPARE(saver.writeCount(), 1);
    const auto stored = m_store->message(m_answerId);
    QCOMPARE(stored->content, QStringLiteral("the whole answer"));
    QCOMPARE(stored->state, state);
    QCOMPARE(stored->errorText, error);
    QCOMPARE(stored->metricsJson, QStringLiteral("{\"reconnects\":1}"));
    QCOMPARE(stored->lastEventId, QStringLiteral("ev-9"));

    // The pending timed save was folded into that write: no timer is left to write again.
    QCOMPARE(activeTimers(saver), 0);
    QVERIFY(!saver.hasUnsavedChanges());
    QCOMPARE(saver.writeCount(), 1);
    // The same state again with nothing new is no write.
    saver.setState(state, error);
    QCOMPARE(saver.writeCount(), 1);
}

void TestAnswerSaver::destructionSavesAndInterrupts()
{
    auto saver = std::make_unique<AnswerSaver>(m_store.get(), m_answerId);
    saver->setInterval(60'000);
    saver->appendText(QStringLiteral("cut off mid-"));
    QCOMPARE(saver->writeCount(), 0);
    saver.reset();
    QCOMPARE(storedContent(), QStringLiteral("cut off mid-"));
    QCOMPARE(storedState(), State::Interrupted);
}

void TestAnswerSaver::destructionAfterFinishWritesNothing()
{
    int writes = 0;
    {
        AnswerSaver saver(m_store.get(), m_answerId);
        connect(&saver, &AnswerSaver::saved, this, [&writes] { ++writes; });
        saver.appendText(QStringLiteral("done"));
        saver.setState(State::Complete);
    }
    QCOMPARE(writes, 1);
    QCOMPARE(storedState(), State::Complete);
}

void TestAnswerSaver::continuesAnInterruptedAnswer()
{
    QVERIFY(m_store->updateMessage(m_answerId, QStringLiteral("Hello"), State::Interrupted));
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    const auto stored = m_store->message(m_answerId);
    saver.setStored(stored->content, stored->state);
    saver.setState(State::Streaming);
    QCOMPARE(storedState(), State::Streaming);
    saver.appendText(QStringLiteral(", world"));
    QTRY_COMPARE(storedContent(), QStringLiteral("Hello, world"));
    saver.setState(State::Complete);
    QCOMPARE(storedState(), State::Complete);
}

void TestAnswerSaver::continuingKeepsWhatTheRowHolds()
{
    QVERIFY(m_store->updateMessage(m_answerId, QStringLiteral("Hello"), State::Interrupted,
                                   QStringLiteral("connection lost"),
                                   QStringLiteral("{\"reconnects\":2}"), QStringLiteral("ev-41")));
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setStored(*m_store->message(m_answerId));
    QVERIFY(saver.isCommitted());
    QVERIFY(!saver.hasUnsavedChanges());
    // The same id again is no change; Streaming is, and keeps the id and metrics it does not set.
    saver.setLastEventId(QStringLiteral("ev-41"));
    QVERIFY(!saver.hasUnsavedChanges());
    saver.setState(State::Streaming);
    QVERIFY(!saver.isCommitted());
    const auto stored = m_store->message(m_answerId);
    QCOMPARE(stored->state, State::Streaming);
    QCOMPARE(stored->content, QStringLiteral("Hello"));
    QCOMPARE(stored->lastEventId, QStringLiteral("ev-41"));
    QCOMPARE(stored->metricsJson, QStringLiteral("{\"reconnects\":2}"));
    QCOMPARE(stored->errorText, QString());
}

void TestAnswerSaver::deletedMessageIsNotRetried()
{
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    saver.setRetryDelays(5, 20);
    QSignalSpy failures(&saver, &AnswerSaver::saveFailed);
    QSignalSpy savedState(&saver, &AnswerSaver::savedStateChanged);
    // The user deleted this version on purpose: the answer being saved is gone.
    QVERIFY(m_store->deleteVersion(m_answerId));
    saver.appendText(QStringLiteral("orphan text"));
    QTRY_COMPARE(failures.size(), 1);
    QVERIFY2(failures.at(0).at(0).toString().contains(QStringLiteral("does not exist")),
             qPrintable(failures.at(0).at(0).toString()));
    QCOMPARE(savedState.size(), 1);
    QVERIFY(!saver.isSaved());
    QVERIFY(saver.hasUnsavedChanges());
    QCOMPARE(saver.writeCount(), 0);
    // Nothing is scheduled: retrying could only fail the same way.
    QVERIFY(!saver.isRetrying());
    // An explicit flush tries again; the same reason is not reported twice.
    QVERIFY(!saver.flush());
    QCOMPARE(saver.failedWriteCount(), 2);
    QCOMPARE(failures.size(), 1);
    QVERIFY(!saver.isRetrying());
}

namespace {

// About 24 KB of UTF-16 per chunk (Arabic, English, emoji), numbered so every chunk differs.
QString bigChunk(int index)
{
    return QStringLiteral("[%1] القلم أداة للكتابة — the pen is a tool 🖊️ ")
        .arg(index)
        .repeated(400);
}

} // namespace

void TestAnswerSaver::fullDiskLosesNothing()
{
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    saver.setRetryDelays(10, 80);
    QSignalSpy savedState(&saver, &AnswerSaver::savedStateChanged);
    QSignalSpy failures(&saver, &AnswerSaver::saveFailed);
    QSignalSpy commits(&saver, &AnswerSaver::committed);

    QString expected = bigChunk(0);
    saver.appendText(expected);
    saver.setLastEventId(QStringLiteral("ev-0"));
    QTRY_COMPARE(saver.writeCount(), 1);
    QVERIFY(saver.isSaved());
    QCOMPARE(savedState.size(), 0);

    // The disk is full: the database may not grow by a single page.
    const int pages = test::execOnStore(*m_store, QStringLiteral("PRAGMA page_count")).toInt();
    QVERIFY(pages > 0);
    QCOMPARE(test::execOnStore(*m_store, QStringLiteral("PRAGMA max_page_count = %1").arg(pages))
                 .toInt(),
             pages);
    for (int i = 1; i <= 5; ++i) {
        saver.appendText(bigChunk(i));
        saver.setLastEventId(QStringLiteral("ev-%1").arg(i));
        expected += bigChunk(i);
    }
    QTRY_COMPARE(savedState.size(), 1);
    QCOMPARE(savedState.at(0).at(0).toBool(), false);
    QVERIFY(!saver.isSaved());
    QCOMPARE(failures.size(), 1);
    QVERIFY2(failures.at(0).at(0).toString().contains(QStringLiteral("full")),
             qPrintable(failures.at(0).at(0).toString()));
    QVERIFY2(failures.at(0).at(0).toString().contains(m_store->path()),
             qPrintable(failures.at(0).at(0).toString()));
    QCOMPARE(m_store->lastErrorKind(), ConversationStore::ErrorKind::DiskFull);

    // It keeps trying with no new text, and reports the fault once, not per attempt.
    const int failedBefore = saver.failedWriteCount();
    QTRY_VERIFY(saver.failedWriteCount() >= failedBefore + 3);
    QCOMPARE(failures.size(), 1);
    QCOMPARE(saver.writeCount(), 1);
    QCOMPARE(storedContent(), bigChunk(0));
    QCOMPARE(m_store->message(m_answerId)->lastEventId, QStringLiteral("ev-0"));
    QCOMPARE(saver.content(), expected);

    // More text while the disk is full, then the end of the answer: held, not committed.
    saver.appendText(QStringLiteral(" والنهاية. The end."));
    expected += QStringLiteral(" والنهاية. The end.");
    saver.setLastEventId(QStringLiteral("ev-6"));
    saver.setMetricsJson(QStringLiteral("{\"reconnects\":0}"));
    saver.setState(State::Complete);
    QVERIFY(!saver.isCommitted());
    QCOMPARE(commits.size(), 0);
    QCOMPARE(storedState(), State::Streaming);

    // Space again (the user freed some): the next retry writes everything, in one UPDATE.
    QVERIFY(test::execOnStore(*m_store, QStringLiteral("PRAGMA max_page_count = 1073741823"))
                .isValid());
    QTRY_COMPARE_WITH_TIMEOUT(commits.size(), 1, 30000);
    QCOMPARE(commits.at(0).at(0).value<State>(), State::Complete);
    QVERIFY(saver.isCommitted());
    QVERIFY(saver.isSaved());
    QCOMPARE(savedState.size(), 2);
    QCOMPARE(savedState.at(1).at(0).toBool(), true);
    QCOMPARE(saver.writeCount(), 2);
    QCOMPARE(saver.savedLength(), expected.size());
    const auto stored = m_store->message(m_answerId);
    QCOMPARE(stored->content, expected); // no byte lost
    QCOMPARE(stored->state, State::Complete);
    QCOMPARE(stored->lastEventId, QStringLiteral("ev-6"));
    QCOMPARE(stored->metricsJson, QStringLiteral("{\"reconnects\":0}"));
    QVERIFY(!saver.isRetrying());
    QCOMPARE(m_store->integrityCheck(), QStringLiteral("ok"));
}

void TestAnswerSaver::retriesWithBackoffWithoutNewText()
{
    {
        // The defaults: 250 ms first, doubling up to 8 s.
        AnswerSaver saver(m_store.get(), m_answerId);
        QCOMPARE(AnswerSaver::defaultFirstRetryMs, 250);
        QCOMPARE(AnswerSaver::defaultMaxRetryMs, 8000);
        QVERIFY(test::execOnStore(*m_store, QStringLiteral("PRAGMA query_only = ON")).isValid());
        saver.appendText(QStringLiteral("x"));
        QVERIFY(!saver.flush());
        QVERIFY(saver.isRetrying());
        QCOMPARE(saver.retryDelay(), 250);
        QVERIFY(test::execOnStore(*m_store, QStringLiteral("PRAGMA query_only = OFF")).isValid());
    }
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    saver.setRetryDelays(10, 80);
    QSignalSpy retries(&saver, &AnswerSaver::retryScheduled);
    QSignalSpy failures(&saver, &AnswerSaver::saveFailed);
    QVERIFY(test::execOnStore(*m_store, QStringLiteral("PRAGMA query_only = ON")).isValid());
    saver.appendText(QStringLiteral("held in memory"));
    QVERIFY(!saver.flush());
    QCOMPARE(saver.failedWriteCount(), 1);
    QCOMPARE(saver.retryDelay(), 10);
    // Nothing new arrives; the retries come anyway, each waiting twice as long, up to the cap.
    QTRY_VERIFY(retries.size() >= 6);
    QList<int> delays;
    for (const QList<QVariant> &retry : std::as_const(retries))
        delays.append(retry.at(0).toInt());
    QCOMPARE(delays.mid(0, 6), (QList<int>{10, 20, 40, 80, 80, 80}));
    QCOMPARE(saver.failedWriteCount(), int(retries.size()));
    QCOMPARE(failures.size(), 1);
    QVERIFY(saver.isRetrying());
    QVERIFY(test::execOnStore(*m_store, QStringLiteral("PRAGMA query_only = OFF")).isValid());
    QTRY_VERIFY(saver.isSaved());
    QCOMPARE(storedContent(), QStringLiteral("held in memory"));
    QVERIFY(!saver.isRetrying());
    // A later fault starts again from the first delay.
    QVERIFY(test::execOnStore(*m_store, QStringLiteral("PRAGMA query_only = ON")).isValid());
    saver.appendText(QStringLiteral("!"));
    QVERIFY(!saver.flush());
    QCOMPARE(saver.retryDelay(), 10);
    QVERIFY(test::execOnStore(*m_store, QStringLiteral("PRAGMA query_only = OFF")).isValid());
    QTRY_VERIFY(saver.isSaved());
    QCOMPARE(storedContent(), QStringLiteral("held in memory!"));
}

void TestAnswerSaver::readOnlyDuringSavesLosesNothing()
{
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    saver.setRetryDelays(10, 40);
    QSignalSpy failures(&saver, &AnswerSaver::saveFailed);
    saver.appendText(QStringLiteral("before, "));
    QTRY_COMPARE(saver.writeCount(), 1);

    // The file system went read-only under the app: SQLite answers SQLITE_READONLY.
    QVERIFY(test::execOnStore(*m_store, QStringLiteral("PRAGMA query_only = ON")).isValid());
    QString expected = QStringLiteral("before, ");
    for (int i = 0; i < 50; ++i) {
        const QString delta = QStringLiteral("كلمة %1 word ").arg(i);
        saver.appendText(delta);
        expected += delta;
    }
    QTRY_VERIFY(!saver.isSaved());
    QCOMPARE(m_store->lastErrorKind(), ConversationStore::ErrorKind::ReadOnly);
    QVERIFY2(failures.at(0).at(0).toString().contains(QStringLiteral("readonly")),
             qPrintable(failures.at(0).at(0).toString()));
    const int failed = saver.failedWriteCount();
    QTRY_VERIFY(saver.failedWriteCount() > failed);
    saver.setState(State::Interrupted, QStringLiteral("connection lost"));
    QVERIFY(!saver.isCommitted());

    QVERIFY(test::execOnStore(*m_store, QStringLiteral("PRAGMA query_only = OFF")).isValid());
    QTRY_VERIFY(saver.isCommitted());
    QCOMPARE(storedContent(), expected);
    QCOMPARE(storedState(), State::Interrupted);
    QCOMPARE(m_store->message(m_answerId)->errorText, QStringLiteral("connection lost"));
}

void TestAnswerSaver::chmodWhileSavingKeepsSaving()
{
    test::FileModesEnforced modes;
    if (!modes.isActive())
        QSKIP("cannot make file modes hold for this root process (capset refused)");
    const QString path = m_store->path();
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    saver.appendText(QStringLiteral("one "));
    QTRY_COMPARE(saver.writeCount(), 1);

    // Made read-only while the app runs: SQLite writes through the descriptors it opened, so
    // nothing fails until the next start, which refuses the file and says why.
    const QFile::Permissions readOnly = QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther;
    const QStringList files{path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")};
    for (const QString &file : files)
        QVERIFY(!QFile::exists(file) || QFile::setPermissions(file, readOnly));
    saver.appendText(QStringLiteral("two "));
    QTRY_COMPARE(saver.writeCount(), 2);
    saver.setState(State::Complete);
    QVERIFY(saver.isCommitted());
    QVERIFY(saver.isSaved());
    QCOMPARE(storedContent(), QStringLiteral("one two "));
    {
        ConversationStore reopened(path);
        QVERIFY(!reopened.isOpen());
        QCOMPARE(reopened.lastErrorKind(), ConversationStore::ErrorKind::ReadOnly);
    }
    for (const QString &file : files)
        QVERIFY(!QFile::exists(file) ||
                QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner));
}

void TestAnswerSaver::committedOnlyOnceTheFinalWriteSucceeds()
{
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    saver.setRetryDelays(10, 40);
    QSignalSpy commits(&saver, &AnswerSaver::committed);
    saver.appendText(QStringLiteral("streaming"));
    QTRY_COMPARE(saver.writeCount(), 1);
    // Saved while streaming is not committed: the answer is not final.
    QVERIFY(!saver.isCommitted());
    QCOMPARE(commits.size(), 0);
    saver.setState(State::Complete);
    QVERIFY(saver.isCommitted());
    QCOMPARE(commits.size(), 1);
    QCOMPARE(commits.at(0).at(0).value<State>(), State::Complete);
    // The same state again is no new commit.
    saver.setState(State::Complete);
    QCOMPARE(commits.size(), 1);
    // Continued: streaming again, not committed until it ends once more.
    saver.setState(State::Streaming);
    QVERIFY(!saver.isCommitted());
    saver.appendText(QStringLiteral(" more"));
    saver.setState(State::Cancelled);
    QCOMPARE(commits.size(), 2);
    QCOMPARE(commits.at(1).at(0).value<State>(), State::Cancelled);
    QCOMPARE(storedContent(), QStringLiteral("streaming more"));
}

void TestAnswerSaver::lastEventIdWrittenWithEverySave()
{
    // Every UPDATE of the row, as the database saw it.
    RawDatabase raw(m_store->path());
    QVERIFY(raw.exec(QStringLiteral("CREATE TABLE save_log (n INTEGER PRIMARY KEY, content TEXT, "
                                    "last_event_id TEXT, state TEXT)")));
    QVERIFY(raw.exec(QStringLiteral(
        "CREATE TRIGGER log_saves AFTER UPDATE ON messages BEGIN INSERT INTO save_log (content, "
        "last_event_id, state) VALUES (new.content, new.last_event_id, new.state); END")));

    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    // As LiveAnswer does: the event's id, then its text. Which id ends which prefix of the text.
    QHash<qsizetype, QString> idAtLength;
    int events = 0;
    QTimer feeder;
    feeder.setInterval(2);
    connect(&feeder, &QTimer::timeout, this, [&] {
        const QString id = QStringLiteral("ev-%1").arg(++events);
        saver.setLastEventId(id);
        saver.appendText(QStringLiteral("delta %1 كلمة ").arg(events));
        idAtLength.insert(saver.content().size(), id);
    });
    feeder.start();
    QTRY_VERIFY_WITH_TIMEOUT(saver.writeCount() >= 4, 30000);
    feeder.stop();
    QTRY_VERIFY(!saver.hasUnsavedChanges());
    // An id on its own (an event without text, e.g. a heartbeat with an id) is saved too.
    saver.setLastEventId(QStringLiteral("ev-heartbeat"));
    QVERIFY(saver.hasUnsavedChanges());
    QTRY_VERIFY(!saver.hasUnsavedChanges());
    saver.setState(State::Complete);

    struct Save
    {
        QString content;
        QString id;
        QString state;
    };
    QList<Save> saves;
    QSqlQuery log(QSqlDatabase::database(m_store->connectionName(), false));
    QVERIFY(
        log.exec(QStringLiteral("SELECT content, last_event_id, state FROM save_log ORDER BY n")));
    while (log.next())
        saves.append({log.value(0).toString(), log.value(1).toString(), log.value(2).toString()});
    QVERIFY(saves.size() >= 5);
    QCOMPARE(saves.size(), saver.writeCount());
    QString previousContent;
    for (qsizetype i = 0; i < saves.size() - 2; ++i) {
        const Save &save = saves.at(i);
        QVERIFY2(saver.content().startsWith(save.content), qPrintable(QString::number(i)));
        // Each save with new text carries the id of the event that ended that text.
        QVERIFY(save.content != previousContent);
        QVERIFY2(idAtLength.value(save.content.size()) == save.id,
                 qPrintable(QStringLiteral("save %1: %2 characters with id %3, expected %4")
                                .arg(i)
                                .arg(save.content.size())
                                .arg(save.id, idAtLength.value(save.content.size()))));
        QCOMPARE(save.state, QStringLiteral("streaming"));
        previousContent = save.content;
    }
    // Then the id alone, then the final state with the same text and id.
    const Save &heartbeat = saves.at(saves.size() - 2);
    const Save &last = saves.last();
    QCOMPARE(heartbeat.content, saver.content());
    QCOMPARE(heartbeat.id, QStringLiteral("ev-heartbeat"));
    QCOMPARE(heartbeat.state, QStringLiteral("streaming"));
    QCOMPARE(last.content, saver.content());
    QCOMPARE(last.id, QStringLiteral("ev-heartbeat"));
    QCOMPARE(last.state, QStringLiteral("complete"));
}

QTEST_GUILESS_MAIN(TestAnswerSaver)
#include "tst_answersaver.moc"
