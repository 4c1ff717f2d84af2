// qalam-cli doctor: checks a live streaming endpoint against the ways streaming backends break
// and says, for each, pass / warn / fail, what it saw and the fix (docs/cli.md).
#pragma once

#include <QStringList>

namespace qalam::cli {

int runDoctorCommand(const QStringList &arguments);

} // namespace qalam::cli
