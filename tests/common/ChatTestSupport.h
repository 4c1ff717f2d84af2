// Helpers for tests of ChatStream (library qalam_chattestsupport): a one-question request, a
// recorder of everything a stream reports, and a run of one answer to its end.
#pragma once

#include "chat/ChatStream.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

namespace qalam::test {

// One user message, no model (the server's default), no key unless given.
ChatRequest chatRequest(const QUrl &url, const QString &prompt = QStringLiteral("Hello"),
                        const QString &apiKey = {});

// Everything a ChatStream reported, in order.
struct ChatRecorder : QObject
{
    explicit ChatRecorder(ChatStream &stream);

    QString text;
    QString reasoning;
    int deltas = 0;
    int reconnects = 0;
    QList<qint64> reconnectDelays;
    QList<ChatStream::Outcome> outcomes;
    QStringList messages; // one per outcome: why, empty when Completed
};

// One answer from start() to finished().
struct ChatRun
{
    bool finished = false; // false: it did not end within the timeout
    ChatStream::Outcome outcome = ChatStream::Outcome::Failed;
    QString message;
    QString text;
    int reconnects = 0; // reconnecting() signals
    ChatMetrics metrics;
};

// Starts `request` on `stream` and waits for its finished(), processing events meanwhile.
ChatRun runToEnd(ChatStream &stream, const ChatRequest &request, int timeoutMs = 60000);

} // namespace qalam::test
