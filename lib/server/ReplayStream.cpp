#include "server/ReplayStream.h"

#include "server/SseFormat.h"
#include "sse/SseParser.h"

namespace qalam::server {

namespace {

// A split-writes fault's pieces go out this far apart, as StreamConnection sends them.
constexpr qint64 kPieceGapMs = 2;

class EventEndCollector final : public SseParser::Handler
{
public:
    qsizetype offset = 0;
    QList<qsizetype> ends;
    QList<QString> ids;
    void onEvent(const SseEvent &event) override
    {
        ends.append(offset);
        ids.append(event.lastEventId);
    }
};

} // namespace

ReplayStream::ReplayStream(std::unique_ptr<HttpResponder> http, const capture::Recording &recording,
                           Settings settings, ScheduleTimer &schedule, QObject *parent)
    : QObject(parent), m_http(std::move(http)), m_recording(recording),
      m_settings(std::move(settings)), m_schedule(schedule),
      m_key(schedule.add([this] { writeDue(); }))
{}

ReplayStream::~ReplayStream()
{
    if (QTcpSocket *socket = m_http->socket())
        disconnect(socket, nullptr, this, nullptr);
    m_http.reset();
    m_schedule.remove(m_key);
}

HttpResponder::Headers ReplayStream::replayHeaders(const capture::CapturedResponse &response)
{
    static const QList<QByteArray> framing{"transfer-encoding", "content-length",
                                           "content-encoding", "connection", "keep-alive"};
    HttpResponder::Headers headers;
    for (const auto &[name, value] : response.headers) {
        if (!framing.contains(name.toLower()))
            headers.append({name, value});
    }
    return headers;
}

QList<ReplayStream::EventEnd> ReplayStream::eventEnds(const QByteArray &body)
{
    EventEndCollector collector;
    SseParser parser(collector);
    // A line at a time, so each event's end is known to the byte: it is dispatched by the blank
    // line that ends it.
    for (qsizetype start = 0; start < body.size();) {
        qsizetype end = start;
        while (end < body.size() && body[end] != '\n' && body[end] != '\r')
            ++end;
        if (end < body.size())
            end += (body[end] == '\r' && end + 1 < body.size() && body[end + 1] == '\n') ? 2 : 1;
        collector.offset = end;
        parser.feed(QByteArrayView(body).sliced(start, end - start));
        start = end;
    }
    QList<EventEnd> events;
    for (qsizetype i = 0; i < collector.ends.size(); ++i)
        events.append({collector.ends[i], collector.ids[i]});
    return events;
}

void ReplayStream::start()
{
    QTcpSocket *socket = m_http->socket();
    if (!socket) {
        finish();
        return;
    }
    connect(socket, &QAbstractSocket::disconnected, this, &ReplayStream::finish);
    connect(socket, &QObject::destroyed, this, &ReplayStream::finish);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);

    const capture::CapturedResponse &response = m_recording.response;
    const QByteArray body = response.body();
    if (response.status != 200) {
        m_http->writeResponse(response.status, replayHeaders(response), body);
        finish();
        return;
    }
    const QList<EventEnd> events = eventEnds(body);
    qsizetype from = 0;
    if (!m_settings.lastEventId.isEmpty()) {
        const QString id = QString::fromUtf8(m_settings.lastEventId);
        const auto found = std::find_if(events.cbegin(), events.cend(),
                                        [&id](const EventEnd &event) { return event.id == id; });
        if (found == events.cend()) {
            m_http->beginStream(200, replayHeaders(response));
            m_http->writeChunk(SseFormat::errorEvent(
                m_settings.lastEventId, QStringLiteral("unknown_stream"),
                QStringLiteral("the recording has no event with the id '%1'").arg(id.left(120)),
                false, false));
            m_http->endStream();
            finish();
            return;
        }
        from = found->offset;
    }
    plan(from, events);
    m_http->beginStream(200, replayHeaders(response));
    m_startedAt = m_schedule.now();
    writeDue();
}

