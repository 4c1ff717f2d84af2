#include "ProfileDialog.h"

#include "DialogButtonBox.h"
#include "FieldDirection.h"
#include "ThemePalettes.h"
#include "settings/ProfileStore.h"
#include "settings/SecretStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <memory>
#include <optional>

namespace qalam {

namespace {

// A table cell holding `child` in its middle.
QWidget *centered(QWidget *child)
{
    auto *cell = new QWidget;
    auto *layout = new QHBoxLayout(cell);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(child, 0, Qt::AlignCenter);
    return cell;
}

} // namespace

ProfileDialog::ProfileDialog(ProfileStore *profiles, SecretStore *secrets, QWidget *parent)
    : QDialog(parent), m_profiles(profiles), m_secrets(secrets), m_list(new QListWidget(this)),
      m_name(new QLineEdit(this)), m_url(new QLineEdit(this)), m_protocol(new QComboBox(this)),
      m_model(new QLineEdit(this)), m_apiKey(new QLineEdit(this)), m_apiKeyEnv(new QLineEdit(this)),
      m_headers(new QTableWidget(0, 4, this)),
      m_addHeaderButton(new QPushButton(tr("Add header"), this)), m_caFile(new QLineEdit(this)),
      m_message(new QLabel(this)), m_saveButton(new QPushButton(tr("Save"), this)),
      m_removeButton(new QPushButton(tr("Remove"), this)),
      m_testButton(new QPushButton(tr("Test connection"), this)), m_testResult(new QLabel(this)),
      m_tester(new ConnectionTester(this))
{
    setWindowTitle(tr("Connection profiles"));
    m_protocol->addItem(tr("Admin stream"), int(ChatProtocol::Kind::AdminStream));
    m_protocol->addItem(tr("OpenAI-compatible"), int(ChatProtocol::Kind::OpenAi));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("Stored in the system keychain"));
    m_apiKeyEnv->setPlaceholderText(tr("Optional: read the key from this environment variable"));
    m_url->setPlaceholderText(QStringLiteral("https://openrouter.ai/api/v1"));
    // Name | Value | Secret | remove, mirrored with the dialog; the fields inside read left to
    // right (addHeaderRow).
    m_headers->setObjectName(QStringLiteral("headers"));
    m_headers->setHorizontalHeaderLabels({tr("Name"), tr("Value"), tr("Secret"), QString()});
    m_headers->horizontalHeaderItem(SecretColumn)
        ->setToolTip(tr("A secret header's value is kept in the system keychain, not in the "
                        "settings file, and never sent to another server after a redirect."));
    m_headers->verticalHeader()->hide();
    m_headers->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QHeaderView *headerColumns = m_headers->horizontalHeader();
    headerColumns->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    headerColumns->resizeSection(NameColumn, 160);
    headerColumns->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    headerColumns->setSectionResizeMode(SecretColumn, QHeaderView::ResizeToContents);
    headerColumns->setSectionResizeMode(RemoveColumn, QHeaderView::ResizeToContents);
    m_headers->setSelectionMode(QAbstractItemView::NoSelection);
    m_headers->setFocusPolicy(Qt::NoFocus); // Tab goes through the fields, not the grid
    m_headers->setMinimumHeight(fontMetrics().height() * 8);
    m_message->setWordWrap(true);
    m_name->setObjectName(QStringLiteral("profileName"));
    m_url->setObjectName(QStringLiteral("profileUrl"));
    m_apiKey->setObjectName(QStringLiteral("profileKey"));
    m_protocol->setObjectName(QStringLiteral("profileProtocol"));
    m_model->setObjectName(QStringLiteral("profileModel"));
    m_testButton->setObjectName(QStringLiteral("testConnection"));
    m_testResult->setObjectName(QStringLiteral("testResult"));
    // Fields without a label of their own (a form row holding a layout has no buddy).
    m_list->setAccessibleName(tr("Connection profiles"));
    m_caFile->setAccessibleName(tr("Extra CA certificate"));
    m_caFile->setAccessibleDescription(tr("A PEM file to trust besides the system's authorities"));
    m_addHeaderButton->setAccessibleDescription(tr("Adds an extra HTTP header to every request"));
    m_testButton->setAccessibleDescription(
        tr("Asks the backend of the form as it is, unsaved, and says what happened"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse); // an error to copy
    // URLs, paths and variable names read left to right in any UI language.
    for (QWidget *ltr : {static_cast<QWidget *>(m_url), static_cast<QWidget *>(m_caFile),
                         static_cast<QWidget *>(m_apiKeyEnv)})
        ltr->setLayoutDirection(Qt::LeftToRight);
    // Names, models and what the server answered read in their own direction.
    FieldDirection::follow(m_name);
    FieldDirection::follow(m_model);
    FieldDirection::follow(m_message);
    FieldDirection::follow(m_testResult);

    auto *browse = new QPushButton(tr("Browse…"), this);
    browse->setAccessibleDescription(tr("Choose the extra CA certificate file"));
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
    auto *headersColumn = new QVBoxLayout;
    headersColumn->addWidget(m_headers, 1);
    headersColumn->addWidget(m_addHeaderButton, 0, Qt::AlignLeading);
    form->addRow(tr("Extra headers:"), headersColumn);
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
    formColumn->addWidget(m_testResult);
    formColumn->addStretch(1);
    auto *formButtons = new QHBoxLayout;
    formButtons->addWidget(m_testButton);
    formButtons->addStretch(1);
    formButtons->addWidget(m_saveButton);
    formColumn->addLayout(formButtons);

    auto *columns = new QHBoxLayout;
    columns->addLayout(listColumn, 1);
    columns->addLayout(formColumn, 2);
    auto *buttons = new DialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(addButton, &QPushButton::clicked, this, &ProfileDialog::addNew);
    connect(m_saveButton, &QPushButton::clicked, this, &ProfileDialog::save);
    connect(m_removeButton, &QPushButton::clicked, this, &ProfileDialog::remove);
    connect(m_testButton, &QPushButton::clicked, this, [this] {
        if (m_testGeneration % 2 == 1)
            cancelTest();
        else
            testConnection();
    });
    connect(m_tester, &ConnectionTester::finished, this, &ProfileDialog::showTestResult);
    connect(m_addHeaderButton, &QPushButton::clicked, this, [this] {
        addHeaderRow({});
        headerField(m_headers->rowCount() - 1, NameColumn)->setFocus();
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("Extra CA certificate"), QString(),
                                         tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0)
            return;
        if (const auto profile =
                m_profiles->profile(m_list->item(row)->data(Qt::UserRole).toString()))
            showProfile(*profile);
    });
    resize(820, 560);
    reload(QString());
}

