#include "doctor/EventTimeline.h"

#include "sse/SseParser.h"

namespace qalam::doctor {

namespace {

class Collector final : public SseParser::Handler
{
public:
    explicit Collector(EventTimeline &timeline) : m_timeline(timeline) {}
    qint64 now = 0;

    void onEvent(const SseEvent &event) override { m_timeline.events.append({event, now}); }
    void onComment(QStringView) override { m_timeline.commentTimes.append(now); }
    void onRetry(qint64 milliseconds) override
    {
        if (m_timeline.retryMs < 0)
            m_timeline.retryMs = milliseconds;
    }

private:
    EventTimeline &m_timeline;
};

// Where a byte sequence stops being UTF-8 (RFC 3629: no overlongs, surrogates or values past
// U+10FFFF), carried across chunks; -1 while it is fine.
class Utf8Validator
{
public:
    // Returns the offset within `bytes` of the first byte of a bad sequence, or -1.
    qsizetype feed(QByteArrayView bytes)
    {
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            const auto b = static_cast<unsigned char>(bytes[i]);
            if (m_needed == 0) {
                if (b < 0x80)
                    continue;
                if (b >= 0xC2 && b <= 0xDF) {
                    m_needed = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    m_needed = 2;
                    m_low = b == 0xE0 ? 0xA0 : 0x80;
                    m_high = b == 0xED ? 0x9F : 0xBF;
                    continue;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    m_needed = 3;
                    m_low = b == 0xF0 ? 0x90 : 0x80;
                    m_high = b == 0xF4 ? 0x8F : 0xBF;
                    continue;
                } else {
                    return i;
                }
                m_low = 0x80;
                m_high = 0xBF;
                continue;
            }
            if (b < m_low || b > m_high)
                return i;
            m_low = 0x80;
            m_high = 0xBF;
            --m_needed;
        }
        return -1;
    }
    bool inSequence() const { return m_needed > 0; }

private:
    int m_needed = 0;
    unsigned char m_low = 0x80;
    unsigned char m_high = 0xBF;
};

} // namespace

EventTimeline EventTimeline::read(const CapturedResponse &response)
{
    EventTimeline timeline;
    Collector collector(timeline);
    SseParser parser(collector);
    Utf8Validator utf8;
    qint64 offset = 0;
    for (const CapturedChunk &chunk : response.chunks) {
        collector.now = chunk.atMs;
        if (timeline.firstInvalidUtf8 < 0) {
            if (const qsizetype bad = utf8.feed(chunk.bytes); bad >= 0) {
                timeline.firstInvalidUtf8 = offset + bad;
                timeline.invalidUtf8AtMs = chunk.atMs;
            }
        }
        offset += chunk.bytes.size();
        if (!timeline.parseFailed && !parser.feed(chunk.bytes))
            timeline.parseFailed = true;
    }
    // A body that ends inside a character was cut there (by the server, or by our own stop).
    if (timeline.firstInvalidUtf8 < 0 && utf8.inSequence() && !response.stoppedByUs &&
        response.networkError.isEmpty()) {
        timeline.firstInvalidUtf8 = offset;
        timeline.invalidUtf8AtMs = response.endedAtMs;
    }
    return timeline;
}

} // namespace qalam::doctor
