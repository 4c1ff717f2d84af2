// `qalam-cli chat`: streams one answer to stdout, exactly as it arrives. See docs/cli.md.
#pragma once

#include <QStringList>

namespace qalam::cli {

int runChatCommand(const QStringList &arguments);

} // namespace qalam::cli
