#include "ui/DirectionControlMarks.h"

#include "ui/TextDirection.h"

#include <QAbstractTextDocumentLayout>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace qalam {

namespace {

constexpr qreal kPadding = 2;
constexpr qreal kMargin = 1;

} // namespace

int DirectionControlMarks::neutralise(QTextDocument *document, int from, int to)
{
    const int end = to < 0 ? document->characterCount() : std::min(to, document->characterCount());
    int count = 0;
    QTextCursor cursor(document);
    for (QTextBlock block = document->findBlock(from); block.isValid() && block.position() < end;
         block = block.next()) {
        const QString text = block.text();
        if (!TextDirection::containsDirectionControl(text))
            continue;
        for (qsizetype i = 0; i < text.size(); ++i) {
            const int position = block.position() + int(i);
            if (position < from || position >= end ||
                !TextDirection::isDirectionControl(text[i].unicode()))
                continue;
            cursor.setPosition(position);
            cursor.setPosition(position + 1, QTextCursor::KeepAnchor);
            QTextCharFormat format = cursor.charFormat(); // the control's own (code, heading...)
            format.setObjectType(kObjectType);
            format.setProperty(kOriginalProperty, int(text[i].unicode()));
            format.setVerticalAlignment(QTextCharFormat::AlignMiddle);
            format.setToolTip(description(text[i].unicode()));
            cursor.insertText(QString(QChar::ObjectReplacementCharacter), format);
            ++count;
        }
    }
    if (count > 0 &&
        !document->findChild<DirectionControlMarks *>(QString(), Qt::FindDirectChildrenOnly)) {
        document->documentLayout()->registerHandler(kObjectType,
                                                    new DirectionControlMarks(document));
    }
    return count;
}

std::optional<char32_t> DirectionControlMarks::original(const QTextCharFormat &format)
{
    if (format.objectType() != kObjectType || !format.hasProperty(kOriginalProperty))
        return std::nullopt;
    return char32_t(format.intProperty(kOriginalProperty));
}

QString DirectionControlMarks::description(char32_t control)
{
    QString name;
    switch (control) {
    case 0x202A:
        name = tr("Left-to-right embedding");
        break;
    case 0x202B:
        name = tr("Right-to-left embedding");
        break;
    case 0x202C:
        name = tr("Pop directional formatting");
        break;
    case 0x202D:
        name = tr("Left-to-right override");
        break;
    case 0x202E:
        name = tr("Right-to-left override");
        break;
    case 0x2066:
        name = tr("Left-to-right isolate");
        break;
    case 0x2067:
        name = tr("Right-to-left isolate");
        break;
    case 0x2068:
        name = tr("First strong isolate");
        break;
    case 0x2069:
        name = tr("Pop directional isolate");
        break;
    case 0x200E:
        name = tr("Left-to-right mark");
        break;
    case 0x200F:
        name = tr("Right-to-left mark");
        break;
    case 0x061C:
        name = tr("Arabic letter mark");
        break;
    default:
        return {};
    }
    const QString code =
        QStringLiteral("U+%1").arg(uint(control), 4, 16, QLatin1Char('0')).toUpper();
    //: %1 is the name of an invisible Unicode character that changes the direction of text,
    //: %2 its code point (U+202E).
    return tr("%1 (%2): a hidden direction control, shown here and not applied").arg(name, code);
}

QFont DirectionControlMarks::markFont(const QTextFormat &format)
{
    QFont font = format.toCharFormat().font();
    const qreal size = font.pointSizeF() > 0 ? font.pointSizeF() : 10.0;
    font.setPointSizeF(std::max(6.0, size * 0.62));
    font.setBold(false);
    font.setItalic(false);
    return font;
}

QSizeF DirectionControlMarks::intrinsicSize(QTextDocument *document, int positionInDocument,
                                            const QTextFormat &format)
{
    Q_UNUSED(document);
    Q_UNUSED(positionInDocument);
    const QFontMetricsF metrics(markFont(format));
    const QString label =
        TextDirection::abbreviation(char32_t(format.intProperty(kOriginalProperty)));
    return {metrics.horizontalAdvance(label) + 2 * (kPadding + kMargin), metrics.height() + 2};
}

void DirectionControlMarks::drawObject(QPainter *painter, const QRectF &rect,
                                       QTextDocument *document, int positionInDocument,
                                       const QTextFormat &format)
{
    Q_UNUSED(document);
    Q_UNUSED(positionInDocument);
    const QString label =
        TextDirection::abbreviation(char32_t(format.intProperty(kOriginalProperty)));
    // Dim, in the colour the text around it is drawn in: visible, but not read as content.
    QColor colour = painter->pen().color();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF box = rect.adjusted(kMargin, 1, -kMargin, -1);
    colour.setAlphaF(0.45);
    painter->setPen(QPen(colour, 1));
    QPainterPath path;
    path.addRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
    painter->drawPath(path);
    colour.setAlphaF(0.75);
    painter->setPen(colour);
    painter->setFont(markFont(format));
    painter->drawText(box, Qt::AlignCenter, label);
    painter->restore();
}

} // namespace qalam
