// BlockDocument: one rendered Markdown block of a chat message.
//
// Markdown is parsed with raw HTML off (model output must not inject markup) and GitHub
// extensions on (tables, strikethrough, autolinks). Nothing is ever loaded: images and other
// resources resolve to nothing, so a remote image in an answer cannot make a request.
// Direction: every paragraph keeps Qt's automatic direction (its first strong character, like
// HTML dir="auto"); code blocks are forced left-to-right; URLs, file paths and inline code in
// paragraphs are wrapped in bidi isolates (U+2066 ... U+2069) so they read left-to-right inside
// Arabic text instead of having their slashes and dots reordered.
#pragma once

#include <QTextDocument>

namespace qalam {

class BlockDocument : public QTextDocument
{
    Q_OBJECT

public:
    explicit BlockDocument(QObject *parent = nullptr);

    void setMarkdownSource(const QString &markdown);
    // Keeps each paragraph's shaped glyphs after layout instead of shaping the visible lines
    // again on every paint (QTextDocumentLayout's default). Call after changing the content;
    // setMarkdownSource() does. Costs memory only while the document exists, i.e. while its
    // message is on or near the screen.
    void cacheShaping();

    // The visible text of [from, to) without the isolate marks added for display.
    QString plainText(int from, int to) const;

    static QTextDocument::MarkdownFeatures markdownFeatures();
    static QString stripIsolates(QString text);

protected:
    QVariant loadResource(int type, const QUrl &name) override;

private:
    void applyDirections();
};

} // namespace qalam
