#include "NetworkIdle.h"

#include "ScriptedServer.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

namespace qalam::test {

int liveReplies(const QNetworkAccessManager &network)
{
    return int(network.findChildren<QNetworkReply *>().size());
}

int activeTimers(const QObject &owner)
{
    int active = 0;
    if (const auto *timer = qobject_cast<const QTimer *>(&owner); timer && timer->isActive())
        ++active;
    for (const QTimer *timer : owner.findChildren<QTimer *>())
        active += timer->isActive() ? 1 : 0;
    return active;
}

bool waitUntilIdle(const QNetworkAccessManager &network, const QObject &client,
                   const ScriptedServer *server, int timeoutMs)
{
    const auto idle = [&] {
        return liveReplies(network) == 0 && activeTimers(client) == 0 &&
               (!server || server->openConnections() == 0);
    };
    if (QTest::qWaitFor(idle, timeoutMs))
        return true;
    qWarning("not idle after %d ms: %d live replies, %d active timers, %d open server "
             "connections",
             timeoutMs, liveReplies(network), activeTimers(client),
             server ? server->openConnections() : 0);
    return false;
}

} // namespace qalam::test
