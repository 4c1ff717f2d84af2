#include "ConversationDelegate.h"

#include "FieldDirection.h"
#include "SidebarModel.h"
#include "store/SearchFolding.h"
#include "ui/TextDirection.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QLineEdit>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpressionValidator>
#include <QTextLayout>
#include <QToolTip>

namespace qalam {

namespace {

constexpr int outerMargin = 4; // between the list's edge and a row's rounded background
constexpr int innerMargin = 8; // between the background's edge and the text
constexpr int verticalPadding = 6;
constexpr int headerTopPadding = 10;
constexpr int headerBottomPadding = 4;
constexpr int markGap = 6;
constexpr int dotSize = 8;
constexpr int snippetLines = 2;

QFont smallFont(const QFont &font)
{
    QFont small = font;
    small.setPointSizeF(font.pointSizeF() > 0 ? font.pointSizeF() * 0.88 : 8.5);
    return small;
}

QFont headerFont(const QFont &font)
{
    QFont header = smallFont(font);
    header.setWeight(QFont::DemiBold);
    return header;
}

QColor withAlpha(QColor color, qreal alpha)
{
    color.setAlphaF(float(alpha));
    return color;
}

// A title's or a snippet's own direction: the majority of its words (TextDirection, as for
// message paragraphs: "nginx: كيف أعيد تشغيل الخدمة؟" is Arabic), else the interface's.
Qt::LayoutDirection directionOf(const QString &text, Qt::LayoutDirection interface)
{
    const Qt::LayoutDirection own = TextDirection::of(text);
    return own == Qt::LayoutDirectionAuto ? interface : own;
}

// Aligned to the start of `direction`, whatever the interface's.
Qt::Alignment startOf(Qt::LayoutDirection direction)
{
    return Qt::AlignAbsolute | (direction == Qt::RightToLeft ? Qt::AlignRight : Qt::AlignLeft);
}

QPalette::ColorGroup colorGroup(const QStyleOptionViewItem &option)
{
    if (!(option.state & QStyle::State_Enabled))
        return QPalette::Disabled;
    return option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
}

// A piece of text drawn with QTextLayout: shaping and bidi as everywhere, the match as a format
// range (never markup), at most `maxLines` lines, the last one cut with "…" at its logical end
// (the left of a right-to-left line) when it does not fit.
struct TextBox
{
    QString text;
    QFont font;
    Qt::LayoutDirection direction = Qt::LeftToRight;
    qsizetype matchStart = -1;
    qsizetype matchLength = 0;
    QTextCharFormat matchFormat;
    Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignAbsolute;
    QTextOption::WrapMode wrap = QTextOption::WrapAnywhere;
    int maxLines = 1;

    // Lays out `shown` into `layout`; the last line is `lastWidth` wide. Returns how much of
    // `shown` the lines hold.
    qsizetype layOut(QTextLayout &layout, const QString &shown, qreal width, qreal lastWidth) const
    {
        layout.setText(shown);
        layout.setFont(font);
        QTextOption textOption(alignment);
        textOption.setTextDirection(direction);
        textOption.setWrapMode(wrap);
        layout.setTextOption(textOption);
        QList<QTextLayout::FormatRange> formats;
        if (matchStart >= 0 && matchStart < shown.size()) {
            // A change of weight or colour inside an Arabic word splits its shaping run, and the
            // letters on either side of the match lose their joining (بال|قلم), even for a
            // background alone (Qt 6.4). Right-to-left
            // text is tinted behind the layout instead (draw()), with no format at all.
            if (!text.isRightToLeft()) {
                formats.append({int(matchStart), int(qMin(matchLength, shown.size() - matchStart)),
                                matchFormat});
            }
        }
        layout.setFormats(formats);
        layout.beginLayout();
        qreal y = 0;
        qsizetype held = 0;
        for (int i = 0; i < maxLines; ++i) {
            QTextLine line = layout.createLine();
            if (!line.isValid())
                break;
            line.setLineWidth(i == maxLines - 1 ? lastWidth : width);
            line.setPosition(QPointF(0, y));
            y += line.height();
            held = line.textStart() + line.textLength();
        }
        layout.endLayout();
        return held;
    }

