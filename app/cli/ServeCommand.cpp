#include "ServeCommand.h"

#include "CliCommon.h"
#include "server/DemoServer.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QThread>

#include <cstdio>
#include <future>
#include <memory>
#include <vector>

namespace qalam::cli {

namespace {

std::optional<double> parsePositiveNumber(const QCommandLineParser &parser, const QString &name,
                                          double defaultValue, double max)
{
    if (!parser.isSet(name))
        return defaultValue;
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok || !(value > 0) || value > max) {
        printError(QStringLiteral("--%1 must be a number more than 0 and at most %2, not '%3'")
                       .arg(name)
                       .arg(max)
                       .arg(parser.value(name)));
        return std::nullopt;
    }
    return value;
}

} // namespace

int runServeCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Usage: qalam-cli serve [--port N] [--bind ADDR] [--token T] [--rate TOKENS_PER_S]\n"
        "       [--first-token-ms MS] [--heartbeat-s S] [--seed N] [--fault SPEC]\n"
        "       [--allow-host NAME]... [--allow-origin ORIGIN]... [--max-connections N]\n"
        "       [--max-connections-per-client N] [--threads N] [--replay FILE|DIR [--speed "
        "X|max]]\n\n"
        "Runs Qalam's demo server: streamed answers from a built-in Arabic and English corpus,\n"
        "with no backend and no network. Once it is ready it prints exactly one line on stdout,\n"
        "'listening on http://ADDR:PORT', and serves until interrupted (Ctrl-C).\n\n"
        "Routes:\n"
        "  POST|GET /api/v1/stream/chat, /admin/api/chat/stream   admin stream (docs/protocol.md)\n"
        "  POST     /v1/chat/completions                          OpenAI-compatible, stream or "
        "not\n"
        "  GET      /v1/models, /health\n\n"
        "Binding an address other than loopback requires --token; every request must then send\n"
        "'Authorization: Bearer <token>'. Faults for demos and tests (close-after-events=N,\n"
        "close-after-bytes=N, stall=S, stall-after=N, split, status=CODE, retry-after=S, html,\n"
        "no-ids, plain-headers, bad-utf8, burst) come from the X-Qalam-Fault header, the 'fault'\n"
        "query parameter, or --fault for every request; see docs/server.md.\n\n"
        "--replay FILE|DIR serves recordings made by 'qalam-cli record' on the stream routes:\n"
        "the same status, headers and bytes in the same pieces at the recorded times (--speed),\n"
        "matched by route and question (or the only one), resumable with Last-Event-ID when the\n"
        "events have ids, with the faults on top (docs/recording.md).\n\n"
        "Limits (each refusal is a JSON error, see docs/server.md): the request head must arrive\n"
        "within 10 s and the body within 30 s (408); heads over 16 KiB get 431, bodies over\n"
        "1 MiB 413; idle connections close after 30 s; past --max-connections, or\n"
        "--max-connections-per-client from one address, new connections get 503 with\n"
        "Retry-After. The Host header must name the bound address (or localhost when bound to\n"
        "loopback), else 403 host_not_allowed, unless --allow-host names it; a browser request\n"
        "with an Origin other than the server's own gets 403 origin_not_allowed, unless\n"
        "--allow-origin names it (then it gets CORS headers, preflights included).\n\n"
        "Runs until it is killed (Ctrl-C). Exit status: 1 when the server cannot start (message on "
        "stderr);\n"
        "2 on a bad command line."));
    parser.addOption({QStringLiteral("port"),
                      QStringLiteral("TCP port; 0 picks a free one (default 8080)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("bind"),
                      QStringLiteral("Address to listen on (default 127.0.0.1). Any other than "
                                     "loopback requires --token."),
                      QStringLiteral("ADDR")});
    parser.addOption({QStringLiteral("token"),
                      QStringLiteral("Bearer token every request must send."),
                      QStringLiteral("T")});
    parser.addOption({QStringLiteral("rate"),
                      QStringLiteral("Answer pieces (tokens) per second (default 45)."),
                      QStringLiteral("TOKENS_PER_S")});
    parser.addOption(
        {QStringLiteral("first-token-ms"),
         QStringLiteral("Delay before the first piece, in milliseconds (default 300)."),
         QStringLiteral("MS")});
    parser.addOption({QStringLiteral("heartbeat-s"),
                      QStringLiteral("Seconds of silence before a ping (default 20)."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("seed"),
                      QStringLiteral("Seed for requests that send none: picks the answer and its "
                                     "split (default 0)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("fault"),
                      QStringLiteral("Fault spec applied to requests that bring none, e.g. "
                                     "'close-after-events=5'."),
                      QStringLiteral("SPEC")});
    parser.addOption({QStringLiteral("allow-host"),
                      QStringLiteral("Also serve requests whose Host header is NAME (e.g. the "
                                     "name a reverse proxy uses). Repeatable; '*' allows any."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("allow-origin"),
                      QStringLiteral("Allow browser requests from ORIGIN (scheme://host[:port]), "
                                     "with CORS headers. Repeatable; '*' allows any."),
                      QStringLiteral("ORIGIN")});
    parser.addOption({QStringLiteral("max-connections"),
                      QStringLiteral("Connections served at once; more get 503 (default: the "
                                     "open file limit less 128)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("max-connections-per-client"),
                      QStringLiteral("Connections from one address at once; more get 503 "
                                     "(default 256; 0: no limit)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("threads"),
                      QStringLiteral("Servers sharing the port, one event loop per thread, for "
                                     "thousands of streams on several cores (default 1)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("replay"),
                      QStringLiteral("Play back the recording FILE, or every *.jsonl in DIR, made "
                                     "by 'qalam-cli record' (docs/recording.md), instead of the "
                                     "built-in answers."),
                      QStringLiteral("FILE|DIR")});
    parser.addOption({QStringLiteral("speed"),
                      QStringLiteral("Replay at X times the recorded pace, or 'max' (default 1)."),
                      QStringLiteral("X|max")});
    if (const auto exit = processCommandLine(parser, arguments))
        return *exit;
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("serve takes no arguments, only options (see --help)"));
        return ExitUsage;
    }

    server::DemoServer::Options options;
    const auto port = parseIntOption(parser, QStringLiteral("port"), 8080, 0, 65535);
    const auto firstTokenMs =
        parseIntOption(parser, QStringLiteral("first-token-ms"), 300, 0, 600000);
    const auto rate = parsePositiveNumber(parser, QStringLiteral("rate"), 45.0, 100000.0);
    const auto heartbeat = parsePositiveNumber(parser, QStringLiteral("heartbeat-s"), 20.0, 3600.0);
    const auto maxConnections =
        parseIntOption(parser, QStringLiteral("max-connections"), 0, 1, 1 << 20);
    const auto maxPerClient = parseIntOption(parser, QStringLiteral("max-connections-per-client"),
                                             options.maxConnectionsPerClient, 0, 1 << 20);
    const auto threads = parseIntOption(parser, QStringLiteral("threads"), 1, 1, 64);
    if (!port || !firstTokenMs || !rate || !heartbeat || !maxConnections || !maxPerClient ||
        !threads)
        return ExitUsage;
    options.maxConnections = *maxConnections;
    options.maxConnectionsPerClient = *maxPerClient;
    options.allowedHosts = parser.values(QStringLiteral("allow-host"));
    options.allowedOrigins = parser.values(QStringLiteral("allow-origin"));
    options.port = quint16(*port);
    options.firstTokenMs = *firstTokenMs;
    options.tokensPerSecond = *rate;
    options.heartbeatMs = std::max(1, int(*heartbeat * 1000.0));
    if (parser.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        options.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok) {
            printError(QStringLiteral("--seed must be a whole number, not '%1'")
                           .arg(parser.value(QStringLiteral("seed"))));
            return ExitUsage;
        }
    }
    if (parser.isSet(QStringLiteral("bind"))) {
        const QString bind = parser.value(QStringLiteral("bind"));
        options.address = bind == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost)
                                                             : QHostAddress(bind);
        if (options.address.isNull()) {
            printError(QStringLiteral("--bind must be an IP address, not '%1'").arg(bind));
            return ExitUsage;
        }
    }
    options.replayPath = parser.value(QStringLiteral("replay"));
    if (parser.isSet(QStringLiteral("speed"))) {
        const QString speed = parser.value(QStringLiteral("speed"));
        bool ok = speed == QLatin1String("max");
        options.replaySpeed = ok ? 0.0 : speed.toDouble(&ok);
        if (!ok || options.replaySpeed < 0 || options.replaySpeed > 1000 ||
            (options.replaySpeed == 0 && speed != QLatin1String("max"))) {
            printError(QStringLiteral("--speed must be a number above 0 (at most 1000) or 'max', "
                                      "not '%1'")
                           .arg(speed));
            return ExitUsage;
        }
        if (options.replayPath.isEmpty()) {
            printError(QStringLiteral("--speed needs --replay"));
            return ExitUsage;
        }
    }
    options.token = parser.value(QStringLiteral("token"));
    options.faults = parser.value(QStringLiteral("fault"));

    options.sharedPort = *threads > 1;
    server::DemoServer demo(options);
    if (!demo.listen()) {
        printError(demo.errorString());
        return ExitFailed;
    }
    // --threads N: N - 1 more servers on the same port, each in its own thread with its own
    // event loop; the kernel spreads the connections (SO_REUSEPORT).
    std::vector<std::unique_ptr<QThread>> workers;
    options.port = demo.port();
    for (int i = 1; i < *threads; ++i) {
        std::promise<QString> started;
        std::future<QString> result = started.get_future();
        workers.push_back(std::unique_ptr<QThread>(QThread::create([options, &started] {
            server::DemoServer worker(options);
            if (!worker.listen()) {
                started.set_value(worker.errorString());
                return;
            }
            started.set_value(QString());
            QEventLoop loop; // QThread::quit() ends it
            loop.exec();
        })));
        workers.back()->start();
        if (const QString error = result.get(); !error.isEmpty()) {
            printError(error);
            return ExitFailed;
        }
    }
    QObject::connect(qApp, &QCoreApplication::aboutToQuit, [&workers] {
        for (const auto &worker : workers) {
            worker->quit();
            worker->wait();
        }
    });

    const QByteArray line = "listening on " + demo.url().toString().toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
    return QCoreApplication::exec();
}

} // namespace qalam::cli
