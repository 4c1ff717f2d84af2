// A real nginx between Qalam's client and the demo server, configured with the shipped
// packaging/nginx/sse-locations.conf: the stream must still arrive event by event, resume after
// a drop, and carry Last-Event-ID and Authorization to the backend.
//
// Each test starts its own DemoServer and its own nginx (foreground, single process, everything
// in a temporary prefix, a free loopback port), so it runs as root or not and never touches the
// system's nginx. No assertion is on wall-clock time: "arrived while the server was still
// generating" is read from the in-process server's stats() at the moment each event arrives.
#include "ChatTestSupport.h"
#include "ServerTestSupport.h"
#include "SseTestSupport.h"
#include "ToolSkip.h"
#include "chat/ChatStream.h"
#include "doctor/StreamDoctor.h"
#include "server/DemoCorpus.h"
#include "server/DemoServer.h"
#include "sse/SseConsumer.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace qalam;
using namespace qalam::server;
using namespace qalam::test;

namespace {

const QString kLocationsConf = QStringLiteral(QALAM_NGINX_LOCATIONS_CONF);
const QString kPrompt = QStringLiteral("Show me a table");
const QString kArabicPrompt = QStringLiteral("كيف يعمل استئناف البث بعد انقطاع الاتصال؟");
const QString kStreamPath = QStringLiteral("/api/v1/stream/chat");
const QList<QPair<QByteArray, QByteArray>> kJson{{"Content-Type", "application/json"}};

// $QALAM_NGINX, else nginx from the sbin directories (not on a normal user's PATH on Debian).
QString nginxExecutable()
{
    const QString fromEnvironment = qEnvironmentVariable("QALAM_NGINX");
    if (!fromEnvironment.isEmpty())
        return QFileInfo(fromEnvironment).isExecutable() ? fromEnvironment : QString();
    QString found = QStandardPaths::findExecutable(
        QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
    return found.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("nginx")) : found;
}

// A port that was free a moment ago. nginx binds it itself, so another process may take it in
// between: NginxProxy::start() then tries again with a new one.
quint16 freeLoopbackPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

// A private nginx in front of one upstream port. Its config has these locations:
//   /           the shipped include, as a site would use it;
//   /cut-once/  the same include, plus a fault header that makes the demo server drop the first
//               connection of a stream (no Last-Event-ID yet) after 6 events, and no later one;
//   /naive/     a plain proxy_pass with nginx's defaults, ignoring the backend's
//               X-Accel-Buffering, to show what the include prevents;
//   /naive-nogzip/  the same without gzip.
// The http level turns gzip on for text/event-stream, as a site that compresses broadly would:
// the include's `gzip off` must win for the stream.
//
// The demo server frames its body with chunked encoding and sends X-Accel-Buffering: no, the
// easy case: nginx's default buffering holds such a stream back only together with gzip. With
// Backend::CloseDelimited, the upstream is a second server block of the same nginx that
// re-serves the demo server the hard way, as many simple SSE backends answer: no
// X-Accel-Buffering (nginx hides it) and a body that ends when the connection closes. That is
// the backend for which `proxy_buffering off` itself matters.
class NginxProxy
{
public:
    enum class Backend { Chunked, CloseDelimited };

    explicit NginxProxy(quint16 upstreamPort, Backend backend = Backend::Chunked)
        : m_upstreamPort(upstreamPort), m_backend(backend)
    {}
    ~NginxProxy() { stop(); }
    NginxProxy(const NginxProxy &) = delete;
    NginxProxy &operator=(const NginxProxy &) = delete;

    bool start(QString *error)
    {
        const QString program = nginxExecutable();
        if (program.isEmpty()) {
            *error = QStringLiteral("nginx not found (looked in /usr/sbin, /usr/local/sbin, PATH "
                                    "and $QALAM_NGINX): install the Debian package 'nginx', as "
                                    "scripts/setup.sh does");
            return false;
        }
        if (!m_dir.isValid()) {
            *error = QStringLiteral("cannot create a temporary directory: ") + m_dir.errorString();
            return false;
        }
        for (int attempt = 0; attempt < 5; ++attempt) {
            m_port = freeLoopbackPort();
            m_innerPort = m_backend == Backend::CloseDelimited ? freeLoopbackPort() : 0;
            if (!writeConfig(error))
                return false;
            if (launch(program, error))
                return true;
            // Only a port taken between the probe and nginx's bind is worth another try.
            if (!error->contains(QLatin1String("Address already in use")))
                return false;
        }
        return false;
    }

