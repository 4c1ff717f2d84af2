#include "Utf8Encoding.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace qalam::cli {

namespace {

// Encodes the non-ASCII code unit at src (src < end) and returns the first unit not consumed.
// Matches QString::toUtf8(): a surrogate pair is one 4-byte sequence, any other surrogate is '?'.
const char16_t *encodeNonAscii(const char16_t *src, const char16_t *end, char *&dst)
{
    const char16_t c = *src++;
    if (c < 0x800) {
        *dst++ = char(0xC0 | (c >> 6));
        *dst++ = char(0x80 | (c & 0x3F));
    } else if (c < 0xD800 || c > 0xDFFF) {
        *dst++ = char(0xE0 | (c >> 12));
        *dst++ = char(0x80 | ((c >> 6) & 0x3F));
        *dst++ = char(0x80 | (c & 0x3F));
    } else if (c <= 0xDBFF && src != end && *src >= 0xDC00 && *src <= 0xDFFF) {
        const char32_t codePoint = 0x10000 + ((char32_t(c) - 0xD800) << 10) + (*src++ - 0xDC00);
        *dst++ = char(0xF0 | (codePoint >> 18));
        *dst++ = char(0x80 | ((codePoint >> 12) & 0x3F));
        *dst++ = char(0x80 | ((codePoint >> 6) & 0x3F));
        *dst++ = char(0x80 | (codePoint & 0x3F));
    } else {
        *dst++ = '?';
    }
    return src;
}

// The characters written as \uXXXX although JSON would allow them raw. C1 controls (U+0080..
// U+009F) and DEL act on a terminal like ESC does (U+009B is CSI), and `events` output is often
// just looked at; U+2028 and U+2029 end a line in JavaScript and in some line-oriented tools.
// Escaped, each is still the same character to every JSON parser.
bool needsUnicodeEscape(char16_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

// Makes room for `bytes` more bytes at the end and returns where writing starts; finish() trims
// the buffer to what was written. A reused buffer keeps its capacity, so this rarely allocates.
char *reserveTail(QByteArray &out, qsizetype bytes)
{
    const qsizetype start = out.size();
    out.resize(start + bytes);
    return out.data() + start;
}

void finish(QByteArray &out, const char *dst)
{
    out.resize(dst - out.constData());
}

#if defined(__SSE2__)
// Copies 8-unit blocks of ASCII as bytes, up to the first unit that needs more than a copy: any
// non-ASCII unit and, when `json` is true, a control, DEL, '"' or '\\'. Returns that unit (or
// where fewer than 8 units are left); the caller handles it, then calls again.
template<bool json>
const char16_t *copyAsciiBlocks(const char16_t *src, const char16_t *end, char *&dst)
{
    const __m128i highBits = _mm_set1_epi16(short(0xFF80));
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i del = _mm_set1_epi8(0x7F);
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    while (end - src >= 8) {
        const __m128i units = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src));
        // Signed saturation: a unit from 0x80 to 0x7FFF becomes a byte >= 0x80 (negative as a
        // signed byte) and one from 0x8000 up (negative as a signed unit) becomes 0; for JSON
        // both count as "less than a space".
        const __m128i bytes = _mm_packus_epi16(units, units);
        unsigned mask = 0;
        if constexpr (json) {
            const __m128i special = _mm_or_si128(
                _mm_or_si128(_mm_cmplt_epi8(bytes, space), _mm_cmpeq_epi8(bytes, del)),
                _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
            mask = unsigned(_mm_movemask_epi8(special)) & 0xFFU;
        } else {
            // Two bits per unit: set where the unit is >= 0x80.
            const unsigned ascii = unsigned(_mm_movemask_epi8(
                _mm_cmpeq_epi16(_mm_and_si128(units, highBits), _mm_setzero_si128())));
            const unsigned nonAscii = ~ascii & 0xFFFFU;
            mask = nonAscii == 0 ? 0 : 1U << (__builtin_ctz(nonAscii) / 2);
        }
        // The 8 bytes always fit (the caller reserved the worst case for every unit), so they
        // are stored whole and only the ordinary ones are kept.
        _mm_storel_epi64(reinterpret_cast<__m128i *>(dst), bytes);
        if (mask != 0) {
            const int ordinary = __builtin_ctz(mask);
            src += ordinary;
            dst += ordinary;
            return src;
        }
        src += 8;
        dst += 8;
    }
    return src;
}
#endif

} // namespace

void Utf8Encoding::append(QByteArray &out, QStringView text)
{
    const auto *src = reinterpret_cast<const char16_t *>(text.utf16());
    const char16_t *const end = src + text.size();
    char *dst = reserveTail(out, text.size() * 3); // a BMP unit takes at most 3 bytes
    while (src != end) {
#if defined(__SSE2__)
        src = copyAsciiBlocks<false>(src, end, dst);
        if (src == end)
            break;
#endif
        if (*src < 0x80)
            *dst++ = char(*src++);
        else
            src = encodeNonAscii(src, end, dst);
    }
    finish(out, dst);
}

void Utf8Encoding::appendJsonString(QByteArray &out, QStringView text)
{
    const auto *src = reinterpret_cast<const char16_t *>(text.utf16());
    const char16_t *const end = src + text.size();
    char *dst = reserveTail(out, text.size() * 6 + 2); // \uXXXX is the longest form
    *dst++ = '"';
    while (src != end) {
#if defined(__SSE2__)
        src = copyAsciiBlocks<true>(src, end, dst);
        if (src == end)
            break;
#endif
        const char16_t c = *src;
        if (c >= 0x20 && c < 0x7F && c != u'"' && c != u'\\') {
            *dst++ = char(c);
            ++src;
            continue;
        }
        if (!needsUnicodeEscape(c) && c != u'"' && c != u'\\') {
            src = encodeNonAscii(src, end, dst);
            continue;
        }
        ++src;
        *dst++ = '\\';
        switch (c) {
        case u'"':
            *dst++ = '"';
            break;
        case u'\\':
            *dst++ = '\\';
            break;
        case u'\n':
            *dst++ = 'n';
            break;
        case u'\r':
            *dst++ = 'r';
            break;
        case u'\t':
            *dst++ = 't';
            break;
        default: {
            static constexpr char hex[] = "0123456789abcdef";
            *dst++ = 'u';
            *dst++ = hex[(c >> 12) & 0xF];
            *dst++ = hex[(c >> 8) & 0xF];
            *dst++ = hex[(c >> 4) & 0xF];
            *dst++ = hex[c & 0xF];
            break;
        }
        }
    }
    *dst++ = '"';
    finish(out, dst);
}

} // namespace qalam::cli
