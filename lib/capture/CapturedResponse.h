// CapturedResponse: one HTTP response exactly as it arrived, as a value: status, head, and the
// body's bytes chunk by chunk with the time each read came in. What `qalam-cli doctor` judges.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace qalam::capture {

struct CapturedChunk
{
    qint64 atMs = 0; // since the request was sent
    QByteArray bytes;
};

struct CapturedResponse
{
    int status = 0; // 0: no response at all (see networkError)
    QByteArray reason;
    QList<QPair<QByteArray, QByteArray>> headers;
    qint64 headAtMs = -1;
    QList<CapturedChunk> chunks;
    qint64 endedAtMs = -1;
    QString networkError;     // empty when the server ended the response (or we stopped it)
    bool stoppedByUs = false; // cut on purpose: after N events, at the time limit, at the cap
    bool truncated = false;   // the byte cap was reached

    // The first header of that name (any case), and whether there is one.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    QByteArray body() const;
    qint64 bodySize() const;
};

} // namespace qalam::capture
