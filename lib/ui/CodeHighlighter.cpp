#include "ui/CodeHighlighter.h"

#include <srchilite/formatter.h>
#include <srchilite/formattermanager.h>
#include <srchilite/formatterparams.h>
#include <srchilite/langdefmanager.h>
#include <srchilite/langmap.h>
#include <srchilite/regexrulefactory.h>
#include <srchilite/settings.h>
#include <srchilite/sourcehighlighter.h>

#include <QDir>
#include <QFileInfo>
#include <QHash>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace qalam {

namespace {

// Fence names models use that Source-highlight's lang.map does not know, mapped to the closest
// definition it ships (it has no YAML, TOML, nginx or TypeScript grammar: comments, strings and
// numbers are what conf.lang and javascript.lang give those).
const QHash<QString, QString> &aliases()
{
    static const QHash<QString, QString> map{
        {QStringLiteral("console"), QStringLiteral("sh.lang")},
        {QStringLiteral("shell-session"), QStringLiteral("sh.lang")},
        {QStringLiteral("terminal"), QStringLiteral("sh.lang")},
        {QStringLiteral("zsh"), QStringLiteral("zsh.lang")},
        {QStringLiteral("ksh"), QStringLiteral("sh.lang")},
        {QStringLiteral("dockerfile"), QStringLiteral("sh.lang")},
        {QStringLiteral("python3"), QStringLiteral("python.lang")},
        {QStringLiteral("py3"), QStringLiteral("python.lang")},
        {QStringLiteral("ts"), QStringLiteral("javascript.lang")},
        {QStringLiteral("typescript"), QStringLiteral("javascript.lang")},
        {QStringLiteral("tsx"), QStringLiteral("javascript.lang")},
        {QStringLiteral("jsx"), QStringLiteral("javascript.lang")},
        {QStringLiteral("node"), QStringLiteral("javascript.lang")},
        {QStringLiteral("jsonc"), QStringLiteral("json.lang")},
        {QStringLiteral("json5"), QStringLiteral("json.lang")},
        {QStringLiteral("yaml"), QStringLiteral("conf.lang")},
        {QStringLiteral("yml"), QStringLiteral("conf.lang")},
        {QStringLiteral("toml"), QStringLiteral("conf.lang")},
        {QStringLiteral("nginx"), QStringLiteral("conf.lang")},
        {QStringLiteral("apache"), QStringLiteral("conf.lang")},
        {QStringLiteral("systemd"), QStringLiteral("desktop.lang")},
        {QStringLiteral("c++"), QStringLiteral("cpp.lang")},
        {QStringLiteral("cxx"), QStringLiteral("cpp.lang")},
        {QStringLiteral("cc"), QStringLiteral("cpp.lang")},
        {QStringLiteral("hpp"), QStringLiteral("cpp.lang")},
        {QStringLiteral("h"), QStringLiteral("c.lang")},
        {QStringLiteral("golang"), QStringLiteral("go.lang")},
        {QStringLiteral("rust"), QStringLiteral("rust.lang")},
        {QStringLiteral("rs"), QStringLiteral("rust.lang")},
        {QStringLiteral("csharp"), QStringLiteral("csharp.lang")},
        {QStringLiteral("c#"), QStringLiteral("csharp.lang")},
        {QStringLiteral("svg"), QStringLiteral("xml.lang")},
        {QStringLiteral("xhtml"), QStringLiteral("html.lang")},
        {QStringLiteral("mysql"), QStringLiteral("sql.lang")},
        {QStringLiteral("postgresql"), QStringLiteral("sql.lang")},
        {QStringLiteral("postgres"), QStringLiteral("sql.lang")},
        {QStringLiteral("psql"), QStringLiteral("sql.lang")},
        {QStringLiteral("sqlite"), QStringLiteral("sql.lang")},
        {QStringLiteral("make"), QStringLiteral("makefile.lang")},
        {QStringLiteral("bat"), QStringLiteral("bat.lang")},
        {QStringLiteral("cmd"), QStringLiteral("bat.lang")},
    };
    return map;
}

// Source-highlight's element names (the ones its .lang files use) to token kinds. Elements not
// listed ("normal", "symbol" in most grammars, "cbracket"...) are shown as plain code.
std::optional<CodeHighlighter::Token> tokenOf(const std::string &element)
{
    using Token = CodeHighlighter::Token;
    static const std::map<std::string, Token, std::less<>> map{
        {"keyword", Token::Keyword},      {"type", Token::Type},
        {"usertype", Token::Type},        {"classname", Token::Type},
        {"string", Token::String},        {"regexp", Token::String},
        {"specialchar", Token::String},   {"value", Token::String},
        {"comment", Token::Comment},      {"todo", Token::Comment},
        {"number", Token::Number},        {"date", Token::Number},
        {"time", Token::Number},          {"ip", Token::Number},
        {"preproc", Token::Preprocessor}, {"section", Token::Heading},
        {"function", Token::Function},    {"predef_func", Token::Function},
        {"variable", Token::Variable},    {"predef_var", Token::Variable},
        {"attribute", Token::Variable},   {"property", Token::Variable},
        {"label", Token::Variable},       {"selector", Token::Keyword},
        {"addedLine", Token::Added},      {"newfile", Token::Added},
        {"removedLine", Token::Removed},  {"oldfile", Token::Removed},
        {"difflines", Token::Heading},    {"url", Token::String},
    };
    const auto it = map.find(element);
    return it == map.end() ? std::nullopt : std::optional(it->second);
}

// Collects the library's output of one line as byte ranges of that line.
struct LineSpans
{
    struct ByteSpan
    {
        int start;
        int length;
        CodeHighlighter::Token token;
    };
    std::vector<ByteSpan> spans;
};

class SpanFormatter final : public srchilite::Formatter
{
public:
    SpanFormatter(LineSpans *sink, CodeHighlighter::Token token) : m_sink(sink), m_token(token) {}
    void format(const std::string &text, const srchilite::FormatterParams *params) override
    {
        if (params && params->start >= 0 && !text.empty())
            m_sink->spans.push_back({params->start, int(text.size()), m_token});
    }

private:
    LineSpans *m_sink;
    CodeHighlighter::Token m_token;
};

class IgnoringFormatter final : public srchilite::Formatter
{
public:
    void format(const std::string &, const srchilite::FormatterParams *) override {}
};

// The library's language definitions, parsed once per process and kept: parsing one takes
// milliseconds (its regular expressions are compiled), highlighting a block far less. Guarded by
// a mutex so a highlighter used from a second thread cannot corrupt the cache.
class Definitions
{
public:
    static Definitions &instance()
    {
        static Definitions definitions;
        return definitions;
    }

