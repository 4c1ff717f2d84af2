// ProfilePicker: the profile chooser in the status bar (the backend new answers come from) and
// the Connection profiles dialog. It lists the profiles with the one in use selected and applies
// the one chosen; when the dialog changed or removed the one in use, it applies what that
// profile is now, or the default one.
#pragma once

#include <QObject>

class QComboBox;
class QWidget;

namespace qalam {

class BackendSwitcher;
class ProfileStore;

class ProfilePicker : public QObject
{
    Q_OBJECT

public:
    // Nothing is owned; all must outlive the picker. The dialog opens over `dialogParent`.
    ProfilePicker(ProfileStore *profiles, BackendSwitcher *backend, QComboBox *box,
                  QWidget *dialogParent);

    // The list again, and its tooltip (also after a language change: the demo's name).
    void refresh();
    // Settings > Connection profiles…
    void openDialog();

private:
    ProfileStore *m_profiles;
    BackendSwitcher *m_backend;
    QComboBox *m_box;
    QWidget *m_dialogParent;
};

} // namespace qalam
