#include "DateGroup.h"

#include <QLocale>

namespace qalam {

DateGroup DateGroup::of(const QDate &day, const QDate &today)
{
    const qint64 daysAgo = day.daysTo(today);
    if (daysAgo <= 0)
        return {Kind::Today, {}};
    if (daysAgo == 1)
        return {Kind::Yesterday, {}};
    if (daysAgo <= 7)
        return {Kind::Previous7Days, {}};
    if (daysAgo <= 30)
        return {Kind::Previous30Days, {}};
    return {Kind::Month, QDate(day.year(), day.month(), 1)};
}

QString DateGroup::title(const QLocale &locale) const
{
    switch (m_kind) {
    case Kind::Today:
        return tr("Today");
    case Kind::Yesterday:
        return tr("Yesterday");
    case Kind::Previous7Days:
        return tr("Previous 7 days");
    case Kind::Previous30Days:
        return tr("Previous 30 days");
    case Kind::Month:
        break;
    }
    // The standalone month name: a heading, not part of a date (the two differ in some languages).
    return locale.standaloneMonthName(m_month.month(), QLocale::LongFormat) + u' ' +
           locale.toString(m_month, QStringLiteral("yyyy"));
}

} // namespace qalam
