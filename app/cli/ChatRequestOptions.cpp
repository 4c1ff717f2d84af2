#include "ChatRequestOptions.h"

#include "CliCommon.h"
#include "settings/NetworkSetup.h"
#include "settings/ProfileNetworkAccessManager.h"
#include "settings/ProfileRequest.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"

#include <QDir>
#include <QEventLoop>
#include <QStandardPaths>

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
    parser.addOption({QStringLiteral("profile"),
                      QStringLiteral("Use the desktop app's connection profile NAME (its URL, "
                                     "protocol, model, headers, CA file, and its key from the "
                                     "keychain or its environment variable) instead of --url "
                                     "and --protocol."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("settings"),
                      QStringLiteral("The settings file the profiles are read from (default: "
                                     "the desktop app's, %1).")
                          .arg(defaultSettingsPath()),
                      QStringLiteral("FILE")});
    addTransportSecurityOptions(parser);
}

QString ChatRequestOptions::defaultSettingsPath()
{
    // The desktop app's QStandardPaths::AppConfigLocation ("Qalam/qalam"), not this program's.
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
        .filePath(QStringLiteral("Qalam/qalam/qalam.ini"));
}

std::optional<ChatRequestOptions>
ChatRequestOptions::readProfile(const QCommandLineParser &parser,
                                ProfileNetworkAccessManager &network)
{
    if (parser.isSet(QStringLiteral("url")) || parser.isSet(QStringLiteral("protocol"))) {
        printError(
            QStringLiteral("--profile replaces --url and --protocol: give one or the other"));
        return std::nullopt;
    }
    const QString path = parser.isSet(QStringLiteral("settings"))
                             ? parser.value(QStringLiteral("settings"))
                             : defaultSettingsPath();
    const ProfileStore store(path);
    const QString name = parser.value(QStringLiteral("profile"));
    const std::optional<Profile> profile = store.findByName(name);
    if (!profile) {
        QStringList names;
        for (const Profile &known : store.profiles())
            names << QLatin1Char('"') + known.name + QLatin1Char('"');
        printError(QStringLiteral("no profile named \"%1\" in %2 (profiles: %3)")
                       .arg(name, path, names.join(QStringLiteral(", "))));
        return std::nullopt;
    }
    if (profile->isDemo) {
        printError(QStringLiteral("the demo profile runs inside the app; start 'qalam-cli serve' "
                                  "and pass its URL with --url instead"));
        return std::nullopt;
    }
    if (!profile->caCertificatePath.isEmpty() && !parser.isSet(QStringLiteral("ca-cert"))) {
        QString error;
        const auto tls = NetworkSetup::sslConfiguration(*profile, &error);
        if (!tls) {
            printError(error);
            return std::nullopt;
        }
        network.setSslConfiguration(tls);
    }
    // The key and secret header values, from the environment variable or the keychain.
    SecretStore secrets;
    QEventLoop loop;
    SecretResult resolved;
    secrets.resolveSecrets(*profile, &loop, [&](const SecretResult &result) {
        resolved = result;
        loop.quit();
    });
    loop.exec();
    if (!resolved.ok) {
        printError(QStringLiteral("cannot read the secrets of profile \"%1\": %2")
                       .arg(profile->name, resolved.message));
        return std::nullopt;
    }
    Profile filled = *profile;
    filled.extraHeaders = resolved.headers;
    ChatRequestOptions options;
    options.protocol = profile->protocol;
    options.request = profileChatRequest(filled, resolved.key, {}, profile->baseUrl);
    return options;
}

std::optional<ChatRequestOptions> ChatRequestOptions::read(const QCommandLineParser &parser,
                                                           ProfileNetworkAccessManager &network)
{
    if (parser.isSet(QStringLiteral("profile"))) {
        auto options = readProfile(parser, network);
        if (!options)
            return std::nullopt;
        // What the command line adds: more headers, another model, another CA file.
        const auto headers = parseHeaders(parser.values(QStringLiteral("header")));
        if (!headers)
            return std::nullopt;
        options->request.headers += *headers;
        const auto secretHeaders = parseSecretHeaders(parser, *headers);
        if (!secretHeaders || !applyCaCertificateOption(parser, network))
            return std::nullopt;
        options->request.secretHeaders += *secretHeaders;
        if (parser.isSet(QStringLiteral("model")))
            options->request.model = parser.value(QStringLiteral("model"));
        return options;
    }
    const auto kind = ChatProtocol::kindFromName(parser.value(QStringLiteral("protocol")));
    if (!kind) {
        printError(QStringLiteral("--protocol must be admin or openai, or give --profile NAME "
                                  "(see --help)"));
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
