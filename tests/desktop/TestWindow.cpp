#include "TestWindow.h"

#include "MemorySecretBackend.h"

#include <QtGlobal>

namespace qalam::test {

std::unique_ptr<MainWindow> openTestWindow(const DesktopOptions &options,
                                           QHash<QString, QString> *vault,
                                           LanguageManager *languages, QSize size,
                                           MainWindow::RecoveryPrompt prompt)
{
    auto window = std::make_unique<MainWindow>(
        options, languages,
        std::make_unique<MemorySecretBackend>(MemorySecretBackend::Behaviour::Working, vault));
    if (prompt)
        window->setRecoveryPrompt(std::move(prompt));
    QString error;
    if (!window->initialize(&error)) {
        qWarning("initialize failed: %s", qPrintable(error));
        return nullptr;
    }
    if (!size.isEmpty())
        window->resize(size);
    window->show();
    return window;
}

} // namespace qalam::test
