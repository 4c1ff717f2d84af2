// PreferencesDialog: the app-wide choices (proxy, motion, text size, language) as a form over a
// Preferences value. It edits a copy; the window applies and saves what comes back.
#pragma once

#include "settings/Preferences.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace qalam {

class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(const Preferences &preferences, QWidget *parent = nullptr);

    // The form's values over the preferences it was opened with.
    Preferences preferences() const;

    void accept() override;

private:
    void updateProxyFields();

    Preferences m_preferences;
    QComboBox *m_language;
    QCheckBox *m_reduceMotion;
    QSpinBox *m_fontSize;
    QComboBox *m_proxyMode;
    QComboBox *m_proxyType;
    QLineEdit *m_proxyHost;
    QSpinBox *m_proxyPort;
    QLabel *m_message;
};

} // namespace qalam
