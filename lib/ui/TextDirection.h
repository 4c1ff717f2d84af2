// TextDirection: the base direction of a paragraph of a chat message, and the runs in it that
// must read left to right whatever the paragraph's direction.
//
// HTML's dir="auto" (and Qt's LayoutDirectionAuto) take a paragraph's direction from its first
// strong letter, which is wrong for the most common shape of a technical answer in Arabic: a
// paragraph that opens with a Latin term ("SSE هو بروتوكول…", "`git` يحفظ…"). Here the direction
// is the one of the MAJORITY of the paragraph's strong words (runs of strong letters of one
// direction), counting only prose: inline code, URLs, e-mail addresses, file paths and numbers
// with their units ("500ms", "2GB") are left out, since they are Latin in either language. Words,
// not letters: Arabic writes no short vowels and fuses "and", "the" and "to" into the next word,
// while technical terms are long, so "افتح Settings ثم Preferences واختر Theme" has 24 Latin
// letters to 11 Arabic ones but is an Arabic sentence (3 words each, and the first is Arabic).
// A tie goes to the first strong letter; a paragraph without any (a number, a lone command) has
// no direction of its own and takes its context's.
//
// Pure: no document, no GUI; BlockDocument applies it to every block it renders.
#pragma once

#include <QList>
#include <QString>
#include <QStringView>
#include <Qt>

#include <vector>

namespace qalam {

class TextDirection
{
public:
    // [start, start + length) in UTF-16 code units.
    struct Range
    {
        qsizetype start = 0;
        qsizetype length = 0;
        qsizetype end() const { return start + length; }
        friend bool operator==(const Range &, const Range &) = default;
    };

    // The strong words counted in a text, so that paragraphs can be summed into a list's, a
    // table's or a whole message's direction.
    struct Counts
    {
        int leftToRight = 0;
        int rightToLeft = 0;
        Qt::LayoutDirection first = Qt::LayoutDirectionAuto; // the first counted word's
        // The majority, the first word's on a tie, LayoutDirectionAuto without any word.
        Qt::LayoutDirection direction() const;
        Counts &operator+=(const Counts &other);
    };

    // Counts the strong words of `text` outside `excluded` and outside numbers (a token that
    // starts with a digit, with its unit). Does not look for URLs or paths itself: pass
    // leftToRightRuns() in `excluded` (BlockDocument needs them anyway, for its isolates).
    // Words in `emphasis` (bold, italic) count only when there are no others: emphasis in an
    // answer marks a term, a name or a quoted example, like code, more often than the
    // sentence's own language ("The next line is Arabic: **مرحبا بك في قلم**, …").
    static Counts count(QStringView text, const QList<Range> &excluded = {},
                        const QList<Range> &emphasis = {});
    // The direction of a rendered paragraph: `code` are its inline code spans; URLs, paths and
    // numbers are found and excluded here.
    static Qt::LayoutDirection of(QStringView text, const QList<Range> &code = {});
    // The direction of Markdown source (e.g. a table before it is parsed): code spans and link
    // destinations are excluded too, emphasis counts as count() says. A table's is its header
    // row's, or its body's if the header has no letters: the header names the columns in the
    // answer's language, the body is often names, commands and numbers.
    static Qt::LayoutDirection ofMarkdown(QStringView markdown);

    // URLs, e-mail addresses, file paths (absolute, relative with an extension, Windows) and
    // numbers joined by "-" or "+" (an account, a phone number, a date): runs whose slashes,
    // dots and hyphens bidi would reorder inside right-to-left text. Sentence
    // punctuation after a run (. , ; : ! ? ، ؛ ؟ …, closing quotes, and closing brackets that
    // the run did not open) is not part of it.
    static QList<Range> leftToRightRuns(QStringView text);

    // Explicit embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and the
    // marks U+200E, U+200F and U+061C: invisible characters that reorder what is shown.
    static bool isDirectionControl(char32_t c);
    static bool containsDirectionControl(QStringView text);
    // "RLO", "LRI", "RLM"...; empty for other characters.
    static QString abbreviation(char32_t c);

private:
    static Counts countWords(QStringView text, const std::vector<bool> &skip);
};

} // namespace qalam
