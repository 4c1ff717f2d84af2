#include "ConversationSidebar.h"

#include "ConversationDelegate.h"
#include "ConversationListView.h"
#include "FieldDirection.h"
#include "SidebarModel.h"
#include "UndoNotice.h"

#include <QAction>
#include <QEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>
#include <numbers>

namespace qalam {

namespace {

constexpr int searchDelayMs = 200; // search as the user types, not on every keystroke
constexpr int pulseTickMs = 50;
constexpr qreal pulsePeriodMs = 1600;

} // namespace

ConversationSidebar::ConversationSidebar(QWidget *parent)
    : QWidget(parent), m_newButton(new QPushButton(this)), m_search(new QLineEdit(this)),
      m_stack(new QStackedWidget(this)), m_list(new ConversationListView(m_stack)),
      m_placeholder(new QLabel(m_stack)), m_undo(new UndoNotice(this)),
      m_model(new SidebarModel(this)), m_delegate(new ConversationDelegate(this)),
      m_searchDebounce(new QTimer(this)), m_pulseTimer(new QTimer(this)),
      m_midnight(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_newButton);
    layout->addWidget(m_search);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_undo);
    m_stack->addWidget(m_list);
    m_stack->addWidget(m_placeholder);

    m_newButton->setObjectName(QStringLiteral("newConversation"));
    m_search->setObjectName(QStringLiteral("conversationSearch"));
    m_search->setClearButtonEnabled(true);
    FieldDirection::follow(m_search); // an Arabic search reads right to left in either UI
    m_search->installEventFilter(this);
    m_placeholder->setObjectName(QStringLiteral("conversationPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextFormat(Qt::PlainText);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setMargin(12);
    // A wrapped label asks for height; the list beside it does not, and neither should it.
    m_placeholder->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Ignored);

    m_list->setObjectName(QStringLiteral("conversationList"));
    m_list->setModel(m_model);
    m_list->setItemDelegate(m_delegate);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);

    m_searchDebounce->setSingleShot(true);
    m_searchDebounce->setInterval(searchDelayMs);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        // Clearing shows the whole list again at once; typing waits for a pause.
        if (text.trimmed().isEmpty()) {
            m_searchDebounce->stop();
            Q_EMIT searchChanged(text);
        } else {
            m_searchDebounce->start();
        }
    });
    connect(m_searchDebounce, &QTimer::timeout, this,
            [this] { Q_EMIT searchChanged(m_search->text()); });

    connect(m_newButton, &QPushButton::clicked, this, &ConversationSidebar::newRequested);
    // Selection follows the keyboard and the mouse: the conversation selected is the one open.
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this](const QItemSelection &selected) {
                if (m_settingCurrent || selected.indexes().isEmpty())
                    return;
                const qint64 id = m_model->conversationAt(selected.indexes().constFirst().row());
                if (id > 0)
                    Q_EMIT this->selected(id);
            });
    connect(m_list, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (const qint64 id = m_model->conversationAt(index.row()); id > 0)
            Q_EMIT selected(id);
    });
    connect(m_list, &ConversationListView::deleteRequested, this, [this](const QModelIndex &index) {
        if (const qint64 id = m_model->conversationAt(index.row()); id > 0)
            Q_EMIT deleteRequested(id);
    });
    connect(m_model, &SidebarModel::renameRequested, this, &ConversationSidebar::renameRequested);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ConversationSidebar::updatePulse);
    connect(m_list, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_list->indexAt(pos);
        const qint64 id = m_model->conversationAt(index.row());
        if (!index.isValid() || id == 0)
            return;
        QMenu menu(this);
        menu.addAction(tr("Rename…"), this, [this, id] { editTitle(id); });
        menu.addAction(tr("Delete…"), this, [this, id] { Q_EMIT deleteRequested(id); });
        menu.exec(m_list->viewport()->mapToGlobal(pos));
    });

    m_pulseTimer->setInterval(pulseTickMs);
    connect(m_pulseTimer, &QTimer::timeout, this, &ConversationSidebar::updatePulse);
    m_midnight->setSingleShot(true);
    connect(m_midnight, &QTimer::timeout, this, [this] {
        if (!m_model->isSearching())
            setConversations(m_conversations);
    });
    retranslate();
    updatePlaceholder();
}

void ConversationSidebar::retranslate()
{
    m_newButton->setText(tr("New conversation"));
    m_newButton->setToolTip(tr("Start a new conversation (Ctrl+N)"));
    m_search->setPlaceholderText(tr("Search conversations"));
    m_search->setToolTip(tr("Search titles and messages (Ctrl+K)"));
    // The placeholder disappears with the first letter typed; the name stays.
    m_search->setAccessibleName(tr("Search conversations"));
    m_search->setAccessibleDescription(
        tr("Searches titles and messages as you type; Down or Enter opens the first result, Esc "
           "clears"));
    m_list->setAccessibleName(tr("Conversations"));
    m_list->setAccessibleDescription(
        tr("Up and Down open a conversation, F2 renames it, Delete deletes it"));
    updatePlaceholder();
}

void ConversationSidebar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ConversationSidebar::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
}

QDateTime ConversationSidebar::now() const
{
    return m_clock ? m_clock() : QDateTime::currentDateTime();
}

void ConversationSidebar::setConversations(const QList<Conversation> &conversations)
{
    const qint64 current = currentId();
    m_conversations = conversations;
    m_shownSearch.clear();
    m_model->setConversations(conversations, now());
    setCurrent(current);
    updatePlaceholder();
    scheduleRegroup();
}

void ConversationSidebar::setMatches(const QList<ConversationMatch> &matches, const QString &text)
{
    const qint64 current = currentId();
    m_shownSearch = text.trimmed();
    m_model->setMatches(matches, m_shownSearch);
    setCurrent(current);
    updatePlaceholder();
}

