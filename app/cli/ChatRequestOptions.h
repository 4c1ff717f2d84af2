// ChatRequestOptions: the options that say what to ask and where (--url, --protocol, --model,
// --api-key-env, -H, --secret-header, --ca-cert, or --profile NAME from the desktop app's
// settings), shared by `chat`, `record`, `doctor` and `bench` so all read them, and refuse bad
// ones, the same way.
#pragma once

#include "chat/ChatProtocol.h"
#include "chat/ChatTypes.h"

#include <QCommandLineParser>

#include <optional>

namespace qalam {
class ProfileNetworkAccessManager;
}

namespace qalam::cli {

struct ChatRequestOptions
{
    ChatProtocol::Kind protocol = ChatProtocol::Kind::AdminStream;
    ChatRequest request; // without messages: the caller adds the question

    static void addTo(QCommandLineParser &parser);
    // Reads them and applies --ca-cert to `network`; prints why and returns nothing when one is
    // wrong (exit status 2).
    static std::optional<ChatRequestOptions> read(const QCommandLineParser &parser,
                                                  ProfileNetworkAccessManager &network);
    // Where the desktop app keeps its profiles.
    static QString defaultSettingsPath();

private:
    static std::optional<ChatRequestOptions> readProfile(const QCommandLineParser &parser,
                                                         ProfileNetworkAccessManager &network);
};

} // namespace qalam::cli
