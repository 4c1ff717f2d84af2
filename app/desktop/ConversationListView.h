// ConversationListView: the sidebar's list. The keyboard moves over conversations only: Up and
// Down pass over the date headings (they are disabled items), and Home, End, Page Up and Page
// Down never stop on one either. Delete asks to delete the current conversation; F2 edits its
// title (the view's edit trigger). Taking the focus does not pick a row by itself, so the first
// Down opens the first conversation rather than the second.
#pragma once

#include <QListView>

namespace qalam {

class ConversationListView : public QListView
{
    Q_OBJECT

public:
    explicit ConversationListView(QWidget *parent = nullptr);

    // A title editor is open.
    bool isEditing() const { return state() == EditingState; }

Q_SIGNALS:
    void deleteRequested(const QModelIndex &index);

protected:
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    void keyPressEvent(QKeyEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
};

} // namespace qalam
