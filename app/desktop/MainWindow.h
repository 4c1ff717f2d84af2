// MainWindow: the desktop app's window. Wiring only: the sidebar and the chat view show what the
// ConversationSession and the ConversationStore hold; commands go to the session.
#pragma once

#include "chat/ChatStream.h"
#include "DesktopOptions.h"
#include "settings/Preferences.h"
#include "settings/Profile.h"

#include <QMainWindow>
#include <QTimer>

#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QPushButton;

namespace qalam {

class ChatView;
class Composer;
class ConversationPresenter;
class ConversationSession;
class ConversationSidebar;
class ConversationStore;
class LanguageManager;
class NoticeBar;
class ProfileNetworkAccessManager;
class ProfileStore;
class SecretStore;
struct StoredMessage;
namespace server {
class DemoServer;
}

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `languages` (not owned; may be null in tests that do not switch languages) applies the
    // saved language preference and the one chosen in the Preferences dialog.
    explicit MainWindow(const DesktopOptions &options, LanguageManager *languages = nullptr,
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens the conversation database and the backend; false (with a reason) if it cannot.
    // Opens the store (offering Recover, Start empty or Quit when it is damaged), the settings
    // and the profile. False: *error says why, or is empty when the user chose to quit.
    bool initialize(QString *error);

    // What to do with a damaged conversation database. The default asks with a dialog; tests
    // answer for the person.
    enum class RecoveryChoice { Recover, StartEmpty, Quit };
    using RecoveryPrompt = std::function<RecoveryChoice(const QString &problem)>;
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
    ProfileStore *profiles() const { return m_profiles.get(); }
    const Profile &currentProfile() const { return m_profile; }
    // Switches every new answer to `profile` (the current answer is stopped first).
    void applyProfile(const Profile &profile);
    // True once the current profile's key has been looked up and answers can be asked for.
    bool isBackendReady() const { return m_backendReady; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void buildMenus();
    void retranslate();
    bool ensureDemoServer(QString *error);
    bool checkStore(const QString &path, QString *error);
    RecoveryChoice askRecovery(const QString &problem);
    void refreshProfiles();
    void openProfileDialog();
    void openPreferencesDialog();
    void applyAppearance();
    void applyLanguage(Preferences::Language preference);
    // Shows the connection state; `text` is kept and asked again when the language changes.
    void setConnectionText(std::function<QString()> text);
    void savePreferences();
    void refreshConversations();
    void sendFromComposer();
    void onPhaseChanged(ChatStream::Phase phase, const QString &detail);
    void updateLiveMetrics();
    void updateActions();
    void renameConversation(qint64 id);
    void deleteConversation(qint64 id);
    void editQuestion(int index);

    DesktopOptions m_options;
    LanguageManager *m_languages = nullptr;
    std::function<QString()> m_connectionText;
    RecoveryPrompt m_recoveryPrompt;
    std::unique_ptr<ConversationStore> m_store;
    std::unique_ptr<server::DemoServer> m_demoServer;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<ProfileNetworkAccessManager> m_network;
    std::vector<std::unique_ptr<ProfileNetworkAccessManager>> m_retiredNetworks;
    std::unique_ptr<ConversationSession> m_session;
    std::unique_ptr<ConversationPresenter> m_presenter;
    Profile m_profile;
    bool m_backendReady = false;

    ConversationSidebar *m_sidebar = nullptr;
    NoticeBar *m_notices = nullptr;
    ChatView *m_chatView = nullptr;
    Composer *m_composer = nullptr;
    QPushButton *m_sendButton = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_metricsLabel = nullptr;
    QComboBox *m_profileBox = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_regenerateAction = nullptr;
    QAction *m_reduceMotionAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_profilesAction = nullptr;
    QAction *m_preferencesAction = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_conversationMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_settingsMenu = nullptr;
    QTimer m_metricsTimer;
};

} // namespace qalam
