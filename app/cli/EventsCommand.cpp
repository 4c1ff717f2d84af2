#include "EventsCommand.h"

#include "CliCommon.h"
#include "JsonLineWriter.h"
#include "settings/ProfileNetworkAccessManager.h"
#include "sse/SseConsumer.h"

#include <QEventLoop>

namespace qalam::cli {

int runEventsCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Usage: qalam-cli events URL [-H 'Name: value']... [--secret-header NAME]...\n"
        "       [--ca-cert FILE] [--post BODY] [--max-reconnects N] [--show-meta]\n"
        "       [--stall-timeout S]\n\n"
        "Connects to an event stream and prints one JSON object per line on stdout for each\n"
        "dispatched event: {\"type\":...,\"data\":...,\"id\":<last event id>}.\n"
        "Follows the browser's EventSource rules exactly: any status but 200, or a content type\n"
        "other than text/event-stream, fails without retrying; 204 ends the stream; the end of\n"
        "the stream or a network error reconnects after the server's retry time, sending\n"
        "Last-Event-ID, while the reconnection budget lasts.\n\n"
        "With --show-meta, also: {\"open\":true} on each connection, {\"comment\":...} for each\n"
        "comment line, {\"retry\":ms} when the reconnection time changes, and\n"
        "{\"reconnect\":{\"attempt\":n,\"last_event_id\":...}} before each reconnection.\n"
        "Strings are JSON-escaped, control characters included (also DEL, U+0080..U+009F,\n"
        "U+2028 and U+2029 as \\u escapes), so no line can drive a terminal. Messages on stderr\n"
        "show control characters as ^[ or <U+009B> and are cut after 2000 characters.\n\n"
        "Exit status: 0 when the server ended the stream (end of stream after the reconnection\n"
        "budget, or HTTP 204); 1 when the connection failed (message on stderr); 2 on a bad\n"
        "command line."));
    parser.addPositionalArgument(QStringLiteral("URL"),
                                 QStringLiteral("The stream's http(s) URL."));
    parser.addOption({{QStringLiteral("H"), QStringLiteral("header")},
                      QStringLiteral("Send a request header; repeatable."),
                      QStringLiteral("Name: value")});
    addTransportSecurityOptions(parser);
    parser.addOption({QStringLiteral("post"),
                      QStringLiteral("POST this body instead of GET (Content-Type defaults to "
                                     "application/json)."),
                      QStringLiteral("BODY")});
    parser.addOption({QStringLiteral("max-reconnects"),
                      QStringLiteral("Reconnections allowed in all, -1 for no limit (default 0)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("stall-timeout"),
                      QStringLiteral("Seconds without any byte before the connection counts as "
                                     "dead (default 45)."),
                      QStringLiteral("S")});
    parser.addOption(
        {QStringLiteral("show-meta"),
         QStringLiteral("Also print connection, comment, retry and reconnect lines.")});
    if (const auto exit = processCommandLine(parser, arguments))
        return *exit;

    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        printError(QStringLiteral("events needs exactly one URL (see --help)"));
        return ExitUsage;
    }
    const QUrl url = QUrl::fromUserInput(positional.first());
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        printError(QStringLiteral("'%1' is not an http or https URL").arg(positional.first()));
        return ExitUsage;
    }
    const auto headers = parseHeaders(parser.values(QStringLiteral("header")));
    const auto maxReconnects =
        parseIntOption(parser, QStringLiteral("max-reconnects"), 0, -1, 1000000);
    const auto stallSeconds = parseIntOption(parser, QStringLiteral("stall-timeout"), 45, 1, 86400);
    if (!headers || !maxReconnects || !stallSeconds)
        return ExitUsage;
    const auto secretHeaders = parseSecretHeaders(parser, *headers);
    if (!secretHeaders)
        return ExitUsage;
    ProfileNetworkAccessManager network;
    if (!applyCaCertificateOption(parser, network))
        return ExitUsage;

    SseRequest request;
    request.url = url;
    request.headers = *headers;
    request.secretHeaders = *secretHeaders;
    if (parser.isSet(QStringLiteral("post"))) {
        request.method = "POST";
        request.body = parser.value(QStringLiteral("post")).toUtf8();
        const bool hasType =
            std::any_of(request.headers.cbegin(), request.headers.cend(), [](const auto &h) {
                return h.first.compare("Content-Type", Qt::CaseInsensitive) == 0;
            });
        if (!hasType)
            request.headers.append(
                qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    }

    SseConsumer::Options options;
    options.specStrict = true;
    options.maxReconnects = *maxReconnects;
    options.budgetResetsOnEvent = false;
    options.stallTimeoutMs = qint64(*stallSeconds) * 1000;
    // docs/cli.md: the server's `retry`, at least 250 ms (the consumer's default floor is 500).
    options.minRetryMs = 250;

    const bool showMeta = parser.isSet(QStringLiteral("show-meta"));
    JsonLineWriter out;
    SseConsumer consumer(&network);
    consumer.setOptions(options);
    QEventLoop loop;

    QObject::connect(&consumer, &SseConsumer::eventReceived, [&out](const SseEvent &event) {
        out.writeEvent(event.type, event.data, event.lastEventId);
    });
    if (showMeta) {
        QObject::connect(&consumer, &SseConsumer::opened, [&out] {
            out.writeObject({{"open", "true"}});
        });
        QObject::connect(&consumer, &SseConsumer::comment, [&out](const QString &text) {
            out.writeObject({{"comment", JsonLineWriter::quoted(text)}});
        });
        QObject::connect(&consumer, &SseConsumer::retryChanged, [&out](qint64 ms) {
            out.writeObject({{"retry", QByteArray::number(ms)}});
        });
        QObject::connect(&consumer, &SseConsumer::reconnecting,
                         [&out, &consumer](int attempt, qint64, const QString &) {
                             const QByteArray inner =
                                 "{\"attempt\":" + QByteArray::number(attempt) +
                                 ",\"last_event_id\":" +
                                 JsonLineWriter::quoted(consumer.lastEventId()) + '}';
                             out.writeObject({{"reconnect", inner}});
                         });
    }
    QObject::connect(&consumer, &SseConsumer::errorOccurred,
                     [&out](SseConsumer::ErrorKind, const QString &message) {
                         out.flush(); // the lines before the error come first, as they happened
                         printError(message);
                     });
    QObject::connect(
        &consumer, &SseConsumer::finished, &loop, [&loop](SseConsumer::FinishReason reason) {
            const bool serverEnded = reason == SseConsumer::FinishReason::EndOfStream ||
                                     reason == SseConsumer::FinishReason::ServerClosed;
            loop.exit(serverEnded ? ExitOk : ExitFailed);
        });
    consumer.start(request);
    return loop.exec();
}

} // namespace qalam::cli
