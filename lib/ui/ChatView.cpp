#include "ui/ChatView.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontMetrics>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyle>
#include <QTextCursor>

namespace qalam {

namespace {

constexpr int kPaddingX = 16;
constexpr int kPaddingY = 10;
constexpr int kRowGap = 6;
// Messages further than this many viewport heights from the screen give their documents back.
constexpr int kKeepDocumentsViewports = 3;

bool isSafeLink(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1String("http") || scheme == QLatin1String("https") ||
           scheme == QLatin1String("mailto");
}

} // namespace

ChatView::ChatView(QWidget *parent) : QAbstractScrollArea(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setCursor(Qt::IBeamCursor);
    // paintEvent() fills what it repaints: Qt need not clear it first, and scrolling can move
    // the pixels already painted instead of repainting them.
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setMouseTracking(true);
    verticalScrollBar()->setSingleStep(QFontMetrics(font()).lineSpacing() * 3);
    m_tops.push_back(0);
}

ChatView::~ChatView() = default;

int ChatView::contentWidth() const
{
    return std::max(50, viewport()->width() - 2 * kPaddingX);
}

int ChatView::headerHeight() const
{
    return QFontMetrics(font()).height() + 4;
}

int ChatView::footerHeight(const Row &row) const
{
    return row.footer.isEmpty() && row.versionCount < 2 ? 0 : QFontMetrics(font()).height() + 4;
}

int ChatView::rowHeight(const Row &row) const
{
    return kPaddingY + headerHeight() + row.contentHeight + footerHeight(row) + kPaddingY + kRowGap;
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
    m_rows.clear();
    m_tops.assign(1, 0);
    m_anchor.reset();
    m_cursor.reset();
    updateScrollRange();
    viewport()->update();
}

void ChatView::setMessages(const QList<Message> &messages)
{
    m_rows.clear();
    m_rows.reserve(size_t(messages.size()));
    m_anchor.reset();
    m_cursor.reset();
    const int width = contentWidth();
    for (const Message &message : messages) {
        Row row;
        row.role = message.role;
        row.footer = message.footer;
        row.actions = message.actions;
        row.versionIndex = message.versionIndex;
        row.versionCount = message.versionCount;
        row.layout = std::make_unique<MessageLayout>(message.text, message.streaming,
                                                     message.role == Role::User
                                                         ? MessageLayout::Format::PlainText
                                                         : MessageLayout::Format::Markdown);
        row.contentHeight = row.layout->estimatedHeight(width, font());
        m_rows.push_back(std::move(row));
    }
    m_estimateWidth = width;
    m_tops.assign(1, 0);
    recomputeTops(0);
    updateScrollRange();
    scrollToBottom(); // a conversation opens at its latest message
    layOutVisibleRows();
    viewport()->update();
}

int ChatView::appendMessage(Role role, const QString &text, bool streaming)
{
    const bool wasAtBottom = isAtBottom();
    Row row;
    row.role = role;
    row.layout = std::make_unique<MessageLayout>(
        text, streaming,
        role == Role::User ? MessageLayout::Format::PlainText : MessageLayout::Format::Markdown);
    row.contentHeight = row.layout->estimatedHeight(contentWidth(), font());
    m_rows.push_back(std::move(row));
    m_tops.push_back(m_tops.back());
    contentChanged(int(m_rows.size()) - 1, wasAtBottom);
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
    row.layout->appendText(text);
    row.exact = false;
    contentChanged(index, wasAtBottom, keptBlocks);
}

void ChatView::finishMessage(int index)
{
    if (index < 0 || index >= messageCount())
        return;
    const bool wasAtBottom = isAtBottom();
    m_rows[size_t(index)].layout->finish();
    m_rows[size_t(index)].exact = false;
    contentChanged(index, wasAtBottom);
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
}

void ChatView::setActions(int index, const Actions &actions)
{
    if (index >= 0 && index < messageCount())
        m_rows[size_t(index)].actions = actions;
}

void ChatView::setVersion(int index, int versionIndex, int versionCount)
{
    if (index < 0 || index >= messageCount())
        return;
    const bool wasAtBottom = isAtBottom();
    Row &row = m_rows[size_t(index)];
    row.versionIndex = versionIndex;
    row.versionCount = versionCount;
    contentChanged(index, wasAtBottom);
}

QString ChatView::versionLabel(const Row &row) const
{
    return QStringLiteral("%1/%2").arg(QLocale().toString(row.versionIndex),
                                       QLocale().toString(row.versionCount));
}

QRect ChatView::versionRectLogical(int index, int delta) const
{
    const Row &row = m_rows[size_t(index)];
    if (row.versionCount < 2)
        return {};
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    const QFontMetrics metrics(small);
    const int button = metrics.height() + 4; // square, comfortable to hit
    const int label = metrics.horizontalAdvance(versionLabel(row)) + 8;
    const int y = contentOrigin(index).y() + row.contentHeight + 2 - scrollY();
    const int height = footerHeight(row);
    switch (delta) {
    case -1:
        return {kPaddingX, y, button, height};
    case 0:
        return {kPaddingX + button, y, label, height};
    default:
        return {kPaddingX + button + label, y, button, height};
    }
}

QRect ChatView::versionButtonRect(int index, int delta) const
{
    if (index < 0 || index >= messageCount())
        return {};
    const QRect logical = versionRectLogical(index, delta);
    return logical.isNull() ? QRect()
                            : QStyle::visualRect(layoutDirection(), viewport()->rect(), logical);
}

void ChatView::setFooter(int index, const QString &text)
{
    if (index < 0 || index >= messageCount())
        return;
    const bool wasAtBottom = isAtBottom();
    m_rows[size_t(index)].footer = text;
    contentChanged(index, wasAtBottom);
}

void ChatView::removeMessagesFrom(int index)
{
    if (index < 0 || index >= messageCount())
        return;
    m_rows.erase(m_rows.begin() + index, m_rows.end());
    m_tops.resize(m_rows.size() + 1);
    if (m_anchor && m_anchor->row >= index)
        clearSelection();
    updateScrollRange();
    layOutVisibleRows();
    viewport()->update();
}

void ChatView::contentChanged(int row, bool wasAtBottom, std::optional<int> keptBlocks)
{
    const int topBefore = row >= 0 ? m_tops[size_t(row)] : 0;
    bool laidOut = false;
    if (isVisible() && row >= 0) {
        Row &changed = m_rows[size_t(row)];
        const int top = m_tops[size_t(row)];
        // Only a row on or near the screen is laid out now; others keep an estimate.
        if (top < scrollY() + viewport()->height() * (kKeepDocumentsViewports + 1)) {
            changed.contentHeight = changed.layout->layout(contentWidth(), font());
            changed.exact = true;
            laidOut = true;
        } else if (!changed.exact) {
            changed.contentHeight = changed.layout->estimatedHeight(contentWidth(), font());
        }
    }
    recomputeTops(std::max(0, row));
    updateScrollRange();
    if (wasAtBottom)
        scrollToBottom(); // scrollContentsBy() moves the pixels or asks for a full repaint
    const bool othersLaidOut = layOutVisibleRows();

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
    for (size_t i = size_t(fromRow); i < m_rows.size(); ++i)
        m_tops[i + 1] = m_tops[i] + rowHeight(m_rows[i]);
}

void ChatView::updateScrollRange()
{
    const int total = m_tops.back() + kPaddingY;
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
    const int width = contentWidth();
    if (width == m_estimateWidth)
        return;
    m_estimateWidth = width;
    for (Row &row : m_rows) {
        const int cached = row.layout->cachedHeight(width);
        row.exact = cached >= 0;
        row.contentHeight = cached >= 0 ? cached : row.layout->estimatedHeight(width, font());
    }
    recomputeTops(0);
}

int ChatView::rowAt(int contentY) const
{
    const auto it = std::upper_bound(m_tops.begin(), m_tops.end(), contentY);
    return std::clamp(int(it - m_tops.begin()) - 1, 0, std::max(0, messageCount() - 1));
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
    const int width = contentWidth();
    bool laidOut = false;
    for (int pass = 0; pass < 4; ++pass) {
        const int top = scrollY();
        const int bottom = top + viewport()->height();
        const int first = rowAt(top);
        const int last = rowAt(bottom);
        bool changed = false;
        for (int i = std::max(0, first - 1); i <= std::min(messageCount() - 1, last + 1); ++i) {
            Row &row = m_rows[size_t(i)];
            if (row.exact && row.layout->cachedHeight(width) == row.contentHeight &&
                row.layout->hasDocuments())
                continue;
            const int height = row.layout->layout(width, font());
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
            m_rows[i].layout->hasDocuments() && !m_rows[i].layout->isStreaming())
            m_rows[i].layout->releaseDocuments();
    }
    return laidOut;
}

int ChatView::documentCount() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [](const Row &row) { return row.layout->hasDocuments(); }));
}

