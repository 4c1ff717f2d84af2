// StoreRecovery: finds out whether the conversation database is damaged, and saves what can be
// read from a damaged one.
//
// check() runs before the store is opened: PRAGMA quick_check (every page of the file is read, so
// its cost grows with the file: docs/benchmarks.md, "Store check") and a look at the header for a
// file that is not a database at all. recover() copies every readable conversation and message,
// row by row, into a new database at the same path; startEmpty() gives up on the old content. Both
// keep the damaged file next to it as "<name>.damaged-YYYYMMDD-HHMMSS" (with its -wal and -shm),
// never delete it. No ConversationStore may have the file open meanwhile.
//
// Everything meant for people (CheckResult::message, Result::message and error) is translated
// (context "qalam::StoreRecovery"); CheckResult::detail is what SQLite said, for a log or a bug
// report.
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace qalam {

class StoreRecovery
{
    Q_DECLARE_TR_FUNCTIONS(qalam::StoreRecovery)

public:
    enum class Health {
        Ok,           // no file yet, an empty file, or quick_check found nothing
        Damaged,      // a database whose pages or header SQLite finds inconsistent
        NotADatabase, // no SQLite header: another file, or the start of the file overwritten
        Unreadable,   // the file cannot be opened or read (permissions, I/O error)
    };

    struct CheckResult
    {
        Health health = Health::Ok;
        QString detail;  // what SQLite (or the file system) said; empty when all is well
        QString message; // one translated sentence for people
        bool isOk() const { return health == Health::Ok; }
    };

    struct Result
    {
        bool ok = false;
        int conversations = 0; // conversations in the new database
        int messages = 0;      // messages in the new database
        // Conversations whose own row was unreadable, rebuilt from their messages (titled after
        // the first question); included in conversations.
        int rebuiltConversations = 0;
        // Reads that failed on damaged pages (each is a row, or an id that may have held one).
        int unreadableRows = 0;
        QString damagedPath; // where the damaged file is kept
        QString message;     // translated summary of what happened
        QString error;       // translated; set when ok is false
    };

    // PRAGMA quick_check, reporting at most maxProblems of what it finds.
    static CheckResult check(const QString &path, int maxProblems = 20);
    // Copies what is readable into a new database at path, keeping the damaged file aside. A
    // file from a newer Qalam is refused (it is not damaged; a newer version can read it).
    static Result recover(const QString &path);
    // Moves the file aside and creates an empty database at path.
    static Result startEmpty(const QString &path);

    // "<path>.damaged-YYYYMMDD-HHMMSS" in local time; "-2", "-3"... appended if taken.
    static QString damagedPathFor(const QString &path, const QDateTime &when);
};

} // namespace qalam
