// MessageAccessible: one message of a ChatView as assistive technologies see it.
//
// A list item of the view's list (ChatViewAccessible): its name says who wrote it ("You", who
// answered, or a failed answer's error title), its description what became of it (answering,
// "Answer complete", the error's detail, the metrics line), and its text is the message as shown,
// without Markdown (what Copy copies), through QAccessibleTextInterface: characters, words,
// sentences and lines by Qt's boundary helpers, geometry of characters, and the selection, which
// is the view's own selection inside this message (setting it selects in the view).
//
// The interface stands for a message id (ChatView::messageId()), not an index, so it stays the
// same object while messages before it come and go; ChatViewAccessible creates one per message
// and deletes it when the message is removed. A message scrolled out of view is still a child,
// marked offscreen and invisible.
#pragma once

#include "ui/MessageLayout.h"

#include <QAccessible>
#include <QCoreApplication>
#include <QPointer>

#include <optional>
#include <vector>

namespace qalam {

class ChatView;

class MessageAccessible : public QAccessibleInterface, public QAccessibleTextInterface
{
    Q_DECLARE_TR_FUNCTIONS(qalam::MessageAccessible)

public:
    MessageAccessible(ChatView *view, quint64 id);

    quint64 messageId() const { return m_id; }
    // Where the message is now in the view; -1 once it was removed.
    int index() const;

    // QAccessibleInterface
    bool isValid() const override;
    QObject *object() const override { return nullptr; } // events go by unique id
    QWindow *window() const override;
    QAccessibleInterface *focusChild() const override { return nullptr; }
    QAccessibleInterface *childAt(int, int) const override { return nullptr; }
    QAccessibleInterface *parent() const override;
    QAccessibleInterface *child(int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface *) const override { return -1; }
    QString text(QAccessible::Text t) const override;
    void setText(QAccessible::Text, const QString &) override {}
    QRect rect() const override;
    QAccessible::Role role() const override { return QAccessible::ListItem; }
    QAccessible::State state() const override;
    void *interface_cast(QAccessible::InterfaceType type) override;

    // QAccessibleTextInterface
    void selection(int selectionIndex, int *startOffset, int *endOffset) const override;
    int selectionCount() const override;
    void addSelection(int startOffset, int endOffset) override;
    void removeSelection(int selectionIndex) override;
    void setSelection(int selectionIndex, int startOffset, int endOffset) override;
    int cursorPosition() const override;
    void setCursorPosition(int position) override;
    QString text(int startOffset, int endOffset) const override;
    int characterCount() const override;
    QRect characterRect(int offset) const override;
    int offsetAtPoint(const QPoint &point) const override;
    void scrollToSubstring(int startIndex, int endIndex) override;
    QString attributes(int offset, int *startOffset, int *endOffset) const override;

    // The whole text (cached until the message changes).
    const QString &plainText() const;
    // Who wrote it, as the view's header says.
    QString author() const;
    // The author and footer lines wrap names and figures in bidi isolates (U+2066–U+2069) for
    // display; read aloud they are nothing, and some speech engines spell them out.
    static QString withoutIsolates(QString text);

private:
    // The text's offsets against the blocks of a laid-out message: each block's plain text
    // starts at an offset; blocks are joined by a blank line, as MessageLayout::text() joins
    // them.
    struct TextMap
    {
        std::vector<qsizetype> starts;
        std::vector<qsizetype> lengths;
    };
    // Null when the message has no documents (far off screen): then it has no geometry either.
    const MessageLayout *laidOut() const;
    TextMap textMap(const MessageLayout &layout) const;
    int offsetOf(const MessageLayout &layout, const TextMap &map, BlockPosition position) const;
    BlockPosition positionOf(const MessageLayout &layout, const TextMap &map, int offset) const;
    std::optional<std::pair<int, int>> selectedOffsets() const;

    QPointer<ChatView> m_view;
    quint64 m_id = 0;
    // The text is built from the message's documents; rebuilt when the source or the streaming
    // state changed (a message only grows, or is finished or reopened).
    mutable QString m_text;
    mutable qsizetype m_textSource = -1;
    mutable bool m_textStreaming = false;
};

} // namespace qalam
