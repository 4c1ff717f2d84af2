#include "sse/SseRequest.h"

#include <algorithm>
#include <array>

namespace qalam {

bool SseRequest::isAlwaysSecret(QByteArrayView name)
{
    static constexpr std::array<QByteArrayView, 5> names{"Authorization", "Proxy-Authorization",
                                                         "Cookie", "X-Api-Key", "Api-Key"};
    return std::any_of(names.begin(), names.end(), [name](QByteArrayView secret) {
        return name.compare(secret, Qt::CaseInsensitive) == 0;
    });
}

bool SseRequest::isSecretHeader(QByteArrayView name) const
{
    return isAlwaysSecret(name) ||
           std::any_of(secretHeaders.cbegin(), secretHeaders.cend(),
                       [name](const QByteArray &secret) {
                           return name.compare(secret, Qt::CaseInsensitive) == 0;
                       });
}

} // namespace qalam
