// The translations are complete: lupdate, run over the very sources the desktop app translates,
// finds no Arabic (or English) message unfinished, empty or missing a plural form, and every
// translation keeps its placeholders. The checker itself is shown to fail on a new, untranslated
// tr() string, so a passing run means something.
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Catalogue
{
    int messages = 0;
    QStringList problems; // one line per message that is not properly translated
};

// Placeholders %1..%99 a translation must keep (in any order); %n/%Ln are checked apart,
// since a plural form may spell the number out ("one", "two").
QStringList argPlaceholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%L?(\\d{1,2})"));
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found.append(it.next().captured(1));
    found.sort();
    found.removeDuplicates();
    return found;
}

bool hasArabicLetter(const QString &text)
{
    return std::any_of(text.begin(), text.end(),
                       [](QChar c) { return c.script() == QChar::Script_Arabic && c.isLetter(); });
}

// A mnemonic marker ("&" before a character, "&&" being a literal ampersand). In Arabic the
// underline it draws splits the joined letters of the word (ملف drawn as م|لف), so Arabic
// menus go without mnemonics; their shortcuts stay.
bool hasMnemonic(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        if (text.at(i + 1) != QLatin1Char('&'))
            return true;
        ++i;
    }
    return false;
}

// Reads a .ts file as lupdate wrote it; `pluralForms` is how many numerus forms the language has.
Catalogue check(const QString &path, int pluralForms, bool expectArabic)
{
    Catalogue result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.problems.append(QStringLiteral("cannot read %1").arg(path));
        return result;
    }
    QXmlStreamReader xml(&file);
    QString context, source;
    bool numerus = false;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            ++result.messages;
            numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            const QString where = context + QStringLiteral(": \"") + source + QLatin1Char('"');
            const auto type = xml.attributes().value(QLatin1String("type")).toString();
            if (type == QLatin1String("vanished") || type == QLatin1String("obsolete")) {
                xml.skipCurrentElement(); // no longer in the sources: not shown, not checked
                continue;
            }
            if (type == QLatin1String("unfinished"))
                result.problems.append(where + QStringLiteral(" is unfinished"));
            QStringList forms;
            if (numerus) {
                while (xml.readNextStartElement())
                    forms.append(xml.readElementText());
                if (forms.size() != pluralForms)
                    result.problems.append(where + QStringLiteral(" has %1 plural forms, not %2")
                                                       .arg(forms.size())
                                                       .arg(pluralForms));
            } else {
                forms.append(xml.readElementText());
            }
            for (const QString &form : std::as_const(forms)) {
                if (form.trimmed().isEmpty())
                    result.problems.append(where + QStringLiteral(" has an empty translation"));
                else if (argPlaceholders(form) != argPlaceholders(source))
                    result.problems.append(where +
                                           QStringLiteral(" loses or adds a placeholder: ") + form);
                // (a source without letters, such as the " · " between figures, becomes
                // Arabic punctuation: "، ")
                else if (expectArabic && !hasArabicLetter(form) &&
                         std::any_of(source.begin(), source.end(),
                                     [](QChar c) { return c.isLetter(); }))
                    result.problems.append(where + QStringLiteral(" is not in Arabic: ") + form);
                else if (expectArabic && hasMnemonic(form))
                    result.problems.append(
                        where + QStringLiteral(" has a mnemonic inside Arabic: ") + form);
            }
            // A plural message must show the number where the language needs a numeral (3+).
            if (numerus && !forms.isEmpty() && !forms.constLast().contains(QLatin1String("%n")) &&
                !forms.constLast().contains(QLatin1String("%Ln")))
                result.problems.append(where + QStringLiteral(" never shows the number"));
        }
    }
    if (xml.hasError())
        result.problems.append(QStringLiteral("%1: %2").arg(path, xml.errorString()));
    return result;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void catalogueIsComplete_data();
    void catalogueIsComplete();
    void untranslatedStringFails();
    void arabicMnemonicFails();

