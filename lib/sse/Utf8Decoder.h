// Utf8Decoder: WHATWG "UTF-8 decode" of one complete piece of text (a line or an event).
//
// Qt's decoder replaces every byte of a broken sequence with U+FFFD; the Encoding Standard
// replaces each *maximal subpart* once ("E2 82 41" is U+FFFD 'A', not U+FFFD U+FFFD 'A').
// decodeInto() does the standard's algorithm in one pass, with a vectorised path for ASCII runs,
// so valid and broken input alike cost one read of the bytes and one write of the result.
#pragma once

#include <QByteArrayView>
#include <QString>

namespace qalam::Utf8Decoder {

// Decodes without BOM handling: a U+FEFF inside the text is kept as data.
QString decode(QByteArrayView bytes);

// Decodes into out, which must have room for bytes.size() UTF-16 code units (the most any
// input can need); returns the end of what was written. Lets a caller reuse its buffer.
char16_t *decodeInto(char16_t *out, QByteArrayView bytes);

// A plain transcription of the standard, kept as the reference the tests compare with.
QString decodeWhatwg(QByteArrayView bytes);

} // namespace qalam::Utf8Decoder