QPoint ChatView::contentOrigin(int row) const
{
    return {kPaddingX, m_tops[size_t(row)] + kPaddingY + headerHeight()};
}

QRect ChatView::messageContentRect(int index) const
{
    const Row &row = m_rows.at(size_t(index));
    const QPoint origin = contentOrigin(index) - QPoint(0, scrollY());
    return {origin, QSize(contentWidth(), row.contentHeight)};
}

void ChatView::paintEvent(QPaintEvent *event)
{
    // Only what intersects the update region is drawn: while an answer streams that is its last
    // block, not the whole screen. (Pixels outside it are clipped by Qt anyway; this skips the
    // work.)
    const QRect dirty = event->rect();
    QPainter painter(viewport());
    const QPalette &pal = palette();
    painter.fillRect(dirty, pal.base());
    if (m_rows.empty())
        return;

    const int top = scrollY();
    const int bottom = top + dirty.bottom() + 1;
    const QFontMetrics metrics(font());
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    QFont bold = font();
    bold.setBold(true);

    for (int i = rowAt(top + dirty.top()); i < messageCount() && m_tops[size_t(i)] < bottom; ++i) {
        const Row &row = m_rows[size_t(i)];
        const QRect rowRect(0, m_tops[size_t(i)] - top, viewport()->width(),
                            rowHeight(row) - kRowGap);
        if (row.role == Role::User)
            painter.fillRect(rowRect.intersected(dirty), pal.alternateBase());

        // The header and footer sit on the UI's leading side (the painter mirrors AlignLeft in a
        // right-to-left UI); the message text follows its own direction.
        const Qt::Alignment side = Qt::AlignVCenter | Qt::AlignLeft;
        const QRect headerRect(kPaddingX, rowRect.top() + kPaddingY, contentWidth(),
                               headerHeight());
        if (headerRect.intersects(dirty)) {
            painter.setFont(bold);
            painter.setPen(pal.color(QPalette::Text));
            painter.drawText(headerRect, side,
                             row.role == Role::User        ? tr("You")
                             : row.role == Role::Assistant ? tr("Assistant")
                                                           : tr("System"));
        }

        const QPoint origin = contentOrigin(i) - QPoint(0, top);
        // The footer first: a failed answer with no text has no documents, and its footer (why
        // it failed) is exactly what must show.
        QRect footerRect(kPaddingX, origin.y() + row.contentHeight + 2, contentWidth(),
                         footerHeight(row));
        if (footerRect.height() > 0 && footerRect.intersects(dirty)) {
            painter.setFont(small);
            painter.setPen(pal.color(QPalette::PlaceholderText));
            if (row.versionCount > 1) {
                const bool rtl = layoutDirection() == Qt::RightToLeft;
                const QRect previous = versionButtonRect(i, -1);
                const QRect label = versionButtonRect(i, 0);
                const QRect next = versionButtonRect(i, 1);
                painter.setPen(
                    pal.color(row.versionIndex > 1 ? QPalette::Text : QPalette::PlaceholderText));
                painter.drawText(previous, Qt::AlignCenter,
                                 rtl ? QStringLiteral("›") : QStringLiteral("‹"));
                painter.setPen(pal.color(row.versionIndex < row.versionCount
                                             ? QPalette::Text
                                             : QPalette::PlaceholderText));
                painter.drawText(next, Qt::AlignCenter,
                                 rtl ? QStringLiteral("‹") : QStringLiteral("›"));
                painter.setPen(pal.color(QPalette::PlaceholderText));
                painter.drawText(label, Qt::AlignCenter, versionLabel(row));
                const int used = versionRectLogical(i, 1).right() + 8 - kPaddingX;
                footerRect.adjust(used, 0, 0, 0);
            }
            if (!row.footer.isEmpty()) {
                painter.drawText(
                    QStyle::visualRect(layoutDirection(), viewport()->rect(), footerRect), side,
                    metrics.elidedText(row.footer, Qt::ElideRight, footerRect.width()));
            }
        }

        if (!row.layout->hasDocuments()) {
            painter.setFont(font());
            continue; // not laid out yet: the next layout pass fills it in
        }
        painter.save();
        painter.translate(origin);
        const QRect clip = QRect(QPoint(0, 0), QSize(contentWidth(), row.contentHeight))
                               .intersected(dirty.translated(-origin));
        row.layout->paint(&painter, clip, pal, selectionInRow(i));
        painter.restore();

        painter.setFont(font());
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
}

void ChatView::scrollContentsBy(int dx, int dy)
{
    // When no row changed height, everything on screen just moved: move the pixels (what
    // QAbstractScrollArea does by default) and repaint only what scrolled into view.
    if (layOutVisibleRows())
        viewport()->update();
    else
        viewport()->scroll(dx, dy);
}

bool ChatView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::Show)
        QMetaObject::invokeMethod(
            this,
            [this] {
                layOutVisibleRows();
                viewport()->update();
            },
            Qt::QueuedConnection);
    return QAbstractScrollArea::viewportEvent(event);
}

