#include "CliCommon.h"

#include <cstdio>

namespace qalam::cli {

void printError(const QString &message)
{
    const QByteArray line = "qalam-cli: " + message.toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

std::optional<QList<QPair<QByteArray, QByteArray>>> parseHeaders(const QStringList &values)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const QString &value : values) {
        const qsizetype colon = value.indexOf(QLatin1Char(':'));
        const QString name = colon < 0 ? QString() : value.left(colon).trimmed();
        const bool validName =
            !name.isEmpty() && std::all_of(name.begin(), name.end(), [](QChar c) {
                return c.unicode() > 0x20 && c.unicode() < 0x7F && !QStringLiteral("()<>@,;:\\\"/[]?={}").contains(c);
            });
        if (!validName) {
            printError(QStringLiteral("invalid header '%1': expected 'Name: value'").arg(value));
            return std::nullopt;
        }
        const QString headerValue = value.mid(colon + 1).trimmed();
        if (headerValue.contains(QLatin1Char('\r')) || headerValue.contains(QLatin1Char('\n'))) {
            printError(QStringLiteral("invalid header '%1': line breaks are not allowed").arg(name));
            return std::nullopt;
        }
        headers.append({name.toLatin1(), headerValue.toUtf8()});
    }
    return headers;
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
        const QByteArray text = parser.helpText().toUtf8();
        std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
        return ExitOk;
    }
    return std::nullopt;
}

} // namespace qalam::cli
