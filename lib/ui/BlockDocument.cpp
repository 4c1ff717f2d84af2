#include "ui/BlockDocument.h"

#include <QRegularExpression>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextLayout>

namespace qalam {

namespace {

constexpr char16_t kLeftToRightIsolate = 0x2066;
constexpr char16_t kPopDirectionalIsolate = 0x2069;

// URLs, e-mail-like addresses, absolute or relative file paths, and things like "v1.2.3" or
// "app/cli/main.cpp": runs whose punctuation bidi would otherwise reorder in RTL text.
const QRegularExpression &ltrRunPattern()
{
    static const QRegularExpression pattern(
        QStringLiteral(R"((?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s<>"]+[^\s<>".,;:!?)\]}]|)"
                       R"((?:~|\.{1,2})?/[\w.@%+~-]+(?:/[\w.@%+~-]+)+/?|)"
                       R"([\w.-]+(?:/[\w.@%+-]+)+\.\w+)"));
    return pattern;
}

bool isCodeBlock(const QTextBlock &block)
{
    const QTextBlockFormat format = block.blockFormat();
    return format.hasProperty(QTextFormat::BlockCodeFence) ||
           format.hasProperty(QTextFormat::BlockCodeLanguage) || format.nonBreakableLines();
}

} // namespace

BlockDocument::BlockDocument(QObject *parent) : QTextDocument(parent)
{
    setDocumentMargin(0);
    setUndoRedoEnabled(false);
}

QTextDocument::MarkdownFeatures BlockDocument::markdownFeatures()
{
    return QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub |
                                           QTextDocument::MarkdownNoHTML);
}

void BlockDocument::setMarkdownSource(const QString &markdown)
{
    setMarkdown(markdown, markdownFeatures());
    applyDirections();
    cacheShaping();
}

void BlockDocument::cacheShaping()
{
    // Shaping (HarfBuzz for Arabic, and a PNG decoded per glyph for colour emoji) was most of
    // the cost of painting a chat view: without the cache every paint shapes every visible line
    // again, 30 to 60 times a second while an answer streams. Editing a block still invalidates
    // its layout, so the cache never shows stale glyphs.
    for (QTextBlock block = begin(); block.isValid(); block = block.next())
        block.layout()->setCacheEnabled(true);
}

QVariant BlockDocument::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(type);
    Q_UNUSED(name);
    return {}; // never fetch: not from the network, not from disk
}

QString BlockDocument::stripIsolates(QString text)
{
    text.remove(QChar(kLeftToRightIsolate));
    text.remove(QChar(kPopDirectionalIsolate));
    return text;
}

QString BlockDocument::plainText(int from, int to) const
{
    QTextCursor cursor(const_cast<BlockDocument *>(this));
    cursor.setPosition(std::clamp(from, 0, characterCount() - 1));
    cursor.setPosition(std::clamp(to, 0, characterCount() - 1), QTextCursor::KeepAnchor);
    QString text = cursor.selectedText();
    text.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
    text.replace(QChar::LineSeparator, QLatin1Char('\n'));
    text.remove(QChar::ObjectReplacementCharacter);
    return stripIsolates(text);
}

void BlockDocument::applyDirections()
{
    for (QTextBlock block = begin(); block.isValid(); block = block.next()) {
        QTextCursor cursor(block);
        if (isCodeBlock(block)) {
            QTextBlockFormat format = block.blockFormat();
            format.setLayoutDirection(Qt::LeftToRight);
            format.setAlignment(Qt::AlignLeft | Qt::AlignAbsolute);
            cursor.setBlockFormat(format);
            continue;
        }
        // Isolate inline code and LTR runs, last first so earlier positions stay valid.
        QList<QPair<int, int>> ranges;
        const QString text = block.text();
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (fragment.charFormat().fontFixedPitch())
                ranges.append({fragment.position() - block.position(), fragment.length()});
        }
        auto matches = ltrRunPattern().globalMatch(text);
        while (matches.hasNext()) {
            const auto match = matches.next();
            const int start = int(match.capturedStart());
            const bool insideCode =
                std::any_of(ranges.cbegin(), ranges.cend(), [start](const auto &r) {
                    return start >= r.first && start < r.first + r.second;
                });
            if (!insideCode)
                ranges.append({start, int(match.capturedLength())});
        }
        std::sort(ranges.begin(), ranges.end(),
                  [](const auto &a, const auto &b) { return a.first > b.first; });
        for (const auto &[start, length] : std::as_const(ranges)) {
            cursor.setPosition(block.position() + start + length);
            cursor.insertText(QString(QChar(kPopDirectionalIsolate)));
            cursor.setPosition(block.position() + start);
            cursor.insertText(QString(QChar(kLeftToRightIsolate)));
        }
    }
}

} // namespace qalam
