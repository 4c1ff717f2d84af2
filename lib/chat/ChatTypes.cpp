#include "chat/ChatTypes.h"

namespace qalam {

QString ChatMessage::roleName(Role role)
{
    switch (role) {
    case Role::System:
        return QStringLiteral("system");
    case Role::User:
        return QStringLiteral("user");
    case Role::Assistant:
        return QStringLiteral("assistant");
    }
    return QStringLiteral("user");
}

ChatUsage ChatUsage::fromJson(const QJsonObject &object)
{
    ChatUsage usage;
    usage.promptTokens = object.value(QLatin1String("prompt_tokens")).toInteger(-1);
    usage.completionTokens = object.value(QLatin1String("completion_tokens")).toInteger(-1);
    usage.totalTokens = object.value(QLatin1String("total_tokens")).toInteger(-1);
    return usage;
}

} // namespace qalam
