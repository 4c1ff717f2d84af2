// NetworkIdle: the end condition for "and then nothing else happens" in client tests.
//
// After a client's answer has ended (finished()), a bug could still make it act: reconnect once
// more, send another request, report a second outcome. Waiting "a while" and then counting lets
// such a bug pass on a slow machine. Instead a test waits until nothing is left that could act
// without new input: every QNetworkReply of the client's QNetworkAccessManager is destroyed (no
// reply signal can arrive any more), the client has no active timer (SseConsumer, ChatStream and
// AnswerSaver parent theirs to themselves: a pending reconnection or save is such a timer), and
// the server holds no open connection. From then on the signals and requests a test counted are
// final, whatever the machine's speed; a retry that was scheduled keeps the wait from ending and
// the test fails.
//
// The client must use a QNetworkAccessManager the test owns (SseConsumer and ChatStream take one).
#pragma once

class QNetworkAccessManager;
class QObject;

namespace qalam::test {

class ScriptedServer;

// QNetworkReply objects of `network` not yet destroyed (replies are its children until then).
int liveReplies(const QNetworkAccessManager &network);

// Active QTimers among `owner` and its descendants.
int activeTimers(const QObject &owner);

// Waits until `network` has no live reply, `client` no active timer and `server` (if given) no
// open connection, processing events meanwhile; false, with a warning saying what is still live,
// after `timeoutMs`.
bool waitUntilIdle(const QNetworkAccessManager &network, const QObject &client,
                   const ScriptedServer *server, int timeoutMs = 15000);

} // namespace qalam::test
