#include "Utf8Decoder.h"

#include <QStringDecoder>

namespace qalam::Utf8Decoder {

QString decode(QByteArrayView bytes)
{
    if (bytes.isValidUtf8()) {
        // ConvertInitialBom: framing already removed the stream's BOM; any other U+FEFF is data.
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                         QStringDecoder::Flag::ConvertInitialBom);
        return decoder.decode(bytes);
    }
    return decodeWhatwg(bytes);
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
