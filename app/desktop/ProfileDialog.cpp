#include "ProfileDialog.h"

#include "ProfileStore.h"
#include "SecretStore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace qalam {

ProfileDialog::ProfileDialog(ProfileStore *profiles, SecretStore *secrets, QWidget *parent)
    : QDialog(parent), m_profiles(profiles), m_secrets(secrets), m_list(new QListWidget(this)),
      m_name(new QLineEdit(this)), m_url(new QLineEdit(this)), m_protocol(new QComboBox(this)),
      m_model(new QLineEdit(this)), m_apiKey(new QLineEdit(this)), m_apiKeyEnv(new QLineEdit(this)),
      m_headers(new QPlainTextEdit(this)), m_caFile(new QLineEdit(this)), m_message(new QLabel(this)),
      m_saveButton(new QPushButton(tr("Save"), this)), m_removeButton(new QPushButton(tr("Remove"), this))
{
    setWindowTitle(tr("Connection profiles"));
    m_protocol->addItem(tr("Admin stream"), int(ChatProtocol::Kind::AdminStream));
    m_protocol->addItem(tr("OpenAI-compatible"), int(ChatProtocol::Kind::OpenAi));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("Stored in the system keychain"));
    m_apiKeyEnv->setPlaceholderText(tr("Optional: read the key from this environment variable"));
    m_url->setPlaceholderText(QStringLiteral("https://openrouter.ai/api/v1"));
    m_headers->setPlaceholderText(tr("One per line: Name: value"));
    m_headers->setTabChangesFocus(true);
    m_message->setWordWrap(true);
    // URLs, headers and paths read left to right in any UI language.
    for (QWidget *ltr : {static_cast<QWidget *>(m_url), static_cast<QWidget *>(m_headers),
                         static_cast<QWidget *>(m_caFile), static_cast<QWidget *>(m_apiKeyEnv)})
        ltr->setLayoutDirection(Qt::LeftToRight);

    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(browse);

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Base URL:"), m_url);
    form->addRow(tr("Protocol:"), m_protocol);
    form->addRow(tr("Model:"), m_model);
    form->addRow(tr("API key:"), m_apiKey);
    form->addRow(tr("Key variable:"), m_apiKeyEnv);
    form->addRow(tr("Extra headers:"), m_headers);
    form->addRow(tr("Extra CA certificate:"), caRow);

    auto *addButton = new QPushButton(tr("Add"), this);
    auto *listColumn = new QVBoxLayout;
    listColumn->addWidget(m_list, 1);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(addButton);
    listButtons->addWidget(m_removeButton);
    listColumn->addLayout(listButtons);

    auto *formColumn = new QVBoxLayout;
    formColumn->addLayout(form);
    formColumn->addWidget(m_message);
    formColumn->addStretch(1);
    formColumn->addWidget(m_saveButton, 0, Qt::AlignRight);

    auto *columns = new QHBoxLayout;
    columns->addLayout(listColumn, 1);
    columns->addLayout(formColumn, 2);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(addButton, &QPushButton::clicked, this, &ProfileDialog::addNew);
    connect(m_saveButton, &QPushButton::clicked, this, &ProfileDialog::save);
    connect(m_removeButton, &QPushButton::clicked, this, &ProfileDialog::remove);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Extra CA certificate"), QString(),
                                                          tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0)
            return;
        if (const auto profile = m_profiles->profile(m_list->item(row)->data(Qt::UserRole).toString()))
            showProfile(*profile);
    });
    resize(760, 480);
    reload(QString());
}

void ProfileDialog::select(const QString &profileId)
{
    reload(profileId);
}

void ProfileDialog::reload(const QString &selectId)
{
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    int selectRow = 0;
    const QList<Profile> profiles = m_profiles->profiles();
    for (const Profile &profile : profiles) {
        auto *item = new QListWidgetItem(profile.name, m_list);
        item->setData(Qt::UserRole, profile.id);
        if (profile.id == selectId)
            selectRow = m_list->count() - 1;
    }
    m_list->setCurrentRow(selectRow);
    if (!profiles.isEmpty())
        showProfile(profiles.at(selectRow));
}

void ProfileDialog::showProfile(const Profile &profile)
{
    m_currentId = profile.id;
    m_isNew = false;
    m_name->setText(profile.name);
    m_url->setText(profile.baseUrl.toString());
    m_protocol->setCurrentIndex(m_protocol->findData(int(profile.protocol)));
    m_model->setText(profile.model);
    m_apiKey->clear();
    m_apiKeyEnv->setText(profile.apiKeyEnv);
    QStringList headers;
    for (const HttpHeader &header : profile.extraHeaders)
        headers.append(header.name + QStringLiteral(": ") + header.value);
    m_headers->setPlainText(headers.join(QLatin1Char('\n')));
    m_caFile->setText(profile.caCertificatePath);
    m_message->setText(profile.isDemo ? tr("The built-in offline demo needs no set-up and cannot be changed.")
                                      : QString());
    for (QWidget *field : {static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_url),
                           static_cast<QWidget *>(m_protocol), static_cast<QWidget *>(m_model),
                           static_cast<QWidget *>(m_apiKey), static_cast<QWidget *>(m_apiKeyEnv),
                           static_cast<QWidget *>(m_headers), static_cast<QWidget *>(m_caFile),
                           static_cast<QWidget *>(m_saveButton), static_cast<QWidget *>(m_removeButton)})
        field->setEnabled(!profile.isDemo);
}

void ProfileDialog::addNew()
{
    Profile profile = Profile::create(tr("New profile"));
    showProfile(profile);
    m_isNew = true;
    m_list->clearSelection();
    m_name->setFocus();
    m_name->selectAll();
}

Profile ProfileDialog::profileFromForm() const
{
    Profile profile = m_isNew ? Profile::create() : m_profiles->profile(m_currentId).value_or(Profile::create());
    if (m_isNew)
        profile.id = m_currentId;
    profile.name = m_name->text().trimmed();
    profile.baseUrl = QUrl::fromUserInput(m_url->text().trimmed());
    profile.protocol = ChatProtocol::Kind(m_protocol->currentData().toInt());
    profile.model = m_model->text().trimmed();
    profile.apiKeyEnv = m_apiKeyEnv->text().trimmed();
    profile.caCertificatePath = m_caFile->text().trimmed();
    profile.extraHeaders.clear();
    const QStringList lines = m_headers->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        profile.extraHeaders.append({colon < 0 ? line.trimmed() : line.left(colon).trimmed(),
                                     colon < 0 ? QString() : line.mid(colon + 1).trimmed()});
    }
    return profile;
}

void ProfileDialog::save()
{
    const Profile profile = profileFromForm();
    const QStringList problems = m_profiles->saveProfile(profile);
    if (!problems.isEmpty()) {
        m_message->setText(problems.join(QLatin1Char('\n')));
        return;
    }
    const QString key = m_apiKey->text();
    m_apiKey->clear();
    if (!key.isEmpty()) {
        m_secrets->writeKey(profile.id, key, this, [this](const SecretResult &result) {
            m_message->setText(result.message);
        });
    } else {
        m_message->setText(tr("Saved."));
    }
    reload(profile.id);
    Q_EMIT profilesChanged(profile.id);
}

void ProfileDialog::remove()
{
    if (m_isNew) {
        reload(QString());
        return;
    }
    const QString id = m_currentId;
    if (!m_profiles->removeProfile(id))
        return;
    m_secrets->removeKey(id, this, [](const SecretResult &) {});
    reload(QString());
    Q_EMIT profilesChanged(id);
}

} // namespace qalam
