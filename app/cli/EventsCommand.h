// `qalam-cli events`: prints every dispatched event of a stream as a JSON line, following the
// browser's EventSource rules exactly (spec-strict). See docs/cli.md for the line formats.
#pragma once

#include <QStringList>

namespace qalam::cli {

int runEventsCommand(const QStringList &arguments);

} // namespace qalam::cli
