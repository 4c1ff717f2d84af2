#include "MainWindow.h"

#include "BackendSwitcher.h"
#include "Composer.h"
#include "ComposerBar.h"
#include "ConversationListView.h"
#include "ConversationPresenter.h"
#include "ConversationSidebar.h"
#include "EmptyStateView.h"
#include "FieldDirection.h"
#include "LanguageManager.h"
#include "NoticeBar.h"
#include "ProfilePicker.h"
#include "SidebarPresenter.h"
#include "StatusPresenter.h"
#include "ThemeManager.h"
#include "WindowActions.h"
#include "WindowPreferences.h"
#include "session/ConversationSession.h"
#include "settings/ProfileStore.h"
#include "settings/QtKeychainBackend.h"
#include "settings/SecretStore.h"
#include "store/ConversationStore.h"
#include "ui/ChatView.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace qalam {

MainWindow::MainWindow(const DesktopOptions &options, LanguageManager *languages,
                       std::unique_ptr<SecretBackend> keychain, QWidget *parent)
    : QMainWindow(parent), m_options(options), m_languages(languages),
      m_keychain(keychain ? std::move(keychain)
                          : std::make_unique<QtKeychainBackend>(SecretStore::serviceName())),
      m_recoveryPrompt(
          [this](const QString &problem) { return StoreOpener::askWithDialog(this, problem); })
{
    m_theme = new ThemeManager(this);
    buildUi();
    m_actions = new WindowActions(this);
    setActionIcons();
    retranslate();
}

MainWindow::~MainWindow() = default; // in the members' reverse order (see the header)

void MainWindow::buildUi()
{
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_sidebar = new ConversationSidebar(splitter);
    // The conversations on the sidebar's own background (the window's), apart from the chat's.
    if (auto *list = m_sidebar->findChild<QAbstractItemView *>(QStringLiteral("conversationList")))
        list->viewport()->setBackgroundRole(QPalette::Window);

    auto *chatPane = new QWidget(splitter);
    auto *chatLayout = new QVBoxLayout(chatPane);
    chatLayout->setContentsMargins(0, 0, 0, 0);
    chatLayout->setSpacing(0);
    m_notices = new NoticeBar(chatPane);
    chatLayout->addWidget(m_notices);
    m_chatStack = new QStackedWidget(chatPane);
    m_chatView = new ChatView(m_chatStack);
    m_chatView->setFrameShape(QFrame::NoFrame);
    m_emptyState = new EmptyStateView(m_theme, m_chatStack);
    m_chatStack->addWidget(m_chatView);
    m_chatStack->addWidget(m_emptyState);
    chatLayout->addWidget(m_chatStack, 1);

    m_composerBar = new ComposerBar(m_theme, chatPane);
    m_composer = m_composerBar->composer();
    m_sendButton = m_composerBar->sendButton();
    chatLayout->addWidget(m_composerBar);

    splitter->addWidget(m_sidebar);
    splitter->addWidget(chatPane);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({240, 760});
    setCentralWidget(splitter);

    m_connectionLabel = new QLabel(this);
    m_metricsLabel = new QLabel(this);
    // A server's error in the other language than the interface's reads in its own direction.
    FieldDirection::follow(m_connectionLabel);
    FieldDirection::follow(m_metricsLabel);
    m_profileBox = new QComboBox(this);
    m_profileBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_connectionLabel->setObjectName(QStringLiteral("connectionStatus"));
    m_metricsLabel->setObjectName(QStringLiteral("answerMetrics"));
    m_profileBox->setObjectName(QStringLiteral("profilePicker"));
    statusBar()->addWidget(m_connectionLabel, 1);
    statusBar()->addPermanentWidget(m_metricsLabel);
    statusBar()->addPermanentWidget(m_profileBox);

    // Tab goes the way the eye reads the window: the sidebar (new, search, the list), the
    // conversation (or the empty state's examples), the question and Send, the profile.
    QList<QWidget *> chain;
    chain << m_sidebar->newButton() << m_sidebar->searchField() << m_sidebar->list() << m_chatView;
    if (auto *jump = m_chatView->findChild<QWidget *>(QStringLiteral("jumpToLatest")))
        chain << jump;
    for (QPushButton *prompt : m_emptyState->promptButtons())
        chain << prompt;
    chain << m_emptyState->connectButton() << m_composer << m_sendButton << m_profileBox;
    for (qsizetype i = 0; i + 1 < chain.size(); ++i)
        setTabOrder(chain.at(i), chain.at(i + 1));
}