void ProfileDialog::select(const QString &profileId)
{
    reload(profileId);
    const QList<Profile> profiles = m_profiles->profiles();
    if (profiles.size() == 1 && profiles.constFirst().isDemo)
        addNew();
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
    cancelTest(); // a result is about the fields it was asked with
    m_testResult->clear();
    m_currentId = profile.id;
    m_isNew = false;
    m_name->setText(profile.name);
    m_url->setText(profile.baseUrl.toString());
    m_protocol->setCurrentIndex(m_protocol->findData(int(profile.protocol)));
    m_model->setText(profile.model);
    m_apiKey->clear();
    m_apiKeyEnv->setText(profile.apiKeyEnv);
    m_headers->setRowCount(0);
    for (const HttpHeader &header : profile.extraHeaders)
        addHeaderRow(header);
    m_caFile->setText(profile.caCertificatePath);
    m_message->setText(profile.isDemo
                           ? tr("The built-in offline demo needs no set-up and cannot be changed.")
                           : QString());
    for (QWidget *field :
         {static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_url),
          static_cast<QWidget *>(m_protocol), static_cast<QWidget *>(m_model),
          static_cast<QWidget *>(m_apiKey), static_cast<QWidget *>(m_apiKeyEnv),
          static_cast<QWidget *>(m_headers), static_cast<QWidget *>(m_addHeaderButton),
          static_cast<QWidget *>(m_caFile), static_cast<QWidget *>(m_saveButton),
          static_cast<QWidget *>(m_removeButton), static_cast<QWidget *>(m_testButton)})
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
    Profile profile =
        m_isNew ? Profile::create() : m_profiles->profile(m_currentId).value_or(Profile::create());
    if (m_isNew)
        profile.id = m_currentId;
    profile.name = m_name->text().trimmed();
    profile.baseUrl = QUrl::fromUserInput(m_url->text().trimmed());
    profile.protocol = ChatProtocol::Kind(m_protocol->currentData().toInt());
    profile.model = m_model->text().trimmed();
    profile.apiKeyEnv = m_apiKeyEnv->text().trimmed();
    profile.caCertificatePath = m_caFile->text().trimmed();
    profile.extraHeaders = headersFromTable();
    return profile;
}

