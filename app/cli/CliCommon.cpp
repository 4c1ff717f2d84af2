#include "CliCommon.h"

#include "TerminalText.h"
#include "settings/NetworkSetup.h"
#include "settings/Profile.h"
#include "settings/ProfileNetworkAccessManager.h"
#include "sse/SseRequest.h"

#include <QSaveFile>

#include <algorithm>
#include <cstdio>

namespace qalam::cli {

namespace {

// An HTTP field name (RFC 9110 token).
bool isHeaderName(QStringView name)
{
    return !name.isEmpty() && std::all_of(name.begin(), name.end(), [](QChar c) {
        return c.unicode() > 0x20 && c.unicode() < 0x7F &&
               !QStringLiteral("()<>@,;:\\\"/[]?={}").contains(c);
    });
}

} // namespace

void printError(const QString &message)
{
    const QByteArray line = "qalam-cli: " + TerminalText::errorLine(message).toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

std::optional<QList<QPair<QByteArray, QByteArray>>> parseHeaders(const QStringList &values)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const QString &value : values) {
        const qsizetype colon = value.indexOf(QLatin1Char(':'));
        const QString name = colon < 0 ? QString() : value.left(colon).trimmed();
        if (!isHeaderName(name)) {
            printError(QStringLiteral("invalid header '%1': expected 'Name: value'").arg(value));
            return std::nullopt;
        }
        const QString headerValue = value.mid(colon + 1).trimmed();
        if (headerValue.contains(QLatin1Char('\r')) || headerValue.contains(QLatin1Char('\n'))) {
            printError(
                QStringLiteral("invalid header '%1': line breaks are not allowed").arg(name));
            return std::nullopt;
        }
        headers.append({name.toLatin1(), headerValue.toUtf8()});
    }
    return headers;
}

void addTransportSecurityOptions(QCommandLineParser &parser)
{
    parser.addOption(
        {QStringLiteral("secret-header"),
         QStringLiteral("Mark the -H header NAME as a credential: it is sent only to the URL's "
                        "origin, never after a redirect to another one. Repeatable. "
                        "Authorization, Proxy-Authorization, Cookie, X-Api-Key and Api-Key are "
                        "always secret."),
         QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("ca-cert"),
                      QStringLiteral("Also trust the CA certificate(s) in this PEM file for TLS, "
                                     "besides the system's. Verification is never turned off."),
                      QStringLiteral("FILE")});
}

std::optional<QList<QByteArray>>
parseSecretHeaders(const QCommandLineParser &parser,
                   const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QList<QByteArray> names;
    for (const QString &value : parser.values(QStringLiteral("secret-header"))) {
        const QString name = value.trimmed();
        if (!isHeaderName(name)) {
            printError(
                QStringLiteral("invalid --secret-header '%1': expected a header name").arg(value));
            return std::nullopt;
        }
        const QByteArray latin1 = name.toLatin1();
        const bool given = std::any_of(headers.cbegin(), headers.cend(), [&latin1](const auto &h) {
            return h.first.compare(latin1, Qt::CaseInsensitive) == 0;
        });
        if (!given && !SseRequest::isAlwaysSecret(latin1)) {
            printError(
                QStringLiteral("--secret-header %1 names no header given with -H").arg(name));
            return std::nullopt;
        }
        names.append(latin1);
    }
    return names;
}

bool applyCaCertificateOption(const QCommandLineParser &parser,
                              ProfileNetworkAccessManager &network)
{
    if (!parser.isSet(QStringLiteral("ca-cert")))
        return true;
    // The profile rules, so `--ca-cert` and a profile's CA file accept and refuse the same files.
    Profile profile;
    profile.caCertificatePath = parser.value(QStringLiteral("ca-cert"));
    if (profile.caCertificatePath.isEmpty()) {
        printError(QStringLiteral("--ca-cert needs a file name"));
        return false;
    }
    QString error;
    const std::optional<QSslConfiguration> configuration =
        NetworkSetup::sslConfiguration(profile, &error);
    if (!configuration) {
        printError(error);
        return false;
    }
    network.setSslConfiguration(configuration);
    return true;
}

std::optional<int> parseIntOption(const QCommandLineParser &parser, const QString &name,
                                  int defaultValue, int min, int max)
{
    if (!parser.isSet(name))
        return defaultValue;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < min || value > max) {
        printError(QStringLiteral("--%1 must be a whole number from %2 to %3, not '%4'")
                       .arg(name)
                       .arg(min)
                       .arg(max)
                       .arg(parser.value(name)));
        return std::nullopt;
    }
    return value;
}

std::optional<int> processCommandLine(QCommandLineParser &parser, const QStringList &arguments)
{
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    parser.addOption(help);
    if (!parser.parse(arguments)) {
        printError(parser.errorText() + QStringLiteral(" (see --help)"));
        return ExitUsage;
    }
    if (parser.isSet(help)) {
        // Qt starts the help with its own "Usage: <argv[0]> [options] ..." line; each command's
        // description begins with the real synopsis, so Qt's line (with the build path in it)
        // goes.
        QString help = parser.helpText();
        if (help.startsWith(QLatin1String("Usage: ")) &&
            parser.applicationDescription().startsWith(QLatin1String("Usage: ")))
            help.remove(0, help.indexOf(QLatin1Char('\n')) + 1);
        if (!help.endsWith(QLatin1Char('\n')))
            help += QLatin1Char('\n');
        const QByteArray text = help.toUtf8();
        std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
        return ExitOk;
    }
    return std::nullopt;
}

bool writeReport(const QString &path, const QByteArray &bytes)
{
    if (path == QLatin1String("-")) {
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
        std::fflush(stdout);
        return true;
    }
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    printError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return false;
}

} // namespace qalam::cli
