// StreamConnection: one HTTP response that carries a DemoStream's events to one client.
//
// It writes the events from a starting index on and follows the stream as it grows; pauses the
// stream's generation while the client does not read (the socket's unsent bytes over a bound),
// so memory stays bounded; sends heartbeats when the connection has been idle (checked on the
// server's shared schedule, so a write costs no timer restart); stages the
// faults it was asked for; and ends the body after the terminal event. When the response ends
// or the client leaves it emits closed() once and does nothing more: its owner deletes it.
#pragma once

#include "server/FaultInjection.h"
#include "server/HttpResponder.h"
#include "server/ScheduleTimer.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>

namespace qalam::server {

class DemoStream;
struct StreamEvent;

class StreamConnection : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        int heartbeatMs = 20000;
        int retryMs = 2000; // admin: `retry:` sent first; 0: none
        FaultInjection faults;
        qint64 highWaterBytes = 64 * 1024; // unsent bytes above this: stop generating ...
        qint64 lowWaterBytes = 16 * 1024;  // ... until they drop below this
    };

    StreamConnection(std::unique_ptr<HttpResponder> http, DemoStream *stream, qint64 fromIndex,
                     Settings settings, ScheduleTimer &schedule, QObject *parent = nullptr);
    ~StreamConnection() override;

    // The response head, then every event from `fromIndex` on.
    void start();
    // Closes the connection (the stream was taken over by a newer one, or the server stops).
    void abandon();

    DemoStream *stream() const { return m_stream; }
    bool isBackpressured() const { return m_backpressured; }
    bool isClosed() const { return m_closed; }

    // The headers of every event-stream response (the plain-headers fault leaves out all but
    // Content-Type).
    static HttpResponder::Headers streamHeaders(const FaultInjection &faults = {});

Q_SIGNALS:
    void closed();

private:
    void pump();
    QByteArray encode(const StreamEvent &event, qint64 index) const;
    bool send(const QByteArray &bytes);
    bool writeBody(const QByteArray &bytes);
    void writeNextPiece();
    void onBytesWritten();
    void onHeartbeat();
    void startStall();
    void endStall();
    void setBackpressured(bool backpressured);
    void cut();
    void finish();
    // The schedule entry of a fault's timer, made the first time that fault needs one.
    ScheduleTimer::Key faultTimer(ScheduleTimer::Key &key, void (StreamConnection::*wake)());
    void onPieceDue();

    std::unique_ptr<HttpResponder> m_http;
    ScheduleTimer &m_schedule;
    QPointer<DemoStream> m_stream;
    QByteArray m_idPrefix; // "<stream id>."
    qint64 m_cursor;
    Settings m_settings;
    qint64 m_eventsWritten = 0;
    qint64 m_bytesWritten = 0;
    QList<QByteArray> m_pieces; // split-writes fault: the rest of the event being written
    bool m_backpressured = false;
    bool m_stalled = false;
    bool m_stallDone = false;
    bool m_closed = false;
    QByteArray m_heldBack; // burst fault: the body so far
    QElapsedTimer m_idle;  // since the last byte written
    ScheduleTimer::Key m_heartbeat;
    ScheduleTimer::Key m_stallTimer = 0; // 0: none yet
    ScheduleTimer::Key m_pieceTimer = 0;
};

} // namespace qalam::server
