#include "ui/ChatViewAccessible.h"

#include "ui/ChatView.h"
#include "ui/MessageAccessible.h"

#include <QPointer>
#include <QToolButton>
#include <QtGlobal>

#include <algorithm>

namespace qalam {

ChatViewAccessible::ChatViewAccessible(ChatView *view) : QAccessibleWidget(view, QAccessible::List)
{}

ChatViewAccessible::~ChatViewAccessible()
{
    // The items have no QObject of their own, so the cache cannot know they belong to the view.
    for (const auto &[message, id] : m_items)
        QAccessible::deleteAccessibleInterface(id);
}

QAccessibleInterface *ChatViewAccessible::factory(const QString &className, QObject *object)
{
    if (className != QLatin1String(ChatView::staticMetaObject.className()))
        return nullptr;
    if (auto *view = qobject_cast<ChatView *>(object))
        return new ChatViewAccessible(view);
    return nullptr;
}

ChatViewAccessible *ChatViewAccessible::of(ChatView *view)
{
    if (!view)
        return nullptr;
    // Qt creates the view's interface for its own events whether anyone listens or not; only
    // a listening platform bridge, or a client that read the tree, makes the work worth it.
    auto *accessible =
        dynamic_cast<ChatViewAccessible *>(QAccessible::queryAccessibleInterface(view));
    return accessible && (accessible->m_read || accessible->m_observer || QAccessible::isActive())
               ? accessible
               : nullptr;
}

void ChatViewAccessible::setObserver(std::function<void(QAccessibleEvent *)> observer)
{
    m_observer = std::move(observer);
}

void ChatViewAccessible::send(QAccessibleEvent &event)
{
    if (m_observer)
        m_observer(&event);
    QAccessible::updateAccessibility(&event);
}

ChatView *ChatViewAccessible::view() const
{
    return static_cast<ChatView *>(widget());
}

int ChatViewAccessible::childCount() const
{
    m_read = true;
    return view()->messageCount() + (view()->jumpToLatestButton()->isVisible() ? 1 : 0);
}

QAccessibleInterface *ChatViewAccessible::child(int index) const
{
    m_read = true;
    if (index < 0)
        return nullptr;
    if (index < view()->messageCount())
        return message(index);
    if (index == view()->messageCount() && view()->jumpToLatestButton()->isVisible())
        return QAccessible::queryAccessibleInterface(view()->jumpToLatestButton());
    return nullptr;
}

int ChatViewAccessible::indexOfChild(const QAccessibleInterface *child) const
{
    if (!child)
        return -1;
    if (const auto *item = dynamic_cast<const MessageAccessible *>(child))
        return item->index();
    if (child->object() == view()->jumpToLatestButton() &&
        view()->jumpToLatestButton()->isVisible())
        return view()->messageCount();
    return -1;
}

QAccessibleInterface *ChatViewAccessible::childAt(int x, int y) const
{
    QToolButton *jump = view()->jumpToLatestButton();
    if (jump->isVisible() && jump->rect().contains(jump->mapFromGlobal(QPoint(x, y))))
        return QAccessible::queryAccessibleInterface(jump);
    const QPoint point = view()->viewport()->mapFromGlobal(QPoint(x, y));
    if (!view()->viewport()->rect().contains(point))
        return nullptr;
    for (int i = 0; i < view()->messageCount(); ++i) {
        const QRect rect = view()->messageRect(i);
        if (rect.contains(point))
            return message(i);
        if (rect.top() > point.y())
            break;
    }
    return nullptr;
}

QAccessibleInterface *ChatViewAccessible::focusChild() const
{
    const int current = view()->currentMessage();
    if (view()->hasFocus() && current >= 0)
        return message(current);
    return QAccessibleWidget::focusChild();
}

MessageAccessible *ChatViewAccessible::message(int index) const
{
    if (index < 0 || index >= view()->messageCount())
        return nullptr;
    const quint64 messageId = view()->messageId(index);
    if (const auto found = m_items.find(messageId); found != m_items.end()) {
        if (auto *item =
                static_cast<MessageAccessible *>(QAccessible::accessibleInterface(found->second)))
            return item;
        m_items.erase(found); // the cache let it go (QAccessible::cleanup()): make it again
    }
    auto *item = new MessageAccessible(view(), messageId);
    m_items.emplace(messageId, QAccessible::registerAccessibleInterface(item));
    return item;
}

QString ChatViewAccessible::outcome(quint64 messageId) const
{
    const auto found = m_outcomes.find(messageId);
    return found == m_outcomes.end() ? QString() : found->second;
}

void ChatViewAccessible::messagesReset()
{
    QAccessibleEvent event(view(), QAccessible::ObjectReorder);
    send(event);
}

void ChatViewAccessible::messageAppended(int index)
{
    MessageAccessible *item = message(index);
    if (!item)
        return;
    QAccessibleEvent event(item, QAccessible::ObjectCreated);
    send(event);
    if (view()->isStreaming(index))
        m_streams[item->messageId()] =
            Stream{SentenceBatcher(view()->messageText(index).size()), item->plainText()};
}

void ChatViewAccessible::removingMessages(int from)
{
    for (int i = std::max(0, from); i < view()->messageCount(); ++i) {
        const quint64 messageId = view()->messageId(i);
        if (const auto found = m_items.find(messageId); found != m_items.end()) {
            // Told while the item is still whole: the bridge asks for its parent and path.
            QAccessibleEvent event(QAccessible::accessibleInterface(found->second),
                                   QAccessible::ObjectDestroyed);
            send(event);
            QAccessible::deleteAccessibleInterface(found->second);
            m_items.erase(found);
        }
        forget(messageId);
    }
}

void ChatViewAccessible::forget(quint64 messageId)
{
    m_streams.erase(messageId);
    m_outcomes.erase(messageId);
}

void ChatViewAccessible::textAppended(int index, QStringView text)
{
    MessageAccessible *item = message(index);
    if (!item)
        return;
    const auto found = m_streams.find(item->messageId());
    if (found == m_streams.end()) {
        // Listened to from the middle of an answer: what is there counts as read.
        m_streams[item->messageId()] =
            Stream{SentenceBatcher(view()->messageText(index).size()), item->plainText()};
        return;
    }
    Stream &stream = found->second;
    stream.source.append(text);
    if (stream.source.take())
        announceText(index, stream, false);
}

void ChatViewAccessible::announceText(int index, Stream &stream, bool final)
{
    MessageAccessible *item = message(index);
    const QString &shown = item->plainText();
    const QString &old = stream.announced;
    const qsizetype common = std::distance(
        shown.begin(), std::mismatch(shown.begin(), shown.end(), old.begin(), old.end()).first);
    // What was announced but is no longer there as it was: the open tail is shown differently
    // once its block is committed (a heading's paragraph gets its blank line, a held-back marker
    // shows). Mostly that is a shift of a few characters of layout: then only the shift is told,
    // so a screen reader does not read the sentence again.
    const QStringView rest = QStringView(old).mid(common);
    const QStringView after = QStringView(shown).mid(common);
    constexpr qsizetype kMaxShift = 8;
    qsizetype resume = rest.isEmpty() ? common : -1; // in `shown`: where the announced text ends
    for (qsizetype k = 1; resume < 0 && k <= kMaxShift; ++k) {
        if (after.mid(k).startsWith(rest)) {
            QAccessibleTextInsertEvent event(item, int(common), after.left(k).toString());
            send(event);
            resume = common + k + rest.size();
        } else if (k <= rest.size() && after.startsWith(rest.mid(k))) {
            QAccessibleTextRemoveEvent event(item, int(common), rest.left(k).toString());
            send(event);
            resume = common + rest.size() - k;
        }
    }
    // The source ended a sentence; the shown text may end at its mark (trailing spaces are not
    // shown), hence "final" for the search.
    const auto endFrom = [&](qsizetype from) {
        return final ? shown.size() : SentenceBatcher::lastSentenceEnd(shown, from, true);
    };
    if (resume < 0) {
        // Rewritten (a table taking shape): the shown text replaces what was said from there.
        const qsizetype end = endFrom(common);
        QAccessibleTextUpdateEvent event(item, int(common), rest.toString(),
                                         shown.mid(common, end - common));
        send(event);
        stream.announced = shown.left(end);
        return;
    }
    const qsizetype end = endFrom(resume);
    if (end > resume) {
        QAccessibleTextInsertEvent event(item, int(resume), shown.mid(resume, end - resume));
        send(event);
    }
    stream.announced = shown.left(std::max(end, resume));
}

void ChatViewAccessible::messageFinished(int index)
{
    MessageAccessible *item = message(index);
    if (!item)
        return;
    const quint64 messageId = item->messageId();
    if (const auto found = m_streams.find(messageId); found != m_streams.end()) {
        announceText(index, found->second, true);
        m_streams.erase(found);
    }
    if (view()->role(index) == ChatView::Role::User)
        return;
    // Whether it failed is known a moment later: the card is set after the message is
    // finished, in the same turn of the event loop.
    QMetaObject::invokeMethod(
        view(),
        [view = QPointer<ChatView>(view()), messageId] {
            if (ChatViewAccessible *accessible = of(view))
                accessible->announceOutcome(messageId);
        },
        Qt::QueuedConnection);
}

void ChatViewAccessible::announceOutcome(quint64 messageId)
{
    const int index = view()->indexOfMessage(messageId);
    if (index < 0 || view()->isStreaming(index))
        return;
    const ChatView::Card card = view()->card(index);
    QString text = card.isNull() ? tr("Answer complete")
                   : card.severity == ChatView::Card::Severity::Error
                       ? tr("Answer failed: %1").arg(card.title)
                       : card.title;
    text = MessageAccessible::withoutIsolates(text);
    m_outcomes[messageId] = text;
    MessageAccessible *item = message(index);
    QAccessibleEvent description(item, QAccessible::DescriptionChanged);
    send(description);
    QAccessibleEvent alert(item, QAccessible::Alert);
    send(alert);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    QAccessibleAnnouncementEvent announcement(view(), text);
    send(announcement);
#endif
}

void ChatViewAccessible::messageReopened(int index)
{
    MessageAccessible *item = message(index);
    if (!item)
        return;
    m_outcomes.erase(item->messageId());
    m_streams[item->messageId()] =
        Stream{SentenceBatcher(view()->messageText(index).size()), item->plainText()};
    QAccessibleEvent event(item, QAccessible::DescriptionChanged);
    send(event);
}

void ChatViewAccessible::messageChanged(int index)
{
    if (index < 0 || index >= view()->messageCount() || !m_items.contains(view()->messageId(index)))
        return; // never seen: nothing to update
    MessageAccessible *item = message(index);
    QAccessibleEvent name(item, QAccessible::NameChanged);
    send(name);
    QAccessibleEvent description(item, QAccessible::DescriptionChanged);
    send(description);
}

void ChatViewAccessible::currentChanged()
{
    const int current = view()->currentMessage();
    if (!view()->hasFocus() || current < 0)
        return;
    QAccessibleEvent event(message(current), QAccessible::Focus);
    send(event);
}

} // namespace qalam
