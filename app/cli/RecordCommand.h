// qalam-cli record: asks one question like `chat` and writes what went over the wire to a
// recording file (docs/recording.md) while printing the answer.
#pragma once

#include <QStringList>

namespace qalam::cli {

int runRecordCommand(const QStringList &arguments);

} // namespace qalam::cli
