// FaultInjection: the failures a demo or a test asks the server to stage, so clients can be
// watched recovering from them (see docs/server.md for the exact syntax).
//
// A fault spec is a comma-separated list such as `close-after-events=3,split`. It comes from the
// request's `X-Qalam-Fault` header, else its `fault` query parameter, else the server's options.
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace qalam::server {

class HttpRequest;

struct FaultInjection
{
    int closeAfterEvents = -1;   // close the connection after this many events (-1: never)
    qint64 closeAfterBytes = -1; // close after this many body bytes, even inside an event
    int stallMs = 0;             // go completely silent this long (no heartbeats either) ...
    int stallAfterEvents = 1;    // ... after this many events of the connection
    bool splitWrites = false;    // CRLF line endings, each event written in pieces split inside
                                 // a multi-byte UTF-8 sequence and between CR and LF
    int status = 0;              // answer this HTTP status (4xx/5xx) with a JSON error
    int retryAfterSeconds = 2;   // Retry-After of a 429 or 503
    bool htmlPage = false;       // answer an HTML error page with status 200
    // What a misconfigured backend or proxy does, for `qalam-cli doctor` to find:
    bool noIds = false;        // admin events without `id:` lines (nothing can resume)
    bool plainHeaders = false; // only Content-Type: no Cache-Control, no X-Accel-Buffering
    bool badUtf8 = false;      // one invalid UTF-8 byte inside the first delta's text
    bool burst = false;        // the whole body held back and sent at the end, as a buffering
                               // proxy does

    static constexpr const char *headerName = "X-Qalam-Fault";
    static constexpr const char *queryName = "fault";

    bool isEmpty() const;
    // Faults that replace the stream with a different response.
    bool refusesRequest() const { return status != 0 || htmlPage; }

    // Parses a spec; on failure returns nothing and says why in `error`.
    static std::optional<FaultInjection> parse(QStringView spec, QString *error);
    // The request's own faults, else `defaults`; nothing (with `error`) when the spec is bad.
    static std::optional<FaultInjection>
    fromRequest(const HttpRequest &request, const FaultInjection &defaults, QString *error);
};

} // namespace qalam::server
