#include "ChatRequestOptions.h"

#include "CliCommon.h"

namespace qalam::cli {

void ChatRequestOptions::addTo(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("url"),
                      QStringLiteral("The endpoint (admin) or API base (openai)."),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("protocol"), QStringLiteral("admin or openai."),
                      QStringLiteral("admin|openai")});
    parser.addOption(
        {QStringLiteral("model"), QStringLiteral("The model to ask for."), QStringLiteral("M")});
    parser.addOption({QStringLiteral("api-key-env"),
                      QStringLiteral("Name of the environment variable holding the API key "
                                     "(sent as a bearer token; never printed)."),
                      QStringLiteral("VAR")});
    parser.addOption({{QStringLiteral("H"), QStringLiteral("header")},
                      QStringLiteral("Send an extra request header; repeatable."),
                      QStringLiteral("Name: value")});
    addTransportSecurityOptions(parser);
}

std::optional<ChatRequestOptions> ChatRequestOptions::read(const QCommandLineParser &parser,
                                                           ProfileNetworkAccessManager &network)
{
    const auto kind = ChatProtocol::kindFromName(parser.value(QStringLiteral("protocol")));
    if (!kind) {
        printError(QStringLiteral("--protocol must be admin or openai (see --help)"));
        return std::nullopt;
    }
    const QUrl url = QUrl::fromUserInput(parser.value(QStringLiteral("url")));
    if (!parser.isSet(QStringLiteral("url")) || !url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        printError(QStringLiteral("--url must be an http or https URL (see --help)"));
        return std::nullopt;
    }
    const auto headers = parseHeaders(parser.values(QStringLiteral("header")));
    if (!headers)
        return std::nullopt;
    const auto secretHeaders = parseSecretHeaders(parser, *headers);
    if (!secretHeaders)
        return std::nullopt;
    if (!applyCaCertificateOption(parser, network))
        return std::nullopt;

    ChatRequestOptions options;
    options.protocol = *kind;
    options.request.url = url;
    options.request.model = parser.value(QStringLiteral("model"));
    options.request.headers = *headers;
    options.request.secretHeaders = *secretHeaders;
    if (parser.isSet(QStringLiteral("api-key-env"))) {
        const QString variable = parser.value(QStringLiteral("api-key-env"));
        options.request.apiKey = qEnvironmentVariable(variable.toLocal8Bit().constData());
        if (options.request.apiKey.isEmpty()) {
            printError(
                QStringLiteral("the environment variable %1 is not set or empty").arg(variable));
            return std::nullopt;
        }
    }
    return options;
}

} // namespace qalam::cli
