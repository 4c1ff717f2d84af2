#include "MainWindow.h"

#include "ui/ChatView.h"
#include "Composer.h"
#include "ConversationPresenter.h"
#include "session/ConversationSession.h"
#include "ConversationSidebar.h"
#include "store/ConversationStore.h"
#include "server/DemoServer.h"
#include "LanguageManager.h"
#include "NoticeBar.h"
#include "settings/ProfileChatRequest.h"
#include "ProfileDialog.h"
#include "settings/ProfileNetworkAccessManager.h"
#include "PreferencesDialog.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"
#include "store/StoreRecovery.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QStandardPaths>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace qalam {

MainWindow::MainWindow(const DesktopOptions &options, LanguageManager *languages, QWidget *parent)
    : QMainWindow(parent), m_options(options), m_languages(languages)
{
    buildUi();
    buildMenus();
    retranslate();
    m_metricsTimer.setInterval(500);
    connect(&m_metricsTimer, &QTimer::timeout, this, &MainWindow::updateLiveMetrics);
}

MainWindow::~MainWindow()
{
    // The session saves the answer in flight; it must go before the store and the server.
    m_session.reset();
}

void MainWindow::buildUi()
{
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_sidebar = new ConversationSidebar(splitter);

    auto *chatPane = new QWidget(splitter);
    auto *chatLayout = new QVBoxLayout(chatPane);
    chatLayout->setContentsMargins(0, 0, 0, 0);
    chatLayout->setSpacing(0);
    m_notices = new NoticeBar(chatPane);
    chatLayout->addWidget(m_notices);
    m_chatView = new ChatView(chatPane);
    chatLayout->addWidget(m_chatView, 1);

    auto *composerRow = new QWidget(chatPane);
    auto *composerLayout = new QHBoxLayout(composerRow);
    composerLayout->setContentsMargins(8, 8, 8, 8);
    m_composer = new Composer(composerRow);
    m_sendButton = new QPushButton(composerRow);
    m_sendButton->setDefault(true);
    composerLayout->addWidget(m_composer, 1);
    composerLayout->addWidget(m_sendButton, 0, Qt::AlignBottom);
    chatLayout->addWidget(composerRow);

    splitter->addWidget(m_sidebar);
    splitter->addWidget(chatPane);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({240, 760});
    setCentralWidget(splitter);

    m_connectionLabel = new QLabel(this);
    m_metricsLabel = new QLabel(this);
    m_profileBox = new QComboBox(this);
    m_profileBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    statusBar()->addWidget(m_connectionLabel, 1);
    statusBar()->addPermanentWidget(m_metricsLabel);
    statusBar()->addPermanentWidget(m_profileBox);
    connect(m_profileBox, &QComboBox::activated, this, [this](int index) {
        if (const auto profile = m_profiles->profile(m_profileBox->itemData(index).toString()))
            applyProfile(*profile);
    });

    connect(m_composer, &Composer::submitted, this, &MainWindow::sendFromComposer);
    connect(m_composer, &Composer::stopRequested, this, [this] {
        if (m_session)
            m_session->stop();
    });
    connect(m_sendButton, &QPushButton::clicked, this, [this] {
        if (m_session && m_session->isStreaming())
            m_session->stop();
        else
            sendFromComposer();
    });
    connect(m_chatView, &ChatView::linkActivated, this, [](const QUrl &url) { QDesktopServices::openUrl(url); });

    connect(m_sidebar, &ConversationSidebar::newRequested, this, [this] {
        if (m_session)
            m_session->newConversation();
        m_sidebar->setCurrent(0);
        m_composer->setFocus();
    });
    connect(m_sidebar, &ConversationSidebar::selected, this, [this](qint64 id) {
        if (m_session && id != m_session->conversationId())
            m_session->openConversation(id);
    });
    connect(m_sidebar, &ConversationSidebar::searchChanged, this, &MainWindow::refreshConversations);
    connect(m_sidebar, &ConversationSidebar::renameRequested, this, &MainWindow::renameConversation);
    connect(m_sidebar, &ConversationSidebar::deleteRequested, this, &MainWindow::deleteConversation);
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_newAction = m_fileMenu->addAction(QString(), this, [this] { m_sidebar->newRequested(); });
    m_newAction->setShortcut(QKeySequence::New);
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
    m_quitAction->setShortcut(QKeySequence::Quit);

    m_conversationMenu = menuBar()->addMenu(QString());
    m_stopAction = m_conversationMenu->addAction(QString(), this, [this] {
        if (m_session)
            m_session->stop();
    });
    m_stopAction->setShortcut(Qt::Key_Escape);
    m_regenerateAction = m_conversationMenu->addAction(QString(), this, [this] {
        if (m_session)
            m_session->regenerate();
    });
    m_regenerateAction->setShortcut(Qt::CTRL | Qt::Key_R);

    m_viewMenu = menuBar()->addMenu(QString());
    m_reduceMotionAction = m_viewMenu->addAction(QString());
    m_reduceMotionAction->setCheckable(true);
    connect(m_reduceMotionAction, &QAction::toggled, this, [this](bool on) {
        if (m_session)
            m_session->setReduceMotion(on);
        savePreferences();
    });

    m_settingsMenu = menuBar()->addMenu(QString());
    m_profilesAction = m_settingsMenu->addAction(QString(), this, &MainWindow::openProfileDialog);
    m_preferencesAction = m_settingsMenu->addAction(QString(), this, &MainWindow::openPreferencesDialog);
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Qalam"));
    m_fileMenu->setTitle(tr("&File"));
    m_newAction->setText(tr("&New conversation"));
    m_quitAction->setText(tr("&Quit"));
    m_conversationMenu->setTitle(tr("&Conversation"));
    m_stopAction->setText(tr("&Stop answer"));
    m_regenerateAction->setText(tr("&Regenerate answer"));
    m_viewMenu->setTitle(tr("&View"));
    m_reduceMotionAction->setText(tr("Reduce &motion (show answers at once)"));
    m_settingsMenu->setTitle(tr("&Settings"));
    m_profilesAction->setText(tr("Connection &profiles…"));
    m_preferencesAction->setText(tr("P&references…"));
    m_profileBox->setToolTip(tr("The backend new answers come from"));
    refreshProfiles();
    updateActions();
    // Texts computed from data rather than set once: ask for them again in the new language.
    if (m_connectionText)
        m_connectionLabel->setText(m_connectionText());
    if (!m_metricsLabel->text().isEmpty())
        updateLiveMetrics();
    refreshConversations(); // "Untitled" and the dates in the tooltips
    if (m_presenter)
        m_presenter->refresh();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

bool MainWindow::initialize(QString *error)
{
    const QString path = m_options.databasePath.isEmpty() ? ConversationStore::defaultPath()
                                                          : m_options.databasePath;
    if (!checkStore(path, error))
        return false;
    m_store = std::make_unique<ConversationStore>(path);
    if (!m_store->isOpen()) {
        *error = tr("Cannot open the conversation database %1: %2").arg(path, m_store->lastError());
        return false;
    }
    // Answers a crash or kill cut off are marked, so they offer "continue" instead of
    // looking complete.
    if (!m_store->markStreamingAsInterrupted()) {
        m_notices->addNotice(tr("Answers cut off by the last exit could not be marked as "
                                "interrupted: %1")
                                 .arg(ConversationSession::storeErrorText(m_store->lastError())));
    }

    const QString settingsPath = m_options.settingsPath.isEmpty()
        ? QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)).filePath(QStringLiteral("qalam.ini"))
        : m_options.settingsPath;
    m_profiles = std::make_unique<ProfileStore>(settingsPath);
    m_secrets = std::make_unique<SecretStore>();
    connect(m_secrets.get(), &SecretStore::keychainUnavailable, this,
            [this](const QString &message) { m_notices->addNotice(message); });
    QString profileError;
    const auto profile = m_profiles->startupProfile(m_options.forceDemo, m_options.profileName, &profileError);
    if (!profile) {
        *error = profileError;
        return false;
    }
    const Preferences &preferences = m_profiles->preferences();
    if (m_options.language.isEmpty())
        applyLanguage(preferences.language); // --lang, when given, was applied before the window
    if (!preferences.windowGeometry.isEmpty())
        restoreGeometry(preferences.windowGeometry);
    {
        const QSignalBlocker blocker(m_reduceMotionAction);
        m_reduceMotionAction->setChecked(preferences.reduceMotion);
    }
    for (const QString &warning : m_profiles->warnings())
        m_notices->addNotice(warning);

    m_session = std::make_unique<ConversationSession>(m_store.get());
    m_session->setReduceMotion(preferences.reduceMotion);
    applyAppearance();
    if (profile->isDemo && !ensureDemoServer(error))
        return false;
    refreshProfiles();
    applyProfile(*profile);

    m_presenter = std::make_unique<ConversationPresenter>(m_session.get(), m_chatView);
    connect(m_presenter.get(), &ConversationPresenter::editRequested, this, &MainWindow::editQuestion);
    connect(m_session.get(), &ConversationSession::messagesReset, this, [this] {
        m_sidebar->setCurrent(m_session->conversationId());
        // The status bar speaks for the conversation on screen: another one's answer, still
        // streaming in the background, is marked in the sidebar instead.
        if (m_session->isStreaming()) {
            setConnectionText([] { return tr("Streaming"); });
            m_metricsTimer.start();
        } else {
            m_metricsTimer.stop();
            m_metricsLabel->clear();
            setConnectionText([] { return tr("Ready"); });
        }
        updateActions();
    });
    connect(m_session.get(), &ConversationSession::messageAdded, this, &MainWindow::updateActions);
    connect(m_session.get(), &ConversationSession::answerFinished, this, &MainWindow::updateActions);
    connect(m_session.get(), &ConversationSession::liveConversationsChanged, this, [this] {
        m_sidebar->setLiveConversations(m_session->liveConversations());
        updateActions();
    });
    connect(m_session.get(), &ConversationSession::phaseChanged, this, &MainWindow::onPhaseChanged);
    connect(m_session.get(), &ConversationSession::conversationChanged, this, [this] { refreshConversations(); });
    connect(m_session.get(), &ConversationSession::errorOccurred, this, [this](const QString &message) {
        setConnectionText([message] { return tr("Error: %1").arg(message); });
    });

    refreshConversations();
    m_session->newConversation();
    setConnectionText([] { return tr("Ready"); });
    m_composer->setFocus();
    return true;
}

