// openTestWindow: a MainWindow as the desktop tests open it: the options given, an in-memory
// keychain backed by `vault` (never the machine's), initialized, resized (unless `size` is
// empty) and shown. Null, after a warning saying why, when it cannot be initialized.
#pragma once

#include "DesktopOptions.h"
#include "MainWindow.h"

#include <QHash>
#include <QSize>
#include <QString>

#include <memory>

namespace qalam::test {

std::unique_ptr<MainWindow> openTestWindow(const DesktopOptions &options,
                                           QHash<QString, QString> *vault,
                                           LanguageManager *languages = nullptr,
                                           QSize size = QSize(900, 700),
                                           MainWindow::RecoveryPrompt prompt = {});

} // namespace qalam::test
