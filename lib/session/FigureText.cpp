#include "session/FigureText.h"

#include <QLocale>

namespace qalam {

namespace {

QLocale groupingLocale()
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale;
}

} // namespace

QString FigureText::number(qint64 value)
{
    return groupingLocale().toString(value);
}

QString FigureText::number(double value, int decimals)
{
    return groupingLocale().toString(value, 'f', decimals);
}

QString FigureText::separator()
{
    //: Between the parts of a line of figures ("first token 318 ms · 17,093 chars/s"). Arabic
    //: takes the Arabic comma and a space ("، "): a middle dot beside Arabic-Indic digits reads
    //: as the digit zero.
    return tr(" · ");
}

QString FigureText::isolated(const QString &part)
{
    return firstStrongIsolate + part + popDirectionalIsolate;
}

QString FigureText::join(const QStringList &parts)
{
    QStringList shown;
    for (const QString &part : parts) {
        if (!part.isEmpty())
            shown.append(isolated(part));
    }
    if (shown.isEmpty())
        return {};
    // The locale is the interface's (LanguageManager sets it with the language).
    const QChar mark =
        QLocale().textDirection() == Qt::RightToLeft ? rightToLeftMark : leftToRightMark;
    return mark + shown.join(separator());
}

QString FigureText::withoutMarks(QString text)
{
    for (const QChar mark :
         {firstStrongIsolate, popDirectionalIsolate, leftToRightMark, rightToLeftMark})
        text.remove(mark);
    return text;
}

} // namespace qalam
