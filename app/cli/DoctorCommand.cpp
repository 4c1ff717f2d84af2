#include "DoctorCommand.h"

#include "ChatRequestOptions.h"
#include "CliCommon.h"
#include "TerminalText.h"
#include "doctor/StreamDoctor.h"
#include "settings/ProfileNetworkAccessManager.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

#include <unistd.h>

namespace qalam::cli {

namespace {

using doctor::DoctorCheck;
using doctor::DoctorReport;

// Arabic with harakat, an emoji outside the BMP and English: what breaks text handling breaks
// on this question.
const QString kDefaultQuestion = QStringLiteral(
    "اشرح باختصار كيف يَصِلُ الجوابُ مُتدفِّقًا 🚀 — explain briefly how a streamed answer arrives.");

void writeLine(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

void printReport(const DoctorReport &report, const QString &target)
{
    writeLine(QStringLiteral("doctor: %1").arg(TerminalText::errorLine(target, 300)));
    int counts[4] = {0, 0, 0, 0};
    for (const DoctorCheck &check : report) {
        ++counts[int(check.verdict)];
        // What was seen often quotes the server: one safe line each.
        writeLine(QStringLiteral("%1  %2 %3")
                      .arg(DoctorCheck::verdictName(check.verdict).toUpper(), -4)
                      .arg(check.id, -18)
                      .arg(TerminalText::errorLine(check.seen, 400)));
        if (!check.fix.isEmpty())
            writeLine(QStringLiteral("      fix: ") + TerminalText::errorLine(check.fix, 400));
    }
    writeLine(QStringLiteral("summary: %1 pass, %2 warn, %3 fail, %4 skip")
                  .arg(counts[int(DoctorCheck::Verdict::Pass)])
                  .arg(counts[int(DoctorCheck::Verdict::Warn)])
                  .arg(counts[int(DoctorCheck::Verdict::Fail)])
                  .arg(counts[int(DoctorCheck::Verdict::Skip)]));
    std::fflush(stdout);
}

bool writeJson(const QString &path, const DoctorReport &report, const QString &url,
               const QString &protocol)
{
    QJsonArray checks;
    for (const DoctorCheck &check : report) {
        checks.append(
            QJsonObject{{QStringLiteral("id"), check.id},
                        {QStringLiteral("verdict"), DoctorCheck::verdictName(check.verdict)},
                        {QStringLiteral("seen"), check.seen},
                        {QStringLiteral("fix"), check.fix}});
    }
    const QJsonObject root{{QStringLiteral("version"), 1},
                           {QStringLiteral("url"), url},
                           {QStringLiteral("protocol"), protocol},
                           {QStringLiteral("passed"), doctor::StreamDiagnosis::passed(report)},
                           {QStringLiteral("checks"), checks}};
    return writeReport(path, QJsonDocument(root).toJson(QJsonDocument::Indented));
}

} // namespace

int runDoctorCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Usage: qalam-cli doctor (--url URL --protocol admin|openai | --profile NAME [--settings "
        "F])\n"
        "       [--model M] [--api-key-env VAR]\n"
        "       [-H 'Name: value']... [--secret-header NAME]... [--ca-cert FILE] [--prompt TEXT]\n"
        "       [--json FILE] [--long S] [--proxy-timeout S] [--timeout S]\n\n"
        "Asks a real question (Arabic, an emoji and English by default) and checks what the\n"
        "endpoint really sends against the ways streaming backends break. Each check says pass,\n"
        "warn, fail or skip, what it saw, and the fix:\n"
        "  status, content-type     HTTP 200 with Content-Type: text/event-stream\n"
        "  cache-control            no-cache, no-transform\n"
        "  x-accel-buffering        X-Accel-Buffering: no (nginx)\n"
        "  content-length           none: a stream has no length\n"
        "  buffering                text arrives piece by piece, not in bursts a proxy held back\n"
        "  compression              none, or flushed per event\n"
        "  heartbeat                no silence longer than a proxy's read timeout\n"
        "  event-ids, retry         every event has an id; a retry: field (admin)\n"
        "  utf-8                    the body is valid UTF-8\n"
        "  terminal-event           a clean end (done, or data: [DONE])\n"
        "  first-token              time to first byte and first token\n"
        "  resume                   an answer cut after 4 events and resumed with Last-Event-ID\n"
        "                           goes on with nothing lost or repeated (admin)\n\n"
        "--long S also watches a stream for S seconds for heartbeats. --json FILE writes the\n"
        "report as JSON ('-': stdout). See docs/cli.md.\n\n"
        "Exit status: 0 when no check failed; 1 when one did; 2 on a bad command line."));
    ChatRequestOptions::addTo(parser);
    parser.addOption(
        {QStringLiteral("prompt"),
         QStringLiteral("The question to ask (default: Arabic, an emoji and English)."),
         QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Write the report as JSON to FILE."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("long"),
                      QStringLiteral("Also watch a stream for S seconds (heartbeats)."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("proxy-timeout"),
                      QStringLiteral("The read timeout of the proxies in front, in seconds "
                                     "(default 60, nginx's)."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("timeout"),
                      QStringLiteral("Seconds one answer may take (default 120)."),
                      QStringLiteral("S")});
    if (const auto exit = processCommandLine(parser, arguments))
        return *exit;
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("doctor takes no arguments; the question is --prompt TEXT"));
        return ExitUsage;
    }
    const auto longSeconds = parseIntOption(parser, QStringLiteral("long"), 0, 0, 3600);
    const auto proxyTimeout = parseIntOption(parser, QStringLiteral("proxy-timeout"), 60, 1, 86400);
    const auto timeout = parseIntOption(parser, QStringLiteral("timeout"), 120, 1, 86400);
    if (!longSeconds || !proxyTimeout || !timeout)
        return ExitUsage;
    ProfileNetworkAccessManager network;
    const auto asked = ChatRequestOptions::read(parser, network);
    if (!asked)
        return ExitUsage;
    const QString prompt = parser.isSet(QStringLiteral("prompt"))
                               ? parser.value(QStringLiteral("prompt"))
                               : kDefaultQuestion;
    if (prompt.trimmed().isEmpty()) {
        printError(QStringLiteral("the prompt is empty"));
        return ExitUsage;
    }

