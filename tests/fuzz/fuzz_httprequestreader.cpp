// fuzz_httprequestreader: the demo server's HTTP/1.x framing (lib/server/HttpRequestReader) on
// arbitrary bytes, as a client on the other end of a socket would send them.
//
// Input: 2 header bytes, then the connection's bytes. The first byte picks small limits, so
// 431 and 413 fire within inputs libFuzzer can reach; the second seeds how the bytes are cut.
// The connection is read whole, byte by byte, and in seeded random pieces: every reading must
// give the same requests (method, target, version, headers, de-chunked body) and end the same
// way (the same error status and code, or waiting for more in the same stage), since a socket
// may deliver any cut. Each request and error is checked against what HttpConnection relies on.
#include "server/HttpRequestReader.h"

#include <QList>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>

using namespace qalam::server;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_httprequestreader: invariant violated: %s\n", what);
        std::abort();
    }
}

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

struct Reading
{
    QList<HttpRequest> requests;
    HttpRequestReader::Outcome last = HttpRequestReader::Outcome::NeedMore;
    HttpRequestReader::Stage stage = HttpRequestReader::Stage::Idle;
    int errorStatus = 0;
    QString errorCode;
};

void checkRequest(const HttpRequest &request, const HttpRequestReader::Limits &limits)
{
    check(isToken(request.method), "a request's method is not a token");
    check(!request.target.isEmpty(), "a request's target is empty");
    for (const char c : request.target)
        check(static_cast<unsigned char>(c) > 0x20 && c != 0x7f,
              "a request's target holds a space or control byte");
    check(request.minorVersion >= 0 && request.minorVersion <= 9, "minor version out of range");
    check(request.body.size() <= limits.maxBodyBytes, "a body over the limit was accepted");
    for (const auto &[name, value] : request.headers) {
        check(isToken(name), "a header name is not a token");
        check(!value.contains('\r') && !value.contains('\n') && !value.contains('\0'),
              "a header value holds CR, LF or NUL");
        check(value == value.trimmed(), "a header value keeps surrounding whitespace");
    }
    check(!(request.hasHeader("Transfer-Encoding") && request.hasHeader("Content-Length")),
          "a request with both Transfer-Encoding and Content-Length was accepted");
}

// Reads `bytes` delivered in the pieces `cuts` gives (each the size of the next piece).
template<typename NextPiece>
Reading readConnection(const QByteArray &bytes, const HttpRequestReader::Limits &limits,
                       NextPiece nextPiece)
{
    HttpRequestReader reader(limits);
    Reading reading;
    QByteArray pending;
    qsizetype offset = 0;
    while (offset < bytes.size()) {
        const qsizetype piece = std::min(nextPiece(), bytes.size() - offset);
        pending.append(bytes.constData() + offset, piece);
        offset += piece;
        for (;;) {
            const qsizetype before = pending.size();
            reading.last = reader.read(pending);
            check(pending.size() <= before, "read() grew its input");
            if (reading.last == HttpRequestReader::Outcome::Request) {
                reading.requests.append(reader.takeRequest());
                check(reader.stage() == HttpRequestReader::Stage::Idle,
                      "not idle after takeRequest()");
                continue; // what is left may hold the next request already
            }
            break;
        }
        if (reading.last == HttpRequestReader::Outcome::Error)
            break;
        // Waiting for more never holds more than a head's worth of undecided bytes.
        check(pending.size() <= limits.maxHeadBytes + 2 ||
                  reader.stage() == HttpRequestReader::Stage::Body,
              "more than a head's worth of bytes held while waiting");
    }
    reading.stage = reader.stage();
    if (reading.last == HttpRequestReader::Outcome::Error) {
        const auto &error = reader.error();
        reading.errorStatus = error.status;
        reading.errorCode = error.code;
        check(error.status >= 400 && error.status <= 599, "error status out of range");
        check(!error.code.isEmpty() && !error.message.isEmpty(), "an error without code/message");
        QByteArray more("GET / HTTP/1.1\r\n\r\n");
        check(reader.read(more) == HttpRequestReader::Outcome::Error, "a failed reader read again");
    }
    for (const HttpRequest &request : reading.requests)
        checkRequest(request, limits);
    return reading;
}

bool sameRequest(const HttpRequest &a, const HttpRequest &b)
{
    return a.method == b.method && a.target == b.target && a.minorVersion == b.minorVersion &&
           a.headers == b.headers && a.body == b.body;
}

void checkSame(const Reading &whole, const Reading &other, const char *how)
{
    bool same = whole.requests.size() == other.requests.size() && whole.last == other.last &&
                whole.errorStatus == other.errorStatus && whole.errorCode == other.errorCode;
    for (qsizetype i = 0; same && i < whole.requests.size(); ++i)
        same = sameRequest(whole.requests[i], other.requests[i]);
    // Waiting for more: the stage may differ only if the bytes ran out at a boundary the other
    // reading had not reached yet, which cannot happen when all bytes were given to both.
    same =
        same && (whole.last != HttpRequestReader::Outcome::NeedMore || whole.stage == other.stage);
    if (!same) {
        std::fprintf(stderr,
                     "fuzz_httprequestreader: %s differs from whole: %lld vs %lld requests, "
                     "outcome %d vs %d, error %d %s vs %d %s\n",
                     how, static_cast<long long>(whole.requests.size()),
                     static_cast<long long>(other.requests.size()), int(whole.last),
                     int(other.last), whole.errorStatus, qPrintable(whole.errorCode),
                     other.errorStatus, qPrintable(other.errorCode));
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    HttpRequestReader::Limits limits;
    if (data[0] & 1) {
        limits.maxHeadBytes = 64 + (data[0] >> 1);
        limits.maxBodyBytes = data[0] >> 2;
    }
    const unsigned seed = data[1];
    const QByteArray bytes(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));

    const Reading whole = readConnection(bytes, limits, [&] { return bytes.size(); });
    checkSame(whole, readConnection(bytes, limits, [] { return qsizetype(1); }), "byte by byte");
    std::minstd_rand random(seed);
    std::uniform_int_distribution<int> pieceSize(1, 97);
    checkSame(whole, readConnection(bytes, limits, [&] { return qsizetype(pieceSize(random)); }),
              "random pieces");
    return 0;
}
