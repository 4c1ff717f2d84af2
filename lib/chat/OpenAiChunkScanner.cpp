#include "chat/OpenAiChunkScanner.h"

#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace qalam {

namespace {

// Deeper values than this in a part the protocol ignores (say, logprobs) are left to
// QJsonDocument rather than followed.
constexpr int kMaxSkipDepth = 16;

bool isHighSurrogate(char16_t c)
{
    return c >= 0xD800 && c <= 0xDBFF;
}
bool isLowSurrogate(char16_t c)
{
    return c >= 0xDC00 && c <= 0xDFFF;
}

// key == literal, inline: keys are compared several times per chunk.
template<qsizetype N> bool is(QStringView key, const char16_t (&literal)[N])
{
    return key.size() == N - 1 &&
           std::memcmp(key.utf16(), literal, (N - 1) * sizeof(char16_t)) == 0;
}

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

// A cursor over the text. Every reader returns false for anything outside the strict subset of
// JSON it accepts; the scan then stops and the chunk goes to QJsonDocument.
class Reader
{
public:
    explicit Reader(QStringView json, qsizetype from = 0)
        : m_begin(reinterpret_cast<const char16_t *>(json.utf16())), m_pos(m_begin + from),
          m_end(m_begin + json.size())
    {}

    qsizetype offset() const { return m_pos - m_begin; }

    void skipSpace()
    {
        while (m_pos != m_end &&
               (*m_pos == u' ' || *m_pos == u'\n' || *m_pos == u'\r' || *m_pos == u'\t'))
            ++m_pos;
    }
    // Skips white space, then takes `c` if it is next.
    bool take(char16_t c)
    {
        skipSpace();
        if (m_pos == m_end || *m_pos != c)
            return false;
        ++m_pos;
        return true;
    }
    bool atEnd()
    {
        skipSpace();
        return m_pos == m_end;
    }
    char16_t peek()
    {
        skipSpace();
        return m_pos == m_end ? u'\0' : *m_pos;
    }

    // A string; `raw` is what stands between the quotes and `escaped` whether it holds a
    // backslash. Accepts the escapes \" \\ \/ \b \f \n \r \t and \uXXXX for a code point that
    // is not a surrogate; refuses raw controls and lone surrogates.
    bool readString(QStringView &raw, bool &escaped)
    {
        if (!take(u'"'))
            return false;
        // QJsonDocument drops a U+FEFF that opens a string without escapes (its UTF-8 decoder
        // takes it for a byte order mark; found by fuzz_openaichunkscanner): left to it.
        if (m_pos != m_end && *m_pos == 0xFEFF)
            return false;
        const char16_t *const start = m_pos;
        escaped = false;
        while (m_pos != m_end) {
            skipOrdinaryBlocks();
            if (m_pos == m_end)
                break;
            const char16_t c = *m_pos;
            if (c == u'"') {
                raw = QStringView(start, m_pos - start);
                ++m_pos;
                return true;
            }
            if (c >= 0x20 && c != u'\\' && (c < 0xD800 || c > 0xDFFF)) {
                ++m_pos;
                continue;
            }
            if (c == u'\\') {
                escaped = true;
                if (!skipEscape())
                    return false;
                continue;
            }
            if (isHighSurrogate(c) && m_end - m_pos >= 2 && isLowSurrogate(m_pos[1])) {
                m_pos += 2;
                continue;
            }
            return false; // a raw control or a lone surrogate
        }
        return false;
    }

    // A string without any escape (keys, the model, the finish reason).
    bool readPlainString(QStringView &raw)
    {
        bool escaped = false;
        return readString(raw, escaped) && !escaped;
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)? with at most 15 digits on each side: exactly representable.
    bool skipNumber(qint64 *integer = nullptr)
    {
        skipSpace();
        const bool negative = m_pos != m_end && *m_pos == u'-';
        if (negative)
            ++m_pos;
        if (m_pos == m_end || *m_pos < u'0' || *m_pos > u'9')
            return false;
        qint64 value = 0;
        if (*m_pos == u'0') {
            ++m_pos;
        } else {
            int digits = 0;
            while (m_pos != m_end && *m_pos >= u'0' && *m_pos <= u'9') {
                value = value * 10 + (*m_pos++ - u'0');
                if (++digits > 15)
                    return false;
            }
        }
        bool fraction = false;
        if (m_pos != m_end && *m_pos == u'.') {
            fraction = true;
            ++m_pos;
            int decimals = 0;
            while (m_pos != m_end && *m_pos >= u'0' && *m_pos <= u'9') {
                ++m_pos;
                if (++decimals > 15)
                    return false;
            }
            if (decimals == 0)
                return false;
        }
        if (m_pos != m_end && (*m_pos == u'e' || *m_pos == u'E'))
            return false;
        if (integer) {
            if (fraction || negative)
                return false; // an index is a plain count
            *integer = value;
        }
        return true;
    }