// PRAGMA quick_check before the store opens (docs/benchmarks.md, "Store check"): a damaged file
// would otherwise open with part of its history silently missing.
bool MainWindow::checkStore(const QString &path, QString *error)
{
    const StoreRecovery::CheckResult health = StoreRecovery::check(path);
    if (health.isOk())
        return true;
    const RecoveryChoice choice = m_recoveryPrompt ? m_recoveryPrompt(health.message)
                                                   : askRecovery(health.message);
    if (choice == RecoveryChoice::Quit) {
        error->clear(); // the user's choice, not an error to show
        return false;
    }
    const StoreRecovery::Result result = choice == RecoveryChoice::Recover
                                             ? StoreRecovery::recover(path)
                                             : StoreRecovery::startEmpty(path);
    if (!result.ok) {
        *error = result.error;
        return false;
    }
    m_notices->addNotice(result.message);
    return true;
}

MainWindow::RecoveryChoice MainWindow::askRecovery(const QString &problem)
{
    QMessageBox box(QMessageBox::Warning, tr("Qalam"), problem, QMessageBox::NoButton, this);
    box.setInformativeText(
        tr("Recover copies every conversation and message that can still be read into a new "
           "database. Start empty begins without them. Either way the damaged file is kept next "
           "to the new one, so nothing is deleted."));
    QPushButton *recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
    QPushButton *empty = box.addButton(tr("Start empty"), QMessageBox::DestructiveRole);
    box.addButton(tr("Quit"), QMessageBox::RejectRole);
    box.setDefaultButton(recover);
    box.exec();
    if (box.clickedButton() == recover)
        return RecoveryChoice::Recover;
    if (box.clickedButton() == empty)
        return RecoveryChoice::StartEmpty;
    return RecoveryChoice::Quit;
}

