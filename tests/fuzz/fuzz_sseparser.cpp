// fuzz_sseparser: SseParser on arbitrary bytes, fed whole and in several chunkings that the input
// itself chooses. Every chunking must give exactly the same events, comments, retry values,
// final state and error (the parser promises chunk-independence; a difference is a framing
// bug such as a CR/LF or BOM split mishandled at a chunk boundary). Violations abort, which
// libFuzzer reports as a crash with the input saved.
//
// Input layout: 4 header bytes, then the stream.
//   h[0] bit 0-1: limits (0, 1: defaults; 2: small limits from h[1] and h[2], so LineTooLong and
//                 EventTooLarge fire on small inputs; 3: small line limit only)
//   h[0] bit 2:   the stream is cut in two at a point chosen by h[3], with endOfStream() between
//                 (a reconnection: the last event id must carry over)
//   h[1..3]:      seed of the pseudo-random chunk sizes
#include "sse/SseParser.h"

#include <QList>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <variant>

namespace {

using qalam::SseEvent;
using qalam::SseParser;

struct Comment
{
    QString text;
    friend bool operator==(const Comment &, const Comment &) = default;
};
struct Retry
{
    qint64 milliseconds;
    friend bool operator==(const Retry &, const Retry &) = default;
};
using Record = std::variant<SseEvent, Comment, Retry>;

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_sseparser: invariant violated: %s\n", what);
        std::abort();
    }
}

class Recorder final : public SseParser::Handler
{
public:
    QList<Record> records;

    void onEvent(const SseEvent &event) override
    {
        // What the spec guarantees of a dispatched event, whatever the bytes were.
        check(!event.type.isEmpty(), "event type is empty");
        check(!event.type.contains(u'\r') && !event.type.contains(u'\n'), "line end in type");
        check(!event.data.contains(u'\r'), "CR in data");
        check(!event.lastEventId.contains(u'\0') && !event.lastEventId.contains(u'\r') &&
                  !event.lastEventId.contains(u'\n'),
              "NUL or line end in the last event id");
        records.append(event); // a copy: the parser reuses its buffers unless we keep one
    }
    void onComment(QStringView text) override
    {
        check(!text.contains(u'\r') && !text.contains(u'\n'), "line end in a comment");
        records.append(Comment{text.toString()});
    }
    void onRetry(qint64 milliseconds) override
    {
        check(milliseconds >= 0, "negative retry");
        records.append(Retry{milliseconds});
    }
};

struct Outcome
{
    QList<Record> records;
    SseParser::Error error = SseParser::Error::None;
    QString lastEventId;
    qint64 reconnectionTime = -1;
    friend bool operator==(const Outcome &, const Outcome &) = default;
};

// xorshift32: cheap, deterministic chunk sizes from the header bytes.
struct Rng
{
    quint32 state;
    quint32 next()
    {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state;
    }
};

enum class Chunking { Whole, Bytes, Random, AtLineEnds, Halves };

// Feeds `bytes` (one connection) cut as `chunking` says; false once the parser is in error.
bool feedSegment(SseParser &parser, QByteArrayView bytes, Chunking chunking, Rng &rng)
{
    auto feed = [&](qsizetype from, qsizetype to) {
        return parser.feed(bytes.sliced(from, to - from));
    };
    switch (chunking) {
    case Chunking::Whole:
        return parser.feed(bytes);
    case Chunking::Bytes:
        for (qsizetype i = 0; i < bytes.size(); ++i)
            if (!feed(i, i + 1))
                return false;
        return true;
    case Chunking::Random: {
        const quint32 maxChunk = 1 + rng.next() % 17;
        for (qsizetype at = 0; at < bytes.size();) {
            const qsizetype to = std::min<qsizetype>(bytes.size(), at + 1 + rng.next() % maxChunk);
            if (!feed(at, to))
                return false;
            at = to;
        }
        return true;
    }
    case Chunking::AtLineEnds: {
        // Cuts right after every CR and LF: between CR and LF of a CRLF, and before a blank line.
        qsizetype from = 0;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            if ((bytes[i] == '\r' || bytes[i] == '\n') && !feed(from, i + 1))
                return false;
            if (bytes[i] == '\r' || bytes[i] == '\n')
                from = i + 1;
        }
        return feed(from, bytes.size());
    }
    case Chunking::Halves: {
        const qsizetype middle = bytes.isEmpty() ? 0 : qsizetype(rng.next() % bytes.size());
        return feed(0, middle) && feed(middle, bytes.size());
    }
    }
    return true;
}

Outcome run(QByteArrayView stream, qsizetype cut, const SseParser::Limits &limits,
            Chunking chunking, quint32 seed)
{
    Recorder recorder;
    SseParser parser(recorder, limits);
    Rng rng{seed | 1};
    const QByteArrayView first = stream.first(cut);
    const QByteArrayView second = stream.sliced(cut);
    if (feedSegment(parser, first, chunking, rng) && cut < stream.size()) {
        parser.endOfStream(); // a reconnection: framing restarts, the last event id persists
        check(parser.error() == SseParser::Error::None, "endOfStream() kept an error");
        feedSegment(parser, second, chunking, rng);
    }
    check((parser.error() == SseParser::Error::None) == parser.errorString().isEmpty(),
          "errorString() disagrees with error()");
    // A parser in error ignores input until the stream ends.
    if (parser.error() != SseParser::Error::None) {
        check(!parser.feed("data: x\n\n"), "a parser in error accepted input");
    }
    Outcome outcome{recorder.records, parser.error(), parser.lastEventId(),
                    parser.reconnectionTime()};
    parser.endOfStream();
    check(parser.error() == SseParser::Error::None, "endOfStream() did not clear the error");
    return outcome;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 4)
        return 0;
    const std::uint8_t *header = data;
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 4), qsizetype(size - 4));

    SseParser::Limits limits;
    switch (header[0] & 3) {
    case 2:
        limits.maxLineBytes = 1 + header[1] % 64;
        limits.maxEventBytes = 1 + header[2] % 128;
        break;
    case 3:
        limits.maxLineBytes = 1 + header[1] % 64;
        break;
    default:
        break;
    }
    const qsizetype cut =
        (header[0] & 4) ? qsizetype(header[3]) * stream.size() / 256 : stream.size();
    const quint32 seed = quint32(header[1]) << 16 | quint32(header[2]) << 8 | header[3];

    const Outcome whole = run(stream, cut, limits, Chunking::Whole, seed);
    for (Chunking chunking :
         {Chunking::Bytes, Chunking::Random, Chunking::AtLineEnds, Chunking::Halves}) {
        check(run(stream, cut, limits, chunking, seed) == whole,
              "a chunking changed the events, comments, retries, final state or error");
    }
    return 0;
}