private:
    // Copies the catalogue into the temporary directory and updates it from the sources the way
    // `update_translations` does (plus `extraSource`); returns the updated copy's path.
    QString updatedCopy(const QString &language, const QString &extraSource = QString());

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestTranslations::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestTranslations::updatedCopy(const QString &language, const QString &extraSource)
{
    const QString name = QStringLiteral("qalam_%1.ts").arg(language);
    const QString copy = m_dir->filePath(name);
    QFile::remove(copy);
    if (!QFile::copy(QStringLiteral(QALAM_TRANSLATIONS_DIR "/") + name, copy))
        return {};
    // Includes name their library ("chat/ChatStream.h"): lupdate needs lib/ to resolve them,
    // or it files the messages of a class under the wrong context.
    QStringList arguments{QStringLiteral("-no-obsolete"), QStringLiteral("-locations"),
                          QStringLiteral("none"),         QStringLiteral("-I"),
                          QStringLiteral(QALAM_LIB_DIR),  QStringLiteral("@" QALAM_SOURCES_LIST)};
    if (!extraSource.isEmpty())
        arguments.append(extraSource);
    arguments << QStringLiteral("-ts") << copy;
    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(QStringLiteral(QALAM_LUPDATE), arguments);
    if (!lupdate.waitForFinished(120000) || lupdate.exitStatus() != QProcess::NormalExit ||
        lupdate.exitCode() != 0) {
        qWarning("lupdate failed: %s", lupdate.readAll().constData());
        return {};
    }
    return copy;
}

void TestTranslations::catalogueIsComplete_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<int>("pluralForms");
    QTest::addColumn<bool>("arabic");
    // Qt's Arabic plural rules: 0, 1, 2, 3-10, 11-99, and 100-102 and the like.
    QTest::newRow("ar") << QStringLiteral("ar") << 6 << true;
    QTest::newRow("en") << QStringLiteral("en") << 2 << false;
}

void TestTranslations::catalogueIsComplete()
{
    QFETCH(QString, language);
    QFETCH(int, pluralForms);
    QFETCH(bool, arabic);
    const QString updated = updatedCopy(language);
    QVERIFY(!updated.isEmpty());
    const Catalogue catalogue = check(updated, pluralForms, arabic);
    // An empty source list would pass vacuously: the app has well over a hundred strings.
    QVERIFY2(catalogue.messages > 150, qPrintable(QString::number(catalogue.messages)));
    QVERIFY2(catalogue.problems.isEmpty(), qPrintable(catalogue.problems.join(QLatin1Char('\n'))));
}

void TestTranslations::untranslatedStringFails()
{
    // A source file with a string nobody has translated yet, as a developer would add one.
    const QString source = m_dir->filePath(QStringLiteral("NewFeature.cpp"));
    QFile file(source);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("#include <QCoreApplication>\n"
               "QString newFeature() { return QCoreApplication::translate(\"qalam::NewFeature\", "
               "\"A brand new button\"); }\n");
    file.close();

    const QString updated = updatedCopy(QStringLiteral("ar"), source);
    QVERIFY(!updated.isEmpty());
    const Catalogue catalogue = check(updated, 6, true);
    // The new message, and only it, is reported: unfinished (and so empty).
    QVERIFY(!catalogue.problems.isEmpty());
    for (const QString &problem : catalogue.problems)
        QVERIFY2(problem.contains(QLatin1String("A brand new button")), qPrintable(problem));
    QVERIFY2(catalogue.problems.constFirst().contains(QLatin1String("unfinished")),
             qPrintable(catalogue.problems.constFirst()));
}

// A translator who keeps the "&" of "&File" in ملف is told so.
void TestTranslations::arabicMnemonicFails()
{
    QFile original(QStringLiteral(QALAM_TRANSLATIONS_DIR "/qalam_ar.ts"));
    QVERIFY(original.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(original.readAll());
    const QString clean = QStringLiteral("<translation>ملف</translation>");
    QVERIFY2(text.contains(clean), "the File menu's translation is not where this test expects");
    text.replace(clean, QStringLiteral("<translation>&amp;ملف</translation>"));
    const QString damaged = m_dir->filePath(QStringLiteral("qalam_ar.ts"));
    QFile file(damaged);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text.toUtf8());
    file.close();

    const Catalogue catalogue = check(damaged, 6, true);
    const QStringList mnemonics =
        catalogue.problems.filter(QLatin1String("has a mnemonic inside Arabic"));
    QCOMPARE(mnemonics.size(), 1);
    QVERIFY2(mnemonics.constFirst().contains(QLatin1String("&File")),
             qPrintable(mnemonics.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
