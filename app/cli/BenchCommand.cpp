#include "BenchCommand.h"

#include "ChatRequestOptions.h"
#include "CliCommon.h"
#include "TerminalText.h"
#include "latency/LatencyBench.h"
#include "latency/LatencySummary.h"
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

using latency::LatencyRun;
using latency::LatencySummary;

void writeOut(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

QString figure(double value, LatencySummary::Measure measure)
{
    return measure == LatencySummary::Measure::CharsPerSecond ? QString::number(value, 'f', 1)
                                                              : QString::number(qint64(value));
}

void printTable(const LatencySummary &summary, const QString &target, int concurrency)
{
    writeOut(QStringLiteral("bench: %1 runs, %2 at a time, %3\n")
                 .arg(summary.runs())
                 .arg(concurrency)
                 .arg(TerminalText::errorLine(target, 300)));
    writeOut(QStringLiteral("%1%2%3%4%5  unit\n")
                 .arg(QStringLiteral("measure"), -22)
                 .arg(QStringLiteral("p50"), 10)
                 .arg(QStringLiteral("p90"), 10)
                 .arg(QStringLiteral("p99"), 10)
                 .arg(QStringLiteral("max"), 10));
    for (const auto measure : LatencySummary::measures()) {
        const auto p = summary.percentiles(measure);
        const auto cell = [&](double value) {
            return p ? figure(value, measure) : QStringLiteral("n/a");
        };
        writeOut(QStringLiteral("%1%2%3%4%5  %6\n")
                     .arg(LatencySummary::label(measure), -22)
                     .arg(cell(p ? p->p50 : 0), 10)
                     .arg(cell(p ? p->p90 : 0), 10)
                     .arg(cell(p ? p->p99 : 0), 10)
                     .arg(cell(p ? p->max : 0), 10)
                     .arg(LatencySummary::unit(measure)));
    }
    writeOut(QStringLiteral("errors: %1 of %2 runs; reconnects: %3\n")
                 .arg(summary.failures())
                 .arg(summary.runs())
                 .arg(summary.reconnects()));
    std::fflush(stdout);
}

QJsonObject runJson(const LatencyRun &run)
{
    QJsonArray gaps;
    for (const qint64 gap : run.gapsMs)
        gaps.append(gap);
    return {{QStringLiteral("run"), run.index},
            {QStringLiteral("prompt"), run.prompt},
            {QStringLiteral("outcome"), run.outcome},
            {QStringLiteral("error"), run.error},
            {QStringLiteral("ttfb_ms"), run.timeToFirstByteMs},
            {QStringLiteral("ttft_ms"), run.timeToFirstTokenMs},
            {QStringLiteral("max_gap_ms"), run.maxGapMs()},
            {QStringLiteral("gaps_ms"), gaps},
            {QStringLiteral("chars"), run.characters},
            {QStringLiteral("chars_per_s"), run.charactersPerSecond},
            {QStringLiteral("total_ms"), run.totalMs},
            {QStringLiteral("reconnects"), run.reconnects}};
}

QByteArray jsonReport(const QList<LatencyRun> &runs, const QString &url, const QString &protocol,
                      int concurrency)
{
    const LatencySummary summary(runs);
    QJsonArray rows;
    for (const LatencyRun &run : runs)
        rows.append(runJson(run));
    QJsonObject figures;
    for (const auto measure : LatencySummary::measures()) {
        const auto p = summary.percentiles(measure);
        figures.insert(
            LatencySummary::label(measure),
            p ? QJsonValue(QJsonObject{{QStringLiteral("p50"), p->p50},
                                       {QStringLiteral("p90"), p->p90},
                                       {QStringLiteral("p99"), p->p99},
                                       {QStringLiteral("max"), p->max},
                                       {QStringLiteral("count"), p->count},
                                       {QStringLiteral("unit"), LatencySummary::unit(measure)}})
              : QJsonValue(QJsonValue::Null));
    }
    const QJsonObject root{{QStringLiteral("version"), 1},
                           {QStringLiteral("url"), url},
                           {QStringLiteral("protocol"), protocol},
                           {QStringLiteral("concurrency"), concurrency},
                           {QStringLiteral("errors"), summary.failures()},
                           {QStringLiteral("reconnects"), summary.reconnects()},
                           {QStringLiteral("summary"), figures},
                           {QStringLiteral("runs"), rows}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QByteArray csvReport(const QList<LatencyRun> &runs)
{
    QString csv = QStringLiteral("run,prompt,outcome,ttfb_ms,ttft_ms,max_gap_ms,chars,chars_per_s,"
                                 "total_ms,reconnects,error\n");
    for (const LatencyRun &run : runs) {
        csv += QStringList{QString::number(run.index),
                           csvField(run.prompt),
                           run.outcome,
                           QString::number(run.timeToFirstByteMs),
                           QString::number(run.timeToFirstTokenMs),
                           QString::number(run.maxGapMs()),
                           QString::number(run.characters),
                           QString::number(run.charactersPerSecond, 'f', 1),
                           QString::number(run.totalMs),
                           QString::number(run.reconnects),
                           csvField(run.error)}
                   .join(QLatin1Char(','));
        csv += QLatin1Char('\n');
    }
    return csv.toUtf8();
}

} // namespace

int runBenchCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Usage: qalam-cli bench (--url URL --protocol admin|openai | --profile NAME [--settings "
        "F])\n"
        "       [--runs N] [--concurrency C]\n"
        "       [--prompt TEXT | --prompts FILE] [--json FILE] [--csv FILE] [--timeout S]\n"
        "       [--model M] [--api-key-env VAR] [-H 'Name: value']... [--secret-header NAME]...\n"
        "       [--ca-cert FILE]\n\n"
        "Asks N questions, C at a time, and prints a table of p50, p90, p99 and max of: time to\n"
        "first byte, time to first token, gap between deltas, chars/s (over the generation) and\n"
        "total time, then 'errors: E of N runs; reconnects: R'. Percentiles are nearest-rank:\n"
        "each is a measured value. --prompts FILE takes one question per line, used in turn.\n"
        "--json FILE and --csv FILE write one row per run ('-': stdout, instead of the table).\n"
        "A progress bar is drawn on stderr when it is a terminal.\n\n"
        "Exit status: 0 when every run completed; 1 when one did not; 2 on a bad command line."));
    ChatRequestOptions::addTo(parser);
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Questions to ask (default 10)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("concurrency"),
                      QStringLiteral("Questions in flight at once (default 1)."),
                      QStringLiteral("C")});
    parser.addOption({QStringLiteral("prompt"), QStringLiteral("The question (default: Hello)."),
                      QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("prompts"),
                      QStringLiteral("A file with one question per line, used in turn."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Write the runs as JSON to FILE."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("csv"), QStringLiteral("Write the runs as CSV to FILE."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("timeout"),
                      QStringLiteral("Seconds one answer may take (default 120)."),
                      QStringLiteral("S")});
    if (const auto exit = processCommandLine(parser, arguments))
        return *exit;
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("bench takes no arguments; the question is --prompt TEXT"));
        return ExitUsage;
    }
    const auto runs = parseIntOption(parser, QStringLiteral("runs"), 10, 1, 100000);
    const auto concurrency = parseIntOption(parser, QStringLiteral("concurrency"), 1, 1, 1000);
    const auto timeout = parseIntOption(parser, QStringLiteral("timeout"), 120, 1, 86400);
    if (!runs || !concurrency || !timeout)
        return ExitUsage;
    QStringList prompts;
    if (parser.isSet(QStringLiteral("prompts"))) {
        QFile file(parser.value(QStringLiteral("prompts")));
        if (!file.open(QIODevice::ReadOnly)) {
            printError(
                QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
            return ExitUsage;
        }
        for (const QString &line : QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'))) {
            if (!line.trimmed().isEmpty())
                prompts << line.trimmed();
        }
        if (prompts.isEmpty()) {
            printError(QStringLiteral("%1 holds no question").arg(file.fileName()));
            return ExitUsage;
        }
    } else {
        prompts << (parser.isSet(QStringLiteral("prompt")) ? parser.value(QStringLiteral("prompt"))
                                                           : QStringLiteral("Hello"));
    }
    ProfileNetworkAccessManager network;
    const auto asked = ChatRequestOptions::read(parser, network);
    if (!asked)
        return ExitUsage;

    latency::LatencyBench::Options options;
    options.protocol = asked->protocol;
    options.request = asked->request;
    options.prompts = prompts;
    options.runs = *runs;
    options.concurrency = *concurrency;
    options.runTimeLimitMs = qint64(*timeout) * 1000;
    options.consumer.minRetryMs = 250;
    options.consumer.initialRetryMs = 1000;

    latency::LatencyBench bench(network);
    const bool progress = isatty(STDERR_FILENO) == 1;
    QObject::connect(&bench, &latency::LatencyBench::runFinished, &bench,
                     [progress](const LatencyRun &, int done, int total) {
                         if (!progress)
                             return;
                         constexpr int width = 30;
                         const int filled = done * width / std::max(1, total);
                         const QByteArray bar =
                             "\r[" + QByteArray(filled, '#') + QByteArray(width - filled, ' ') +
                             "] " + QByteArray::number(done) + '/' + QByteArray::number(total) +
                             (done == total ? "\n" : "");
                         std::fwrite(bar.constData(), 1, size_t(bar.size()), stderr);
                         std::fflush(stderr);
                     });
    QEventLoop loop;
    QList<LatencyRun> results;
    QObject::connect(&bench, &latency::LatencyBench::finished, &loop,
                     [&](const QList<LatencyRun> &all) {
                         results = all;
                         loop.quit();
                     });
    bench.start(options);
    loop.exec();

    const QString url = options.request.url.toString(QUrl::RemoveUserInfo);
    const QString protocol = ChatProtocol::name(asked->protocol);
    const QString json = parser.value(QStringLiteral("json"));
    const QString csv = parser.value(QStringLiteral("csv"));
    bool written = true;
    if (json != QLatin1String("-") && csv != QLatin1String("-"))
        printTable(LatencySummary(results),
                   url + QStringLiteral(" (") + protocol + QLatin1Char(')'), *concurrency);
    if (!json.isEmpty())
        written = writeReport(json, jsonReport(results, url, protocol, *concurrency)) && written;
    if (!csv.isEmpty())
        written = writeReport(csv, csvReport(results)) && written;
    std::fflush(stdout);
    if (!written)
        return ExitFailed;
    return LatencySummary(results).failures() == 0 ? ExitOk : ExitFailed;
}

} // namespace qalam::cli
