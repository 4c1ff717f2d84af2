// Kill the process in the middle of a streamed answer (SIGKILL, as a crash or the OOM killer
// would), reopen the database: nothing corrupt, the question whole, the answer a prefix of what
// streamed and at least as long as the last save the helper reported, then marked interrupted.
#include "CrashAnswerText.h"
#include "store/ConversationStore.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace qalam;

class TestStoreCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killMidAnswer_data();
    void killMidAnswer();
};

void TestStoreCrash::killMidAnswer_data()
{
    QTest::addColumn<int>("killAfterSaves");
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<int>("repeat");
    // Before the first save, after a few, after many; and with large chunks and a 1 ms interval
    // so writes of hundreds of KB run back to back and the kill likely lands inside one.
    QTest::newRow("before the first save") << 0 << 50 << 1;
    QTest::newRow("after one save") << 1 << 50 << 1;
    QTest::newRow("after five saves") << 5 << 30 << 4;
    QTest::newRow("during large writes") << 12 << 1 << 400;
    QTest::newRow("during larger writes") << 25 << 1 << 2000;
}

void TestStoreCrash::killMidAnswer()
{
    QFETCH(int, killAfterSaves);
    QFETCH(int, intervalMs);
    QFETCH(int, repeat);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("qalam.sqlite3"));

    QProcess helper;
    helper.setProcessChannelMode(QProcess::SeparateChannels);
    helper.start(QStringLiteral(QALAM_STORE_CRASH_HELPER),
                 {path, QString::number(intervalMs), QString::number(repeat)});
    QVERIFY2(helper.waitForStarted(30000), qPrintable(helper.errorString()));

    qint64 messageId = 0;
    qint64 lastSaved = 0;
    int saves = 0;
    while (messageId == 0 || saves < killAfterSaves) {
        if (!helper.canReadLine()) {
            QVERIFY2(helper.waitForReadyRead(30000),
                     qPrintable(QString::fromUtf8(helper.readAllStandardError())));
            continue;
        }
        const QString line = QString::fromUtf8(helper.readLine()).trimmed();
        if (line.startsWith(QStringLiteral("message "))) {
            messageId = line.mid(8).toLongLong();
        } else if (line.startsWith(QStringLiteral("saved "))) {
            const qint64 length = line.mid(6).toLongLong();
            QVERIFY(length >= lastSaved);
            lastSaved = length;
            ++saves;
        } else {
            QFAIL(qPrintable(QStringLiteral("unexpected helper output: ") + line));
        }
    }
    helper.kill();
    QVERIFY(helper.waitForFinished(30000));
    QCOMPARE(helper.exitStatus(), QProcess::CrashExit);
    // A save may have committed between the last line read and the kill: only a lower bound.
    while (helper.canReadLine()) {
        const QString line = QString::fromUtf8(helper.readLine()).trimmed();
        if (line.startsWith(QStringLiteral("saved ")))
            lastSaved = line.mid(6).toLongLong();
    }

    ConversationStore store(path);
    QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
    QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
    const auto conversations = store.conversations();
    QVERIFY(conversations);
    QCOMPARE(conversations->size(), 1);
    const auto messages = store.messages(conversations->first().id);
    QVERIFY(messages);
    QCOMPARE(messages->size(), 2);
    QCOMPARE(messages->at(0).content, test::crashQuestion());
    const StoredMessage &answer = messages->at(1);
    QCOMPARE(answer.id, messageId);
    QCOMPARE(answer.state, StoredMessage::State::Streaming);
    QVERIFY2(answer.content.size() >= lastSaved,
             qPrintable(QStringLiteral("%1 < %2").arg(answer.content.size()).arg(lastSaved)));
    QCOMPARE(answer.content,
             test::crashAnswerText(answer.content.size(), repeat).left(answer.content.size()));

    QCOMPARE(store.markStreamingAsInterrupted(), std::optional<int>(1));
    QCOMPARE(store.message(messageId)->state, StoredMessage::State::Interrupted);
    QCOMPARE(store.message(messageId)->content, answer.content);
    QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
}

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "tst_storecrash.moc"
