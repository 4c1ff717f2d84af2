// Security (issue 6): the API key never reaches a file or a log; the demo server will not listen
// beyond loopback without a token and refuses requests without it; TLS is refused unless the
// server's certificate is the profile's trusted CA; Markdown from a model loads nothing and
// offers no dangerous link.
//
// main() points HOME and every XDG directory into one temporary directory before Qt starts, so
// "every file the app wrote" is simply every file under it, and it points D-Bus nowhere, so no
// real keychain ever receives the test's key.
#include "ChatTestSupport.h"
#include "ChatViewTestSupport.h"
#include "MainWindow.h"
#include "MemorySecretBackend.h"
#include "TlsTestServer.h"
#include "ToolSkip.h"
#include "chat/ChatStream.h"
#include "server/DemoServer.h"
#include "session/ConversationSession.h"
#include "settings/NetworkSetup.h"
#include "settings/ProfileNetworkAccessManager.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"
#include "store/ConversationStore.h"
#include "ui/ChatView.h"

#include <QApplication>
#include <QDirIterator>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace qalam;
using namespace qalam::test;

namespace {

constexpr int kLong = 60000; // generous: a loaded 2-core machine must not fail these

// Every message Qt's logging saw, whatever its category or level, for the key search.
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(QString::fromLatin1(context.category ? context.category : "") +
                     QLatin1Char(' ') + message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QString randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &byte : raw)
        byte = char(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(raw.toHex());
}

// The question every answer here is asked.
const QString kQuestion = QStringLiteral("What can Qalam do?");

// Connects to `server` after whatever must not have connected to it, and returns once the server
// has accepted this sentinel (`accepted`: the peer ports of the connections it accepted, in
// order): the kernel queues connections to a listening socket in the order they were made and the
// server accepts them in that order, so anything that connected before the sentinel is in
// `accepted` by then. False when the sentinel was not accepted in time.
bool acceptSentinel(const QTcpServer &server, const QList<quint16> &accepted)
{
    QTcpSocket sentinel;
    sentinel.connectToHost(QHostAddress::LocalHost, server.serverPort());
    if (!sentinel.waitForConnected(kLong))
        return false;
    const quint16 port = sentinel.localPort();
    return QTest::qWaitFor([&] { return accepted.contains(port); }, kLong);
}

} // namespace

class TestSecurity : public QObject
{
    Q_OBJECT

public:
    explicit TestSecurity(QString root) : m_root(std::move(root)) {}

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void apiKeyIsNeverStoredOrLogged();
    void demoServerNeedsTokenBeyondLoopback();
    void demoServerRefusesRequestsWithoutToken();
    void tlsTrustsOnlyTheProfileCa();
    void markdownLoadsNothingAndLinksNothingUnsafe();

private:
    QStringList scanForKey(const QString &key, const QString &question);

    QString m_root;
};

void TestSecurity::initTestCase()
{
    // Debug output of Qalam's own categories too: a key leaking only at debug level still leaks.
    QLoggingCategory::setFilterRules(QStringLiteral("qalam.*=true"));
    g_previousHandler = qInstallMessageHandler(captureMessage);
}

void TestSecurity::cleanupTestCase()
{
    qInstallMessageHandler(g_previousHandler);
}

