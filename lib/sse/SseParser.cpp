#include "sse/SseParser.h"

#include "sse/Utf8Decoder.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace qalam {

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";

// Finds the first CR or LF in [from, end), from < end. The two memchr results are remembered by the
// caller so a chunk full of short lines is scanned once, not once per line.
struct EolScanner
{
    const char *end;
    const char *nextLf = nullptr;
    const char *nextCr = nullptr;

    const char *find(const char *from)
    {
        // The blank line that ends every event: no call needed to find it.
        if (*from == '\n' || *from == '\r')
            return from;
        if (nextLf < from)
            nextLf = scan(from, '\n');
        if (nextCr < from)
            nextCr = scan(from, '\r');
        return std::min(nextLf, nextCr);
    }

    const char *scan(const char *from, char c) const
    {
        const void *hit = std::memchr(from, c, size_t(end - from));
        return hit ? static_cast<const char *>(hit) : end;
    }
};

bool allAsciiDigits(QByteArrayView value)
{
    return !value.isEmpty() &&
           std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

qint64 saturatingParse(QByteArrayView digits)
{
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    qint64 value = 0;
    for (char c : digits) {
        const int digit = c - '0';
        if (value > (max - digit) / 10)
            return max;
        value = value * 10 + digit;
    }
    return value;
}

} // namespace

SseParser::SseParser(Handler &handler) : SseParser(handler, Limits()) {}

SseParser::SseParser(Handler &handler, Limits limits) : m_handler(handler), m_limits(limits) {}

QString SseParser::errorString() const
{
    switch (m_error) {
    case Error::None:
        return {};
    case Error::LineTooLong:
        return tr("the server sent a line longer than %1 bytes").arg(m_limits.maxLineBytes);
    case Error::EventTooLarge:
        return tr("the server sent an event larger than %1 bytes").arg(m_limits.maxEventBytes);
    }
    return {};
}

void SseParser::setLastEventId(const QString &id)
{
    m_lastEventId = id;
    m_lastEventIdBytes = id.toUtf8();
    m_idBuffer = m_lastEventIdBytes;
}

bool SseParser::fail(Error error)
{
    m_error = error;
    // Nothing buffered is useful any more; give the memory back at once. (fail() never runs
    // inside onEvent(), so no handler is looking at m_event.)
    m_partialLine = {};
    m_dataBytes = 0;
    m_event.data = QString();
    return false;
}

bool SseParser::feed(QByteArrayView bytes)
{
    if (m_error != Error::None)
        return false;
    m_halted = false;

    if (!m_headDone) {
        // The stream's first three bytes may be a BOM, and they may arrive one per chunk.
        const qsizetype take = std::min<qsizetype>(3 - m_head.size(), bytes.size());
        m_head.append(bytes.first(take));
        bytes = bytes.sliced(take);
        if (m_head.size() < 3 && QByteArrayView(kBom).startsWith(m_head))
            return true;
        m_headDone = true;
        QByteArray head = std::exchange(m_head, {});
        if (head != QByteArrayView(kBom) && !feed(head))
            return false;
        if (m_halted)
            return true;
    }

    const char *p = bytes.data();
    const char *const end = p + bytes.size();
    if (m_afterCR && p < end) {
        m_afterCR = false;
        if (*p == '\n')
            ++p;
    }

    EolScanner scanner{end};
    while (p < end) {
        const char *eol = scanner.find(p);
        const qsizetype pieceSize = eol - p;
        if (m_partialLine.size() + pieceSize > m_limits.maxLineBytes)
            return fail(Error::LineTooLong);
        if (eol == end) {
            m_partialLine.append(p, pieceSize);
            break;
        }

        QByteArrayView line(p, pieceSize);
        if (!m_partialLine.isEmpty()) {
            m_partialLine.append(line);
            line = m_partialLine;
        }
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end)
                m_afterCR = true;
            else if (*p == '\n')
                ++p;
        }

        processLine(line);
        // Keeps the capacity for the next long line. Tested first because resize(0) of a null
        // QByteArray is not free: it goes through reallocData() every time.
        if (!m_partialLine.isEmpty())
            m_partialLine.resize(0);
        if (m_error != Error::None)
            return false;
        if (m_halted)
            return true;
    }
    return true;
}