bool MainWindow::ensureDemoServer(QString *error)
{
    if (m_demoServer)
        return true;
    server::DemoServer::Options options;
    if (m_options.demoTokensPerSecond > 0)
        options.tokensPerSecond = m_options.demoTokensPerSecond;
    auto demoServer = std::make_unique<server::DemoServer>(options);
    if (!demoServer->listen()) {
        *error = tr("Cannot start the offline demo server: %1").arg(demoServer->errorString());
        return false;
    }
    m_demoServer = std::move(demoServer);
    return true;
}

void MainWindow::applyProfile(const Profile &profile)
{
    // Answers already streaming keep their profile's backend; only new ones use this one.
    m_profile = profile;
    m_backendReady = false;
    refreshProfiles();
    savePreferences();

    SseConsumer::Options transport;
    transport.minRetryMs = 250;
    transport.initialRetryMs = 1000;
    m_session->setProfileName(profile.name);

    if (profile.isDemo) {
        QString error;
        if (!ensureDemoServer(&error)) {
            setConnectionText([error] { return error; });
            return;
        }
        m_session->setNetworkAccessManager(nullptr);
        m_session->setBackend(ChatProtocol::Kind::AdminStream,
                              makeChatRequest(profile, QString(), {}, m_demoServer->url()), transport);
        m_backendReady = true;
        setConnectionText([] { return tr("Ready (offline demo)"); });
        updateActions();
        return;
    }

    // A new manager per profile: its proxy and TLS settings (the profile's extra CA) apply to
    // every request of the answers asked through it. The old one may still carry answers
    // streaming in the background, so it stays until the window goes.
    if (m_network)
        m_retiredNetworks.push_back(std::move(m_network));
    m_network = std::make_unique<ProfileNetworkAccessManager>();
    const QString networkError = m_network->configure(profile, m_profiles->preferences().proxy);
    if (!networkError.isEmpty()) {
        setConnectionText([networkError] { return tr("Error: %1").arg(networkError); });
        updateActions();
        return;
    }
    setConnectionText([] { return tr("Looking up the API key…"); });
    // The key and the secret header values, which the profile never holds.
    m_secrets->resolveSecrets(
        profile, this, [this, profile, transport](const SecretResult &result) {
            if (m_profile.id != profile.id)
                return; // the user switched again meanwhile
            Profile resolved = profile;
            resolved.extraHeaders = result.headers;
            m_session->setNetworkAccessManager(m_network.get());
            m_session->setBackend(profile.protocol, makeChatRequest(resolved, result.key, {}),
                                  transport);
            m_backendReady = true;
            const QString message = result.message;
            setConnectionText([ok = result.ok, message] { return ok ? tr("Ready") : message; });
            updateActions();
        });
    updateActions();
}

