// DesktopOptions: what the command line asked of the desktop app (see main.cpp).
#pragma once

#include "settings/Preferences.h"

#include <QString>

#include <optional>

namespace qalam {

struct DesktopOptions
{
    bool forceDemo = false;      // --demo
    QString profileName;         // --profile NAME
    QString language;            // --lang ar|en; empty: the system's
    QString databasePath;        // empty: ConversationStore::defaultPath()
    QString settingsPath;        // empty: qalam.ini in the user's configuration directory
    int demoTokensPerSecond = 0; // 0: the demo server's default pace
    // --theme light|dark|high-contrast|system; none: the saved one
    std::optional<Preferences::Theme> theme;
};

} // namespace qalam
