// ChatView: the scrolling list of messages of one conversation.
//
// A QAbstractScrollArea that paints MessageLayouts itself, so a conversation of thousands of
// messages lays out only what is on screen: other messages keep a cached (or estimated) height
// and no documents. Appending streamed text touches only the last message's open block.
// Selection spans messages; copying a whole message copies its Markdown source. The view
// follows the bottom only while the user is already there.
//
// Reading layout: a centred column of at most readingWidth() characters of the body font. A
// question is a bubble on its writer's side (the start side of its own text direction: an Arabic
// question on the right, an English one on the left, in either interface language); an answer is
// plain text under a small role mark and who answered ("Demo · qalam-demo"). Under each message a
// line holds its ‹ 2/3 › version switch, its actions (on hover, for the current message and for
// the last answer) and its footer (metrics). An answer that failed or was cut off shows a card
// with what happened and what can be done; one still waiting shows a live line (animated dots,
// static with reduce motion). Every colour comes from the palette.
//
// Keyboard: Ctrl+Up/Ctrl+Down move the current message, Tab/Shift+Tab its buttons, Enter or
// Space presses one; shortcuts act on the current message (see keyPressEvent()).
#pragma once

#include "ui/MessageLayout.h"

#include <QAbstractScrollArea>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <optional>
#include <vector>

class QToolButton;

namespace qalam {

class ChatViewAccessible;
class InlineEditor;

class ChatView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    enum class Role { User, Assistant, System };
    Q_ENUM(Role)

    explicit ChatView(QWidget *parent = nullptr);
    ~ChatView() override;

    // What the action bar, the card and the keys offer for a message; the session decides (an
    // answer that is complete cannot be continued, one still streaming cannot be regenerated).
    struct Actions
    {
        bool regenerate = false;
        bool continueAnswer = false;
        bool edit = false;
    };

    // Why an answer did not complete, shown where it would have been. Its buttons follow the
    // actions: Retry (regenerate), Continue, Edit (the question before it), and Open profile
    // when `openProfile`.
    struct Card
    {
        enum class Severity { Error, Warning };
        Severity severity = Severity::Error;
        QString title;
        QString detail;
        bool openProfile = false;
        bool isNull() const { return title.isEmpty(); }
        bool operator==(const Card &) const = default;
    };

    // A line at an answer while it waits: connecting, thinking, reconnecting with a countdown.
    struct LiveStatus
    {
        QString text;
        bool animated = false; // dots that move (static with reduce motion)
        bool isNull() const { return text.isEmpty(); }
        bool operator==(const LiveStatus &) const = default;
    };

    // What a message's buttons do.
    enum class Action {
        Copy,
        CopyMarkdown,
        Regenerate,
        Continue,
        Edit,
        Retry,        // on a card: regenerate
        EditQuestion, // on a card: edit the question it answers
        OpenProfile,
        PreviousVersion,
        NextVersion,
    };
    Q_ENUM(Action)

    struct Message
    {
        Role role = Role::Assistant;
        QString text;
        QString footer;
        QString author; // who answered; empty: "Assistant"
        Card card;
        LiveStatus live;
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
    // A small line under the message: metrics, or "Stopped".
    void setFooter(int index, const QString &text);
    void setAuthor(int index, const QString &author);
    void setCard(int index, const Card &card);
    void setLiveStatus(int index, const LiveStatus &status);
    // Removes messages from `index` on (regenerate, edit and resend).
    void removeMessagesFrom(int index);

    // The reading column: at most this many average characters of the body font wide; 0: the
    // whole width. Default 75.
    void setReadingWidth(int characters);
    int readingWidth() const { return m_readingWidth; }
    // Static indicators instead of moving ones.
    void setReduceMotion(bool on);
    bool reduceMotion() const { return m_reduceMotion; }

