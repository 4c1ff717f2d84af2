#include "EmptyStateView.h"

#include "ThemeManager.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace qalam {

namespace {
constexpr int kContentWidth = 560; // a readable column, centred in any window width
}

EmptyStateView::EmptyStateView(const ThemeManager *theme, QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_intro(new QLabel(this)),
      m_tryLabel(new QLabel(this)), m_demoNote(new QLabel(this)), m_connect(new QPushButton(this))
{
    setObjectName(QStringLiteral("emptyState"));
    setBackgroundRole(QPalette::Base); // the chat's own background
    setAutoFillBackground(true);

    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignHCenter);
    m_intro->setWordWrap(true);
    m_intro->setAlignment(Qt::AlignHCenter);
    m_tryLabel->setForegroundRole(QPalette::PlaceholderText);
    m_tryLabel->setAlignment(Qt::AlignHCenter);
    m_demoNote->setObjectName(QStringLiteral("demoNote"));
    m_demoNote->setWordWrap(true);
    m_demoNote->setAlignment(Qt::AlignHCenter);
    m_demoNote->setForegroundRole(QPalette::PlaceholderText);
    m_connect->setObjectName(QStringLiteral("connectBackend"));
    if (theme)
        m_connect->setIcon(theme->icon(QStringLiteral("network-connect")));

    auto *column = new QWidget(this);
    column->setMaximumWidth(kContentWidth);
    auto *content = new QVBoxLayout(column);
    content->setContentsMargins(24, 24, 24, 24);
    content->setSpacing(10);
    content->addWidget(m_title);
    content->addWidget(m_intro);
    content->addSpacing(14);
    content->addWidget(m_tryLabel);
    for (int i = 0; i < promptCount; ++i) {
        auto *prompt = new QPushButton(column);
        prompt->setObjectName(QStringLiteral("examplePrompt"));
        prompt->setCursor(Qt::PointingHandCursor);
        prompt->setMinimumHeight(prompt->sizeHint().height() + 10);
        connect(prompt, &QPushButton::clicked, this,
                [this, i] { Q_EMIT promptChosen(examplePrompts().value(i)); });
        content->addWidget(prompt);
        m_prompts.append(prompt);
    }
    content->addSpacing(14);
    content->addWidget(m_demoNote);
    content->addWidget(m_connect, 0, Qt::AlignHCenter);

    // In a scroll area: a small window scrolls this instead of growing to fit it.
    auto *page = new QWidget;
    page->setBackgroundRole(QPalette::Base);
    // Centred by stretches rather than an alignment, so the column takes the width it may have
    // and its wrapped labels get the height that width needs.
    column->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(column, 100);
    row->addStretch(1);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->addStretch(1);
    pageLayout->addLayout(row);
    pageLayout->addStretch(2);
    auto *scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setBackgroundRole(QPalette::Base);
    scroll->setFocusPolicy(Qt::NoFocus); // Tab goes to its buttons, not to the page around them
    scroll->setWidget(page);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    connect(m_connect, &QPushButton::clicked, this, &EmptyStateView::connectRequested);
    retranslate();
    setDemo(false);
}

QStringList EmptyStateView::examplePrompts()
{
    return {
        tr("Which process is listening on port 8080, and how do I stop it?"),
        tr("Write a bash script that archives logs older than 7 days"),
        tr("Compare TCP and UDP in a short table"),
    };
}

void EmptyStateView::setDemo(bool demo)
{
    m_demo = demo;
    m_demoNote->setVisible(demo);
    m_connect->setVisible(demo);
}

void EmptyStateView::retranslate()
{
    m_title->setText(tr("Ask Qalam"));
    m_intro->setText(tr("Qalam shows your AI backend's answers as they are written, in Arabic or "
                        "English, and keeps every word: an answer cut off by a network failure "
                        "resumes where it stopped."));
    m_tryLabel->setText(tr("Try one of these:"));
    const QStringList prompts = examplePrompts();
    for (int i = 0; i < m_prompts.size(); ++i) {
        m_prompts.at(i)->setText(prompts.value(i));
        m_prompts.at(i)->setAccessibleDescription(tr("Asks this example question"));
    }
    m_demoNote->setText(tr("You are using the offline demo: its answers are canned, pre-written "
                           "and played back without a network, so they do not really answer "
                           "your question. Connect a backend to ask a real model."));
    m_connect->setText(tr("Connect a backend…"));
    m_connect->setAccessibleDescription(tr("Opens the connection profiles"));
}

void EmptyStateView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace qalam