void ChatView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::LayoutDirectionChange) {
        m_estimateWidth = -1; // fonts change every height
        for (Row &row : m_rows)
            row.layout->releaseDocuments();
        layOutVisibleRows();
        viewport()->update();
    } else if (event->type() == QEvent::LanguageChange) {
        viewport()->update(); // the headers ("You", "Assistant") are translated as they are painted
    }
    QAbstractScrollArea::changeEvent(event);
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
    return layout.anchorAt(QPoint(point.x(), y) - contentOrigin(row));
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
    for (int i = rowAt(scrollY() + event->position().toPoint().y()), n = 0;
         i >= 0 && i < messageCount() && n < 2; ++i, ++n) {
        for (const int delta : {-1, 1}) {
            if (versionButtonRect(i, delta).contains(event->position().toPoint())) {
                Q_EMIT versionRequested(i, delta);
                return;
            }
        }
    }
    m_pressedAnchor = anchorAt(event->position().toPoint());
    m_anchor = positionAt(event->position().toPoint());
    m_cursor = m_anchor;
    m_selecting = m_anchor.has_value();
    viewport()->update();
}

void ChatView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint point = event->position().toPoint();
    viewport()->setCursor(anchorAt(point).isEmpty() ? Qt::IBeamCursor : Qt::PointingHandCursor);
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

