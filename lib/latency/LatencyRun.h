// LatencyRun: the figures of one question answered, as a value: what `qalam-cli bench` prints
// per run and summarises (docs/cli.md).
#pragma once

#include <QList>
#include <QString>

namespace qalam::latency {

struct LatencyRun
{
    int index = 0; // from 1, in the order runs were started
    QString prompt;
    QString outcome; // "completed", "interrupted", "failed"
    QString error;   // why, unless completed
    qint64 timeToFirstByteMs = -1;
    qint64 timeToFirstTokenMs = -1;
    QList<qint64> gapsMs; // between consecutive pieces of text
    qint64 characters = 0;
    double charactersPerSecond = 0; // over the generation (first token to last)
    qint64 totalMs = 0;
    int reconnects = 0;

    bool completed() const { return outcome == QLatin1String("completed"); }
    qint64 maxGapMs() const;
};

} // namespace qalam::latency
