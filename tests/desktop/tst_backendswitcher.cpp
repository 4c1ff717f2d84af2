// Where the desktop app's answers come from: the ChatRequest a profile makes (makeChatRequest)
// and BackendSwitcher, which turns a profile into the session's backend through its network
// manager and its secrets, against the demo server on loopback and an in-memory keychain.
#include "BackendSwitcher.h"
#include "MemorySecretBackend.h"
#include "ProfileChatRequest.h"
#include "chat/ChatProtocol.h"
#include "server/DemoServer.h"
#include "session/ConversationSession.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"
#include "store/ConversationStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qalam;

namespace {

constexpr int kLong = 30000; // generous: a busy CI machine must not fail these

Profile openAiProfile(const QString &name, const QUrl &baseUrl)
{
    Profile profile = Profile::create(name);
    profile.protocol = ChatProtocol::Kind::OpenAi;
    profile.baseUrl = baseUrl;
    profile.model = QStringLiteral("qalam-demo");
    return profile;
}

// A session on a fresh database, and a switcher for it with an in-memory keychain.
struct Backend
{
    explicit Backend(QHash<QString, QString> *vault)
        : store(dir.filePath(QStringLiteral("qalam.sqlite3"))),
          profiles(dir.filePath(QStringLiteral("qalam.ini"))), session(&store),
          switcher(
              &session, &profiles,
              std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, vault),
              2000)
    {}
    // Nothing may stream once the switcher (network managers, demo server) is gone.
    ~Backend() { session.interruptAll(); }
    Q_DISABLE_COPY_MOVE(Backend)

    // Asks a question through the session; the answer's final state.
    std::optional<StoredMessage::State> ask(const QString &question)
    {
        QSignalSpy finished(&session, &ConversationSession::answerFinished);
        if (!session.send(question) || !finished.wait(kLong))
            return std::nullopt;
        return session.messages().at(1).state;
    }

    QTemporaryDir dir;
    ConversationStore store;
    ProfileStore profiles;
    ConversationSession session;
    BackendSwitcher switcher;
};

} // namespace

class TestBackendSwitcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chatRequestFromProfile();
    void secretHeadersAreMarkedForTheTransport();
    void demoIsReadyAtOnce();
    void keyedProfileIsReadyOnceItsKeyIsKnown();
    void lateLookupForAnEarlierProfileIsDropped();
};

void TestBackendSwitcher::chatRequestFromProfile()
{
    Profile profile = openAiProfile(QStringLiteral("Request"),
                                    QUrl(QStringLiteral("https://api.example.com/v1")));
    profile.extraHeaders = {{QStringLiteral("X-Team"), QStringLiteral("blue")},
                            {QStringLiteral("X-Region"), QStringLiteral("الشرق")}};
    const QList<ChatMessage> messages{{ChatMessage::Role::System, QStringLiteral("Be brief.")},
                                      {ChatMessage::Role::User, QStringLiteral("مرحبا")}};

    const ChatRequest request = makeChatRequest(profile, QStringLiteral("k-1"), messages);
    QCOMPARE(request.url, profile.baseUrl);
    QCOMPARE(request.model, profile.model);
    QCOMPARE(request.apiKey, QStringLiteral("k-1"));
    QCOMPARE(request.messages.size(), 2);
    QCOMPARE(request.messages.at(1).content, QStringLiteral("مرحبا"));
    const QList<QPair<QByteArray, QByteArray>> headers{
        {"X-Team", "blue"}, {"X-Region", QStringLiteral("الشرق").toUtf8()}};
    QCOMPARE(request.headers, headers);
    QVERIFY(request.secretHeaders.isEmpty());

    // What the protocol makes of it: the key as a bearer token, the profile's headers along.
    const SseRequest sse = ChatProtocol::create(profile.protocol)->buildRequest(request);
    QCOMPARE(sse.url, QUrl(QStringLiteral("https://api.example.com/v1/chat/completions")));
    QVERIFY(sse.headers.contains(qMakePair(QByteArray("Authorization"), QByteArray("Bearer k-1"))));
    QVERIFY(sse.headers.contains(qMakePair(QByteArray("X-Team"), QByteArray("blue"))));

    // The demo profile has no URL of its own: the demo server's admin stream, wherever it listens.
    const Profile demo = Profile::demo();
    const ChatRequest demoRequest =
        makeChatRequest(demo, {}, messages, QUrl(QStringLiteral("http://127.0.0.1:4321")));
    QCOMPARE(demoRequest.url, QUrl(QStringLiteral("http://127.0.0.1:4321/api/v1/stream/chat")));
    QCOMPARE(demoRequest.url.path(), server::DemoServer::adminStreamPath());
    QVERIFY(demoRequest.apiKey.isEmpty());
    QCOMPARE(demoRequest.model, QStringLiteral("qalam-demo"));
    QVERIFY(makeChatRequest(demo, {}, messages).url.isEmpty());
}

