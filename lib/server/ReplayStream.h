// ReplayStream: plays one recording back on one connection: the recorded status and headers,
// then the body's bytes in the recorded pieces at the recorded times (scaled by the speed), cut
// where the recording was cut. A Last-Event-ID resumes right after that event, when the
// recording's events have ids. The demo server's faults apply on top (docs/recording.md).
#pragma once

#include "capture/Recording.h"
#include "server/FaultInjection.h"
#include "server/HttpResponder.h"
#include "server/ScheduleTimer.h"

#include <QList>
#include <QObject>

#include <memory>

namespace qalam::server {

class ReplayStream : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        double speed = 1.0; // recorded time divided by this; 0: as fast as the socket takes
        FaultInjection faults;
        QByteArray lastEventId; // resume after this event
    };

    ReplayStream(std::unique_ptr<HttpResponder> http, const capture::Recording &recording,
                 Settings settings, ScheduleTimer &schedule, QObject *parent = nullptr);
    ~ReplayStream() override;

    void start();

    // The headers a replay sends: the recorded ones without those that described the original
    // connection or framing (Transfer-Encoding, Content-Length, Content-Encoding, Connection,
    // Keep-Alive), since this server frames the body itself.
    static HttpResponder::Headers replayHeaders(const capture::CapturedResponse &response);

Q_SIGNALS:
    void closed();

private:
    struct Piece
    {
        qint64 dueMs = 0; // after start()
        QByteArray bytes;
    };
    // Where each event of the body ends (the offset after its dispatching line) and its id.
    struct EventEnd
    {
        qsizetype offset = 0;
        QString id;
    };

    static QList<EventEnd> eventEnds(const QByteArray &body);
    void plan(qsizetype from, const QList<EventEnd> &events);
    void writeDue();
    void finish();

    std::unique_ptr<HttpResponder> m_http;
    const capture::Recording &m_recording;
    Settings m_settings;
    ScheduleTimer &m_schedule;
    ScheduleTimer::Key m_key;
    QList<Piece> m_pieces;
    qsizetype m_next = 0;
    bool m_cutAtEnd = false; // close the connection instead of ending the body
    bool m_closed = false;
    qint64 m_startedAt = 0;
};

} // namespace qalam::server
