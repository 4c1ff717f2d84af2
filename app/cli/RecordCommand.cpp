#include "RecordCommand.h"

#include "AnswerWriter.h"
#include "ChatRequestOptions.h"
#include "CliCommon.h"
#include "capture/Recording.h"
#include "capture/StreamCapture.h"
#include "settings/ProfileNetworkAccessManager.h"
#include "sse/SseParser.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>

#include <memory>

#include <unistd.h>

namespace qalam::cli {

namespace {

// Reads the body as it is recorded, through the protocol adapter, and prints the answer's text.
class AnswerPrinter final : public SseParser::Handler
{
public:
    AnswerPrinter(ChatProtocol::Kind kind, AnswerWriter &out)
        : m_protocol(ChatProtocol::create(kind)), m_out(out), m_parser(*this)
    {}
    void feed(const QByteArray &bytes) { m_parser.feed(bytes); }
    bool complete() const { return m_complete; }
    const std::optional<ChatError> &error() const { return m_error; }

private:
    void onEvent(const SseEvent &event) override
    {
        if (m_complete || m_error)
            return;
        const ChatUpdate update = m_protocol->handleEvent(event);
        m_out.write(update.text);
        m_complete = update.complete;
        m_error = update.error;
    }

    std::unique_ptr<ChatProtocol> m_protocol;
    AnswerWriter &m_out;
    SseParser m_parser;
    bool m_complete = false;
    std::optional<ChatError> m_error;
};

} // namespace

int runRecordCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Usage: qalam-cli record (--url URL --protocol admin|openai | --profile NAME [--settings "
        "F])\n"
        "       -o FILE [--model M]\n"
        "       [--api-key-env VAR] [-H 'Name: value']... [--secret-header NAME]...\n"
        "       [--ca-cert FILE] [--timeout S] [--raw] PROMPT\n\n"
        "Asks one question, prints the answer like 'chat', and writes a recording to FILE: the\n"
        "request with its secrets removed (API key, secret headers, key-like query items), the\n"
        "response's status and headers, and the body's bytes exactly as read, chunk by chunk,\n"
        "with the time of each read (JSON Lines, docs/recording.md). The body is asked for\n"
        "uncompressed. Nothing is retried: a cut stream is recorded as cut. 'qalam-cli serve\n"
        "--replay FILE' plays it back.\n\n"
        "Exit status: 0 when the answer completed; 1 when it failed (connection, HTTP status,\n"
        "server error) or FILE could not be written; 3 when the stream ended before the answer\n"
        "was complete; 2 on a bad command line. The recording is written in every case."));
    parser.addPositionalArgument(QStringLiteral("PROMPT"), QStringLiteral("The question."));
    ChatRequestOptions::addTo(parser);
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("The recording file to write."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("timeout"),
                      QStringLiteral("Seconds the answer may take (default 600)."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("raw"),
                      QStringLiteral("Write the answer's exact bytes even to a terminal.")});
    if (const auto exit = processCommandLine(parser, arguments))
        return *exit;
    const auto timeout = parseIntOption(parser, QStringLiteral("timeout"), 600, 1, 86400);
    if (!timeout)
        return ExitUsage;
    if (!parser.isSet(QStringLiteral("output"))) {
        printError(QStringLiteral("record needs -o FILE (see --help)"));
        return ExitUsage;
    }
    const QString prompt = parser.positionalArguments().join(QLatin1Char(' '));
    if (prompt.trimmed().isEmpty()) {
        printError(QStringLiteral("the prompt is empty"));
        return ExitUsage;
    }
    ProfileNetworkAccessManager network;
    const auto asked = ChatRequestOptions::read(parser, network);
    if (!asked)
        return ExitUsage;
    ChatRequest chat = asked->request;
    chat.messages.append({ChatMessage::Role::User, prompt});
    const SseRequest request = ChatProtocol::create(asked->protocol)->buildRequest(chat);

    const QString path = parser.value(QStringLiteral("output"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        printError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return ExitUsage;
    }
    capture::Recording recording;
    recording.created = QDateTime::currentDateTimeUtc();
    recording.tool = QStringLiteral("qalam-cli ") + QCoreApplication::applicationVersion();
    recording.request = capture::Recording::redact(request, ChatProtocol::name(asked->protocol));
    // Each line goes to the file as it arrives: an interrupted recording keeps what it had.
    bool written = true;
    const auto put = [&](const QByteArray &line) {
        written = written && file.write(line) == line.size() && file.flush();
    };
    put(recording.headerLine());
    put(recording.requestLine());

    const bool visible = !parser.isSet(QStringLiteral("raw")) && isatty(STDOUT_FILENO) == 1;
    AnswerWriter out(visible ? AnswerWriter::Mode::Visible : AnswerWriter::Mode::Exact);
    AnswerPrinter printer(asked->protocol, out);
    capture::StreamCapture streamCapture(network);
    QObject::connect(&streamCapture, &capture::StreamCapture::headReceived, &streamCapture,
                     [&] { put(capture::Recording::responseLine(streamCapture.response())); });
    QObject::connect(&streamCapture, &capture::StreamCapture::chunkArrived, &streamCapture,
                     [&](const capture::CapturedChunk &chunk) {
                         put(capture::Recording::chunkLine(chunk));
                         if (streamCapture.response().status == 200)
                             printer.feed(chunk.bytes);
                     });
    QEventLoop loop;
    capture::CapturedResponse result;
    QObject::connect(&streamCapture, &capture::StreamCapture::finished, &loop,
                     [&](const capture::CapturedResponse &response) {
                         result = response;
                         loop.quit();
                     });
    capture::StreamCapture::Options options;
    options.identityEncoding = true;
    options.timeLimitMs = qint64(*timeout) * 1000;
    options.maxBytes = capture::Recording::maxFileBytes / 2; // base64 may grow it by a third
    streamCapture.start(request, options);
    loop.exec();
    put(capture::Recording::endLine(result));
    out.finish();
    file.close();

    if (!written) {
        printError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return ExitFailed;
    }
    if (result.status == 0) {
        printError(QStringLiteral("no response: %1").arg(result.networkError));
        return ExitFailed;
    }
    if (result.status != 200) {
        printError(QStringLiteral("HTTP %1 %2 (recorded)")
                       .arg(result.status)
                       .arg(QString::fromLatin1(result.reason)));
        return ExitFailed;
    }
    if (printer.error()) {
        printError(QStringLiteral("the server reported an error: %1: %2")
                       .arg(printer.error()->code, printer.error()->message));
        return ExitFailed;
    }
    if (!printer.complete()) {
        printError(result.networkError.isEmpty()
                       ? QStringLiteral("the stream ended before the answer was complete")
                       : QStringLiteral("the stream was cut: %1").arg(result.networkError));
        return ExitInterrupted;
    }
    return ExitOk;
}

} // namespace qalam::cli
