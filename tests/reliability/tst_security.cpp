// Security (issue 6): the API key never reaches a file or a log; the demo server will not listen
// beyond loopback without a token and refuses requests without it; TLS is refused unless the
// server's certificate is the profile's trusted CA; Markdown from a model loads nothing and
// offers no dangerous link.
//
// main() points HOME and every XDG directory into one temporary directory before Qt starts, so
// "every file the app wrote" is simply every file under it, and it points D-Bus nowhere, so no
// real keychain ever receives the test's key.
#include "chat/ChatStream.h"
#include "ui/ChatView.h"
#include "session/ConversationSession.h"
#include "store/ConversationStore.h"
#include "server/DemoServer.h"
#include "MainWindow.h"
#include "settings/NetworkSetup.h"
#include "settings/ProfileNetworkAccessManager.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"

#include <QApplication>
#include <QDirIterator>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using namespace qalam;

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

ChatRequest chatRequest(const QUrl &url, const QString &key = {})
{
    ChatRequest request;
    request.url = url;
    request.model = QStringLiteral("qalam-demo");
    request.messages = {ChatMessage{ChatMessage::Role::User, QStringLiteral("What can Qalam do?")}};
    request.apiKey = key;
    return request;
}

struct Finished
{
    ChatStream::Outcome outcome = ChatStream::Outcome::Failed;
    QString message;
};

// Runs one answer to its end and returns the outcome.
std::optional<Finished> runToEnd(ChatStream &stream, const ChatRequest &request)
{
    std::optional<Finished> result;
    QObject context;
    QObject::connect(&stream, &ChatStream::finished, &context,
                     [&](ChatStream::Outcome outcome, const QString &message) {
                         result = Finished{outcome, message};
                     });
    stream.start(request);
    if (!QTest::qWaitFor([&] { return result.has_value(); }, kLong))
        qWarning("the answer did not end within %d ms", kLong);
    return result;
}

// A TLS server on 127.0.0.1 with the given certificate: each request that makes it through the
// handshake gets a short OpenAI-style answer ("hello", then [DONE]).
class TlsServer : public QTcpServer
{
public:
    TlsServer(QSslCertificate certificate, QSslKey key)
        : m_certificate(std::move(certificate)), m_key(std::move(key))
    {
        if (!listen(QHostAddress::LocalHost, 0))
            qFatal("TlsServer: cannot listen: %s", qPrintable(errorString()));
    }
    int handshakes() const { return m_handshakes; }
    int requests() const { return m_requests; }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setLocalCertificate(m_certificate);
        socket->setPrivateKey(m_key);
        auto request = std::make_shared<QByteArray>();
        connect(socket, &QSslSocket::encrypted, this, [this] { ++m_handshakes; });
        connect(socket, &QSslSocket::readyRead, this, [this, socket, request] {
            request->append(socket->readAll());
            if (!request->contains("\r\n\r\n") || request->isEmpty())
                return;
            ++m_requests;
            request->clear();
            request->append('\0'); // answered: later bytes (the POST body) are ignored
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                R"(data: {"choices":[{"index":0,"delta":{"content":"hello"}}]})"
                "\n\ndata: [DONE]\n\n");
            socket->disconnectFromHost();
        });
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        socket->startServerEncryption();
    }

private:
    QSslCertificate m_certificate;
    QSslKey m_key;
    int m_handshakes = 0;
    int m_requests = 0;
};

// A point inside the first occurrence of `needle` in a message, in viewport coordinates (as in
// tests/ui/tst_chatview.cpp).
QPoint pointOfText(const ChatView &view, int message, const QString &needle)
{
    const MessageLayout &layout = view.messageLayout(message);
    for (int i = 0; i < layout.blockCount(); ++i) {
        const BlockDocument *document = layout.block(i);
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            const int at = int(block.text().indexOf(needle));
            if (at < 0)
                continue;
            const QTextLayout *textLayout = block.layout();
            const QTextLine line = textLayout->lineForTextPosition(at + 1);
            const qreal x = line.cursorToX(at + 1);
            const QPointF local =
                textLayout->position() + QPointF(x + 1, line.y() + line.height() / 2);
            return view.messageContentRect(message).topLeft() + QPoint(0, layout.blockTop(i)) +
                   local.toPoint();
        }
    }
    return {};
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
    // Writes a self-signed certificate for `subjectAltName` and its key; false when openssl fails.
    bool makeCertificate(const QString &subjectAltName, const QString &certPath,
                         const QString &keyPath);
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
        MainWindow window(options);
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
        const auto result = runToEnd(stream, chatRequest(url, wrong));
        QVERIFY(result);
        qInfo("key '%s': %s", qPrintable(wrong), qPrintable(result->message));
        QCOMPARE(result->outcome, ChatStream::Outcome::Failed);
        QVERIFY2(result->message.contains(QLatin1String("401")) &&
                     result->message.contains(QLatin1String("credentials")),
                 qPrintable(result->message));
        QVERIFY(stream.text().isEmpty());
    }
    ChatStream stream(ChatProtocol::Kind::OpenAi);
    const auto result = runToEnd(stream, chatRequest(url, token));
    QVERIFY(result);
    QCOMPARE(result->outcome, ChatStream::Outcome::Completed);
    QVERIFY(!stream.text().isEmpty());
}

