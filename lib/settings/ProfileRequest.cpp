#include "settings/ProfileRequest.h"

namespace qalam {

ChatRequest profileChatRequest(const Profile &profile, const QString &apiKey,
                               const QList<ChatMessage> &messages, const QUrl &url)
{
    ChatRequest request;
    request.url = url;
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
