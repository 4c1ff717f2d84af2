#include "ui/ChatView.h"

#include "ui/TextDirection.h"

#include "ui/ChatViewAccessible.h"
#include "ui/InlineEditor.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontMetrics>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QStyle>
#include <QTextCursor>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace qalam {

namespace {

constexpr int kPaddingX = 16;
constexpr int kPaddingTop = 16;
// Messages further than this many viewport heights from the screen give their documents back.
constexpr int kKeepDocumentsViewports = 3;
// A question's bubble takes at most this share of the column.
constexpr double kBubbleShare = 0.8;
constexpr int kChipPadX = 7;
constexpr int kChipSpacing = 2;
constexpr int kCardRadius = 8;

bool isSafeLink(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1String("http") || scheme == QLatin1String("https") ||
           scheme == QLatin1String("mailto");
}

QColor blend(const QColor &base, const QColor &over, double amount)
{
    return QColor::fromRgbF(float(base.redF() + (over.redF() - base.redF()) * amount),
                            float(base.greenF() + (over.greenF() - base.greenF()) * amount),
                            float(base.blueF() + (over.blueF() - base.blueF()) * amount));
}

// The palette has no "error" colour: the accent is the highlight's saturation and lightness at a
// red (error) or amber (warning) hue, so it keeps the theme's contrast in light and dark ones.
QColor accentFor(const QPalette &palette, ChatView::Card::Severity severity)
{
    const QColor highlight = palette.color(QPalette::Highlight);
    const int hue = severity == ChatView::Card::Severity::Error ? 4 : 34;
    return QColor::fromHsl(hue, std::max(highlight.hslSaturation(), 160),
                           std::clamp(highlight.lightness(), 100, 150));
}

QKeySequence shortcutOf(ChatView::Action action)
{
    switch (action) {
    case ChatView::Action::Copy:
        return QKeySequence(QKeySequence::Copy);
    case ChatView::Action::CopyMarkdown:
        return QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C);
    case ChatView::Action::Regenerate:
    case ChatView::Action::Retry:
        return QKeySequence(Qt::CTRL | Qt::Key_R);
    case ChatView::Action::Continue:
        return QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return);
    case ChatView::Action::Edit:
    case ChatView::Action::EditQuestion:
        return QKeySequence(Qt::Key_F2);
    case ChatView::Action::PreviousVersion:
        return QKeySequence(Qt::ALT | Qt::Key_Left);
    case ChatView::Action::NextVersion:
        return QKeySequence(Qt::ALT | Qt::Key_Right);
    case ChatView::Action::OpenProfile:
        break;
    }
    return {};
}

} // namespace

ChatView::ChatView(QWidget *parent) : QAbstractScrollArea(parent)
{
    // Screen readers see the messages as a list of items (ChatViewAccessible); once per process.
    static const bool accessibleFactory = [] {
        QAccessible::installFactory(&ChatViewAccessible::factory);
        return true;
    }();
    Q_UNUSED(accessibleFactory);
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setCursor(Qt::IBeamCursor);
    // paintEvent() fills what it repaints: Qt need not clear it first, and scrolling can move
    // the pixels already painted instead of repainting them.
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setMouseTracking(true);
    m_tops.push_back(kPaddingTop);

    // A child of the scroll area, not of the viewport: scrolling moves the viewport's children.
    m_jumpButton = new QToolButton(this);
    m_jumpButton->setObjectName(QStringLiteral("jumpToLatest"));
    m_jumpButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_jumpButton->setFocusPolicy(Qt::TabFocus);
    m_jumpButton->hide();
    connect(m_jumpButton, &QToolButton::clicked, this, [this] {
        scrollToBottom();
        m_unseenBelow = false;
        updateJumpButton();
    });

    // Idle time parses the rows of the next screen up and down (buildAhead()).
    m_aheadTimer.setSingleShot(true);
    m_aheadTimer.setInterval(0);
    connect(&m_aheadTimer, &QTimer::timeout, this, &ChatView::buildAhead);

    m_dotsTimer.setParent(this); // a child: tests see it among the view's timers
    m_dotsTimer.setInterval(450);
    connect(&m_dotsTimer, &QTimer::timeout, this, [this] {
        ++m_dotsPhase;
        for (int i = rowAt(scrollY());
             i < messageCount() && m_tops[size_t(i)] < scrollY() + viewport()->height(); ++i) {
            if (m_rows[size_t(i)].live.animated)
                updateRow(i);
        }
    });
    updateMetrics();
    retranslate();
}

ChatView::~ChatView() = default;

void ChatView::retranslate()
{
    setAccessibleName(tr("Conversation"));
    setAccessibleDescription(
        tr("The messages of the conversation. Ctrl+Up and Ctrl+Down move between messages, Tab "
           "reaches the current message's buttons."));
    viewport()->setAccessibleName(tr("Conversation"));
    m_jumpButton->setText(tr("↓ Jump to latest"));
    m_jumpButton->setToolTip(tr("Scroll to the newest text (End)"));
    m_jumpButton->setAccessibleName(tr("Jump to latest"));
}

QFont ChatView::smallFont() const
{
    QFont small = font();
    if (small.pointSizeF() > 0)
        small.setPointSizeF(small.pointSizeF() * 0.88);
    else
        small.setPixelSize(std::max(8, int(small.pixelSize() * 0.88)));
    return small;
}

void ChatView::updateMetrics()
{
    const QFontMetrics body(font());
    const QFontMetrics small(smallFont());
    m_metrics.lineSpacing = body.lineSpacing();
    m_metrics.smallHeight = small.height();
    m_metrics.headerHeight = small.height() + 10;
    m_metrics.metaHeight = small.height() + 12;
    m_metrics.liveHeight = body.lineSpacing() + 8;
    m_metrics.rowGap = body.lineSpacing();
    m_metrics.bubblePadX = std::max(10, body.averageCharWidth() * 3 / 2);
    m_metrics.bubblePadY = std::max(6, body.lineSpacing() / 2);
    m_metrics.cardPad = std::max(10, body.lineSpacing() * 2 / 3);
    m_metrics.cardGap = std::max(6, body.lineSpacing() / 2);
    verticalScrollBar()->setSingleStep(body.lineSpacing() * 3);
}

int ChatView::columnWidth() const
{
    const int available = std::max(50, viewport()->width() - 2 * kPaddingX);
    if (m_readingWidth <= 0)
        return available;
    return std::min(available, m_readingWidth * QFontMetrics(font()).averageCharWidth());
}

int ChatView::columnLeft() const
{
    return std::max(0, (viewport()->width() - columnWidth()) / 2);
}

QRect ChatView::columnRect() const
{
    return {columnLeft(), 0, columnWidth(), viewport()->height()};
}

int ChatView::availableTextWidth(const Row &row) const
{
    if (row.role == Role::User)
        return std::max(40, int(columnWidth() * kBubbleShare) - 2 * m_metrics.bubblePadX);
    return columnWidth();
}

int ChatView::estimateFor(const Row &row) const
{
    if (row.layout->source().isEmpty())
        return 0;
    return row.layout->estimatedHeight(availableTextWidth(row), font());
}

void ChatView::setReadingWidth(int characters)
{
    characters = std::max(0, characters);
    if (characters == m_readingWidth)
        return;
    m_readingWidth = characters;
    const bool wasAtBottom = isAtBottom();
    refreshEstimates();
    updateScrollRange();
    if (wasAtBottom)
        scrollToBottom();
    layOutVisibleRows();
    placeEditor();
    updateJumpButton();
    viewport()->update();
}

void ChatView::setReduceMotion(bool on)
{
    m_reduceMotion = on;
    updateDotsTimer();
    viewport()->update();
}

int ChatView::cardHeightFor(Row &row) const
{
    if (row.card.isNull())
        return 0;
    const int width = columnWidth();
    if (row.cardWidth == width)
        return row.cardHeight;
    QFont bold = font();
    bold.setBold(true);
    const int inner = width - 3 * m_metrics.cardPad - m_metrics.smallHeight;
    const int title = QFontMetrics(bold)
                          .boundingRect(QRect(0, 0, inner, 10000), Qt::TextWordWrap, row.card.title)
                          .height();
    const int detail =
        row.card.detail.isEmpty()
            ? 0
            : 4 + QFontMetrics(smallFont())
                      .boundingRect(QRect(0, 0, inner, 10000), Qt::TextWordWrap, row.card.detail)
                      .height();
    row.cardWidth = width;
    row.cardHeight =
        m_metrics.cardPad + title + detail + 8 + m_metrics.metaHeight + m_metrics.cardPad / 2;
    return row.cardHeight;
}

int ChatView::bodyTop(const Row &row) const
{
    return row.role == Role::User ? 0 : m_metrics.headerHeight;
}

int ChatView::rowHeight(const Row &row) const
{
    const bool edited = m_editor && m_editRow >= 0 && m_editRow < messageCount() &&
                        &m_rows[size_t(m_editRow)] == &row;
    int height = 0;
    if (row.role == Role::User) {
        height = edited ? m_editor->heightForWidth(m_editor->width())
                        : 2 * m_metrics.bubblePadY + row.contentHeight;
    } else {
        height = m_metrics.headerHeight + row.contentHeight;
        if (!row.live.isNull())
            height += m_metrics.liveHeight;
        if (!row.card.isNull())
            height += m_metrics.cardGap + row.cardHeight;
    }
    return height + m_metrics.metaHeight + m_metrics.rowGap;
}

int ChatView::scrollY() const
{
    return verticalScrollBar()->value();
}

bool ChatView::isAtBottom() const
{
    return scrollY() >= verticalScrollBar()->maximum() - 2;
}

