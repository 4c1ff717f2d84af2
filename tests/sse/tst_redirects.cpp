// Redirects followed by Qalam (HttpRedirect, SseConsumer): what the next server receives.
//
// The matrix 301/302/303/307/308 x same/other origin x GET/POST runs over real sockets: the first
// server redirects, the second (or the same one, for a same-origin hop) records what arrives.
// Credentials come the three ways a user gives them: an API key (sent as Authorization, whether
// it came from the keychain or an environment variable), a header that is secret by name
// (X-Api-Key, Cookie) and a header the profile or --secret-header marks secret; a plain header
// must survive every hop. The rules themselves are also checked as pure functions.
#include "ScriptedServer.h"
#include "chat/ChatStream.h"
#include "sse/HttpRedirect.h"
#include "sse/SseConsumer.h"

#include <QSignalSpy>
#include <QTest>

using namespace qalam;
using namespace qalam::test;

namespace {

constexpr int kTimeoutMs = 20000;
const QByteArray kKey = "sk-test-7f3a";

QList<QPair<QByteArray, QByteArray>> credentialHeaders()
{
    return {{"X-Api-Key", "xk-1"},
            {"Cookie", "session=abc"},
            {"X-Tenant-Token", "tenant-secret"},
            {"X-Trace", "trace-1"}};
}

} // namespace

class TestRedirects : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rules_data();
    void rules();
    void originComparison();
    void matrix_data();
    void matrix();
    void downgradeAndOtherSchemesAreRefused_data();
    void downgradeAndOtherSchemesAreRefused();
    void hopLimitHolds();
};

void TestRedirects::rules_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<QString>("next"); // the next URL, or empty: refused
    QTest::addColumn<bool>("crossOrigin");

    const QString same = QStringLiteral("https://api.example.org/v1/next");
    QTest::newRow("GET 302 relative")
        << QByteArray("GET") << 302 << QByteArray("/v1/next") << same << false;
    QTest::newRow("GET 301 absolute")
        << QByteArray("GET") << 301 << QByteArray("https://api.example.org/v1/next") << same
        << false;
    QTest::newRow("GET 303 other host")
        << QByteArray("GET") << 303 << QByteArray("https://cdn.example.net/x")
        << QStringLiteral("https://cdn.example.net/x") << true;
    QTest::newRow("GET 307 other port")
        << QByteArray("GET") << 307 << QByteArray("https://api.example.org:8443/v1/next")
        << QStringLiteral("https://api.example.org:8443/v1/next") << true;
    QTest::newRow("GET 308 explicit default port")
        << QByteArray("GET") << 308 << QByteArray("https://api.example.org:443/v1/next")
        << QStringLiteral("https://api.example.org:443/v1/next") << false;
    QTest::newRow("GET host case")
        << QByteArray("GET") << 302 << QByteArray("https://API.Example.ORG/v1/next") << same
        << false;
    QTest::newRow("POST 307 keeps")
        << QByteArray("POST") << 307 << QByteArray("next") << same << false;
    QTest::newRow("POST 308 keeps")
        << QByteArray("POST") << 308 << QByteArray("/v1/next") << same << false;
    QTest::newRow("POST 301 refused")
        << QByteArray("POST") << 301 << QByteArray("/v1/next") << QString() << false;
    QTest::newRow("POST 302 refused")
        << QByteArray("POST") << 302 << QByteArray("/v1/next") << QString() << false;
    QTest::newRow("POST 303 refused")
        << QByteArray("POST") << 303 << QByteArray("/v1/next") << QString() << false;
    QTest::newRow("no location") << QByteArray("GET") << 302 << QByteArray() << QString() << false;
    QTest::newRow("https to http")
        << QByteArray("GET") << 302 << QByteArray("http://api.example.org/v1/next") << QString()
        << false;
    QTest::newRow("ftp") << QByteArray("GET") << 302 << QByteArray("ftp://api.example.org/x")
                         << QString() << false;
    QTest::newRow("javascript") << QByteArray("GET") << 302 << QByteArray("javascript:alert(1)")
                                << QString() << false;
}