    bool takeWord(QStringView word)
    {
        skipSpace();
        if (m_end - m_pos < word.size() || QStringView(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }
    bool takeNull() { return takeWord(u"null"); }

    // Any value of the subset, for members the protocol ignores.
    bool skipValue(int depth = 0)
    {
        if (depth > kMaxSkipDepth)
            return false;
        switch (peek()) {
        case u'"': {
            QStringView raw;
            bool escaped = false;
            return readString(raw, escaped);
        }
        case u'{':
            ++m_pos;
            if (take(u'}'))
                return true;
            do {
                QStringView key;
                bool escaped = false;
                if (!readString(key, escaped) || !take(u':') || !skipValue(depth + 1))
                    return false;
            } while (take(u','));
            return take(u'}');
        case u'[':
            ++m_pos;
            if (take(u']'))
                return true;
            do {
                if (!skipValue(depth + 1))
                    return false;
            } while (take(u','));
            return take(u']');
        case u't':
            return takeWord(u"true");
        case u'f':
            return takeWord(u"false");
        case u'n':
            return takeNull();
        default:
            return skipNumber();
        }
    }

private:
    // Skips 8-unit blocks holding no quote, backslash, control or surrogate: most of any string.
    void skipOrdinaryBlocks()
    {
#if defined(__SSE2__)
        const __m128i quote = _mm_set1_epi16(u'"');
        const __m128i backslash = _mm_set1_epi16(u'\\');
        const __m128i controlBits = _mm_set1_epi16(short(0xFFE0));
        const __m128i surrogateBits = _mm_set1_epi16(short(0xF800));
        const __m128i surrogate = _mm_set1_epi16(short(0xD800));
        const __m128i zero = _mm_setzero_si128();
        while (m_end - m_pos >= 8) {
            const __m128i units = _mm_loadu_si128(reinterpret_cast<const __m128i *>(m_pos));
            const __m128i special = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi16(units, quote), _mm_cmpeq_epi16(units, backslash)),
                _mm_or_si128(_mm_cmpeq_epi16(_mm_and_si128(units, controlBits), zero),
                             _mm_cmpeq_epi16(_mm_and_si128(units, surrogateBits), surrogate)));
            const int mask = _mm_movemask_epi8(special);
            if (mask != 0) {
                m_pos += __builtin_ctz(unsigned(mask)) / 2;
                return;
            }
            m_pos += 8;
        }
#endif
    }

    bool skipEscape()
    {
        ++m_pos; // the backslash
        if (m_pos == m_end)
            return false;
        switch (*m_pos++) {
        case u'"':
        case u'\\':
        case u'/':
        case u'b':
        case u'f':
        case u'n':
        case u'r':
        case u't':
            return true;
        case u'u': {
            if (m_end - m_pos < 4)
                return false;
            char32_t value = 0;
            for (int i = 0; i < 4; ++i) {
                const int digit = hexValue(*m_pos++);
                if (digit < 0)
                    return false;
                value = (value << 4) | char32_t(digit);
            }
            return value < 0xD800 || value > 0xDFFF; // surrogate escapes go to QJsonDocument
        }
        default:
            return false;
        }
    }

