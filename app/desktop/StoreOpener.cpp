#include "StoreOpener.h"

#include "session/ConversationSession.h"
#include "store/ConversationStore.h"
#include "store/StoreRecovery.h"

#include <QMessageBox>
#include <QPushButton>

namespace qalam {

StoreOpener::Result StoreOpener::open(const QString &requestedPath, const RecoveryPrompt &prompt)
{
    const QString path = requestedPath.isEmpty() ? ConversationStore::defaultPath() : requestedPath;
    Result result;
    const StoreRecovery::CheckResult health = StoreRecovery::check(path);
    if (!health.isOk()) {
        const RecoveryChoice choice = prompt(health.message);
        if (choice == RecoveryChoice::Quit)
            return result; // the person's choice, not an error to show
        const StoreRecovery::Result recovery = choice == RecoveryChoice::Recover
                                                   ? StoreRecovery::recover(path)
                                                   : StoreRecovery::startEmpty(path);
        if (!recovery.ok) {
            result.error = recovery.error;
            return result;
        }
        result.notices.append(recovery.message);
    }

    auto store = std::make_unique<ConversationStore>(path);
    if (!store->isOpen()) {
        result.error =
            tr("Cannot open the conversation database %1: %2").arg(path, store->lastError());
        return result;
    }
    if (!store->markStreamingAsInterrupted()) {
        result.notices.append(tr("Answers cut off by the last exit could not be marked as "
                                 "interrupted: %1")
                                  .arg(ConversationSession::storeErrorText(store->lastError())));
    }
    result.store = std::move(store);
    return result;
}

StoreOpener::RecoveryChoice StoreOpener::askWithDialog(QWidget *parent, const QString &problem)
{
    QMessageBox box(QMessageBox::Warning, tr("Qalam"), problem, QMessageBox::NoButton, parent);
    box.setInformativeText(
        tr("Recover copies every conversation and message that can still be read into a new "
           "database. Start empty begins without them. Either way the damaged file is kept next "
           "to the new one, so nothing is deleted."));
    QPushButton *recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
    QPushButton *empty = box.addButton(tr("Start empty"), QMessageBox::DestructiveRole);
    box.addButton(tr("Quit"), QMessageBox::RejectRole);
    box.setDefaultButton(recover);
    box.exec();
    if (box.clickedButton() == recover)
        return RecoveryChoice::Recover;
    if (box.clickedButton() == empty)
        return RecoveryChoice::StartEmpty;
    return RecoveryChoice::Quit;
}

} // namespace qalam