void ProfileDialog::addHeaderRow(const HttpHeader &header)
{
    const int row = m_headers->rowCount();
    m_headers->insertRow(row);
    auto *name = new QLineEdit(header.name);
    auto *value = new QLineEdit(header.value); // a stored secret value is not in `header`
    auto *secret = new QCheckBox;
    auto *remove = new QToolButton;
    for (QLineEdit *field : {name, value}) {
        field->setFrame(false);
        field->setLayoutDirection(Qt::LeftToRight); // header names and values are not prose
    }
    name->setAccessibleName(tr("Header name"));
    value->setAccessibleName(tr("Header value"));
    remove->setText(QStringLiteral("\u00d7")); // ×
    remove->setAutoRaise(true);
    remove->setToolTip(tr("Remove this header"));
    remove->setAccessibleName(remove->toolTip());
    m_headers->setCellWidget(row, NameColumn, name);
    m_headers->setCellWidget(row, ValueColumn, value);
    m_headers->setCellWidget(row, SecretColumn, centered(secret));
    m_headers->setCellWidget(row, RemoveColumn, centered(remove));

    // Names that always carry credentials are secret whatever the box said: checked and
    // disabled, and back to the user's own choice when the name changes to another.
    auto chosen = std::make_shared<bool>(header.secret);
    const auto update = [name, value, secret, chosen] {
        const bool always = HttpHeader::isAlwaysSecret(name->text().trimmed());
        secret->setChecked(always || *chosen);
        secret->setEnabled(!always);
        secret->setToolTip(always ? tr("This header always carries credentials: its value is "
                                       "kept in the system keychain.")
                                  : tr("Keep the value in the system keychain"));
        secret->setAccessibleName(tr("Secret"));
        value->setEchoMode(secret->isChecked() ? QLineEdit::Password : QLineEdit::Normal);
        value->setPlaceholderText(secret->isChecked() ? tr("Stored in the system keychain")
                                                      : QString());
    };
    connect(name, &QLineEdit::textChanged, this, update);
    connect(secret, &QCheckBox::clicked, this, [chosen, update](bool checked) {
        *chosen = checked;
        update();
    });
    connect(remove, &QToolButton::clicked, this, [this, name] { removeHeaderRow(name); });
    update();
}

void ProfileDialog::removeHeaderRow(const QLineEdit *nameField)
{
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        if (headerField(row, NameColumn) == nameField) {
            m_headers->removeRow(row); // the cell widgets are deleted later, not under the click
            return;
        }
    }
}

QLineEdit *ProfileDialog::headerField(int row, HeaderColumn column) const
{
    return qobject_cast<QLineEdit *>(m_headers->cellWidget(row, column));
}

QCheckBox *ProfileDialog::secretBox(int row) const
{
    const QWidget *cell = m_headers->cellWidget(row, SecretColumn);
    return cell ? cell->findChild<QCheckBox *>() : nullptr;
}

QList<HttpHeader> ProfileDialog::headersFromTable() const
{
    QList<HttpHeader> headers;
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const HttpHeader header{headerField(row, NameColumn)->text().trimmed(),
                                headerField(row, ValueColumn)->text().trimmed(),
                                secretBox(row)->isChecked()};
        if (!header.name.isEmpty() || !header.value.isEmpty())
            headers.append(header); // a row left blank is no header
    }
    return headers;
}

