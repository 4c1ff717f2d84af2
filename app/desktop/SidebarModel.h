// SidebarModel: the rows of the conversations list. Listing, conversations are grouped under date
// headings (DateGroup), newest first; searching, each match is a row with its snippet, in the
// store's order, without headings. Headings are neither selectable nor enabled, so the view's
// keyboard navigation passes over them. Conversations with a live (or queued) answer say so in
// LiveRole / QueuedRole. A screen reader hears a row's title, its marks (streaming, queued) and
// its snippet (Qt::AccessibleTextRole), and when it was last active (AccessibleDescriptionRole).
// Editing a title (F2) does not change the model: it asks for the rename, and the list shows the
// store's title when it is read again.
#pragma once

#include "DateGroup.h"
#include "store/ConversationMatch.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>

namespace qalam {

class SidebarModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        IsHeaderRole = Qt::UserRole + 1, // bool
        ConversationIdRole,              // qint64; 0 for a heading
        UpdatedAtRole,                   // QDateTime, UTC
        LiveRole,                        // bool: an answer is streaming or queued
        QueuedRole,                      // bool: it waits for a free slot
        SearchTextRole,                  // QString: what was searched (for the title's highlight)
        SnippetRole,                     // QString: plain text; empty when only the title matched
        SnippetMatchStartRole,           // int; -1 without a match in the snippet
        SnippetMatchLengthRole,          // int
        DetailRole,                      // QString: when it was last active, for people
    };

    explicit SidebarModel(QObject *parent = nullptr);

    // Listing: every conversation, grouped by its last activity as seen at `now`.
    void setConversations(const QList<Conversation> &conversations, const QDateTime &now);
    // Searching for `text`: the matches, no headings.
    void setMatches(const QList<ConversationMatch> &matches, const QString &text);
    void setLiveConversations(const QList<qint64> &live, const QList<qint64> &queued);

    bool isSearching() const { return m_searching; }
    int conversationCount() const;
    // The row of a conversation, or -1.
    int rowOf(qint64 conversationId) const;
    qint64 conversationAt(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    // The title typed in the row's editor, trimmed and not empty.
    void renameRequested(qint64 conversationId, const QString &title);

private:
    struct Row
    {
        bool isHeader = false;
        QString heading;
        ConversationMatch match; // the conversation (and its snippet when searching)
        bool operator==(const Row &other) const = default;
    };

    void replaceRows(QList<Row> rows);

    QList<Row> m_rows;
    QList<qint64> m_live;
    QList<qint64> m_queued;
    QString m_searchText;
    bool m_searching = false;
};

} // namespace qalam
