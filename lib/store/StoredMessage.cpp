#include "store/StoredMessage.h"

namespace qalam {

QString StoredMessage::roleName(Role role)
{
    switch (role) {
    case Role::User:
        return QStringLiteral("user");
    case Role::Assistant:
        return QStringLiteral("assistant");
    case Role::System:
        return QStringLiteral("system");
    }
    Q_UNREACHABLE();
}

std::optional<StoredMessage::Role> StoredMessage::roleFromName(QStringView name)
{
    for (Role role : {Role::User, Role::Assistant, Role::System}) {
        if (name == roleName(role))
            return role;
    }
    return std::nullopt;
}

QString StoredMessage::stateName(State state)
{
    switch (state) {
    case State::Complete:
        return QStringLiteral("complete");
    case State::Streaming:
        return QStringLiteral("streaming");
    case State::Interrupted:
        return QStringLiteral("interrupted");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Cancelled:
        return QStringLiteral("cancelled");
    }
    Q_UNREACHABLE();
}

std::optional<StoredMessage::State> StoredMessage::stateFromName(QStringView name)
{
    for (State state :
         {State::Complete, State::Streaming, State::Interrupted, State::Failed, State::Cancelled}) {
        if (name == stateName(state))
            return state;
    }
    return std::nullopt;
}

} // namespace qalam
