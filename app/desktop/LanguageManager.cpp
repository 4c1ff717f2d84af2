#include "LanguageManager.h"

#include <QApplication>
#include <QFontDatabase>
#include <QGlyphRun>
#include <QLibraryInfo>
#include <QTextLayout>

namespace qalam {

namespace {

QString languageCode(Preferences::Language language)
{
    switch (language) {
    case Preferences::Language::Arabic:
        return QStringLiteral("ar");
    case Preferences::Language::English:
        return QStringLiteral("en");
    case Preferences::Language::System:
        break;
    }
    return {};
}

} // namespace

LanguageManager::LanguageManager(QObject *parent) : QObject(parent) {}

LanguageManager::~LanguageManager()
{
    // QTranslator's destructor uninstalls it too; doing it here, before the members go, keeps
    // a LanguageChange from reaching widgets while half of the translators are gone.
    QCoreApplication::removeTranslator(&m_appTranslator);
    QCoreApplication::removeTranslator(&m_qtTranslator);
}

QStringList LanguageManager::supportedLanguages()
{
    return {QStringLiteral("ar"), QStringLiteral("en")};
}

QString LanguageManager::resolve(const QString &commandLine, Preferences::Language preference,
                                 const QLocale &system)
{
    if (supportedLanguages().contains(commandLine))
        return commandLine;
    if (QString preferred = languageCode(preference); !preferred.isEmpty())
        return preferred;
    return system.language() == QLocale::Arabic ? QStringLiteral("ar") : QStringLiteral("en");
}

QLocale LanguageManager::localeFor(const QString &language, const QLocale &system)
{
    const QLocale::Language wanted =
        language == QLatin1String("ar") ? QLocale::Arabic : QLocale::English;
    return system.language() == wanted ? system : QLocale(wanted);
}

bool LanguageManager::setLanguage(const QString &language)
{
    if (!supportedLanguages().contains(language))
        return false;
    if (language == m_language)
        return true;
    m_language = language;

    const QLocale locale = localeFor(language);
    QLocale::setDefault(locale);
    QGuiApplication::setLayoutDirection(language == QLatin1String("ar") ? Qt::RightToLeft
                                                                        : Qt::LeftToRight);

    QCoreApplication::removeTranslator(&m_qtTranslator);
    QCoreApplication::removeTranslator(&m_appTranslator);
    // English needs Qt's strings as they are; qtbase_en.qm is empty anyway.
    if (language != QLatin1String("en") &&
        m_qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&m_qtTranslator);
    // The English catalogue is installed too: it carries the English plural forms.
    if (m_appTranslator.load(QStringLiteral(":/i18n/qalam_%1.qm").arg(language)))
        QCoreApplication::installTranslator(&m_appTranslator);
    else
        qWarning("qalam: no translation for %s in the resources", qPrintable(language));

    // Without a font that has Arabic glyphs every letter is a box: say which package helps.
    if (language == QLatin1String("ar") && arabicFontFamily(QGuiApplication::font()).isEmpty())
        qWarning("qalam: no installed font has Arabic letters; install fonts-noto-core");

    Q_EMIT languageChanged(language);
    return true;
}

QString LanguageManager::arabicFontFamily(const QFont &font)
{
    // Lays out Arabic text the way a label does and asks which font the glyphs came from after
    // fontconfig's fallback: only a font that really has Arabic glyphs (no zero glyph, the
    // "tofu" box) counts. One word: a space may come from the interface's Latin font (the
    // application font lists its own family first, ThemeManager::withEmojiFallback).
    const QString sample = QStringLiteral("محادثة");
    QTextLayout layout(sample, font);
    layout.beginLayout();
    layout.createLine();
    layout.endLayout();
    const QList<QGlyphRun> runs = layout.glyphRuns();
    QString family;
    for (const QGlyphRun &run : runs) {
        const QList<quint32> glyphs = run.glyphIndexes();
        if (glyphs.isEmpty() || glyphs.contains(0u))
            return {};
        const QString runFamily = run.rawFont().familyName();
        if (!QFontDatabase::writingSystems(runFamily).contains(QFontDatabase::Arabic))
            return {};
        if (family.isEmpty())
            family = runFamily;
    }
    return family;
}

} // namespace qalam
