// MainWindow: the desktop app's window. It builds the widgets and the objects that drive them and
// wires them together; each responsibility is a class of its own: WindowActions (the menus),
// StoreOpener (the database at start, with the damaged-file recovery), BackendSwitcher (a
// profile becomes the session's backend), ConversationPresenter (the conversation on screen),
// SidebarPresenter (the conversations list), StatusPresenter (the status bar), ProfilePicker
// (the profile chooser and dialog) and WindowPreferences (the preferences, applied and kept).
// Commands go to the ConversationSession; what it and the ConversationStore hold is shown.
#pragma once

#include "DesktopOptions.h"
#include "StoreOpener.h"
#include "settings/Profile.h"
#include "settings/SecretBackend.h"

#include <QMainWindow>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace qalam {

class BackendSwitcher;
class ChatView;
class Composer;
class ComposerBar;
class ConversationPresenter;
class ConversationSession;
class ConversationSidebar;
class ConversationStore;
class EmptyStateView;
class LanguageManager;
class NoticeBar;
class ProfilePicker;
class ProfileStore;
class SidebarPresenter;
class StatusPresenter;
class ThemeManager;
class WindowActions;
class WindowPreferences;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `languages` (not owned; may be null in tests that do not switch languages) applies the
    // saved language preference and the one chosen in the Preferences dialog. `keychain` is where
    // API keys are kept; null: the OS keychain (QtKeychainBackend). Tests pass a memory one.
    explicit MainWindow(const DesktopOptions &options, LanguageManager *languages = nullptr,
                        std::unique_ptr<SecretBackend> keychain = nullptr,
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens the store (offering Recover, Start empty or Quit when it is damaged), the settings
    // and the profile, then builds the session and everything that shows it. False: *error says
    // why, or is empty when the user chose to quit. Everything below needs it to have succeeded.
    bool initialize(QString *error);

    // What to do with a damaged conversation database. The default asks with a dialog; tests
    // answer for the person.
    using RecoveryChoice = StoreOpener::RecoveryChoice;
    using RecoveryPrompt = StoreOpener::RecoveryPrompt;
    void setRecoveryPrompt(RecoveryPrompt prompt) { m_recoveryPrompt = std::move(prompt); }
    // Sends a question as if typed in the composer.
    void ask(const QString &question);

    ChatView *chatView() const { return m_chatView; }
    Composer *composer() const { return m_composer; }
    ConversationSidebar *sidebar() const { return m_sidebar; }
    NoticeBar *notices() const { return m_notices; }
    ConversationSession *session() const { return m_session.get(); }
    ConversationStore *store() const { return m_store.get(); }
    QLabel *connectionLabel() const { return m_connectionLabel; }
    QLabel *metricsLabel() const { return m_metricsLabel; }
    QPushButton *sendButton() const { return m_sendButton; }
    // The chat area's first-run / new-conversation state, shown while there is no message.
    EmptyStateView *emptyState() const { return m_emptyState; }
    ThemeManager *theme() const { return m_theme; }
    WindowActions *actions() const { return m_actions; }
    ProfileStore *profiles() const { return m_profiles.get(); }
    const Profile &currentProfile() const;
    // Switches every new answer to `profile`; answers already streaming keep theirs.
    void applyProfile(const Profile &profile);
    // True once the current profile's key has been looked up and answers can be asked for.
    bool isBackendReady() const;

Q_SIGNALS:
    // The interface language changed and the window's own texts followed it; whatever shows
    // data (the status bar, the lists, the footers) is asked for its texts again.
    void languageChanged();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void setActionIcons();
    void updateEmptyState();
    void wire();
    void retranslate();
    void sendFromComposer();
    void updateActions();

    DesktopOptions m_options;
    LanguageManager *m_languages;
    std::unique_ptr<SecretBackend> m_keychain; // until initialize() gives it to the switcher
    RecoveryPrompt m_recoveryPrompt;
    bool m_sendWhenReady = false; // the composer's question waits for the profile's secrets
    // Destroyed in reverse order: what shows the session, then the session (it saves the answers
    // in flight), then the backend (network managers, demo server), the settings and the store.
    std::unique_ptr<ConversationStore> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<BackendSwitcher> m_backend;
    std::unique_ptr<ConversationSession> m_session;
    std::unique_ptr<ConversationPresenter> m_presenter;
    std::unique_ptr<SidebarPresenter> m_conversations;
    std::unique_ptr<StatusPresenter> m_status;
    std::unique_ptr<ProfilePicker> m_picker;
    std::unique_ptr<WindowPreferences> m_preferences;

    ThemeManager *m_theme = nullptr; // first: the widgets take their icons from it
    WindowActions *m_actions = nullptr;
    ConversationSidebar *m_sidebar = nullptr;
    NoticeBar *m_notices = nullptr;
    ChatView *m_chatView = nullptr;
    QStackedWidget *m_chatStack = nullptr; // the chat view, or the empty state
    EmptyStateView *m_emptyState = nullptr;
    ComposerBar *m_composerBar = nullptr;
    Composer *m_composer = nullptr;
    QPushButton *m_sendButton = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_metricsLabel = nullptr;
    QComboBox *m_profileBox = nullptr;
};

} // namespace qalam