bool MainWindow::initialize(QString *error)
{
    StoreOpener::Result opened = StoreOpener::open(m_options.databasePath, m_recoveryPrompt);
    for (const QString &notice : std::as_const(opened.notices))
        m_notices->addNotice(notice);
    if (!opened.store) {
        *error = opened.error;
        return false;
    }
    m_store = std::move(opened.store);

    const QString settingsPath =
        m_options.settingsPath.isEmpty()
            ? QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
                  .filePath(QStringLiteral("qalam.ini"))
            : m_options.settingsPath;
    m_profiles = std::make_unique<ProfileStore>(settingsPath);
    const auto profile =
        m_profiles->startupProfile(m_options.forceDemo, m_options.profileName, error);
    if (!profile)
        return false;
    for (const QString &warning : m_profiles->warnings())
        m_notices->addNotice(warning);

    m_session = std::make_unique<ConversationSession>(m_store.get());
    m_backend = std::make_unique<BackendSwitcher>(
        m_session.get(), m_profiles.get(), std::move(m_keychain), m_options.demoTokensPerSecond);
    if (profile->isDemo && !m_backend->startDemoServer(error))
        return false;
    m_presenter = std::make_unique<ConversationPresenter>(m_session.get(), m_chatView);
    m_conversations =
        std::make_unique<SidebarPresenter>(m_session.get(), m_store.get(), m_sidebar, this);
    m_status =
        std::make_unique<StatusPresenter>(m_session.get(), m_connectionLabel, m_metricsLabel);
    m_picker =
        std::make_unique<ProfilePicker>(m_profiles.get(), m_backend.get(), m_profileBox, this);
    WindowPreferences::Targets targets{
        this, m_actions, m_session.get(), m_sidebar, {m_chatView, m_composer}, m_languages};
    targets.theme = m_theme;
    targets.chatView = m_chatView;
    m_preferences = std::make_unique<WindowPreferences>(m_profiles.get(), m_backend.get(), targets);
    wire();

    // --lang, when given, was applied before the window was built: it wins over the preference.
    m_preferences->restore(m_options.language.isEmpty(), m_options.theme);
    m_chatView->setReduceMotion(m_actions->reduceMotion()->isChecked());
    applyProfile(*profile);
    m_conversations->refresh();
    m_session->newConversation();
    m_composer->setFocus();
    return true;
}

void MainWindow::wire()
{
    ConversationSession *session = m_session.get();
    connect(m_actions->newConversation(), &QAction::triggered, m_sidebar,
            &ConversationSidebar::newRequested);
    connect(m_actions->searchConversations(), &QAction::triggered, this, [this] {
        if (!m_actions->showSidebar()->isChecked())
            m_actions->showSidebar()->setChecked(true); // shows it, and remembers that
        m_sidebar->focusSearch();
    });
    m_sidebar->setReduceMotionAction(m_actions->reduceMotion());
    connect(m_actions->quit(), &QAction::triggered, this, &QWidget::close);
    connect(m_actions->stop(), &QAction::triggered, session, &ConversationSession::stop);
    connect(m_actions->regenerate(), &QAction::triggered, session,
            &ConversationSession::regenerate);
    connect(m_actions->profiles(), &QAction::triggered, m_picker.get(), &ProfilePicker::openDialog);

    connect(m_composer, &Composer::submitted, this, &MainWindow::sendFromComposer);
    connect(m_composer, &Composer::stopRequested, session, &ConversationSession::stop);
    connect(m_sendButton, &QPushButton::clicked, this, [this] {
        if (m_session->isStreaming())
            m_session->stop();
        else
            sendFromComposer();
    });
    connect(m_sidebar, &ConversationSidebar::newRequested, m_composer,
            [this] { m_composer->setFocus(); });
    connect(m_chatView, &ChatView::linkActivated, this,
            [](const QUrl &url) { QDesktopServices::openUrl(url); });
    connect(m_presenter.get(), &ConversationPresenter::openProfileRequested, m_picker.get(),
            &ProfilePicker::openDialog);
    connect(m_actions->reduceMotion(), &QAction::toggled, m_chatView, &ChatView::setReduceMotion);
    connect(m_conversations.get(), &SidebarPresenter::errorOccurred, m_status.get(),
            &StatusPresenter::showError);

    connect(session, &ConversationSession::messagesReset, this, &MainWindow::updateEmptyState);
    connect(session, &ConversationSession::messageAdded, this, &MainWindow::updateEmptyState);
    connect(m_backend.get(), &BackendSwitcher::profileChanged, this, &MainWindow::updateEmptyState);
    connect(m_emptyState, &EmptyStateView::promptChosen, this, &MainWindow::ask);
    connect(m_emptyState, &EmptyStateView::connectRequested, m_picker.get(),
            &ProfilePicker::openDialog);
    connect(session, &ConversationSession::messagesReset, this, &MainWindow::updateActions);
    connect(session, &ConversationSession::messageAdded, this, &MainWindow::updateActions);
    connect(session, &ConversationSession::answerFinished, this, &MainWindow::updateActions);
    connect(session, &ConversationSession::liveConversationsChanged, this,
            &MainWindow::updateActions);
    connect(session, &ConversationSession::phaseChanged, this, &MainWindow::updateActions);

    connect(m_backend->secrets(), &SecretStore::keychainUnavailable, m_notices,
            &NoticeBar::addNotice);
    connect(m_backend.get(), &BackendSwitcher::stateChanged, this, [this] {
        m_status->setIdleText([backend = m_backend.get()] { return backend->statusText(); });
        updateActions();
        if (m_backend->isReady() && std::exchange(m_sendWhenReady, false))
            sendFromComposer();
    });
    // A question waiting for the profile is the composer's text as it was sent: typing more
    // means the user is not done, so it is no longer sent by itself.
    connect(m_composer, &QPlainTextEdit::textChanged, this, [this] { m_sendWhenReady = false; });

    // Texts computed from data rather than set once: asked for again in the new language.
    connect(this, &MainWindow::languageChanged, this, [this] {
        m_picker->refresh(); // the demo's name
        updateActions();
        m_status->retranslate();
        m_conversations->refresh(); // "Untitled" and the dates in the tooltips
        m_presenter->refresh();     // the footers
    });
}

