#include "settings/Profile.h"

#include "settings/NetworkSetup.h"
#include "sse/SseRequest.h"

#include <QUuid>

#include <algorithm>

namespace qalam {

namespace {

// RFC 9110 token characters: what a header name may contain.
bool isTokenChar(QChar c)
{
    if (c.unicode() > 0x7e)
        return false;
    const char ch = char(c.unicode());
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(ch);
}

// CR and LF would let a value start a header of its own (request splitting); other controls
// are not allowed in a field value either.
bool isForbiddenValueChar(QChar c)
{
    return (c.unicode() < 0x20 && c != QLatin1Char('\t')) || c.unicode() == 0x7f;
}

} // namespace

bool HttpHeader::isAlwaysSecret(QStringView name)
{
    // One list, the transport's: what it protects on redirects is what is kept in the keychain.
    return SseRequest::isAlwaysSecret(name.toLatin1());
}

Profile Profile::create(const QString &name)
{
    Profile profile;
    profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    profile.name = name;
    return profile;
}

Profile Profile::demo()
{
    Profile profile;
    profile.id = demoId();
    profile.name = tr("Demo (offline)");
    profile.protocol = ChatProtocol::Kind::AdminStream;
    profile.model = QStringLiteral("qalam-demo");
    profile.isDemo = true;
    return profile;
}

QString Profile::checkHeader(const HttpHeader &header)
{
    if (header.name.isEmpty())
        return tr("A header has no name.");
    if (!std::all_of(header.name.cbegin(), header.name.cend(), isTokenChar)) {
        return tr("“%1” is not a valid header name: use letters, digits and - only.")
            .arg(header.name.simplified());
    }
    if (header.name.compare(QLatin1String("Authorization"), Qt::CaseInsensitive) == 0 ||
        header.name.compare(QLatin1String("Proxy-Authorization"), Qt::CaseInsensitive) == 0) {
        return tr("Remove the %1 header: the API key belongs in the system keychain (or an "
                  "environment variable), not in the profile.")
            .arg(header.name);
    }
    if (std::any_of(header.value.cbegin(), header.value.cend(), isForbiddenValueChar)) {
        return tr("The value of header “%1” contains a line break or another control character.")
            .arg(header.name);
    }
    return {};
}

bool Profile::hasSecretHeaders() const
{
    return std::any_of(extraHeaders.cbegin(), extraHeaders.cend(),
                       [](const HttpHeader &header) { return header.isSecret(); });
}

bool Profile::isValidEnvironmentName(QStringView name)
{
    if (name.isEmpty() || name.front().isDigit())
        return false;
    return std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return c.unicode() < 0x80 && (c.isLetterOrNumber() || c == QLatin1Char('_'));
    });
}

QStringList Profile::validate() const
{
    QStringList errors;
    if (id.trimmed().isEmpty())
        errors << tr("The profile has no id.");
    if (name.trimmed().isEmpty())
        errors << tr("The profile needs a name.");

    // The demo's URL is relative on purpose: its server's port is only known at start-up.
    if (!isDemo) {
        if (baseUrl.isEmpty()) {
            errors << tr("The base URL is missing.");
        } else if (!baseUrl.isValid()) {
            // An invalid QUrl shows as nothing; its error string may quote a password.
            errors << tr("The base URL is not a valid URL.");
        } else if (const QString scheme = baseUrl.scheme().toLower();
                   scheme != QLatin1String("http") && scheme != QLatin1String("https")) {
            errors << (scheme.isEmpty()
                           ? tr("The base URL must start with http:// or https://.")
                           : tr("The base URL must start with http:// or https://, not %1://.")
                                 .arg(scheme));
        } else if (baseUrl.host().isEmpty()) {
            errors << tr("The base URL has no host name.");
        } else if (!baseUrl.userInfo().isEmpty()) {
            // The URL is saved in the settings file in clear; credentials must not be.
            errors << tr("Remove the user name and password from the base URL: the API key "
                         "belongs in the system keychain.");
        }
    }

    if (protocol == ChatProtocol::Kind::OpenAi && model.trimmed().isEmpty())
        errors << tr("An OpenAI-compatible backend needs a model name.");

    for (const HttpHeader &header : extraHeaders) {
        if (const QString error = checkHeader(header); !error.isEmpty())
            errors << error;
    }

    if (!apiKeyEnv.isEmpty() && !isValidEnvironmentName(apiKeyEnv)) {
        errors << tr("“%1” is not a valid environment variable name: use letters, digits and _ "
                     "only, not starting with a digit.")
                      .arg(apiKeyEnv);
    }

    if (!caCertificatePath.isEmpty()) {
        QString error;
        if (NetworkSetup::loadCaCertificates(caCertificatePath, &error).isEmpty())
            errors << error;
    }
    return errors;
}

} // namespace qalam