    quint16 port() const { return m_port; }
    QUrl url(const QString &path) const
    {
        QUrl url;
        url.setScheme(QStringLiteral("http"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(m_port);
        url.setPath(path);
        return url;
    }

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }

    bool writeConfig(QString *error) const
    {
        // Quoted paths: a temporary directory may contain spaces.
        const auto quoted = [](const QString &p) {
            return QLatin1Char('"') + p + QLatin1Char('"');
        };
        QString temp;
        for (const char *kind : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
            const QString name = QLatin1String(kind);
            temp += QStringLiteral("    %1_temp_path %2;\n").arg(name, quoted(path(name)));
        }
        // The re-serving block of Backend::CloseDelimited: without chunked encoding, nginx can
        // only end a response of unknown length by closing the connection.
        QString inner;
        if (m_backend == Backend::CloseDelimited) {
            inner = QStringLiteral(R"(
    server {
        listen 127.0.0.1:%1;
        chunked_transfer_encoding off;
        gzip off;
        location / {
            proxy_pass http://127.0.0.1:%2;
            proxy_http_version 1.1;
            proxy_buffering off;
        }
    }
)")
                        .arg(QString::number(m_innerPort), QString::number(m_upstreamPort));
        }
        const QString config =
            QStringLiteral(R"(# Generated by tst_nginx.
daemon off;
master_process off;
worker_processes 1;
pid %1;
error_log %2 info;
events { worker_connections 256; }
http {
    access_log off;
%3
    gzip on;
    gzip_min_length 1;
    gzip_types text/event-stream application/json;

    upstream qalam_backend {
        server 127.0.0.1:%4;
        keepalive 4;
    }

    map $http_last_event_id $qalam_test_fault {
        ""      "close-after-events=6";
        default ",";
    }

    server {
        listen 127.0.0.1:%5;
        location / {
            include %6;
        }
        location /cut-once/ {
            rewrite ^/cut-once(/.*)$ $1 break;
            include %6;
            proxy_set_header X-Qalam-Fault $qalam_test_fault;
        }
        location /naive/ {
            proxy_pass http://qalam_backend/;
            proxy_ignore_headers X-Accel-Buffering;
        }
        location /naive-nogzip/ {
            proxy_pass http://qalam_backend/;
            proxy_ignore_headers X-Accel-Buffering;
            gzip off;
        }
    }
%7}
)")
                .arg(quoted(path(QStringLiteral("nginx.pid"))), quoted(errorLogPath()), temp,
                     QString::number(m_innerPort ? m_innerPort : m_upstreamPort),
                     QString::number(m_port), quoted(kLocationsConf), inner);
        QFile file(configPath());
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(config.toUtf8()) < 0) {
            *error = QStringLiteral("cannot write %1: %2").arg(configPath(), file.errorString());
            return false;
        }
        return true;
    }

