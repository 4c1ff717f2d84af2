#include "FaultProxy.h"

#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

#include <algorithm>
#include <utility>

namespace qalam::test {

// One proxied connection: the client's socket, the upstream socket and the response bytes that
// have arrived from upstream but are not delivered yet.
class FaultProxy::Link : public QObject
{
public:
    Link(FaultProxy &proxy, QTcpSocket *client) : QObject(&proxy), m_proxy(proxy), m_client(client)
    {
        m_client->setParent(this);
        // Each piece its own TCP segment: otherwise Nagle would glue the pieces back together.
        m_client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_pieceTimer.setSingleShot(true);
        connect(&m_pieceTimer, &QTimer::timeout, this, &Link::pump);
        connect(m_client, &QTcpSocket::readyRead, this, &Link::onClientData);
        connect(m_client, &QTcpSocket::disconnected, this, &Link::close);
        connect(&m_upstream, &QTcpSocket::connected, this,
                [this] { m_upstream.write(std::exchange(m_toServer, {})); });
        connect(&m_upstream, &QTcpSocket::readyRead, this, [this] {
            m_pending += m_upstream.readAll();
            pump();
        });
        connect(&m_upstream, &QTcpSocket::disconnected, this, &Link::onUpstreamGone);
        connect(&m_upstream, &QTcpSocket::errorOccurred, this, [this] {
            if (m_upstream.state() != QAbstractSocket::ConnectedState)
                onUpstreamGone();
        });
        m_upstream.connectToHost(proxy.m_upstreamAddress, proxy.m_upstreamPort);
        onClientData(); // bytes that came with the connection
    }

    ~Link() override
    {
        // The sockets report their own teardown; none of it concerns a link being deleted.
        m_upstream.disconnect(this);
        m_client->disconnect(this);
    }

private:
    void onClientData()
    {
        if (m_closed || !m_client->isOpen())
            return;
        const QByteArray bytes = m_client->readAll();
        if (bytes.isEmpty())
            return;
        // A request after a response began is the next exchange on a kept-alive connection
        // (HTTP/1.1 clients do not pipeline): its response gets a plan of its own and byte
        // offsets count from its own first byte.
        if (m_exchanges == 0 || m_delivered > 0)
            startExchange();
        m_proxy.m_stats.bytesToServer += bytes.size();
        if (m_upstream.state() == QAbstractSocket::ConnectedState)
            m_upstream.write(bytes);
        else
            m_toServer += bytes;
    }

    void startExchange()
    {
        const int number = m_proxy.m_stats.exchanges++;
        // Seeded from the proxy's seed and the exchange's number only.
        const quint32 words[] = {quint32(m_proxy.m_seed), quint32(m_proxy.m_seed >> 32),
                                 quint32(number)};
        m_random = QRandomGenerator(words);
        m_plan = m_proxy.m_planner(number, m_random);
        ++m_exchanges;
        m_delivered = 0;
        m_headDone = false;
        m_headTail.clear();
    }

    void onUpstreamGone()
    {
        if (m_upstreamGone)
            return;
        m_upstreamGone = true;
        if (m_upstream.isOpen())
            m_pending += m_upstream.readAll();
        pump();
    }

    qint64 pieceSize()
    {
        const bool nearCut =
            m_plan.cutAt >= 0 && m_delivered >= m_plan.cutAt - m_plan.singleByteWindow;
        if (m_delivered < m_plan.singleByteHead || nearCut)
            return 1;
        if (m_plan.maxPieceBytes > 0)
            return m_random.bounded(1, m_plan.maxPieceBytes + 1);
        return m_pending.size();
    }

    // Delivers what may go out now; a split response continues from the piece timer.
    void pump()
    {
        if (m_closed || m_stalled || m_pieceTimer.isActive())
            return;
        while (true) {
            if (m_plan.cutAt >= 0 && m_delivered >= m_plan.cutAt)
                return cut();
            if (m_plan.stallAt >= 0 && m_delivered >= m_plan.stallAt) {
                // Silent from now on, with the socket open: only the client's stall timeout can
                // tell this from a slow answer.
                m_stalled = true;
                ++m_proxy.m_stats.stalls;
                return;
            }
            if (m_pending.isEmpty())
                break;
            qint64 size = std::min(pieceSize(), m_pending.size());
            if (m_plan.cutAt >= 0)
                size = std::min(size, m_plan.cutAt - m_delivered);
            if (m_plan.stallAt >= 0)
                size = std::min(size, m_plan.stallAt - m_delivered);
            const bool whole = size == m_pending.size() && m_plan.maxPieceBytes == 0 &&
                               m_delivered >= m_plan.singleByteHead;
            const QByteArray piece = m_pending.first(size);
            m_pending.remove(0, size);
            deliver(piece);
            if (whole)
                continue;
            // One piece per pass of the event loop (or later), flushed on its own, so the client
            // reads it separately.
            m_client->flush();
            int delay = 0;
            if (m_plan.maxDelayMs > 0 && m_random.generateDouble() < m_plan.delayChance) {
                delay = m_random.bounded(1, m_plan.maxDelayMs + 1);
                ++m_proxy.m_stats.delays;
            }
            m_pieceTimer.start(delay);
            return;
        }
        if (m_upstreamGone)
            finish(false);
    }