// Secret headers (marked so, or named like X-Api-Key) are sent, and named to the transport so
// that none of them follows a redirect to another origin.
void TestBackendSwitcher::secretHeadersAreMarkedForTheTransport()
{
    Profile profile =
        openAiProfile(QStringLiteral("Tenant"), QUrl(QStringLiteral("https://api.example.com/v1")));
    profile.extraHeaders = {{QStringLiteral("X-Tenant-Token"), QStringLiteral("tok"), true},
                            {QStringLiteral("X-Team"), QStringLiteral("blue"), false},
                            {QStringLiteral("X-Api-Key"), QStringLiteral("ak"), false},
                            {QStringLiteral("x-api-key"), QStringLiteral("ak2"), false}};
    const ChatRequest request = makeChatRequest(profile, QStringLiteral("k-1"), {});
    const QList<QPair<QByteArray, QByteArray>> sent{
        {"X-Tenant-Token", "tok"}, {"X-Team", "blue"}, {"X-Api-Key", "ak"}, {"x-api-key", "ak2"}};
    QCOMPARE(request.headers, sent);
    QCOMPARE(request.secretHeaders,
             QList<QByteArray>({"X-Tenant-Token", "X-Api-Key", "x-api-key"}));
    const SseRequest sse = ChatProtocol::create(profile.protocol)->buildRequest(request);
    QVERIFY(sse.headers.contains(qMakePair(QByteArray("X-Tenant-Token"), QByteArray("tok"))));
    QVERIFY(sse.isSecretHeader("x-tenant-token"));
    QVERIFY(sse.isSecretHeader("X-Api-Key"));
    QVERIFY(!sse.isSecretHeader("X-Team"));
}

void TestBackendSwitcher::demoIsReadyAtOnce()
{
    QHash<QString, QString> vault;
    Backend backend(&vault);
    QSignalSpy changed(&backend.switcher, &BackendSwitcher::profileChanged);
    backend.switcher.apply(Profile::demo());
    QCOMPARE(changed.count(), 1);
    QVERIFY(backend.switcher.isReady()); // no secrets to look up
    QCOMPARE(backend.switcher.statusText(), QStringLiteral("Ready (offline demo)"));
    QCOMPARE(backend.switcher.profile().id, Profile::demoId());
    QCOMPARE(backend.ask(QStringLiteral("What can Qalam do?")), StoredMessage::State::Complete);
    QCOMPARE(backend.store.conversations()->first().profile, Profile::demo().name);
}

// profile -> network manager -> key from the keychain -> request: the server answers only a
// request that carries the key.
void TestBackendSwitcher::keyedProfileIsReadyOnceItsKeyIsKnown()
{
    const QString key = QStringLiteral("sk-switcher-key");
    server::DemoServer::Options options;
    options.token = key;
    options.tokensPerSecond = 2000;
    options.firstTokenMs = 10;
    server::DemoServer server(options);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const Profile keyed = openAiProfile(QStringLiteral("Keyed"),
                                        QUrl(server.url().toString() + QStringLiteral("/v1")));
    QHash<QString, QString> vault{{keyed.id, key}};
    Backend backend(&vault);

    QSignalSpy state(&backend.switcher, &BackendSwitcher::stateChanged);
    backend.switcher.apply(keyed);
    QVERIFY(!backend.switcher.isReady());
    QCOMPARE(backend.switcher.statusText(), QStringLiteral("Looking up the API key…"));
    QTRY_VERIFY_WITH_TIMEOUT(backend.switcher.isReady(), kLong);
    QCOMPARE(backend.switcher.statusText(), QStringLiteral("Ready"));
    QCOMPARE(state.count(), 2); // looking up, ready
    QCOMPARE(backend.ask(QStringLiteral("What can Qalam do?")), StoredMessage::State::Complete);
}

// A profile whose lookup takes longer (the key, then its secret header values) is replaced by
// one that needs none: its lookup, answered afterwards, must not take the backend back.
void TestBackendSwitcher::lateLookupForAnEarlierProfileIsDropped()
{
    Profile slow =
        openAiProfile(QStringLiteral("Slow"), QUrl(QStringLiteral("http://127.0.0.1:9/v1")));
    slow.extraHeaders = {{QStringLiteral("X-Tenant-Token"), QString(), true}};
    QHash<QString, QString> vault{{slow.id, QStringLiteral("sk-slow")},
                                  {SecretStore::headersAccount(slow.id),
                                   QStringLiteral(R"([{"name":"X-Tenant-Token","value":"t"}])")}};
    Backend backend(&vault);

    backend.switcher.apply(slow);
    QVERIFY(!backend.switcher.isReady());
    backend.switcher.apply(Profile::demo());
    QVERIFY(backend.switcher.isReady());
    // The same lookup again, asked after the first: the keychain and the SecretStore answer in
    // order, so once this one has its answer, the first one has had its own.
    std::optional<SecretResult> probe;
    backend.switcher.secrets()->resolveSecrets(slow, this,
                                               [&](const SecretResult &result) { probe = result; });
    QTRY_VERIFY_WITH_TIMEOUT(probe.has_value(), kLong);
    QVERIFY(probe->ok);
    QCOMPARE(probe->headers.first().value, QStringLiteral("t"));

    QCOMPARE(backend.switcher.profile().id, Profile::demoId());
    QVERIFY(backend.switcher.isReady());
    QCOMPARE(backend.switcher.statusText(), QStringLiteral("Ready (offline demo)"));
    // The session still asks the demo server (the slow profile's URL has nobody listening).
    QCOMPARE(backend.ask(QStringLiteral("What can Qalam do?")), StoredMessage::State::Complete);
}

QTEST_GUILESS_MAIN(TestBackendSwitcher)
#include "tst_backendswitcher.moc"
