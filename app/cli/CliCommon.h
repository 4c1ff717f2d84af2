// Helpers shared by the qalam-cli subcommands: exit codes, messages, header, TLS and number
// options.
#pragma once

#include <QByteArray>
#include <QCommandLineParser>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace qalam {
class ProfileNetworkAccessManager;
}

namespace qalam::cli {

// Exit codes are part of the CLI contract (docs/cli.md).
enum ExitCode : int {
    ExitOk = 0,
    ExitFailed = 1,      // connection refused, HTTP error, wrong content type, server error event
    ExitUsage = 2,       // bad command line
    ExitInterrupted = 3, // chat: the stream ended before the answer was complete
};

// Prints "qalam-cli: <message>" as one line on stderr. The message often carries text from a
// server (a reason phrase, an error body, an `error` event), so it is always passed through
// TerminalText::errorLine(): controls shown visibly, length capped, whatever stderr is.
void printError(const QString &message);

// Parses `-H 'Name: value'` options. Returns nothing (after printing why) when one is malformed.
std::optional<QList<QPair<QByteArray, QByteArray>>> parseHeaders(const QStringList &values);

// Adds --secret-header and --ca-cert, which `events` and `chat` share, to a parser.
void addTransportSecurityOptions(QCommandLineParser &parser);

// The --secret-header names. Each must name a header given with -H (a typo would otherwise
// leave the real credential unmarked), unless it is one that is always secret (Authorization,
// Cookie...). Returns nothing (after printing why) otherwise.
std::optional<QList<QByteArray>>
parseSecretHeaders(const QCommandLineParser &parser,
                   const QList<QPair<QByteArray, QByteArray>> &headers);

// Applies --ca-cert to `network`: peer verification on, the system's CAs plus the file's, by
// the same rules as a profile's CA file (NetworkSetup). Without --ca-cert the manager is left
// as it is (Qt's defaults, which verify too). Returns false (after printing why, in the words
// of NetworkSetup::loadCaCertificates) when the file cannot be used.
bool applyCaCertificateOption(const QCommandLineParser &parser,
                              ProfileNetworkAccessManager &network);

// Parses an integer option value in [min, max]; prints why and returns nothing otherwise.
std::optional<int> parseIntOption(const QCommandLineParser &parser, const QString &name,
                                  int defaultValue, int min, int max);

// Writes a report (--json FILE, --csv FILE) whole or not at all (QSaveFile); "-" is stdout.
// Prints why and returns false when the file cannot be written.
bool writeReport(const QString &path, const QByteArray &bytes);

// Adds the standard --help to a subcommand's parser and handles it and parse errors.
// Returns an exit code when the caller should exit now.
std::optional<int> processCommandLine(QCommandLineParser &parser, const QStringList &arguments);

} // namespace qalam::cli