    // The match's tint, painted under the text line by line (cursorToX follows the bidi order).
    void paintTint(QPainter *painter, const QTextLayout &layout, const QPointF &origin) const
    {
        const qsizetype end = matchStart + matchLength;
        for (int i = 0; i < layout.lineCount(); ++i) {
            const QTextLine line = layout.lineAt(i);
            const qsizetype from = qMax<qsizetype>(matchStart, line.textStart());
            const qsizetype to = qMin<qsizetype>(end, line.textStart() + line.textLength());
            if (from >= to)
                continue;
            const qreal x1 = line.cursorToX(int(from));
            const qreal x2 = line.cursorToX(int(to));
            painter->fillRect(QRectF(origin.x() + qMin(x1, x2), origin.y() + line.y(),
                                     qAbs(x2 - x1), line.height()),
                              matchFormat.background());
        }
    }

    // The text as shown in `width`: whole, or with the rest after the lines before the last
    // elided into the last one. elidedText cuts in logical order and the ellipsis ends the
    // string, so laid out in the text's direction it stands at the end the text is read towards
    // (the left of an Arabic title).
    QString fitted(qreal width) const
    {
        QTextLayout layout;
        if (layOut(layout, text, width, width) >= text.size())
            return text;
        const qsizetype lastStart =
            layout.lineCount() > 0 ? layout.lineAt(layout.lineCount() - 1).textStart() : 0;
        QString rest = text.mid(lastStart);
        rest.replace(QChar(u'\n'), QChar(u' '));
        return text.left(lastStart) + QFontMetricsF(font).elidedText(rest, Qt::ElideRight, width);
    }

