#include "server/DemoStream.h"

#include "server/SseFormat.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace qalam::server {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

DemoStream::DemoStream(Settings settings, ScheduleTimer &schedule, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_schedule(schedule),
      m_pacer(schedule.add([this] { tick(); })),
      m_expiry(schedule.add([this] { Q_EMIT expired(); }))
{}

DemoStream::~DemoStream()
{
    m_schedule.remove(m_pacer);
    m_schedule.remove(m_expiry);
}

void DemoStream::start(qint64 afterIndex)
{
    if (m_started)
        return;
    m_started = true;
    m_created = QDateTime::currentSecsSinceEpoch();
    if (m_settings.protocol == Protocol::Admin) {
        Q_ASSERT(afterIndex < terminalIndex());
        // A regenerated stream starts at afterIndex + 1; the events before it are not made.
        m_firstIndex = std::max<qint64>(0, afterIndex + 1);
        while (nextIndex() <= 1)
            append(nextIndex()); // hello and progress
        // Event 1 + k is the delta with seq k.
        m_nextPiece = int(std::clamp<qint64>(nextIndex() - 2, 0, deltaCount()));
    } else {
        append(0); // OpenAI servers open with the role and empty content
    }
    schedule();
}

void DemoStream::schedule()
{
    if (m_finished || m_held || !m_started) {
        m_schedule.cancel(m_pacer);
        return;
    }
    if (m_schedule.isScheduled(m_pacer))
        return;
    m_pacedDeltas = 0;
    m_paceStartMs = m_schedule.now(); // after a pause, the rate counts from now: no burst
    m_schedule.wakeIn(m_pacer, m_firstTokenDue ? std::max(0, m_settings.firstTokenMs) : 0);
}

double DemoStream::rate() const
{
    return std::max(0.01, m_settings.tokensPerSecond);
}

void DemoStream::tick()
{
    const qint64 now = m_schedule.now();
    if (m_firstTokenDue) {
        m_firstTokenDue = false;
        m_pacedDeltas = 0;
        m_paceStartMs = now;
    }
    // The deltas due by now, at least one: a wake-up that comes late (a busy machine, thousands
    // of streams) catches up, so the stream keeps its rate on average. The catch-up is capped at
    // a second's worth, so a long stall of the whole process does not end in a flood.
    const qint64 due = qint64(double(now - m_paceStartMs) * rate() / 1000.0) + 1 - m_pacedDeltas;
    const qint64 count = std::clamp<qint64>(due, 1, std::max<qint64>(1, qint64(rate())));
    m_pacedDeltas += count;
    // A reader that cannot take more holds the stream at once, not after the burst.
    for (qint64 i = 0; i < count && !m_finished && !m_held; ++i) {
        if (m_nextPiece < deltaCount()) {
            ++m_nextPiece;
            append(nextIndex());
        } else {
            appendEnd();
        }
    }
    if (m_nextPiece >= deltaCount() && !m_finished && !m_held)
        appendEnd(); // no need to wait a whole interval for the terminal event
    if (m_finished || m_held)
        return;
    // The next delta is due when the rate says, counted from the start of pacing, so the
    // schedule does not drift; never sooner than the next millisecond.
    const qint64 next = m_paceStartMs + qint64(std::ceil(double(m_pacedDeltas) * 1000.0 / rate()));
    m_schedule.wakeAt(m_pacer, std::max(next, now + 1));
}

qint64 DemoStream::lastIndex() const
{
    if (m_settings.protocol == Protocol::Admin)
        return terminalIndex();
    return openAiFinishIndex() + (m_settings.includeUsage ? 2 : 1);
}

void DemoStream::appendEnd()
{
    m_finished = true; // before appending: readers woken by the last event see a finished stream
    // OpenAI's finish chunk, usage chunk and [DONE] go in with signals blocked, so a reader
    // never sees a finished stream whose terminator is still missing.
    {
        const QSignalBlocker blocker(this);
        while (nextIndex() < lastIndex())
            append(nextIndex());
    }
    append(lastIndex());
}

StreamEvent DemoStream::eventAt(qint64 index) const
{
    if (index != m_cachedIndex) {
        m_cached = build(index);
        m_cachedIndex = index;
    }
    return m_cached;
}

StreamEvent DemoStream::buildDelta(int piece) const
{
    const qsizetype start = piece == 0 ? 0 : m_settings.pieceEnds[piece - 1];
    const qsizetype end = m_settings.pieceEnds[piece];
    const QStringView text = QStringView(m_settings.answer).sliced(start, end - start);
    if (m_settings.protocol == Protocol::OpenAi)
        return {QByteArray(), compact(openAiChunk({{QStringLiteral("content"), text.toString()}},
                                                  QJsonValue::Null))};
    QByteArray data;
    data.reserve(24 + text.size() * 3);
    data += "{\"seq\":";
    data += QByteArray::number(piece + 1);
    data += ",\"text\":";
    data += SseFormat::jsonString(text);
    data += '}';
    return {QByteArrayLiteral("delta"), data};
}

StreamEvent DemoStream::build(qint64 index) const
{
    const int completion = deltaCount();
    const auto usage = [this, completion] {
        return QJsonObject{{QStringLiteral("prompt_tokens"), m_settings.promptTokens},
                           {QStringLiteral("completion_tokens"), completion},
                           {QStringLiteral("total_tokens"), m_settings.promptTokens + completion}};
    };
    if (m_settings.protocol == Protocol::Admin) {
        if (index == 0)
            return {QByteArrayLiteral("hello"),
                    compact({{QStringLiteral("stream_id"), m_settings.id},
                             {QStringLiteral("model"), m_settings.model},
                             {QStringLiteral("created"), m_created}})};
        if (index == 1) {
            const bool arabic = m_settings.language == QLatin1String("ar");
            return {
                QByteArrayLiteral("progress"),
                compact({{QStringLiteral("stage"), QStringLiteral("generating")},
                         {QStringLiteral("message"), arabic ? QStringLiteral("جارٍ كتابة الإجابة")
                                                            : QStringLiteral("Writing the answer")},
                         {QStringLiteral("percent"), 0}})};
        }
        if (index < terminalIndex())
            return buildDelta(int(index - 2));
        return {QByteArrayLiteral("done"),
                compact({{QStringLiteral("finish_reason"), QStringLiteral("stop")},
                         {QStringLiteral("deltas"), completion},
                         {QStringLiteral("usage"), usage()}})};
    }
    if (index == 0)
        return {QByteArray(),
                compact(openAiChunk({{QStringLiteral("role"), QStringLiteral("assistant")},
                                     {QStringLiteral("content"), QString()}},
                                    QJsonValue::Null))};
    if (index < openAiFinishIndex())
        return buildDelta(int(index - 1));
    if (index == openAiFinishIndex())
        return {QByteArray(), compact(openAiChunk({}, QStringLiteral("stop")))};
    if (index == openAiFinishIndex() + 1 && m_settings.includeUsage) {
        QJsonObject chunk = openAiChunk({}, QJsonValue::Null);
        chunk.insert(QStringLiteral("choices"), QJsonArray());
        chunk.insert(QStringLiteral("usage"), usage());
        return {QByteArray(), compact(chunk)};
    }
    return {QByteArray(), QByteArrayLiteral("[DONE]")};
}

QJsonObject DemoStream::openAiChunk(const QJsonObject &delta, const QJsonValue &finishReason) const
{
    const QJsonObject choice{{QStringLiteral("index"), 0},
                             {QStringLiteral("delta"), delta},
                             {QStringLiteral("finish_reason"), finishReason}};
    return QJsonObject({{QStringLiteral("id"), m_settings.id},
                        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                        {QStringLiteral("created"), m_created},
                        {QStringLiteral("model"), m_settings.model},
                        {QStringLiteral("choices"), QJsonArray{choice}}});
}

void DemoStream::append(qint64 index)
{
    Q_ASSERT(index == nextIndex());
    m_cached = build(index);
    m_cachedIndex = index;
    const auto size = quint32(m_cached.data.size() + m_cached.type.size());
    m_bufferedBytes += size;
    m_eventBytes.push_back(size);
    // The replay window is bounded: the oldest events go first. A client that comes back for
    // one of them gets an unknown_stream error instead of a hole in its answer.
    while (m_eventBytes.size() > 1 && (qint64(m_eventBytes.size()) > m_settings.replayMaxEvents ||
                                       m_bufferedBytes > m_settings.replayMaxBytes)) {
        m_bufferedBytes -= m_eventBytes.front();
        m_eventBytes.pop_front();
        ++m_firstIndex;
    }
    Q_EMIT eventAppended();
}

void DemoStream::setAttached(bool attached)
{
    m_attached = attached;
    if (attached)
        m_schedule.cancel(m_expiry);
    else
        m_schedule.wakeIn(m_expiry, std::max(0, m_settings.resumeWindowMs));
}

void DemoStream::setHeld(bool held)
{
    if (m_held == held)
        return;
    m_held = held;
    schedule();
}

} // namespace qalam::server
