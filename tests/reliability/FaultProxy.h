// FaultProxy: a TCP proxy on 127.0.0.1 that damages the response direction on purpose.
//
// Each accepted connection is forwarded to the upstream server; the bytes coming back are
// delivered whole, in random small pieces or one byte at a time, sometimes late, and the
// response may be cut after an exact number of bytes (so the cut can fall inside a status
// line, a header, chunk framing, a CRLF or a UTF-8 sequence) or go silent while staying open.
// Each request/response exchange (several on a kept-alive connection) gets its own plan, and the
// plan of exchange n depends only on the seed and n, so a failure reproduces from its seed (as
// far as the order in which concurrent clients send their requests is the same).
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTcpServer>

#include <functional>
#include <utility>

class QTcpSocket;

namespace qalam::test {

class FaultProxy : public QObject
{
    Q_OBJECT

public:
    // What happens to the bytes of one response (offsets count from its first byte).
    struct Plan
    {
        qint64 cutAt = -1;   // close after exactly this many response bytes; -1: never
        qint64 stallAt = -1; // stop forwarding after this many bytes, keep the socket open
        // Pieces are 1..maxPieceBytes long (1: byte by byte); 0 forwards what arrives as it is.
        int maxPieceBytes = 0;
        // Bytes in [0, singleByteHead) and in the singleByteWindow bytes before cutAt go out one
        // by one, so the client sees the headers and the bytes around the cut in 1-byte reads.
        qint64 singleByteHead = 0;
        qint64 singleByteWindow = 0;
        double delayChance = 0.0; // chance that a piece waits 1..maxDelayMs before going out
        int maxDelayMs = 0;
        bool reset = false; // cut with an abortive close instead of an orderly FIN
    };

    // How a random plan is drawn (the default planner).
    struct Profile
    {
        double cutChance = 0.0;   // per response
        qint64 maxCutOffset = 0;  // cut offsets are uniform in [0, maxCutOffset)
        double stallChance = 0.0; // per response (only when it is not cut)
        qint64 maxStallOffset = 0;
        double splitChance = 0.0; // per response: random small pieces
        int maxPieceBytes = 64;
        double oneByteChance = 0.0;  // per response: the whole of it byte by byte
        qint64 singleByteHead = 0;   // for every split connection
        qint64 singleByteWindow = 0; // for every cut connection
        double delayChance = 0.0;    // per piece of a split connection
        int maxDelayMs = 0;
        double resetChance = 0.0; // per cut
    };

    struct Stats
    {
        int connections = 0;
        int exchanges = 0; // requests (a kept-alive connection carries several)
        int cuts = 0;      // connections cut as planned (the offset was reached)
        int stalls = 0;    // connections that went silent as planned
        int resets = 0;    // cuts made with an abortive close
        // Where the cuts fell: the first byte not delivered continued a UTF-8 sequence, was the
        // LF of a CRLF, or the head of the response (status line, headers) was not yet complete.
        int cutsInsideUtf8 = 0;
        int cutsInsideCrlf = 0;
        int cutsInsideHead = 0;
        qint64 bytesToClient = 0;
        qint64 bytesToServer = 0;
        qint64 pieces = 0; // separate writes to clients
        qint64 delays = 0; // pieces held back
    };

    using Planner = std::function<Plan(int exchange, QRandomGenerator &random)>;

    FaultProxy(QHostAddress upstreamAddress, quint16 upstreamPort, quint64 seed,
               QObject *parent = nullptr);
    ~FaultProxy() override;

    bool listen();
    quint16 port() const { return m_server.serverPort(); }

    void setProfile(const Profile &profile);
    // Replaces the profile: `planner` decides each exchange's plan.
    void setPlanner(Planner planner) { m_planner = std::move(planner); }

    // Keeps the bytes delivered to each client, in the order the connections close (for tests
    // that must know exactly what a client was given before a cut).
    void setRecording(bool on) { m_recording = on; }
    QList<QByteArray> takeRecorded() { return std::exchange(m_recorded, {}); }

    const Stats &stats() const { return m_stats; }
    void resetStats() { m_stats = {}; }
    // Connections still open (client side).
    int openConnections() const { return int(m_links.size()); }

private:
    class Link;
    friend class Link;

    void onNewConnection();

    QTcpServer m_server;
    QHostAddress m_upstreamAddress;
    quint16 m_upstreamPort;
    quint64 m_seed;
    Planner m_planner;
    Stats m_stats;
    QSet<Link *> m_links;
    bool m_recording = false;
    QList<QByteArray> m_recorded;
};

} // namespace qalam::test
