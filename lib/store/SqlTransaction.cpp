#include "store/SqlTransaction.h"

#include <QSqlQuery>

namespace qalam {

SqlTransaction::SqlTransaction(const QSqlDatabase &db) : m_db(db)
{
    QSqlQuery query(m_db);
    m_active = query.exec(QStringLiteral("BEGIN IMMEDIATE"));
    if (!m_active)
        m_error = query.lastError();
}

SqlTransaction::~SqlTransaction()
{
    if (m_active) {
        QSqlQuery query(m_db);
        query.exec(QStringLiteral("ROLLBACK"));
    }
}

bool SqlTransaction::commit()
{
    if (!m_active)
        return false;
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("COMMIT"))) {
        // The transaction is still open; the destructor rolls it back.
        m_error = query.lastError();
        return false;
    }
    m_active = false;
    return true;
}

} // namespace qalam
