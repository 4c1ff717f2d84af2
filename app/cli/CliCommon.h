// Helpers shared by the qalam-cli subcommands: exit codes, messages, header and number options.
#pragma once

#include <QByteArray>
#include <QCommandLineParser>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace qalam::cli {

// Exit codes are part of the CLI contract (docs/cli.md).
enum ExitCode : int {
    ExitOk = 0,
    ExitFailed = 1,      // connection refused, HTTP error, wrong content type, server error event
    ExitUsage = 2,       // bad command line
    ExitInterrupted = 3, // chat: the stream ended before the answer was complete
};

// Prints "qalam-cli: <message>" on stderr.
void printError(const QString &message);

// Parses `-H 'Name: value'` options. Returns nothing (after printing why) when one is malformed.
std::optional<QList<QPair<QByteArray, QByteArray>>> parseHeaders(const QStringList &values);

// Parses an integer option value in [min, max]; prints why and returns nothing otherwise.
std::optional<int> parseIntOption(const QCommandLineParser &parser, const QString &name,
                                  int defaultValue, int min, int max);

// Adds the standard --help to a subcommand's parser and handles it and parse errors.
// Returns an exit code when the caller should exit now.
std::optional<int> processCommandLine(QCommandLineParser &parser, const QStringList &arguments);

} // namespace qalam::cli
