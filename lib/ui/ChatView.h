// ChatView: the scrolling list of messages of one conversation.
//
// A QAbstractScrollArea that paints MessageLayouts itself, so a conversation of thousands of
// messages lays out only what is on screen: other messages keep a cached (or estimated) height
// and no documents. Appending streamed text touches only the last message's open block.
// Selection spans messages; copying a whole message copies its Markdown source. The view
// follows the bottom only while the user is already there.
#pragma once

#include "ui/MessageLayout.h"

#include <QAbstractScrollArea>
#include <QUrl>

#include <memory>
#include <optional>
#include <vector>

namespace qalam {

class ChatView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    enum class Role { User, Assistant, System };
    Q_ENUM(Role)

    explicit ChatView(QWidget *parent = nullptr);
    ~ChatView() override;

    // What the context menu and keys offer for a message; the session decides (an answer that is
    // complete cannot be continued, one still streaming cannot be regenerated).
    struct Actions
    {
        bool regenerate = false;
        bool continueAnswer = false;
        bool edit = false;
    };

    struct Message
    {
        Role role = Role::Assistant;
        QString text;
        QString footer;
        bool streaming = false;
        Actions actions;
        int versionIndex = 0; // 1-based; with versionCount > 1 a ‹ 2/3 › switch is shown
        int versionCount = 0;
    };

    void clear();
    // Replaces everything: one layout pass for the whole conversation, however long.
    void setMessages(const QList<Message> &messages);
    // Appends a message and returns its index. User messages are shown as typed; others are
    // Markdown. A streaming message grows with appendText() until finishMessage().
    int appendMessage(Role role, const QString &text, bool streaming = false);
    void appendText(int index, QStringView text);
    void finishMessage(int index);
    // Makes a finished message stream again (continue in place): later text joins its last
    // block exactly as if it had never been finished.
    void reopenMessage(int index);
    void setActions(int index, const Actions &actions);
    void setVersion(int index, int versionIndex, int versionCount);
    // A small line under the message: metrics, or why the answer is incomplete.
    void setFooter(int index, const QString &text);
    // Removes messages from `index` on (regenerate, edit and resend).
    void removeMessagesFrom(int index);

    int messageCount() const { return int(m_rows.size()); }
    Role role(int index) const { return m_rows.at(size_t(index)).role; }
    QString messageText(int index) const { return m_rows.at(size_t(index)).layout->source(); }
    QString footer(int index) const { return m_rows.at(size_t(index)).footer; }
    Actions actions(int index) const { return m_rows.at(size_t(index)).actions; }
    bool isStreaming(int index) const { return m_rows.at(size_t(index)).layout->isStreaming(); }
    // Where the ‹ › version buttons of a message are (viewport coordinates; empty when none).
    QRect versionButtonRect(int index, int delta) const;

    QString selectedText() const;
    void selectAll();
    void clearSelection();
    void copySelection() const;
    void scrollToBottom();
    bool isAtBottom() const;

    // For tests and benchmarks: the geometry and layout the view is working with.
    const MessageLayout &messageLayout(int index) const { return *m_rows.at(size_t(index)).layout; }
    QRect messageContentRect(int index) const; // in viewport coordinates
    int documentCount() const;                 // messages that currently hold laid-out documents

Q_SIGNALS:
    void linkActivated(const QUrl &url);
    void regenerateRequested(int index);
    void editRequested(int index);
    void continueRequested(int index);
    // The previous (-1) or next (+1) version of the message at `index`: its ‹ › buttons, the
    // context menu, or Alt+Left / Alt+Right for the last message with versions.
    void versionRequested(int index, int delta);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    struct Row
    {
        Role role = Role::Assistant;
        std::unique_ptr<MessageLayout> layout;
        QString footer;
        Actions actions;
        int versionIndex = 0;
        int versionCount = 0;
        int contentHeight = 0; // exact when laid out at the current width, else an estimate
        bool exact = false;
    };

    struct Position
    {
        int row = -1;
        BlockPosition block;
        friend auto operator<=>(const Position &, const Position &) = default;
    };

    int contentWidth() const;
    int headerHeight() const;
    int footerHeight(const Row &row) const;
    QString versionLabel(const Row &row) const;
    // The switch's parts in logical (left-to-right) content coordinates of the footer line.
    QRect versionRectLogical(int row, int delta) const;
    int rowHeight(const Row &row) const;
    void refreshEstimates();
    void recomputeTops(int fromRow);
    void updateScrollRange();
    // Returns whether any row was laid out (its pixels or position may have changed).
    bool layOutVisibleRows();
    int rowAt(int contentY) const;
    std::optional<Position> positionAt(QPoint viewportPoint) const;
    QPoint contentOrigin(int row) const; // top-left of a row's message text, content coordinates
    int scrollY() const;
    std::optional<std::pair<BlockPosition, BlockPosition>> selectionInRow(int row) const;
    QString anchorAt(QPoint viewportPoint) const;
    // keptBlocks, from appendText() only: how many of the row's first blocks did not change, so
    // their pixels can stay when nothing else moved. Otherwise the whole viewport repaints.
    void contentChanged(int row, bool wasAtBottom, std::optional<int> keptBlocks = std::nullopt);

    std::vector<Row> m_rows;
    std::vector<int> m_tops; // top of each row in content coordinates; one extra entry: the end
    int m_estimateWidth = -1;
    std::optional<Position> m_anchor;
    std::optional<Position> m_cursor;
    bool m_selecting = false;
    QString m_pressedAnchor;
};

} // namespace qalam