void ChatView::clear()
{
    closeEditor();
    if (ChatViewAccessible *accessible = accessibility())
        accessible->removingMessages(0);
    m_rows.clear();
    m_tops.assign(1, kPaddingTop);
    m_anchor.reset();
    m_cursor.reset();
    m_current = -1;
    m_hoverRow = -1;
    m_focusAction.reset();
    m_unseenBelow = false;
    updateScrollRange();
    updateJumpButton();
    updateDotsTimer();
    viewport()->update();
    if (ChatViewAccessible *accessible = accessibility())
        accessible->messagesReset();
}

void ChatView::setMessages(const QList<Message> &messages)
{
    closeEditor();
    if (ChatViewAccessible *accessible = accessibility())
        accessible->removingMessages(0);
    m_rows.clear();
    m_rows.reserve(size_t(messages.size()));
    m_anchor.reset();
    m_cursor.reset();
    m_current = -1;
    m_hoverRow = -1;
    m_focusAction.reset();
    m_unseenBelow = false;
    for (const Message &message : messages) {
        Row row;
        row.id = m_nextId++;
        row.role = message.role;
        row.footer = message.footer;
        row.author = message.author;
        row.card = message.card;
        row.live = message.live;
        row.actions = message.actions;
        row.versionIndex = message.versionIndex;
        row.versionCount = message.versionCount;
        row.rightToLeft =
            message.role == Role::User && TextDirection::of(message.text) == Qt::RightToLeft;
        row.layout = std::make_unique<MessageLayout>(message.text, message.streaming,
                                                     message.role == Role::User
                                                         ? MessageLayout::Format::PlainText
                                                         : MessageLayout::Format::Markdown);
        row.availableWidth = availableTextWidth(row);
        row.textWidth = row.availableWidth;
        row.contentHeight = estimateFor(row);
        row.exact = row.layout->source().isEmpty();
        cardHeightFor(row);
        m_rows.push_back(std::move(row));
    }
    m_estimateWidth = columnWidth();
    m_tops.assign(1, kPaddingTop);
    recomputeTops(0);
    updateScrollRange();
    scrollToBottom(); // a conversation opens at its latest message
    layOutVisibleRows();
    updateJumpButton();
    updateDotsTimer();
    viewport()->update();
    if (ChatViewAccessible *accessible = accessibility())
        accessible->messagesReset();
}

int ChatView::appendMessage(Role role, const QString &text, bool streaming)
{
    const bool wasAtBottom = isAtBottom();
    Row row;
    row.id = m_nextId++;
    row.role = role;
    row.rightToLeft = role == Role::User && TextDirection::of(text) == Qt::RightToLeft;
    row.layout = std::make_unique<MessageLayout>(
        text, streaming,
        role == Role::User ? MessageLayout::Format::PlainText : MessageLayout::Format::Markdown);
    row.availableWidth = availableTextWidth(row);
    row.textWidth = row.availableWidth;
    row.contentHeight = estimateFor(row);
    row.exact = text.isEmpty();
    m_rows.push_back(std::move(row));
    m_tops.push_back(m_tops.back());
    contentChanged(int(m_rows.size()) - 1, wasAtBottom);
    if (ChatViewAccessible *accessible = accessibility())
        accessible->messageAppended(messageCount() - 1);
    return int(m_rows.size()) - 1;
}

void ChatView::appendText(int index, QStringView text)
{
    if (index < 0 || index >= messageCount() || text.isEmpty())
        return;
    const bool wasAtBottom = isAtBottom();
    Row &row = m_rows[size_t(index)];
    // Appending re-creates at most the last block of a message (the one still growing) and adds
    // blocks after it; the blocks before it keep their documents and their pixels.
    const int keptBlocks = std::max(0, row.layout->blockCount() - 1);
    if (row.role == Role::User && row.layout->source().isEmpty())
        row.rightToLeft = TextDirection::of(text) == Qt::RightToLeft;
    row.layout->appendText(text);
    row.exact = false;
    contentChanged(index, wasAtBottom, keptBlocks);
    if (ChatViewAccessible *accessible = accessibility())
        accessible->textAppended(index, text);
}

void ChatView::finishMessage(int index)
{
    if (index < 0 || index >= messageCount())
        return;
    const bool wasAtBottom = isAtBottom();
    m_rows[size_t(index)].layout->finish();
    m_rows[size_t(index)].exact = m_rows[size_t(index)].layout->source().isEmpty();
    contentChanged(index, wasAtBottom);
    if (ChatViewAccessible *accessible = accessibility())
        accessible->messageFinished(index);
}

void ChatView::reopenMessage(int index)
{
    if (index < 0 || index >= messageCount() || m_rows[size_t(index)].layout->isStreaming())
        return;
    const bool wasAtBottom = isAtBottom();
    Row &row = m_rows[size_t(index)];
    // A streaming layout of the same source splits it the same way but keeps its last block
    // open, so a continuation in mid-word lands in that block, not in a new paragraph.
    const QString source = row.layout->source();
    row.layout =
        std::make_unique<MessageLayout>(source, true,
                                        row.role == Role::User ? MessageLayout::Format::PlainText
                                                               : MessageLayout::Format::Markdown);
    row.exact = false;
    contentChanged(index, wasAtBottom);
    if (ChatViewAccessible *accessible = accessibility())
        accessible->messageReopened(index);
}

void ChatView::setActions(int index, const Actions &actions)
{
    if (index < 0 || index >= messageCount())
        return;
    Row &row = m_rows[size_t(index)];
    if (row.actions.regenerate == actions.regenerate &&
        row.actions.continueAnswer == actions.continueAnswer && row.actions.edit == actions.edit)
        return;
    row.actions = actions;
    updateRow(index);
    // A card's Edit button belongs to the question before it.
    if (index + 1 < messageCount() && !m_rows[size_t(index) + 1].card.isNull())
        updateRow(index + 1);
}

void ChatView::setVersion(int index, int versionIndex, int versionCount)
{
    if (index < 0 || index >= messageCount())
        return;
    Row &row = m_rows[size_t(index)];
    row.versionIndex = versionIndex;
    row.versionCount = versionCount;
    updateRow(index); // the meta line is always there: no height changes
}

void ChatView::setFooter(int index, const QString &text)
{
    if (index < 0 || index >= messageCount() || m_rows[size_t(index)].footer == text)
        return;
    m_rows[size_t(index)].footer = text;
    updateRow(index);
}

void ChatView::setAuthor(int index, const QString &author)
{
    if (index < 0 || index >= messageCount() || m_rows[size_t(index)].author == author)
        return;
    m_rows[size_t(index)].author = author;
    updateRow(index);
}

void ChatView::setCard(int index, const Card &card)
{
    if (index < 0 || index >= messageCount() || m_rows[size_t(index)].card == card)
        return;
    const bool wasAtBottom = isAtBottom();
    Row &row = m_rows[size_t(index)];
    row.card = card;
    row.cardWidth = -1;
    cardHeightFor(row);
    contentChanged(index, wasAtBottom);
    if (ChatViewAccessible *accessible = accessibility())
        accessible->messageChanged(index); // a card names a failed answer
}

void ChatView::setLiveStatus(int index, const LiveStatus &status)
{
    if (index < 0 || index >= messageCount() || m_rows[size_t(index)].live == status)
        return;
    Row &row = m_rows[size_t(index)];
    const bool heightChanges = row.live.isNull() != status.isNull();
    row.live = status;
    if (heightChanges)
        contentChanged(index, isAtBottom());
    else
        updateRow(index); // a countdown: same line, new text
    updateDotsTimer();
}

void ChatView::removeMessagesFrom(int index)
{
    if (index < 0 || index >= messageCount())
        return;
    if (m_editor && m_editRow >= index)
        closeEditor();
    if (ChatViewAccessible *accessible = accessibility())
        accessible->removingMessages(index);
    m_rows.erase(m_rows.begin() + index, m_rows.end());
    m_tops.resize(m_rows.size() + 1);
    if (m_anchor && (m_anchor->row >= index || (m_cursor && m_cursor->row >= index)))
        clearSelection();
    if (m_current >= index)
        m_current = messageCount() - 1;
    if (m_hoverRow >= index)
        m_hoverRow = -1;
    updateScrollRange();
    layOutVisibleRows();
    updateJumpButton();
    updateDotsTimer();
    viewport()->update();
}

void ChatView::contentChanged(int row, bool wasAtBottom, std::optional<int> keptBlocks)
{
    const int topBefore = row >= 0 ? m_tops[size_t(row)] : 0;
    bool laidOut = false;
    if (isVisible() && row >= 0) {
        Row &changed = m_rows[size_t(row)];
        const int available = availableTextWidth(changed);
        const int height = layOutRow(changed, available);
        laidOut = changed.layout->hasDocuments();
        changed.contentHeight = height;
        changed.exact = true;
    }
    recomputeTops(std::max(0, row));
    updateScrollRange();
    if (wasAtBottom)
        scrollToBottom(); // scrollContentsBy() moves the pixels or asks for a full repaint
    else if (row == messageCount() - 1)
        m_unseenBelow = true;
    const bool othersLaidOut = layOutVisibleRows();
    placeEditor();
    updateJumpButton();

    // While an answer streams this runs every frame: repaint only from the first block that
    // changed down, when nothing above it moved. Everything else repaints the whole viewport.
    const MessageLayout *layout = row >= 0 ? m_rows[size_t(row)].layout.get() : nullptr;
    if (!keptBlocks || !laidOut || othersLaidOut || m_tops[size_t(row)] != topBefore ||
        !layout->hasDocuments()) {
        viewport()->update();
        return;
    }
    const int changedTop =
        *keptBlocks > 0 && *keptBlocks < layout->blockCount() ? layout->blockTop(*keptBlocks) : 0;
    const int y = std::max(0, contentOrigin(row).y() + changedTop - scrollY());
    viewport()->update(QRect(0, y, viewport()->width(), viewport()->height() - y));
}