void MainWindow::refreshProfiles()
{
    if (!m_profiles)
        return;
    const QSignalBlocker blocker(m_profileBox);
    m_profileBox->clear();
    for (const Profile &profile : m_profiles->profiles())
        m_profileBox->addItem(profile.name, profile.id);
    m_profileBox->setCurrentIndex(std::max(0, m_profileBox->findData(m_profile.id)));
}

void MainWindow::openProfileDialog()
{
    ProfileDialog dialog(m_profiles.get(), m_secrets.get(), this);
    dialog.select(m_profile.id);
    connect(&dialog, &ProfileDialog::profilesChanged, this, [this](const QString &id) {
        refreshProfiles();
        if (id != m_profile.id)
            return;
        // The profile in use changed or went away: use what it is now, or the default.
        applyProfile(m_profiles->profile(id).value_or(m_profiles->defaultProfile()));
    });
    dialog.exec();
}

void MainWindow::openPreferencesDialog()
{
    PreferencesDialog dialog(m_profiles->preferences(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Preferences before = m_profiles->preferences();
    const Preferences after = dialog.preferences();
    const QString error = m_profiles->savePreferences(after);
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Preferences"), error);
        return;
    }
    {
        const QSignalBlocker blocker(m_reduceMotionAction);
        m_reduceMotionAction->setChecked(after.reduceMotion);
    }
    m_session->setReduceMotion(after.reduceMotion);
    applyAppearance();
    // The choice just made wins over --lang: it is what the user asked for last.
    if (after.language != before.language)
        applyLanguage(after.language);
    if (after.proxy != before.proxy && !m_profile.isDemo)
        applyProfile(m_profile); // new answers go through the new proxy
}

// Text size from the preferences.
void MainWindow::applyAppearance()
{
    const Preferences &preferences = m_profiles->preferences();
    QFont chatFont = QApplication::font();
    if (preferences.fontPointSize > 0)
        chatFont.setPointSize(preferences.fontPointSize);
    m_chatView->setFont(chatFont);
    m_composer->setFont(chatFont);
}

// Translations, locale and direction change together and at once: every widget retranslates
// on the QEvent::LanguageChange the new translators send.
void MainWindow::applyLanguage(Preferences::Language preference)
{
    if (m_languages)
        m_languages->setLanguage(LanguageManager::resolve(QString(), preference));
}

void MainWindow::setConnectionText(std::function<QString()> text)
{
    m_connectionText = std::move(text);
    m_connectionLabel->setText(m_connectionText());
}

void MainWindow::savePreferences()
{
    if (!m_profiles)
        return;
    Preferences preferences = m_profiles->preferences();
    preferences.reduceMotion = m_reduceMotionAction->isChecked();
    if (!m_profile.id.isEmpty())
        preferences.lastProfileId = m_profile.id;
    if (isVisible())
        preferences.windowGeometry = saveGeometry();
    if (preferences == m_profiles->preferences())
        return;
    const QString error = m_profiles->savePreferences(preferences);
    if (!error.isEmpty())
        statusBar()->showMessage(error, 10000);
}

void MainWindow::refreshConversations()
{
    if (!m_store)
        return;
    const auto list = m_store->search(m_sidebar->searchText());
    if (!list) {
        const QString error = ConversationSession::storeErrorText(m_store->lastError());
        setConnectionText([error] { return tr("Error: %1").arg(error); });
        return;
    }
    m_sidebar->setConversations(*list);
    if (m_session)
        m_sidebar->setCurrent(m_session->conversationId());
}

void MainWindow::ask(const QString &question)
{
    m_composer->setPlainText(question);
    sendFromComposer();
}

void MainWindow::sendFromComposer()
{
    if (!m_session || m_session->isStreaming())
        return;
    if (!m_backendReady) {
        setConnectionText([state = m_connectionText] {
            return tr("The profile is not ready yet: %1").arg(state ? state() : QString());
        });
        return;
    }
    const QString text = m_composer->toPlainText();
    if (m_session->send(text))
        m_composer->clear();
}

void MainWindow::onPhaseChanged(ChatStream::Phase phase, const QString &detail)
{
    switch (phase) {
    case ChatStream::Phase::Idle:
        setConnectionText([] { return tr("Ready"); });
        break;
    case ChatStream::Phase::Connecting:
        setConnectionText([] { return tr("Connecting…"); });
        m_metricsLabel->clear();
        m_metricsTimer.start();
        break;
    case ChatStream::Phase::Streaming:
        setConnectionText([] { return tr("Streaming"); });
        break;
    case ChatStream::Phase::Reconnecting:
        setConnectionText([detail] { return tr("Reconnecting: %1").arg(detail); });
        break;
    case ChatStream::Phase::Finished:
        m_metricsTimer.stop();
        updateLiveMetrics();
        setConnectionText([detail] { return detail.isEmpty() ? tr("Done") : detail; });
        break;
    }
    updateActions();
}

void MainWindow::updateLiveMetrics()
{
    if (!m_session)
        return;
    const ChatMetrics metrics = m_session->currentMetrics();
    const QLocale locale;
    QStringList parts;
    if (metrics.timeToFirstTokenMs >= 0)
        parts.append(tr("first token %1 ms").arg(locale.toString(metrics.timeToFirstTokenMs)));
    parts.append(tr("%1 chars/s").arg(locale.toString(metrics.charactersPerSecond(), 'f', 0)));
    if (metrics.reconnects > 0)
        parts.append(tr("%Ln reconnect(s)", nullptr, metrics.reconnects));
    m_metricsLabel->setText(parts.join(QStringLiteral(" · ")));
}

void MainWindow::updateActions()
{
    const bool streaming = m_session && m_session->isStreaming();
    m_sendButton->setText(streaming ? tr("Stop") : tr("Send"));
    m_stopAction->setEnabled(streaming);
    m_regenerateAction->setEnabled(m_session &&
                                   m_session->canRegenerate(int(m_session->messages().size()) - 1));
}

void MainWindow::renameConversation(qint64 id)
{
    const auto conversation = m_store->conversation(id);
    if (!conversation)
        return;
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Rename conversation"), tr("Title:"),
                                                QLineEdit::Normal, conversation->title, &ok);
    if (!ok || title.trimmed().isEmpty())
        return;
    if (!m_store->renameConversation(id, title.trimmed())) {
        QMessageBox::warning(this, tr("Rename conversation"),
                             ConversationSession::storeErrorText(m_store->lastError()));
        return;
    }
    refreshConversations();
}

void MainWindow::deleteConversation(qint64 id)
{
    const auto conversation = m_store->conversation(id);
    if (!conversation)
        return;
    const auto answer = QMessageBox::question(this, tr("Delete conversation"),
                                              tr("Delete “%1” and all its messages?").arg(conversation->title));
    if (answer != QMessageBox::Yes)
        return;
    if (m_session->conversationId() == id)
        m_session->newConversation();
    if (!m_store->deleteConversation(id)) {
        QMessageBox::warning(this, tr("Delete conversation"),
                             ConversationSession::storeErrorText(m_store->lastError()));
        return;
    }
    refreshConversations();
}

void MainWindow::editQuestion(int index)
{
    if (!m_session || index < 0 || index >= m_session->messages().size())
        return;
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(this, tr("Edit and resend"), tr("Question:"),
                                                        m_session->messages().at(index).content, &ok);
    if (ok)
        m_session->editAndResend(index, text);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const int live = m_session ? int(m_session->liveConversations().size()) : 0;
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
    if (m_session)
        m_session->interruptAll(); // what arrived is saved and can be continued next time
    savePreferences();
    event->accept();
}

} // namespace qalam
