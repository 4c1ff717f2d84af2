// DoctorCheck: one verdict of the stream doctor, as a value: what was checked, pass / warn /
// fail, what was seen and, unless it passed, the fix. The ids are a contract (docs/cli.md,
// `qalam-cli doctor --json`).
#pragma once

#include <QList>
#include <QString>

namespace qalam::doctor {

struct DoctorCheck
{
    enum class Verdict { Pass, Warn, Fail, Skip };

    QString id; // e.g. "content-type"
    Verdict verdict = Verdict::Pass;
    QString seen;
    QString fix; // empty when there is nothing to do

    static QString verdictName(Verdict verdict); // "pass", "warn", "fail", "skip"
};

using DoctorReport = QList<DoctorCheck>;

} // namespace qalam::doctor
