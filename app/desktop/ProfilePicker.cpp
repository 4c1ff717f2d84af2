#include "ProfilePicker.h"

#include "BackendSwitcher.h"
#include "ProfileDialog.h"
#include "settings/ProfileStore.h"

#include <QComboBox>

namespace qalam {

ProfilePicker::ProfilePicker(ProfileStore *profiles, BackendSwitcher *backend, QComboBox *box,
                             QWidget *dialogParent)
    : m_profiles(profiles), m_backend(backend), m_box(box), m_dialogParent(dialogParent)
{
    connect(box, &QComboBox::activated, this, [this](int index) {
        if (const auto profile = m_profiles->profile(m_box->itemData(index).toString()))
            m_backend->apply(*profile);
    });
    connect(backend, &BackendSwitcher::profileChanged, this, &ProfilePicker::refresh);
}

void ProfilePicker::refresh()
{
    m_box->setToolTip(tr("The backend new answers come from"));
    m_box->setAccessibleName(tr("Connection profile"));
    m_box->setAccessibleDescription(m_box->toolTip());
    const QSignalBlocker blocker(m_box);
    m_box->clear();
    for (const Profile &profile : m_profiles->profiles())
        m_box->addItem(profile.name, profile.id);
    m_box->setCurrentIndex(std::max(0, m_box->findData(m_backend->profile().id)));
}

void ProfilePicker::openDialog()
{
    ProfileDialog dialog(m_profiles, m_backend->secrets(), m_dialogParent);
    dialog.select(m_backend->profile().id);
    connect(&dialog, &ProfileDialog::profilesChanged, this, [this](const QString &id) {
        refresh();
        if (id == m_backend->profile().id)
            m_backend->apply(m_profiles->profile(id).value_or(m_profiles->defaultProfile()));
    });
    dialog.exec();
}

} // namespace qalam
