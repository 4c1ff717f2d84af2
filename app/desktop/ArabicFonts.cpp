#include "ArabicFonts.h"

#include <QApplication>
#include <QEvent>
#include <QFontDatabase>
#include <QFontInfo>
#include <QWidget>

namespace qalam {

namespace {

// Every family this class may add: removed before another choice is applied.
const QStringList &knownArabicFamilies()
{
    static const QStringList families{
        QStringLiteral("Noto Naskh Arabic"), QStringLiteral("Noto Naskh Arabic UI"),
        QStringLiteral("Noto Sans Arabic"), QStringLiteral("Noto Sans Arabic UI")};
    return families;
}

} // namespace

QStringList ArabicFonts::interfaceCandidates(Preferences::ArabicFont choice)
{
    switch (choice) {
    case Preferences::ArabicFont::Naskh:
    case Preferences::ArabicFont::Sans:
        // The interface is always the sans: Naskh's tall ascenders do not fit a menu's line.
        return {QStringLiteral("Noto Sans Arabic UI"), QStringLiteral("Noto Sans Arabic")};
    case Preferences::ArabicFont::System:
        break;
    }
    return {};
}

QStringList ArabicFonts::messageCandidates(Preferences::ArabicFont choice)
{
    switch (choice) {
    case Preferences::ArabicFont::Naskh:
        return {QStringLiteral("Noto Naskh Arabic"), QStringLiteral("Noto Sans Arabic")};
    case Preferences::ArabicFont::Sans:
        return {QStringLiteral("Noto Sans Arabic"), QStringLiteral("Noto Sans Arabic UI")};
    case Preferences::ArabicFont::System:
        break;
    }
    return {};
}

QString ArabicFonts::installed(const QStringList &candidates)
{
    for (const QString &family : candidates) {
        if (QFontDatabase::hasFamily(family))
            return family;
    }
    return {};
}

QFont ArabicFonts::interfaceFont(const QFont &font, Preferences::ArabicFont choice)
{
    return withArabicFamily(font, installed(interfaceCandidates(choice)));
}

QFont ArabicFonts::messageFont(const QFont &font, Preferences::ArabicFont choice)
{
    return withArabicFamily(font, installed(messageCandidates(choice)));
}

void ArabicFonts::applyToApplication(Preferences::ArabicFont choice)
{
    QApplication::setFont(interfaceFont(QApplication::font(), choice));
    // What QApplication::setFont() does once the event loop runs; a second delivery after it
    // changes nothing (a widget resolves its font again).
    QEvent change(QEvent::ApplicationFontChange);
    const QWidgetList windows = QApplication::topLevelWidgets();
    for (QWidget *window : windows)
        QCoreApplication::sendEvent(window, &change);
}

QFont ArabicFonts::withArabicFamily(const QFont &font, const QString &arabicFamily)
{
    QStringList rest = font.families();
    rest.removeIf([](const QString &family) { return knownArabicFamilies().contains(family); });
    // The Latin family: the first installed one that has Latin (not the emoji font), else what
    // an alias ("Sans Serif") resolves to; the alias itself would be looked up per script
    // through fontconfig, which may answer with a font that has Arabic of its own.
    QString latin;
    for (const QString &family : std::as_const(rest)) {
        if (QFontDatabase::hasFamily(family) &&
            QFontDatabase::writingSystems(family).contains(QFontDatabase::Latin)) {
            latin = family;
            break;
        }
    }
    if (latin.isEmpty()) {
        QFont alias = font;
        alias.setFamilies({rest.isEmpty() || QFontDatabase::hasFamily(rest.first())
                               ? QStringLiteral("Sans Serif")
                               : rest.first()});
        latin = QFontInfo(alias).family();
    }
    rest.removeIf([&latin](const QString &family) {
        return family == latin || !QFontDatabase::hasFamily(family);
    });
    QStringList families;
    if (!arabicFamily.isEmpty())
        families.append(arabicFamily);
    families.append(latin);
    families.append(rest);
    QFont result = font;
    result.setFamilies(families);
    return result;
}

} // namespace qalam
