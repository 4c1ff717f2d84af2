#include "SidebarModel.h"

#include <QLocale>

namespace qalam {

SidebarModel::SidebarModel(QObject *parent) : QAbstractListModel(parent) {}

void SidebarModel::setConversations(const QList<Conversation> &conversations, const QDateTime &now)
{
    const QDate today = now.toLocalTime().date();
    const QLocale locale;
    QList<Row> rows;
    rows.reserve(conversations.size() + 6);
    std::optional<DateGroup> group;
    for (const Conversation &conversation : conversations) {
        const DateGroup next = DateGroup::of(conversation.updatedAt.toLocalTime().date(), today);
        if (next != group) {
            group = next;
            rows.append(Row{true, next.title(locale), {}});
        }
        rows.append(Row{false, {}, ConversationMatch{conversation, {}, 0}});
    }
    m_searching = false;
    m_searchText.clear();
    replaceRows(std::move(rows));
}

void SidebarModel::setMatches(const QList<ConversationMatch> &matches, const QString &text)
{
    QList<Row> rows;
    rows.reserve(matches.size());
    for (const ConversationMatch &match : matches)
        rows.append(Row{false, {}, match});
    const bool textChanged = m_searchText != text || !m_searching;
    m_searching = true;
    m_searchText = text;
    replaceRows(std::move(rows));
    if (textChanged && !m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {SearchTextRole});
}

// The list is read again after every change the session reports, mostly unchanged (a
// conversation opened): then the view keeps its current row, its scroll position and an open
// editor. Anything else resets it.
void SidebarModel::replaceRows(QList<Row> rows)
{
    if (rows == m_rows)
        return;
    bool sameShape = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameShape && i < rows.size(); ++i) {
        sameShape = rows.at(i).isHeader == m_rows.at(i).isHeader &&
                    rows.at(i).match.conversation.id == m_rows.at(i).match.conversation.id;
    }
    if (sameShape) {
        m_rows = std::move(rows);
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void SidebarModel::setLiveConversations(const QList<qint64> &live, const QList<qint64> &queued)
{
    if (live == m_live && queued == m_queued)
        return;
    QList<qint64> changed = live + m_live + queued + m_queued;
    m_live = live;
    m_queued = queued;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (!m_rows.at(row).isHeader && changed.contains(m_rows.at(row).match.conversation.id))
            Q_EMIT dataChanged(index(row), index(row),
                               {LiveRole, QueuedRole, Qt::ToolTipRole, Qt::AccessibleTextRole});
    }
}

int SidebarModel::conversationCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(),
                             [](const Row &row) { return !row.isHeader; }));
}

int SidebarModel::rowOf(qint64 conversationId) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (!m_rows.at(row).isHeader && m_rows.at(row).match.conversation.id == conversationId)
            return row;
    }
    return -1;
}

qint64 SidebarModel::conversationAt(int row) const
{
    if (row < 0 || row >= m_rows.size() || m_rows.at(row).isHeader)
        return 0;
    return m_rows.at(row).match.conversation.id;
}

int SidebarModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant SidebarModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    if (row.isHeader) {
        switch (role) {
        case Qt::DisplayRole:
        case Qt::AccessibleTextRole:
            return row.heading;
        case Qt::AccessibleDescriptionRole:
            return tr("Heading");
        case IsHeaderRole:
            return true;
        case ConversationIdRole:
            return qint64(0);
        default:
            return {};
        }
    }
    const Conversation &conversation = row.match.conversation;
    const bool live = m_live.contains(conversation.id);
    const bool queued = live && m_queued.contains(conversation.id);
    const QString title = conversation.title.isEmpty() ? tr("Untitled") : conversation.title;
    switch (role) {
    case Qt::DisplayRole:
        return title;
    case Qt::EditRole:
        return conversation.title;
    case Qt::AccessibleTextRole: {
        // What the painted marks say, for a screen reader.
        QString text = title;
        if (queued)
            text += QStringLiteral(", ") + tr("an answer is queued");
        else if (live)
            text += QStringLiteral(", ") + tr("an answer is streaming");
        if (!row.match.snippet.text.isEmpty())
            text += QStringLiteral(": ") + row.match.snippet.text;
        return text;
    }
    case Qt::AccessibleDescriptionRole:
        return tr("Last active %1")
            .arg(QLocale().toString(conversation.updatedAt.toLocalTime(), QLocale::ShortFormat));
    case IsHeaderRole:
        return false;
    case ConversationIdRole:
        return conversation.id;
    case UpdatedAtRole:
        return conversation.updatedAt;
    case LiveRole:
        return live;
    case QueuedRole:
        return queued;
    case SearchTextRole:
        return m_searchText;
    case SnippetRole:
        return row.match.snippet.text;
    case SnippetMatchStartRole:
        return int(row.match.snippet.matchStart);
    case SnippetMatchLengthRole:
        return int(row.match.snippet.matchLength);
    case DetailRole:
        return QLocale().toString(conversation.updatedAt.toLocalTime(), QLocale::ShortFormat);
    default:
        return {};
    }
}

Qt::ItemFlags SidebarModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || m_rows.at(index.row()).isHeader)
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
}

bool SidebarModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const qint64 id = index.isValid() ? conversationAt(index.row()) : 0;
    const QString title = value.toString().trimmed();
    if (role != Qt::EditRole || id == 0 || title.isEmpty())
        return false;
    if (title != m_rows.at(index.row()).match.conversation.title)
        Q_EMIT renameRequested(id, title);
    return true;
}

} // namespace qalam