void ChatView::recomputeTops(int fromRow)
{
    m_tops.resize(m_rows.size() + 1);
    if (m_tops.empty() || fromRow == 0)
        m_tops[0] = kPaddingTop;
    for (size_t i = size_t(fromRow); i < m_rows.size(); ++i)
        m_tops[i + 1] = m_tops[i] + rowHeight(m_rows[i]);
}

void ChatView::updateScrollRange()
{
    const int total = m_tops.back();
    QScrollBar *bar = verticalScrollBar();
    bar->setPageStep(viewport()->height());
    bar->setRange(0, std::max(0, total - viewport()->height()));
}

void ChatView::scrollToBottom()
{
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void ChatView::refreshEstimates()
{
    const int width = columnWidth();
    if (width == m_estimateWidth)
        return;
    m_estimateWidth = width;
    for (Row &row : m_rows) {
        const int available = availableTextWidth(row);
        // A bubble shrunk to its text is laid out again for the new width.
        const int cached = row.role == Role::User ? -1 : row.layout->cachedHeight(available);
        row.availableWidth = available;
        if (cached >= 0) {
            row.exact = true;
            row.textWidth = available;
            row.contentHeight = cached;
        } else {
            row.exact = row.layout->source().isEmpty();
            row.textWidth = available;
            row.contentHeight = estimateFor(row);
        }
        cardHeightFor(row);
    }
    recomputeTops(0);
}

int ChatView::rowAt(int contentY) const
{
    const auto it = std::upper_bound(m_tops.begin(), m_tops.end(), contentY);
    return std::clamp(int(it - m_tops.begin()) - 1, 0, std::max(0, messageCount() - 1));
}

int ChatView::layOutRow(Row &row, int available)
{
    row.availableWidth = available;
    row.textWidth = available;
    if (row.layout->source().isEmpty())
        return 0;
    int height = row.layout->layout(available, font());
    if (row.role == Role::User) {
        // A short question's bubble is as wide as its text, not as the column.
        qreal ideal = 0;
        for (int i = 0; i < row.layout->blockCount(); ++i)
            ideal = std::max(ideal, row.layout->block(i)->idealWidth());
        const int fit = std::min(available, int(std::ceil(ideal)) + 2);
        if (fit < available) {
            height = row.layout->layout(fit, font());
            row.textWidth = fit;
        }
    }
    return height;
}

// Lays out the rows on screen (and a margin around it), replacing estimates with exact
// heights. When a row above the first visible one changes height, the scroll position moves
// by the same amount, so what the user is reading does not jump.
bool ChatView::layOutVisibleRows()
{
    if (m_rows.empty())
        return false;
    refreshEstimates();
    const bool followBottom = isAtBottom();
    bool laidOut = false;
    for (int pass = 0; pass < 4; ++pass) {
        const int top = scrollY();
        const int bottom = top + viewport()->height();
        const int first = rowAt(top);
        const int last = rowAt(bottom);
        bool changed = false;
        for (int i = std::max(0, first - 1); i <= std::min(messageCount() - 1, last + 1); ++i) {
            Row &row = m_rows[size_t(i)];
            const int available = availableTextWidth(row);
            if (row.exact && row.availableWidth == available &&
                (row.layout->source().isEmpty() ||
                 (row.layout->hasDocuments() &&
                  row.layout->cachedHeight(row.textWidth) == row.contentHeight)))
                continue;
            const int height = layOutRow(row, available);
            laidOut = true;
            const int delta = height - row.contentHeight;
            row.contentHeight = height;
            row.exact = true;
            if (delta == 0)
                continue;
            changed = true;
            recomputeTops(i);
            updateScrollRange();
            if (!followBottom && i < first)
                verticalScrollBar()->setValue(scrollY() + delta);
        }
        if (followBottom)
            scrollToBottom();
        if (!changed)
            break;
    }

    // Give back the documents of rows far from the screen; their heights stay cached. The rows
    // laid out above keep theirs even when far (the row before a very tall one): releasing them
    // here would lay them out again on the next call, every frame of a stream.
    const int keepTop = scrollY() - kKeepDocumentsViewports * viewport()->height();
    const int keepBottom = scrollY() + (kKeepDocumentsViewports + 1) * viewport()->height();
    const size_t firstKept = size_t(std::max(0, rowAt(scrollY()) - 1));
    const size_t lastKept = size_t(rowAt(scrollY() + viewport()->height())) + 1;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if ((i < firstKept || i > lastKept) &&
            (m_tops[i + 1] < keepTop || m_tops[i] > keepBottom) &&
            (m_rows[i].layout->hasDocuments() || m_rows[i].layout->isBuildingAhead()) &&
            !m_rows[i].layout->isStreaming())
            m_rows[i].layout->releaseDocuments();
    }
    if (!m_aheadTimer.isActive())
        m_aheadTimer.start();
    return laidOut;
}

void ChatView::buildAhead()
{
    // One block per turn of the event loop, nearest rows first: parsing, highlighting and
    // laying out the answer a wheel step brings into view was most of that frame (a code-heavy
    // one took twice the usual). The row's height is set only when it comes into view, so the
    // screen does not move here.
    if (m_rows.empty() || !isVisible())
        return;
    const int height = viewport()->height();
    const int first = rowAt(std::max(0, scrollY() - height));
    const int last = rowAt(scrollY() + 2 * height);
    const int visibleFirst = rowAt(scrollY());
    const int visibleLast = rowAt(scrollY() + height);
    for (int distance = 1; visibleFirst - distance >= first || visibleLast + distance <= last;
         ++distance) {
        for (const int i : {visibleFirst - distance, visibleLast + distance}) {
            if (i < first || i > last)
                continue;
            Row &row = m_rows[size_t(i)];
            if (row.layout->hasDocuments() || row.layout->source().isEmpty() ||
                row.layout->isStreaming())
                continue;
            row.layout->buildAhead(font(), availableTextWidth(row), 1);
            m_aheadTimer.start();
            return;
        }
    }
}

int ChatView::documentCount() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [](const Row &row) { return row.layout->hasDocuments(); }));
}

QRect ChatView::bubbleRectContent(int index) const
{
    const Row &row = m_rows[size_t(index)];
    const int width = row.textWidth + 2 * m_metrics.bubblePadX;
    const int left = row.rightToLeft ? columnLeft() + columnWidth() - width : columnLeft();
    return {left, m_tops[size_t(index)], width, 2 * m_metrics.bubblePadY + row.contentHeight};
}

QPoint ChatView::contentOrigin(int index) const
{
    const Row &row = m_rows[size_t(index)];
    if (row.role == Role::User)
        return bubbleRectContent(index).topLeft() +
               QPoint(m_metrics.bubblePadX, m_metrics.bubblePadY);
    return {columnLeft(), m_tops[size_t(index)] + bodyTop(row)};
}

int ChatView::cardTop(int index) const
{
    const Row &row = m_rows[size_t(index)];
    return contentOrigin(index).y() + row.contentHeight +
           (row.live.isNull() ? 0 : m_metrics.liveHeight) + m_metrics.cardGap;
}

int ChatView::metaTop(int index) const
{
    return m_tops[size_t(index) + 1] - m_metrics.rowGap - m_metrics.metaHeight;
}

QRect ChatView::rowRect(int index) const
{
    return {0, m_tops[size_t(index)] - scrollY(), viewport()->width(),
            m_tops[size_t(index) + 1] - m_tops[size_t(index)]};
}

void ChatView::updateRow(int index)
{
    if (index >= 0 && index < messageCount())
        viewport()->update(rowRect(index).adjusted(0, -4, 0, 4));
}

QRect ChatView::messageContentRect(int index) const
{
    const Row &row = m_rows.at(size_t(index));
    const QPoint origin = contentOrigin(index) - QPoint(0, scrollY());
    return {origin, QSize(row.textWidth, row.contentHeight)};
}

QRect ChatView::messageRect(int index) const
{
    if (index < 0 || index >= messageCount())
        return {};
    const Row &row = m_rows[size_t(index)];
    const int top = m_tops[size_t(index)] - scrollY();
    const int height = m_tops[size_t(index) + 1] - m_tops[size_t(index)] - m_metrics.rowGap;
    if (row.role != Role::User || (m_editor && m_editRow == index))
        return {columnLeft(), top, columnWidth(), height};
    QRect rect = bubbleRect(index);
    // The line under the bubble, as wide as the bubble or its buttons.
    rect |= QRect(rect.left(), metaTop(index) - scrollY(), rect.width(), m_metrics.metaHeight);
    for (const Button &button : metaButtons(index))
        rect |= button.rect;
    return rect;
}

int ChatView::indexOfMessage(quint64 id) const
{
    // Ids grow with the index: rows are only appended, replaced all at once, or cut at the end.
    const auto found =
        std::lower_bound(m_rows.begin(), m_rows.end(), id,
                         [](const Row &row, quint64 wanted) { return row.id < wanted; });
    return found != m_rows.end() && found->id == id ? int(found - m_rows.begin()) : -1;
}

void ChatView::selectInMessage(int index, BlockPosition from, BlockPosition to)
{
    if (index < 0 || index >= messageCount())
        return;
    m_anchor = Position{index, from};
    m_cursor = Position{index, to};
    m_selecting = false;
    viewport()->update();
}

