// ReplayLibrary: the recordings `qalam-cli serve --replay FILE|DIR` plays back, and which one
// answers a request: the one with the request's route and question, else the one with its
// question, else the only one there is (docs/recording.md, "Replay").
#pragma once

#include "capture/Recording.h"

#include <QList>
#include <QString>

namespace qalam::server {

class ReplayLibrary
{
public:
    // Loads FILE, or every *.jsonl in DIR (sorted by name). Fails, saying which file and why,
    // on anything that is not a recording: a demo must not start with half its answers.
    bool load(const QString &path, QString *error);
    bool isEmpty() const { return m_recordings.isEmpty(); }
    qsizetype size() const { return m_recordings.size(); }

    // Null when nothing matches; `why` then lists what there is.
    const capture::Recording *match(const QString &path, const QString &prompt, QString *why) const;

private:
    QList<capture::Recording> m_recordings;
};

} // namespace qalam::server
