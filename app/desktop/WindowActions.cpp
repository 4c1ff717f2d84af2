#include "WindowActions.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

namespace qalam {

WindowActions::WindowActions(QMainWindow *window) : QObject(window)
{
    QMenuBar *bar = window->menuBar();
    m_fileMenu = bar->addMenu(QString());
    m_new = m_fileMenu->addAction(QString());
    m_new->setShortcut(QKeySequence::New);
    // Ctrl+K as in the chat apps, Ctrl+F where people look first. Neither is taken by a text
    // field first (line edits and the composer do not override them).
    m_search = m_fileMenu->addAction(QString());
    m_search->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_K), QKeySequence::Find});
    m_fileMenu->addSeparator();
    m_quit = m_fileMenu->addAction(QString());
    m_quit->setShortcut(QKeySequence::Quit);

    m_conversationMenu = bar->addMenu(QString());
    m_stop = m_conversationMenu->addAction(QString());
    m_stop->setShortcut(Qt::Key_Escape);
    m_regenerate = m_conversationMenu->addAction(QString());
    m_regenerate->setShortcut(Qt::CTRL | Qt::Key_R);

    m_viewMenu = bar->addMenu(QString());
    m_reduceMotion = m_viewMenu->addAction(QString());
    m_reduceMotion->setCheckable(true);
    m_showSidebar = m_viewMenu->addAction(QString());
    m_showSidebar->setCheckable(true);
    m_showSidebar->setChecked(true);
    m_showSidebar->setShortcut(Qt::CTRL | Qt::Key_B);

    m_settingsMenu = bar->addMenu(QString());
    m_profiles = m_settingsMenu->addAction(QString());
    m_preferences = m_settingsMenu->addAction(QString());
    m_preferences->setMenuRole(QAction::PreferencesRole);

    setAnswerState(false, false);
    retranslate();
}

void WindowActions::setAnswerState(bool streaming, bool canRegenerate)
{
    m_stop->setEnabled(streaming);
    m_regenerate->setEnabled(canRegenerate);
}

void WindowActions::retranslate()
{
    m_fileMenu->setTitle(tr("&File"));
    m_new->setText(tr("&New conversation"));
    m_search->setText(tr("&Search conversations"));
    m_quit->setText(tr("&Quit"));
    m_conversationMenu->setTitle(tr("&Conversation"));
    m_stop->setText(tr("&Stop answer"));
    m_regenerate->setText(tr("&Regenerate answer"));
    m_viewMenu->setTitle(tr("&View"));
    m_reduceMotion->setText(tr("Reduce &motion (show answers at once)"));
    m_showSidebar->setText(tr("Show &sidebar"));
    m_settingsMenu->setTitle(tr("&Settings"));
    m_profiles->setText(tr("Connection &profiles…"));
    m_preferences->setText(tr("P&references…"));
}

} // namespace qalam
