#include "server/ReplayLibrary.h"

#include <QDir>
#include <QFileInfo>

namespace qalam::server {

bool ReplayLibrary::load(const QString &path, QString *error)
{
    m_recordings.clear();
    QStringList files;
    const QFileInfo info(path);
    if (info.isDir()) {
        const QDir dir(path);
        for (const QString &name :
             dir.entryList({QStringLiteral("*.jsonl")}, QDir::Files | QDir::Readable, QDir::Name))
            files << dir.filePath(name);
        if (files.isEmpty()) {
            *error = QStringLiteral("%1 holds no recordings (*.jsonl)").arg(path);
            return false;
        }
    } else {
        files << path;
    }
    for (const QString &file : std::as_const(files)) {
        auto recording = capture::Recording::read(file, error);
        if (!recording)
            return false;
        if (recording->response.status == 0) {
            *error = QStringLiteral("%1: it recorded no response (%2)")
                         .arg(file, recording->response.networkError);
            return false;
        }
        m_recordings.append(std::move(*recording));
    }
    return true;
}

const capture::Recording *ReplayLibrary::match(const QString &path, const QString &prompt,
                                               QString *why) const
{
    const capture::Recording *samePrompt = nullptr;
    for (const capture::Recording &recording : m_recordings) {
        if (recording.request.prompt() != prompt)
            continue;
        if (recording.request.url.path() == path)
            return &recording;
        if (!samePrompt)
            samePrompt = &recording;
    }
    if (samePrompt)
        return samePrompt;
    if (m_recordings.size() == 1)
        return &m_recordings.first();
    QStringList prompts;
    for (const capture::Recording &recording : m_recordings)
        prompts << QLatin1Char('"') + recording.request.prompt().left(60) + QLatin1Char('"');
    *why = QStringLiteral("no recording asked \"%1\"; the %2 recordings asked: %3")
               .arg(prompt.left(80))
               .arg(m_recordings.size())
               .arg(prompts.join(QStringLiteral(", ")));
    return nullptr;
}

} // namespace qalam::server
