#include "ConversationSidebar.h"

#include <QEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace qalam {

ConversationSidebar::ConversationSidebar(QWidget *parent)
    : QWidget(parent), m_newButton(new QPushButton(this)), m_search(new QLineEdit(this)),
      m_list(new QListWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_newButton);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    m_search->setClearButtonEnabled(true);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setUniformItemSizes(true);
    m_list->setTextElideMode(Qt::ElideRight);

    // Search as the user types, but not on every keystroke of a fast typist.
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, [this] { Q_EMIT searchChanged(m_search->text()); });

    connect(m_newButton, &QPushButton::clicked, this, &ConversationSidebar::newRequested);
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT selected(item->data(Qt::UserRole).toLongLong());
    });
    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        Q_EMIT selected(item->data(Qt::UserRole).toLongLong());
    });
    connect(m_list, &QListWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QListWidgetItem *item = m_list->itemAt(pos);
        if (!item)
            return;
        const qint64 id = item->data(Qt::UserRole).toLongLong();
        QMenu menu(this);
        menu.addAction(tr("Rename…"), this, [this, id] { Q_EMIT renameRequested(id); });
        menu.addAction(tr("Delete"), this, [this, id] { Q_EMIT deleteRequested(id); });
        menu.exec(m_list->viewport()->mapToGlobal(pos));
    });
    retranslate();
}

void ConversationSidebar::retranslate()
{
    m_newButton->setText(tr("New conversation"));
    m_search->setPlaceholderText(tr("Search conversations"));
}

void ConversationSidebar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ConversationSidebar::setConversations(const QList<Conversation> &conversations)
{
    m_conversations = conversations;
    render();
}

void ConversationSidebar::setLiveConversations(const QList<qint64> &conversationIds)
{
    if (conversationIds == m_live)
        return;
    m_live = conversationIds;
    render();
}

void ConversationSidebar::render()
{
    const qint64 current = currentId();
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    for (const Conversation &conversation : std::as_const(m_conversations)) {
        const QString title = conversation.title.isEmpty() ? tr("Untitled") : conversation.title;
        const bool live = m_live.contains(conversation.id);
        // The mark is text, so a screen reader says it too.
        auto *item = new QListWidgetItem(live ? QStringLiteral("● ") + title : title, m_list);
        item->setData(Qt::UserRole, conversation.id);
        QString tip =
            QLocale().toString(conversation.updatedAt.toLocalTime(), QLocale::ShortFormat);
        if (live)
            tip = tr("An answer is streaming") + QLatin1Char('\n') + tip;
        item->setToolTip(tip);
    }
    setCurrent(current);
}

void ConversationSidebar::setCurrent(qint64 conversationId)
{
    const QSignalBlocker blocker(m_list);
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(Qt::UserRole).toLongLong() == conversationId) {
            m_list->setCurrentRow(i);
            return;
        }
    }
    m_list->clearSelection();
    m_list->setCurrentRow(-1);
}

QString ConversationSidebar::searchText() const
{
    return m_search->text();
}

qint64 ConversationSidebar::currentId() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toLongLong() : 0;
}

int ConversationSidebar::count() const
{
    return m_list->count();
}

} // namespace qalam
