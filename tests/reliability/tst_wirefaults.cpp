// Faults on the wire: hundreds of streamed answers pass through FaultProxy, which cuts
// connections at random byte offsets (inside headers, chunk framing, CRLF and UTF-8 sequences),
// splits the response into tiny pieces, delays pieces and goes silent mid-stream. Every admin
// stream answer must come out byte-identical to the same answer fetched without faults, through
// Last-Event-ID resume; an OpenAI-compatible stream, which cannot resume, must end Interrupted
// (or Failed when no text came) with exactly the text that arrived, never Completed.
//
// The figures are printed with qInfo and copied into docs/reliability.md.
#include "FaultProxy.h"
#include "ServerTestSupport.h"
#include "chat/ChatProtocol.h"
#include "chat/ChatStream.h"
#include "server/DemoCorpus.h"
#include "server/DemoServer.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>
#include <vector>

using namespace qalam;
using namespace qalam::server;
using namespace qalam::test;

namespace {

constexpr int kAnswers = 512;
constexpr int kConcurrent = 12;
constexpr int kRunTimeoutMs = 150000; // generous: a loaded 2-core machine must not fail it
constexpr quint64 kSeed = 20261125;
const QString kStreamPath = QStringLiteral("/api/v1/stream/chat");

// Fast, so an answer takes a fraction of a second and the faults, not the pacing, dominate;
// heartbeats well inside the stall timeout, so only a real stall trips it.
DemoServer::Options serverOptions()
{
    DemoServer::Options options;
    options.tokensPerSecond = 8000;
    options.firstTokenMs = 0;
    options.heartbeatMs = 150;
    options.retryMs = 10;
    return options;
}

SseConsumer::Options resumeOptions(qint64 stallTimeoutMs)
{
    SseConsumer::Options options;
    options.minRetryMs = 5;
    options.initialRetryMs = 10;
    options.maxRetryMs = 40;
    // Consecutive failures without an event in between; a cut inside the response head makes
    // no progress, so a few in a row must not end the answer.
    options.maxReconnects = 100;
    options.budgetResetsOnEvent = true;
    options.stallTimeoutMs = stallTimeoutMs;
    return options;
}

// Distinct prompts (so each answer is split into deltas differently) in Arabic and English,
// some with emoji, that between them pick every answer of the corpus.
QStringList prompts(int count)
{
    const QStringList bases = {
        QStringLiteral("What can Qalam do?"),
        QStringLiteral("Show me a markdown table and some code 🙂"),
        QStringLiteral("How does resuming a stream work after the network drops? 🛰️"),
        QStringLiteral("How do I install and configure the admin server?"),
        QStringLiteral("ما الذي يستطيع قلم فعله؟"),
        QStringLiteral("أرني جدول ماركداون ومثال شيفرة 🌙"),
        QStringLiteral("كيف يعمل استئناف البث بعد انقطاع الاتصال؟ "
                       "👩🏽‍💻"),
        QStringLiteral("كيف أجري إعداد خادم الإدارة وتثبيته؟"),
    };
    QStringList out;
    for (int i = 0; i < count; ++i)
        out.append(bases[i % bases.size()] + QStringLiteral(" #%1").arg(i));
    return out;
}

QString corpusAnswer(const QString &prompt)
{
    static const DemoCorpus corpus = DemoCorpus::builtIn();
    return corpus.pick(prompt, {}, serverOptions().seed).text;
}

struct Job
{
    ChatProtocol::Kind kind = ChatProtocol::Kind::AdminStream;
    QUrl url;
    QString prompt;
    QByteArray fault; // X-Qalam-Fault for the demo server; empty: none
    SseConsumer::Options options;
};

struct Result
{
    bool finished = false;
    ChatStream::Outcome outcome = ChatStream::Outcome::Failed;
    QString message;
    QString text; // the deltas as textReceived() delivered them
    QString streamText;
    int reconnects = 0;
    int stallReconnects = 0;
    qint64 bytes = 0;
};

// Runs the jobs, `concurrency` at a time, each slot reusing one ChatStream (and so one
// QNetworkAccessManager, whose kept-alive connections the proxy then sees reused).
QList<Result> runJobs(const QList<Job> &jobs, int concurrency)
{
    QList<Result> results(jobs.size());
    int next = 0;
    int done = 0;
    struct Slot
    {
        std::unique_ptr<ChatStream> stream;
        int job = -1;
    };
    std::vector<std::unique_ptr<Slot>> slots;
    std::function<void(Slot *)> startNext = [&](Slot *slot) {
        if (next >= jobs.size())
            return;
        slot->job = next++;
        const Job &job = jobs[slot->job];
        ChatRequest request;
        request.url = job.url;
        request.model = QStringLiteral("qalam-demo");
        request.messages.append({ChatMessage::Role::User, job.prompt});
        if (!job.fault.isEmpty())
            request.headers.append({QByteArrayLiteral("X-Qalam-Fault"), job.fault});
        slot->stream->setConsumerOptions(job.options);
        slot->stream->start(request);
    };
    for (int i = 0; i < std::min<qsizetype>(concurrency, jobs.size()); ++i) {
        auto slot = std::make_unique<Slot>();
        slot->stream = std::make_unique<ChatStream>(jobs.first().kind);
        Slot *s = slot.get();
        QObject::connect(s->stream.get(), &ChatStream::textReceived, s->stream.get(),
                         [&results, s](const QString &delta) { results[s->job].text += delta; });
        QObject::connect(s->stream.get(), &ChatStream::reconnecting, s->stream.get(),
                         [&results, s](int, qint64, const QString &reason) {
                             Result &result = results[s->job];
                             ++result.reconnects;
                             if (reason.startsWith(QLatin1String("no data from the server")))
                                 ++result.stallReconnects;
                         });
        QObject::connect(s->stream.get(), &ChatStream::finished, s->stream.get(),
                         [&, s](ChatStream::Outcome outcome, const QString &message) {
                             Result &result = results[s->job];
                             QVERIFY2(!result.finished, "finished() twice for one answer");
                             result.finished = true;
                             result.outcome = outcome;
                             result.message = message;
                             result.streamText = s->stream->text();
                             result.bytes = s->stream->metrics().bytes;
                             ++done;
                             // Not from inside the signal: the stream is still concluding.
                             QTimer::singleShot(0, s->stream.get(), [&, s] { startNext(s); });
                         });
        slots.push_back(std::move(slot));
        startNext(s);
    }
    waitUntil([&] { return done == jobs.size(); }, kRunTimeoutMs);
    return results;
}

// Characters lost and repeated, as the parts of each text outside their common prefix and
// suffix (exact for one missing or one repeated piece, an upper bound otherwise).
QPair<qint64, qint64> lostAndRepeated(const QString &expected, const QString &got)
{
    const QList<uint> a = expected.toUcs4();
    const QList<uint> b = got.toUcs4();
    qsizetype prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    return {a.size() - prefix - suffix, b.size() - prefix - suffix};
}

// The body of an HTTP/1.1 chunked response cut anywhere: the head is skipped and every chunk
// byte that arrived is kept, the last chunk possibly partial.
QByteArray dechunkPartial(const QByteArray &response)
{
    qsizetype at = response.indexOf("\r\n\r\n");
    if (at < 0)
        return {};
    at += 4;
    QByteArray body;
    while (at < response.size()) {
        const qsizetype lineEnd = response.indexOf("\r\n", at);
        if (lineEnd < 0)
            break;
        bool ok = false;
        const qsizetype size = response.mid(at, lineEnd - at).toLongLong(&ok, 16);
        if (!ok || size == 0)
            break;
        body += response.mid(lineEnd + 2, size);
        at = lineEnd + 2 + size + 2;
    }
    return body;
}

// What an OpenAI client can make of those bytes: the text of the complete events, and whether
// [DONE] is among them.
QPair<QString, bool> openAiTextOf(const QByteArray &body)
{
    auto protocol = ChatProtocol::create(ChatProtocol::Kind::OpenAi);
    QString text;
    for (const SseEvent &event : parseEvents(body)) {
        const ChatUpdate update = protocol->handleEvent(event);
        text += update.text;
        if (update.complete)
            return {text, true};
    }
    return {text, false};
}

QUrl urlOf(quint16 port, const QString &path)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    url.setPath(path);
    return url;
}

} // namespace

class TestWireFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void adminAnswersSurviveCuts();
    void adminAnswersSurviveStalls();
    void openAiStreamsCutAreInterrupted();

private:
    std::unique_ptr<DemoServer> m_server;
    QStringList m_prompts;
    QHash<QString, QString> m_reference; // prompt -> the answer fetched without faults
};

void TestWireFaults::initTestCase()
{
    m_server = std::make_unique<DemoServer>(serverOptions());
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
    qInfo("machine: %s, %s, %d cores, Qt %s", qPrintable(QSysInfo::prettyProductName()),
          qPrintable(QSysInfo::currentCpuArchitecture()), QThread::idealThreadCount(), qVersion());

    // The references: every prompt straight to the server, no proxy and no faults.
    m_prompts = prompts(kAnswers);
    QList<Job> jobs;
    for (const QString &prompt : std::as_const(m_prompts))
        jobs.append({ChatProtocol::Kind::AdminStream,
                     urlOf(m_server->port(), kStreamPath),
                     prompt,
                     {},
                     resumeOptions(10000)});
    const QList<Result> results = runJobs(jobs, kConcurrent);
    QSet<QString> distinct;
    for (qsizetype i = 0; i < results.size(); ++i) {
        const Result &result = results[i];
        QVERIFY2(result.finished, qPrintable(m_prompts[i]));
        QCOMPARE(result.outcome, ChatStream::Outcome::Completed);
        QCOMPARE(result.reconnects, 0);
        QCOMPARE(result.text, corpusAnswer(m_prompts[i]));
        m_reference.insert(m_prompts[i], result.text);
        distinct.insert(result.text);
    }
    QCOMPARE(distinct.size(), 8); // every answer of the corpus, Arabic and English
}

