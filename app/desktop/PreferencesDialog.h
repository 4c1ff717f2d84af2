// PreferencesDialog: the app-wide choices (theme, reading width, proxy, motion, text size,
// language) as a form over a Preferences value. It edits a copy; the window applies and saves
// what comes back. A theme chosen in the list is shown at once (themePreviewed), so the window
// can be seen in it before OK; Cancel goes back to the one it had.
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

Q_SIGNALS:
    // The theme list changed to `theme`, not yet accepted.
    void themePreviewed(qalam::Preferences::Theme theme);

private:
    void updateProxyFields();

    Preferences m_preferences;
    QComboBox *m_language;
    QComboBox *m_theme;
    QComboBox *m_arabicFont;
    QComboBox *m_readingWidth;
    QCheckBox *m_reduceMotion;
    QSpinBox *m_fontSize;
    QComboBox *m_proxyMode;
    QComboBox *m_proxyType;
    QLineEdit *m_proxyHost;
    QSpinBox *m_proxyPort;
    QLabel *m_message;
};

} // namespace qalam
