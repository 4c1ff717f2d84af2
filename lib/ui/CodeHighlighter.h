// CodeHighlighter: syntax highlighting of a finished code block by GNU Source-highlight.
//
// The fence's language name ("py", "bash", "c++", "yml"...) is mapped to one of the library's
// language definitions (its lang.map, plus the names models write that it lacks); the code is
// highlighted line by line, keeping the library's state across lines, so a comment or string
// that spans lines stays one. The result is a list of spans in UTF-16 positions of the code,
// each with a token kind; colours are chosen later (CodeBlock), per theme. An unknown language,
// a missing or broken definition file or any error from the library gives no spans: the code is
// shown plain. Parsed definitions are cached for the process (they never change while it runs).
#pragma once

#include <QList>
#include <QString>

namespace qalam {

class CodeHighlighter
{
public:
    enum class Token {
        Keyword,
        Type,
        String,
        Comment,
        Number,
        Preprocessor,
        Function,
        Variable,
        Symbol,
        Added,
        Removed,
        Heading,
    };

    struct Span
    {
        int start = 0;
        int length = 0;
        Token token = Token::Keyword;
        friend bool operator==(const Span &, const Span &) = default;
    };

    // The definition file ("python.lang") for a fence language, or an empty string.
    static QString definitionFor(const QString &language);
    static QList<Span> highlight(const QString &language, const QString &code);
};

} // namespace qalam
