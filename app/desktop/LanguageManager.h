// LanguageManager: owns the app's QTranslators (Qalam's own and Qt's) and switches the interface
// language at run time: the default QLocale (numbers and dates), the layout direction (Arabic
// mirrors) and the translators, in that order so that the QEvent::LanguageChange every widget
// receives already sees the new locale and direction when it retranslates.
#pragma once

#include "settings/Preferences.h"

#include <QFont>
#include <QLocale>
#include <QObject>
#include <QTranslator>

namespace qalam {

class LanguageManager : public QObject
{
    Q_OBJECT

public:
    explicit LanguageManager(QObject *parent = nullptr);
    ~LanguageManager() override;

    // The interface languages Qalam ships, as the codes --lang takes.
    static QStringList supportedLanguages();
    // The language to show: the command line's choice, else the saved preference, else the
    // system locale's language when Qalam has it, else English.
    static QString resolve(const QString &commandLine, Preferences::Language preference,
                           const QLocale &system = QLocale::system());
    // The locale numbers and dates use for `language`: the system's own when it is a locale of
    // that language (keeps the user's region, e.g. Latin digits in ar_MA), else the language's
    // default region.
    static QLocale localeFor(const QString &language, const QLocale &system = QLocale::system());

    // Switches the whole application to `language` ("ar" or "en"); false (nothing changed) for a
    // language Qalam has no translation of. Switching to the current language does nothing.
    bool setLanguage(const QString &language);
    QString language() const { return m_language; }

    // Arabic text needs a font with Arabic glyphs, which a plain Debian only has with
    // fonts-noto-core (or a similar package) installed: the family that renders Arabic text set
    // in `font`, after fallback, or an empty string when no installed font has Arabic glyphs.
    static QString arabicFontFamily(const QFont &font);

Q_SIGNALS:
    void languageChanged(const QString &language);

private:
    QString m_language;
    QTranslator m_qtTranslator;  // Qt's own strings: standard buttons, dialogs, context menus
    QTranslator m_appTranslator; // Qalam's strings, from :/i18n/qalam_<language>.qm
};

} // namespace qalam
