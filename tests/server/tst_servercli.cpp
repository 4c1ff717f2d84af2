// `qalam-cli serve` and `qalam-cli chat` as a user runs them: separate processes, real HTTP.
#include "server/DemoCorpus.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace qalam::server;

namespace {

const QString kCli = QStringLiteral(QALAM_CLI_PATH);

} // namespace

class TestServeCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void chatAgainstServe_data();
    void chatAgainstServe();
    void refusesOpenAddressWithoutToken();
    void rejectsBadOptions();
    void helpListsEveryOption();

private:
    QProcess m_server;
    QString m_base;
};

void TestServeCli::init()
{
    m_server.start(kCli, {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                          QStringLiteral("--rate"), QStringLiteral("3000"),
                          QStringLiteral("--first-token-ms"), QStringLiteral("0")});
    QVERIFY(m_server.waitForStarted(30000));
    QTRY_VERIFY_WITH_TIMEOUT(m_server.canReadLine(), 30000);
    const QString line = QString::fromUtf8(m_server.readLine());
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral("^listening on (http://127\\.0\\.0\\.1:[1-9][0-9]*)\n$"))
            .match(line);
    QVERIFY2(match.hasMatch(), qPrintable(line));
    m_base = match.captured(1);
}

void TestServeCli::cleanup()
{
    if (m_server.state() != QProcess::NotRunning) {
        m_server.terminate();
        if (!m_server.waitForFinished(10000))
            m_server.kill();
    }
}

void TestServeCli::chatAgainstServe_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("prompt");
    QTest::newRow("admin, English")
        << QStringLiteral("admin") << QStringLiteral("/api/v1/stream/chat")
        << QStringLiteral("What can Qalam do?");
    QTest::newRow("admin, Arabic")
        << QStringLiteral("admin") << QStringLiteral("/admin/api/chat/stream")
        << QStringLiteral("ما الذي يستطيع قلم فعله؟");
    QTest::newRow("openai") << QStringLiteral("openai") << QStringLiteral("/v1")
                            << QStringLiteral("Show me a markdown table");
}

void TestServeCli::chatAgainstServe()
{
    QFETCH(QString, protocol);
    QFETCH(QString, path);
    QFETCH(QString, prompt);
    QProcess chat;
    chat.start(kCli, {QStringLiteral("chat"), QStringLiteral("--url"), m_base + path,
                      QStringLiteral("--protocol"), protocol, QStringLiteral("--metrics"), prompt});
    QVERIFY(chat.waitForFinished(60000));
    const QByteArray errors = chat.readAllStandardError();
    QCOMPARE(chat.exitStatus(), QProcess::NormalExit);
    QVERIFY2(chat.exitCode() == 0, errors.constData());
    QCOMPARE(QString::fromUtf8(chat.readAllStandardOutput()),
             DemoCorpus::builtIn().pick(prompt, {}, 0).text);
    QVERIFY(errors.contains("finish reason: stop")); // --metrics, printed after a completed answer
}

void TestServeCli::refusesOpenAddressWithoutToken()
{
    QProcess open;
    open.start(kCli, {QStringLiteral("serve"), QStringLiteral("--bind"), QStringLiteral("0.0.0.0"),
                      QStringLiteral("--port"), QStringLiteral("0")});
    QVERIFY(open.waitForFinished(30000));
    QCOMPARE(open.exitCode(), 1);
    QVERIFY(open.readAllStandardError().contains("requires a token"));
    QVERIFY(open.readAllStandardOutput().isEmpty());
}

void TestServeCli::rejectsBadOptions()
{
    for (const QStringList &arguments :
         {QStringList{QStringLiteral("--port"), QStringLiteral("70000")},
          QStringList{QStringLiteral("--rate"), QStringLiteral("0")},
          QStringList{QStringLiteral("--bind"), QStringLiteral("nowhere")},
          QStringList{QStringLiteral("--seed"), QStringLiteral("-1")},
          QStringList{QStringLiteral("extra")}}) {
        QProcess bad;
        bad.start(kCli, QStringList{QStringLiteral("serve")} + arguments);
        QVERIFY(bad.waitForFinished(30000));
        QVERIFY2(bad.exitCode() == 2, qPrintable(arguments.join(QLatin1Char(' '))));
    }
    QProcess badFault;
    badFault.start(kCli, {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                          QStringLiteral("--fault"), QStringLiteral("nonsense")});
    QVERIFY(badFault.waitForFinished(30000));
    QCOMPARE(badFault.exitCode(), 1);
    QVERIFY(badFault.readAllStandardError().contains("unknown fault"));
}

void TestServeCli::helpListsEveryOption()
{
    QProcess help;
    help.start(kCli, {QStringLiteral("serve"), QStringLiteral("--help")});
    QVERIFY(help.waitForFinished(30000));
    QCOMPARE(help.exitCode(), 0);
    const QByteArray text = help.readAllStandardOutput();
    for (const char *option : {"--port", "--bind", "--token", "--rate", "--first-token-ms",
                               "--heartbeat-s", "--seed", "--fault"})
        QVERIFY2(text.contains(option), option);
}

QTEST_GUILESS_MAIN(TestServeCli)
#include "tst_servercli.moc"
