// ConversationSidebar: the conversations list with search, a "new" button, rename and delete.
// It shows what the store has; the window decides what selecting or deleting means.
#pragma once

#include "store/Conversation.h"

#include <QWidget>

class QLineEdit;
class QListWidget;
class QPushButton;

namespace qalam {

class ConversationSidebar : public QWidget
{
    Q_OBJECT

public:
    explicit ConversationSidebar(QWidget *parent = nullptr);

    void setConversations(const QList<Conversation> &conversations);
    void setCurrent(qint64 conversationId);
    // Conversations with an answer streaming (or queued) are marked "●" until it ends.
    void setLiveConversations(const QList<qint64> &conversationIds);
    QString searchText() const;
    qint64 currentId() const;
    int count() const;

Q_SIGNALS:
    void newRequested();
    void selected(qint64 conversationId);
    void renameRequested(qint64 conversationId);
    void deleteRequested(qint64 conversationId);
    void searchChanged(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void render();

    QPushButton *m_newButton;
    QLineEdit *m_search;
    QListWidget *m_list;
    QList<Conversation> m_conversations;
    QList<qint64> m_live;
};

} // namespace qalam
