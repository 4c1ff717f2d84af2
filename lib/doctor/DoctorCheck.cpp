#include "doctor/DoctorCheck.h"

namespace qalam::doctor {

QString DoctorCheck::verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Pass:
        return QStringLiteral("pass");
    case Verdict::Warn:
        return QStringLiteral("warn");
    case Verdict::Fail:
        return QStringLiteral("fail");
    case Verdict::Skip:
        break;
    }
    return QStringLiteral("skip");
}

} // namespace qalam::doctor
