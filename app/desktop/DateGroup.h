// DateGroup: the heading a conversation is listed under in the sidebar, by its last activity:
// Today, Yesterday, Previous 7 days, Previous 30 days, then one heading per month ("October 2026",
// in Arabic "أكتوبر ٢٠٢٦" with the locale's month names). Days are local calendar days; a date in
// the future (a clock set back) counts as today. Pure, so the boundaries are tested exactly.
#pragma once

#include <QCoreApplication>
#include <QDate>

class QLocale;

namespace qalam {

class DateGroup
{
    Q_DECLARE_TR_FUNCTIONS(qalam::DateGroup)

public:
    enum class Kind { Today, Yesterday, Previous7Days, Previous30Days, Month };

    // The group of a conversation last active on `day`, seen on `today`.
    static DateGroup of(const QDate &day, const QDate &today);

    Kind kind() const { return m_kind; }
    // The first day of the month, for Kind::Month; null otherwise.
    QDate month() const { return m_month; }
    QString title(const QLocale &locale) const;

    bool operator==(const DateGroup &other) const = default;

private:
    DateGroup(Kind kind, QDate month) : m_kind(kind), m_month(month) {}

    Kind m_kind;
    QDate m_month;
};

} // namespace qalam
