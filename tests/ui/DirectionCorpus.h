// The paragraph-direction corpus (data/direction-corpus.tsv, compiled in as a resource), for
// tst_textdirection (the classifier) and tst_bidicontrols (the laid-out text).
#pragma once

#include <QFile>
#include <QList>
#include <QString>
#include <Qt>

namespace qalam::test {

struct DirectionCase
{
    int line = 0;
    Qt::LayoutDirection expected = Qt::LeftToRight;
    QString markdown;
    // "line 12: SSE هو بروتوكول…", a data row's name.
    QString name() const
    {
        return QStringLiteral("line %1: %2")
            .arg(line)
            .arg(markdown.left(40).replace(QLatin1Char('\n'), QLatin1Char(' ')));
    }
};

// Empty when the resource is missing (the caller fails on that).
inline QList<DirectionCase> directionCorpus()
{
    QFile file(QStringLiteral(":/corpus/direction-corpus.tsv"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<DirectionCase> cases;
    int number = 0;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        ++number;
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype tab = line.indexOf(QLatin1Char('\t'));
        if (tab < 0)
            return {}; // a malformed line: the corpus is not what the tests think
        const QString expected = line.left(tab);
        if (expected != QLatin1String("rtl") && expected != QLatin1String("ltr"))
            return {};
        QString markdown = line.mid(tab + 1);
        markdown.replace(QLatin1String("\\n"), QLatin1String("\n"));
        cases.append({number, expected == QLatin1String("rtl") ? Qt::RightToLeft : Qt::LeftToRight,
                      markdown});
    }
    return cases;
}

} // namespace qalam::test
