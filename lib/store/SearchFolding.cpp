#include "store/SearchFolding.h"

#include <QChar>

namespace qalam {

namespace {

constexpr char32_t bareAlef = 0x0627;
constexpr char32_t yeh = 0x064A;
constexpr char32_t heh = 0x0647;

bool isArabicBlock(char32_t c)
{
    return c >= 0x0600 && c <= 0x06FF;
}

bool isDropped(char32_t c)
{
    if (c < 0x00AD) // the first format character is the soft hyphen
        return false;
    // The Arabic block (most of the text here) is answered without the Unicode tables.
    if (isArabicBlock(c)) {
        if (c == 0x0640) // tatweel
            return true;
        if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x0610 && c <= 0x061A))
            return true;
        if (c >= 0x06D6 && c <= 0x06ED) {
            // The Quranic annotation block holds a few spacing signs and letters among its
            // marks: rub el hizb, small waw, small yeh, the place of sajdah.
            return c != 0x06DE && c != 0x06E5 && c != 0x06E6 && c != 0x06E9;
        }
        // Its format characters: the number signs, the Arabic letter mark.
        return c <= 0x0605 || c == 0x061C;
    }
    return QChar::category(c) == QChar::Other_Format;
}

// A mark that composes with the letter before it into a precomposed letter people also type.
bool composesWithBase(char32_t c)
{
    return (c >= 0x0653 && c <= 0x0655) || (c >= 0x0300 && c <= 0x036F);
}

char32_t mapped(char32_t c)
{
    switch (c) {
    case 0x0622: // آ
    case 0x0623: // أ
    case 0x0625: // إ
    case 0x0671: // ٱ
        return bareAlef;
    case 0x0649: // ى
        return yeh;
    case 0x0629: // ة
        return heh;
    default:
        break;
    }
    if (c < 0x80)
        return c >= U'A' && c <= U'Z' ? c + (U'a' - U'A') : c;
    if (isArabicBlock(c)) {
        if (c >= 0x0660 && c <= 0x0669)
            return U'0' + (c - 0x0660);
        if (c >= 0x06F0 && c <= 0x06F9)
            return U'0' + (c - 0x06F0);
        return c; // no case
    }
    return QChar::toCaseFolded(c);
}

bool hasCompatibilityForm(char32_t c)
{
    // ASCII has no decompositions, the Arabic block only its high-hamza letters; a table lookup
    // for everything else.
    if (c < 0xA0)
        return false;
    if (isArabicBlock(c))
        return c >= 0x0675 && c <= 0x0678;
    const QChar::Decomposition tag = QChar::decompositionTag(c);
    return tag != QChar::NoDecomposition && tag != QChar::Canonical;
}

QString fromCodePoint(char32_t c)
{
    return QString::fromUcs4(&c, 1);
}

// The code point at index (a lone surrogate is itself) and how many units it takes.
char32_t codePointAt(QStringView text, qsizetype index, qsizetype &units)
{
    const QChar c = text.at(index);
    if (c.isHighSurrogate() && index + 1 < text.size() && text.at(index + 1).isLowSurrogate()) {
        units = 2;
        return QChar::surrogateToUcs4(c, text.at(index + 1));
    }
    units = 1;
    return c.unicode();
}

template<bool withOrigins> void foldInto(QStringView text, QString &out, QList<qsizetype> *origins)
{
    // Written through a raw pointer into a buffer the size of the text (folding seldom makes it
    // longer; a ligature's expansion grows it): appending QChar by QChar costs as much as the
    // folding itself.
    out.resize(text.size());
    char16_t *buffer = reinterpret_cast<char16_t *>(out.data());
    qsizetype used = 0;
    if constexpr (withOrigins)
        origins->reserve(text.size() + 1);
    const auto unit = [&out, &buffer, &used, origins](char16_t u, qsizetype origin) {
        if (used == out.size()) {
            out.resize(out.size() * 2 + 8);
            buffer = reinterpret_cast<char16_t *>(out.data());
        }
        buffer[used++] = u;
        if constexpr (withOrigins)
            origins->append(origin);
    };
    const auto put = [&unit](char32_t c, qsizetype origin) {
        if (isDropped(c))
            return;
        c = mapped(c);
        if (QChar::requiresSurrogates(c)) {
            unit(QChar::highSurrogate(c), origin);
            unit(QChar::lowSurrogate(c), origin);
        } else {
            unit(char16_t(c), origin);
        }
    };

    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype start = i;
        qsizetype units = 0;
        char32_t c = codePointAt(text, i, units);
        i += units;
        if (isDropped(c))
            continue;
        if (i < text.size()) {
            qsizetype markUnits = 0;
            const char32_t mark = codePointAt(text, i, markUnits);
            if (composesWithBase(mark)) {
                const QList<uint> composed = (fromCodePoint(c) + fromCodePoint(mark))
                                                 .normalized(QString::NormalizationForm_C)
                                                 .toUcs4();
                if (composed.size() == 1) {
                    c = composed.front();
                    i += markUnits;
                }
            }
        }
        if (hasCompatibilityForm(c)) {
            const QList<uint> decomposed =
                fromCodePoint(c).normalized(QString::NormalizationForm_KC).toUcs4();
            for (const uint part : decomposed)
                put(part, start);
        } else {
            put(c, start);
        }
    }
    out.truncate(used);
    if constexpr (withOrigins)
        origins->append(text.size());
}

} // namespace

qsizetype SearchFolding::Folded::originalStart(qsizetype start) const
{
    return origins.at(start);
}

qsizetype SearchFolding::Folded::originalEnd(qsizetype start, qsizetype length) const
{
    if (length <= 0)
        return originalStart(start);
    // Past the units that share the last character's origin (an expansion, a surrogate pair),
    // to where the next kept character starts: what was dropped in between belongs to the match.
    const qsizetype last = origins.at(start + length - 1);
    qsizetype next = start + length;
    while (next < text.size() && origins.at(next) == last)
        ++next;
    return origins.at(next);
}

QString SearchFolding::fold(QStringView text)
{
    QString out;
    foldInto<false>(text, out, nullptr);
    return out;
}

SearchFolding::Folded SearchFolding::foldWithOrigins(QStringView text)
{
    Folded folded;
    foldInto<true>(text, folded.text, &folded.origins);
    return folded;
}

SearchFolding::Match SearchFolding::find(QStringView haystack, QStringView needle)
{
    const QString foldedNeedle = fold(needle);
    if (foldedNeedle.isEmpty())
        return {};
    const Folded folded = foldWithOrigins(haystack);
    const qsizetype at = folded.text.indexOf(foldedNeedle);
    if (at < 0)
        return {};
    const qsizetype start = folded.originalStart(at);
    return {start, folded.originalEnd(at, foldedNeedle.size()) - start};
}

} // namespace qalam
