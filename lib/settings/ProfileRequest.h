// ProfileRequest: the ChatRequest one answer from a profile makes: its URL, model, key and
// extra headers (the secret ones named as such, so a redirect to another origin drops them).
// Shared by the window (app/desktop/ProfileChatRequest adds the demo server's route) and
// qalam-cli's --profile.
#pragma once

#include "chat/ChatTypes.h"
#include "settings/Profile.h"

namespace qalam {

// `apiKey` comes from SecretStore::resolveKey() and is sent as a bearer token (nothing is sent
// when it is empty). Every extra header is sent as the profile has it, so secret values must be
// filled in first (SecretStore::resolveSecrets()). `url` is where to ask (the profile's URL,
// or the demo server's route for the demo profile).
ChatRequest profileChatRequest(const Profile &profile, const QString &apiKey,
                               const QList<ChatMessage> &messages, const QUrl &url);

} // namespace qalam
