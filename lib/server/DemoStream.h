// DemoStream: one generated answer, as the ordered list of events a client receives.
//
// The stream paces its deltas with a timer, keeps the latest events in a bounded replay buffer
// so a client that reconnects with Last-Event-ID continues exactly where it stopped, and goes on
// generating while no client is attached. It knows nothing about sockets: StreamConnection
// reads its events and holds it (pauses generation) when the client does not keep up. When no
// client has been attached for the resume window, it reports expired() and its owner drops it.
//
// The events depend only on the settings' answer, pieces and prompt tokens, never on timing:
// an admin stream is always hello (0), progress (1), one delta per piece (2 to deltas + 1) and
// done (deltas + 2). Heartbeats are no part of it (StreamConnection writes them). So a stream
// can be regenerated from any event on, with the very events the original sent from there.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

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

    explicit DemoStream(Settings settings, QObject *parent = nullptr);
    ~DemoStream() override;

    // Appends the opening events and starts pacing the deltas. An admin stream given
    // `afterIndex` >= 0 is regenerated: it goes on as though events 0 to `afterIndex` had been
    // sent already, its first event is afterIndex + 1. Precondition: afterIndex <
    // terminalIndex().
    void start(qint64 afterIndex = -1);

    const QString &id() const { return m_settings.id; }
    Protocol protocol() const { return m_settings.protocol; }

    // Events are numbered from 0 (admin: the `n` of the id `<stream id>.<n>`).
    qint64 nextIndex() const { return m_firstIndex + qint64(m_events.size()); }
    // The oldest event still in the replay buffer.
    qint64 firstIndex() const { return m_firstIndex; }
    // Precondition: firstIndex() <= index < nextIndex().
    const StreamEvent &eventAt(qint64 index) const
    {
        return m_events[size_t(index - m_firstIndex)];
    }
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

    bool isGenerating() const { return m_pacer.isActive(); }

Q_SIGNALS:
    void eventAppended();
    void expired();

private:
    void tick();
    void append(QByteArray type, QByteArray data);
    void appendDelta();
    void appendEnd();
    QJsonObject openAiChunk(const QJsonObject &delta, const QJsonValue &finishReason) const;
    void schedule();
    double rate() const;

    Settings m_settings;
    std::deque<StreamEvent> m_events;
    qint64 m_firstIndex = 0;
    qint64 m_bufferedBytes = 0;
    qint64 m_created = 0;
    int m_nextPiece = 0; // index into pieceEnds
    bool m_started = false;
    bool m_firstTokenDue = true;
    bool m_finished = false;
    bool m_held = false;
    bool m_attached = false;
    int m_intervalMs = 1;
    QElapsedTimer m_paceClock; // since pacing (re)started ...
    qint64 m_pacedDeltas = 0;  // ... and the deltas sent since
    QTimer m_pacer{this};
    QTimer m_expiry{this};
};

} // namespace qalam::server