    QString dataDir()
    {
        std::scoped_lock lock(m_mutex);
        return m_dataDir;
    }

    QString mappedFile(const QString &language)
    {
        std::scoped_lock lock(m_mutex);
        if (!m_langMap)
            return {};
        try {
            return QString::fromStdString(m_langMap->getMappedFileName(language.toStdString()));
        } catch (...) {
            return {};
        }
    }

    srchilite::HighlightStatePtr state(const QString &file)
    {
        std::scoped_lock lock(m_mutex);
        if (const auto it = m_states.find(file); it != m_states.end())
            return it->second;
        srchilite::HighlightStatePtr state;
        try {
            state = m_manager.getHighlightState(m_dataDir.toStdString(), file.toStdString());
        } catch (...) {
            state.reset(); // a broken or unreadable definition: plain from now on
        }
        m_states.emplace(file, state);
        return state;
    }

private:
    Definitions() : m_manager(&m_ruleFactory)
    {
        try {
            m_dataDir = QString::fromStdString(srchilite::Settings::retrieveDataDir());
        } catch (...) {
            m_dataDir.clear();
        }
        if (m_dataDir.isEmpty() ||
            !QFileInfo::exists(QDir(m_dataDir).filePath(QStringLiteral("lang.map"))))
            return; // no data files: every block is plain
        try {
            m_langMap = std::make_unique<srchilite::LangMap>(m_dataDir.toStdString(),
                                                             std::string("lang.map"));
            m_langMap->open();
        } catch (...) {
            m_langMap.reset();
        }
    }

