// qalam-cli: the scriptable, headless front end to Qalam's streaming core.
#include "BenchCommand.h"
#include "ChatCommand.h"
#include "CliCommon.h"
#include "DoctorCommand.h"
#include "EventsCommand.h"
#include "RecordCommand.h"
#include "ServeCommand.h"

#include <QCoreApplication>

#include <cstdio>
#include <functional>

namespace {

struct Subcommand
{
    const char *name;
    const char *summary;
    std::function<int(const QStringList &)> run;
};

void printUsage(const std::vector<Subcommand> &commands)
{
    std::printf("Usage: qalam-cli <command> [options]\n\n"
                "Qalam's headless client for streamed AI chat.\n\nCommands:\n");
    for (const auto &command : commands)
        std::printf("  %-8s %s\n", command.name, command.summary);
    std::printf("\nRun 'qalam-cli <command> --help' for a command's options.\n"
                "Options: --help, --version\n");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qalam-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Qalam"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QALAM_VERSION));

    const std::vector<Subcommand> commands{
        {"events", "print the events of an SSE stream as JSON lines (EventSource rules)",
         qalam::cli::runEventsCommand},
        {"chat", "ask a question and print the streamed answer", qalam::cli::runChatCommand},
        {"doctor", "check a streaming endpoint: headers, buffering, heartbeats, resume, UTF-8",
         qalam::cli::runDoctorCommand},
        {"record", "ask a question and write what went over the wire to a recording file",
         qalam::cli::runRecordCommand},
        {"bench", "measure a backend: time to first byte and token, gaps, chars/s (p50-p99)",
         qalam::cli::runBenchCommand},
        {"serve", "run the offline demo server (streamed answers, no backend)",
         qalam::cli::runServeCommand},
    };

    QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() < 2 || arguments.at(1) == QLatin1String("--help") ||
        arguments.at(1) == QLatin1String("-h") || arguments.at(1) == QLatin1String("help")) {
        printUsage(commands);
        return arguments.size() < 2 ? qalam::cli::ExitUsage : qalam::cli::ExitOk;
    }
    if (arguments.at(1) == QLatin1String("--version") || arguments.at(1) == QLatin1String("-v")) {
        std::printf("qalam-cli %s\n", QALAM_VERSION);
        return qalam::cli::ExitOk;
    }
    const QString name = arguments.at(1);
    for (const auto &command : commands) {
        if (name == QLatin1String(command.name)) {
            arguments.removeAt(1); // the parser sees "qalam-cli [options] args"
            return command.run(arguments);
        }
    }
    qalam::cli::printError(QStringLiteral("unknown command '%1' (see qalam-cli --help)").arg(name));
    return qalam::cli::ExitUsage;
}