    bool launch(const QString &program, QString *error)
    {
        stop();
        QFile::remove(errorLogPath());
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(program,
                        {QStringLiteral("-p"), m_dir.path() + QLatin1Char('/'),
                         QStringLiteral("-c"), configPath(), QStringLiteral("-e"), errorLogPath()});
        if (!m_process.waitForStarted(10000)) {
            *error = QStringLiteral("cannot run %1: %2").arg(program, m_process.errorString());
            return false;
        }
        // nginx prints nothing when ready: it is ready once its port accepts a connection.
        QTcpSocket probe;
        const bool up = waitUntil(
            [&] {
                if (m_process.state() != QProcess::Running)
                    return true;
                if (probe.state() == QAbstractSocket::ConnectedState)
                    return true;
                if (probe.state() == QAbstractSocket::UnconnectedState)
                    probe.connectToHost(QHostAddress::LocalHost, m_port);
                return false;
            },
            20000);
        if (up && m_process.state() == QProcess::Running)
            return true;
        stop();
        QFile log(errorLogPath());
        const QByteArray logText = log.open(QIODevice::ReadOnly) ? log.readAll() : QByteArray();
        *error = QStringLiteral("nginx did not start (%1):\n%2\n%3")
                     .arg(configPath(), QString::fromUtf8(m_process.readAll()),
                          QString::fromUtf8(logText));
        return false;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate(); // SIGTERM: nginx's fast shutdown
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    QString configPath() const { return path(QStringLiteral("nginx.conf")); }
    QString errorLogPath() const { return path(QStringLiteral("error.log")); }

    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_upstreamPort = 0;
    Backend m_backend = Backend::Chunked;
    quint16 m_port = 0;
    quint16 m_innerPort = 0; // Backend::CloseDelimited: the re-serving server block
};

// Fast enough that a whole answer takes well under a second.
DemoServer::Options fastOptions()
{
    DemoServer::Options options;
    options.tokensPerSecond = 1000;
    options.firstTokenMs = 0;
    options.retryMs = 10;
    return options;
}

SseRequest streamRequest(const QUrl &url, const QString &prompt)
{
    SseRequest request;
    request.url = url;
    request.method = "POST";
    request.body = promptBody(prompt);
    request.headers = kJson;
    return request;
}

// One event as it reached the client, with what the server was doing at that moment.
struct Arrival
{
    SseEvent event;
    bool serverGenerating = false; // the stream's pacing timer was still running
};

int deltaSeq(const SseEvent &event)
{
    return QJsonDocument::fromJson(event.data.toUtf8())
        .object()
        .value(QLatin1String("seq"))
        .toInt(-1);
}

} // namespace

Q_DECLARE_METATYPE(NginxProxy::Backend)

class TestNginx : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void streamArrivesEventByEvent_data();
    void streamArrivesEventByEvent();
    void nothingHeldBackWhenTheBackendPauses_data();
    void nothingHeldBackWhenTheBackendPauses();
    void defaultBufferingHoldsTheWholeStream_data();
    void defaultBufferingHoldsTheWholeStream();
    void headersAndNoCompression();
    void resumesAfterADropThroughTheProxy();
    void lastEventIdAndAuthorizationReachTheBackend();
    void doctorFindsTheBufferingProxy_data();
    void doctorFindsTheBufferingProxy();
};

void TestNginx::initTestCase()
{
    // Skipped, as ctest sees it (exit code 77): a developer without nginx still runs the rest.
    // CI installs nginx (scripts/setup.sh) and fails on any skipped test (scripts/test.sh).
    if (nginxExecutable().isEmpty())
        skipSuiteForMissingTool("nginx not found (looked in /usr/sbin, /usr/local/sbin, PATH and "
                                "$QALAM_NGINX): install the Debian package 'nginx', as "
                                "scripts/setup.sh does");
    QVERIFY2(QFileInfo::exists(kLocationsConf),
             qPrintable(kLocationsConf + QStringLiteral(" is missing")));
}

void TestNginx::streamArrivesEventByEvent_data()
{
    QTest::addColumn<NginxProxy::Backend>("backend");
    QTest::newRow("chunked backend") << NginxProxy::Backend::Chunked;
    QTest::newRow("close-delimited backend") << NginxProxy::Backend::CloseDelimited;
}

void TestNginx::streamArrivesEventByEvent()
{
    QFETCH(NginxProxy::Backend, backend);
    // A slow stream: about 15 s of generation for this answer, so "still generating" holds for
    // far longer than any delay a loaded machine adds to the first few events.
    DemoServer::Options options;
    options.tokensPerSecond = 20;
    options.firstTokenMs = 50;
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    NginxProxy nginx(server.port(), backend);
    QString error;
    QVERIFY2(nginx.start(&error), qPrintable(error));

    SseConsumer consumer;
    QList<Arrival> arrivals;
    connect(&consumer, &SseConsumer::eventReceived, this, [&](const SseEvent &event) {
        arrivals.append({event, server.stats().generating > 0});
    });
    consumer.start(streamRequest(nginx.url(kStreamPath), kPrompt));

    constexpr int kDeltas = 10;
    const auto deltas = [&] {
        return std::count_if(arrivals.cbegin(), arrivals.cend(), [](const Arrival &a) {
            return a.event.type == QLatin1String("delta");
        });
    };
    QVERIFY2(waitUntil([&] { return deltas() >= kDeltas; }, 30000),
             qPrintable(QStringLiteral("%1 events arrived").arg(arrivals.size())));
    consumer.cancel();

    // In order, each one on its own, and every one of them while the server was still writing
    // the answer: nginx passed each chunk on instead of collecting the response.
    QCOMPARE(arrivals.value(0).event.type, QStringLiteral("hello"));
    QCOMPARE(arrivals.value(1).event.type, QStringLiteral("progress"));
    int seq = 0;
    for (const Arrival &arrival : std::as_const(arrivals)) {
        QVERIFY2(
            arrival.serverGenerating,
            qPrintable(QStringLiteral("arrived after the server finished: ") + arrival.event.type));
        if (arrival.event.type == QLatin1String("delta"))
            QCOMPARE(deltaSeq(arrival.event), ++seq);
    }
    QVERIFY(seq >= kDeltas);
    QCOMPARE(consumer.metrics().reconnects, 0);
}