    int messageCount() const { return int(m_rows.size()); }
    Role role(int index) const { return m_rows.at(size_t(index)).role; }
    QString messageText(int index) const { return m_rows.at(size_t(index)).layout->source(); }
    // What the message shows, without Markdown (what Copy copies).
    QString messagePlainText(int index) const;
    QString footer(int index) const { return m_rows.at(size_t(index)).footer; }
    // The footer as painted: footer() plus the warning of hidden direction controls, if any.
    QString shownFooter(int index) const { return shownFooter(m_rows.at(size_t(index))); }
    QString author(int index) const { return m_rows.at(size_t(index)).author; }
    Card card(int index) const { return m_rows.at(size_t(index)).card; }
    LiveStatus liveStatus(int index) const { return m_rows.at(size_t(index)).live; }
    Actions actions(int index) const { return m_rows.at(size_t(index)).actions; }
    bool isStreaming(int index) const { return m_rows.at(size_t(index)).layout->isStreaming(); }

    // The message the keys act on (Ctrl+Up/Down, clicks and Tab move it); -1 when none.
    int currentMessage() const { return m_current; }
    void setCurrentMessage(int index);
    // Opens the question at `index` for editing in place (when it may be edited).
    bool editMessage(int index);
    InlineEditor *editor() const { return m_editor; }
    int editedMessage() const { return m_editor ? m_editRow : -1; }
    // The floating "Jump to latest" button (shown while scrolled up during or after new text).
    QToolButton *jumpToLatestButton() const { return m_jumpButton; }

    // Where things are, in viewport coordinates (empty when not shown), for tests and tools.
    QRect versionButtonRect(int index, int delta) const;
    QRect actionButtonRect(int index, Action action) const;
    QRect bubbleRect(int index) const;         // a question's bubble
    QRect columnRect() const;                  // the reading column
    QRect messageContentRect(int index) const; // the message's text
    QRect cardRect(int index) const;
    // The part of the viewport a message takes: an answer's part of the column, a question's
    // bubble with its line of buttons (on its writer's side). The focus ring is drawn around it.
    QRect messageRect(int index) const;

    // For the accessibility layer (ChatViewAccessible): an id per message that stays while the
    // message does and is never reused in this view (indices move when messages are removed);
    // the selection inside one message, and selecting inside one message.
    quint64 messageId(int index) const { return m_rows.at(size_t(index)).id; }
    int indexOfMessage(quint64 id) const; // -1 once it is gone
    std::optional<std::pair<BlockPosition, BlockPosition>> selectionInMessage(int index) const
    {
        return index >= 0 && index < messageCount() ? selectionInRow(index) : std::nullopt;
    }
    void selectInMessage(int index, BlockPosition from, BlockPosition to);
    // Scrolls until the message is on screen, laid out (with its documents).
    void scrollToMessage(int index);

    QString selectedText() const;
    void selectAll();
    void clearSelection();
    void copySelection() const;
    void scrollToBottom();
    bool isAtBottom() const;

