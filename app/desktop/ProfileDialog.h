// ProfileDialog: adds, edits and removes connection profiles (name, base URL, protocol, model,
// extra headers, API key, CA certificate). Keys go to the SecretStore, never to the settings.
#pragma once

#include "Profile.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace qalam {

class ProfileStore;
class SecretStore;

class ProfileDialog : public QDialog
{
    Q_OBJECT

public:
    ProfileDialog(ProfileStore *profiles, SecretStore *secrets, QWidget *parent = nullptr);

    // Selects a profile in the list (for the window's "edit this profile").
    void select(const QString &profileId);

Q_SIGNALS:
    // A profile was saved or removed: the window refreshes its list (and reconnects if it was the
    // profile in use).
    void profilesChanged(const QString &profileId);

private:
    void reload(const QString &selectId);
    void showProfile(const Profile &profile);
    Profile profileFromForm() const;
    void save();
    void remove();
    void addNew();

    ProfileStore *m_profiles;
    SecretStore *m_secrets;
    QString m_currentId;
    bool m_isNew = false;

    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QComboBox *m_protocol;
    QLineEdit *m_model;
    QLineEdit *m_apiKey;
    QLineEdit *m_apiKeyEnv;
    QPlainTextEdit *m_headers;
    QLineEdit *m_caFile;
    QLabel *m_message;
    QPushButton *m_saveButton;
    QPushButton *m_removeButton;
};

} // namespace qalam
