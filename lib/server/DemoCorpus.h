// DemoCorpus: the canned Markdown answers of the demo server and the rule that picks one.
//
// Each answer is a resource file with a small header (id, lang, keywords) and a Markdown body.
// The pick depends only on the prompt, the answer language and a seed, never on the process
// (no qHash, whose seed changes per run), so a prompt gets the same answer on every machine.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace qalam::server {

struct DemoAnswer
{
    QString id;
    QString language; // "ar" or "en"
    QStringList keywords;
    QString text; // Markdown
};

class DemoCorpus
{
public:
    // The answers compiled into the server (resources/demo).
    static DemoCorpus builtIn();
    // Every *.md answer in `directory` (a path or a resource path).
    static DemoCorpus load(const QString &directory);

    const QList<DemoAnswer> &answers() const { return m_answers; }
    bool isEmpty() const { return m_answers.isEmpty(); }

    // The answer for `prompt` in `language` ("ar"/"en", or empty to detect it from the prompt):
    // the one whose keywords the prompt mentions most, ties and no-match broken by the seed.
    // Precondition: !isEmpty().
    const DemoAnswer &pick(QStringView prompt, QStringView language, quint64 seed) const;

    // "ar" when the text has more Arabic letters than Latin ones, else "en".
    static QString detectLanguage(QStringView text);
    // A hash of the text and seed that is the same in every process and on every platform.
    static quint64 stableHash(QStringView text, quint64 seed);

    // SHA-256 of every answer (id, language, keywords, text, in order): two corpora with the same
    // fingerprint give every request the same answer.
    const QByteArray &fingerprint() const { return m_fingerprint; }

private:
    QList<DemoAnswer> m_answers;
    QByteArray m_fingerprint;
};

} // namespace qalam::server
