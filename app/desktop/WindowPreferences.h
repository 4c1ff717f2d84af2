// WindowPreferences: the app-wide preferences (ProfileStore::preferences()) as the window lives
// them. At start it applies them: the saved language (unless --lang chose one), the theme (unless
// --theme chose one), the window's geometry and state, reduce motion, the sidebar shown or
// hidden, the text size, the chat's reading width. It remembers
// every change: the View menu's toggles, the profile in use, and the geometry and state when the
// window closes. Settings > Preferences… opens the dialog and applies what comes back.
#pragma once

#include "settings/Preferences.h"

#include <QList>
#include <QObject>

#include <optional>

class QMainWindow;
class QWidget;

namespace qalam {

class BackendSwitcher;
class ChatView;
class ConversationSession;
class LanguageManager;
class ProfileStore;
class ThemeManager;
class WindowActions;

class WindowPreferences : public QObject
{
    Q_OBJECT

public:
    // What the preferences change. Nothing is owned; all must outlive this object.
    struct Targets
    {
        QMainWindow *window;           // geometry and state; the dialog opens over it
        WindowActions *actions;        // View > Reduce motion, View > Show sidebar
        ConversationSession *session;  // reduce motion
        QWidget *sidebar;              // shown or hidden
        QList<QWidget *> textWidgets;  // the text size
        LanguageManager *languages;    // may be null (tests that keep one language)
        ThemeManager *theme = nullptr; // the theme; may be null
        ChatView *chatView = nullptr;  // the reading width; may be null
    };

    WindowPreferences(ProfileStore *profiles, BackendSwitcher *backend, const Targets &targets);

    // Applies the saved preferences; the language too when `withLanguage`; `theme` (--theme),
    // when given, instead of the saved theme, for this run (the saved one stays).
    void restore(bool withLanguage, std::optional<Preferences::Theme> theme = std::nullopt);
    // Saves the window as it is now (the geometry and state only while it is shown).
    void save();
    // The Preferences dialog; what it changes is saved and applied.
    void edit();

private:
    void apply(const Preferences &preferences);
    void applyLanguage(Preferences::Language preference);

    ProfileStore *m_profiles;
    BackendSwitcher *m_backend;
    Targets m_targets;
};

} // namespace qalam
