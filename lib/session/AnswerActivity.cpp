#include "session/AnswerActivity.h"

#include "session/FigureText.h"

#include <QLocale>

namespace qalam {

int AnswerActivity::secondsLeft() const
{
    const qint64 left = nextAttempt.remainingTime();
    return left <= 0 ? 0 : int((left + 999) / 1000);
}

QString AnswerActivity::text() const
{
    const QLocale locale;
    QString status;
    switch (kind) {
    case Kind::None:
    case Kind::Streaming:
        break;
    case Kind::Queued:
        status = tr("Queued: %n other answer(s) are streaming; this one starts when one of them "
                    "ends",
                    nullptr, queuedBehind);
        break;
    case Kind::Connecting:
        status = tr("Connecting…");
        break;
    case Kind::Reconnecting: {
        const int seconds = secondsLeft();
        const QString attemptText =
            maxAttempts > 0
                ? tr("attempt %1 of %2").arg(locale.toString(attempt), locale.toString(maxAttempts))
                : tr("attempt %1").arg(locale.toString(attempt));
        const QString when =
            seconds > 0 ? tr("Reconnecting in %1 s (%2)").arg(locale.toString(seconds), attemptText)
                        : tr("Reconnecting now (%1)").arg(attemptText);
        status = reason.isEmpty() ? when : QStringLiteral("%1: %2").arg(when, reason);
        break;
    }
    }
    if (!saved) {
        const QString unsaved =
            tr("Not saved yet: the text is kept in memory and saving is retried");
        status = status.isEmpty() ? unsaved : FigureText::join({status, unsaved});
    }
    return status;
}

} // namespace qalam
