// bench_storecheck [--mb N] [--runs N]: what checking, recovering and migrating the conversation
// database costs on a history of about N MB (20 by default), the figures in docs/benchmarks.md
// ("Store check and recovery").
//
//   check       StoreRecovery::check(): the header, then PRAGMA quick_check (reads every page)
//   integrity   PRAGMA integrity_check, which also checks every index against its table
//   recover     StoreRecovery::recover() of the whole (healthy) file: every row read and written
//   migrate     the first open of the same history as a schema v3 file (the v4 migration
//               folds every message and title for search and rebuilds the search index)
//   load        ConversationStore::messages() of one 1,000-message conversation of that file
//
// The file is real (WAL, synchronous=NORMAL) in a temporary directory. The check is timed with
// the page cache warm (the file was just written) and cold (its pages dropped from the cache
// with posix_fadvise before each run, as after a reboot), since a check at startup may meet
// either.
#include "store/ConversationStore.h"
#include "store/StoreRecovery.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <functional>
#include <unistd.h>
#include <vector>

using namespace qalam;

namespace {

struct Figures
{
    double median = 0;
    double min = 0;
    double max = 0;
};

Figures measure(int runs, const std::function<void()> &run,
                const std::function<void()> &prepare = {})
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        if (prepare)
            prepare();
        QElapsedTimer timer;
        timer.start();
        run();
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.front(), ms.back()};
}

void print(const char *name, int runs, const Figures &figures)
{
    std::printf("%-44s median %9.1f ms  (min %.1f, max %.1f, %d runs)\n", name, figures.median,
                figures.min, figures.max, runs);
}

QString answer(int index)
{
    QString text = QStringLiteral("## الجواب %1 — answer %1\n\n").arg(index);
    for (int p = 0; p < 6; ++p)
        text += QStringLiteral("القلم أداة قديمة للكتابة، تطورت من الريشة إلى الحبر ثم الشاشات "
                               "(%1). The pen went from quills to ballpoints to screens; **its** "
                               "story is _long_ (%2).\n\n")
                    .arg(index * 7 + p)
                    .arg(index ^ p);
    return text +
           QStringLiteral("```cpp\nauto pen = QStringLiteral(\"قلم\"); // %1\n```\n").arg(index);
}

// Fills the store until the file reaches megabytes; returns the 1,000-message conversation.
qint64 fill(const QString &path, int megabytes, int &conversations, int &messages)
{
    ConversationStore store(path);
    if (!store.isOpen()) {
        std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
        return 0;
    }
    qint64 big = 0;
    int n = 0;
    // The database's own size (the WAL also holds older copies of pages until a checkpoint).
    const auto databaseSize = [&store] {
        QSqlQuery query(QSqlDatabase::database(store.connectionName(), false));
        return query.exec(QStringLiteral("SELECT page_count * page_size FROM pragma_page_count, "
                                         "pragma_page_size")) &&
                       query.next()
                   ? query.value(0).toLongLong()
                   : 0;
    };
    while (databaseSize() < qint64(megabytes) * 1024 * 1024) {
        const auto conversation = store.createConversation(QStringLiteral("محادثة %1").arg(n));
        const int count = n == 0 ? 1000 : 40;
        for (int m = 0; m < count; m += 2) {
            if (store.addMessage(conversation->id, StoredMessage::Role::User,
                                 QStringLiteral("سؤال %1: how do I use the pen %2?").arg(m).arg(n)))
                ++messages;
            if (store.addMessage(conversation->id, StoredMessage::Role::Assistant,
                                 answer(n * 1000 + m)))
                ++messages;
        }
        if (n == 0)
            big = conversation->id;
        ++conversations;
        ++n;
    }
    return big;
}