void TestRedirects::rules()
{
    QFETCH(QByteArray, method);
    QFETCH(int, status);
    QFETCH(QByteArray, location);
    QFETCH(QString, next);
    QFETCH(bool, crossOrigin);

    SseRequest request;
    request.url = QUrl(QStringLiteral("https://api.example.org/v1/stream"));
    request.method = method;
    request.body = method == "POST" ? QByteArray("{\"q\":1}") : QByteArray();
    request.headers = credentialHeaders();
    request.headers.append({"Authorization", "Bearer " + kKey});
    request.secretHeaders = {"x-tenant-token"};

    const HttpRedirect::Result result = HttpRedirect::follow(request, status, location);
    if (next.isEmpty()) {
        QVERIFY(!result.next);
        QVERIFY(!result.error.isEmpty());
        return;
    }
    QVERIFY2(result.next, qPrintable(result.error));
    QCOMPARE(result.next->url.toString(), next);
    QCOMPARE(result.next->method, method);
    QCOMPARE(result.next->body, request.body);
    QCOMPARE(result.crossOrigin, crossOrigin);
    QList<QByteArray> sent;
    for (const auto &header : result.next->headers)
        sent << header.first;
    QVERIFY(sent.contains("X-Trace"));
    for (const QByteArray &name : {QByteArray("Authorization"), QByteArray("X-Api-Key"),
                                   QByteArray("Cookie"), QByteArray("X-Tenant-Token")}) {
        QCOMPARE(sent.contains(name), !crossOrigin);
        QCOMPARE(result.droppedHeaders.contains(name), crossOrigin);
    }
}

void TestRedirects::originComparison()
{
    const auto same = [](const char *a, const char *b) {
        return HttpRedirect::sameOrigin(QUrl(QString::fromLatin1(a)), QUrl(QString::fromLatin1(b)));
    };
    QVERIFY(same("http://a.example/x", "http://a.example:80/y"));
    QVERIFY(same("https://a.example/x", "https://A.EXAMPLE:443/"));
    QVERIFY(!same("http://a.example/", "https://a.example/"));
    QVERIFY(!same("http://a.example/", "http://b.example/"));
    QVERIFY(!same("http://a.example/", "http://a.example:8080/"));
    QVERIFY(!same("http://127.0.0.1/", "http://localhost/"));
}

void TestRedirects::matrix_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("crossOrigin");
    QTest::addColumn<QByteArray>("method");
    for (const int status : {301, 302, 303, 307, 308}) {
        for (const bool cross : {false, true}) {
            for (const QByteArray &method : {QByteArray("GET"), QByteArray("POST")}) {
                QTest::addRow("%d %s %s", status, cross ? "other origin" : "same origin",
                              method.constData())
                    << status << cross << method;
            }
        }
    }
}

