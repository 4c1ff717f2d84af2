// AnswerActivity: what a streaming answer is doing right now, for the chat and the status bar:
// waiting for a free slot, connecting, streaming, or reconnecting (which attempt of how many,
// why, and when the next one starts). A value type; text() is computed when asked, so a label
// that asks again every fraction of a second shows a live countdown.
#pragma once

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QString>

namespace qalam {

class AnswerActivity
{
    Q_DECLARE_TR_FUNCTIONS(qalam::AnswerActivity)

public:
    enum class Kind { None, Queued, Connecting, Streaming, Reconnecting };

    Kind kind = Kind::None;
    int queuedBehind = 0; // Queued: how many answers are streaming
    // Reconnecting: the attempt (1-based, since the last event), the budget (-1: unlimited), the
    // reason the connection ended, and when the next attempt starts.
    int attempt = 0;
    int maxAttempts = -1;
    QString reason;
    QDeadlineTimer nextAttempt;
    bool saved = true; // false while a save failed and is retried

    bool isNone() const { return kind == Kind::None && saved; }
    // "Reconnecting in 3 s (attempt 2 of 8): connection reset", in the UI language, as of now;
    // with " · Not saved yet…" while a save is being retried. Empty for None and for Streaming.
    QString text() const;
    // Whole seconds until the next attempt, rounded up; 0 once it is due.
    int secondsLeft() const;
};

} // namespace qalam
