// MainWindow: the desktop app's window. Wiring only: the sidebar and the chat view show what the
// ConversationSession and the ConversationStore hold; commands go to the session.
#pragma once

#include "ChatStream.h"
#include "DesktopOptions.h"

#include <QMainWindow>
#include <QTimer>

#include <memory>

class QLabel;
class QPushButton;
class QAction;

namespace qalam {

class ChatView;
class Composer;
class ConversationSession;
class ConversationSidebar;
class ConversationStore;
struct StoredMessage;
namespace server {
class DemoServer;
}

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const DesktopOptions &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens the conversation database and the backend; false (with a reason) if it cannot.
    bool initialize(QString *error);
    // Sends a question as if typed in the composer.
    void ask(const QString &question);

    ChatView *chatView() const { return m_chatView; }
    Composer *composer() const { return m_composer; }
    ConversationSidebar *sidebar() const { return m_sidebar; }
    ConversationSession *session() const { return m_session.get(); }
    ConversationStore *store() const { return m_store.get(); }
    QLabel *connectionLabel() const { return m_connectionLabel; }
    QPushButton *sendButton() const { return m_sendButton; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void buildMenus();
    void retranslate();
    bool startDemoBackend(QString *error);
    void refreshConversations();
    void sendFromComposer();
    void onPhaseChanged(ChatStream::Phase phase, const QString &detail);
    void updateLiveMetrics();
    void updateActions();
    void renameConversation(qint64 id);
    void deleteConversation(qint64 id);
    void editQuestion(int index);

    DesktopOptions m_options;
    std::unique_ptr<ConversationStore> m_store;
    std::unique_ptr<server::DemoServer> m_demoServer;
    std::unique_ptr<ConversationSession> m_session;

    ConversationSidebar *m_sidebar = nullptr;
    ChatView *m_chatView = nullptr;
    Composer *m_composer = nullptr;
    QPushButton *m_sendButton = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_metricsLabel = nullptr;
    QLabel *m_profileLabel = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_regenerateAction = nullptr;
    QAction *m_reduceMotionAction = nullptr;
    QAction *m_quitAction = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_conversationMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QTimer m_metricsTimer;
    QString m_backendName;
};

} // namespace qalam
