#include "PreferencesDialog.h"

#include "DialogButtonBox.h"
#include "FieldDirection.h"
#include "settings/NetworkSetup.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace qalam {

PreferencesDialog::PreferencesDialog(const Preferences &preferences, QWidget *parent)
    : QDialog(parent), m_preferences(preferences), m_language(new QComboBox(this)),
      m_theme(new QComboBox(this)), m_arabicFont(new QComboBox(this)),
      m_readingWidth(new QComboBox(this)),
      m_reduceMotion(new QCheckBox(tr("Show answers at once, without the typewriter"), this)),
      m_fontSize(new QSpinBox(this)), m_proxyMode(new QComboBox(this)),
      m_proxyType(new QComboBox(this)), m_proxyHost(new QLineEdit(this)),
      m_proxyPort(new QSpinBox(this)), m_message(new QLabel(this))
{
    setWindowTitle(tr("Preferences"));
    m_language->addItem(tr("System language"), int(Preferences::Language::System));
    m_language->addItem(QStringLiteral("العربية"), int(Preferences::Language::Arabic));
    m_language->addItem(QStringLiteral("English"), int(Preferences::Language::English));
    m_language->setCurrentIndex(m_language->findData(int(preferences.language)));
    m_theme->setObjectName(QStringLiteral("theme"));
    m_theme->addItem(tr("System (light or dark as the desktop is)"),
                     int(Preferences::Theme::System));
    m_theme->addItem(tr("Light"), int(Preferences::Theme::Light));
    m_theme->addItem(tr("Dark"), int(Preferences::Theme::Dark));
    m_theme->addItem(tr("High contrast (white on black)"), int(Preferences::Theme::HighContrast));
    m_theme->setCurrentIndex(m_theme->findData(int(preferences.theme)));
    m_arabicFont->setObjectName(QStringLiteral("arabicFont"));
    m_arabicFont->addItem(tr("Naskh for messages (Noto Naskh Arabic)"),
                          int(Preferences::ArabicFont::Naskh));
    m_arabicFont->addItem(tr("Sans everywhere (Noto Sans Arabic)"),
                          int(Preferences::ArabicFont::Sans));
    m_arabicFont->addItem(tr("The system's font"), int(Preferences::ArabicFont::System));
    m_arabicFont->setCurrentIndex(m_arabicFont->findData(int(preferences.arabicFont)));
    m_readingWidth->setObjectName(QStringLiteral("readingWidth"));
    m_readingWidth->addItem(tr("Narrow (60 characters)"), 60);
    m_readingWidth->addItem(tr("Comfortable (75 characters)"), Preferences::defaultReadingWidth);
    m_readingWidth->addItem(tr("Wide (100 characters)"), 100);
    m_readingWidth->addItem(tr("Full window width"), 0);
    if (m_readingWidth->findData(preferences.readingWidth) < 0) // a value set in the file by hand
        m_readingWidth->addItem(tr("%n character(s)", nullptr, preferences.readingWidth),
                                preferences.readingWidth);
    m_readingWidth->setCurrentIndex(m_readingWidth->findData(preferences.readingWidth));
    m_reduceMotion->setChecked(preferences.reduceMotion);
    m_fontSize->setRange(0, Preferences::maxFontPointSize);
    m_fontSize->setSpecialValueText(tr("System default"));
    m_fontSize->setValue(preferences.fontPointSize);

    m_proxyMode->addItem(tr("System proxy"), int(ProxySettings::Mode::System));
    m_proxyMode->addItem(tr("No proxy"), int(ProxySettings::Mode::None));
    m_proxyMode->addItem(tr("Manual"), int(ProxySettings::Mode::Manual));
    m_proxyMode->setCurrentIndex(m_proxyMode->findData(int(preferences.proxy.mode)));
    m_proxyType->addItem(QStringLiteral("HTTP"), int(ProxySettings::Type::Http));
    m_proxyType->addItem(QStringLiteral("SOCKS5"), int(ProxySettings::Type::Socks5));
    m_proxyType->setCurrentIndex(m_proxyType->findData(int(preferences.proxy.type)));
    m_proxyHost->setText(preferences.proxy.host);
    m_proxyHost->setLayoutDirection(Qt::LeftToRight);
    m_proxyPort->setRange(0, 65535);
    m_proxyPort->setValue(preferences.proxy.port);
    m_message->setWordWrap(true);
    FieldDirection::follow(m_message);

    auto *form = new QFormLayout;
    form->addRow(tr("Language:"), m_language);
    form->addRow(tr("Theme:"), m_theme);
    form->addRow(tr("Arabic font:"), m_arabicFont);
    form->addRow(tr("Reading width:"), m_readingWidth);
    form->addRow(tr("Motion:"), m_reduceMotion);
    form->addRow(tr("Text size (points):"), m_fontSize);
    form->addRow(tr("Proxy:"), m_proxyMode);
    form->addRow(tr("Proxy type:"), m_proxyType);
    form->addRow(tr("Proxy host:"), m_proxyHost);
    form->addRow(tr("Proxy port:"), m_proxyPort);
    auto *buttons = new DialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_proxyMode, &QComboBox::currentIndexChanged, this,
            &PreferencesDialog::updateProxyFields);
    connect(m_theme, &QComboBox::currentIndexChanged, this,
            [this] { Q_EMIT themePreviewed(Preferences::Theme(m_theme->currentData().toInt())); });
    updateProxyFields();
}

void PreferencesDialog::updateProxyFields()
{
    const bool manual = m_proxyMode->currentData().toInt() == int(ProxySettings::Mode::Manual);
    m_proxyType->setEnabled(manual);
    m_proxyHost->setEnabled(manual);
    m_proxyPort->setEnabled(manual);
}

Preferences PreferencesDialog::preferences() const
{
    Preferences preferences = m_preferences;
    preferences.language = Preferences::Language(m_language->currentData().toInt());
    preferences.theme = Preferences::Theme(m_theme->currentData().toInt());
    preferences.arabicFont = Preferences::ArabicFont(m_arabicFont->currentData().toInt());
    preferences.readingWidth = m_readingWidth->currentData().toInt();
    preferences.reduceMotion = m_reduceMotion->isChecked();
    const int size = m_fontSize->value();
    preferences.fontPointSize = size < Preferences::minFontPointSize ? 0 : size;
    preferences.proxy.mode = ProxySettings::Mode(m_proxyMode->currentData().toInt());
    preferences.proxy.type = ProxySettings::Type(m_proxyType->currentData().toInt());
    preferences.proxy.host = m_proxyHost->text().trimmed();
    preferences.proxy.port = quint16(m_proxyPort->value());
    return preferences;
}

void PreferencesDialog::accept()
{
    const QString problem = NetworkSetup::checkProxy(preferences().proxy);
    if (!problem.isEmpty()) {
        m_message->setText(problem);
        return;
    }
    QDialog::accept();
}

} // namespace qalam
