#include "ui/MessageAccessible.h"

#include "ui/ChatView.h"
#include "ui/ChatViewAccessible.h"
#include "ui/SentenceBatcher.h"

#include <QWidget>
#include <QWindow>

#include <algorithm>

namespace qalam {

QString MessageAccessible::withoutIsolates(QString text)
{
    text.removeIf([](QChar c) { return c.unicode() >= 0x2066 && c.unicode() <= 0x2069; });
    return text;
}

MessageAccessible::MessageAccessible(ChatView *view, quint64 id) : m_view(view), m_id(id) {}

int MessageAccessible::index() const
{
    return m_view ? m_view->indexOfMessage(m_id) : -1;
}

bool MessageAccessible::isValid() const
{
    return index() >= 0;
}

QWindow *MessageAccessible::window() const
{
    return m_view ? m_view->window()->windowHandle() : nullptr;
}

QAccessibleInterface *MessageAccessible::parent() const
{
    return m_view ? QAccessible::queryAccessibleInterface(m_view.data()) : nullptr;
}

QString MessageAccessible::author() const
{
    const int at = index();
    if (at < 0)
        return {};
    switch (m_view->role(at)) {
    case ChatView::Role::User:
        return tr("You");
    case ChatView::Role::System:
        return tr("System");
    case ChatView::Role::Assistant:
        break;
    }
    return m_view->author(at).isEmpty() ? tr("Assistant") : withoutIsolates(m_view->author(at));
}

QString MessageAccessible::text(QAccessible::Text t) const
{
    const int at = index();
    if (at < 0)
        return {};
    switch (t) {
    case QAccessible::Name: {
        // A failed answer is known by what failed; its text (often none) follows.
        const ChatView::Card card = m_view->card(at);
        return card.isNull() ? author() : withoutIsolates(card.title);
    }
    case QAccessible::Description: {
        QStringList parts;
        if (const auto *list = dynamic_cast<ChatViewAccessible *>(parent());
            list && !list->outcome(m_id).isEmpty())
            parts.append(list->outcome(m_id));
        if (!m_view->liveStatus(at).isNull())
            parts.append(m_view->liveStatus(at).text);
        else if (m_view->isStreaming(at))
            parts.append(tr("Answering…"));
        if (const ChatView::Card card = m_view->card(at); !card.detail.isEmpty())
            parts.append(withoutIsolates(card.detail));
        if (const QString footer = m_view->shownFooter(at); !footer.isEmpty())
            parts.append(withoutIsolates(footer));
        // Read aloud: the parts as sentences.
        QString description;
        for (const QString &part : std::as_const(parts)) {
            if (part.isEmpty())
                continue;
            if (!description.isEmpty())
                description += SentenceBatcher::isSentenceMark(description.back())
                                   ? QStringLiteral(" ")
                                   : QStringLiteral(". ");
            description += part;
        }
        return description;
    }
    default:
        return {};
    }
}

QRect MessageAccessible::rect() const
{
    const int at = index();
    if (at < 0)
        return {};
    const QRect local = m_view->messageRect(at);
    return {m_view->viewport()->mapToGlobal(local.topLeft()), local.size()};
}

QAccessible::State MessageAccessible::state() const
{
    QAccessible::State state;
    const int at = index();
    if (at < 0) {
        state.invalid = true;
        return state;
    }
    state.focusable = true;
    state.selectable = true;
    state.selectableText = true;
    state.readOnly = true;
    state.multiLine = true;
    const bool current = at == m_view->currentMessage();
    state.selected = current;
    state.focused = current && m_view->hasFocus();
    state.active = current;
    state.busy = m_view->isStreaming(at);
    if (!m_view->isVisible() || !m_view->viewport()->rect().intersects(m_view->messageRect(at))) {
        state.offscreen = true;
        state.invisible = true;
    }
    return state;
}

void *MessageAccessible::interface_cast(QAccessible::InterfaceType type)
{
    if (type == QAccessible::TextInterface)
        return static_cast<QAccessibleTextInterface *>(this);
    return nullptr;
}

const QString &MessageAccessible::plainText() const
{
    const int at = index();
    if (at < 0) {
        m_text.clear();
        m_textSource = -1;
        return m_text;
    }
    const qsizetype source = m_view->messageText(at).size();
    const bool streaming = m_view->isStreaming(at);
    if (source != m_textSource || streaming != m_textStreaming) {
        m_text = m_view->messagePlainText(at);
        m_textSource = source;
        m_textStreaming = streaming;
    }
    return m_text;
}

const MessageLayout *MessageAccessible::laidOut() const
{
    const int at = index();
    if (at < 0 || !m_view->messageLayout(at).hasDocuments())
        return nullptr;
    return &m_view->messageLayout(at);
}

MessageAccessible::TextMap MessageAccessible::textMap(const MessageLayout &layout) const
{
    TextMap map;
    qsizetype offset = 0;
    for (int i = 0; i < layout.blockCount(); ++i) {
        const BlockDocument *block = layout.block(i);
        const qsizetype length = block->plainText(0, block->characterCount() - 1).size();
        map.starts.push_back(offset);
        map.lengths.push_back(length);
        offset += length + 2; // the blank line between blocks
    }
    return map;
}

int MessageAccessible::offsetOf(const MessageLayout &layout, const TextMap &map,
                                BlockPosition position) const
{
    if (map.starts.empty())
        return 0;
    const int block = std::clamp(position.block, 0, int(map.starts.size()) - 1);
    const qsizetype local = layout.block(block)->plainText(0, position.pos).size();
    return int(map.starts[size_t(block)] + std::min(local, map.lengths[size_t(block)]));
}

BlockPosition MessageAccessible::positionOf(const MessageLayout &layout, const TextMap &map,
                                            int offset) const
{
    if (map.starts.empty())
        return {};
    const auto after = std::upper_bound(map.starts.begin(), map.starts.end(), qsizetype(offset));
    const int block = std::max(0, int(after - map.starts.begin()) - 1);
    const qsizetype local =
        std::clamp<qsizetype>(offset - map.starts[size_t(block)], 0, map.lengths[size_t(block)]);
    // Display marks and images are not text, so the document position is found by its text's
    // length: the first position whose text up to it is `local` long.
    const BlockDocument *document = layout.block(block);
    int low = 0;
    int high = document->characterCount() - 1;
    while (low < high) {
        const int middle = low + (high - low) / 2;
        if (document->plainText(0, middle).size() < local)
            low = middle + 1;
        else
            high = middle;
    }
    return {block, low};
}

std::optional<std::pair<int, int>> MessageAccessible::selectedOffsets() const
{
    const int at = index();
    if (at < 0)
        return std::nullopt;
    const auto range = m_view->selectionInMessage(at);
    if (!range)
        return std::nullopt;
    const MessageLayout *layout = laidOut();
    if (!layout) // selected while far off screen: the whole message is
        return std::pair{0, characterCount()};
    const TextMap map = textMap(*layout);
    const int from = offsetOf(*layout, map, range->first);
    const int to = offsetOf(*layout, map, range->second);
    if (from == to)
        return std::nullopt;
    return std::pair{std::min(from, to), std::max(from, to)};
}

void MessageAccessible::selection(int selectionIndex, int *startOffset, int *endOffset) const
{
    *startOffset = 0;
    *endOffset = 0;
    if (selectionIndex != 0)
        return;
    if (const auto offsets = selectedOffsets()) {
        *startOffset = offsets->first;
        *endOffset = offsets->second;
    }
}

int MessageAccessible::selectionCount() const
{
    return selectedOffsets() ? 1 : 0;
}

void MessageAccessible::addSelection(int startOffset, int endOffset)
{
    setSelection(0, startOffset, endOffset); // the view has one selection
}

void MessageAccessible::removeSelection(int selectionIndex)
{
    if (selectionIndex == 0 && selectionCount() > 0 && m_view)
        m_view->clearSelection();
}

void MessageAccessible::setSelection(int selectionIndex, int startOffset, int endOffset)
{
    const int at = index();
    if (selectionIndex != 0 || at < 0)
        return;
    m_view->scrollToMessage(at); // lays it out: positions need its documents
    const MessageLayout *layout = laidOut();
    if (!layout)
        return;
    const TextMap map = textMap(*layout);
    const int count = characterCount();
    m_view->selectInMessage(at, positionOf(*layout, map, std::clamp(startOffset, 0, count)),
                            positionOf(*layout, map, std::clamp(endOffset, 0, count)));
}

int MessageAccessible::cursorPosition() const
{
    // No caret: the end of the selection stands for it.
    const auto offsets = selectedOffsets();
    return offsets ? offsets->second : 0;
}

void MessageAccessible::setCursorPosition(int position)
{
    setSelection(0, position, position);
}

QString MessageAccessible::text(int startOffset, int endOffset) const
{
    const QString &all = plainText();
    startOffset = std::clamp(startOffset, 0, int(all.size()));
    endOffset =
        endOffset < 0 ? int(all.size()) : std::clamp(endOffset, startOffset, int(all.size()));
    return all.mid(startOffset, endOffset - startOffset);
}

int MessageAccessible::characterCount() const
{
    return int(plainText().size());
}

QRect MessageAccessible::characterRect(int offset) const
{
    const MessageLayout *layout = laidOut();
    if (!layout)
        return {};
    const int at = index();
    const QRectF local = layout->characterRect(positionOf(*layout, textMap(*layout), offset));
    if (local.isNull())
        return {};
    const QRect inView = local.toAlignedRect().translated(m_view->messageContentRect(at).topLeft());
    return {m_view->viewport()->mapToGlobal(inView.topLeft()), inView.size()};
}

int MessageAccessible::offsetAtPoint(const QPoint &point) const
{
    const MessageLayout *layout = laidOut();
    if (!layout)
        return -1;
    const QRect content = m_view->messageContentRect(index());
    const QPoint inView = m_view->viewport()->mapFromGlobal(point);
    if (!content.contains(inView))
        return -1;
    return offsetOf(*layout, textMap(*layout), layout->hitTest(inView - content.topLeft()));
}

void MessageAccessible::scrollToSubstring(int startIndex, int endIndex)
{
    Q_UNUSED(startIndex);
    Q_UNUSED(endIndex);
    if (const int at = index(); at >= 0)
        m_view->scrollToMessage(at);
}

QString MessageAccessible::attributes(int offset, int *startOffset, int *endOffset) const
{
    Q_UNUSED(offset);
    *startOffset = 0;
    *endOffset = characterCount();
    return {};
}

} // namespace qalam