    std::mutex m_mutex;
    QString m_dataDir;
    srchilite::RegexRuleFactory m_ruleFactory;
    srchilite::LangDefManager m_manager;
    std::unique_ptr<srchilite::LangMap> m_langMap;
    std::map<QString, srchilite::HighlightStatePtr> m_states;
};

} // namespace

QString CodeHighlighter::definitionFor(const QString &language)
{
    const QString name = language.trimmed().toLower();
    if (name.isEmpty())
        return {};
    Definitions &definitions = Definitions::instance();
    const QString dataDir = definitions.dataDir();
    if (dataDir.isEmpty())
        return {};
    QString file = aliases().value(name);
    if (file.isEmpty())
        file = definitions.mappedFile(name);
    if (file.isEmpty() || !QFileInfo::exists(QDir(dataDir).filePath(file)))
        return {};
    return file;
}

QList<CodeHighlighter::Span> CodeHighlighter::highlight(const QString &language,
                                                        const QString &code)
{
    const QString file = definitionFor(language);
    if (file.isEmpty())
        return {};
    const srchilite::HighlightStatePtr state = Definitions::instance().state(file);
    if (!state)
        return {};

    LineSpans line;
    srchilite::FormatterManager formatters(srchilite::FormatterPtr(new IgnoringFormatter));
    for (const char *element :
         {"keyword",     "type",       "usertype",    "classname", "string",    "regexp",
          "specialchar", "value",      "comment",     "todo",      "number",    "date",
          "time",        "ip",         "preproc",     "section",   "function",  "predef_func",
          "variable",    "predef_var", "attribute",   "property",  "label",     "selector",
          "addedLine",   "newfile",    "removedLine", "oldfile",   "difflines", "url"}) {
        formatters.addFormatter(
            element, srchilite::FormatterPtr(new SpanFormatter(&line, *tokenOf(element))));
    }

    QList<Span> spans;
    try {
        srchilite::SourceHighlighter highlighter(state);
        highlighter.setFormatterManager(&formatters);
        highlighter.setOptimize(false); // every token on its own, with its start position
        srchilite::FormatterParams params;
        highlighter.setFormatterParams(&params);
        qsizetype lineStart = 0;
        while (lineStart <= code.size()) {
            qsizetype end = code.indexOf(QLatin1Char('\n'), lineStart);
            if (end < 0)
                end = code.size();
            const QStringView text = QStringView(code).sliced(lineStart, end - lineStart);
            const QByteArray utf8 = text.toUtf8();
            line.spans.clear();
            params.start = 0;
            highlighter.highlightParagraph(utf8.toStdString());
            if (!line.spans.empty()) {
                // Byte offsets of this line to UTF-16 offsets: count the code units of each
                // UTF-8 lead byte.
                std::vector<int> utf16At(size_t(utf8.size()) + 1, 0);
                int units = 0;
                for (qsizetype i = 0; i < utf8.size(); ++i) {
                    utf16At[size_t(i)] = units;
                    const auto byte = uchar(utf8[i]);
                    if ((byte & 0xC0) != 0x80)
                        units += byte >= 0xF0 ? 2 : 1;
                }
                utf16At[size_t(utf8.size())] = units;
                for (const auto &span : line.spans) {
                    const int from = std::clamp(span.start, 0, int(utf8.size()));
                    const int to = std::clamp(span.start + span.length, from, int(utf8.size()));
                    const int start = utf16At[size_t(from)];
                    const int length = utf16At[size_t(to)] - start;
                    if (length <= 0)
                        continue;
                    if (!spans.isEmpty() && spans.last().token == span.token &&
                        spans.last().start + spans.last().length == int(lineStart) + start)
                        spans.last().length += length; // one span per run of a kind
                    else
                        spans.append({int(lineStart) + start, length, span.token});
                }
            }
            lineStart = end + 1;
        }
    } catch (...) {
        return {}; // whatever the library throws, the code is still shown, plain
    }
    return spans;
}

} // namespace qalam
