#include "WindowPreferences.h"

#include "ArabicFonts.h"
#include "BackendSwitcher.h"
#include "LanguageManager.h"
#include "PreferencesDialog.h"
#include "ThemeManager.h"
#include "WindowActions.h"
#include "session/ConversationSession.h"
#include "settings/ProfileStore.h"
#include "ui/ChatView.h"

#include <QAction>
#include <QApplication>
#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

namespace qalam {

WindowPreferences::WindowPreferences(ProfileStore *profiles, BackendSwitcher *backend,
                                     const Targets &targets)
    : m_profiles(profiles), m_backend(backend), m_targets(targets)
{
    connect(targets.actions->reduceMotion(), &QAction::toggled, this, [this](bool on) {
        m_targets.session->setReduceMotion(on);
        save();
    });
    connect(targets.actions->showSidebar(), &QAction::toggled, this, [this](bool on) {
        m_targets.sidebar->setVisible(on);
        save();
    });
    connect(targets.actions->preferences(), &QAction::triggered, this, &WindowPreferences::edit);
    connect(backend, &BackendSwitcher::profileChanged, this, &WindowPreferences::save);
}

void WindowPreferences::restore(bool withLanguage, std::optional<Preferences::Theme> theme)
{
    const Preferences &preferences = m_profiles->preferences();
    if (withLanguage)
        applyLanguage(preferences.language);
    if (m_targets.theme)
        m_targets.theme->apply(theme.value_or(preferences.theme));
    m_targets.window->restoreGeometry(preferences.windowGeometry);
    m_targets.window->restoreState(preferences.windowState);
    apply(preferences);
}

void WindowPreferences::save()
{
    Preferences preferences = m_profiles->preferences();
    preferences.reduceMotion = m_targets.actions->reduceMotion()->isChecked();
    preferences.sidebarVisible = m_targets.actions->showSidebar()->isChecked();
    if (!m_backend->profile().id.isEmpty())
        preferences.lastProfileId = m_backend->profile().id;
    if (m_targets.window->isVisible()) {
        preferences.windowGeometry = m_targets.window->saveGeometry();
        preferences.windowState = m_targets.window->saveState();
    }
    if (preferences == m_profiles->preferences())
        return;
    const QString error = m_profiles->savePreferences(preferences);
    if (!error.isEmpty())
        m_targets.window->statusBar()->showMessage(error, 10000);
}

void WindowPreferences::edit()
{
    PreferencesDialog dialog(m_profiles->preferences(), m_targets.window);
    ThemeManager *theme = m_targets.theme;
    const Preferences::Theme shown = theme ? theme->theme() : Preferences::Theme::System;
    connect(&dialog, &PreferencesDialog::themePreviewed, this, [theme](Preferences::Theme chosen) {
        if (theme)
            theme->apply(chosen);
    });
    if (dialog.exec() != QDialog::Accepted) {
        if (theme)
            theme->apply(shown); // the preview ends with the dialog
        return;
    }
    const Preferences before = m_profiles->preferences();
    const Preferences after = dialog.preferences();
    const QString error = m_profiles->savePreferences(after);
    if (!error.isEmpty()) {
        if (theme)
            theme->apply(shown);
        QMessageBox::warning(m_targets.window, tr("Preferences"), error);
        return;
    }
    apply(after);
    // The choice just made wins over --theme, as the language's over --lang.
    if (theme)
        theme->apply(after.theme);
    // The choice just made wins over --lang: it is what the user asked for last.
    if (after.language != before.language)
        applyLanguage(after.language);
    if (after.proxy != before.proxy && !m_backend->profile().isDemo)
        m_backend->apply(m_backend->profile()); // new answers go through the new proxy
}

// The toggles (without saving them again), motion, the sidebar and the text size.
void WindowPreferences::apply(const Preferences &preferences)
{
    {
        const QSignalBlocker motion(m_targets.actions->reduceMotion());
        const QSignalBlocker sidebar(m_targets.actions->showSidebar());
        m_targets.actions->reduceMotion()->setChecked(preferences.reduceMotion);
        m_targets.actions->showSidebar()->setChecked(preferences.sidebarVisible);
    }
    m_targets.session->setReduceMotion(preferences.reduceMotion);
    m_targets.sidebar->setVisible(preferences.sidebarVisible);
    // Arabic in its own typeface: the interface's through the application font, message text's
    // (the chat, the composer) through theirs.
    ArabicFonts::applyToApplication(preferences.arabicFont);
    QFont font = ArabicFonts::messageFont(QApplication::font(), preferences.arabicFont);
    if (preferences.fontPointSize > 0)
        font.setPointSize(preferences.fontPointSize);
    for (QWidget *widget : std::as_const(m_targets.textWidgets))
        widget->setFont(font);
    if (m_targets.chatView)
        m_targets.chatView->setReadingWidth(preferences.readingWidth);
}

// Translations, locale and direction change together and at once: every widget retranslates
// on the QEvent::LanguageChange the new translators send.
void WindowPreferences::applyLanguage(Preferences::Language preference)
{
    if (m_targets.languages)
        m_targets.languages->setLanguage(LanguageManager::resolve(QString(), preference));
}

} // namespace qalam
