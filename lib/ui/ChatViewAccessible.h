// ChatViewAccessible: the transcript of a ChatView as assistive technologies see it.
//
// ChatView paints its messages itself, so without this a screen reader sees one empty area. The
// view is a list (role List, named "Conversation") whose items are its messages
// (MessageAccessible, one per message id, created on first use and deleted when the message is
// removed), then the "Jump to latest" button while it shows.
//
// Events, sent only while an assistive technology listens (QAccessible::isActive()):
//  - the current message (Ctrl+Up/Down, a click, the view getting focus) is announced with a
//    Focus event for its item;
//  - a streaming answer's text grows by whole sentences: SentenceBatcher watches the arriving
//    text and a QAccessibleTextInsertEvent goes out for each completed sentence or line, never
//    for each token (what the view shows may change behind the open tail, e.g. a table taking
//    shape; then a QAccessibleTextUpdateEvent replaces what was announced);
//  - when an answer ends, its outcome ("Answer complete", "Answer failed: <why>") becomes the
//    first part of its description and is announced: a DescriptionChanged and an Alert event,
//    and on Qt 6.8 and later a QAccessibleAnnouncementEvent (Qt 6.4's Linux bridge forwards
//    neither alerts nor announcements, but a description change it does);
//  - items appear (ObjectCreated) and disappear (ObjectDestroyed) with their messages.
// The view calls the hooks below through of(), which is null while nobody listens (no platform
// bridge is active and no client has asked for the items), so a conversation costs nothing extra
// then.
#pragma once

#include "ui/SentenceBatcher.h"

#include <QAccessibleWidget>
#include <QCoreApplication>

#include <functional>
#include <map>

namespace qalam {

class ChatView;
class MessageAccessible;

class ChatViewAccessible : public QAccessibleWidget
{
    Q_DECLARE_TR_FUNCTIONS(qalam::ChatViewAccessible)

public:
    explicit ChatViewAccessible(ChatView *view);
    ~ChatViewAccessible() override;
    ChatViewAccessible(const ChatViewAccessible &) = delete;
    ChatViewAccessible &operator=(const ChatViewAccessible &) = delete;

    // For QAccessible::installFactory (ChatView installs it once).
    static QAccessibleInterface *factory(const QString &className, QObject *object);
    // The view's interface while an assistive technology listens (or a client such as a test's
    // update handler has read the items); null otherwise.
    static ChatViewAccessible *of(ChatView *view);

    int childCount() const override;
    QAccessibleInterface *child(int index) const override;
    int indexOfChild(const QAccessibleInterface *child) const override;
    QAccessibleInterface *childAt(int x, int y) const override;
    QAccessibleInterface *focusChild() const override;

    // The item of the message at `index` (created on first use, then the same object).
    MessageAccessible *message(int index) const;
    // What became of an answer that ended while the view was listened to ("Answer complete",
    // "Answer failed: …"); empty otherwise.
    QString outcome(quint64 messageId) const;

    // For tests: sees every event the view sends, whether or not a platform bridge listens (Qt
    // 6.4 hands events to an update handler only while a bridge is active, which the offscreen
    // platform never is).
    void setObserver(std::function<void(QAccessibleEvent *)> observer);

    // Hooks the view calls (see ChatView.cpp).
    void messagesReset();            // after setMessages() and clear()
    void messageAppended(int index); // after appendMessage()
    void removingMessages(int from); // before messages from `from` on are removed
    void textAppended(int index, QStringView text);
    void messageFinished(int index);
    void messageReopened(int index);
    void messageChanged(int index); // its card changed: name and description
    void currentChanged();          // the current message, or the view's focus, changed

private:
    // A streaming answer: how far its sentences were announced.
    struct Stream
    {
        SentenceBatcher source; // on the arriving Markdown: when a sentence ended
        QString announced;      // of the shown text, what the events have said so far
    };

    ChatView *view() const;
    Stream &streamFor(int index);
    // Sends what the shown text has beyond `stream.announced`: up to its last complete
    // sentence, or all of it when `final`.
    void announceText(int index, Stream &stream, bool final);
    void announceOutcome(quint64 messageId);
    void forget(quint64 messageId);
    void send(QAccessibleEvent &event);

    mutable std::map<quint64, QAccessible::Id> m_items;
    std::map<quint64, Stream> m_streams;
    std::map<quint64, QString> m_outcomes;
    mutable bool m_read = false; // a client asked for the items
    std::function<void(QAccessibleEvent *)> m_observer;
};

} // namespace qalam