// Drops the file's pages from the page cache, so the next read comes from the disk (a cold
// start), without touching any other process's cache.
void evict(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    if (fd < 0)
        return;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

QString cpuModel()
{
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (file.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (line.startsWith("model name"))
                return QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
        }
    }
    return QSysInfo::currentCpuArchitecture();
}

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll().trimmed())
                                          : QStringLiteral("?");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    int megabytes = 20;
    int runs = 7;
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args.at(i) == QLatin1String("--mb"))
            megabytes = args.at(i + 1).toInt();
        else if (args.at(i) == QLatin1String("--runs"))
            runs = args.at(i + 1).toInt();
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("qalam.sqlite3"));

    QString sqliteVersion;
    {
        const QString name = QUuid::createUuid().toString();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(QStringLiteral(":memory:"));
            db.open();
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT sqlite_version()")) && query.next())
                sqliteVersion = query.value(0).toString();
        }
        QSqlDatabase::removeDatabase(name);
    }
    std::printf("bench_storecheck: %s, %d logical CPUs, %s, Qt %s, SQLite %s, load %s\n",
                qPrintable(cpuModel()), QThread::idealThreadCount(),
                qPrintable(QSysInfo::prettyProductName()), qVersion(), qPrintable(sqliteVersion),
                qPrintable(loadAverage()));

    int conversations = 0;
    int messages = 0;
    QElapsedTimer filling;
    filling.start();
    const qint64 big = fill(path, megabytes, conversations, messages);
    if (big == 0)
        return 1;
    std::printf("history: %d conversations, %d messages, %.1f MB (%.1f s to write)\n",
                conversations, messages, double(QFileInfo(path).size()) / (1024 * 1024),
                double(filling.elapsed()) / 1000);

    bool healthy = true;
    print("check (header + quick_check)", runs,
          measure(runs, [&] { healthy = StoreRecovery::check(path).isOk() && healthy; }));
    print("check, file evicted from the page cache", runs,
          measure(
              runs, [&] { healthy = StoreRecovery::check(path).isOk() && healthy; },
              [&] { evict(path); }));
    if (!healthy) {
        std::fprintf(stderr, "check() found problems in a healthy file\n");
        return 1;
    }
    {
        const QString name = QUuid::createUuid().toString();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
            db.open();
            print("integrity_check (for comparison)", 3, measure(3, [&] {
                      QSqlQuery query(db);
                      query.exec(QStringLiteral("PRAGMA integrity_check"));
                      while (query.next()) {
                      }
                  }));
        }
        QSqlDatabase::removeDatabase(name);
    }

    {
        ConversationStore store(path);
        qsizetype loaded = 0;
        print("load the 1,000-message conversation", runs,
              measure(runs, [&] { loaded = store.messages(big)->size(); }));
        if (loaded != 1000) {
            std::fprintf(stderr, "loaded %lld messages, not 1000\n", qlonglong(loaded));
            return 1;
        }
    }

    // Recovery of a copy (the whole file is readable, so this is its worst case in rows).
    const QString copy = dir.filePath(QStringLiteral("copy/qalam.sqlite3"));
    QDir().mkpath(QFileInfo(copy).absolutePath());
    StoreRecovery::Result recovered;
    const int recoveries = qMax(1, runs / 2);
    print("recover (every row copied)", recoveries,
          measure(
              recoveries, [&] { recovered = StoreRecovery::recover(copy); },
              [&] {
                  QDir(QFileInfo(copy).absolutePath()).removeRecursively();
                  QDir().mkpath(QFileInfo(copy).absolutePath());
                  QFile::copy(path, copy);
              }));
    std::printf("  recovered %d conversations, %d messages%s\n", recovered.conversations,
                recovered.messages,
                recovered.ok ? ""
                             : qPrintable(QStringLiteral(" (failed: ") + recovered.error + u')'));

    // The same history as schema v3: what v4 added dropped, the v3 search index (over the raw
    // text) in its place; then time the first open.
    const QString old = dir.filePath(QStringLiteral("v3/qalam.sqlite3"));
    const int migrations = qMax(1, runs / 2);
    print("first open of it as a v3 file (migration)", migrations,
          measure(
              migrations,
              [&] {
                  ConversationStore store(old);
                  if (!store.isOpen())
                      std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
              },
              [&] {
                  QDir(QFileInfo(old).absolutePath()).removeRecursively();
                  QDir().mkpath(QFileInfo(old).absolutePath());
                  QFile::copy(path, old);
                  const QString name = QUuid::createUuid().toString();
                  {
                      QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                      db.setDatabaseName(old);
                      db.open();
                      QSqlQuery query(db);
                      for (const char *sql :
                           {"DROP TRIGGER message_fts_insert", "DROP TRIGGER message_fts_update",
                            "DROP TRIGGER message_fts_delete", "DROP TABLE message_fts",
                            "DROP INDEX messages_unfolded",
                            "ALTER TABLE messages DROP COLUMN folded_content",
                            "ALTER TABLE conversations DROP COLUMN folded_title",
                            "CREATE VIRTUAL TABLE message_fts USING fts5(content, "
                            "tokenize='trigram')",
                            "CREATE TRIGGER message_fts_insert AFTER INSERT ON messages WHEN "
                            "new.state <> 'streaming' BEGIN INSERT INTO message_fts(rowid, "
                            "content) VALUES (new.id, new.content); END",
                            "CREATE TRIGGER message_fts_update AFTER UPDATE OF content, state "
                            "ON messages WHEN old.state <> 'streaming' OR new.state <> "
                            "'streaming' BEGIN DELETE FROM message_fts WHERE rowid = old.id; "
                            "INSERT INTO message_fts(rowid, content) SELECT new.id, "
                            "new.content WHERE new.state <> 'streaming'; END",
                            "CREATE TRIGGER message_fts_delete AFTER DELETE ON messages BEGIN "
                            "DELETE FROM message_fts WHERE rowid = old.id; END",
                            "INSERT INTO message_fts(rowid, content) SELECT id, content FROM "
                            "messages WHERE state <> 'streaming'",
                            "PRAGMA user_version = 3", "VACUUM"}) {
                          if (!query.exec(QString::fromLatin1(sql)))
                              std::fprintf(stderr, "%s: %s\n", sql,
                                           qPrintable(query.lastError().text()));
                      }
                  }
                  QSqlDatabase::removeDatabase(name);
              }));
    {
        ConversationStore store(old);
        const auto loaded = store.messages(big);
        QSqlQuery query(QSqlDatabase::database(store.connectionName(), false));
        const bool migrated = query.exec(QStringLiteral("SELECT count(*) FROM messages WHERE "
                                                        "folded_content IS NOT NULL")) &&
                              query.next();
        std::printf("  migrated: %lld messages in the long conversation, %lld folded\n",
                    loaded ? qlonglong(loaded->size()) : -1LL,
                    migrated ? query.value(0).toLongLong() : -1LL);
    }
    return 0;
}
