// StoreOpener: opens the conversation database at start, with the damaged-database recovery.
//
// PRAGMA quick_check runs before the store opens (docs/benchmarks.md, "Store check"): a damaged
// file would otherwise open with part of its history silently missing. For a damaged file the
// person chooses Recover, Start empty or Quit (StoreRecovery keeps the damaged file either way).
// Once open, answers a crash or kill cut off are marked Interrupted, so they offer "continue"
// instead of looking complete.
#pragma once

#include <QCoreApplication>
#include <QStringList>

#include <functional>
#include <memory>

class QWidget;

namespace qalam {

class ConversationStore;

class StoreOpener
{
    Q_DECLARE_TR_FUNCTIONS(qalam::StoreOpener)

public:
    enum class RecoveryChoice { Recover, StartEmpty, Quit };
    // Asked with what is wrong with the file; tests answer for the person.
    using RecoveryPrompt = std::function<RecoveryChoice(const QString &problem)>;

    struct Result
    {
        std::unique_ptr<ConversationStore> store; // null: not opened
        QString error;                            // why not, or empty when the person chose to quit
        QStringList notices; // for people: what recovery did, what could not be marked
    };

    // Opens the database at `path` (empty: ConversationStore::defaultPath()).
    static Result open(const QString &path, const RecoveryPrompt &prompt);
    // The default prompt: a message box over `parent`.
    static RecoveryChoice askWithDialog(QWidget *parent, const QString &problem);
};

} // namespace qalam
