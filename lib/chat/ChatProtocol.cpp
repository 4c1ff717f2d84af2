#include "chat/ChatProtocol.h"

#include "chat/AdminStreamProtocol.h"
#include "chat/OpenAiProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace qalam {

std::unique_ptr<ChatProtocol> ChatProtocol::create(Kind kind)
{
    switch (kind) {
    case Kind::AdminStream:
        return std::make_unique<AdminStreamProtocol>();
    case Kind::OpenAi:
        return std::make_unique<OpenAiProtocol>();
    }
    return nullptr;
}

std::optional<ChatProtocol::Kind> ChatProtocol::kindFromName(QStringView name)
{
    if (name == QLatin1String("admin"))
        return Kind::AdminStream;
    if (name == QLatin1String("openai"))
        return Kind::OpenAi;
    return std::nullopt;
}

QString ChatProtocol::name(Kind kind)
{
    return kind == Kind::AdminStream ? QStringLiteral("admin") : QStringLiteral("openai");
}

QJsonArray ChatProtocol::messagesArray(const QList<ChatMessage> &messages)
{
    QJsonArray array;
    for (const ChatMessage &message : messages) {
        array.append(QJsonObject{{QStringLiteral("role"), ChatMessage::roleName(message.role)},
                                 {QStringLiteral("content"), message.content}});
    }
    return array;
}

void ChatProtocol::addCommonHeaders(SseRequest &out, const ChatRequest &request)
{
    out.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    if (!request.apiKey.isEmpty())
        out.headers.append(
            qMakePair(QByteArray("Authorization"), "Bearer " + request.apiKey.toUtf8()));
    out.headers.append(request.headers);
    out.secretHeaders.append(request.secretHeaders);
}

} // namespace qalam
