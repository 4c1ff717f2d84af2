// ConversationDelegate: paints the sidebar's rows itself. A heading is small and muted; a
// conversation is its title, and when searching a snippet of the message that matched, with the
// match in bold on a tint (painted from SidebarModel's ranges, so no text is ever read as markup).
// A live answer is a dot at the row's trailing edge that pulses (steady under reduce motion); a
// queued one is a ring and the word "queued". Every colour comes from the palette. A title and a
// snippet read in their own direction (TextDirection: the majority of their words) and start at
// their own side of the row: an Arabic title reads right to left and aligns right in the English
// interface, an English one left in the Arabic interface. What does not fit is elided at its
// logical end, so "…" stands on the left of an Arabic title; the row never scrolls sideways.
// F2 edits the title in place: a line edit that refuses an empty name.
#pragma once

#include <QStyledItemDelegate>

namespace qalam {

class ConversationDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ConversationDelegate(QObject *parent = nullptr);

    // The live dot's brightness, 0..1, set by the sidebar's animation; 1 when motion is reduced.
    void setPulse(qreal pulse) { m_pulse = pulse; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // Where the title is painted in the row `option.rect`, and whether it had to be shortened.
    QRect titleRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    bool isTitleElided(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    // The title as painted: its text (elided when it does not fit) and its direction.
    struct ShownTitle
    {
        QString text;
        Qt::LayoutDirection direction = Qt::LeftToRight;
    };
    ShownTitle shownTitle(const QStyleOptionViewItem &option, const QModelIndex &index) const;

private:
    void paintHeader(QPainter *painter, const QStyleOptionViewItem &option,
                     const QModelIndex &index) const;
    // The trailing marks (live dot, queued ring and word); returns the width they take.
    int paintMarks(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                   const QColor &text) const;
    int marksWidth(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    qreal m_pulse = 1.0;
};

} // namespace qalam