void ChatView::scrollToMessage(int index)
{
    if (index < 0 || index >= messageCount())
        return;
    ensureVisible(index);
    layOutVisibleRows();
    viewport()->update();
}

ChatViewAccessible *ChatView::accessibility()
{
    return ChatViewAccessible::of(this);
}

QRect ChatView::bubbleRect(int index) const
{
    if (index < 0 || index >= messageCount() || m_rows[size_t(index)].role != Role::User)
        return {};
    return bubbleRectContent(index).translated(0, -scrollY());
}

QRect ChatView::cardRect(int index) const
{
    if (index < 0 || index >= messageCount() || m_rows[size_t(index)].card.isNull())
        return {};
    return {columnLeft(), cardTop(index) - scrollY(), columnWidth(),
            m_rows[size_t(index)].cardHeight};
}

int ChatView::questionFor(int index) const
{
    for (int i = std::min(index, messageCount() - 1); i >= 0; --i) {
        if (m_rows[size_t(i)].role == Role::User)
            return i;
    }
    return -1;
}

bool ChatView::actionsShown(int index) const
{
    const Row &row = m_rows[size_t(index)];
    if (row.layout->isStreaming() || (m_editor && m_editRow == index))
        return false;
    return index == m_hoverRow || index == m_current ||
           (index == messageCount() - 1 && row.role != Role::User);
}

QString ChatView::actionLabel(Action action) const
{
    switch (action) {
    case Action::Copy:
        return tr("Copy");
    case Action::CopyMarkdown:
        return tr("Copy Markdown");
    case Action::Regenerate:
        return tr("Regenerate");
    case Action::Continue:
        return tr("Continue");
    case Action::Edit:
        return tr("Edit");
    case Action::Retry:
        return tr("Retry");
    case Action::EditQuestion:
        return tr("Edit question");
    case Action::OpenProfile:
        return tr("Open profile");
    case Action::PreviousVersion:
        return layoutDirection() == Qt::RightToLeft ? QStringLiteral("›") : QStringLiteral("‹");
    case Action::NextVersion:
        return layoutDirection() == Qt::RightToLeft ? QStringLiteral("‹") : QStringLiteral("›");
    }
    return {};
}

QString ChatView::actionToolTip(Action action) const
{
    QString text;
    switch (action) {
    case Action::Copy:
        text = tr("Copy the text");
        break;
    case Action::CopyMarkdown:
        text = tr("Copy as Markdown");
        break;
    case Action::Regenerate:
        text = tr("Ask again; this answer stays as an earlier version");
        break;
    case Action::Retry:
        text = tr("Ask again");
        break;
    case Action::Continue:
        text = tr("Continue the answer where it stopped");
        break;
    case Action::Edit:
    case Action::EditQuestion:
        text = tr("Edit the question and send it again");
        break;
    case Action::OpenProfile:
        text = tr("Open the connection profile (URL, key, model)");
        break;
    case Action::PreviousVersion:
        text = tr("Previous version");
        break;
    case Action::NextVersion:
        text = tr("Next version");
        break;
    }
    const QKeySequence shortcut = shortcutOf(action);
    if (shortcut.isEmpty())
        return text;
    QString keys = shortcut.toString(QKeySequence::NativeText);
    if (action == Action::Edit || action == Action::EditQuestion)
        keys = tr("E or %1").arg(keys);
    return QStringLiteral("%1 (%2)").arg(text, keys); // punctuation only: no translation
}

std::vector<ChatView::Button> ChatView::metaButtons(int index) const
{
    std::vector<Button> buttons;
    const Row &row = m_rows[size_t(index)];
    const QFontMetrics small(smallFont());
    const int chipHeight = m_metrics.smallHeight + 8;
    const int y = metaTop(index) - scrollY() + (m_metrics.metaHeight - chipHeight) / 2;
    // A question's line sits on its bubble's side, an answer's on the interface's leading side.
    const bool rtl =
        row.role == Role::User ? row.rightToLeft : layoutDirection() == Qt::RightToLeft;
    const int start = rtl ? columnLeft() + columnWidth() : columnLeft();
    int x = 0;
    const auto place = [&](Action action, int width, bool enabled = true) {
        const QRect rect = rtl ? QRect(start - x - width, y, width, chipHeight)
                               : QRect(start + x, y, width, chipHeight);
        x += width + kChipSpacing;
        buttons.push_back({action, rect, actionLabel(action), enabled});
    };
    if (row.versionCount > 1) {
        place(Action::PreviousVersion, chipHeight, row.versionIndex > 1);
        x += small.horizontalAdvance(QStringLiteral("%1/%2").arg(
                 QLocale().toString(row.versionIndex), QLocale().toString(row.versionCount))) +
             8;
        place(Action::NextVersion, chipHeight, row.versionIndex < row.versionCount);
        x += 6;
    }
    if (!actionsShown(index))
        return buttons;
    const auto chip = [&](Action action) {
        place(action, small.horizontalAdvance(actionLabel(action)) + 2 * kChipPadX);
    };
    const bool hasText = !row.layout->source().isEmpty();
    if (hasText)
        chip(Action::Copy);
    if (row.role == Role::User) {
        if (row.actions.edit)
            chip(Action::Edit);
        return buttons;
    }
    if (hasText)
        chip(Action::CopyMarkdown);
    if (row.card.isNull()) { // a card carries these itself
        if (row.actions.regenerate)
            chip(Action::Regenerate);
        if (row.actions.continueAnswer)
            chip(Action::Continue);
    }
    return buttons;
}

std::vector<ChatView::Button> ChatView::cardButtons(int index) const
{
    std::vector<Button> buttons;
    const Row &row = m_rows[size_t(index)];
    if (row.card.isNull())
        return buttons;
    const QRect card = cardRect(index);
    const QFontMetrics small(smallFont());
    const int chipHeight = m_metrics.smallHeight + 10;
    const int y = card.bottom() + 1 - m_metrics.cardPad / 2 - m_metrics.metaHeight +
                  (m_metrics.metaHeight - chipHeight) / 2;
    const bool rtl = layoutDirection() == Qt::RightToLeft;
    const int inset = 2 * m_metrics.cardPad + m_metrics.smallHeight;
    const int start = rtl ? card.right() + 1 - inset : card.left() + inset;
    int x = 0;
    const auto place = [&](Action action) {
        const int width = small.horizontalAdvance(actionLabel(action)) + 3 * kChipPadX;
        buttons.push_back({action,
                           rtl ? QRect(start - x - width, y, width, chipHeight)
                               : QRect(start + x, y, width, chipHeight),
                           actionLabel(action), true});
        x += width + 6;
    };
    const int question = questionFor(index);
    const bool canEdit = question >= 0 && m_rows[size_t(question)].actions.edit;
    if (row.card.severity == Card::Severity::Warning) {
        if (row.actions.continueAnswer)
            place(Action::Continue);
        if (row.actions.regenerate)
            place(Action::Regenerate);
        if (canEdit)
            place(Action::EditQuestion);
    } else {
        if (row.actions.regenerate)
            place(Action::Retry);
        if (canEdit)
            place(Action::EditQuestion);
    }
    if (row.card.openProfile)
        place(Action::OpenProfile);
    return buttons;
}

std::vector<ChatView::Button> ChatView::buttonsOf(int index) const
{
    std::vector<Button> buttons = cardButtons(index);
    for (Button &button : metaButtons(index)) {
        if (button.enabled)
            buttons.push_back(std::move(button));
    }
    return buttons;
}

QRect ChatView::versionButtonRect(int index, int delta) const
{
    if (index < 0 || index >= messageCount() || delta == 0)
        return {};
    const Action wanted = delta < 0 ? Action::PreviousVersion : Action::NextVersion;
    for (const Button &button : metaButtons(index)) {
        if (button.action == wanted)
            return button.rect;
    }
    return {};
}

QRect ChatView::actionButtonRect(int index, Action action) const
{
    if (index < 0 || index >= messageCount())
        return {};
    for (const Button &button : buttonsOf(index)) {
        if (button.action == action)
            return button.rect;
    }
    return {};
}

std::optional<ChatView::Button> ChatView::buttonAt(QPoint point) const
{
    if (m_rows.empty())
        return std::nullopt;
    const int index = rowAt(point.y() + scrollY());
    for (const Button &button : buttonsOf(index)) {
        if (button.rect.contains(point))
            return button;
    }
    return std::nullopt;
}

void ChatView::trigger(int index, Action action)
{
    if (index < 0 || index >= messageCount())
        return;
    switch (action) {
    case Action::Copy:
        copyMessage(index, false);
        break;
    case Action::CopyMarkdown:
        copyMessage(index, true);
        break;
    case Action::Regenerate:
    case Action::Retry:
        Q_EMIT regenerateRequested(index);
        break;
    case Action::Continue:
        Q_EMIT continueRequested(index);
        break;
    case Action::Edit:
        editMessage(index);
        break;
    case Action::EditQuestion:
        editMessage(questionFor(index));
        break;
    case Action::OpenProfile:
        Q_EMIT openProfileRequested();
        break;
    case Action::PreviousVersion:
        Q_EMIT versionRequested(index, -1);
        break;
    case Action::NextVersion:
        Q_EMIT versionRequested(index, 1);
        break;
    }
}

QString ChatView::messagePlainText(int index) const
{
    const Row &row = m_rows.at(size_t(index));
    if (row.role == Role::User)
        return row.layout->source();
    if (row.layout->hasDocuments())
        return row.layout->text({}, row.layout->endPosition());
    // Off screen: its documents were given back; a copy is laid out just for this.
    MessageLayout copy(row.layout->source(), false, MessageLayout::Format::Markdown);
    copy.layout(std::max(50, row.availableWidth), font());
    return copy.text({}, copy.endPosition());
}