// A real desktop session against an OpenAI-compatible server that requires the key: the
// answer completing proves the key was sent; afterwards no file under the test's HOME/XDG
// root (settings, database with -wal/-shm, caches, anything else) and no log line contains it.
void TestSecurity::apiKeyIsNeverStoredOrLogged()
{
    const QString key = QStringLiteral("sk-qalam-") + randomHex(24);
    const QString question = QStringLiteral("security probe ") + randomHex(6);
    qputenv("QALAM_SECURITY_TEST_KEY", key.toUtf8());

    server::DemoServer::Options serverOptions;
    serverOptions.token = key; // a request without "Authorization: Bearer <key>" gets 401
    serverOptions.tokensPerSecond = 2000;
    serverOptions.firstTokenMs = 10;
    server::DemoServer backend(serverOptions);
    QVERIFY2(backend.listen(), qPrintable(backend.errorString()));

    const QString data = m_root + QStringLiteral("/session");
    QVERIFY(QDir().mkpath(data));
    DesktopOptions options;
    options.databasePath = data + QStringLiteral("/qalam.sqlite3");
    options.settingsPath = data + QStringLiteral("/qalam.ini");
    {
        MainWindow window(options, nullptr, std::make_unique<MemorySecretBackend>());
        QString error;
        QVERIFY2(window.initialize(&error), qPrintable(error));
        window.resize(800, 600);
        window.show();

        Profile profile = Profile::create(QStringLiteral("Keyed OpenAI"));
        profile.protocol = ChatProtocol::Kind::OpenAi;
        profile.baseUrl = QUrl(backend.url().toString() + QStringLiteral("/v1"));
        profile.model = QStringLiteral("qalam-demo");
        profile.apiKeyEnv = QStringLiteral("QALAM_SECURITY_TEST_KEY");
        QCOMPARE(window.profiles()->saveProfile(profile), QStringList());
        window.applyProfile(profile);
        QTRY_VERIFY_WITH_TIMEOUT(window.isBackendReady(), kLong);

        // The stored-key path too: a SecretStore without a keychain (D-Bus points nowhere) must
        // keep the key in memory only.
        SecretStore secrets;
        secrets.setTimeout(2000);
        std::optional<SecretResult> written;
        secrets.writeKey(profile.id, key, this,
                         [&](const SecretResult &result) { written = result; });
        QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), kLong);
        QVERIFY2(written->ok, qPrintable(written->message));
        QVERIFY(!written->message.contains(key));
        qInfo("SecretStore wrote the key to: %s",
              written->source == SecretResult::Source::Session ? "session memory" : "keychain");

        QSignalSpy finished(window.session(), &ConversationSession::answerFinished);
        window.ask(question);
        QVERIFY(finished.wait(kLong));
        const StoredMessage answer = window.session()->messages().at(1);
        QCOMPARE(answer.state, StoredMessage::State::Complete); // the server accepted the key
        QVERIFY(answer.content.size() > 100);

        // Searched while the session is still open, so the SQLite -wal and -shm files are there.
        const QStringList scanned = scanForKey(key, question);
        QVERIFY(!QTest::currentTestFailed());
        qInfo("during the session, searched %lld files for the key: %s", qlonglong(scanned.size()),
              qPrintable(scanned.join(QLatin1String(", "))));
        window.close();
    } // the window and its store are gone: settings and database are flushed and closed

    // Searched again now that the window is closed (settings synced, WAL checkpointed).
    const QStringList scanned = scanForKey(key, question);
    QVERIFY(!QTest::currentTestFailed());
    qInfo("after the session, searched %lld files for the key: %s", qlonglong(scanned.size()),
          qPrintable(scanned.join(QLatin1String(", "))));
    QVERIFY(scanned.contains(QStringLiteral("session/qalam.ini")));
    QVERIFY(scanned.contains(QStringLiteral("session/qalam.sqlite3")));

    QStringList log;
    {
        QMutexLocker lock(&g_logMutex); // released before qInfo(), which comes back here
        log = g_log;
    }
    qInfo("searched %lld log messages for the key", qlonglong(log.size()));
    for (const QString &line : std::as_const(log))
        QVERIFY2(!line.contains(key), "the key is in the log");
    qunsetenv("QALAM_SECURITY_TEST_KEY");
}

