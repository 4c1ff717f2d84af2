// StreamCapture: sends one request and keeps its response exactly as it arrives (status, head,
// each read's bytes and time) for the stream doctor. Unlike SseConsumer it judges nothing,
// follows no redirect and never reconnects: the doctor wants to see what the server does.
#pragma once

#include "capture/CapturedResponse.h"
#include "sse/SseParser.h"
#include "sse/SseRequest.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace qalam::capture {

class StreamCapture : public QObject, private SseParser::Handler
{
    Q_OBJECT

public:
    struct Options
    {
        int stopAfterEvents = -1;           // cut the connection after this many events
        qint64 maxBytes = 16 * 1024 * 1024; // then stop, marked truncated
        qint64 timeLimitMs = 120000;        // then stop (a stream is watched this long at most)
        // Ask for the body uncompressed (`Accept-Encoding: identity`), so the bytes kept are
        // the bytes sent; otherwise Qt asks for gzip and keeps them decompressed.
        bool identityEncoding = false;
    };

    explicit StreamCapture(QNetworkAccessManager &network, QObject *parent = nullptr);
    ~StreamCapture() override;

    void start(const SseRequest &request, const Options &options);
    // What has arrived so far.
    const CapturedResponse &response() const { return m_response; }

Q_SIGNALS:
    void headReceived(); // response() has the status and headers
    void chunkArrived(const qalam::capture::CapturedChunk &chunk);
    void finished(const qalam::capture::CapturedResponse &response);

private:
    void onEvent(const SseEvent &event) override;
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void stop();
    void conclude();

    QNetworkAccessManager &m_network;
    QPointer<QNetworkReply> m_reply;
    Options m_options;
    SseParser m_parser;
    int m_events = 0;
    bool m_concluded = false;
    CapturedResponse m_response;
    QElapsedTimer m_clock;
    QTimer m_timeLimit;
};

} // namespace qalam::capture
