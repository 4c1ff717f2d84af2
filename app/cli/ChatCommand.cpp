#include "ChatCommand.h"

#include "AnswerWriter.h"
#include "ChatRequestOptions.h"
#include "CliCommon.h"
#include "TerminalText.h"
#include "chat/ChatStream.h"
#include "settings/ProfileNetworkAccessManager.h"

#include <QEventLoop>
#include <QFile>

#include <cstdio>

#include <unistd.h>

namespace qalam::cli {

namespace {

void printMetrics(const ChatMetrics &metrics)
{
    QString report;
    const auto line = [&report](const QString &key, const QString &value) {
        report += key + QStringLiteral(": ") + value + QLatin1Char('\n');
    };
    line(QStringLiteral("time to first token"),
         metrics.timeToFirstTokenMs < 0 ? QStringLiteral("n/a")
                                        : QStringLiteral("%1 ms").arg(metrics.timeToFirstTokenMs));
    line(QStringLiteral("characters"), QString::number(metrics.characters));
    line(QStringLiteral("chars/s"), QString::number(metrics.charactersPerSecond(), 'f', 1));
    if (metrics.usage.completionTokens >= 0 && metrics.generationMs > 0) {
        line(QStringLiteral("tokens/s"), QString::number(double(metrics.usage.completionTokens) *
                                                             1000.0 / double(metrics.generationMs),
                                                         'f', 1));
    }
    if (metrics.usage.isValid()) {
        line(QStringLiteral("usage"), QStringLiteral("prompt %1, completion %2, total %3")
                                          .arg(metrics.usage.promptTokens)
                                          .arg(metrics.usage.completionTokens)
                                          .arg(metrics.usage.totalTokens));
    }
    line(QStringLiteral("reconnects"), QString::number(metrics.reconnects));
    // The finish reason is the server's word: shown like an error message, one safe line.
    line(QStringLiteral("finish reason"), metrics.finishReason.isEmpty()
                                              ? QStringLiteral("n/a")
                                              : TerminalText::errorLine(metrics.finishReason, 200));
    line(QStringLiteral("elapsed"), QStringLiteral("%1 ms").arg(metrics.elapsedMs));
    const QByteArray bytes = report.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
}

} // namespace

int runChatCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Usage: qalam-cli chat (--url URL --protocol admin|openai | --profile NAME [--settings "
        "F])\n"
        "       [--model M] [--api-key-env VAR]\n"
        "       [--max-reconnects N] [--metrics] [-H 'Name: value']... [--secret-header NAME]...\n"
        "       [--ca-cert FILE] [--stall-timeout S] [--raw] PROMPT\n\n"
        "Asks one question and prints the answer's text to stdout as it arrives, exactly as\n"
        "streamed. PROMPT '-' (or no PROMPT) reads the question from stdin.\n"
        "  admin:  --url is the admin stream endpoint, e.g.\n"
        "          http://127.0.0.1:8080/api/v1/stream/chat; a dropped connection resumes with\n"
        "          Last-Event-ID, nothing lost or repeated.\n"
        "  openai: --url is the API base, e.g. http://localhost:11434/v1 (…/chat/completions is\n"
        "          added); such streams cannot resume, so a cut stream is reported as\n"
        "          interrupted.\n\n"
        "Piped or redirected, stdout gets the exact bytes. On a terminal, control characters\n"
        "other than newline and tab are shown instead of sent (ESC as ^[, DEL as ^?, U+009B as\n"
        "<U+009B>), so an answer cannot drive the terminal; --raw sends them anyway. Messages\n"
        "on stderr are always shown that way, on one line, cut after 2000 characters.\n\n"
        "Exit status: 0 only when the answer completed (done event, or data: [DONE]); 1 when it\n"
        "failed (connection, HTTP status, server error); 3 when the stream ended before the\n"
        "answer was complete (the partial text has been printed); 2 on a bad command line."));
    parser.addPositionalArgument(QStringLiteral("PROMPT"), QStringLiteral("The question."));
    ChatRequestOptions::addTo(parser);
    parser.addOption({QStringLiteral("max-reconnects"),
                      QStringLiteral("Reconnections in a row without progress (admin only; "
                                     "default 5, -1 for no limit)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("stall-timeout"),
                      QStringLiteral("Seconds without any byte before the connection counts as "
                                     "dead (default 45)."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("metrics"),
                      QStringLiteral("Print a summary on stderr: time to first token, chars/s, "
                                     "reconnects.")});
    parser.addOption({QStringLiteral("raw"),
                      QStringLiteral("Write the answer's exact bytes even to a terminal, control "
                                     "characters included.")});
    if (const auto exit = processCommandLine(parser, arguments))
        return *exit;

    const auto maxReconnects =
        parseIntOption(parser, QStringLiteral("max-reconnects"), 5, -1, 1000000);
    const auto stallSeconds = parseIntOption(parser, QStringLiteral("stall-timeout"), 45, 1, 86400);
    if (!maxReconnects || !stallSeconds)
        return ExitUsage;
    ProfileNetworkAccessManager network;
    const auto asked = ChatRequestOptions::read(parser, network);
    if (!asked)
        return ExitUsage;
    ChatRequest request = asked->request;
    const QStringList positional = parser.positionalArguments();
    QString prompt = positional.join(QLatin1Char(' '));
    if (positional.isEmpty() || prompt == QLatin1String("-")) {
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly)) {
            printError(QStringLiteral("cannot read the prompt from stdin"));
            return ExitUsage;
        }
        prompt = QString::fromUtf8(input.readAll()).trimmed();
    }
    if (prompt.trimmed().isEmpty()) {
        printError(QStringLiteral("the prompt is empty"));
        return ExitUsage;
    }
    request.messages.append({ChatMessage::Role::User, prompt});

    SseConsumer::Options options;
    options.maxReconnects = *maxReconnects;
    options.stallTimeoutMs = qint64(*stallSeconds) * 1000;
    options.minRetryMs = 250;
    options.initialRetryMs = 1000;

    ChatStream stream(asked->protocol, &network);
    stream.setConsumerOptions(options);
    QEventLoop loop;
    const bool visible = !parser.isSet(QStringLiteral("raw")) && isatty(STDOUT_FILENO) == 1;
    AnswerWriter out(visible ? AnswerWriter::Mode::Visible : AnswerWriter::Mode::Exact);
    QObject::connect(&stream, &ChatStream::textReceived, &loop,
                     [&out](const QString &delta) { out.write(delta); });
    QObject::connect(&stream, &ChatStream::finished, &loop,
                     [&](ChatStream::Outcome outcome, const QString &message) {
                         out.finish();
                         if (outcome != ChatStream::Outcome::Completed)
                             printError(message);
                         if (parser.isSet(QStringLiteral("metrics")))
                             printMetrics(stream.metrics());
                         switch (outcome) {
                         case ChatStream::Outcome::Completed:
                             loop.exit(ExitOk);
                             break;
                         case ChatStream::Outcome::Interrupted:
                             loop.exit(ExitInterrupted);
                             break;
                         case ChatStream::Outcome::Failed:
                         case ChatStream::Outcome::Cancelled:
                             loop.exit(ExitFailed);
                             break;
                         }
                     });
    stream.start(request);
    return loop.exec();
}

} // namespace qalam::cli