    const char16_t *m_begin;
    const char16_t *m_pos;
    const char16_t *m_end;
};

// The text of a string readString() accepted, escapes resolved.
QString decoded(QStringView raw, bool escaped)
{
    if (!escaped)
        return raw.toString();
    QString out(raw.size(), Qt::Uninitialized);
    QChar *dst = out.data();
    const QChar *src = raw.data();
    const QChar *const end = src + raw.size();
    while (src != end) {
        if (*src != u'\\') {
            *dst++ = *src++;
            continue;
        }
        ++src;
        const char16_t c = (src++)->unicode();
        switch (c) {
        case u'b':
            *dst++ = u'\b';
            break;
        case u'f':
            *dst++ = u'\f';
            break;
        case u'n':
            *dst++ = u'\n';
            break;
        case u'r':
            *dst++ = u'\r';
            break;
        case u't':
            *dst++ = u'\t';
            break;
        case u'u': {
            char16_t value = 0;
            for (int i = 0; i < 4; ++i)
                value = char16_t((value << 4) | hexValue((src++)->unicode()));
            *dst++ = value;
            break;
        }
        default: // " \ /
            *dst++ = c;
            break;
        }
    }
    out.truncate(dst - out.constData());
    return out;
}

// A string (into `out`) or null (`out` left as it is); false for anything else.
bool readOptionalString(Reader &reader, QString &out)
{
    if (reader.peek() == u'n')
        return reader.takeNull();
    QStringView raw;
    bool escaped = false;
    if (!reader.readString(raw, escaped))
        return false;
    out = decoded(raw, escaped);
    return true;
}

// {"content":…,"reasoning_content":…,"reasoning":…,"role":…,…}
bool readDelta(Reader &reader, OpenAiChunkScanner::Chunk &chunk)
{
    if (!reader.take(u'{'))
        return false;
    if (reader.take(u'}'))
        return true;
    bool seenContent = false;
    bool seenReasoningContent = false;
    bool seenReasoning = false;
    do {
        QStringView key;
        if (!reader.readPlainString(key) || !reader.take(u':'))
            return false;
        if (is(key, u"content")) {
            if (std::exchange(seenContent, true))
                return false;
            const bool isString = reader.peek() == u'"';
            const qsizetype start = reader.offset();
            if (!readOptionalString(reader, chunk.text))
                return false;
            if (isString) {
                chunk.contentStart = start;
                chunk.contentEnd = reader.offset();
            }
        } else if (is(key, u"reasoning_content")) {
            if (std::exchange(seenReasoningContent, true) ||
                !readOptionalString(reader, chunk.reasoningContent))
                return false;
        } else if (is(key, u"reasoning")) {
            if (std::exchange(seenReasoning, true) || !readOptionalString(reader, chunk.reasoning))
                return false;
        } else if (is(key, u"tool_calls") || is(key, u"function_call") || !reader.skipValue()) {
            // Tool calls are not shown, but not the common shape either.
            return false;
        }
    } while (reader.take(u','));
    return reader.take(u'}');
}

// {"index":0,"delta":{…},"logprobs":…,"finish_reason":…}; `first` tells whether its index is 0.
bool readChoice(Reader &reader, OpenAiChunkScanner::Chunk &chunk, bool &first)
{
    if (!reader.take(u'{'))
        return false;
    bool seenIndex = false;
    bool seenDelta = false;
    bool seenFinish = false;
    OpenAiChunkScanner::Chunk own; // a choice with another index is read, then dropped
    if (!reader.take(u'}')) {
        do {
            QStringView key;
            if (!reader.readPlainString(key) || !reader.take(u':'))
                return false;
            if (is(key, u"index")) {
                qint64 index = -1;
                if (std::exchange(seenIndex, true) || !reader.skipNumber(&index))
                    return false;
                first = index == 0;
            } else if (is(key, u"delta")) {
                if (std::exchange(seenDelta, true) || !readDelta(reader, own))
                    return false;
            } else if (is(key, u"finish_reason")) {
                if (std::exchange(seenFinish, true))
                    return false;
                if (reader.peek() == u'n') {
                    if (!reader.takeNull())
                        return false;
                } else if (!reader.readPlainString(own.finishReason)) {
                    return false;
                } else {
                    own.hasFinishReason = true;
                }
            } else if (!reader.skipValue()) {
                return false;
            }
        } while (reader.take(u','));
        if (!reader.take(u'}'))
            return false;
    }
    if (!seenIndex)
        return false; // the protocol reads a missing index as 0; rare enough to leave to it
    if (first) {
        chunk.text = std::move(own.text);
        chunk.reasoningContent = std::move(own.reasoningContent);
        chunk.reasoning = std::move(own.reasoning);
        chunk.finishReason = own.finishReason;
        chunk.hasFinishReason = own.hasFinishReason;
        chunk.contentStart = own.contentStart;
        chunk.contentEnd = own.contentEnd;
    }
    return true;
}

bool readChoices(Reader &reader, OpenAiChunkScanner::Chunk &chunk)
{
    if (!reader.take(u'['))
        return false;
    if (reader.take(u']'))
        return true;
    bool haveFirst = false;
    do {
        bool first = false;
        if (!readChoice(reader, chunk, first))
            return false;
        if (first && std::exchange(haveFirst, true))
            return false; // two choices with index 0: their texts would be joined
    } while (reader.take(u','));
    return reader.take(u']');
}

} // namespace