void TestWireFaults::adminAnswersSurviveCuts()
{
    FaultProxy proxy(QHostAddress::LocalHost, m_server->port(), kSeed);
    QVERIFY(proxy.listen());
    FaultProxy::Profile profile;
    profile.cutChance = 0.9;
    profile.maxCutOffset = 24000; // about one whole response: many answers are cut several times
    profile.resetChance = 0.25;
    profile.singleByteWindow = 48;
    profile.splitChance = 0.4;
    profile.maxPieceBytes = 40;
    profile.oneByteChance = 0.02;
    profile.singleByteHead = 400; // status line, headers, retry, hello
    profile.delayChance = 0.01;
    profile.maxDelayMs = 15;
    proxy.setProfile(profile);

    QList<Job> jobs;
    for (qsizetype i = 0; i < m_prompts.size(); ++i) {
        // One answer in eight also has the server write CRLF line endings in awkward pieces, so
        // cuts fall between the CR and LF of SSE lines, not only of the chunk framing.
        const QByteArray fault = i % 8 == 5 ? QByteArrayLiteral("split") : QByteArray();
        jobs.append({ChatProtocol::Kind::AdminStream, urlOf(proxy.port(), kStreamPath),
                     m_prompts[i], fault, resumeOptions(10000)});
    }
    QElapsedTimer clock;
    clock.start();
    const QList<Result> results = runJobs(jobs, kConcurrent);
    const qint64 elapsedMs = clock.elapsed();

    int completed = 0;
    int reconnects = 0;
    int stallReconnects = 0;
    qint64 bytes = 0;
    qint64 characters = 0;
    qint64 lost = 0;
    qint64 repeated = 0;
    for (qsizetype i = 0; i < results.size(); ++i) {
        const Result &result = results[i];
        const QString &expected = m_reference.value(m_prompts[i]);
        const auto [missing, extra] = lostAndRepeated(expected, result.text);
        lost += missing;
        repeated += extra;
        reconnects += result.reconnects;
        stallReconnects += result.stallReconnects;
        bytes += result.bytes;
        characters += result.text.toUcs4().size();
        if (result.stallReconnects > 0)
            qInfo("answer %d (%s, fault '%s'): %d reconnects, %d after a stall", int(i),
                  qPrintable(m_prompts[i]), jobs[i].fault.constData(), result.reconnects,
                  result.stallReconnects);
        if (result.finished && result.outcome == ChatStream::Outcome::Completed &&
            result.text.toUtf8() == expected.toUtf8() && result.streamText == result.text)
            ++completed;
        else
            qWarning("answer %d (%s): finished %d, outcome %d (%s), %lld lost, %lld repeated",
                     int(i), qPrintable(m_prompts[i]), result.finished, int(result.outcome),
                     qPrintable(result.message), missing, extra);
    }
    const FaultProxy::Stats &stats = proxy.stats();
    qInfo("cuts: %d answers through the proxy, %d completed byte-identical; %lld characters, "
          "%lld lost, %lld repeated",
          int(results.size()), completed, characters, lost, repeated);
    qInfo("cuts: %d connections, %d responses, %d cuts (%d inside the response head, %d inside a "
          "UTF-8 "
          "sequence, %d between CR and LF, %d by reset), %d reconnects (%d after a stall)",
          stats.connections, stats.exchanges, stats.cuts, stats.cutsInsideHead,
          stats.cutsInsideUtf8, stats.cutsInsideCrlf, stats.resets, reconnects, stallReconnects);
    qInfo("cuts: %lld bytes to clients in %lld writes (%lld held back), %lld body bytes read "
          "by clients, %lld ms",
          stats.bytesToClient, stats.pieces, stats.delays, bytes, elapsedMs);

    QCOMPARE(completed, int(results.size()));
    QCOMPARE(lost, 0);
    QCOMPARE(repeated, 0);
    // The faults did happen, everywhere they were meant to (fixed seed, so these are stable).
    QVERIFY(stats.cuts >= int(results.size()));
    QVERIFY(reconnects >= stats.cuts / 2);
    QVERIFY(stats.cutsInsideHead > 0);
    QVERIFY(stats.cutsInsideUtf8 > 0);
    QVERIFY(stats.cutsInsideCrlf > 0);
    QVERIFY(stats.resets > 0);
    QTRY_COMPARE_WITH_TIMEOUT(proxy.openConnections(), 0, 10000);
}

