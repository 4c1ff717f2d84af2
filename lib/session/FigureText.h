// FigureText: figures (times, rates, counts, sizes) and the short lines made of them ("first token
// 318 ms · 17,093 chars/s"), as they read beside text in either language.
//
// - Numbers in the UI's locale with its digit grouping, always (١٠٦٬١١٥, 106,115), also where
//   the locale would omit it (the C locale of a test).
// - The separator between the parts of a line is translated: " · " in English, "، " (the Arabic
//   comma) in Arabic, where a middle dot beside Arabic-Indic digits reads as the digit zero
//   ("١٧٠ · حرف" looks like "١٧٠٠ حرف").
// - Each part is a bidi isolate (FSI … PDI), so a part's numbers, units and brackets never
//   reorder with the next part's ("My server (prod) · llama3" in the Arabic interface would
//   otherwise read as one left-to-right run). The line starts with the mark of the interface's
//   direction (RLM, LRM): a QLabel takes its direction from the first strong letter outside
//   isolates, and there is none. The marks are invisible.
//
// Pure: Qt Core only; used by the session's footers and the desktop's status bar.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace qalam {

class FigureText
{
    Q_DECLARE_TR_FUNCTIONS(qalam::FigureText)

public:
    static constexpr QChar firstStrongIsolate{0x2068};
    static constexpr QChar popDirectionalIsolate{0x2069};
    static constexpr QChar leftToRightMark{0x200E};
    static constexpr QChar rightToLeftMark{0x200F};

    static QString number(qint64 value);
    static QString number(double value, int decimals);
    // What goes between two parts of a line, in the UI's language.
    static QString separator();
    // `part` in an isolate of its own direction (its first strong letter's).
    static QString isolated(const QString &part);
    // The non-empty `parts`, each isolated, joined by separator(), after the mark of the
    // locale's direction; empty without any part.
    static QString join(const QStringList &parts);
    // `text` without the isolates and marks join() added (for comparing and copying).
    static QString withoutMarks(QString text);
};

} // namespace qalam
