#include "server/DemoCorpus.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>

namespace qalam::server {

namespace {

// Parses "---\nkey: value\n...\n---\n<markdown>". Returns false when the header is missing.
bool parseAnswer(const QString &source, DemoAnswer &answer)
{
    static const QLatin1String fence("---\n");
    if (!source.startsWith(fence))
        return false;
    const qsizetype headerEnd = source.indexOf(QLatin1String("\n---\n"), fence.size() - 1);
    if (headerEnd < 0)
        return false;
    const QString header = source.sliced(fence.size(), headerEnd - fence.size() + 1);
    for (const QString &line : header.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon < 0)
            continue;
        const QString key = line.left(colon).trimmed();
        const QString value = line.mid(colon + 1).trimmed();
        if (key == QLatin1String("id")) {
            answer.id = value;
        } else if (key == QLatin1String("lang")) {
            answer.language = value;
        } else if (key == QLatin1String("keywords")) {
            for (const QString &keyword : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
                answer.keywords.append(keyword.trimmed().toCaseFolded());
        }
    }
    answer.text = source.sliced(headerEnd + 5);
    // Files end with a newline; the answer should not.
    while (answer.text.endsWith(QLatin1Char('\n')))
        answer.text.chop(1);
    return !answer.id.isEmpty() && !answer.language.isEmpty() && !answer.text.isEmpty();
}

} // namespace

DemoCorpus DemoCorpus::builtIn()
{
    return load(QStringLiteral(":/qalam/demo"));
}

DemoCorpus DemoCorpus::load(const QString &directory)
{
    DemoCorpus corpus;
    const QDir dir(directory);
    // Sorted by name, so the order (and with it every pick) does not depend on the file system.
    const QStringList files = dir.entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        DemoAnswer answer;
        QString source = QString::fromUtf8(file.readAll());
        source.replace(QLatin1String("\r\n"), QLatin1String("\n"));
        if (parseAnswer(source, answer))
            corpus.m_answers.append(std::move(answer));
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const auto add = [&hash](const QString &field) { // length-prefixed: no field runs into the next
        const QByteArray bytes = field.toUtf8();
        hash.addData(QByteArray::number(bytes.size()) + ':');
        hash.addData(bytes);
    };
    for (const DemoAnswer &answer : std::as_const(corpus.m_answers)) {
        add(answer.id);
        add(answer.language);
        add(answer.keywords.join(QLatin1Char(',')));
        add(answer.text);
    }
    corpus.m_fingerprint = hash.result();
    return corpus;
}

QString DemoCorpus::detectLanguage(QStringView text)
{
    int arabic = 0;
    int latin = 0;
    for (const char32_t c : text.toUcs4()) {
        if (QChar::script(c) == QChar::Script_Arabic && QChar::isLetter(c))
            ++arabic;
        else if (QChar::script(c) == QChar::Script_Latin && QChar::isLetter(c))
            ++latin;
    }
    return arabic > latin ? QStringLiteral("ar") : QStringLiteral("en");
}

quint64 DemoCorpus::stableHash(QStringView text, quint64 seed)
{
    // FNV-1a over the UTF-8 bytes, then the seed's bytes.
    quint64 hash = 14695981039346656037ULL;
    const auto mix = [&hash](unsigned char byte) {
        hash ^= byte;
        hash *= 1099511628211ULL;
    };
    for (const char byte : text.toUtf8())
        mix(static_cast<unsigned char>(byte));
    for (int i = 0; i < 8; ++i)
        mix(static_cast<unsigned char>(seed >> (8 * i)));
    return hash;
}

const DemoAnswer &DemoCorpus::pick(QStringView prompt, QStringView language, quint64 seed) const
{
    Q_ASSERT(!m_answers.isEmpty());
    const QString lang = language.isEmpty() ? detectLanguage(prompt) : language.toString();
    const QString folded = prompt.toString().simplified().toCaseFolded();

    QList<qsizetype> best;
    int bestScore = -1;
    for (qsizetype i = 0; i < m_answers.size(); ++i) {
        const DemoAnswer &answer = m_answers[i];
        if (answer.language != lang)
            continue;
        int score = 0;
        for (const QString &keyword : answer.keywords)
            score += folded.contains(keyword) ? 1 : 0;
        if (score > bestScore) {
            bestScore = score;
            best = {i};
        } else if (score == bestScore) {
            best.append(i);
        }
    }
    if (best.isEmpty()) { // no answer in that language: any answer
        for (qsizetype i = 0; i < m_answers.size(); ++i)
            best.append(i);
    }
    return m_answers[best[qsizetype(stableHash(folded, seed) % quint64(best.size()))]];
}

} // namespace qalam::server