void ReplayStream::plan(qsizetype from, const QList<EventEnd> &events)
{
    const capture::CapturedResponse &response = m_recording.response;
    const FaultInjection &faults = m_settings.faults;
    // Where the faults cut or pause, as body offsets.
    qsizetype cutAt = -1;
    if (faults.closeAfterBytes >= 0)
        cutAt = from + qsizetype(faults.closeAfterBytes);
    qsizetype stallAt = -1;
    int seen = 0;
    for (const EventEnd &event : events) {
        if (event.offset <= from)
            continue;
        ++seen;
        if (faults.closeAfterEvents >= 0 && seen == faults.closeAfterEvents &&
            (cutAt < 0 || event.offset < cutAt))
            cutAt = event.offset;
        if (faults.stallMs > 0 && seen == faults.stallAfterEvents && stallAt < 0)
            stallAt = event.offset;
    }
    if (faults.closeAfterEvents == 0)
        cutAt = from;
    if (faults.stallMs > 0 && faults.stallAfterEvents == 0)
        stallAt = from;

    qint64 origin = -1;
    qsizetype offset = 0;
    qint64 stallDelay = 0;
    for (const capture::CapturedChunk &chunk : response.chunks) {
        qsizetype begin = offset;
        qsizetype end = offset + chunk.bytes.size();
        offset = end;
        if (end <= from)
            continue;
        begin = std::max(begin, from);
        if (origin < 0) // a fresh replay keeps the wait for the first byte; a resume goes on
            origin = from == 0 ? std::max<qint64>(0, response.headAtMs) : chunk.atMs;
        const qint64 recorded = chunk.atMs - origin;
        const auto scaled = [this](qint64 ms) {
            return m_settings.speed <= 0 ? qint64(0) : qint64(double(ms) / m_settings.speed);
        };
        // The chunk's part before and after a stall point go out as separate pieces.
        QList<QPair<qsizetype, qsizetype>> parts;
        if (stallAt > begin && stallAt < end) {
            parts = {{begin, stallAt}, {stallAt, end}};
        } else {
            parts = {{begin, end}};
        }
        for (const auto &[partBegin, partEnd] : parts) {
            if (partBegin == stallAt && stallDelay == 0)
                stallDelay = faults.stallMs;
            qsizetype last = partEnd;
            bool cut = false;
            if (cutAt >= 0 && last >= cutAt) {
                last = cutAt;
                cut = true;
            }
            if (last > partBegin) {
                const QByteArray bytes =
                    chunk.bytes.sliced(partBegin - (offset - chunk.bytes.size()), last - partBegin);
                const qint64 due = scaled(recorded) + stallDelay;
                if (faults.splitWrites) {
                    qint64 gap = 0;
                    for (const QByteArray &piece : SseFormat::splitAwkwardly(bytes)) {
                        m_pieces.append({due + gap, piece});
                        gap += kPieceGapMs;
                    }
                } else {
                    m_pieces.append({due, bytes});
                }
            }
            if (cut) {
                m_cutAtEnd = true;
                return;
            }
            if (stallAt == partEnd && stallDelay == 0)
                stallDelay = faults.stallMs;
        }
    }
    // As recorded: a response that broke off is broken off again.
    m_cutAtEnd = !response.networkError.isEmpty() || response.stoppedByUs;
}

void ReplayStream::writeDue()
{
    if (m_closed)
        return;
    if (!m_http->isConnected()) {
        finish();
        return;
    }
    const qint64 elapsed = m_schedule.now() - m_startedAt;
    while (m_next < m_pieces.size() && m_pieces[m_next].dueMs <= elapsed)
        m_http->writeChunk(m_pieces[m_next++].bytes);
    if (m_next < m_pieces.size()) {
        m_schedule.wakeAt(m_key, m_startedAt + m_pieces[m_next].dueMs);
        return;
    }
    if (m_cutAtEnd)
        m_http->closeConnection();
    else
        m_http->endStream();
    finish();
}

void ReplayStream::finish()
{
    if (m_closed)
        return;
    m_closed = true;
    m_schedule.cancel(m_key);
    if (QTcpSocket *socket = m_http->socket())
        disconnect(socket, nullptr, this, nullptr);
    Q_EMIT closed();
}

} // namespace qalam::server
