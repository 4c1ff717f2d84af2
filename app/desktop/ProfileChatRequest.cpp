#include "ProfileChatRequest.h"

#include "server/DemoServer.h"
#include "settings/ProfileRequest.h"

namespace qalam {

ChatRequest makeChatRequest(const Profile &profile, const QString &apiKey,
                            const QList<ChatMessage> &messages, const QUrl &demoServerUrl)
{
    // An unset demo server URL leaves the URL empty, which the stream reports as an error,
    // rather than a guess at a host and port.
    const QUrl url =
        profile.isDemo ? (demoServerUrl.isEmpty()
                              ? QUrl()
                              : demoServerUrl.resolved(QUrl(server::DemoServer::adminStreamPath())))
                       : profile.baseUrl;
    return profileChatRequest(profile, apiKey, messages, url);
}

} // namespace qalam
