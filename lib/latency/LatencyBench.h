// LatencyBench: asks the same backend N questions, C at a time, and measures each answer: time
// to first byte and first token, the gaps between pieces of text, chars/s, total time,
// reconnects, errors. What `qalam-cli bench` (and a latency lab) runs; LatencySummary sums up.
#pragma once

#include "chat/ChatStream.h"
#include "latency/LatencyRun.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

class QNetworkAccessManager;

namespace qalam::latency {

class LatencyBench : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        ChatProtocol::Kind protocol = ChatProtocol::Kind::AdminStream;
        ChatRequest request; // without messages: each run asks one of `prompts`
        QStringList prompts; // used in turn
        int runs = 10;
        int concurrency = 1;
        qint64 runTimeLimitMs = 120000;
        SseConsumer::Options consumer;
    };

    explicit LatencyBench(QNetworkAccessManager &network, QObject *parent = nullptr);
    ~LatencyBench() override;

    void start(const Options &options);
    void cancel();

Q_SIGNALS:
    void runFinished(const qalam::latency::LatencyRun &run, int done, int total);
    void finished(const QList<qalam::latency::LatencyRun> &runs);

private:
    struct Active;
    void startNext();
    void conclude(Active *active, ChatStream::Outcome outcome, const QString &message);

    QNetworkAccessManager &m_network;
    Options m_options;
    std::vector<std::unique_ptr<Active>> m_active;
    QList<LatencyRun> m_runs;
    int m_started = 0;
};

} // namespace qalam::latency
