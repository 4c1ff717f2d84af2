// SqlTransaction: a write transaction that rolls back unless committed (RAII), so an early return
// or a failed statement can never leave half a change behind.
#pragma once

#include <QSqlDatabase>
#include <QSqlError>

namespace qalam {

class SqlTransaction
{
public:
    // BEGIN IMMEDIATE: takes the write lock up front, so two processes on one file wait for each
    // other (busy timeout) instead of failing when a read transaction tries to become a write.
    explicit SqlTransaction(const QSqlDatabase &db);
    ~SqlTransaction();

    SqlTransaction(const SqlTransaction &) = delete;
    SqlTransaction &operator=(const SqlTransaction &) = delete;

    bool isActive() const { return m_active; }
    bool commit();
    // Why BEGIN or COMMIT failed.
    const QSqlError &error() const { return m_error; }

private:
    QSqlDatabase m_db;
    QSqlError m_error;
    bool m_active = false;
};

} // namespace qalam
