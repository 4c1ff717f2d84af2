// qalam-cli bench: the latency lab on the command line. Asks a backend N questions, C at a
// time, and prints p50/p90/p99/max of time to first byte and token, gaps between deltas,
// chars/s and total time, with error and reconnect counts (docs/cli.md).
#pragma once

#include <QStringList>

namespace qalam::cli {

int runBenchCommand(const QStringList &arguments);

} // namespace qalam::cli
