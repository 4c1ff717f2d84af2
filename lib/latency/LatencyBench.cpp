#include "latency/LatencyBench.h"

#include <QTimer>

#include <algorithm>

namespace qalam::latency {

struct LatencyBench::Active
{
    LatencyRun run;
    std::unique_ptr<ChatStream> stream;
    QElapsedTimer clock;
    qint64 lastTextAtMs = -1;
    QTimer limit;
    bool timedOut = false;
};

LatencyBench::LatencyBench(QNetworkAccessManager &network, QObject *parent)
    : QObject(parent), m_network(network)
{}

LatencyBench::~LatencyBench()
{
    cancel();
}

void LatencyBench::start(const Options &options)
{
    cancel();
    m_options = options;
    if (m_options.prompts.isEmpty())
        m_options.prompts << QStringLiteral("Hello");
    m_options.runs = std::max(1, m_options.runs);
    m_options.concurrency = std::clamp(m_options.concurrency, 1, m_options.runs);
    m_runs.clear();
    m_started = 0;
    for (int i = 0; i < m_options.concurrency; ++i)
        startNext();
}

void LatencyBench::cancel()
{
    for (const auto &active : m_active) {
        disconnect(active->stream.get(), nullptr, this, nullptr);
        active->stream->cancel();
    }
    m_active.clear();
}

void LatencyBench::startNext()
{
    if (m_started >= m_options.runs)
        return;
    auto active = std::make_unique<Active>();
    Active *raw = active.get();
    raw->run.index = ++m_started;
    raw->run.prompt = m_options.prompts.at((raw->run.index - 1) % m_options.prompts.size());
    raw->stream = std::make_unique<ChatStream>(m_options.protocol, &m_network);
    raw->stream->setConsumerOptions(m_options.consumer);
    connect(raw->stream.get(), &ChatStream::textReceived, this, [raw](const QString &) {
        const qint64 now = raw->clock.elapsed();
        if (raw->lastTextAtMs >= 0)
            raw->run.gapsMs.append(now - raw->lastTextAtMs);
        raw->lastTextAtMs = now;
    });
    connect(raw->stream.get(), &ChatStream::finished, this,
            [this, raw](ChatStream::Outcome outcome, const QString &message) {
                conclude(raw, outcome, message);
            });
    raw->limit.setSingleShot(true);
    connect(&raw->limit, &QTimer::timeout, this, [raw] {
        raw->timedOut = true;
        raw->stream->cancel();
    });
    ChatRequest request = m_options.request;
    request.messages.append({ChatMessage::Role::User, raw->run.prompt});
    m_active.push_back(std::move(active));
    raw->clock.start();
    raw->limit.start(int(std::min<qint64>(m_options.runTimeLimitMs, 24 * 3600 * 1000)));
    raw->stream->start(request);
}

void LatencyBench::conclude(Active *active, ChatStream::Outcome outcome, const QString &message)
{
    active->limit.stop();
    LatencyRun run = active->run;
    const ChatMetrics metrics = active->stream->metrics();
    run.timeToFirstByteMs = metrics.timeToFirstByteMs;
    run.timeToFirstTokenMs = metrics.timeToFirstTokenMs;
    run.characters = metrics.characters;
    run.charactersPerSecond = metrics.charactersPerSecond();
    run.totalMs = active->clock.elapsed();
    run.reconnects = metrics.reconnects;
    switch (outcome) {
    case ChatStream::Outcome::Completed:
        run.outcome = QStringLiteral("completed");
        break;
    case ChatStream::Outcome::Interrupted:
        run.outcome = QStringLiteral("interrupted");
        run.error = message;
        break;
    case ChatStream::Outcome::Failed:
    case ChatStream::Outcome::Cancelled:
        run.outcome = QStringLiteral("failed");
        run.error =
            active->timedOut
                ? QStringLiteral("no answer within %1 s").arg(m_options.runTimeLimitMs / 1000)
                : message;
        break;
    }
    m_runs.append(run);
    // The stream is inside its own signal: it goes once the event loop is back.
    const auto found = std::find_if(m_active.begin(), m_active.end(),
                                    [active](const auto &entry) { return entry.get() == active; });
    if (found != m_active.end()) {
        const std::unique_ptr<Active> done = std::move(*found);
        m_active.erase(found);
        disconnect(done->stream.get(), nullptr, this, nullptr);
        done->stream.release()->deleteLater();
    }
    Q_EMIT runFinished(run, int(m_runs.size()), m_options.runs);
    if (m_runs.size() >= m_options.runs) {
        std::sort(m_runs.begin(), m_runs.end(),
                  [](const LatencyRun &a, const LatencyRun &b) { return a.index < b.index; });
        Q_EMIT finished(m_runs);
        return;
    }
    startNext();
}

} // namespace qalam::latency
