// ProfileStore: the profiles and preferences kept in a QSettings file.
//
// The built-in "Demo (offline)" profile is always there, first, and is never written to the
// file, so a first run (or an empty, unreadable or damaged file) still has a working profile.
// Loading never fails and never crashes: an entry that cannot be used is skipped and left in the
// file untouched (a newer Qalam may understand it), a bad value is repaired to its default, and
// each such decision is reported in warnings() for the user. A file QSettings cannot parse is
// copied aside before anything is written to it. No API key is ever written here, nor the value
// of a secret header (HttpHeader::isSecret()): the file has its name and `secret=true` only.
#pragma once

#include "settings/Preferences.h"
#include "settings/Profile.h"

#include <QCoreApplication>
#include <QList>
#include <QStringList>

#include <memory>
#include <optional>

class QSettings;

namespace qalam {

class ProfileStore
{
    Q_DECLARE_TR_FUNCTIONS(qalam::ProfileStore)

public:
    // An INI file of our own (created on the first save).
    explicit ProfileStore(const QString &iniFileName);
    // Someone else's QSettings (any format), which must outlive the store.
    explicit ProfileStore(QSettings &settings);
    ~ProfileStore();
    Q_DISABLE_COPY_MOVE(ProfileStore)

    QString fileName() const;
    // What loading skipped or repaired, one sentence each, translated; empty for a clean file.
    const QStringList &warnings() const { return m_warnings; }

    // The demo first, then the others by name.
    QList<Profile> profiles() const;
    std::optional<Profile> profile(QStringView id) const;
    // Case-insensitive; the demo also answers to "demo" and its untranslated name.
    std::optional<Profile> findByName(QStringView name) const;
    // The last used profile if it still exists, otherwise the demo.
    Profile defaultProfile() const;
    // Command-line selection: `--demo` wins, then `--profile NAME`, then the default. Nothing
    // when NAME matches no profile; *error then says so and lists the names.
    std::optional<Profile> startupProfile(bool forceDemo, const QString &profileName,
                                          QString *error = nullptr) const;

    // Adds a profile (new id) or replaces one (known id) and writes the file. Returns what is
    // wrong (validation, a name already taken, the built-in demo, a write error); empty: saved.
    // Secret headers are kept marked `secret` and without their values, here and in the file:
    // the values are the caller's to store (SecretStore::writeHeaderSecrets), as the key is.
    QStringList saveProfile(const Profile &profile);
    // False for the demo and for unknown ids. The keychain entries are the caller's to remove
    // (SecretStore::removeSecrets), since that is asynchronous.
    bool removeProfile(QStringView id);

    const Preferences &preferences() const { return m_preferences; }
    // Writes the preferences; returns why that failed, or an empty string.
    QString savePreferences(const Preferences &preferences);

private:
    void load();
    void loadPreferences();
    std::optional<Profile> loadProfile(const QString &id);
    bool readBool(const QString &key, bool fallback);
    void repaired(const QString &key, const QString &value);
    void backUpDamagedFile();
    // A line that is neither a [section], a comment nor key=value, a raw control character, or
    // bytes that are not UTF-8.
    static bool isDamagedIni(const QString &path);
    void writeProfile(const Profile &profile);
    QString sync();
    void sortProfiles();

    std::unique_ptr<QSettings> m_ownSettings;
    QSettings &m_settings;
    QList<Profile> m_profiles; // the demo excluded
    Preferences m_preferences;
    QStringList m_warnings;
};

} // namespace qalam
