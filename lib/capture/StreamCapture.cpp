#include "capture/StreamCapture.h"

#include "sse/OneShotUploadDevice.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace qalam::capture {

StreamCapture::StreamCapture(QNetworkAccessManager &network, QObject *parent)
    : QObject(parent), m_network(network), m_parser(*this)
{
    m_timeLimit.setSingleShot(true);
    connect(&m_timeLimit, &QTimer::timeout, this, &StreamCapture::stop);
}

StreamCapture::~StreamCapture()
{
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void StreamCapture::start(const SseRequest &request, const Options &options)
{
    m_options = options;
    m_response = CapturedResponse();
    m_parser.reset();
    m_events = 0;
    m_concluded = false;

    QNetworkRequest http(request.url);
    http.setRawHeader("Accept", "text/event-stream");
    http.setRawHeader("Cache-Control", "no-cache");
    if (options.identityEncoding)
        http.setRawHeader("Accept-Encoding", "identity");
    for (const auto &[name, value] : request.headers)
        http.setRawHeader(name, value);
    if (!request.lastEventId.isEmpty())
        http.setRawHeader("Last-Event-ID", request.lastEventId.toUtf8());
    // A redirect is reported, not followed: the doctor says where the endpoint really is.
    http.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                      QNetworkRequest::ManualRedirectPolicy);
    // One request on the wire, as SseConsumer does it (a body Qt cannot resend).
    http.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    http.setHeader(QNetworkRequest::ContentLengthHeader, qint64(request.body.size()));
    http.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    http.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);

    m_clock.start();
    auto *body = new OneShotUploadDevice(request.method == "GET" ? QByteArray() : request.body);
    m_reply = m_network.sendCustomRequest(http, request.method, body);
    body->setParent(m_reply);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &StreamCapture::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &StreamCapture::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &StreamCapture::onFinished);
    m_timeLimit.start(int(std::min<qint64>(m_options.timeLimitMs, 24 * 3600 * 1000)));
}

void StreamCapture::onEvent(const SseEvent &)
{
    ++m_events;
    if (m_options.stopAfterEvents >= 0 && m_events >= m_options.stopAfterEvents)
        m_parser.halt();
}

void StreamCapture::onMetaData()
{
    if (!m_reply || m_response.headAtMs >= 0)
        return;
    m_response.headAtMs = m_clock.elapsed();
    m_response.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_response.reason =
        m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    m_response.headers = m_reply->rawHeaderPairs();
    Q_EMIT headReceived();
}

void StreamCapture::onReadyRead()
{
    if (!m_reply || m_concluded)
        return;
    if (m_response.headAtMs < 0)
        onMetaData();
    const qint64 room = m_options.maxBytes - m_response.bodySize();
    QByteArray bytes = m_reply->read(std::max<qint64>(0, room));
    if (bytes.isEmpty() && room <= 0) {
        m_response.truncated = true;
        stop();
        return;
    }
    if (bytes.isEmpty())
        return;
    if (m_options.stopAfterEvents >= 0) {
        // Keep exactly the bytes up to the event that completes the count: what a client that
        // stopped reading there would have seen.
        const qsizetype before = bytes.size();
        for (qsizetype i = 0; i < before && m_events < m_options.stopAfterEvents; ++i) {
            m_parser.feed(QByteArrayView(bytes).sliced(i, 1));
            if (m_events >= m_options.stopAfterEvents)
                bytes.truncate(i + 1);
        }
    }
    m_response.chunks.append({m_clock.elapsed(), std::move(bytes)});
    Q_EMIT chunkArrived(m_response.chunks.last());
    if (m_options.stopAfterEvents >= 0 && m_events >= m_options.stopAfterEvents)
        stop();
}

void StreamCapture::onFinished()
{
    if (!m_reply || m_concluded)
        return;
    onReadyRead();
    if (m_concluded)
        return;
    if (m_response.headAtMs < 0)
        onMetaData();
    if (m_reply->error() != QNetworkReply::NoError &&
        m_reply->error() != QNetworkReply::OperationCanceledError)
        m_response.networkError = m_reply->errorString();
    conclude();
}

void StreamCapture::stop()
{
    if (m_concluded)
        return;
    m_response.stoppedByUs = true;
    if (m_reply) {
        if (m_response.headAtMs < 0 &&
            m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid())
            onMetaData();
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
    }
    conclude();
}

void StreamCapture::conclude()
{
    if (m_concluded)
        return;
    m_concluded = true;
    m_timeLimit.stop();
    m_response.endedAtMs = m_clock.elapsed();
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    Q_EMIT finished(m_response);
}

} // namespace qalam::capture