void TestNginx::nothingHeldBackWhenTheBackendPauses_data()
{
    streamArrivesEventByEvent_data();
}

void TestNginx::nothingHeldBackWhenTheBackendPauses()
{
    // The backend writes 8 events (under 1 KB, far less than one of nginx's buffers) and then
    // goes silent for longer than the test runs. A proxy that collects the response before
    // passing it on would deliver none of them; through the shipped include all 8 arrive.
    QFETCH(NginxProxy::Backend, backend);
    DemoServer server(fastOptions());
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    NginxProxy nginx(server.port(), backend);
    QString error;
    QVERIFY2(nginx.start(&error), qPrintable(error));

    constexpr int kBeforeStall = 8;
    SseRequest request = streamRequest(nginx.url(kStreamPath), kPrompt);
    request.headers.append(
        {"X-Qalam-Fault", "stall=600,stall-after=" + QByteArray::number(kBeforeStall)});
    SseConsumer consumer;
    QList<SseEvent> events;
    connect(&consumer, &SseConsumer::eventReceived, this,
            [&](const SseEvent &event) { events.append(event); });
    consumer.start(request);
    QVERIFY2(waitUntil([&] { return events.size() >= kBeforeStall; }, 30000),
             qPrintable(QStringLiteral("only %1 of %2 events arrived: nginx held them back")
                            .arg(events.size())
                            .arg(kBeforeStall)));
    consumer.cancel();

    QCOMPARE(events.size(), kBeforeStall); // and nothing after them: the backend is silent
    QCOMPARE(events[0].type, QStringLiteral("hello"));
    QCOMPARE(events[1].type, QStringLiteral("progress"));
    for (int i = 2; i < kBeforeStall; ++i) {
        QCOMPARE(events[i].type, QStringLiteral("delta"));
        QCOMPARE(deltaSeq(events[i]), i - 1);
    }
}

void TestNginx::defaultBufferingHoldsTheWholeStream_data()
{
    QTest::addColumn<NginxProxy::Backend>("backend");
    QTest::addColumn<QString>("location");
    // The demo server's chunked stream, through nginx's default buffering and the site's gzip
    // (SseConsumer asks for gzip, as browsers do). A close-delimited backend is held back by
    // the buffering alone, in 4 KiB bursts; nothingHeldBackWhenTheBackendPauses covers it.
    QTest::newRow("chunked backend, gzip")
        << NginxProxy::Backend::Chunked << QStringLiteral("/naive");
}

void TestNginx::defaultBufferingHoldsTheWholeStream()
{
    // The negative control: the same kind of stream through a plain proxy_pass that ignores
    // X-Accel-Buffering. The answer (about 20 KB) fits in nginx's default proxy buffers, so
    // nginx sends nothing until the backend has finished: the client gets the whole answer at
    // once. That is what the shipped include prevents (the rows of streamArrivesEventByEvent).
    QFETCH(NginxProxy::Backend, backend);
    QFETCH(QString, location);
    DemoServer::Options options = fastOptions();
    options.tokensPerSecond = 200; // slow enough that "after the end" is not a coincidence
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    NginxProxy nginx(server.port(), backend);
    QString error;
    QVERIFY2(nginx.start(&error), qPrintable(error));

    SseConsumer consumer;
    QList<Arrival> arrivals;
    connect(&consumer, &SseConsumer::eventReceived, this, [&](const SseEvent &event) {
        const DemoServer::Stats stats = server.stats();
        // Not generating and not paused for backpressure: the answer has been written whole.
        arrivals.append({event, stats.generating > 0 || stats.held > 0});
    });
    consumer.start(streamRequest(nginx.url(location + kStreamPath), kPrompt));
    QVERIFY(waitUntil(
        [&] { return !arrivals.isEmpty() && arrivals.last().event.type == QStringLiteral("done"); },
        30000));
    consumer.cancel();

    QVERIFY(arrivals.size() > 100);
    QCOMPARE(arrivals.first().event.type, QStringLiteral("hello"));
    QVERIFY2(!arrivals.first().serverGenerating,
             "the first event came before the server had finished: nginx did not buffer");
}