// Fails the current test if any file under the root holds the key (as UTF-8, UTF-16 or
// base64), or if none holds the question (then the search could not see the session's writes).
// Returns the files searched, relative to the root.
QStringList TestSecurity::scanForKey(const QString &key, const QString &question)
{
    const QList<QByteArray> needles = {
        key.toUtf8(), QByteArray(reinterpret_cast<const char *>(key.utf16()), key.size() * 2),
        key.toUtf8().toBase64(QByteArray::OmitTrailingEquals)};
    QStringList scanned;
    bool questionFound = false;
    QDirIterator files(m_root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks,
                       QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString path = files.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue; // a -shm or -journal file that vanished between listing and reading
        const QByteArray bytes = file.readAll();
        for (const QByteArray &needle : needles) {
            if (bytes.contains(needle))
                QTest::qFail(qPrintable(QStringLiteral("the key is in ") + path), __FILE__,
                             __LINE__);
        }
        questionFound = questionFound || bytes.contains(question.toUtf8());
        scanned.append(QDir(m_root).relativeFilePath(path));
    }
    if (!questionFound)
        QTest::qFail("the question is in no file: the search cannot see the session's writes",
                     __FILE__, __LINE__);
    return scanned;
}

// Listening beyond loopback without a token fails before any socket is bound, with a message
// that says why. (Only listen() is called: no traffic ever goes to a non-loopback address.)
void TestSecurity::demoServerNeedsTokenBeyondLoopback()
{
    for (const QHostAddress &address :
         {QHostAddress(QHostAddress::AnyIPv4), QHostAddress(QHostAddress::AnyIPv6),
          QHostAddress(QStringLiteral("192.0.2.1"))}) {
        server::DemoServer::Options options;
        options.address = address;
        server::DemoServer server(options);
        QVERIFY(!server.listen());
        qInfo("bind %s without a token: %s", qPrintable(address.toString()),
              qPrintable(server.errorString()));
        QVERIFY2(server.errorString().contains(QLatin1String("requires a token")),
                 qPrintable(server.errorString()));
        QVERIFY(server.errorString().contains(address.toString()));
        QCOMPARE(server.port(), quint16(0));
    }
}

// With a token (here on 0.0.0.0, the case that needs one; reached through 127.0.0.1 only),
// no key and a wrong key get 401 as a clear credentials error; the right key gets the answer.
void TestSecurity::demoServerRefusesRequestsWithoutToken()
{
    const QString token = randomHex(16);
    server::DemoServer::Options options;
    options.address = QHostAddress(QHostAddress::AnyIPv4);
    options.token = token;
    options.tokensPerSecond = 2000;
    options.firstTokenMs = 10;
    server::DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/v1").arg(server.port()));

    for (const QString &wrong : {QString(), QStringLiteral("not-the-token")}) {
        ChatStream stream(ChatProtocol::Kind::OpenAi);
        const ChatRun result = runToEnd(stream, chatRequest(url, kQuestion, wrong), kLong);
        QVERIFY(result.finished);
        qInfo("key '%s': %s", qPrintable(wrong), qPrintable(result.message));
        QCOMPARE(result.outcome, ChatStream::Outcome::Failed);
        QVERIFY2(result.message.contains(QLatin1String("401")) &&
                     result.message.contains(QLatin1String("credentials")),
                 qPrintable(result.message));
        QVERIFY(stream.text().isEmpty());
    }
    ChatStream stream(ChatProtocol::Kind::OpenAi);
    const ChatRun result = runToEnd(stream, chatRequest(url, kQuestion, token), kLong);
    QVERIFY(result.finished);
    QCOMPARE(result.outcome, ChatStream::Outcome::Completed);
    QVERIFY(!stream.text().isEmpty());
}