void ChatView::copyMessage(int index, bool markdown) const
{
    if (index < 0 || index >= messageCount())
        return;
    const QString text = markdown ? messageText(index) : messagePlainText(index);
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void ChatView::setCurrentMessage(int index)
{
    if (m_rows.empty())
        index = -1;
    else
        index = std::clamp(index, -1, messageCount() - 1);
    const int previous = m_current;
    m_current = index;
    m_focusAction.reset();
    updateRow(previous);
    if (index < 0)
        return;
    ensureVisible(index);
    updateRow(index);
    if (ChatViewAccessible *accessible = accessibility(); accessible && index != previous)
        accessible->currentChanged();
}

void ChatView::ensureVisible(int index)
{
    const int top = m_tops[size_t(index)] - kPaddingTop / 2;
    const int bottom = m_tops[size_t(index) + 1];
    if (top < scrollY())
        verticalScrollBar()->setValue(top);
    else if (bottom > scrollY() + viewport()->height())
        verticalScrollBar()->setValue(std::min(top, bottom - viewport()->height()));
}

bool ChatView::editMessage(int index)
{
    if (index < 0 || index >= messageCount() || m_rows[size_t(index)].role != Role::User ||
        !m_rows[size_t(index)].actions.edit)
        return false;
    closeEditor();
    m_editRow = index;
    m_editor = new InlineEditor(messageText(index), viewport());
    const int width = std::max(120, int(columnWidth() * kBubbleShare));
    m_editor->resize(width, m_editor->heightForWidth(width));
    connect(m_editor, &InlineEditor::submitted, this, [this](const QString &text) {
        const int row = m_editRow;
        closeEditor();
        Q_EMIT editSubmitted(row, text);
    });
    connect(m_editor, &InlineEditor::cancelled, this, &ChatView::closeEditor);
    connect(m_editor, &InlineEditor::heightChanged, this, [this] {
        if (!m_editor)
            return;
        recomputeTops(m_editRow);
        updateScrollRange();
        placeEditor();
        viewport()->update();
    });
    recomputeTops(index);
    updateScrollRange();
    ensureVisible(index);
    placeEditor();
    m_editor->show();
    m_editor->textEdit()->setFocus();
    viewport()->update();
    return true;
}

void ChatView::placeEditor()
{
    if (!m_editor || m_editRow < 0 || m_editRow >= messageCount())
        return;
    const int width = std::max(120, int(columnWidth() * kBubbleShare));
    const int height = m_editor->heightForWidth(width);
    const bool rtl = m_rows[size_t(m_editRow)].rightToLeft;
    const int left = rtl ? columnLeft() + columnWidth() - width : columnLeft();
    const QRect wanted(left, m_tops[size_t(m_editRow)] - scrollY(), width, height);
    if (m_editor->geometry() != wanted) {
        m_editor->setGeometry(wanted);
        if (m_tops[size_t(m_editRow) + 1] - m_tops[size_t(m_editRow)] !=
            rowHeight(m_rows[size_t(m_editRow)])) {
            recomputeTops(m_editRow);
            updateScrollRange();
        }
    }
}

void ChatView::closeEditor()
{
    if (!m_editor)
        return;
    const bool hadFocus = m_editor->isAncestorOf(QApplication::focusWidget());
    InlineEditor *editor = m_editor;
    m_editor = nullptr;
    editor->hide();
    editor->deleteLater();
    const int row = m_editRow;
    m_editRow = -1;
    if (row >= 0 && row < messageCount()) {
        recomputeTops(row);
        updateScrollRange();
    }
    if (hadFocus)
        setFocus();
    viewport()->update();
}

void ChatView::updateJumpButton()
{
    if (isAtBottom())
        m_unseenBelow = false;
    const bool streaming = std::any_of(m_rows.begin(), m_rows.end(),
                                       [](const Row &row) { return row.layout->isStreaming(); });
    const bool show = !m_rows.empty() && !isAtBottom() && (streaming || m_unseenBelow);
    if (show) {
        m_jumpButton->adjustSize();
        const QRect area = viewport()->geometry();
        const QSize size = m_jumpButton->sizeHint();
        m_jumpButton->move(area.left() + (area.width() - size.width()) / 2,
                           area.bottom() - size.height() - 12);
        m_jumpButton->raise();
    }
    if (m_jumpButton->isVisibleTo(this) != show)
        m_jumpButton->setVisible(show);
}

void ChatView::updateDotsTimer()
{
    bool animated = false;
    if (isVisible() && !m_reduceMotion && !m_rows.empty()) {
        for (int i = rowAt(scrollY());
             i < messageCount() && m_tops[size_t(i)] < scrollY() + viewport()->height(); ++i)
            animated = animated || m_rows[size_t(i)].live.animated;
    }
    if (animated && !m_dotsTimer.isActive())
        m_dotsTimer.start();
    else if (!animated)
        m_dotsTimer.stop();
}

void ChatView::paintEvent(QPaintEvent *event)
{
    // Only what intersects the update region is drawn: while an answer streams that is its last
    // block, not the whole screen. (Pixels outside it are clipped by Qt anyway; this skips the
    // work.)
    const QRect dirty = event->rect();
    QPainter painter(viewport());
    painter.fillRect(dirty, palette().base());
    if (m_rows.empty())
        return;
    const int top = scrollY();
    const int bottom = top + dirty.bottom() + 1;
    for (int i = rowAt(top + dirty.top()); i < messageCount() && m_tops[size_t(i)] < bottom; ++i)
        paintRow(painter, i, dirty);
}

void ChatView::paintRow(QPainter &painter, int index, const QRect &dirty)
{
    const Row &row = m_rows[size_t(index)];
    const QPalette &pal = palette();
    const int top = scrollY();
    painter.setRenderHint(QPainter::Antialiasing, true);

    if (index == m_current && hasFocus()) {
        // The keyboard's current message: a focus ring in the theme's highlight colour around
        // what the message takes (a question's bubble and buttons, on its writer's side). It
        // stays inside the row's update rectangle (updateRow()).
        const QRect frame = messageRect(index).adjusted(-8, -4, 8, 4);
        painter.setPen(QPen(pal.color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(QRectF(frame).adjusted(1, 1, -1, -1), 8, 8);
    }

    const bool edited = m_editor && m_editRow == index;
    if (row.role == Role::User && !edited) {
        const QRect bubble = bubbleRectContent(index).translated(0, -top);
        if (bubble.intersects(dirty)) {
            const QColor base = pal.color(QPalette::Base);
            const QColor fill = blend(base, pal.color(QPalette::Highlight), 0.13);
            // On black (the high-contrast theme) the tint is all but invisible: the bubble gets
            // an outline in the palette's border colour then.
            if (base.lightnessF() < 0.04)
                painter.setPen(QPen(pal.color(QPalette::Mid), 1));
            else
                painter.setPen(Qt::NoPen);
            painter.setBrush(fill);
            const qreal radius = std::min(14.0, bubble.height() / 2.0);
            painter.drawRoundedRect(QRectF(bubble).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
        }
    } else if (row.role != Role::User) {
        const QRect header(columnLeft(), m_tops[size_t(index)] - top, columnWidth(),
                           m_metrics.headerHeight);
        if (header.intersects(dirty))
            paintHeader(painter, row, header);
    }

    if (!edited && row.layout->hasDocuments()) {
        const QPoint origin = contentOrigin(index) - QPoint(0, top);
        const QRect textRect(origin, QSize(row.textWidth, row.contentHeight));
        if (textRect.intersects(dirty)) {
            painter.save();
            painter.translate(origin);
            const QRect clip = QRect(QPoint(0, 0), textRect.size())
                                   .adjusted(-4, 0, 4, 0)
                                   .intersected(dirty.translated(-origin));
            row.layout->paint(&painter, clip, pal, selectionInRow(index));
            painter.restore();
        }
    }

    if (!row.live.isNull()) {
        const QRect live(columnLeft(), contentOrigin(index).y() + row.contentHeight - top,
                         columnWidth(), m_metrics.liveHeight);
        if (live.intersects(dirty))
            paintLive(painter, row, live);
    }
    if (!row.card.isNull()) {
        const QRect card = cardRect(index);
        if (card.intersects(dirty))
            paintCard(painter, index, card);
    }

    const QRect meta(0, metaTop(index) - top, viewport()->width(), m_metrics.metaHeight);
    if (!meta.intersects(dirty))
        return;
    const std::vector<Button> buttons = metaButtons(index);
    paintButtons(painter, index, buttons, false);
    QFont small = smallFont();
    painter.setFont(small);
    const QFontMetrics metrics(small);
    int used = 0; // of the column, from the leading side
    const bool rtl =
        row.role == Role::User ? row.rightToLeft : layoutDirection() == Qt::RightToLeft;
    for (const Button &button : buttons)
        used = std::max(used, rtl ? columnLeft() + columnWidth() - button.rect.left()
                                  : button.rect.right() + 1 - columnLeft());
    if (row.versionCount > 1) {
        const QRect previous = versionButtonRect(index, -1);
        const QRect next = versionButtonRect(index, 1);
        const QRect label = rtl ? QRect(next.right() + 1, previous.top(),
                                        previous.left() - next.right() - 1, previous.height())
                                : QRect(previous.right() + 1, previous.top(),
                                        next.left() - previous.right() - 1, previous.height());
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(label, Qt::AlignCenter,
                         QStringLiteral("%1/%2").arg(QLocale().toString(row.versionIndex),
                                                     QLocale().toString(row.versionCount)));
    }
    const QString footer = shownFooter(row);
    if (!footer.isEmpty()) {
        // At the trailing end of the column: it stays put when the actions appear on hover.
        const int room = columnWidth() - used - 12;
        if (room > 20) {
            const QString text = metrics.elidedText(footer, Qt::ElideRight, room);
            const int width = metrics.horizontalAdvance(text);
            const bool uiRtl = layoutDirection() == Qt::RightToLeft;
            const QRect area = uiRtl ? QRect(columnLeft(), meta.top(), width, meta.height())
                                     : QRect(columnLeft() + columnWidth() - width, meta.top(),
                                             width, meta.height());
            painter.setPen(pal.color(QPalette::PlaceholderText));
            painter.drawText(area, Qt::AlignVCenter | Qt::AlignAbsolute | Qt::AlignLeft, text);
        }
    }
}

// The footer as painted: a message whose text carried hidden direction controls (shown as marks
// in the text, not applied) says so first, since those are how a displayed number or host name
// is made to read differently from what was sent.
QString ChatView::shownFooter(const Row &row) const
{
    if (!row.layout->hasDirectionControls())
        return row.footer;
    const QString warning = tr("⚠ Contains hidden direction controls");
    //: The separator of the footer's parts, as in qalam::FigureText: "، " in Arabic.
    return row.footer.isEmpty() ? warning : warning + tr(" · ") + row.footer;
}

void ChatView::paintHeader(QPainter &painter, const Row &row, const QRect &rect) const
{
    const QPalette &pal = palette();
    const bool rtl = layoutDirection() == Qt::RightToLeft;
    const int mark = m_metrics.smallHeight;
    const int y = rect.top() + (rect.height() - 10 - mark) / 2;
    const QRectF circle(rtl ? rect.right() + 1 - mark : rect.left(), y, mark, mark);
    painter.setPen(Qt::NoPen);
    painter.setBrush(pal.color(QPalette::Highlight));
    painter.drawEllipse(circle);
    // A four-pointed spark: the assistant's mark, drawn, so no font needs the glyph.
    const QPointF c = circle.center();
    const qreal r = mark * 0.32;
    const qreal w = mark * 0.09;
    QPainterPath spark;
    spark.moveTo(c.x(), c.y() - r);
    spark.quadTo(c.x() + w, c.y() - w, c.x() + r, c.y());
    spark.quadTo(c.x() + w, c.y() + w, c.x(), c.y() + r);
    spark.quadTo(c.x() - w, c.y() + w, c.x() - r, c.y());
    spark.quadTo(c.x() - w, c.y() - w, c.x(), c.y() - r);
    painter.setBrush(pal.color(QPalette::HighlightedText));
    painter.drawPath(spark);

    QFont font = smallFont();
    font.setWeight(QFont::DemiBold);
    painter.setFont(font);
    painter.setPen(pal.color(QPalette::Text));
    const QString name = row.role == Role::System ? tr("System")
                         : row.author.isEmpty()   ? tr("Assistant")
                                                  : row.author;
    const int gap = 8;
    const QRect text(rtl ? rect.left() : rect.left() + mark + gap, y, rect.width() - mark - gap,
                     mark);
    painter.drawText(text, Qt::AlignVCenter | Qt::AlignLeft,
                     QFontMetrics(font).elidedText(name, Qt::ElideRight, text.width()));
}

void ChatView::paintLive(QPainter &painter, const Row &row, const QRect &rect) const
{
    const QPalette &pal = palette();
    const bool rtl = layoutDirection() == Qt::RightToLeft;
    const int dot = std::max(4, m_metrics.lineSpacing / 4);
    const int y = rect.top() + (rect.height() - dot) / 2;
    QColor color = pal.color(QPalette::PlaceholderText);
    painter.setPen(Qt::NoPen);
    for (int k = 0; k < 3; ++k) {
        const bool lit = !row.live.animated || m_reduceMotion || m_dotsPhase % 3 == k;
        color.setAlphaF(lit ? 0.95f : 0.35f);
        painter.setBrush(color);
        const int offset = k * (dot + dot / 2 + 2);
        const int x = rtl ? rect.right() + 1 - offset - dot : rect.left() + offset;
        painter.drawEllipse(QRect(x, y, dot, dot));
    }
    const int used = 3 * (dot + dot / 2 + 2) + 6;
    painter.setFont(font());
    painter.setPen(pal.color(QPalette::PlaceholderText));
    const QRect text = rtl ? rect.adjusted(0, 0, -used, 0) : rect.adjusted(used, 0, 0, 0);
    painter.drawText(text, Qt::AlignVCenter | Qt::AlignLeft,
                     QFontMetrics(font()).elidedText(row.live.text, Qt::ElideRight, text.width()));
}

void ChatView::paintCard(QPainter &painter, int index, const QRect &rect)
{
    const Row &row = m_rows[size_t(index)];
    const QPalette &pal = palette();
    const QColor accent = accentFor(pal, row.card.severity);
    const bool rtl = layoutDirection() == Qt::RightToLeft;
    painter.setPen(QPen(blend(pal.color(QPalette::Base), accent, 0.55), 1));
    painter.setBrush(blend(pal.color(QPalette::Base), accent, 0.09));
    painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), kCardRadius, kCardRadius);

    const int pad = m_metrics.cardPad;
    const int icon = m_metrics.smallHeight;
    const QRect iconRect(rtl ? rect.right() + 1 - pad - icon : rect.left() + pad, rect.top() + pad,
                         icon, icon);
    painter.setPen(Qt::NoPen);
    painter.setBrush(accent);
    painter.drawEllipse(iconRect);
    QFont bold = font();
    bold.setBold(true);
    QFont mark = bold;
    mark.setPixelSize(std::max(8, icon * 3 / 4));
    painter.setFont(mark);
    painter.setPen(pal.color(QPalette::Base));
    painter.drawText(iconRect, Qt::AlignCenter, QStringLiteral("!"));

    const int inner = rect.width() - 3 * pad - icon;
    const int textLeft = rtl ? rect.left() + pad : rect.left() + 2 * pad + icon;
    painter.setFont(bold);
    painter.setPen(pal.color(QPalette::Text));
    const QRect title = QFontMetrics(bold).boundingRect(QRect(0, 0, inner, 10000), Qt::TextWordWrap,
                                                        row.card.title);
    const QRect titleRect(textLeft, rect.top() + pad, inner, title.height());
    painter.drawText(titleRect, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, row.card.title);
    if (!row.card.detail.isEmpty()) {
        const QFont small = smallFont();
        painter.setFont(small);
        painter.setPen(blend(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.8));
        const int detailTop = titleRect.bottom() + 1 + 4;
        painter.drawText(QRect(textLeft, detailTop, inner, rect.bottom() - detailTop),
                         Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, row.card.detail);
    }
    paintButtons(painter, index, cardButtons(index), true);
}

void ChatView::paintButtons(QPainter &painter, int index, const std::vector<Button> &buttons,
                            bool prominent) const
{
    if (buttons.empty())
        return;
    const QPalette &pal = palette();
    QFont small = smallFont();
    if (prominent)
        small.setWeight(QFont::DemiBold);
    for (const Button &button : buttons) {
        const bool hovered = index == m_hoverRow && m_hoverAction == button.action;
        const bool focused = index == m_current && m_focusAction == button.action && hasFocus();
        const QRectF rect = QRectF(button.rect).adjusted(0.5, 0.5, -0.5, -0.5);
        const qreal radius = rect.height() / 2;
        if (prominent) {
            painter.setPen(QPen(pal.color(QPalette::Mid), 1));
            painter.setBrush(hovered ? pal.color(QPalette::Midlight) : pal.color(QPalette::Button));
            painter.drawRoundedRect(rect, radius, radius);
        } else if (hovered && button.enabled) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(blend(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.08));
            painter.drawRoundedRect(rect, radius, radius);
        }
        if (focused) {
            painter.setPen(QPen(pal.color(QPalette::Highlight), 2));
            painter.setBrush(Qt::NoBrush);
            painter.drawRoundedRect(rect, radius, radius);
        }
        painter.setFont(small);
        painter.setPen(!button.enabled ? blend(pal.color(QPalette::Base),
                                               pal.color(QPalette::PlaceholderText), 0.5)
                       : prominent     ? pal.color(QPalette::ButtonText)
                       : hovered       ? pal.color(QPalette::Text)
                                       : pal.color(QPalette::PlaceholderText));
        painter.drawText(button.rect, Qt::AlignCenter, button.label);
    }
}

void ChatView::resizeEvent(QResizeEvent *event)
{
    const bool wasAtBottom = isAtBottom();
    QAbstractScrollArea::resizeEvent(event);
    refreshEstimates();
    updateScrollRange();
    if (wasAtBottom)
        scrollToBottom();
    layOutVisibleRows();
    placeEditor();
    updateJumpButton();
}

void ChatView::scrollContentsBy(int dx, int dy)
{
    // When no row changed height, everything on screen just moved: move the pixels (what
    // QAbstractScrollArea does by default) and repaint only what scrolled into view.
    if (layOutVisibleRows())
        viewport()->update();
    else
        viewport()->scroll(dx, dy);
    placeEditor();
    updateJumpButton();
    updateDotsTimer();
}

bool ChatView::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        // Keys the view acts on while it has focus, before any window shortcut takes them.
        const auto *key = static_cast<QKeyEvent *>(event);
        const Qt::KeyboardModifiers mods = key->modifiers() & ~Qt::KeypadModifier;
        const bool ours =
            key->matches(QKeySequence::Copy) ||
            (mods == (Qt::ControlModifier | Qt::ShiftModifier) &&
             (key->key() == Qt::Key_C || key->key() == Qt::Key_Return ||
              key->key() == Qt::Key_Enter)) ||
            (mods == Qt::ControlModifier &&
             (key->key() == Qt::Key_Up || key->key() == Qt::Key_Down)) ||
            (mods == Qt::NoModifier && (key->key() == Qt::Key_E || key->key() == Qt::Key_F2));
        if (ours) {
            event->accept();
            return true;
        }
    }
    return QAbstractScrollArea::event(event);
}

