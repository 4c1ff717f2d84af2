// The ChatRequest for one answer from a profile: where (the profile's URL, or the in-process
// demo server's admin stream), how (model, extra headers) and with which key. In app/desktop,
// next to BackendSwitcher, because only the app that runs the demo server knows its route.
#pragma once

#include "chat/ChatTypes.h"
#include "settings/Profile.h"

namespace qalam {

// `apiKey` comes from SecretStore::resolveKey() and is sent as a bearer token (nothing is sent
// when it is empty). Every extra header is sent as the profile has it, so secret values must be
// filled in first (SecretStore::resolveSecrets()); the secret ones are also named in
// ChatRequest::secretHeaders, which keeps them from other origins on a redirect.
// `demoServerUrl` is where the embedded demo server listens (DemoServer::url()); it is used,
// and needed, only for the demo profile, whose request goes to DemoServer::adminStreamPath().
ChatRequest makeChatRequest(const Profile &profile, const QString &apiKey,
                            const QList<ChatMessage> &messages, const QUrl &demoServerUrl = {});

} // namespace qalam