void ProfileDialog::save()
{
    const Profile profile = profileFromForm();
    const std::optional<Profile> before = m_profiles->profile(profile.id);
    const QStringList problems = m_profiles->saveProfile(profile);
    if (!problems.isEmpty()) {
        m_message->setText(problems.join(QLatin1Char('\n')));
        return;
    }
    // The file has neither the key nor the secret header values: they go to the keychain. An
    // empty key field, or an empty secret value, keeps what is stored.
    const QString key = m_apiKey->text();
    m_apiKey->clear();
    const auto report = [this](const SecretResult &result) {
        if (!result.message.isEmpty())
            m_message->setText(result.message);
    };
    if (!key.isEmpty())
        m_secrets->writeKey(profile.id, key, this, report);
    // Only when there are secret values to keep or to drop: a profile that never had any leaves
    // the keychain alone (and one without a keychain service says nothing about it).
    if (profile.hasSecretHeaders() || (before && before->hasSecretHeaders()))
        m_secrets->writeHeaderSecrets(profile, this, report);
    reload(profile.id);
    m_message->setText(tr("Saved."));
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
    m_secrets->removeSecrets(id, this, [](const SecretResult &) {});
    reload(QString());
    Q_EMIT profilesChanged(id);
}

// Odd generations are tests under way (looking up the secrets, then the request itself).
void ProfileDialog::testConnection()
{
    ++m_testGeneration;
    const quint64 generation = m_testGeneration;
    m_testButton->setText(tr("Cancel test"));
    m_testResult->setPalette(QPalette());
    m_testResult->setText(tr("Testing the connection…"));

    const Profile profile = profileFromForm();
    const QString typedKey = m_apiKey->text();
    const ProxySettings proxy = m_profiles->preferences().proxy;
    m_secrets->resolveSecrets(
        profile, this, [this, generation, profile, typedKey, proxy](const SecretResult &secrets) {
            if (generation != m_testGeneration)
                return; // cancelled meanwhile
            if (!secrets.ok) {
                showTestResult({ConnectionTester::Outcome::Invalid, secrets.message});
                return;
            }
            // What an answer would send once the form is saved: the variable wins over a key,
            // a key typed in over the stored one, and so does a header value typed in.
            const QString key =
                secrets.source == SecretResult::Source::Environment || typedKey.isEmpty()
                    ? secrets.key
                    : typedKey;
            Profile withSecrets = profile;
            withSecrets.extraHeaders = secrets.headers;
            for (HttpHeader &header : withSecrets.extraHeaders) {
                for (const HttpHeader &typed : profile.extraHeaders) {
                    if (typed.name == header.name && !typed.value.isEmpty())
                        header.value = typed.value;
                }
            }
            m_tester->start(withSecrets, key, proxy);
        });
}

void ProfileDialog::cancelTest()
{
    if (m_testGeneration % 2 == 0)
        return;
    ++m_testGeneration;
    m_tester->cancel();
    m_testButton->setText(tr("Test connection"));
    m_testResult->setPalette(QPalette());
    m_testResult->setText(tr("Test cancelled."));
}

void ProfileDialog::showTestResult(const ConnectionTester::Result &result)
{
    if (result.outcome == ConnectionTester::Outcome::Cancelled)
        return; // cancelTest() said so already
    if (m_testGeneration % 2 == 1)
        ++m_testGeneration;
    m_testButton->setText(tr("Test connection"));
    const ThemePalettes::Scheme scheme = ThemePalettes::schemeOf(palette());
    QPalette colours;
    colours.setColor(QPalette::WindowText, result.outcome == ConnectionTester::Outcome::Connected
                                               ? ThemePalettes::positive(scheme)
                                               : ThemePalettes::negative(scheme));
    m_testResult->setPalette(colours);
    m_testResult->setText(result.text);
}

} // namespace qalam
