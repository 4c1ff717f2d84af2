// Test connection, against real local servers: an OpenAI-compatible server listing its models,
// one refusing the key with an OpenAI error body, one without a model list, an admin stream, a
// closed port, a server that never answers (cancelled), a self-signed TLS server; and the
// profile editor's button, which tests the form as it is (unsaved) with the key typed in and
// never shows the key.
#include "ConnectionTester.h"
#include "LanguageManager.h"
#include "MemorySecretBackend.h"
#include "ProfileDialog.h"
#include "ScriptedServer.h"
#include "TlsTestServer.h"
#include "ToolSkip.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qalam;
using namespace qalam::test;
using Outcome = ConnectionTester::Outcome;

namespace {

constexpr int kLong = 30000;
const QByteArray kKey = "sk-test-0123456789abcdef";

const QByteArray kModels =
    R"({"object":"list","data":[{"id":"gpt-4o-mini","object":"model"},)"
    R"({"id":"llama-3.1-8b","object":"model"},{"id":"qwen2.5-7b","object":"model"}]})";
const QByteArray kUnauthorized =
    R"({"error":{"message":"Incorrect API key provided: sk-te****cdef.","type":)"
    R"("invalid_request_error","param":null,"code":"invalid_api_key"}})";

Profile openAiProfile(const QUrl &base, const QString &model = {})
{
    Profile profile = Profile::create(QStringLiteral("Local"));
    profile.baseUrl = base;
    profile.protocol = ChatProtocol::Kind::OpenAi;
    profile.model = model;
    return profile;
}

ConnectionTester::Result runTest(ConnectionTester &tester, const Profile &profile,
                                 const QString &key = QString::fromLatin1(kKey))
{
    QSignalSpy finished(&tester, &ConnectionTester::finished);
    ProxySettings direct;
    direct.mode = ProxySettings::Mode::None;
    tester.start(profile, key, direct);
    if (!finished.wait(kLong))
        return {Outcome::Cancelled, QStringLiteral("no result")};
    return finished.at(0).at(0).value<ConnectionTester::Result>();
}

} // namespace

class TestConnectionTester : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelsListed();
    void modelNotListedIsSaid();
    void refusedKeyQuotesTheServer();
    void closedPortIsConnectionRefused();
    void noModelListFallsBackToTheChatRequest();
    void adminStreamIsAskedOnce();
    void redirectIsReportedNotFollowed();
    void cancelEndsAStalledTest();
    void selfSignedCertificateIsATlsError();
    void invalidProfileIsSaidAtOnce();
    void dialogTestsTheUnsavedForm();

private:
    QTemporaryDir m_dir;
    LanguageManager m_languages;
};

// The English texts as the app shows them (plural forms from qalam_en.qm).
void TestConnectionTester::initTestCase()
{
    QVERIFY(m_languages.setLanguage(QStringLiteral("en")));
}

void TestConnectionTester::modelsListed()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::response(200, {"Content-Type: application/json"}, kModels);
    });
    ConnectionTester tester;
    const auto result = runTest(tester, openAiProfile(server.url(QStringLiteral("/v1"))));
    QCOMPARE(result.outcome, Outcome::Connected);
    QCOMPARE(result.text, QStringLiteral("Connected: 3 models"));
    QCOMPARE(server.requests().size(), 1);
    const RecordedRequest &request = server.requests().at(0);
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.path, QByteArray("/v1/models"));
    QCOMPARE(request.header("Authorization"), QByteArray("Bearer " + kKey));
    QVERIFY(!tester.isRunning());
}

void TestConnectionTester::modelNotListedIsSaid()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::response(200, {"Content-Type: application/json"}, kModels);
    });
    ConnectionTester tester;
    // The full chat URL works as a base too.
    const auto listed =
        runTest(tester, openAiProfile(server.url(QStringLiteral("/v1/chat/completions")),
                                      QStringLiteral("qwen2.5-7b")));
    QCOMPARE(listed.text, QStringLiteral("Connected: 3 models"));
    QCOMPARE(server.requests().at(0).path, QByteArray("/v1/models"));
    const auto missing = runTest(
        tester, openAiProfile(server.url(QStringLiteral("/v1")), QStringLiteral("gpt-5-ultra")));
    QCOMPARE(missing.outcome, Outcome::Connected);
    QVERIFY(missing.text.contains(QStringLiteral("“gpt-5-ultra” is not among them")));
}