bool ChatView::viewportEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::Show:
        QMetaObject::invokeMethod(
            this,
            [this] {
                layOutVisibleRows();
                updateDotsTimer();
                viewport()->update();
            },
            Qt::QueuedConnection);
        break;
    case QEvent::Hide:
        m_dotsTimer.stop();
        break;
    case QEvent::Leave:
        if (m_hoverRow >= 0) {
            const int row = m_hoverRow;
            m_hoverRow = -1;
            m_hoverAction.reset();
            updateRow(row);
        }
        break;
    case QEvent::ToolTip: {
        const auto *help = static_cast<QHelpEvent *>(event);
        if (const auto button = buttonAt(help->pos())) {
            QToolTip::showText(help->globalPos(), actionToolTip(button->action), viewport(),
                               button->rect);
        } else if (const QString mark = directionControlAt(help->pos()); !mark.isEmpty()) {
            QToolTip::showText(help->globalPos(), mark, viewport());
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    default:
        break;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void ChatView::relayoutAll()
{
    updateMetrics();
    m_estimateWidth = -1; // fonts change every height
    for (Row &row : m_rows) {
        row.layout->releaseDocuments();
        row.cardWidth = -1;
    }
    refreshEstimates();
    updateScrollRange();
    layOutVisibleRows();
    placeEditor();
    updateJumpButton();
    viewport()->update();
}

void ChatView::changeEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::FontChange:
    case QEvent::LayoutDirectionChange:
    case QEvent::StyleChange:
    case QEvent::PaletteChange:
        // A theme is a palette: documents that took colours from it are built again.
        relayoutAll();
        break;
    case QEvent::LanguageChange:
        retranslate();
        viewport()->update(); // the labels are translated as they are painted
        break;
    default:
        break;
    }
    QAbstractScrollArea::changeEvent(event);
}

