#include "server/DemoStream.h"

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

DemoStream::DemoStream(Settings settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings))
{
    // Above 1000 tokens/s a timer cannot tick once per token: it ticks every millisecond and
    // each tick sends the deltas that are due (see tick()).
    m_intervalMs = std::max(1, int(std::lround(1000.0 / rate())));
    m_pacer.setTimerType(Qt::PreciseTimer);
    connect(&m_pacer, &QTimer::timeout, this, &DemoStream::tick);
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, &DemoStream::expired);
}

DemoStream::~DemoStream() = default;

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
        if (afterIndex < 0) {
            append(QByteArrayLiteral("hello"),
                   compact({{QStringLiteral("stream_id"), m_settings.id},
                            {QStringLiteral("model"), m_settings.model},
                            {QStringLiteral("created"), m_created}}));
        }
        if (afterIndex < 1) {
            const bool arabic = m_settings.language == QLatin1String("ar");
            append(
                QByteArrayLiteral("progress"),
                compact({{QStringLiteral("stage"), QStringLiteral("generating")},
                         {QStringLiteral("message"), arabic ? QStringLiteral("جارٍ كتابة الإجابة")
                                                            : QStringLiteral("Writing the answer")},
                         {QStringLiteral("percent"), 0}}));
        }
        // Event 1 + k is the delta with seq k.
        m_nextPiece = int(std::clamp<qint64>(afterIndex - 1, 0, deltaCount()));
    } else {
        // OpenAI servers open with the role and empty content.
        append(QByteArray(),
               compact(openAiChunk({{QStringLiteral("role"), QStringLiteral("assistant")},
                                    {QStringLiteral("content"), QString()}},
                                   QJsonValue::Null)));
    }
    schedule();
}

void DemoStream::schedule()
{
    if (m_finished || m_held || !m_started) {
        m_pacer.stop();
        return;
    }
    if (m_pacer.isActive())
        return;
    m_pacedDeltas = 0;
    m_paceClock.start(); // after a pause, the rate counts from now: no burst of missed deltas
    m_pacer.start(m_firstTokenDue ? std::max(0, m_settings.firstTokenMs) : m_intervalMs);
}

double DemoStream::rate() const
{
    return std::max(0.01, m_settings.tokensPerSecond);
}

void DemoStream::tick()
{
    if (m_firstTokenDue) {
        m_firstTokenDue = false;
        m_pacer.setInterval(m_intervalMs);
        m_pacedDeltas = 0;
        m_paceClock.start();
    }
    // The deltas due by now, at least one: a tick that comes late (a busy machine, thousands of
    // streams) catches up, so the stream keeps its rate on average. The catch-up is capped at a
    // second's worth, so a long stall of the whole process does not end in a flood.
    const qint64 due = qint64(double(m_paceClock.elapsed()) * rate() / 1000.0) + 1 - m_pacedDeltas;
    const qint64 count = std::clamp<qint64>(due, 1, std::max<qint64>(1, qint64(rate())));
    m_pacedDeltas += count;
    // A reader that cannot take more holds the stream at once, not after the burst.
    for (qint64 i = 0; i < count && !m_finished && !m_held; ++i) {
        if (m_nextPiece < deltaCount())
            appendDelta();
        else
            appendEnd();
    }
    if (m_nextPiece >= deltaCount() && !m_finished)
        appendEnd(); // no need to wait a whole tick for the terminal event
    if (m_finished)
        m_pacer.stop();
}

void DemoStream::appendDelta()
{
    const qsizetype start = m_nextPiece == 0 ? 0 : m_settings.pieceEnds[m_nextPiece - 1];
    const qsizetype end = m_settings.pieceEnds[m_nextPiece];
    const QString text = m_settings.answer.sliced(start, end - start);
    ++m_nextPiece;
    if (m_settings.protocol == Protocol::Admin) {
        append(QByteArrayLiteral("delta"),
               compact({{QStringLiteral("seq"), m_nextPiece}, {QStringLiteral("text"), text}}));
    } else {
        append(QByteArray(),
               compact(openAiChunk({{QStringLiteral("content"), text}}, QJsonValue::Null)));
    }
}

void DemoStream::appendEnd()
{
    const int completion = deltaCount();
    const QJsonObject usage{{QStringLiteral("prompt_tokens"), m_settings.promptTokens},
                            {QStringLiteral("completion_tokens"), completion},
                            {QStringLiteral("total_tokens"), m_settings.promptTokens + completion}};
    m_finished = true; // before appending: readers woken by the last event see a finished stream
    if (m_settings.protocol == Protocol::Admin) {
        append(QByteArrayLiteral("done"),
               compact({{QStringLiteral("finish_reason"), QStringLiteral("stop")},
                        {QStringLiteral("deltas"), completion},
                        {QStringLiteral("usage"), usage}}));
        return;
    }
    // OpenAI: the finish reason, the usage chunk (empty choices) when asked for, then [DONE],
    // appended with signals blocked so a reader never sees a finished stream whose terminator is
    // still missing.
    {
        const QSignalBlocker blocker(this);
        append(QByteArray(), compact(openAiChunk({}, QStringLiteral("stop"))));
        if (m_settings.includeUsage) {
            QJsonObject chunk = openAiChunk({}, QJsonValue::Null);
            chunk.insert(QStringLiteral("choices"), QJsonArray());
            chunk.insert(QStringLiteral("usage"), usage);
            append(QByteArray(), compact(chunk));
        }
        append(QByteArray(), QByteArrayLiteral("[DONE]"));
    }
    Q_EMIT eventAppended();
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

void DemoStream::append(QByteArray type, QByteArray data)
{
    m_bufferedBytes += data.size() + type.size();
    m_events.push_back({std::move(type), std::move(data)});
    // The replay buffer is bounded: the oldest events go first. A client that comes back for
    // one of them gets an unknown_stream error instead of a hole in its answer.
    while (m_events.size() > 1 && (qint64(m_events.size()) > m_settings.replayMaxEvents ||
                                   m_bufferedBytes > m_settings.replayMaxBytes)) {
        m_bufferedBytes -= m_events.front().data.size() + m_events.front().type.size();
        m_events.pop_front();
        ++m_firstIndex;
    }
    Q_EMIT eventAppended();
}

void DemoStream::setAttached(bool attached)
{
    m_attached = attached;
    if (attached)
        m_expiry.stop();
    else
        m_expiry.start(std::max(0, m_settings.resumeWindowMs));
}

void DemoStream::setHeld(bool held)
{
    if (m_held == held)
        return;
    m_held = held;
    schedule();
}

} // namespace qalam::server