    doctor::StreamDoctor::Options options;
    options.protocol = asked->protocol;
    options.request = asked->request;
    options.request.messages.append({ChatMessage::Role::User, prompt});
    options.longRunMs = qint64(*longSeconds) * 1000;
    options.proxyTimeoutMs = qint64(*proxyTimeout) * 1000;
    options.answerTimeLimitMs = qint64(*timeout) * 1000;

    doctor::StreamDoctor doctor(network);
    const bool terminal = isatty(STDERR_FILENO) == 1;
    QObject::connect(&doctor, &doctor::StreamDoctor::stepStarted, &doctor,
                     [terminal](const QString &step) {
                         if (!terminal)
                             return;
                         const QByteArray line = "doctor: " + step.toUtf8() + "...\n";
                         std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
                     });
    QEventLoop loop;
    DoctorReport report;
    QObject::connect(&doctor, &doctor::StreamDoctor::finished, &loop,
                     [&](const DoctorReport &result) {
                         report = result;
                         loop.quit();
                     });
    doctor.run(options);
    loop.exec();

    const QString url = options.request.url.toString(QUrl::RemoveUserInfo);
    const QString protocol = ChatProtocol::name(asked->protocol);
    const bool toStdout = parser.value(QStringLiteral("json")) == QLatin1String("-");
    if (!toStdout)
        printReport(report, url + QStringLiteral(" (") + protocol + QLatin1Char(')'));
    if (parser.isSet(QStringLiteral("json")) &&
        !writeJson(parser.value(QStringLiteral("json")), report, url, protocol))
        return ExitFailed;
    return doctor::StreamDiagnosis::passed(report) ? ExitOk : ExitFailed;
}

} // namespace qalam::cli