void TestNginx::headersAndNoCompression()
{
    DemoServer server(fastOptions());
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    NginxProxy nginx(server.port());
    QString error;
    QVERIFY2(nginx.start(&error), qPrintable(error));

    const QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"},
                                                       {"Accept-Encoding", "gzip"}};
    const QByteArray body = promptBody(kPrompt);
    const RawResponse direct = fetch(server.port(), "POST", kStreamPath.toLatin1(), kJson, body);
    const RawResponse proxied = fetch(nginx.port(), "POST", kStreamPath.toLatin1(), headers, body);
    QCOMPARE(proxied.status, 200);
    QVERIFY(proxied.header("Content-Type").startsWith("text/event-stream"));
    QCOMPARE(proxied.header("Cache-Control"), QByteArray("no-cache, no-transform"));
    // gzip is on for text/event-stream at the http level; the include turns it off.
    QVERIFY2(proxied.header("Content-Encoding").isEmpty(), proxied.header("Content-Encoding"));
    QVERIFY(proxied.chunked);
    QVERIFY2(proxied.ended, "a complete stream must end with the terminating chunk");
    QVERIFY(!proxied.closed); // and the client's connection stays usable
    QCOMPARE(typeAndData(parseEvents(proxied.body)), typeAndData(parseEvents(direct.body)));

    // The control: the same request to a location without the include is compressed, so the
    // test above would have caught a missing `gzip off`.
    const RawResponse compressed =
        fetch(nginx.port(), "POST", "/naive" + kStreamPath.toLatin1(), headers, body);
    QCOMPARE(compressed.status, 200);
    QCOMPARE(compressed.header("Content-Encoding"), QByteArray("gzip"));
}

void TestNginx::resumesAfterADropThroughTheProxy()
{
    const DemoServer::Options options = fastOptions();
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    NginxProxy nginx(server.port());
    QString error;
    QVERIFY2(nginx.start(&error), qPrintable(error));

    // The reference: the same prompt (and the server's seed), uninterrupted, through nginx.
    ChatStream whole(ChatProtocol::Kind::AdminStream);
    QSignalSpy wholeFinished(&whole, &ChatStream::finished);
    whole.start(chatRequest(nginx.url(kStreamPath), kArabicPrompt));
    QVERIFY(waitUntil([&] { return wholeFinished.size() == 1; }, 30000));
    QCOMPARE(wholeFinished.first().first().value<ChatStream::Outcome>(),
             ChatStream::Outcome::Completed);
    QCOMPARE(whole.metrics().reconnects, 0);
    const DemoCorpus corpus = DemoCorpus::builtIn();
    QCOMPARE(whole.text(), corpus.pick(kArabicPrompt, {}, options.seed).text);

    // The first connection is cut after 6 events (no terminating chunk, nginx closes the
    // client's connection too); the client reconnects through nginx with Last-Event-ID, and the
    // resumed connection runs to the end.
    ChatStream cut(ChatProtocol::Kind::AdminStream);
    cut.setConsumerOptions(quickReconnects(5));
    QSignalSpy cutFinished(&cut, &ChatStream::finished);
    QSignalSpy reconnecting(&cut, &ChatStream::reconnecting);
    cut.start(chatRequest(nginx.url(QStringLiteral("/cut-once") + kStreamPath), kArabicPrompt));
    QVERIFY(waitUntil([&] { return cutFinished.size() == 1; }, 30000));
    QCOMPARE(cutFinished.first().first().value<ChatStream::Outcome>(),
             ChatStream::Outcome::Completed);
    QCOMPARE(reconnecting.size(), 1); // only the first connection carried the fault
    QCOMPARE(cut.metrics().reconnects, 1);
    QCOMPARE(cut.text(), whole.text()); // nothing lost, nothing repeated
}

