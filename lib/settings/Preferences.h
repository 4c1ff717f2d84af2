// Preferences: the app-wide choices kept in QSettings (not per profile), as plain values.
// ProfileStore loads them, repairing anything out of range, and saves them.
#pragma once

#include <QByteArray>
#include <QString>

namespace qalam {

struct ProxySettings
{
    enum class Mode { System, None, Manual };
    enum class Type { Http, Socks5 };

    Mode mode = Mode::System;
    Type type = Type::Http; // Manual only
    QString host;           // Manual only
    quint16 port = 0;       // Manual only

    friend bool operator==(const ProxySettings &, const ProxySettings &) = default;
};

struct Preferences
{
    enum class Language { System, Arabic, English };

    static constexpr int minFontPointSize = 6;
    static constexpr int maxFontPointSize = 72;

    Language language = Language::System;
    bool reduceMotion = false; // show answers as they arrive, without the typewriter's pace
    int fontPointSize = 0;     // 0: the system's default; otherwise within the bounds above
    QString lastProfileId;
    QByteArray windowGeometry;  // QWidget::saveGeometry()
    QByteArray windowState;     // QMainWindow::saveState()
    bool sidebarVisible = true; // View > Show sidebar (Ctrl+B)
    ProxySettings proxy;

    friend bool operator==(const Preferences &, const Preferences &) = default;
};

} // namespace qalam
