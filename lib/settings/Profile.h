// Profile: one backend the app can talk to (name, URL, protocol, model, headers), as a value.
//
// A profile never holds the API key: the key lives in the OS keychain under the profile's id
// (SecretStore) or in an environment variable the profile names, so the settings file can be
// shared, backed up or attached to a bug report without leaking credentials. The same goes for
// the values of its secret headers (HttpHeader::isSecret()): the file has their names only.
#pragma once

#include "chat/ChatProtocol.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace qalam {

struct HttpHeader
{
    QString name;
    // Empty for a secret header as ProfileStore loads it: SecretStore::resolveSecrets() reads
    // the value from the keychain.
    QString value;
    // The value carries a credential: it is kept in the keychain, not in the settings file, and
    // the transport never sends it to another origin after a redirect.
    bool secret = false;

    // Marked secret, or named like a header that always carries credentials.
    bool isSecret() const { return secret || isAlwaysSecret(name); }
    // X-Api-Key, Api-Key, Authorization, Cookie and Proxy-Authorization (case-insensitive): the
    // names the transport never sends across origins whatever the profile says
    // (SseRequest::isAlwaysSecret).
    static bool isAlwaysSecret(QStringView name);

    friend bool operator==(const HttpHeader &, const HttpHeader &) = default;
};

struct Profile
{
    Q_DECLARE_TR_FUNCTIONS(qalam::Profile)

public:
    QString id; // stable across renames; the keychain entry's name
    QString name;
    QUrl baseUrl; // admin stream: the stream endpoint; OpenAI: the base URL (…/v1)
    ChatProtocol::Kind protocol = ChatProtocol::Kind::OpenAi;
    QString model;
    QList<HttpHeader> extraHeaders;
    QString apiKeyEnv;         // optional: an environment variable holding the key
    QString caCertificatePath; // optional: one extra PEM CA trusted for this profile
    bool isDemo = false;

    // A new, empty profile with a fresh id.
    static Profile create(const QString &name = {});
    // The built-in "Demo (offline)" profile: the embedded demo server, no key, no set-up. It has
    // no URL: the server listens on a port chosen at start-up, and the desktop app that starts
    // it knows its route (makeChatRequest in app/desktop).
    static Profile demo();
    static QString demoId() { return QStringLiteral("demo"); }

    // Everything wrong with the profile, one sentence each, for people (translated); empty when
    // it can be saved and used. Checks the CA file on disk, so call it when the user saves.
    QStringList validate() const;

    // The individual checks, shared with ProfileStore's repair of a damaged settings file.
    static QString checkHeader(const HttpHeader &header);
    static bool isValidEnvironmentName(QStringView name);

    // Whether any extra header is secret, i.e. has a value in the keychain.
    bool hasSecretHeaders() const;

    friend bool operator==(const Profile &, const Profile &) = default;
};

} // namespace qalam
