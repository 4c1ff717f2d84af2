// Helpers shared by the store tests: direct SQL access to a database file (to build fixtures and
// look behind the store's back), the store's own connection (for per-connection limits such as
// max_page_count), file modes that hold for root too, and a deterministic clock.
#pragma once

#include "store/ConversationStore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QTest>
#include <QUuid>
#include <QVariant>

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace qalam::test {

// A plain QSQLITE connection of its own, removed on destruction.
class RawDatabase
{
public:
    explicit RawDatabase(const QString &path)
        : m_name(QStringLiteral("raw-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        m_open = db.open();
    }
    ~RawDatabase()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDatabase(const RawDatabase &) = delete;
    RawDatabase &operator=(const RawDatabase &) = delete;

    bool isOpen() const { return m_open; }

    // Runs one statement; on failure the error is in lastError().
    bool exec(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        query.prepare(sql);
        for (const QVariant &value : values)
            query.addBindValue(value);
        if (!query.exec()) {
            m_lastError = query.lastError().text();
            return false;
        }
        return true;
    }

    // The first column of the first row; invalid when there is none or the query failed.
    QVariant scalar(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        query.prepare(sql);
        for (const QVariant &value : values)
            query.addBindValue(value);
        if (!query.exec()) {
            m_lastError = query.lastError().text();
            return {};
        }
        return query.next() ? query.value(0) : QVariant();
    }

    const QString &lastError() const { return m_lastError; }

private:
    QString m_name;
    QString m_lastError;
    bool m_open = false;
};

// Runs one statement on the store's own connection (a PRAGMA such as max_page_count or query_only
// holds only for the connection that sets it). The first column of the first row, or invalid.
inline QVariant execOnStore(const ConversationStore &store, const QString &sql,
                            QString *error = nullptr)
{
    QSqlQuery query(QSqlDatabase::database(store.connectionName(), false));
    if (!query.exec(sql)) {
        if (error)
            *error = query.lastError().text();
        return {};
    }
    return query.next() ? query.value(0) : QVariant(true);
}

inline QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// While alive, file modes bind this thread even when it runs as root: root writes to a file it
// chmod-ed read-only (CAP_DAC_OVERRIDE), so a test of a read-only file would prove nothing. The
// capability is taken out of the thread's effective set (it stays permitted) and put back.
// isActive() is false when that was not possible; the test then skips.
class FileModesEnforced
{
public:
    FileModesEnforced()
    {
        if (geteuid() != 0) {
            m_active = true;
            return;
        }
        m_header.version = _LINUX_CAPABILITY_VERSION_3;
        m_header.pid = 0;
        if (syscall(SYS_capget, &m_header, m_saved) != 0)
            return;
        __user_cap_data_struct lowered[2] = {m_saved[0], m_saved[1]};
        lowered[0].effective &= ~(1u << CAP_DAC_OVERRIDE);
        m_active = m_changed = syscall(SYS_capset, &m_header, lowered) == 0;
    }
    ~FileModesEnforced()
    {
        if (m_changed)
            syscall(SYS_capset, &m_header, m_saved);
    }
    FileModesEnforced(const FileModesEnforced &) = delete;
    FileModesEnforced &operator=(const FileModesEnforced &) = delete;

    bool isActive() const { return m_active; }

private:
    __user_cap_header_struct m_header{};
    __user_cap_data_struct m_saved[2]{};
    bool m_active = false;
    bool m_changed = false;
};

// Every reading is one second after the previous one, so orderings by time are exact.
class StepClock
{
public:
    QDateTime operator()()
    {
        m_ms += 1000;
        return QDateTime::fromMSecsSinceEpoch(m_ms, Qt::UTC);
    }

private:
    qint64 m_ms = 1'790'000'000'000;
};

} // namespace qalam::test