void TestRedirects::matrix()
{
    QFETCH(int, status);
    QFETCH(bool, crossOrigin);
    QFETCH(QByteArray, method);

    const QByteArray stream = "id: s.1\nevent: delta\ndata: {\"seq\":1,\"text\":\"ok\"}\n\n"
                              "id: s.2\nevent: done\ndata: {\"deltas\":1}\n\n";
    ScriptedServer target(
        [&](const RecordedRequest &, int) { return Script::eventStream(stream); });
    QUrl next = target.url(QStringLiteral("/final"));
    ScriptedServer first([&](const RecordedRequest &request, int) {
        if (request.path == "/final")
            return Script::eventStream(stream);
        return Script::response(status, {"Location: " + next.toEncoded(), "Content-Length: 0"});
    });
    if (!crossOrigin)
        next = first.url(QStringLiteral("/final"));

    // The admin stream's own request (POST with the question) carries the API key as
    // Authorization; GET is a plain event stream with the same credentials as headers.
    SseRequest request;
    ChatRequest chat;
    chat.url = first.url(QStringLiteral("/start"));
    chat.apiKey = QString::fromLatin1(kKey);
    chat.headers = credentialHeaders();
    chat.secretHeaders = {"X-Tenant-Token"};
    chat.messages.append({ChatMessage::Role::User, QStringLiteral("سؤال")});
    request = ChatProtocol::create(ChatProtocol::Kind::AdminStream)->buildRequest(chat);
    if (method == "GET") {
        request.method = "GET";
        request.body.clear();
    }

    SseConsumer consumer;
    SseConsumer::Options options;
    options.maxReconnects = 0;
    consumer.setOptions(options);
    QSignalSpy errors(&consumer, &SseConsumer::errorOccurred);
    QSignalSpy finished(&consumer, &SseConsumer::finished);
    consumer.start(request);
    QVERIFY(finished.wait(kTimeoutMs));

    const ScriptedServer &receiver = crossOrigin ? target : first;
    const QList<RecordedRequest> received =
        crossOrigin ? target.requests() : first.requests().mid(1);
    const bool refused = method == "POST" && status != 307 && status != 308;
    if (refused) {
        // A POST must not silently become a body-less GET somewhere else.
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().at(0).value<SseConsumer::ErrorKind>(),
                 SseConsumer::ErrorKind::Redirect);
        const QString message = errors.first().at(1).toString();
        QVERIFY2(message.contains(QString::number(status)) &&
                     message.contains(QLatin1String("GET")),
                 qPrintable(message));
        QVERIFY(received.isEmpty());
        return;
    }
    Q_UNUSED(receiver);
    QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(1).toString()));
    QCOMPARE(received.size(), 1);
    const RecordedRequest &hop = received.first();
    QCOMPARE(hop.method, method);
    QCOMPARE(hop.path, QByteArray("/final"));
    QCOMPARE(hop.body, request.body);
    QCOMPARE(hop.header("Accept"), QByteArray("text/event-stream"));
    QCOMPARE(hop.header("X-Trace"), QByteArray("trace-1"));
    const bool kept = !crossOrigin;
    QCOMPARE(hop.header("Authorization") == "Bearer " + kKey, kept);
    QCOMPARE(hop.header("X-Api-Key") == "xk-1", kept);
    QCOMPARE(hop.header("Cookie") == "session=abc", kept);
    QCOMPARE(hop.header("X-Tenant-Token") == "tenant-secret", kept);
    if (crossOrigin) {
        for (const QByteArray &name : {QByteArray("authorization"), QByteArray("x-api-key"),
                                       QByteArray("cookie"), QByteArray("x-tenant-token")})
            QVERIFY2(!hop.headers.contains(name), name.constData());
    }
}

void TestRedirects::downgradeAndOtherSchemesAreRefused_data()
{
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<QString>("expected");
    QTest::newRow("file") << QByteArray("file:///etc/passwd")
                          << QStringLiteral("not an http or https URL");
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("without a valid Location");
}

void TestRedirects::downgradeAndOtherSchemesAreRefused()
{
    QFETCH(QByteArray, location);
    QFETCH(QString, expected);
    ScriptedServer server([&](const RecordedRequest &, int) {
        return Script::response(302, {"Location: " + location, "Content-Length: 0"});
    });
    SseConsumer consumer;
    QSignalSpy errors(&consumer, &SseConsumer::errorOccurred);
    QSignalSpy finished(&consumer, &SseConsumer::finished);
    SseRequest request;
    request.url = server.url(QStringLiteral("/x"));
    consumer.start(request);
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().at(1).toString().contains(expected),
             qPrintable(errors.first().at(1).toString()));
    QCOMPARE(server.requests().size(), 1);
}

// A redirect loop: the limit per connection holds, and the message names the last hop.
void TestRedirects::hopLimitHolds()
{
    ScriptedServer server([](const RecordedRequest &request, int) {
        return Script::response(307, {"Location: " + request.path + "x", "Content-Length: 0"});
    });
    SseConsumer consumer;
    SseConsumer::Options options;
    options.maxRedirects = 4;
    options.maxReconnects = 3; // a refused redirect is not a reason to reconnect
    consumer.setOptions(options);
    QSignalSpy errors(&consumer, &SseConsumer::errorOccurred);
    QSignalSpy finished(&consumer, &SseConsumer::finished);
    QSignalSpy reconnecting(&consumer, &SseConsumer::reconnecting);
    SseRequest request;
    request.url = server.url(QStringLiteral("/r"));
    consumer.start(request);
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(server.requests().size(), options.maxRedirects + 1);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().at(0).value<SseConsumer::ErrorKind>(),
             SseConsumer::ErrorKind::Redirect);
    QVERIFY2(errors.first().at(1).toString().contains(QLatin1String("/rxxxxx")),
             qPrintable(errors.first().at(1).toString()));
    QCOMPARE(reconnecting.size(), 0);
}

QTEST_GUILESS_MAIN(TestRedirects)
#include "tst_redirects.moc"
