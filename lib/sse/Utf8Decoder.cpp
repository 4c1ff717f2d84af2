#include "sse/Utf8Decoder.h"

#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace qalam::Utf8Decoder {

namespace {

// Decodes the multi-byte sequence (or broken byte) at src, src < end and *src >= 0x80, as the
// Encoding Standard's UTF-8 decoder would; returns the first byte not consumed. A byte that
// breaks a sequence is not consumed: it starts the next one ("prepend to stream").
const uchar *decodeSequence(const uchar *src, const uchar *end, char16_t *&out)
{
    const unsigned lead = *src++;
    char32_t codePoint;
    int needed;
    unsigned lower = 0x80;
    unsigned upper = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        needed = 1;
        codePoint = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        needed = 2;
        codePoint = lead & 0xF;
        if (lead == 0xE0)
            lower = 0xA0; // overlong
        else if (lead == 0xED)
            upper = 0x9F; // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        needed = 3;
        codePoint = lead & 0x7;
        if (lead == 0xF0)
            lower = 0x90; // overlong
        else if (lead == 0xF4)
            upper = 0x8F; // beyond U+10FFFF
    } else {
        *out++ = QChar::ReplacementCharacter;
        return src;
    }
    for (; needed > 0; --needed) {
        if (src == end || *src < lower || *src > upper) {
            *out++ = QChar::ReplacementCharacter; // one U+FFFD per maximal subpart
            return src;
        }
        codePoint = (codePoint << 6) | (*src++ & 0x3F);
        lower = 0x80;
        upper = 0xBF;
    }
    if (codePoint >= 0x10000) {
        *out++ = QChar::highSurrogate(codePoint);
        *out++ = QChar::lowSurrogate(codePoint);
    } else {
        *out++ = char16_t(codePoint);
    }
    return src;
}

} // namespace

char16_t *decodeInto(char16_t *out, QByteArrayView bytes)
{
    // Output never outruns input (one unit per byte at most: a 4-byte sequence makes 2, a
    // broken subpart of k bytes makes 1), so writing a whole 16-unit block is in bounds as long
    // as 16 input bytes remain, even if only some of them turn out to be ASCII.
    const auto *src = reinterpret_cast<const uchar *>(bytes.data());
    const uchar *const end = src + bytes.size();
    while (src < end) {
#if defined(__SSE2__)
        const __m128i zero = _mm_setzero_si128();
        while (end - src >= 16) {
            const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src));
            _mm_storeu_si128(reinterpret_cast<__m128i *>(out), _mm_unpacklo_epi8(block, zero));
            _mm_storeu_si128(reinterpret_cast<__m128i *>(out + 8), _mm_unpackhi_epi8(block, zero));
            if (const unsigned nonAscii = unsigned(_mm_movemask_epi8(block))) {
                const int ascii = std::countr_zero(nonAscii);
                src += ascii;
                out += ascii;
                break;
            }
            src += 16;
            out += 16;
        }
#else
        // Portable: eight bytes at a time while they are all ASCII.
        while (end - src >= 8) {
            quint64 word;
            std::memcpy(&word, src, sizeof word);
            if (word & 0x8080808080808080ULL)
                break;
            for (int i = 0; i < 8; ++i)
                out[i] = src[i];
            src += 8;
            out += 8;
        }
#endif
        // The tail of the input, and the bytes around non-ASCII text.
        while (src < end) {
            if (*src < 0x80) {
                *out++ = *src++;
                // Back to the block loop once an ASCII run might pay for it.
                if (src < end && *src < 0x80 && end - src >= 16)
                    break;
            } else {
                src = decodeSequence(src, end, out);
            }
        }
    }
    return out;
}

QString decode(QByteArrayView bytes)
{
    QString out(bytes.size(), Qt::Uninitialized);
    auto *begin = reinterpret_cast<char16_t *>(out.data());
    out.truncate(decodeInto(begin, bytes) - begin);
    return out;
}

QString decodeWhatwg(QByteArrayView bytes)
{
    // Straight transcription of the Encoding Standard's UTF-8 decoder (section 9.1.1).
    QString out;
    out.reserve(bytes.size());
    char32_t codePoint = 0;
    int bytesSeen = 0;
    int bytesNeeded = 0;
    unsigned lower = 0x80;
    unsigned upper = 0xBF;
    const auto emit = [&out](char32_t cp) {
        if (cp >= 0x10000) {
            out.append(QChar(QChar::highSurrogate(cp)));
            out.append(QChar(QChar::lowSurrogate(cp)));
        } else {
            out.append(QChar(char16_t(cp)));
        }
    };
    for (qsizetype i = 0; i < bytes.size();) {
        const unsigned byte = static_cast<unsigned char>(bytes[i]);
        if (bytesNeeded == 0) {
            ++i;
            if (byte <= 0x7F) {
                emit(byte);
            } else if (byte >= 0xC2 && byte <= 0xDF) {
                bytesNeeded = 1;
                codePoint = byte & 0x1F;
            } else if (byte >= 0xE0 && byte <= 0xEF) {
                if (byte == 0xE0)
                    lower = 0xA0;
                if (byte == 0xED)
                    upper = 0x9F;
                bytesNeeded = 2;
                codePoint = byte & 0xF;
            } else if (byte >= 0xF0 && byte <= 0xF4) {
                if (byte == 0xF0)
                    lower = 0x90;
                if (byte == 0xF4)
                    upper = 0x8F;
                bytesNeeded = 3;
                codePoint = byte & 0x7;
            } else {
                emit(QChar::ReplacementCharacter);
            }
            continue;
        }
        if (byte < lower || byte > upper) {
            // The byte is not consumed: it starts the next sequence ("prepend to stream").
            codePoint = 0;
            bytesNeeded = bytesSeen = 0;
            lower = 0x80;
            upper = 0xBF;
            emit(QChar::ReplacementCharacter);
            continue;
        }
        ++i;
        lower = 0x80;
        upper = 0xBF;
        codePoint = (codePoint << 6) | (byte & 0x3F);
        if (++bytesSeen == bytesNeeded) {
            emit(codePoint);
            codePoint = 0;
            bytesNeeded = bytesSeen = 0;
        }
    }
    if (bytesNeeded != 0)
        emit(QChar::ReplacementCharacter);
    return out;
}

} // namespace qalam::Utf8Decoder
