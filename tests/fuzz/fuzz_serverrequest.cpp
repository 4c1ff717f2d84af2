// fuzz_serverrequest: the demo server's request validation (lib/server/DemoRequest.h) and fault
// spec parsing (FaultInjection::parse) on arbitrary bytes. These are everything the server
// derives from a request's body, X-Qalam-Fault header or `fault` parameter and Last-Event-ID
// before acting. HTTP framing (HttpRequestReader) has its own target, fuzz_httprequestreader.
//
// Every input goes through all four parsers; each result is checked against what the handlers
// in DemoServer.cpp rely on (a usable request has a non-blank prompt; faults are in range).
#include "server/DemoRequest.h"
#include "server/FaultInjection.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace qalam::server;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_serverrequest: invariant violated: %s\n", what);
        std::abort();
    }
}

void checkFaults(QStringView spec)
{
    QString error;
    const auto faults = FaultInjection::parse(spec, &error);
    check(faults.has_value() == error.isEmpty(), "a fault spec neither parsed nor failed");
    if (!faults)
        return;
    check(faults->closeAfterEvents >= -1 && faults->closeAfterEvents <= 1000000,
          "close-after-events out of range");
    check(faults->closeAfterBytes >= -1 && faults->closeAfterBytes <= (qint64(1) << 40),
          "close-after-bytes out of range");
    check(faults->stallMs >= 0 && faults->stallMs <= 3600 * 1000, "stall out of range");
    check(faults->stallAfterEvents >= 0, "negative stall-after");
    check(faults->status == 0 || (faults->status >= 400 && faults->status <= 599),
          "status out of range");
    check(faults->retryAfterSeconds >= 0 && faults->retryAfterSeconds <= 86400,
          "retry-after out of range");
    check(faults->refusesRequest() == (faults->status != 0 || faults->htmlPage),
          "refusesRequest() inconsistent");
}

void checkChatRequest(const DemoChatRequest &request, bool admin)
{
    if (!request.error.isEmpty())
        return;
    check(!request.prompt.trimmed().isEmpty(), "an accepted request has a blank prompt");
    if (admin)
        check(request.language.isEmpty() || request.language == QLatin1String("ar") ||
                  request.language == QLatin1String("en"),
              "an accepted request has an unknown language");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    // The header arrives as bytes and is decoded as UTF-8; the query parameter is percent-decoded
    // text already. Both end up here.
    checkFaults(QString::fromUtf8(bytes));

    checkChatRequest(parseAdminStreamBody(bytes), true);
    checkChatRequest(parseCompletionsBody(bytes), false);

    const ResumePoint point = parseLastEventId(bytes);
    if (point.index >= 0)
        check(!point.streamId.isEmpty() && bytes.contains('.'),
              "a resume point without a stream id");
    return 0;
}