    // Returns whether the text had to be cut.
    bool draw(QPainter *painter, const QRect &rect) const
    {
        const QString shown = fitted(rect.width());
        // The match only where the text itself is shown, never on the ellipsis that stands for
        // the rest (a match cut off is not shown at all).
        TextBox box = *this;
        qsizetype kept = 0;
        while (kept < shown.size() && kept < text.size() && shown.at(kept) == text.at(kept))
            ++kept;
        box.matchLength = qBound<qsizetype>(0, kept - matchStart, matchLength);
        if (box.matchLength == 0)
            box.matchStart = -1;
        QTextLayout layout;
        box.layOut(layout, shown, rect.width(), rect.width());
        painter->save();
        painter->setClipRect(rect);
        if (text.isRightToLeft() && box.matchStart >= 0)
            box.paintTint(painter, layout, rect.topLeft());
        layout.draw(painter, rect.topLeft());
        painter->restore();
        return shown != text;
    }
};

} // namespace

ConversationDelegate::ConversationDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

QSize ConversationDelegate::sizeHint(const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    if (index.data(SidebarModel::IsHeaderRole).toBool()) {
        return {0, QFontMetrics(headerFont(option.font)).height() + headerTopPadding +
                       headerBottomPadding};
    }
    const int title = QFontMetrics(option.font).height();
    const auto *model = qobject_cast<const SidebarModel *>(index.model());
    if (model && model->isSearching()) {
        const int snippet = QFontMetrics(smallFont(option.font)).height() * snippetLines;
        return {0, title + snippet + 2 * verticalPadding + 4};
    }
    return {0, title + 2 * verticalPadding + 2};
}

int ConversationDelegate::marksWidth(const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    if (!index.data(SidebarModel::LiveRole).toBool())
        return 0;
    int width = dotSize + markGap;
    if (index.data(SidebarModel::QueuedRole).toBool())
        width += QFontMetrics(smallFont(option.font)).horizontalAdvance(tr("queued")) + markGap;
    return width;
}

QRect ConversationDelegate::titleRect(const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    const QRect inner = option.rect.adjusted(outerMargin + innerMargin, verticalPadding,
                                             -(outerMargin + innerMargin), -verticalPadding);
    const int lineHeight = QFontMetrics(option.font).height();
    const auto *model = qobject_cast<const SidebarModel *>(index.model());
    const int top = model && model->isSearching() ? inner.top()
                                                  : inner.top() + (inner.height() - lineHeight) / 2;
    // Logical: the marks take the trailing end; visualRect mirrors it in a right-to-left list.
    QRect logical(inner.left(), top, inner.width() - marksWidth(option, index), lineHeight);
    return QStyle::visualRect(option.direction, inner, logical);
}

bool ConversationDelegate::isTitleElided(const QStyleOptionViewItem &option,
                                         const QModelIndex &index) const
{
    return shownTitle(option, index).text != index.data(Qt::DisplayRole).toString();
}

ConversationDelegate::ShownTitle
ConversationDelegate::shownTitle(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    TextBox title;
    title.text = index.data(Qt::DisplayRole).toString();
    title.font = option.font;
    title.direction = directionOf(title.text, option.direction);
    return {title.fitted(titleRect(option, index).width()), title.direction};
}

void ConversationDelegate::paintHeader(QPainter *painter, const QStyleOptionViewItem &option,
                                       const QModelIndex &index) const
{
    TextBox box;
    box.text = index.data(Qt::DisplayRole).toString();
    box.font = headerFont(option.font);
    box.direction = option.direction; // "Today", "March 2026": the interface's words
    box.alignment = startOf(option.direction);
    const int height = QFontMetrics(box.font).height();
    const QRect rect(option.rect.left() + outerMargin + innerMargin,
                     option.rect.bottom() - headerBottomPadding - height + 1,
                     option.rect.width() - 2 * (outerMargin + innerMargin), height);
    painter->setPen(option.palette.color(colorGroup(option), QPalette::PlaceholderText));
    box.draw(painter, rect);
}

int ConversationDelegate::paintMarks(QPainter *painter, const QStyleOptionViewItem &option,
                                     const QModelIndex &index, const QColor &text) const
{
    const int width = marksWidth(option, index);
    if (width == 0)
        return 0;
    const QRect title = titleRect(option, index);
    const QRect inner =
        option.rect.adjusted(outerMargin + innerMargin, 0, -(outerMargin + innerMargin), 0);
    // Logical (left to right) first, then mirrored for a right-to-left list.
    const QRect dotLogical(inner.right() - dotSize + 1, title.center().y() - dotSize / 2 + 1,
                           dotSize, dotSize);
    const QRect dot = QStyle::visualRect(option.direction, inner, dotLogical);
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = colorGroup(option);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (index.data(SidebarModel::QueuedRole).toBool()) {
        painter->setPen(QPen(text, 1.5));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(QRectF(dot).adjusted(0.75, 0.75, -0.75, -0.75));
        const QFont small = smallFont(option.font);
        const int wordWidth = QFontMetrics(small).horizontalAdvance(tr("queued"));
        const QRect wordLogical(dotLogical.left() - markGap - wordWidth, title.top(), wordWidth,
                                title.height());
        painter->setFont(small);
        painter->drawText(QStyle::visualRect(option.direction, inner, wordLogical), Qt::AlignCenter,
                          tr("queued"));
    } else {
        const QColor accent = selected ? option.palette.color(group, QPalette::HighlightedText)
                                       : option.palette.color(group, QPalette::Highlight);
        painter->setPen(Qt::NoPen);
        painter->setBrush(withAlpha(accent, 0.35 + 0.65 * m_pulse));
        painter->drawEllipse(dot);
    }
    painter->restore();
    return width;
}

void ConversationDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    if (index.data(SidebarModel::IsHeaderRole).toBool()) {
        paintHeader(painter, option, index);
        return;
    }
    const QPalette::ColorGroup group = colorGroup(option);
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const QRectF background = QRectF(option.rect).adjusted(outerMargin, 1, -outerMargin, -1);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (selected) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(palette.color(group, QPalette::Highlight));
        painter->drawRoundedRect(background, 6, 6);
    } else if (option.state & QStyle::State_MouseOver) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(withAlpha(palette.color(group, QPalette::Highlight), 0.12));
        painter->drawRoundedRect(background, 6, 6);
    }
    if (option.state & QStyle::State_HasFocus) {
        // The keyboard's row: a two-pixel ring in the accent, or inside the accent's fill in the
        // colour drawn on it (FocusRingStyle's colours), so it shows on a selected row too.
        painter->setPen(QPen(
            palette.color(group, selected ? QPalette::HighlightedText : QPalette::Highlight), 2));
        painter->setBrush(Qt::NoBrush);
        const qreal inset = selected ? 2.5 : 1;
        painter->drawRoundedRect(background.adjusted(inset, inset, -inset, -inset), 5, 5);
    }
    painter->restore();

    const QColor text = palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor muted =
        selected ? withAlpha(text, 0.8) : palette.color(group, QPalette::PlaceholderText);
    paintMarks(painter, option, index, muted);

    // The match: bold on a tint of the accent (of the text colour on the accent when selected).
    QTextCharFormat matchFormat;
    matchFormat.setFontWeight(QFont::Bold);
    matchFormat.setForeground(text); // full contrast inside the muted snippet
    matchFormat.setBackground(selected
                                  ? withAlpha(text, 0.22)
                                  : withAlpha(palette.color(group, QPalette::Highlight), 0.28));

    TextBox title;
    title.text = index.data(Qt::DisplayRole).toString();
    title.font = option.font;
    title.direction = directionOf(title.text, option.direction);
    title.alignment = startOf(title.direction);
    title.matchFormat = matchFormat;
    const QString searched = index.data(SidebarModel::SearchTextRole).toString().trimmed();
    if (!searched.isEmpty()) {
        // Matched as the store matches it (harakat, hamza forms, case), over the title's own
        // characters.
        const SearchFolding::Match match = SearchFolding::find(title.text, searched);
        title.matchStart = match.start;
        title.matchLength = match.length;
    }
    const QRect titleArea = titleRect(option, index);
    painter->setPen(text);
    title.draw(painter, titleArea);

    const auto *model = qobject_cast<const SidebarModel *>(index.model());
    if (!model || !model->isSearching())
        return;
    TextBox snippet;
    snippet.text = index.data(SidebarModel::SnippetRole).toString();
    snippet.font = smallFont(option.font);
    snippet.matchFormat = matchFormat;
    if (snippet.text.isEmpty()) {
        // Only the title matched: say when the conversation was last active instead.
        // (in the interface's language and direction).
        snippet.text = index.data(SidebarModel::DetailRole).toString();
        snippet.direction = option.direction;
    } else {
        snippet.matchStart = index.data(SidebarModel::SnippetMatchStartRole).toInt();
        snippet.matchLength = index.data(SidebarModel::SnippetMatchLengthRole).toInt();
        snippet.direction = directionOf(snippet.text, option.direction);
    }
    snippet.alignment = startOf(snippet.direction);
    snippet.wrap = QTextOption::WrapAtWordBoundaryOrAnywhere;
    snippet.maxLines = snippetLines;
    const int snippetHeight = QFontMetrics(snippet.font).height() * snippetLines;
    const QRect inner =
        option.rect.adjusted(outerMargin + innerMargin, 0, -(outerMargin + innerMargin), 0);
    const QRect snippetArea(inner.left(), titleArea.bottom() + 3, inner.width(), snippetHeight);
    painter->setPen(muted);
    snippet.draw(painter, snippetArea);
}