// The headings say "Today" and "Yesterday": at midnight they are regrouped.
void ConversationSidebar::scheduleRegroup()
{
    const QDateTime current = now();
    const QDateTime midnight(current.date().addDays(1), QTime(0, 0, 1));
    m_midnight->start(
        int(qBound<qint64>(1000, current.msecsTo(midnight), qint64(24) * 3600 * 1000)));
}

void ConversationSidebar::updatePlaceholder()
{
    if (m_model->conversationCount() > 0) {
        m_stack->setCurrentWidget(m_list);
        return;
    }
    if (m_model->isSearching())
        m_placeholder->setText(tr("No matches for “%1”").arg(m_shownSearch));
    else
        m_placeholder->setText(tr("No conversations yet. Ask a question to start one."));
    const bool listHadFocus = m_list->hasFocus();
    m_stack->setCurrentWidget(m_placeholder);
    if (listHadFocus)
        m_search->setFocus();
}

void ConversationSidebar::setLiveConversations(const QList<qint64> &live,
                                               const QList<qint64> &queued)
{
    m_model->setLiveConversations(live, queued);
    updatePulse();
}

// The live dot breathes (a cosine over 1.6 s) while it is on screen; reduce motion keeps it
// steady. Only the rows with a dot are repainted.
void ConversationSidebar::updatePulse()
{
    QList<int> rows;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row);
        if (index.data(SidebarModel::LiveRole).toBool() &&
            !index.data(SidebarModel::QueuedRole).toBool())
            rows.append(row);
    }
    const bool animate = !rows.isEmpty() && isVisible();
    if (!animate) {
        m_pulseTimer->stop();
        m_delegate->setPulse(1.0);
        return;
    }
    if (!m_pulseTimer->isActive()) {
        m_pulseClock.start();
        m_pulseTimer->start();
    }
    const bool reduced = m_reduceMotion && m_reduceMotion->isChecked();
    const qreal phase = qreal(m_pulseClock.elapsed()) / pulsePeriodMs * 2 * std::numbers::pi;
    m_delegate->setPulse(reduced ? 1.0 : 0.5 + 0.5 * std::cos(phase));
    for (int row : std::as_const(rows))
        m_list->update(m_model->index(row));
}

void ConversationSidebar::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updatePulse();
}

void ConversationSidebar::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updatePulse();
}

void ConversationSidebar::setCurrent(qint64 conversationId)
{
    m_settingCurrent = true;
    const int row = conversationId > 0 ? m_model->rowOf(conversationId) : -1;
    if (row >= 0) {
        const QModelIndex index = m_model->index(row);
        if (m_list->currentIndex() != index || !m_list->selectionModel()->isSelected(index))
            m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
        if (!m_list->isEditing())
            m_list->scrollTo(index);
    } else {
        m_list->selectionModel()->clearSelection();
        m_list->selectionModel()->setCurrentIndex(QModelIndex(), QItemSelectionModel::NoUpdate);
    }
    m_settingCurrent = false;
}

void ConversationSidebar::selectRow(int row)
{
    if (row < 0)
        return;
    m_list->setFocus(Qt::OtherFocusReason);
    m_list->selectionModel()->setCurrentIndex(m_model->index(row),
                                              QItemSelectionModel::ClearAndSelect);
}

void ConversationSidebar::openFirstResult()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->conversationAt(row) > 0) {
            selectRow(row);
            return;
        }
    }
}

bool ConversationSidebar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_search)
        return QWidget::eventFilter(watched, event);
    if (event->type() != QEvent::ShortcutOverride && event->type() != QEvent::KeyPress)
        return false;
    const auto *key = static_cast<QKeyEvent *>(event); // only key events past this point
    // Esc belongs to the search field while it has text, before the window's Esc (stop answer).
    if (event->type() == QEvent::ShortcutOverride && key->key() == Qt::Key_Escape &&
        !m_search->text().isEmpty()) {
        event->accept();
        return true;
    }
    if (event->type() != QEvent::KeyPress || key->modifiers() & ~Qt::KeypadModifier)
        return false;
    switch (key->key()) {
    case Qt::Key_Escape:
        if (m_search->text().isEmpty())
            return false;
        m_search->clear();
        return true;
    case Qt::Key_Down:
    case Qt::Key_Return:
    case Qt::Key_Enter:
        // Results for what is typed now, not for what was typed 200 ms ago.
        if (m_searchDebounce->isActive()) {
            m_searchDebounce->stop();
            Q_EMIT searchChanged(m_search->text());
        }
        openFirstResult();
        return true;
    default:
        return false;
    }
}

QString ConversationSidebar::searchText() const
{
    return m_search->text();
}

void ConversationSidebar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void ConversationSidebar::editTitle(qint64 conversationId)
{
    const int row = m_model->rowOf(conversationId);
    if (row < 0)
        return;
    m_list->setFocus(Qt::OtherFocusReason);
    m_list->edit(m_model->index(row));
}

qint64 ConversationSidebar::currentId() const
{
    return m_model->conversationAt(m_list->currentIndex().row());
}

int ConversationSidebar::count() const
{
    return m_model->conversationCount();
}

qint64 ConversationSidebar::neighbourOf(qint64 conversationId) const
{
    const int row = m_model->rowOf(conversationId);
    if (row < 0)
        return 0;
    for (int next = row + 1; next < m_model->rowCount(); ++next) {
        if (const qint64 id = m_model->conversationAt(next))
            return id;
    }
    for (int previous = row - 1; previous >= 0; --previous) {
        if (const qint64 id = m_model->conversationAt(previous))
            return id;
    }
    return 0;
}

} // namespace qalam