    // For tests and benchmarks: the layout the view is working with.
    const MessageLayout &messageLayout(int index) const { return *m_rows.at(size_t(index)).layout; }
    int documentCount() const; // messages that currently hold laid-out documents

Q_SIGNALS:
    void linkActivated(const QUrl &url);
    void regenerateRequested(int index);
    void continueRequested(int index);
    // The edited question at `index`, from the inline editor's "Save & send".
    void editSubmitted(int index, const QString &text);
    // The previous (-1) or next (+1) version of the message at `index`: its ‹ › buttons, the
    // context menu, or Alt+Left / Alt+Right.
    void versionRequested(int index, int delta);
    // A card's "Open profile": the connection settings are what to fix.
    void openProfileRequested();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    bool focusNextPrevChild(bool next) override;
    bool event(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    struct Row
    {
        Role role = Role::Assistant;
        std::unique_ptr<MessageLayout> layout;
        QString footer;
        QString author;
        Card card;
        LiveStatus live;
        Actions actions;
        int versionIndex = 0;
        int versionCount = 0;
        bool rightToLeft = false; // a question's own direction: its bubble's side
        int contentHeight = 0;    // exact when laid out at the current width, else an estimate
        int availableWidth = -1;  // the width the text was laid out for
        int textWidth = 0;        // the width it was laid out at (a bubble may shrink to its text)
        int cardHeight = 0;       // for cardWidth
        int cardWidth = -1;
        bool exact = false;
        quint64 id = 0; // messageId()
    };

    struct Position
    {
        int row = -1;
        BlockPosition block;
        friend auto operator<=>(const Position &, const Position &) = default;
    };

    // A painted button: what it does, where it is (viewport coordinates), what it says.
    struct Button
    {
        Action action;
        QRect rect;
        QString label;
        bool enabled = true;
    };

    // Sizes that follow the font, computed once per font.
    struct Metrics
    {
        int lineSpacing = 0;
        int smallHeight = 0;
        int headerHeight = 0;
        int metaHeight = 0;
        int liveHeight = 0;
        int rowGap = 0;
        int bubblePadX = 0;
        int bubblePadY = 0;
        int cardPad = 0;
        int cardGap = 0;
    };

    void updateMetrics();
    QFont smallFont() const;
    int columnLeft() const;
    int columnWidth() const;
    int availableTextWidth(const Row &row) const;
    int estimateFor(const Row &row) const;
    int cardHeightFor(Row &row) const;
    int rowHeight(const Row &row) const;
    int bodyTop(const Row &row) const; // from the row's top to its text (or bubble)
    int metaTop(int index) const;      // content coordinates of the meta line's top
    int cardTop(int index) const;      // content coordinates
    QRect bubbleRectContent(int index) const;
    bool actionsShown(int index) const;
    std::vector<Button> buttonsOf(int index) const;
    std::vector<Button> metaButtons(int index) const;
    std::vector<Button> cardButtons(int index) const;
    QString actionLabel(Action action) const;
    QString actionToolTip(Action action) const;
    std::optional<Button> buttonAt(QPoint viewportPoint) const;
    void trigger(int index, Action action);
    int questionFor(int index) const;
    void copyMessage(int index, bool markdown) const;
    void refreshEstimates();
    void recomputeTops(int fromRow);
    void updateScrollRange();
    // Returns whether any row was laid out (its pixels or position may have changed).
    bool layOutVisibleRows();
    void buildAhead();
    int layOutRow(Row &row, int available);
    int rowAt(int contentY) const;
    std::optional<Position> positionAt(QPoint viewportPoint) const;
    QPoint contentOrigin(int row) const; // top-left of a row's message text, content coordinates
    int scrollY() const;
    QRect rowRect(int index) const; // viewport coordinates
    void updateRow(int index);
    std::optional<std::pair<BlockPosition, BlockPosition>> selectionInRow(int row) const;
    QString anchorAt(QPoint viewportPoint) const;
    // keptBlocks, from appendText() only: how many of the row's first blocks did not change, so
    // their pixels can stay when nothing else moved. Otherwise the whole viewport repaints.
    void contentChanged(int row, bool wasAtBottom, std::optional<int> keptBlocks = std::nullopt);
    void relayoutAll();
    void paintRow(QPainter &painter, int index, const QRect &dirty);
    QString shownFooter(const Row &row) const;
    QString directionControlAt(QPoint viewportPoint) const;
    void paintHeader(QPainter &painter, const Row &row, const QRect &rect) const;
    void paintCard(QPainter &painter, int index, const QRect &rect);
    void paintLive(QPainter &painter, const Row &row, const QRect &rect) const;
    void paintButtons(QPainter &painter, int index, const std::vector<Button> &buttons,
                      bool prominent) const;
    void updateJumpButton();
    void updateDotsTimer();
    void placeEditor();
    void closeEditor();
    void ensureVisible(int index);
    void retranslate();
    ChatViewAccessible *accessibility(); // null while no assistive technology listens

    std::vector<Row> m_rows;
    std::vector<int> m_tops; // top of each row in content coordinates; one extra entry: the end
    Metrics m_metrics;
    int m_estimateWidth = -1;
    int m_readingWidth = 75;
    bool m_reduceMotion = false;
    std::optional<Position> m_anchor;
    std::optional<Position> m_cursor;
    bool m_selecting = false;
    QString m_pressedAnchor;
    int m_hoverRow = -1;
    std::optional<Action> m_hoverAction;
    int m_current = -1;
    std::optional<Action> m_focusAction; // the current message's button that Tab reached
    bool m_unseenBelow = false;          // text arrived while the user read further up
    QToolButton *m_jumpButton = nullptr;
    InlineEditor *m_editor = nullptr; // a child of the viewport while a question is edited
    int m_editRow = -1;
    QTimer m_aheadTimer; // buildAhead() in idle time
    QTimer m_dotsTimer;
    int m_dotsPhase = 0;
    quint64 m_nextId = 1;
};

} // namespace qalam
