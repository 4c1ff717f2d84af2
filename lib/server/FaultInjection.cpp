#include "server/FaultInjection.h"

#include "server/HttpRequest.h"

#include <QUrlQuery>

namespace qalam::server {

namespace {

std::optional<qint64> number(QStringView value, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 n = value.toLongLong(&ok);
    if (!ok || n < min || n > max)
        return std::nullopt;
    return n;
}

} // namespace

bool FaultInjection::isEmpty() const
{
    return closeAfterEvents < 0 && closeAfterBytes < 0 && stallMs == 0 && !splitWrites &&
           status == 0 && !htmlPage && !noIds && !plainHeaders && !badUtf8 && !burst;
}

std::optional<FaultInjection> FaultInjection::parse(QStringView spec, QString *error)
{
    FaultInjection faults;
    for (QStringView item : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        item = item.trimmed();
        if (item.isEmpty())
            continue;
        // `name=value` or `name:value`; the colon reads better inside a URL query.
        qsizetype separator = item.indexOf(QLatin1Char('='));
        if (separator < 0)
            separator = item.indexOf(QLatin1Char(':'));
        const QStringView name = separator < 0 ? item : item.left(separator).trimmed();
        const QStringView value = separator < 0 ? QStringView() : item.mid(separator + 1).trimmed();
        const auto fail = [&](const QString &why) {
            if (error)
                *error = QStringLiteral("bad fault '%1': %2").arg(item.toString(), why);
            return std::nullopt;
        };
        const auto needs = [&](qint64 min, qint64 max) -> std::optional<qint64> {
            const auto n = number(value, min, max);
            if (!n && error) {
                *error = QStringLiteral("bad fault '%1': expected a whole number from %2 to %3")
                             .arg(item.toString())
                             .arg(min)
                             .arg(max);
            }
            return n;
        };

        if (name == QLatin1String("close-after-events")) {
            const auto n = needs(0, 1000000);
            if (!n)
                return std::nullopt;
            faults.closeAfterEvents = int(*n);
        } else if (name == QLatin1String("close-after-bytes")) {
            const auto n = needs(0, qint64(1) << 40);
            if (!n)
                return std::nullopt;
            faults.closeAfterBytes = *n;
        } else if (name == QLatin1String("stall")) {
            bool ok = false;
            const double seconds = value.toDouble(&ok);
            if (!ok || seconds <= 0 || seconds > 3600)
                return fail(QStringLiteral("expected seconds, more than 0 and at most 3600"));
            faults.stallMs = qMax(1, int(seconds * 1000.0));
        } else if (name == QLatin1String("stall-after")) {
            const auto n = needs(0, 1000000);
            if (!n)
                return std::nullopt;
            faults.stallAfterEvents = int(*n);
        } else if (name == QLatin1String("split")) {
            if (!value.isEmpty())
                return fail(QStringLiteral("takes no value"));
            faults.splitWrites = true;
        } else if (name == QLatin1String("status")) {
            const auto n = needs(400, 599);
            if (!n)
                return std::nullopt;
            faults.status = int(*n);
        } else if (name == QLatin1String("retry-after")) {
            const auto n = needs(0, 86400);
            if (!n)
                return std::nullopt;
            faults.retryAfterSeconds = int(*n);
        } else if (bool *flag = name == QLatin1String("html")            ? &faults.htmlPage
                                : name == QLatin1String("no-ids")        ? &faults.noIds
                                : name == QLatin1String("plain-headers") ? &faults.plainHeaders
                                : name == QLatin1String("bad-utf8")      ? &faults.badUtf8
                                : name == QLatin1String("burst")         ? &faults.burst
                                                                         : nullptr) {
            if (!value.isEmpty())
                return fail(QStringLiteral("takes no value"));
            *flag = true;
        } else {
            return fail(QStringLiteral("unknown fault (known: close-after-events, "
                                       "close-after-bytes, stall, stall-after, split, status, "
                                       "retry-after, html, no-ids, plain-headers, bad-utf8, "
                                       "burst)"));
        }
    }
    return faults;
}

std::optional<FaultInjection> FaultInjection::fromRequest(const HttpRequest &request,
                                                          const FaultInjection &defaults,
                                                          QString *error)
{
    const QByteArray header = request.value(headerName);
    if (!header.isEmpty())
        return parse(QString::fromUtf8(header), error);
    const QUrlQuery query = request.query();
    if (query.hasQueryItem(QLatin1String(queryName)))
        return parse(query.queryItemValue(QLatin1String(queryName), QUrl::FullyDecoded), error);
    return defaults;
}

} // namespace qalam::server
