#include "server/StreamConnection.h"

#include "server/DemoStream.h"
#include "server/SseFormat.h"

#include <QDateTime>

#include <utility>

namespace qalam::server {

namespace {

// Pieces of a split event go out this far apart, so each is its own TCP segment and, most of the
// time, its own read on the client side.
constexpr int kPieceGapMs = 2;

} // namespace

StreamConnection::StreamConnection(std::unique_ptr<HttpResponder> http, DemoStream *stream,
                                   qint64 fromIndex, Settings settings, ScheduleTimer &schedule,
                                   QObject *parent)
    : QObject(parent), m_http(std::move(http)), m_schedule(schedule), m_stream(stream),
      m_idPrefix(stream->id().toUtf8() + '.'), m_cursor(fromIndex), m_settings(settings),
      m_heartbeat(schedule.add([this] { onHeartbeat(); }))
{}

StreamConnection::~StreamConnection()
{
    // Ending an unfinished response closes the socket, which may report it at once: not to this
    // object, half destroyed by then.
    if (QTcpSocket *socket = m_http->socket())
        disconnect(socket, nullptr, this, nullptr);
    m_http.reset();
    m_schedule.remove(m_heartbeat);
    m_schedule.remove(m_stallTimer);
    m_schedule.remove(m_pieceTimer);
    if (m_stream && !m_closed)
        m_stream->setHeld(false);
}

ScheduleTimer::Key StreamConnection::faultTimer(ScheduleTimer::Key &key,
                                                void (StreamConnection::*wake)())
{
    if (key == 0)
        key = m_schedule.add([this, wake] { (this->*wake)(); });
    return key;
}

void StreamConnection::onPieceDue()
{
    writeNextPiece();
    if (!m_closed && m_pieces.isEmpty())
        pump(); // the event is complete: carry on with the next one
}

HttpResponder::Headers StreamConnection::streamHeaders(const FaultInjection &faults)
{
    if (faults.plainHeaders)
        return {{"Content-Type", "text/event-stream; charset=utf-8"}};
    return {{"Content-Type", "text/event-stream; charset=utf-8"},
            {"Cache-Control", "no-cache, no-transform"},
            {"X-Accel-Buffering", "no"},
            {"Connection", "keep-alive"}};
}

void StreamConnection::start()
{
    QTcpSocket *socket = m_http->socket();
    if (!socket || !m_stream) {
        finish();
        return;
    }
    connect(socket, &QAbstractSocket::disconnected, this, &StreamConnection::finish);
    connect(socket, &QObject::destroyed, this, &StreamConnection::finish);
    connect(socket, &QIODevice::bytesWritten, this, &StreamConnection::onBytesWritten);
    connect(m_stream, &DemoStream::eventAppended, this, &StreamConnection::pump);
    connect(m_stream, &QObject::destroyed, this, &StreamConnection::cut);
    // Each event should leave at once, not wait for more bytes to fill a segment.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);

    m_http->beginStream(200, streamHeaders(m_settings.faults));
    m_idle.start();
    m_schedule.wakeIn(m_heartbeat, std::max(1, m_settings.heartbeatMs));
    if (m_settings.retryMs > 0 && m_stream->protocol() == DemoStream::Protocol::Admin &&
        !send(SseFormat::retry(m_settings.retryMs, m_settings.faults.splitWrites)))
        return;
    pump();
}

void StreamConnection::abandon()
{
    cut();
}

QByteArray StreamConnection::encode(const StreamEvent &event, qint64 index) const
{
    const FaultInjection &faults = m_settings.faults;
    const bool crlf = faults.splitWrites;
    QByteArray data = event.data;
    if (faults.badUtf8 && event.type == "delta" && data.contains("\"seq\":1,")) {
        // Inside the text's string, so the JSON stays whole and only the UTF-8 is wrong.
        if (const qsizetype text = data.indexOf("\"text\":\""); text >= 0)
            data.insert(text + 8, '\xff');
    }
    if (m_stream->protocol() == DemoStream::Protocol::OpenAi)
        return SseFormat::event({}, {}, data, crlf);
    return SseFormat::event(event.type,
                            faults.noIds ? QByteArray() : m_idPrefix + QByteArray::number(index),
                            data, crlf);
}

void StreamConnection::pump()
{
    if (m_closed)
        return;
    if (!m_http->isConnected() || !m_stream) {
        finish();
        return;
    }
    const FaultInjection &faults = m_settings.faults;
    while (!m_stalled && m_pieces.isEmpty()) {
        if (faults.closeAfterEvents >= 0 && m_eventsWritten >= faults.closeAfterEvents) {
            cut();
            return;
        }
        if (faults.stallMs > 0 && !m_stallDone && m_eventsWritten >= faults.stallAfterEvents) {
            startStall();
            return;
        }
        if (m_cursor >= m_stream->nextIndex())
            break;
        if (m_http->pendingBytes() > m_settings.highWaterBytes) {
            setBackpressured(true);
            return;
        }
        if (m_cursor < m_stream->firstIndex()) {
            // The client fell further behind than the replay buffer reaches: say so rather than
            // skip events.
            const QByteArray last = m_idPrefix + QByteArray::number(m_cursor - 1);
            if (writeBody(SseFormat::errorEvent(
                    last, QStringLiteral("unknown_stream"),
                    QStringLiteral("event %1 is no longer in the server's replay buffer")
                        .arg(QString::fromUtf8(m_idPrefix + QByteArray::number(m_cursor))),
                    false, faults.splitWrites))) {
                m_http->endStream();
                finish();
            }
            return;
        }
        const QByteArray bytes = encode(m_stream->eventAt(m_cursor), m_cursor);
        ++m_cursor;
        ++m_eventsWritten;
        if (!send(bytes))
            return;
    }
    if (m_stalled || !m_pieces.isEmpty())
        return;
    if (m_stream->isFinished() && m_cursor >= m_stream->nextIndex()) {
        if (!m_heldBack.isEmpty())
            m_http->writeChunk(std::exchange(m_heldBack, QByteArray()));
        m_http->endStream();
        finish();
    }
}

// Sends one event (or the retry line): whole, or in awkward pieces when the split fault is on.
// Returns false when the connection is gone or was cut by a fault.
bool StreamConnection::send(const QByteArray &bytes)
{
    if (!m_settings.faults.splitWrites)
        return writeBody(bytes);
    m_pieces = SseFormat::splitAwkwardly(bytes);
    writeNextPiece();
    return !m_closed;
}

void StreamConnection::writeNextPiece()
{
    if (m_closed || m_pieces.isEmpty())
        return;
    if (!writeBody(m_pieces.takeFirst()))
        return;
    if (QTcpSocket *socket = m_http->socket())
        socket->flush(); // anything queued goes to the kernel now, apart from the next piece
    if (!m_pieces.isEmpty())
        m_schedule.wakeIn(faultTimer(m_pieceTimer, &StreamConnection::onPieceDue), kPieceGapMs);
}

// Writes body bytes as one chunk, honouring close-after-bytes. Returns false when the
// connection is closed afterwards.
bool StreamConnection::writeBody(const QByteArray &bytes)
{
    if (m_closed || !m_http->isConnected()) {
        finish();
        return false;
    }
    if (m_settings.faults.burst) {
        m_heldBack += bytes; // sent by releaseHeldBack() when the stream ends
        m_idle.start();
        return true;
    }
    const qint64 limit = m_settings.faults.closeAfterBytes;
    if (limit >= 0 && m_bytesWritten + bytes.size() >= limit) {
        const qint64 room = limit - m_bytesWritten;
        m_http->writeChunk(bytes.first(room));
        m_bytesWritten += room;
        cut();
        return false;
    }
    m_http->writeChunk(bytes);
    m_bytesWritten += bytes.size();
    m_idle.start();
    return true;
}

void StreamConnection::onBytesWritten()
{
    if (m_backpressured && m_http->pendingBytes() <= m_settings.lowWaterBytes) {
        setBackpressured(false);
        pump();
    }
}

void StreamConnection::onHeartbeat()
{
    if (m_closed)
        return;
    const qint64 idle = m_idle.elapsed();
    // A stalled connection is silent on purpose; a backpressured one has unread bytes already.
    if (m_stalled || m_backpressured || idle + 5 < m_settings.heartbeatMs) {
        m_schedule.wakeIn(m_heartbeat,
                          std::max<qint64>(1, m_settings.heartbeatMs - (m_stalled ? 0 : idle)));
        return;
    }
    m_schedule.wakeIn(m_heartbeat, std::max(1, m_settings.heartbeatMs));
    if (!m_pieces.isEmpty() || !m_stream)
        return; // in the middle of an event: not idle after all
    if (m_stream->protocol() == DemoStream::Protocol::OpenAi) {
        writeBody(SseFormat::comment("ping", m_settings.faults.splitWrites));
        return;
    }
    if (m_cursor <= 0 || m_stream->isFinished())
        return;
    // A ping event, counted like any other, that repeats the id of the event before it: it is
    // no part of the stream, whose numbering so stays independent of timing, and a resume from
    // its id goes on right after that event.
    const QByteArray data =
        "{\"t\":" + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + '}';
    ++m_eventsWritten;
    const QByteArray id =
        m_settings.faults.noIds ? QByteArray() : m_idPrefix + QByteArray::number(m_cursor - 1);
    if (send(SseFormat::event("ping", id, data, m_settings.faults.splitWrites)))
        pump(); // a fault may be due after this event
}

void StreamConnection::startStall()
{
    m_stalled = true;
    m_stallDone = true;
    m_stream->setHeld(true);
    m_schedule.wakeIn(faultTimer(m_stallTimer, &StreamConnection::endStall),
                      m_settings.faults.stallMs);
}

void StreamConnection::endStall()
{
    m_stalled = false;
    if (m_stream)
        m_stream->setHeld(m_backpressured);
    m_idle.start();
    pump();
}

void StreamConnection::setBackpressured(bool backpressured)
{
    if (m_backpressured == backpressured)
        return;
    m_backpressured = backpressured;
    if (m_stream)
        m_stream->setHeld(m_backpressured || m_stalled);
}

void StreamConnection::cut()
{
    if (m_closed)
        return;
    m_http->closeConnection();
    finish();
}

void StreamConnection::finish()
{
    if (m_closed)
        return;
    m_closed = true;
    m_schedule.cancel(m_heartbeat);
    m_schedule.cancel(m_stallTimer);
    m_schedule.cancel(m_pieceTimer);
    m_pieces.clear();
    if (QTcpSocket *socket = m_http->socket())
        disconnect(socket, nullptr, this, nullptr);
    if (m_stream) {
        disconnect(m_stream, nullptr, this, nullptr);
        m_stream->setHeld(false);
    }
    Q_EMIT closed();
}

} // namespace qalam::server
