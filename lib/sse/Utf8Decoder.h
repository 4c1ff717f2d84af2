// Utf8Decoder: WHATWG "UTF-8 decode" of one complete piece of text (a line or an event).
//
// Qt's decoder replaces every byte of a broken sequence with U+FFFD; the Encoding Standard
// replaces each *maximal subpart* once ("E2 82 41" is U+FFFD 'A', not U+FFFD U+FFFD 'A').
// Valid input (nearly all of it) takes Qt's vectorised path; only invalid input takes the
// byte-exact slow path here.
#pragma once

#include <QByteArrayView>
#include <QString>

namespace qalam::Utf8Decoder {

// Decodes without BOM handling: a U+FEFF inside the text is kept as data.
QString decode(QByteArrayView bytes);

// The slow path, exposed so tests can compare it with Qt on valid input.
QString decodeWhatwg(QByteArrayView bytes);

} // namespace qalam::Utf8Decoder