// A TLS server whose self-signed certificate (made here with the openssl CLI) is not trusted
// by the profile is refused during the handshake, with a message naming the certificate
// problem, and no HTTP request (hence no key) is sent; trusted as the profile's CA, it works.
// Host names are checked too: trusted but issued for another name, it is refused again.
void TestSecurity::tlsTrustsOnlyTheProfileCa()
{
    if (const char *why = tlsTestsUnavailable())
        QALAM_SKIP_FOR_MISSING_TOOL(why);

    const TestCertificate local(QStringLiteral("IP:127.0.0.1"));
    QVERIFY(local.isValid());
    const TestCertificate other(QStringLiteral("DNS:qalam.invalid"));
    QVERIFY(other.isValid());

    struct Case
    {
        const char *name;
        const TestCertificate *certificate;
        QString trusted;
        bool works;
        const char *mentions;
    };
    const QList<Case> cases = {
        // One clear line per problem (TlsErrorText), not OpenSSL's "issuer certificate of a
        // locally looked up certificate could not be found".
        {"untrusted", &local, QString(), false, "it is self-signed"},
        {"trusted as the profile's CA", &local, local.certPath(), true, ""},
        {"trusted, wrong host name", &other, other.certPath(), false,
         "it is issued for qalam.invalid, not for 127.0.0.1"},
    };
    for (const Case &c : cases) {
        TlsTestServer server(*c.certificate);
        Profile profile = Profile::create(QStringLiteral("TLS"));
        profile.baseUrl = QUrl(QStringLiteral("https://127.0.0.1:%1/v1").arg(server.serverPort()));
        profile.caCertificatePath = c.trusted;
        ProfileNetworkAccessManager network;
        ProxySettings direct;
        direct.mode = ProxySettings::Mode::None;
        QCOMPARE(network.configure(profile, direct), QString());

        ChatStream stream(ChatProtocol::Kind::OpenAi, &network);
        const ChatRun result = runToEnd(
            stream, chatRequest(profile.baseUrl, kQuestion, QStringLiteral("sk-never-sent")),
            kLong);
        QVERIFY(result.finished);
        qInfo("TLS %s: %s%s", c.name,
              c.works ? "completed" : "refused: ", qPrintable(result.message));
        if (c.works) {
            QCOMPARE(result.outcome, ChatStream::Outcome::Completed);
            QCOMPARE(stream.text(), QStringLiteral("hello"));
            QCOMPARE(server.requests(), 1);
        } else {
            QCOMPARE(result.outcome, ChatStream::Outcome::Failed);
            QVERIFY2(result.message.startsWith(
                         QLatin1String("the server's certificate for 127.0.0.1 was refused: ")) &&
                         result.message.contains(QLatin1String(c.mentions)),
                     qPrintable(result.message));
            QVERIFY(stream.text().isEmpty());
            QCOMPARE(server.requests(), 0); // no request, no header, no key left the client
        }
    }
}

