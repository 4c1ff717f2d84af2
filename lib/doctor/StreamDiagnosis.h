// StreamDiagnosis: the stream doctor's judgement. Given what was captured (a whole answer, a
// resume trial, a long run), says for each way streaming backends break whether this one does:
// pass, warn or fail, what was seen and the fix. Pure: no network, tested on captured values.
#pragma once

#include "capture/CapturedResponse.h"
#include "chat/ChatProtocol.h"
#include "doctor/DoctorCheck.h"

#include <optional>

namespace qalam::doctor {

using capture::CapturedResponse;

struct DiagnosisInput
{
    ChatProtocol::Kind protocol = ChatProtocol::Kind::AdminStream;
    CapturedResponse full; // one whole answer
    // The resume trial (streams with ids): a connection cut after a few events, then one that
    // sent the last id it saw as Last-Event-ID.
    std::optional<CapturedResponse> cut;
    std::optional<CapturedResponse> resumed;
    QString resumeId;
    std::optional<CapturedResponse> longRun; // --long: a stream watched for a while
    qint64 proxyTimeoutMs = 60000;           // the read timeout of the proxies in front
};

class StreamDiagnosis
{
public:
    // The check ids, in report order (docs/cli.md).
    static QStringList checkIds();
    static DoctorReport diagnose(const DiagnosisInput &input);
    static bool passed(const DoctorReport &report); // nothing failed
};

} // namespace qalam::doctor
