#include "ConversationListView.h"

#include <QKeyEvent>

namespace qalam {

ConversationListView::ConversationListView(QWidget *parent) : QListView(parent)
{
    setEditTriggers(QAbstractItemView::EditKeyPressed);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setMouseTracking(true); // hover highlight
    setFrameShape(QFrame::NoFrame);
}

QModelIndex ConversationListView::moveCursor(CursorAction cursorAction,
                                             Qt::KeyboardModifiers modifiers)
{
    QModelIndex index = QListView::moveCursor(cursorAction, modifiers);
    if (!model() || !index.isValid() || (model()->flags(index) & Qt::ItemIsEnabled))
        return index;
    // QListView skips disabled rows for Up and Down only. Every heading is followed by at least
    // one conversation of its group, so the next enabled row is the one meant; a heading at
    // the end (none is) would fall back to the row before.
    const bool backwards = cursorAction == MoveUp || cursorAction == MovePrevious;
    for (int row = index.row(); row >= 0 && row < model()->rowCount(rootIndex());
         row += backwards ? -1 : 1) {
        const QModelIndex candidate = model()->index(row, modelColumn(), rootIndex());
        if (model()->flags(candidate) & Qt::ItemIsEnabled)
            return candidate;
    }
    for (int row = index.row(); row >= 0; --row) {
        const QModelIndex candidate = model()->index(row, modelColumn(), rootIndex());
        if (model()->flags(candidate) & Qt::ItemIsEnabled)
            return candidate;
    }
    return currentIndex();
}

void ConversationListView::focusInEvent(QFocusEvent *event)
{
    // QAbstractItemView would make the first row current (unselected) here; Down would then
    // skip it.
    if (!currentIndex().isValid()) {
        // NOLINTNEXTLINE(bugprone-parent-virtual-call): skipping it is the point
        QAbstractScrollArea::focusInEvent(event);
        viewport()->update();
        return;
    }
    QListView::focusInEvent(event);
}

void ConversationListView::keyPressEvent(QKeyEvent *event)
{
    if ((event->key() == Qt::Key_Delete || event->matches(QKeySequence::Delete)) &&
        state() != EditingState && currentIndex().isValid()) {
        Q_EMIT deleteRequested(currentIndex());
        event->accept();
        return;
    }
    QListView::keyPressEvent(event);
}

} // namespace qalam