void TestConnectionTester::refusedKeyQuotesTheServer()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::response(401, {"Content-Type: application/json"}, kUnauthorized);
    });
    ConnectionTester tester;
    const auto result = runTest(tester, openAiProfile(server.url(QStringLiteral("/v1"))));
    QCOMPARE(result.outcome, Outcome::Refused);
    QCOMPARE(result.text,
             QStringLiteral("Refused: 401 — Incorrect API key provided: sk-te****cdef."));
    QVERIFY(!result.text.contains(QString::fromLatin1(kKey)));
    QCOMPARE(server.requests().size(), 1); // a refusal is not retried on the chat endpoint
}

void TestConnectionTester::closedPortIsConnectionRefused()
{
    ConnectionTester tester;
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/v1").arg(ScriptedServer::closedPort()));
    const auto result = runTest(tester, openAiProfile(url));
    QCOMPARE(result.outcome, Outcome::Unreachable);
    QVERIFY2(result.text.startsWith(QLatin1String("Could not connect: connection refused")),
             qPrintable(result.text));
}

void TestConnectionTester::noModelListFallsBackToTheChatRequest()
{
    ScriptedServer server([](const RecordedRequest &request, int) {
        if (request.path.endsWith("/models"))
            return Script::response(404, {"Content-Type: text/plain"}, "not found");
        return Script::eventStream("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n")
            .stall();
    });
    ConnectionTester tester;
    const auto result = runTest(
        tester, openAiProfile(server.url(QStringLiteral("/v1")), QStringLiteral("local-model")));
    QCOMPARE(result.outcome, Outcome::Connected);
    QVERIFY(result.text.contains(QLatin1String("streams its answers")));
    QCOMPARE(server.requests().size(), 2);
    const RecordedRequest &chat = server.requests().at(1);
    QCOMPARE(chat.method, QByteArray("POST"));
    QCOMPARE(chat.path, QByteArray("/v1/chat/completions"));
    QVERIFY(chat.body.contains("\"local-model\""));
    QCOMPARE(chat.header("Authorization"), QByteArray("Bearer " + kKey));
    // The test ended at the answer's head: the stalled stream was closed by the client.
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kLong);
}

void TestConnectionTester::adminStreamIsAskedOnce()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::eventStream("event: delta\ndata: {\"seq\":1,\"text\":\"Hi\"}\n\n").stall();
    });
    Profile profile = Profile::create(QStringLiteral("Admin"));
    profile.protocol = ChatProtocol::Kind::AdminStream;
    profile.baseUrl = server.url(QStringLiteral("/api/v1/stream/chat"));
    ConnectionTester tester;
    const auto result = runTest(tester, profile);
    QCOMPARE(result.outcome, Outcome::Connected);
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().at(0).method, QByteArray("POST"));
    QCOMPARE(server.requests().at(0).path, QByteArray("/api/v1/stream/chat"));

    // An admin stream that refuses: its own error message.
    ScriptedServer refusing([](const RecordedRequest &, int) {
        return Script::response(
            403, {"Content-Type: application/json"},
            R"({"error":{"code":"forbidden","message":"This token may not use the chat."}})");
    });
    profile.baseUrl = refusing.url(QStringLiteral("/api/v1/stream/chat"));
    const auto refused = runTest(tester, profile);
    QCOMPARE(refused.outcome, Outcome::Refused);
    QCOMPARE(refused.text, QStringLiteral("Refused: 403 — This token may not use the chat."));
}

void TestConnectionTester::redirectIsReportedNotFollowed()
{
    ScriptedServer server([](const RecordedRequest &, int) {
        return Script::response(301, {"Location: https://api.example.com/v1/models"});
    });
    ConnectionTester tester;
    const auto result = runTest(tester, openAiProfile(server.url(QStringLiteral("/v1"))));
    QCOMPARE(result.outcome, Outcome::Refused);
    QVERIFY(result.text.contains(QLatin1String("https://api.example.com/v1/models")));
    QCOMPARE(server.requests().size(), 1);
}

void TestConnectionTester::cancelEndsAStalledTest()
{
    ScriptedServer server([](const RecordedRequest &, int) { return Script().stall(); });
    ConnectionTester tester;
    QSignalSpy finished(&tester, &ConnectionTester::finished);
    QSignalSpy received(&server, &ScriptedServer::requestReceived);
    ProxySettings direct;
    direct.mode = ProxySettings::Mode::None;
    tester.start(openAiProfile(server.url(QStringLiteral("/v1"))), QString(), direct);
    QVERIFY(received.wait(kLong));
    QVERIFY(tester.isRunning());
    tester.cancel();
    QVERIFY(!tester.isRunning());
    QVERIFY(finished.wait(kLong));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).value<ConnectionTester::Result>().outcome, Outcome::Cancelled);
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kLong);
}