// Model output with raw HTML, Markdown images (inline and by reference) and unsafe link
// schemes, all aimed at a live local server: rendering and painting make no connection to it,
// the HTML shows as text, and clicking an unsafe link emits nothing (a safe one does).
void TestSecurity::markdownLoadsNothingAndLinksNothingUnsafe()
{
    QTcpServer tracker;
    QVERIFY(tracker.listen(QHostAddress::LocalHost, 0));
    QList<quint16> accepted; // the peer port of each connection, in the order accepted
    connect(&tracker, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = tracker.nextPendingConnection()) {
            accepted.append(socket->peerPort());
            socket->abort();
            socket->deleteLater();
        }
    });
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(tracker.serverPort());
    const QString markdown =
        QStringLiteral("<img src=\"%1/raw.png\"> <link rel=stylesheet href=\"%1/style.css\">\n\n"
                       "<iframe src=\"%1/frame\"></iframe>\n\n"
                       "![inline](%1/inline.png) ![reference][pixel]\n\n"
                       "<a href=\"javascript:alert(1)\">rawlink</a>\n\n"
                       "[jslink](javascript:alert(1)) [mixedcase](JaVaScRiPt:alert(1)) "
                       "[datalink](data:text/html,<script>alert(1)</script>) "
                       "[filelink](file:///etc/passwd) [vblink](vbscript:msgbox(1)) "
                       "<javascript:alert(2)>\n\n"
                       "[safelink](https://example.com/)\n\n"
                       "[pixel]: %1/reference.png\n")
            .arg(base);

    ChatView view;
    view.resize(700, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy links(&view, &ChatView::linkActivated);
    const int index = view.appendMessage(ChatView::Role::Assistant, markdown);
    QTRY_VERIFY(view.messageLayout(index).hasDocuments());
    view.viewport()->repaint();
    QVERIFY(!view.grab().isNull());
    // Rendering and painting are done. A fetch they made while running (a connection, or a
    // blocking load) connected before the sentinel, so it is counted by the time the sentinel is
    // accepted; one they could start for later would need a network object of the view's own.
    QVERIFY(acceptSentinel(tracker, accepted));
    QCOMPARE(accepted.size(), 1); // the sentinel alone
    QVERIFY(view.findChildren<QNetworkAccessManager *>().isEmpty());
    QVERIFY(view.findChildren<QNetworkReply *>().isEmpty());
    QVERIFY(view.findChildren<QAbstractSocket *>().isEmpty());
    for (int i = 0; i < view.messageLayout(index).blockCount(); ++i) {
        const BlockDocument *document = view.messageLayout(index).block(i);
        for (const char *image : {"/raw.png", "/inline.png", "/reference.png"}) {
            const QUrl url(base + QLatin1String(image));
            QVERIFY(document->resource(QTextDocument::ImageResource, url).isNull());
        }
    }

    QString text;
    const MessageLayout &layout = view.messageLayout(index);
    for (int i = 0; i < layout.blockCount(); ++i)
        text += layout.block(i)->toPlainText();
    text = BlockDocument::stripIsolates(text); // the marks that keep URLs left-to-right
    QVERIFY2(text.contains(QStringLiteral("<img src=\"%1/raw.png\">").arg(base)), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("<iframe")));
    QVERIFY(text.contains(QLatin1String("<a href=\"javascript:alert(1)\">")));

    for (const char *name : {"rawlink", "jslink", "mixedcase", "datalink", "filelink", "vblink"}) {
        const QPoint at = pointOfText(view, index, QLatin1String(name));
        QVERIFY2(!at.isNull(), name);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, at);
        QVERIFY2(links.isEmpty(), name);
    }
    const QPoint safe = pointOfText(view, index, QStringLiteral("safelink"));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, safe);
    QCOMPARE(links.size(), 1); // clicks do reach links: the refusals above are real
    QCOMPARE(links.first().first().toUrl(), QUrl(QStringLiteral("https://example.com/")));

    view.viewport()->repaint();
    QVERIFY(acceptSentinel(tracker, accepted));
    QCOMPARE(accepted.size(), 2); // the two sentinels alone
}

int main(int argc, char *argv[])
{
    // Before anything in Qt reads them: all of the app's writable locations inside one
    // temporary root, no reachable D-Bus (so no keychain), offscreen windows.
    QTemporaryDir root;
    if (!root.isValid())
        qFatal("cannot create a temporary directory");
    const std::pair<const char *, const char *> locations[] = {
        {"HOME", "home"},
        {"XDG_CONFIG_HOME", "config"},
        {"XDG_DATA_HOME", "data"},
        {"XDG_CACHE_HOME", "cache"},
        {"XDG_STATE_HOME", "state"},
        {"XDG_RUNTIME_DIR", "runtime"},
    };
    for (const auto &[variable, directory] : locations) {
        const QString path = root.filePath(QString::fromLatin1(directory));
        QDir().mkpath(path);
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv(variable, path.toUtf8());
    }
    qputenv("DBUS_SESSION_BUS_ADDRESS",
            "unix:path=" + root.filePath(QStringLiteral("no-bus")).toUtf8());
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    TestSecurity test(root.path());
    return qalam::test::exitCode(QTest::qExec(&test, argc, argv));
}

#include "tst_security.moc"