void SseParser::processLine(QByteArrayView line)
{
    if (line.isEmpty()) {
        dispatch();
        return;
    }
    // Nearly every line of a real stream is a data line: skip the general field parsing.
    if (line.size() >= 5 && std::memcmp(line.data(), "data:", 5) == 0) {
        QByteArrayView value = line.sliced(5);
        if (value.startsWith(' '))
            value = value.sliced(1);
        appendData(value);
        return;
    }
    if (line.front() == ':') {
        QByteArrayView text = line.sliced(1);
        if (text.startsWith(' '))
            text = text.sliced(1);
        m_handler.onComment(Utf8Decoder::decode(text));
        return;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        processField(line, {});
        return;
    }
    QByteArrayView value = line.sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    processField(line.first(colon), value);
}

void SseParser::processField(QByteArrayView name, QByteArrayView value)
{
    if (name == "data") {
        appendData(value);
    } else if (name == "event") {
        m_type.resize(0); // reuse the buffer: most streams name every event
        m_type.append(value);
    } else if (name == "id") {
        if (!value.contains('\0'))
            m_idBuffer = value.toByteArray();
    } else if (name == "retry") {
        if (allAsciiDigits(value)) {
            m_reconnectionTime = saturatingParse(value);
            m_handler.onRetry(m_reconnectionTime);
        }
    }
    // Any other field name is ignored, as the spec requires.
}

void SseParser::appendData(QByteArrayView value)
{
    if (m_dataBytes + value.size() + 1 > m_limits.maxEventBytes) {
        fail(Error::EventTooLarge);
        return;
    }
    QString &data = m_event.data;
    qsizetype at = 0;
    if (m_dataBytes == 0) {
        // A new event. If the handler kept the last event's data, that buffer is its now.
        if (!data.isDetached())
            data = QString();
    } else {
        at = data.size();
    }
    // The spec appends '\n' after every line and drops the last one at dispatch; a '\n' before
    // every line but the first gives the same text.
    const qsizetype separator = m_dataBytes == 0 ? 0 : 1;
    data.resize(at + separator + value.size()); // grows geometrically, keeps capacity
    char16_t *const begin = reinterpret_cast<char16_t *>(data.data());
    char16_t *out = begin + at;
    if (separator)
        *out++ = u'\n';
    data.truncate(Utf8Decoder::decodeInto(out, value) - begin);
    m_dataBytes += value.size() + 1;
}

void SseParser::dispatch()
{
    if (m_idBuffer != m_lastEventIdBytes) {
        m_lastEventIdBytes = m_idBuffer;
        m_lastEventId = Utf8Decoder::decode(m_lastEventIdBytes);
    }
    if (m_dataBytes == 0) {
        if (!m_type.isEmpty()) // see feed() for why resize(0) is guarded
            m_type.resize(0);
        return;
    }

    if (m_type.isEmpty()) {
        m_event.type = QStringLiteral("message"); // static data: no allocation, no refcount
    } else {
        if (m_type != m_cachedTypeBytes) {
            m_cachedTypeBytes = m_type;
            m_cachedType = Utf8Decoder::decode(m_type);
        }
        if (!m_event.type.isSharedWith(m_cachedType))
            m_event.type = m_cachedType;
    }
    if (!m_event.lastEventId.isSharedWith(m_lastEventId))
        m_event.lastEventId = m_lastEventId;
    // Reset before the callback: the handler may feed, end or reset the stream.
    m_dataBytes = 0;
    if (!m_type.isEmpty())
        m_type.resize(0);
    m_handler.onEvent(m_event);

    // One huge event should not pin its buffer for the rest of the stream.
    constexpr qsizetype kKeptCapacity = 64 * 1024;
    if (m_dataBytes == 0 && m_event.data.capacity() > kKeptCapacity)
        m_event.data = QString();
}

void SseParser::endOfStream()
{
    m_partialLine = {};
    // Only the data of an event being built is dropped: during onEvent() (m_dataBytes is 0
    // then) m_event is the handler's argument and must stay intact.
    if (m_dataBytes != 0) {
        m_dataBytes = 0;
        m_event.data = QString();
    }
    m_type = {};
    m_head = {};
    m_headDone = false;
    m_afterCR = false;
    m_halted = false;
    m_error = Error::None;
    // A new stream's id buffer starts from the id the last one established (as browsers do), so
    // an event without an `id` field after a reconnect keeps the id instead of wiping it.
    m_idBuffer = m_lastEventIdBytes;
}

void SseParser::reset()
{
    m_lastEventId.clear();
    m_lastEventIdBytes.clear();
    m_reconnectionTime = -1;
    endOfStream();
}

} // namespace qalam
