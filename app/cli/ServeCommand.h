// `qalam-cli serve`: runs the embedded demo server headless (docs/server.md).
#pragma once

#include <QStringList>

namespace qalam::cli {

int runServeCommand(const QStringList &arguments);

} // namespace qalam::cli