bool TestSecurity::makeCertificate(const QString &subjectAltName, const QString &certPath,
                                   const QString &keyPath)
{
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral(QALAM_OPENSSL),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                   keyPath, QStringLiteral("-out"), certPath, QStringLiteral("-days"),
                   QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=Qalam test server"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=") + subjectAltName, QStringLiteral("-addext"),
                   QStringLiteral("basicConstraints=critical,CA:TRUE")});
    if (!openssl.waitForFinished(60000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0) {
        qWarning("openssl failed: %s", openssl.readAll().constData());
        return false;
    }
    return true;
}

// A TLS server whose self-signed certificate (made here with the openssl CLI) is not trusted
// by the profile is refused during the handshake, with a message naming the certificate
// problem, and no HTTP request (hence no key) is sent; trusted as the profile's CA, it works.
// Host names are checked too: trusted but issued for another name, it is refused again.
void TestSecurity::tlsTrustsOnlyTheProfileCa()
{
    if (QStringLiteral(QALAM_OPENSSL).isEmpty())
        QSKIP("the openssl CLI was not found at configure time (scripts/setup.sh installs it)");
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here");

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cert = dir.filePath(QStringLiteral("server.pem"));
    const QString key = dir.filePath(QStringLiteral("server.key"));
    QVERIFY(makeCertificate(QStringLiteral("IP:127.0.0.1"), cert, key));
    const QString otherCert = dir.filePath(QStringLiteral("other.pem"));
    const QString otherKey = dir.filePath(QStringLiteral("other.key"));
    QVERIFY(makeCertificate(QStringLiteral("DNS:qalam.invalid"), otherCert, otherKey));

    const auto load = [](const QString &certPath, const QString &keyPath) {
        QFile certFile(certPath);
        QFile keyFile(keyPath);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
            qFatal("cannot read the test certificate");
        return std::make_unique<TlsServer>(QSslCertificate(certFile.readAll(), QSsl::Pem),
                                           QSslKey(keyFile.readAll(), QSsl::Rsa, QSsl::Pem));
    };

    struct Case
    {
        const char *name;
        QString certPath, keyPath, trusted;
        bool works;
        const char *mentions;
    };
    const QList<Case> cases = {
        // One clear line per problem (TlsErrorText), not OpenSSL's "issuer certificate of a
        // locally looked up certificate could not be found".
        {"untrusted", cert, key, QString(), false, "it is self-signed"},
        {"trusted as the profile's CA", cert, key, cert, true, ""},
        {"trusted, wrong host name", otherCert, otherKey, otherCert, false,
         "it is issued for qalam.invalid, not for 127.0.0.1"},
    };
    for (const Case &c : cases) {
        auto server = load(c.certPath, c.keyPath);
        Profile profile = Profile::create(QStringLiteral("TLS"));
        profile.baseUrl = QUrl(QStringLiteral("https://127.0.0.1:%1/v1").arg(server->serverPort()));
        profile.caCertificatePath = c.trusted;
        ProfileNetworkAccessManager network;
        ProxySettings direct;
        direct.mode = ProxySettings::Mode::None;
        QCOMPARE(network.configure(profile, direct), QString());

        ChatStream stream(ChatProtocol::Kind::OpenAi, &network);
        const auto result =
            runToEnd(stream, chatRequest(profile.baseUrl, QStringLiteral("sk-never-sent")));
        QVERIFY(result);
        qInfo("TLS %s: %s%s", c.name,
              c.works ? "completed" : "refused: ", qPrintable(result->message));
        if (c.works) {
            QCOMPARE(result->outcome, ChatStream::Outcome::Completed);
            QCOMPARE(stream.text(), QStringLiteral("hello"));
            QCOMPARE(server->requests(), 1);
        } else {
            QCOMPARE(result->outcome, ChatStream::Outcome::Failed);
            QVERIFY2(result->message.startsWith(
                         QLatin1String("the server's certificate for 127.0.0.1 was refused: ")) &&
                         result->message.contains(QLatin1String(c.mentions)),
                     qPrintable(result->message));
            QVERIFY(stream.text().isEmpty());
            QCOMPARE(server->requests(), 0); // no request, no header, no key left the client
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
    int connections = 0;
    connect(&tracker, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = tracker.nextPendingConnection()) {
            ++connections;
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
    QTest::qWait(300); // any request the rendering started would have connected by now
    QCOMPARE(connections, 0);

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
    QTest::qWait(200);
    QCOMPARE(connections, 0);
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
    return QTest::qExec(&test, argc, argv);
}

#include "tst_security.moc"