void TestWireFaults::adminAnswersSurviveStalls()
{
    constexpr qint64 kStallTimeoutMs = 400;
    // Silence from the proxy: it keeps the connection open and forwards nothing more.
    FaultProxy proxy(QHostAddress::LocalHost, m_server->port(), kSeed + 1);
    QVERIFY(proxy.listen());
    FaultProxy::Profile profile;
    profile.stallChance = 0.6;
    profile.maxStallOffset = 24000;
    profile.splitChance = 0.3;
    profile.maxPieceBytes = 64;
    proxy.setProfile(profile);

    constexpr int kProxyAnswers = 48;
    constexpr int kServerAnswers = 12;
    QList<Job> jobs;
    for (int i = 0; i < kProxyAnswers; ++i)
        jobs.append({ChatProtocol::Kind::AdminStream,
                     urlOf(proxy.port(), kStreamPath),
                     m_prompts[i],
                     {},
                     resumeOptions(kStallTimeoutMs)});
    // Silence from the server itself: every connection, resumed ones too, stops after some
    // events and would stay silent (no heartbeats either) far longer than the stall timeout.
    for (int i = 0; i < kServerAnswers; ++i)
        jobs.append({ChatProtocol::Kind::AdminStream, urlOf(m_server->port(), kStreamPath),
                     m_prompts[kProxyAnswers + i],
                     QByteArrayLiteral("stall=30,stall-after=") + QByteArray::number(40 + 9 * i),
                     resumeOptions(kStallTimeoutMs)});
    QElapsedTimer clock;
    clock.start();
    const QList<Result> results = runJobs(jobs, kProxyAnswers + kServerAnswers);
    const qint64 elapsedMs = clock.elapsed();

    int completed = 0;
    int proxyStallsDetected = 0;
    int serverStallsDetected = 0;
    for (qsizetype i = 0; i < results.size(); ++i) {
        const Result &result = results[i];
        const QString &expected = m_reference.value(jobs[i].prompt);
        if (result.finished && result.outcome == ChatStream::Outcome::Completed &&
            result.text.toUtf8() == expected.toUtf8())
            ++completed;
        else
            qWarning("answer %d: finished %d, outcome %d (%s)", int(i), result.finished,
                     int(result.outcome), qPrintable(result.message));
        if (i < kProxyAnswers) {
            proxyStallsDetected += result.stallReconnects;
        } else {
            QVERIFY2(result.stallReconnects >= 1, jobs[i].fault.constData());
            serverStallsDetected += result.stallReconnects;
        }
    }
    qInfo("stalls: %d answers (%d through proxy silences, %d through server stalls), %d "
          "completed byte-identical; %d proxy silences, %d detected by the %lld ms stall "
          "timeout; %d server stalls detected; %lld ms",
          int(results.size()), kProxyAnswers, kServerAnswers, completed, proxy.stats().stalls,
          proxyStallsDetected, kStallTimeoutMs, serverStallsDetected, elapsedMs);
    QCOMPARE(completed, int(results.size()));
    QVERIFY(proxy.stats().stalls > 0);
    QVERIFY(proxyStallsDetected > 0);
    QVERIFY(serverStallsDetected >= kServerAnswers);
}

