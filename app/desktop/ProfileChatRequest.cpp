#include "ProfileChatRequest.h"

#include "server/DemoServer.h"

namespace qalam {

ChatRequest makeChatRequest(const Profile &profile, const QString &apiKey,
                            const QList<ChatMessage> &messages, const QUrl &demoServerUrl)
{
    ChatRequest request;
    // An unset demo server URL leaves the URL empty, which the stream reports as an error,
    // rather than a guess at a host and port.
    request.url = profile.isDemo
                      ? (demoServerUrl.isEmpty()
                             ? QUrl()
                             : demoServerUrl.resolved(QUrl(server::DemoServer::adminStreamPath())))
                      : profile.baseUrl;
    request.model = profile.model;
    request.messages = messages;
    request.apiKey = apiKey;
    for (const HttpHeader &header : profile.extraHeaders) {
        const QByteArray name = header.name.toLatin1();
        request.headers.append(qMakePair(name, header.value.toUtf8()));
        if (header.isSecret() && !request.secretHeaders.contains(name))
            request.secretHeaders.append(name);
    }
    return request;
}

} // namespace qalam