QWidget *ConversationDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                            const QModelIndex &index) const
{
    Q_UNUSED(option)
    Q_UNUSED(index)
    auto *editor = new QLineEdit(parent);
    editor->setObjectName(QStringLiteral("conversationTitleEditor"));
    // Not acceptable while blank: the item view's editor filter then keeps the editor open on
    // Enter instead of committing, so an empty name is refused where it is typed.
    editor->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral(".*\\S.*"),
                           QRegularExpression::UseUnicodePropertiesOption |
                               QRegularExpression::DotMatchesEverythingOption),
        editor));
    editor->setPlaceholderText(tr("Conversation name"));
    FieldDirection::follow(editor);
    editor->setAccessibleName(tr("Conversation name"));
    editor->setAccessibleDescription(tr("Enter saves the new name, Esc cancels"));
    return editor;
}

void ConversationDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *line = qobject_cast<QLineEdit *>(editor);
    if (!line)
        return;
    line->setText(index.data(Qt::EditRole).toString());
    line->selectAll();
}

void ConversationDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                        const QModelIndex &index) const
{
    const auto *line = qobject_cast<QLineEdit *>(editor);
    // Leaving a blank editor (a click elsewhere) keeps the old name.
    if (line && !line->text().trimmed().isEmpty())
        model->setData(index, line->text(), Qt::EditRole);
}

void ConversationDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                                                const QModelIndex &index) const
{
    QStyleOptionViewItem wide = option;
    wide.rect = option.rect;
    const QRect title = titleRect(wide, index);
    const QRect row = option.rect.adjusted(outerMargin, 1, -outerMargin, -1);
    const int height = qMin(row.height(), qMax(editor->sizeHint().height(), title.height()));
    editor->setGeometry(row.left(), title.center().y() - height / 2, row.width(), height);
}

bool ConversationDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                     const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid() ||
        index.data(SidebarModel::IsHeaderRole).toBool())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    QStringList lines;
    if (isTitleElided(option, index))
        lines << index.data(Qt::DisplayRole).toString();
    if (index.data(SidebarModel::QueuedRole).toBool())
        lines << tr("An answer is queued: it starts when another one ends");
    else if (index.data(SidebarModel::LiveRole).toBool())
        lines << tr("An answer is streaming");
    lines << index.data(SidebarModel::DetailRole).toString();
    QToolTip::showText(event->globalPos(), lines.join(u'\n'), view->viewport(), option.rect);
    return true;
}

} // namespace qalam
