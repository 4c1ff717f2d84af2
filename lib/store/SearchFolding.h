// SearchFolding: the form of text that search compares, so Arabic is found the way people type it.
//
// Model output often carries harakat and careful hamza spelling, while people type bare letters:
// "يوصل" must find "يُوصَل", "اعيد" must find "أعيد". Both the stored text (the folded columns of
// StoreSchema v4) and the query are folded the same way, and a match is a plain substring of the
// folded forms. The rules, in the order applied to each character:
//
// - Dropped: Arabic combining marks (harakat U+064B–U+065F, superscript alef U+0670, the
//   honorifics U+0610–U+061A and the Quranic annotation marks U+06D6–U+06ED), tatweel U+0640,
//   and invisible format characters (Unicode category Cf: ZWJ/ZWNJ, LRM/RLM and the other
//   direction controls, soft hyphen, BOM), which nobody types and which model output scatters.
// - A letter followed by a combining hamza or madda (U+0653–U+0655) or a Latin combining accent
//   (U+0300–U+036F) is composed first (NFC of the pair), so decomposed text folds like
//   precomposed text: ا + U+0654 is أ, then ا; و + U+0654 is ؤ, which stays.
// - Compatibility characters become their NFKC form, one character at a time: the Arabic
//   presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF: ﻷ is لأ, then لا; ﷲ is الله), Latin
//   ligatures (ﬁ), full-width letters, the no-break space. NFKC of the whole text is not used:
//   it cannot say which original characters a folded one came from.
// - Alef with hamza above/below, with madda, and alef wasla (أ إ آ ٱ) become bare alef ا; alef
//   maksura ى becomes ي; teh marbuta ة becomes ه (as Lucene's Arabic normaliser does). ؤ, ئ and ء
//   stay: they are separate keys on an Arabic keyboard and separate spellings.
// - Arabic-Indic and Extended (Persian) digits become ASCII digits: ٢٠٢٤ is found by 2024.
// - Everything else is case-folded (Unicode simple case folding): English is found in any case.
//
// The stored text itself is never changed; only the derived columns hold folded text. A change
// of these rules changes what is stored, so it needs a schema version that folds again.
//
// fold() also gives, for each folded UTF-16 unit, where its character starts in the original, so
// a match found in the folded text can be shown over the original text: find() returns the range
// in the original, from the first matched character to the end of the last one, including the
// harakat (and any other dropped character) written after it.
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace qalam {

class SearchFolding
{
public:
    struct Folded
    {
        QString text;
        // origins[i] is where the character that gave text[i] starts in the original;
        // origins[text.size()] is the original's length. Characters that expand (ﻻ is لا) give
        // several units the same origin.
        QList<qsizetype> origins;

        // The original range [start, end) that the folded range [start, start + length) came
        // from, including what was dropped after its last character.
        qsizetype originalStart(qsizetype start) const;
        qsizetype originalEnd(qsizetype start, qsizetype length) const;
    };

    // A range in the original text; start is -1 when there was no match.
    struct Match
    {
        qsizetype start = -1;
        qsizetype length = 0;
        bool isValid() const { return start >= 0; }
        bool operator==(const Match &other) const = default;
    };

    // The folded text alone (what the store writes into its folded columns).
    static QString fold(QStringView text);
    // The folded text with where each unit came from.
    static Folded foldWithOrigins(QStringView text);
    // The first occurrence of needle in haystack after folding both, in haystack's coordinates.
    // No match for a needle that folds to nothing (only harakat, say).
    static Match find(QStringView haystack, QStringView needle);
};

} // namespace qalam