    void deliver(const QByteArray &piece)
    {
        for (const char byte : piece) {
            if (!m_headDone) {
                m_headTail = (m_headTail + byte).right(4);
                m_headDone = m_headTail == "\r\n\r\n";
            }
        }
        m_lastByte = piece.back();
        m_delivered += piece.size();
        m_proxy.m_stats.bytesToClient += piece.size();
        ++m_proxy.m_stats.pieces;
        if (m_proxy.m_recording)
            m_record += piece;
        m_client->write(piece);
    }

    void cut()
    {
        FaultProxy::Stats &stats = m_proxy.m_stats;
        ++stats.cuts;
        if (!m_pending.isEmpty()) {
            const auto next = quint8(m_pending.front());
            if ((next & 0xC0) == 0x80)
                ++stats.cutsInsideUtf8;
            if (m_lastByte == '\r' && next == '\n')
                ++stats.cutsInsideCrlf;
        }
        if (!m_headDone)
            ++stats.cutsInsideHead;
        if (m_plan.reset)
            ++stats.resets;
        finish(m_plan.reset);
    }

    // Ends the client side: an orderly close after the delivered bytes, or a reset that may even
    // throw away delivered bytes the client has not read yet (as a real RST does).
    void finish(bool reset)
    {
        m_closed = true;
        m_pieceTimer.stop();
        m_upstream.abort();
        if (reset) {
            const linger hard{1, 0};
            ::setsockopt(int(m_client->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard,
                         sizeof hard);
            m_client->abort();
        } else {
            m_client->disconnectFromHost();
        }
        if (m_client->state() == QAbstractSocket::UnconnectedState)
            close();
    }

    void close()
    {
        m_closed = true;
        m_pieceTimer.stop();
        m_upstream.abort();
        if (m_proxy.m_links.remove(this)) {
            if (m_proxy.m_recording)
                m_proxy.m_recorded.append(std::exchange(m_record, {}));
            deleteLater();
        }
    }

    FaultProxy &m_proxy;
    QTcpSocket *m_client;
    QTcpSocket m_upstream;
    Plan m_plan;
    QRandomGenerator m_random;
    QTimer m_pieceTimer;
    QByteArray m_toServer;
    QByteArray m_pending;
    QByteArray m_headTail;
    QByteArray m_record;
    qint64 m_delivered = 0; // response bytes of the current exchange delivered
    int m_exchanges = 0;
    char m_lastByte = 0;
    bool m_headDone = false;
    bool m_stalled = false;
    bool m_upstreamGone = false;
    bool m_closed = false;
};

FaultProxy::FaultProxy(QHostAddress upstreamAddress, quint16 upstreamPort, quint64 seed,
                       QObject *parent)
    : QObject(parent), m_upstreamAddress(std::move(upstreamAddress)), m_upstreamPort(upstreamPort),
      m_seed(seed)
{
    setProfile({});
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
}

FaultProxy::~FaultProxy()
{
    // The links are children; their sockets must go before the server's.
    qDeleteAll(std::exchange(m_links, {}));
}

bool FaultProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void FaultProxy::setProfile(const Profile &profile)
{
    m_planner = [profile](int, QRandomGenerator &random) {
        const auto chance = [&random](double p) { return random.generateDouble() < p; };
        Plan plan;
        if (chance(profile.cutChance) && profile.maxCutOffset > 0) {
            plan.cutAt = random.bounded(profile.maxCutOffset);
            plan.singleByteWindow = profile.singleByteWindow;
            plan.reset = chance(profile.resetChance);
        } else if (chance(profile.stallChance) && profile.maxStallOffset > 0) {
            plan.stallAt = random.bounded(profile.maxStallOffset);
        }
        const double split = random.generateDouble();
        if (split < profile.oneByteChance)
            plan.maxPieceBytes = 1;
        else if (split < profile.oneByteChance + profile.splitChance)
            plan.maxPieceBytes = std::max(1, profile.maxPieceBytes);
        if (plan.maxPieceBytes > 0) {
            plan.singleByteHead = profile.singleByteHead;
            plan.delayChance = profile.delayChance;
            plan.maxDelayMs = profile.maxDelayMs;
        }
        return plan;
    };
}

void FaultProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        ++m_stats.connections;
        m_links.insert(new Link(*this, client));
    }
}

} // namespace qalam::test