void TestNginx::lastEventIdAndAuthorizationReachTheBackend()
{
    DemoServer::Options options = fastOptions();
    options.token = QStringLiteral("proxy-test-token");
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    NginxProxy nginx(server.port());
    QString error;
    QVERIFY2(nginx.start(&error), qPrintable(error));
    const QByteArray path = kStreamPath.toLatin1();
    const QByteArray body = promptBody(kPrompt);
    const QPair<QByteArray, QByteArray> bearer{"Authorization", "Bearer proxy-test-token"};

    // Authorization: the backend refuses the request without it and serves it with it.
    QCOMPARE(fetch(nginx.port(), "POST", path, kJson, body).status, 401);
    const RawResponse first = fetch(nginx.port(), "POST", path, {bearer, kJson.first()}, body);
    QCOMPARE(first.status, 200);
    const QList<SseEvent> whole = parseEvents(first.body);
    QVERIFY(whole.size() > 10);
    QCOMPARE(whole.last().type, QStringLiteral("done"));

    // Last-Event-ID: the backend continues right after the id it received.
    const int from = 5;
    const RawResponse rest =
        fetch(nginx.port(), "POST", path,
              {bearer, kJson.first(), {"Last-Event-ID", whole[from].lastEventId.toUtf8()}}, body);
    QCOMPARE(rest.status, 200);
    QCOMPARE(typeAndData(parseEvents(rest.body)), typeAndData(whole.mid(from + 1)));

    // And the id is the backend's to judge: an unknown one comes back in its error event.
    const QByteArray unknown = "s-000000000000.7";
    const RawResponse refused = fetch(nginx.port(), "POST", path,
                                      {bearer, kJson.first(), {"Last-Event-ID", unknown}}, body);
    const QList<SseEvent> events = parseEvents(refused.body);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().type, QStringLiteral("error"));
    QCOMPARE(events.first().lastEventId, QString::fromLatin1(unknown));
    QVERIFY(events.first().data.contains(QLatin1String("unknown_stream")));

    // A client that already has the terminal event is told to stop (204), through nginx too.
    QCOMPARE(fetch(nginx.port(), "POST", path,
                   {bearer, kJson.first(), {"Last-Event-ID", whole.last().lastEventId.toUtf8()}},
                   body)
                 .status,
             204);
}

void TestNginx::doctorFindsTheBufferingProxy_data()
{
    QTest::addColumn<QString>("location");
    QTest::addColumn<bool>("buffered");
    QTest::newRow("shipped include") << QString() << false;
    QTest::newRow("nginx defaults, gzip") << QStringLiteral("/naive") << true;
}

void TestNginx::doctorFindsTheBufferingProxy()
{
    // `qalam-cli doctor` through a real nginx: the shipped include passes every check, resume
    // through the proxy included; nginx's defaults are reported as buffering, with the fix.
    QFETCH(QString, location);
    QFETCH(bool, buffered);
    DemoServer::Options options = fastOptions();
    options.tokensPerSecond = 150; // the answer takes about two seconds: bursts are visible
    DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    NginxProxy nginx(server.port());
    QString error;
    QVERIFY2(nginx.start(&error), qPrintable(error));

    QNetworkAccessManager network;
    doctor::StreamDoctor doctor(network);
    doctor::StreamDoctor::Options run;
    run.request.url = nginx.url(location + kStreamPath);
    run.request.messages.append({ChatMessage::Role::User, kPrompt});
    QSignalSpy finished(&doctor, &doctor::StreamDoctor::finished);
    doctor.run(run);
    QVERIFY(finished.wait(60000));
    const auto report = finished.first().first().value<doctor::DoctorReport>();
    QString text;
    const doctor::DoctorCheck *buffering = nullptr;
    for (const doctor::DoctorCheck &check : report) {
        text += doctor::DoctorCheck::verdictName(check.verdict) + QLatin1Char(' ') + check.id +
                QStringLiteral(": ") + check.seen + QLatin1Char('\n');
        if (check.id == QLatin1String("buffering"))
            buffering = &check;
    }
    QVERIFY(buffering);
    if (!buffered) {
        QVERIFY2(doctor::StreamDiagnosis::passed(report), qPrintable(text));
        // Pass, or at worst a warning when a loaded machine read several events at once:
        // never the failure nginx's defaults get.
        QVERIFY2(buffering->verdict != doctor::DoctorCheck::Verdict::Fail, qPrintable(text));
        return;
    }
    QVERIFY2(buffering->verdict == doctor::DoctorCheck::Verdict::Fail, qPrintable(text));
    QVERIFY(buffering->fix.contains(QLatin1String("proxy_buffering off")));
    // The site's gzip is what held it here: said too (Qt decompresses, the header stays).
    QVERIFY2(text.contains(QLatin1String("warn compression: Content-Encoding: gzip")),
             qPrintable(text));
    QVERIFY(!doctor::StreamDiagnosis::passed(report));
}

QTEST_GUILESS_MAIN(TestNginx)
#include "tst_nginx.moc"