void ChatView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return;
    }
    if (event->modifiers() == Qt::AltModifier &&
        (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right)) {
        // The last message with versions; Left is "previous" in a left-to-right UI.
        for (int i = messageCount() - 1; i >= 0; --i) {
            if (m_rows[size_t(i)].versionCount > 1) {
                const bool left = event->key() == Qt::Key_Left;
                const bool rtl = layoutDirection() == Qt::RightToLeft;
                Q_EMIT versionRequested(i, left != rtl ? -1 : 1);
                return;
            }
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
    menu.addAction(tr("Copy message"), this,
                   [this, row] { QGuiApplication::clipboard()->setText(messageText(row)); });
    const Row &clicked = m_rows[size_t(row)];
    if (clicked.actions.regenerate || clicked.actions.continueAnswer || clicked.actions.edit)
        menu.addSeparator();
    if (clicked.actions.continueAnswer)
        menu.addAction(tr("Continue"), this, [this, row] { Q_EMIT continueRequested(row); });
    if (clicked.actions.regenerate)
        menu.addAction(tr("Regenerate"), this, [this, row] { Q_EMIT regenerateRequested(row); });
    if (clicked.actions.edit)
        menu.addAction(tr("Edit and resend"), this, [this, row] { Q_EMIT editRequested(row); });
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
