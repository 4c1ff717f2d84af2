// AnswerSaver: throttled saving of a streaming answer, immediate saving of state changes.
// Intervals are short so the suite is quick; assertions are on what was saved and on how many
// writes happened, never on how fast anything ran.
#include "AnswerSaver.h"
#include "ConversationStore.h"
#include "StoreTestSupport.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace qalam;
using State = StoredMessage::State;

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
    void reportsFailedSaves();
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

    // Nothing unsaved, nothing written, however long it waits.
    QTest::qWait(interval * 5);
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

    // The pending timed save was folded into that write.
    QTest::qWait(interval * 5);
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

void TestAnswerSaver::reportsFailedSaves()
{
    AnswerSaver saver(m_store.get(), m_answerId);
    saver.setInterval(interval);
    QSignalSpy failures(&saver, &AnswerSaver::saveFailed);
    // The user regenerated: the answer being saved is gone.
    QVERIFY(m_store->deleteMessagesAfter(m_answerId - 1));
    saver.appendText(QStringLiteral("orphan text"));
    QTRY_COMPARE(failures.size(), 1);
    QVERIFY2(failures.at(0).at(0).toString().contains(QStringLiteral("does not exist")),
             qPrintable(failures.at(0).at(0).toString()));
    QVERIFY(saver.hasUnsavedChanges());
    QCOMPARE(saver.writeCount(), 0);
    // It does not retry in a loop: only the next change tries again.
    QTest::qWait(interval * 5);
    QCOMPARE(failures.size(), 1);
    QVERIFY(!saver.flush());
    QCOMPARE(failures.size(), 2);
}

QTEST_GUILESS_MAIN(TestAnswerSaver)
#include "tst_answersaver.moc"