// Icons drawn in the theme's colours (ThemeManager::icon): they follow a theme switch by
// themselves.
void MainWindow::setActionIcons()
{
    m_actions->newConversation()->setIcon(m_theme->icon(QStringLiteral("mail-message-new")));
    m_actions->searchConversations()->setIcon(m_theme->icon(QStringLiteral("edit-find")));
    m_actions->stop()->setIcon(m_theme->icon(QStringLiteral("media-playback-stop")));
    m_actions->regenerate()->setIcon(m_theme->icon(QStringLiteral("view-refresh")));
    m_actions->showSidebar()->setIcon(m_theme->icon(QStringLiteral("sidebar-collapse-left"), true));
    m_actions->profiles()->setIcon(m_theme->icon(QStringLiteral("network-connect")));
    m_actions->preferences()->setIcon(m_theme->icon(QStringLiteral("configure")));
    m_actions->quit()->setIcon(m_theme->icon(QStringLiteral("application-exit")));
}

// The conversation on screen has no message yet: what Qalam is and what to ask, instead of an
// empty view.
void MainWindow::updateEmptyState()
{
    m_emptyState->setDemo(m_backend->profile().isDemo);
    m_chatStack->setCurrentWidget(m_session->messages().isEmpty()
                                      ? static_cast<QWidget *>(m_emptyState)
                                      : static_cast<QWidget *>(m_chatView));
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Qalam"));
    m_actions->retranslate();
    // What a screen reader says for the parts whose text is data (the labels say their text).
    m_chatView->setAccessibleName(tr("Conversation"));
    m_chatView->setAccessibleDescription(
        tr("The questions and answers. Ctrl+Up and Ctrl+Down move between messages, Tab reaches "
           "the current message's buttons."));
    m_connectionLabel->setAccessibleDescription(tr("Connection status"));
    m_metricsLabel->setAccessibleDescription(tr("Time to first token and speed of the answer"));
    m_profileBox->setAccessibleName(tr("Connection profile"));
    // The menu bar's » button, shown when the menus do not fit (longer in Arabic): an icon only.
    if (auto *more = menuBar()->findChild<QToolButton *>(QStringLiteral("qt_menubar_ext_button")))
        more->setAccessibleName(tr("More menus"));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        Q_EMIT languageChanged();
    }
    QMainWindow::changeEvent(event);
}

const Profile &MainWindow::currentProfile() const
{
    return m_backend->profile();
}

void MainWindow::applyProfile(const Profile &profile)
{
    m_backend->apply(profile);
}

bool MainWindow::isBackendReady() const
{
    return m_backend->isReady();
}

void MainWindow::ask(const QString &question)
{
    m_composer->setPlainText(question);
    sendFromComposer();
}

void MainWindow::sendFromComposer()
{
    if (m_session->isStreaming())
        return;
    if (!m_backend->isReady()) {
        // Sent as soon as the profile is (its key is being looked up), like --ask at start.
        m_sendWhenReady = true;
        m_status->setConnectionText([backend = m_backend.get()] {
            return tr("The question is sent when the profile is ready: %1")
                .arg(backend->statusText());
        });
        return;
    }
    if (m_session->send(m_composer->toPlainText()))
        m_composer->clear();
}

void MainWindow::updateActions()
{
    const bool streaming = m_session->isStreaming();
    m_composerBar->setStreaming(streaming);
    m_actions->setAnswerState(streaming,
                              m_session->canRegenerate(int(m_session->messages().size()) - 1));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const int live = int(m_session->liveConversations().size());
    if (live > 0) {
        const auto answer = QMessageBox::question(
            this, tr("Quit Qalam"),
            tr("%n answer(s) are still streaming. Quit anyway? What arrived is kept and marked "
               "interrupted, and can be continued later.",
               nullptr, live));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    m_session->interruptAll(); // what arrived is saved and can be continued next time
    m_preferences->save();
    event->accept();
}

} // namespace qalam
