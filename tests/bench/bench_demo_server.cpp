// How many concurrent admin streams the demo server holds, and at what cost.
//
// The server runs in this process; a client process (this program again, with --client) opens
// --streams connections on non-blocking sockets with epoll, keeps each one streaming (a finished
// answer is followed by a new request on the same connection), and checks that every event
// arrives, in order: ids count up by one per stream, delta seqs by one, and each `done` counts
// exactly the deltas received, and whether each delta came on time: no later than one interval
// (1/rate) after its place in the stream's schedule, counted from the stream's first delta. The
// server prints its memory and CPU over the hold period, the client what it received. With
// --against better-sse the same client then holds the same number of streams on better-sse
// (Node, tests/bench/js-server) and both are printed side by side. See docs/benchmarks.md.
#include "server/DemoServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QThread>
#include <QTimer>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <future>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

struct Settings
{
    int streams = 2000;
    int seconds = 30;
    double rate = 10.0;
    quint16 port = 0;
    QString against;
    int threads = 1; // servers sharing the port (SO_REUSEPORT), one event loop each
};

qint64 nowMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer started;
        started.start();
        return started;
    }();
    return clock.elapsed();
}

void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// User + system CPU seconds and resident bytes of another process, from /proc.
double cpuSecondsOf(qint64 pid)
{
    FILE *file =
        std::fopen(QByteArray("/proc/" + QByteArray::number(pid) + "/stat").constData(), "r");
    if (!file)
        return 0;
    char buffer[1024] = {};
    const size_t got = std::fread(buffer, 1, sizeof buffer - 1, file);
    std::fclose(file);
    const char *after = std::strrchr(buffer, ')');
    if (!after || got == 0)
        return 0;
    unsigned long utime = 0;
    unsigned long stime = 0;
    // Fields 3.. after the command name; utime and stime are fields 14 and 15.
    if (std::sscanf(after + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
                    &stime) != 2)
        return 0;
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

qint64 residentBytesOf(qint64 pid)
{
    FILE *file =
        std::fopen(QByteArray("/proc/" + QByteArray::number(pid) + "/statm").constData(), "r");
    long pages = 0;
    long resident = 0;
    if (file) {
        if (std::fscanf(file, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(file);
    }
    return qint64(resident) * sysconf(_SC_PAGESIZE);
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

qint64 residentBytes()
{
    FILE *file = std::fopen("/proc/self/statm", "r");
    long pages = 0;
    long resident = 0;
    if (file) {
        if (std::fscanf(file, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(file);
    }
    return qint64(resident) * sysconf(_SC_PAGESIZE);
}

// ---- client mode: plain sockets, so the client's own cost stays small and visible ----------

struct Stream
{
    int fd = -1;
    std::string in;           // raw bytes not yet parsed (chunk framing)
    std::string body;         // de-chunked bytes not yet split into lines
    long long nextChunk = -1; // bytes left in the current chunk; -1: expecting a size line
    bool headDone = false;
    long long lastId = -1;
    long long lastSeq = 0;
    qint64 firstDeltaMs = -1;
    bool inDone = false;
    bool completed = false;
};

struct Totals
{
    long long events = 0;
    long long deltas = 0;
    long long answers = 0;  // streams that reached `done` with every delta
    long long disorder = 0; // an id or seq out of order: a lost or repeated event
    long long shortAnswers = 0;
    long long closed = 0; // connections the server closed
    long long onTime = 0; // deltas no later than one interval after their schedule
    long long late = 0;
};

double g_intervalMs = 100.0;

void sendRequest(Stream &s, int index, quint16 port)
{
    const std::string request =
        "GET /api/v1/stream/chat?prompt=How%20does%20streaming%20work&seed=" +
        std::to_string(index) + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
        "\r\nAccept: text/event-stream\r\n\r\n";
    // The request is far smaller than an empty socket buffer: one send() takes it all.
    [[maybe_unused]] const ssize_t sent =
        ::send(s.fd, request.data(), request.size(), MSG_NOSIGNAL);
    s.in.clear();
    s.body.clear();
    s.nextChunk = -1;
    s.headDone = false;
    s.lastId = -1;
    s.lastSeq = 0;
    s.firstDeltaMs = -1;
    s.inDone = false;
    s.completed = false;
}

long long numberAfter(const std::string &line, const char *key)
{
    const size_t at = line.find(key);
    return at == std::string::npos ? -1 : std::atoll(line.c_str() + at + std::strlen(key));
}

void handleLine(Stream &s, const std::string &raw, Totals &totals)
{
    // "field: value" and "field:value" are the same field (better-sse writes no space).
    std::string line = raw;
    if (const size_t colon = line.find(':'); colon != std::string::npos && colon > 0 &&
                                             (colon + 1 >= line.size() || line[colon + 1] != ' '))
        line.insert(colon + 1, " ");
    if (line.rfind("id: ", 0) == 0) {
        const long long n = std::atoll(line.c_str() + line.rfind('.') + 1);
        ++totals.events;
        if (n != s.lastId + 1)
            ++totals.disorder;
        s.lastId = n;
    } else if (line == "event: done") {
        s.inDone = true;
    } else if (line.rfind("data: ", 0) == 0) {
        if (s.inDone) {
            if (numberAfter(line, "\"deltas\":") != s.lastSeq)
                ++totals.shortAnswers;
            else
                ++totals.answers;
            s.inDone = false;
        } else if (const long long seq = numberAfter(line, "\"seq\":"); seq >= 0) {
            ++totals.deltas;
            const qint64 now = nowMs();
            if (seq == 1 || s.firstDeltaMs < 0)
                s.firstDeltaMs = now - qint64(double(seq - 1) * g_intervalMs);
            const double due = double(s.firstDeltaMs) + double(seq - 1) * g_intervalMs;
            if (double(now) <= due + g_intervalMs)
                ++totals.onTime;
            else
                ++totals.late;
            if (seq != s.lastSeq + 1)
                ++totals.disorder;
            s.lastSeq = seq;
        }
    }
}

// Returns true when the response body ended (terminating chunk).
bool parse(Stream &s, Totals &totals)
{
    if (!s.headDone) {
        const size_t end = s.in.find("\r\n\r\n");
        if (end == std::string::npos)
            return false;
        s.in.erase(0, end + 4);
        s.headDone = true;
    }
    size_t pos = 0;
    bool ended = false;
    while (pos < s.in.size()) {
        if (s.nextChunk < 0) {
            const size_t lineEnd = s.in.find("\r\n", pos);
            if (lineEnd == std::string::npos)
                break;
            s.nextChunk = std::strtoll(s.in.c_str() + pos, nullptr, 16);
            pos = lineEnd + 2;
            if (s.nextChunk == 0) {
                pos += 2;
                ended = true;
                break;
            }
            continue;
        }
        const size_t take = std::min<size_t>(size_t(s.nextChunk), s.in.size() - pos);
        s.body.append(s.in, pos, take);
        pos += take;
        s.nextChunk -= (long long)take;
        if (s.nextChunk == 0) {
            if (s.in.size() - pos < 2) {
                s.nextChunk = 0; // the chunk's CRLF has not arrived yet
                break;
            }
            pos += 2;
            s.nextChunk = -1;
        }
    }
    if (s.nextChunk == 0 && s.in.size() - pos >= 2) {
        pos += 2;
        s.nextChunk = -1;
    }
    s.in.erase(0, std::min(pos, s.in.size()));
    size_t start = 0;
    for (size_t nl; (nl = s.body.find('\n', start)) != std::string::npos; start = nl + 1)
        handleLine(s, s.body.substr(start, nl - start), totals);
    s.body.erase(0, start);
    return ended;
}

int runClient(const Settings &settings)
{
    raiseFileLimit();
    g_intervalMs = 1000.0 / settings.rate;
    const int epoll = epoll_create1(0);
    std::vector<Stream> streams(size_t(settings.streams));
    Totals totals;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(settings.port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    QElapsedTimer clock;
    clock.start();
    int opened = 0;
    qint64 holdStartMs = -1;
    Totals atHoldStart;
    double cpuAtHoldStart = 0;
    std::vector<epoll_event> ready(1024);
    char buffer[65536];
    for (;;) {
        // Ramp up in steps, so the accept queue never overflows.
        while (opened < settings.streams && opened < int(clock.elapsed() / 50 + 1) * 100) {
            Stream &s = streams[size_t(opened)];
            s.fd = ::socket(AF_INET, SOCK_STREAM, 0);
            if (s.fd < 0 ||
                ::connect(s.fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
                std::fprintf(stderr, "client: connection %d failed: %s\n", opened,
                             std::strerror(errno));
                return 1;
            }
            fcntl(s.fd, F_SETFL, fcntl(s.fd, F_GETFL) | O_NONBLOCK);
            epoll_event event{};
            event.events = EPOLLIN;
            event.data.u32 = uint32_t(opened);
            epoll_ctl(epoll, EPOLL_CTL_ADD, s.fd, &event);
            sendRequest(s, opened, settings.port);
            ++opened;
        }
        if (opened == settings.streams && holdStartMs < 0 && clock.elapsed() > 2000 + opened / 2) {
            holdStartMs = clock.elapsed();
            atHoldStart = totals;
            cpuAtHoldStart = cpuSeconds();
            std::printf("holding %d\n", opened);
            std::fflush(stdout);
        }
        if (holdStartMs >= 0 && clock.elapsed() - holdStartMs >= qint64(settings.seconds) * 1000)
            break;
        const int n = epoll_wait(epoll, ready.data(), int(ready.size()), 100);
        for (int i = 0; i < n; ++i) {
            Stream &s = streams[ready[size_t(i)].data.u32];
            for (;;) {
                const ssize_t got = ::recv(s.fd, buffer, sizeof buffer, 0);
                if (got > 0) {
                    s.in.append(buffer, size_t(got));
                    continue;
                }
                if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                    ++totals.closed;
                    epoll_ctl(epoll, EPOLL_CTL_DEL, s.fd, nullptr);
                }
                break;
            }
            if (parse(s, totals))
                sendRequest(s, int(totals.answers + totals.shortAnswers) + settings.streams,
                            settings.port);
        }
    }
    const double seconds = double(clock.elapsed() - holdStartMs) / 1000.0;
    const long long events = totals.events - atHoldStart.events;
    const long long timed = (totals.onTime - atHoldStart.onTime) + (totals.late - atHoldStart.late);
    const double onTime =
        timed > 0 ? 100.0 * double(totals.onTime - atHoldStart.onTime) / double(timed) : 0.0;
    std::printf(
        "client: streams %d, held %.1f s, events %lld (%.0f/s, %.2f per stream per s), "
        "answers completed %lld, out of order %lld, short answers %lld, closed by server %lld, "
        "client CPU %.0f%%, deltas on time %.1f%%\n",
        settings.streams, seconds, events, double(events) / seconds,
        double(events) / seconds / settings.streams, totals.answers, totals.disorder,
        totals.shortAnswers, totals.closed, 100.0 * (cpuSeconds() - cpuAtHoldStart) / seconds,
        onTime);
    std::printf("result %.3f %.2f %lld %lld %lld\n", onTime,
                double(events) / seconds / settings.streams, totals.disorder, totals.shortAnswers,
                totals.closed);
    std::fflush(stdout);
    const bool clean = totals.disorder == 0 && totals.shortAnswers == 0 && totals.closed == 0;
    for (const Stream &s : streams)
        ::close(s.fd);
    return clean ? 0 : 1;
}

// ---- server mode ---------------------------------------------------------------------------

struct RunResult
{
    QString label;
    bool ran = false;
    int exitCode = 1;
    double onTimePercent = 0;
    double perStreamRate = 0;
    long long disorder = 0, shortAnswers = 0, closed = 0;
    double rssMiB = 0, perStreamKiB = 0, cpuPercent = 0, seconds = 0;
};

// Runs the client against `port` and samples the server process `pid` (0: this one) over the
// hold period.
RunResult holdStreams(const Settings &settings, const QString &program, const QString &label,
                      quint16 port, qint64 pid, const std::function<int()> &streamingNow)
{
    RunResult result;
    result.label = label;
    const auto rss = [pid] { return pid ? residentBytesOf(pid) : residentBytes(); };
    const auto cpu = [pid] { return pid ? cpuSecondsOf(pid) : cpuSeconds(); };
    const qint64 baseline = rss();
    QElapsedTimer clock;
    double cpuAtHold = 0;
    qint64 peakRss = 0;
    qint64 connectionSamples = 0;
    qint64 samples = 0;
    QEventLoop loop;
    QProcess client;
    client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        peakRss = std::max(peakRss, rss());
        connectionSamples += streamingNow ? streamingNow() : 0;
        ++samples;
    });
    QObject::connect(&client, &QProcess::readyReadStandardOutput, [&] {
        while (client.canReadLine()) {
            const QByteArray line = client.readLine();
            if (line.startsWith("holding")) {
                clock.start();
                cpuAtHold = cpu();
                peakRss = rss();
                sampler.start(250);
                continue;
            }
            if (line.startsWith("result ")) {
                const QList<QByteArray> f = line.trimmed().split(' ');
                if (f.size() == 6) {
                    result.onTimePercent = f[1].toDouble();
                    result.perStreamRate = f[2].toDouble();
                    result.disorder = f[3].toLongLong();
                    result.shortAnswers = f[4].toLongLong();
                    result.closed = f[5].toLongLong();
                }
                continue;
            }
            std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        }
    });
    QObject::connect(&client, &QProcess::finished, [&](int code) {
        sampler.stop();
        result.ran = true;
        result.exitCode = code;
        result.seconds = double(clock.elapsed()) / 1000.0;
        result.rssMiB = double(peakRss - baseline) / 1048576.0;
        result.perStreamKiB = double(peakRss - baseline) / 1024.0 / settings.streams;
        result.cpuPercent = 100.0 * (cpu() - cpuAtHold) / std::max(0.001, result.seconds);
        std::printf(
            "%s: RSS %.1f MiB over a %.1f MiB baseline = %.1f KiB per stream, CPU %.0f%% "
            "of one core over %.1f s%s\n",
            qPrintable(label), result.rssMiB, double(baseline) / 1048576.0, result.perStreamKiB,
            result.cpuPercent, result.seconds,
            streamingNow && samples
                ? qPrintable(QStringLiteral(", responses streaming at a time: %1 on "
                                            "average")
                                 .arg(double(connectionSamples) / double(samples), 0, 'f', 0))
                : "");
        std::fflush(stdout);
        loop.quit();
    });
    client.start(program,
                 {QStringLiteral("--client"), QStringLiteral("--port"), QString::number(port),
                  QStringLiteral("--streams"), QString::number(settings.streams),
                  QStringLiteral("--seconds"), QString::number(settings.seconds),
                  QStringLiteral("--rate"), QString::number(settings.rate)});
    loop.exec();
    return result;
}

qalam::server::DemoServer::Options serverOptions(const Settings &settings)
{
    qalam::server::DemoServer::Options options;
    options.tokensPerSecond = settings.rate;
    options.firstTokenMs = 0;
    options.heartbeatMs = 5000;
    options.resumeWindowMs = 5000;       // finished answers are not kept for the whole run
    options.maxConnectionsPerClient = 0; // every client connection comes from 127.0.0.1
    return options;
}

// --threads N: N demo servers, each in a thread of its own with its own event loop, sharing one
// port (SO_REUSEPORT); the kernel spreads the client's connections among them.
RunResult runQalamThreads(const Settings &settings, const QString &program)
{
    std::vector<std::unique_ptr<QThread>> threads;
    quint16 port = 0;
    for (int i = 0; i < settings.threads; ++i) {
        std::promise<quint16> listening;
        std::future<quint16> bound = listening.get_future();
        auto options = serverOptions(settings);
        options.sharedPort = true;
        options.port = port; // the first picks a free one, the others share it
        threads.push_back(std::unique_ptr<QThread>(QThread::create([options, &listening] {
            qalam::server::DemoServer server(options);
            if (!server.listen()) {
                std::fprintf(stderr, "server: %s\n", qPrintable(server.errorString()));
                listening.set_value(0);
                return;
            }
            listening.set_value(server.port());
            QEventLoop loop; // QThread::quit() ends it
            loop.exec();
        })));
        threads.back()->start();
        port = bound.get();
        if (port == 0)
            return {};
    }
    RunResult result = holdStreams(
        settings, program, QStringLiteral("Qalam demo server, %1 threads").arg(settings.threads),
        port, 0, {});
    for (const auto &thread : threads) {
        thread->quit();
        thread->wait();
    }
    return result;
}

RunResult runQalam(const Settings &settings, const QString &program)
{
    if (settings.threads > 1)
        return runQalamThreads(settings, program);
    qalam::server::DemoServer server(serverOptions(settings));
    if (!server.listen()) {
        std::fprintf(stderr, "server: %s\n", qPrintable(server.errorString()));
        return {};
    }
    RunResult result =
        holdStreams(settings, program, QStringLiteral("Qalam demo server"), server.port(), 0,
                    [&server] { return server.stats().connections; });
    std::printf("Qalam demo server: streams kept at the end %d\n", server.stats().streams);
    return result;
}

RunResult runBetterSse(const Settings &settings, const QString &program)
{
    RunResult result;
    result.label = QStringLiteral("better-sse (Node)");
    const QString script = QStringLiteral(QALAM_BENCH_JS_SERVER_DIR "/sse-server.mjs");
    QProcess node;
    node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    node.start(QStringLiteral("node"),
               {script, QStringLiteral("--rate"), QString::number(settings.rate),
                QStringLiteral("--heartbeat-ms"), QStringLiteral("5000")});
    if (!node.waitForStarted(10000) || !node.waitForReadyRead(10000)) {
        std::fprintf(stderr, "better-sse: cannot start node %s (run npm ci in %s)\n",
                     qPrintable(script), QALAM_BENCH_JS_SERVER_DIR);
        return result;
    }
    const QByteArray line = node.readLine().trimmed();
    if (!line.startsWith("listening ")) {
        std::fprintf(stderr, "better-sse: %s\n", line.constData());
        return result;
    }
    const auto port = quint16(line.mid(10).toUInt());
    result = holdStreams(settings, program, result.label, port, node.processId(), {});
    node.kill();
    node.waitForFinished(5000);
    return result;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Concurrent streams the demo server holds."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("streams"), QStringLiteral("Concurrent streams (2000)."),
                      QStringLiteral("N")});
    parser.addOption(
        {QStringLiteral("seconds"), QStringLiteral("Hold time (30)."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("rate"), QStringLiteral("Events per second per stream (10)."),
                      QStringLiteral("R")});
    parser.addOption({QStringLiteral("against"),
                      QStringLiteral("Also hold the streams on a peer: better-sse."),
                      QStringLiteral("PEER")});
    parser.addOption({QStringLiteral("threads"),
                      QStringLiteral("Demo servers sharing the port, one event loop per thread "
                                     "(1)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("client"), QStringLiteral("Internal: run the client side.")});
    parser.addOption({QStringLiteral("port"), QStringLiteral("Internal: the server's port."),
                      QStringLiteral("P")});
    parser.process(app);
    Settings settings;
    settings.streams = parser.value(QStringLiteral("streams")).toInt() > 0
                           ? parser.value(QStringLiteral("streams")).toInt()
                           : 2000;
    settings.seconds = parser.value(QStringLiteral("seconds")).toInt() > 0
                           ? parser.value(QStringLiteral("seconds")).toInt()
                           : 30;
    settings.rate = parser.value(QStringLiteral("rate")).toDouble() > 0
                        ? parser.value(QStringLiteral("rate")).toDouble()
                        : 10.0;
    settings.port = quint16(parser.value(QStringLiteral("port")).toUInt());
    settings.against = parser.value(QStringLiteral("against"));
    settings.threads = std::clamp(parser.value(QStringLiteral("threads")).toInt(), 1, 64);
    if (parser.isSet(QStringLiteral("client")))
        return runClient(settings);
    raiseFileLimit();
    std::printf("bench_demo_server: %d streams at %.0f events/s each for %d s (build %s)\n",
                settings.streams, settings.rate, settings.seconds, QALAM_BENCH_BUILD_TYPE);
    std::fflush(stdout);
    const QString program = QCoreApplication::applicationFilePath();
    QList<RunResult> results{runQalam(settings, program)};
    if (settings.against == QLatin1String("better-sse"))
        results.append(runBetterSse(settings, program));
    std::printf("\n| server | streams | deltas on time | events/s per stream | lost / out of order "
                "/ cut | RSS | per stream | CPU |\n|---|---:|---:|---:|---|---:|---:|---:|\n");
    bool clean = true;
    for (const RunResult &r : results) {
        if (!r.ran) {
            std::printf("| %s | %d | did not run | | | | | |\n", qPrintable(r.label),
                        settings.streams);
            clean = false;
            continue;
        }
        std::printf("| %s | %d | %.1f %% | %.2f | %lld / %lld / %lld | +%.1f MiB | %.1f KiB | "
                    "%.0f %% |\n",
                    qPrintable(r.label), settings.streams, r.onTimePercent, r.perStreamRate,
                    r.shortAnswers, r.disorder, r.closed, r.rssMiB, r.perStreamKiB, r.cpuPercent);
        clean = clean && r.exitCode == 0;
    }
    return clean ? 0 : 1;
}