void TestConnectionTester::selfSignedCertificateIsATlsError()
{
    if (const char *why = tlsTestsUnavailable())
        QALAM_SKIP_FOR_MISSING_TOOL(why);
    TestCertificate certificate(QStringLiteral("IP:127.0.0.1"));
    QVERIFY(certificate.isValid());
    TlsTestServer server(certificate); // listening on loopback
    ConnectionTester tester;
    const QUrl url(QStringLiteral("https://127.0.0.1:%1/v1").arg(server.serverPort()));
    const auto result = runTest(tester, openAiProfile(url));
    QCOMPARE(result.outcome, Outcome::Unreachable);
    QVERIFY2(result.text.startsWith(QLatin1String("TLS error:")), qPrintable(result.text));

    // Trusting the profile's CA file makes the same server pass the handshake.
    Profile trusted = openAiProfile(url);
    trusted.caCertificatePath = certificate.certPath();
    const auto passed = runTest(tester, trusted);
    QVERIFY2(!passed.text.startsWith(QLatin1String("TLS error:")), qPrintable(passed.text));
}

void TestConnectionTester::invalidProfileIsSaidAtOnce()
{
    ConnectionTester tester;
    const auto result = runTest(tester, openAiProfile(QUrl(QStringLiteral("ftp://example.com"))));
    QCOMPARE(result.outcome, Outcome::Invalid);
    QVERIFY(!result.text.isEmpty());
}

// The editor's button: the fields as typed, not saved; the key typed in is the one sent and is
// shown nowhere; the result is inline; nothing was saved by testing.
void TestConnectionTester::dialogTestsTheUnsavedForm()
{
    ScriptedServer server([](const RecordedRequest &request, int) {
        if (request.header("Authorization") == "Bearer " + kKey)
            return Script::response(200, {"Content-Type: application/json"}, kModels);
        return Script::response(401, {"Content-Type: application/json"}, kUnauthorized);
    });
    QHash<QString, QString> vault;
    ProfileStore profiles(m_dir.filePath(QStringLiteral("dialog.ini")));
    SecretStore secrets(
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, &vault));
    ProfileDialog dialog(&profiles, &secrets);
    dialog.select(Profile::demoId()); // only the demo: a new profile's form
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *url = dialog.findChild<QLineEdit *>(QStringLiteral("profileUrl"));
    auto *key = dialog.findChild<QLineEdit *>(QStringLiteral("profileKey"));
    QVERIFY(url && key && url->isEnabled());
    url->setText(server.url(QStringLiteral("/v1")).toString());
    QVERIFY(dialog.testButton()->isEnabled());

    // Without a key: the server's refusal.
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.testResult()->text().startsWith(QLatin1String("Refused: 401")),
                             kLong);
    QCOMPARE(dialog.testButton()->text(), QStringLiteral("Test connection"));

    // With the key typed in (not saved): connected.
    QTest::keyClicks(key, QString::fromLatin1(kKey));
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.testResult()->text(), QStringLiteral("Connected: 3 models"),
                              kLong);
    QCOMPARE(server.requests().last().header("Authorization"), QByteArray("Bearer " + kKey));
    QVERIFY(!dialog.testResult()->text().contains(QString::fromLatin1(kKey)));
    QCOMPARE(profiles.profiles().size(), 1); // testing saved nothing
    QVERIFY(vault.isEmpty());

    // While it runs the button cancels; the dialog answers meanwhile.
    ScriptedServer silent([](const RecordedRequest &, int) { return Script().stall(); });
    QSignalSpy received(&silent, &ScriptedServer::requestReceived);
    url->setText(silent.url(QStringLiteral("/v1")).toString());
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QVERIFY(received.wait(kLong));
    QCOMPARE(dialog.testButton()->text(), QStringLiteral("Cancel test"));
    QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("profileModel")),
                     QStringLiteral("m"));
    QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("profileModel"))->text(),
             QStringLiteral("m"));
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QCOMPARE(dialog.testResult()->text(), QStringLiteral("Test cancelled."));
    QCOMPARE(dialog.testButton()->text(), QStringLiteral("Test connection"));
    QTRY_COMPARE_WITH_TIMEOUT(silent.openConnections(), 0, kLong);
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    TestConnectionTester test;
    QTEST_SET_MAIN_SOURCE_PATH
    return qalam::test::exitCode(QTest::qExec(&test, argc, argv));
}

#include "tst_connectiontester.moc"
