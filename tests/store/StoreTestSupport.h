// Helpers shared by the store tests: direct SQL access to a database file (to build fixtures and
// look behind the store's back) and a deterministic clock.
#pragma once

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QTest>
#include <QUuid>
#include <QVariant>

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
