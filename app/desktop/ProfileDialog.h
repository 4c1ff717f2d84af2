// ProfileDialog: adds, edits and removes connection profiles (name, base URL, protocol, model,
// extra headers, API key, CA certificate). Keys and the values of secret headers go to the
// SecretStore, never to the settings; like the key, a stored secret value is never shown: its
// field stays empty (masked once typed in), and left empty it keeps the stored value.
// "Test connection" asks the backend of the form as it is, unsaved (ConnectionTester): with the
// key typed in, else the profile's variable or stored key, and the proxy preference; the result
// shows under the form, and the test can be cancelled while the dialog stays responsive.
#pragma once

#include "ConnectionTester.h"
#include "settings/Profile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace qalam {

class ProfileStore;
class SecretStore;

class ProfileDialog : public QDialog
{
    Q_OBJECT

public:
    // The columns of the extra headers table (objectName "headers"); each cell holds a widget:
    // a QLineEdit for the name and the value, and, each in a container, a QCheckBox for "secret"
    // and a QToolButton that removes the row.
    enum HeaderColumn { NameColumn, ValueColumn, SecretColumn, RemoveColumn };

    ProfileDialog(ProfileStore *profiles, SecretStore *secrets, QWidget *parent = nullptr);

    // Selects a profile in the list (for the window's "edit this profile"). When that is the demo
    // and it is the only profile (a first run), a new profile's form is shown instead: the demo
    // cannot be edited, and connecting a backend is what the user came for.
    void select(const QString &profileId);

    // The result line of Test connection (objectName "testResult") and its button.
    QLabel *testResult() const { return m_testResult; }
    QPushButton *testButton() const { return m_testButton; }

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
    void addHeaderRow(const HttpHeader &header);
    void removeHeaderRow(const QLineEdit *nameField);
    QList<HttpHeader> headersFromTable() const;
    QLineEdit *headerField(int row, HeaderColumn column) const;
    QCheckBox *secretBox(int row) const;
    void testConnection();
    void cancelTest();
    void showTestResult(const ConnectionTester::Result &result);

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
    QTableWidget *m_headers;
    QPushButton *m_addHeaderButton;
    QLineEdit *m_caFile;
    QLabel *m_message;
    QPushButton *m_saveButton;
    QPushButton *m_removeButton;
    QPushButton *m_testButton;
    QLabel *m_testResult;
    ConnectionTester *m_tester;
    quint64 m_testGeneration = 0; // a late keychain answer for a cancelled test is dropped
};

} // namespace qalam