void TestWireFaults::openAiStreamsCutAreInterrupted()
{
    constexpr int kCuts = 100;
    FaultProxy proxy(QHostAddress::LocalHost, m_server->port(), kSeed + 2);
    QVERIFY(proxy.listen());
    proxy.setRecording(true);
    const QString prompt = QStringLiteral("أرني جدول ماركداون ومثال شيفرة 🌙");
    const QUrl url = urlOf(proxy.port(), QStringLiteral("/v1"));
    ChatRequest request;
    request.url = url;
    request.model = QStringLiteral("qalam-demo");
    request.messages.append({ChatMessage::Role::User, prompt});

    // The whole answer, and the bytes of its response, with no fault.
    QString full;
    qint64 doneEnd = -1;
    {
        proxy.setPlanner([](int, QRandomGenerator &) { return FaultProxy::Plan{}; });
        ChatStream stream(ChatProtocol::Kind::OpenAi);
        QSignalSpy finished(&stream, &ChatStream::finished);
        stream.start(request);
        QVERIFY(waitUntil([&] { return finished.size() == 1; }));
        QCOMPARE(finished.first().first().value<ChatStream::Outcome>(),
                 ChatStream::Outcome::Completed);
        full = stream.text();
        QCOMPARE(full, corpusAnswer(prompt));
    } // the stream's network access manager goes, and with it the kept-alive connection
    QTRY_COMPARE(proxy.openConnections(), 0);
    const QList<QByteArray> whole = proxy.takeRecorded();
    QCOMPARE(whole.size(), 1);
    const QByteArray marker = QByteArrayLiteral("data: [DONE]\n\n");
    doneEnd = whole.first().indexOf(marker);
    QVERIFY(doneEnd > 0);
    doneEnd += marker.size(); // a client given fewer bytes than this has no [DONE]
    int resentInHead = 0;

    // Cut points spread over the whole response, from the status line to the last byte
    // before [DONE] is whole; half of them with the bytes near the cut sent one by one.
    QRandomGenerator random{quint32(kSeed)};
    int interrupted = 0;
    int failedEmpty = 0;
    qint64 keptCharacters = 0;
    for (int i = 0; i < kCuts; ++i) {
        const qint64 from = doneEnd * i / kCuts;
        const qint64 to = doneEnd * (i + 1) / kCuts;
        FaultProxy::Plan plan;
        plan.cutAt = from + random.bounded(to - from);
        plan.singleByteWindow = i % 2 ? 32 : 0;
        proxy.setPlanner([plan](int, QRandomGenerator &) { return plan; });
        const int exchangesBefore = proxy.stats().exchanges;

        ChatStream stream(ChatProtocol::Kind::OpenAi);   // a new one: no kept-alive connection
        stream.setConsumerOptions(resumeOptions(10000)); // reconnection must stay off anyway
        QSignalSpy finished(&stream, &ChatStream::finished);
        QSignalSpy reconnecting(&stream, &ChatStream::reconnecting);
        stream.start(request);
        QVERIFY(waitUntil([&] { return finished.size() == 1; }));
        QTRY_COMPARE(proxy.openConnections(), 0);
        const QByteArray cutAt = QByteArray::number(plan.cutAt);

        const auto outcome = finished.first().first().value<ChatStream::Outcome>();
        QVERIFY2(outcome != ChatStream::Outcome::Completed, cutAt);
        QCOMPARE(reconnecting.size(), 0);
        // The text kept is a prefix of the answer, and all of the text that reached the client
        // in complete events: nothing that arrived is thrown away.
        const QString text = stream.text();
        // ChatStream never reconnects (checked above). QNetworkAccessManager itself sometimes
        // opens a second connection after a cut and sends the request again (seen on Qt 6.4
        // both before and after the first body byte); that second response is cut at the same
        // offset, and the checks below prove its bytes never reach the answer twice.
        if (proxy.stats().exchanges - exchangesBefore > 1)
            ++resentInHead;
        QVERIFY2(full.startsWith(text), cutAt);
        const QList<QByteArray> recorded = proxy.takeRecorded();
        const auto cutResponse =
            std::find_if(recorded.cbegin(), recorded.cend(),
                         [&plan](const QByteArray &r) { return r.size() == plan.cutAt; });
        QVERIFY2(cutResponse != recorded.cend(), cutAt);
        const auto [delivered, sawDone] = openAiTextOf(dechunkPartial(*cutResponse));
        QVERIFY2(!sawDone, cutAt);
        QCOMPARE(text, delivered);
        if (text.isEmpty()) {
            // Nothing to keep: a failed request, or a stream that ended before its first text.
            QVERIFY2(outcome == ChatStream::Outcome::Failed ||
                         outcome == ChatStream::Outcome::Interrupted,
                     cutAt);
            ++failedEmpty;
        } else {
            QCOMPARE(outcome, ChatStream::Outcome::Interrupted);
            ++interrupted;
            keptCharacters += text.toUcs4().size();
        }
    }
    qInfo(
        "openai: %d cuts over %lld response bytes, %d connections: %d interrupted with a "
        "partial text (%lld characters kept, all a prefix), %d ended before any text, 0 "
        "completed, 0 reconnects; %d cuts after which QNetworkAccessManager sent the request again",
        kCuts, doneEnd, proxy.stats().connections - 1, interrupted, keptCharacters, failedEmpty,
        resentInHead);
    QVERIFY(interrupted > kCuts / 2);
}

QTEST_GUILESS_MAIN(TestWireFaults)
#include "tst_wirefaults.moc"