void ChatView::focusInEvent(QFocusEvent *event)
{
    if (m_current < 0 && !m_rows.empty() &&
        (event->reason() == Qt::TabFocusReason || event->reason() == Qt::BacktabFocusReason ||
         event->reason() == Qt::ShortcutFocusReason))
        setCurrentMessage(messageCount() - 1);
    updateRow(m_current);
    QAbstractScrollArea::focusInEvent(event);
    // Qt announces the view itself after this event: the current message is announced after
    // that, so a screen reader lands on it.
    if (accessibility())
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (ChatViewAccessible *accessible = accessibility())
                    accessible->currentChanged();
            },
            Qt::QueuedConnection);
}

void ChatView::focusOutEvent(QFocusEvent *event)
{
    m_focusAction.reset();
    updateRow(m_current);
    QAbstractScrollArea::focusOutEvent(event);
}

bool ChatView::focusNextPrevChild(bool next)
{
    // Tab walks the current message's buttons before it leaves the view; Shift+Tab walks them
    // back to the view itself.
    if (hasFocus() && m_current >= 0 && m_current < messageCount()) {
        const std::vector<Button> buttons = buttonsOf(m_current);
        int position = -1;
        for (size_t i = 0; i < buttons.size(); ++i) {
            if (m_focusAction == buttons[i].action)
                position = int(i);
        }
        if (position < 0) {
            if (next && !buttons.empty()) {
                m_focusAction = buttons.front().action;
                updateRow(m_current);
                return true;
            }
        } else {
            const int target = position + (next ? 1 : -1);
            if (target >= 0 && target < int(buttons.size())) {
                m_focusAction = buttons[size_t(target)].action;
                updateRow(m_current);
                return true;
            }
            m_focusAction.reset();
            updateRow(m_current);
            if (!next)
                return true;
        }
    }
    return QAbstractScrollArea::focusNextPrevChild(next);
}

std::optional<ChatView::Position> ChatView::positionAt(QPoint point) const
{
    if (m_rows.empty())
        return std::nullopt;
    const int y = point.y() + scrollY();
    const int row = rowAt(y);
    const MessageLayout &layout = *m_rows[size_t(row)].layout;
    if (!layout.hasDocuments())
        return std::nullopt;
    const QPoint local = QPoint(point.x(), y) - contentOrigin(row);
    if (local.y() < 0)
        return Position{row, {}};
    if (local.y() >= m_rows[size_t(row)].contentHeight)
        return Position{row, layout.endPosition()};
    return Position{row, layout.hitTest(local)};
}

QString ChatView::anchorAt(QPoint point) const
{
    if (m_rows.empty())
        return {};
    const int y = point.y() + scrollY();
    const int row = rowAt(y);
    const MessageLayout &layout = *m_rows[size_t(row)].layout;
    if (!layout.hasDocuments())
        return {};
    const QPoint local = QPoint(point.x(), y) - contentOrigin(row);
    if (local.y() < 0 || local.y() >= m_rows[size_t(row)].contentHeight)
        return {};
    return layout.anchorAt(local);
}

// What a hidden direction control shown as a mark under `point` (viewport coordinates) is.
QString ChatView::directionControlAt(QPoint point) const
{
    if (m_rows.empty())
        return {};
    const int y = point.y() + scrollY();
    const int row = rowAt(y);
    const MessageLayout &layout = *m_rows[size_t(row)].layout;
    if (!layout.hasDirectionControls() || !layout.hasDocuments())
        return {};
    const QPoint local = QPoint(point.x(), y) - contentOrigin(row);
    if (local.y() < 0 || local.y() >= m_rows[size_t(row)].contentHeight)
        return {};
    return layout.directionControlAt(local);
}

std::optional<std::pair<BlockPosition, BlockPosition>> ChatView::selectionInRow(int row) const
{
    if (!m_anchor || !m_cursor || *m_anchor == *m_cursor)
        return std::nullopt;
    const Position from = std::min(*m_anchor, *m_cursor);
    const Position to = std::max(*m_anchor, *m_cursor);
    if (row < from.row || row > to.row)
        return std::nullopt;
    const MessageLayout &layout = *m_rows[size_t(row)].layout;
    return std::pair{row == from.row ? from.block : BlockPosition{},
                     row == to.row ? to.block : layout.endPosition()};
}

QString ChatView::selectedText() const
{
    if (!m_anchor || !m_cursor || *m_anchor == *m_cursor)
        return {};
    const Position from = std::min(*m_anchor, *m_cursor);
    const Position to = std::max(*m_anchor, *m_cursor);
    QStringList parts;
    for (int i = from.row; i <= to.row; ++i) {
        const MessageLayout &layout = *m_rows[size_t(i)].layout;
        if (layout.source().isEmpty())
            continue; // a failed answer without text
        const auto range = selectionInRow(i);
        const bool whole = !layout.hasDocuments() || (range->first == BlockPosition{} &&
                                                      range->second == layout.endPosition());
        // A whole message copies as its source, so Markdown survives a copy and paste.
        parts.append(whole ? layout.source() : layout.text(range->first, range->second));
    }
    return parts.join(QStringLiteral("\n\n"));
}

void ChatView::selectAll()
{
    if (m_rows.empty())
        return;
    m_anchor = Position{0, {}};
    m_cursor = Position{messageCount() - 1, {std::numeric_limits<int>::max(), 0}};
    // Clamp to a real end position when the last row is laid out.
    if (m_rows.back().layout->hasDocuments())
        m_cursor->block = m_rows.back().layout->endPosition();
    viewport()->update();
}

void ChatView::clearSelection()
{
    m_anchor.reset();
    m_cursor.reset();
    viewport()->update();
}

void ChatView::copySelection() const
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void ChatView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const QPoint point = event->position().toPoint();
    if (const auto button = buttonAt(point)) {
        const int row = rowAt(point.y() + scrollY());
        if (button->enabled)
            trigger(row, button->action);
        return;
    }
    if (!m_rows.empty()) {
        const int row = rowAt(point.y() + scrollY());
        if (row != m_current) {
            const int previous = m_current;
            m_current = row;
            m_focusAction.reset();
            updateRow(previous);
            updateRow(row);
            if (ChatViewAccessible *accessible = accessibility())
                accessible->currentChanged();
        }
    }
    if (!m_rows.empty()) {
        // A code block's Copy or Wrap button (MessageLayout draws and handles them).
        const int row = rowAt(point.y() + scrollY());
        MessageLayout &layout = *m_rows[size_t(row)].layout;
        const QPoint local = point - messageContentRect(row).topLeft();
        if (const auto hit = layout.hasDocuments() ? layout.buttonAt(local) : std::nullopt) {
            const bool wasAtBottom = isAtBottom();
            if (layout.pressButton(hit->block, hit->button)) {
                m_rows[size_t(row)].exact = false;
                contentChanged(row, wasAtBottom);
            }
            return;
        }
    }
    m_pressedAnchor = anchorAt(point);
    m_anchor = positionAt(point);
    m_cursor = m_anchor;
    m_selecting = m_anchor.has_value();
    viewport()->update();
}