void OpenAiChunkScanner::reset()
{
    m_prefix.clear();
    m_suffix.clear();
    m_memo = Chunk();
    m_haveMemo = false;
}

bool OpenAiChunkScanner::scan(QStringView json, Chunk &chunk)
{
    if (m_haveMemo && scanLikeLast(json, chunk))
        return true;
    if (!scanChunk(json, chunk))
        return false;
    remember(json, chunk);
    return true;
}

// Within one answer every chunk is the same text around a different content string: the id,
// created, model, fingerprint and the rest repeat. When this chunk starts with exactly the text
// before the last chunk's content string and ends with exactly the text after it, reading it in
// full would give the last chunk's result with this content (a JSON string is self-delimiting,
// so the text around it is read the same way whatever it holds), and only the string is read.
bool OpenAiChunkScanner::scanLikeLast(QStringView json, Chunk &chunk) const
{
    if (json.size() < m_prefix.size() + 2 + m_suffix.size() || !json.startsWith(m_prefix) ||
        !json.endsWith(m_suffix))
        return false;
    Reader reader(json, m_prefix.size());
    QStringView raw;
    bool escaped = false;
    if (!reader.readString(raw, escaped) || reader.offset() != json.size() - m_suffix.size())
        return false;
    chunk = m_memo;
    chunk.text = decoded(raw, escaped);
    chunk.contentStart = m_prefix.size();
    chunk.contentEnd = reader.offset();
    return true;
}

void OpenAiChunkScanner::remember(QStringView json, const Chunk &chunk)
{
    if (chunk.contentStart < 0) {
        m_haveMemo = false;
        return;
    }
    const QStringView prefix = json.first(chunk.contentStart);
    const QStringView suffix = json.sliced(chunk.contentEnd);
    if (m_haveMemo && prefix == m_prefix && suffix == m_suffix)
        return;
    m_prefix = prefix.toString();
    m_suffix = suffix.toString();
    m_memo = chunk;
    m_memo.text.clear();
    // The views point into `json`, which goes away: into the copies instead.
    const auto move = [&](QStringView view) {
        const qsizetype at = view.data() - json.data();
        return at < chunk.contentStart
                   ? QStringView(m_prefix).sliced(at, view.size())
                   : QStringView(m_suffix).sliced(at - chunk.contentEnd, view.size());
    };
    if (chunk.hasModel)
        m_memo.model = move(chunk.model);
    if (chunk.hasFinishReason)
        m_memo.finishReason = move(chunk.finishReason);
    m_haveMemo = true;
}

bool OpenAiChunkScanner::scanChunk(QStringView json, Chunk &chunk)
{
    chunk = Chunk();
    Reader reader(json);
    if (!reader.take(u'{'))
        return false;
    bool seenObject = false;
    bool seenModel = false;
    bool seenChoices = false;
    bool seenUsage = false;
    if (!reader.take(u'}')) {
        do {
            QStringView key;
            if (!reader.readPlainString(key) || !reader.take(u':'))
                return false;
            if (is(key, u"choices")) {
                if (std::exchange(seenChoices, true) || !readChoices(reader, chunk))
                    return false;
            } else if (is(key, u"model")) {
                if (std::exchange(seenModel, true))
                    return false;
                if (reader.peek() == u'n') {
                    if (!reader.takeNull())
                        return false;
                } else if (!reader.readPlainString(chunk.model)) {
                    return false;
                } else {
                    chunk.hasModel = true;
                }
            } else if (is(key, u"object")) {
                QStringView object;
                if (std::exchange(seenObject, true) || !reader.readPlainString(object) ||
                    !is(object, u"chat.completion.chunk"))
                    return false;
            } else if (is(key, u"usage")) {
                // null while streaming; the one usage object per answer goes the general way
                if (std::exchange(seenUsage, true) || !reader.takeNull())
                    return false;
            } else if (is(key, u"error") || !reader.skipValue()) {
                return false; // an error goes the general way
            }
        } while (reader.take(u','));
        if (!reader.take(u'}'))
            return false;
    }
    return reader.atEnd();
}

} // namespace qalam
