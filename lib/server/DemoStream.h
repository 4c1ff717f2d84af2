// DemoStream: one generated answer, as the ordered list of events a client receives.
//
// The stream paces its deltas on the server's shared schedule, keeps the latest events in a
// bounded replay window so a client that reconnects with Last-Event-ID continues exactly where
// it stopped, and goes on generating while no client is attached. The events themselves are not
// stored: each is rebuilt, when a client needs it, from the answer text the corpus shares with
// every stream (the window keeps only their sizes), so a stream costs little more than its
// settings however long its answer. It knows nothing about sockets: StreamConnection
// reads its events and holds it (pauses generation) when the client does not keep up. When no
// client has been attached for the resume window, it reports expired() and its owner drops it.
//
// The events depend only on the settings' answer, pieces and prompt tokens, never on timing:
// an admin stream is always hello (0), progress (1), one delta per piece (2 to deltas + 1) and
// done (deltas + 2). Heartbeats are no part of it (StreamConnection writes them). So a stream
// can be regenerated from any event on, with the very events the original sent from there.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QString>

#include "server/ScheduleTimer.h"

#include <deque>

namespace qalam::server {

struct StreamEvent
{
    QByteArray type; // admin stream event type; empty for OpenAI chunks (data-only events)
    QByteArray data;
};

class DemoStream : public QObject
{
    Q_OBJECT

public:
    enum class Protocol { Admin, OpenAi };

    struct Settings
    {
        Protocol protocol = Protocol::Admin;
        QString id; // admin: "s-…"; OpenAI: "chatcmpl-…"
        QString model;
        QString language; // of the answer: "ar" or "en"
        QString answer;
        QList<qsizetype> pieceEnds; // from TokenChunker
        int promptTokens = 0;
        double tokensPerSecond = 45.0;
        int firstTokenMs = 300;
        bool includeUsage = true; // OpenAI: send the usage chunk
        qint64 replayMaxEvents = 4096;
        qint64 replayMaxBytes = 512 * 1024;
        int resumeWindowMs = 60000; // how long a stream with no client is kept
    };

    DemoStream(Settings settings, ScheduleTimer &schedule, QObject *parent = nullptr);
    ~DemoStream() override;

    // Appends the opening events and starts pacing the deltas. An admin stream given
    // `afterIndex` >= 0 is regenerated: it goes on as though events 0 to `afterIndex` had been
    // sent already, its first event is afterIndex + 1. Precondition: afterIndex <
    // terminalIndex().
    void start(qint64 afterIndex = -1);

    const QString &id() const { return m_settings.id; }
    Protocol protocol() const { return m_settings.protocol; }

    // Events are numbered from 0 (admin: the `n` of the id `<stream id>.<n>`).
    qint64 nextIndex() const { return m_firstIndex + qint64(m_eventBytes.size()); }
    // The oldest event still in the replay buffer.
    qint64 firstIndex() const { return m_firstIndex; }
    // Precondition: firstIndex() <= index < nextIndex().
    StreamEvent eventAt(qint64 index) const;
    // The terminal event (done, or OpenAI's [DONE]) is in the stream.
    bool isFinished() const { return m_finished; }
    int deltaCount() const { return int(m_settings.pieceEnds.size()); }
    // Admin stream: the index of its done event (of one with `deltas` deltas).
    qint64 terminalIndex() const { return terminalIndexFor(deltaCount()); }
    static qint64 terminalIndexFor(qsizetype deltas) { return qint64(deltas) + 2; }

    // A connection reads this stream (or none does: the resume window starts).
    void setAttached(bool attached);
    bool isAttached() const { return m_attached; }
    // The reader cannot take more now: stop generating until it can.
    void setHeld(bool held);

    bool isGenerating() const { return m_schedule.isScheduled(m_pacer); }

Q_SIGNALS:
    void eventAppended();
    void expired();

private:
    void tick();
    // Event `index` joins the stream (it is built once, to know its size, and kept until the
    // next one in case its reader wants it at once, which it usually does).
    void append(qint64 index);
    // The terminal event(s): done, or OpenAI's finish, usage and [DONE].
    void appendEnd();
    StreamEvent build(qint64 index) const;
    StreamEvent buildDelta(int piece) const;
    QJsonObject openAiChunk(const QJsonObject &delta, const QJsonValue &finishReason) const;
    void schedule();
    double rate() const;
    // Where each event of the stream is: OpenAI's events after the deltas.
    qint64 openAiFinishIndex() const { return qint64(deltaCount()) + 1; }
    qint64 lastIndex() const;

    Settings m_settings;
    ScheduleTimer &m_schedule;
    ScheduleTimer::Key m_pacer;
    ScheduleTimer::Key m_expiry;
    std::deque<quint32> m_eventBytes; // sizes of the events in the replay window
    mutable qint64 m_cachedIndex = -1;
    mutable StreamEvent m_cached;
    qint64 m_firstIndex = 0;
    qint64 m_bufferedBytes = 0;
    qint64 m_created = 0;
    int m_nextPiece = 0; // index into pieceEnds
    bool m_started = false;
    bool m_firstTokenDue = true;
    bool m_finished = false;
    bool m_held = false;
    bool m_attached = false;
    qint64 m_paceStartMs = 0; // on the schedule's clock, since pacing (re)started ...
    qint64 m_pacedDeltas = 0; // ... and the deltas sent since
};

} // namespace qalam::server