void ChatView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint point = event->position().toPoint();
    const int contentY = point.y() + scrollY();
    const int row = m_rows.empty() || contentY >= m_tops.back() ? -1 : rowAt(contentY);
    const auto button = buttonAt(point);
    const std::optional<Action> action =
        button ? std::optional<Action>(button->action) : std::nullopt;
    if (row != m_hoverRow || action != m_hoverAction) {
        const int previous = m_hoverRow;
        m_hoverRow = row;
        m_hoverAction = action;
        updateRow(previous);
        updateRow(row);
    }
    const bool overCodeButton =
        row >= 0 && m_rows[size_t(row)].layout->hasDocuments() &&
        m_rows[size_t(row)].layout->buttonAt(point - messageContentRect(row).topLeft());
    viewport()->setCursor(button || overCodeButton    ? Qt::PointingHandCursor
                          : anchorAt(point).isEmpty() ? Qt::IBeamCursor
                                                      : Qt::PointingHandCursor);
    if (!m_selecting)
        return;
    if (const auto position = positionAt(point)) {
        m_cursor = position;
        viewport()->update();
    }
}

void ChatView::mouseReleaseEvent(QMouseEvent *event)
{
    m_selecting = false;
    if (event->button() == Qt::LeftButton && !m_pressedAnchor.isEmpty() &&
        m_pressedAnchor == anchorAt(event->position().toPoint()) && selectedText().isEmpty()) {
        const QUrl url(m_pressedAnchor);
        if (isSafeLink(url))
            Q_EMIT linkActivated(url);
    }
    m_pressedAnchor.clear();
}

void ChatView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (buttonAt(event->position().toPoint()))
        return;
    const auto position = positionAt(event->position().toPoint());
    if (!position)
        return;
    const MessageLayout &layout = *m_rows[size_t(position->row)].layout;
    QTextCursor cursor(const_cast<BlockDocument *>(layout.block(position->block.block)));
    cursor.setPosition(position->block.pos);
    cursor.select(QTextCursor::WordUnderCursor);
    m_anchor = Position{position->row, {position->block.block, cursor.selectionStart()}};
    m_cursor = Position{position->row, {position->block.block, cursor.selectionEnd()}};
    viewport()->update();
}

void ChatView::wheelEvent(QWheelEvent *event)
{
    // A horizontal wheel, or Shift with the wheel, over a block wider than the message (a long
    // code line, a wide table) scrolls that block sideways; anything else scrolls the view.
    const QPoint angle = event->angleDelta();
    const int sideways =
        angle.x() != 0 ? angle.x() : (event->modifiers() & Qt::ShiftModifier ? angle.y() : 0);
    if (sideways != 0 && !m_rows.empty()) {
        const QPoint point = event->position().toPoint();
        const int row = rowAt(point.y() + scrollY());
        MessageLayout &layout = *m_rows[size_t(row)].layout;
        const QRect content = messageContentRect(row);
        // One notch (120) moves about five characters of code.
        const int pixels = -sideways * QFontMetrics(font()).averageCharWidth() * 5 / 120;
        if (layout.hasDocuments() && layout.scrollHorizontally(point - content.topLeft(),
                                                               pixels != 0 ? pixels : -sideways)) {
            viewport()->update(content);
            event->accept();
            return;
        }
    }
    QAbstractScrollArea::wheelEvent(event);
}

// Keys, while the view has focus (the current message is the one last clicked or moved to):
//   Ctrl+Up / Ctrl+Down      previous / next message
//   Tab / Shift+Tab          the current message's buttons; Enter or Space presses one
//   Ctrl+C                   copy the selection, else the current message's text
//   Ctrl+Shift+C             copy the current message as Markdown
//   Ctrl+R                   regenerate (the window's action; here when the view stands alone)
//   Ctrl+Shift+Enter         continue the current answer
//   E or F2                  edit the current question (on an answer: its question)
//   Alt+Left / Alt+Right     previous / next version of the current message (else the last one
//                            with versions)
//   Home / End               the top / the latest text
void ChatView::keyPressEvent(QKeyEvent *event)
{
    if (event->modifiers() == Qt::AltModifier && event->key() == Qt::Key_Z && !m_rows.empty()) {
        // Soft wrap for the code of the lowest message on screen that has code: the keyboard's
        // way to read long lines (the mouse has Shift+wheel and each block's Wrap button).
        for (int i = rowAt(scrollY() + viewport()->height()); i >= rowAt(scrollY()); --i) {
            MessageLayout &layout = *m_rows[size_t(i)].layout;
            if (layout.hasDocuments() && layout.hasCodeBlocks()) {
                const bool wasAtBottom = isAtBottom();
                layout.setCodeWrap(!layout.codeWraps());
                m_rows[size_t(i)].exact = false;
                contentChanged(i, wasAtBottom);
                return;
            }
        }
    }
    const Qt::KeyboardModifiers mods = event->modifiers() & ~Qt::KeypadModifier;
    const int key = event->key();
    const int current = m_current >= 0 && m_current < messageCount() ? m_current : -1;
    if (event->matches(QKeySequence::Copy)) {
        if (!selectedText().isEmpty())
            copySelection();
        else if (current >= 0)
            copyMessage(current, false);
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return;
    }
    if (mods == (Qt::ControlModifier | Qt::ShiftModifier) && key == Qt::Key_C) {
        copyMessage(current >= 0 ? current : messageCount() - 1, true);
        return;
    }
    if (mods == (Qt::ControlModifier | Qt::ShiftModifier) &&
        (key == Qt::Key_Return || key == Qt::Key_Enter)) {
        const int target = current >= 0 ? current : messageCount() - 1;
        if (target >= 0 && m_rows[size_t(target)].actions.continueAnswer)
            Q_EMIT continueRequested(target);
        return;
    }
    if (mods == Qt::ControlModifier && key == Qt::Key_R) {
        const int target = current >= 0 ? current : messageCount() - 1;
        if (target >= 0 && m_rows[size_t(target)].actions.regenerate)
            Q_EMIT regenerateRequested(target);
        return;
    }
    if (mods == Qt::ControlModifier && (key == Qt::Key_Up || key == Qt::Key_Down)) {
        if (m_rows.empty())
            return;
        const int from = current >= 0 ? current : messageCount();
        setCurrentMessage(std::clamp(from + (key == Qt::Key_Up ? -1 : 1), 0, messageCount() - 1));
        return;
    }
    if (mods == Qt::NoModifier && (key == Qt::Key_E || key == Qt::Key_F2)) {
        const int target = current >= 0 ? current : messageCount() - 1;
        if (target >= 0)
            editMessage(m_rows[size_t(target)].role == Role::User ? target : questionFor(target));
        return;
    }
    if (mods == Qt::NoModifier && m_focusAction && current >= 0 &&
        (key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Space)) {
        trigger(current, *m_focusAction);
        return;
    }
    if ((mods == Qt::NoModifier || mods == Qt::ControlModifier) &&
        (key == Qt::Key_End || key == Qt::Key_Home)) {
        if (key == Qt::Key_End) {
            scrollToBottom();
            m_unseenBelow = false;
            updateJumpButton();
        } else {
            verticalScrollBar()->setValue(0);
        }
        return;
    }
    if (mods == Qt::AltModifier && (key == Qt::Key_Left || key == Qt::Key_Right)) {
        // Left is "previous" in a left-to-right UI.
        const bool left = key == Qt::Key_Left;
        const bool rtl = layoutDirection() == Qt::RightToLeft;
        int target = current >= 0 && m_rows[size_t(current)].versionCount > 1 ? current : -1;
        for (int i = messageCount() - 1; i >= 0 && target < 0; --i) {
            if (m_rows[size_t(i)].versionCount > 1)
                target = i;
        }
        if (target >= 0) {
            Q_EMIT versionRequested(target, left != rtl ? -1 : 1);
            return;
        }
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void ChatView::contextMenuEvent(QContextMenuEvent *event)
{
    if (m_rows.empty())
        return;
    const int row = rowAt(event->pos().y() + scrollY());
    QMenu menu(this);
    const QString selection = selectedText();
    QAction *copy = menu.addAction(tr("Copy"), this, [this] { copySelection(); });
    copy->setEnabled(!selection.isEmpty());
    copy->setShortcut(QKeySequence::Copy);
    menu.addAction(tr("Copy message"), this, [this, row] { copyMessage(row, false); });
    menu.addAction(tr("Copy as Markdown"), this, [this, row] { copyMessage(row, true); })
        ->setShortcut(shortcutOf(Action::CopyMarkdown));
    const Row &clicked = m_rows[size_t(row)];
    if (clicked.actions.regenerate || clicked.actions.continueAnswer || clicked.actions.edit)
        menu.addSeparator();
    if (clicked.actions.continueAnswer)
        menu.addAction(tr("Continue"), this, [this, row] { Q_EMIT continueRequested(row); })
            ->setShortcut(shortcutOf(Action::Continue));
    if (clicked.actions.regenerate)
        menu.addAction(tr("Regenerate"), this, [this, row] { Q_EMIT regenerateRequested(row); })
            ->setShortcut(shortcutOf(Action::Regenerate));
    if (clicked.actions.edit)
        menu.addAction(tr("Edit"), this, [this, row] { editMessage(row); })
            ->setShortcut(shortcutOf(Action::Edit));
    if (clicked.versionCount > 1) {
        menu.addSeparator();
        menu.addAction(tr("Previous version"), this,
                       [this, row] { Q_EMIT versionRequested(row, -1); })
            ->setEnabled(clicked.versionIndex > 1);
        menu.addAction(tr("Next version"), this, [this, row] { Q_EMIT versionRequested(row, 1); })
            ->setEnabled(clicked.versionIndex < clicked.versionCount);
    }
    menu.addSeparator();
    menu.addAction(tr("Select all"), this, [this] { selectAll(); })
        ->setShortcut(QKeySequence::SelectAll);
    menu.exec(event->globalPos());
}

} // namespace qalam
