#include "sse/SseConsumer.h"

#include "sse/HttpFields.h"
#include "sse/HttpRedirect.h"
#include "sse/OneShotUploadDevice.h"
#include "sse/TlsErrorText.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>

#include <limits>

namespace qalam {

namespace {

constexpr qsizetype kMaxErrorBody = 16 * 1024;
constexpr qint64 kReadBufferBytes = 1024 * 1024; // network bytes read ahead of the parser

// "3600", "1.5", "0.25": plain decimal seconds ('g' would print 3600 s as "3.6e+03").
QString seconds(qint64 ms)
{
    QString text = QString::number(double(ms) / 1000.0, 'f', 3);
    while (text.endsWith(QLatin1Char('0')))
        text.chop(1);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

} // namespace

SseConsumer::SseConsumer(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent), m_network(network), m_parser(*this)
{
    if (!m_network) {
        m_ownNetwork = std::make_unique<QNetworkAccessManager>();
        m_network = m_ownNetwork.get();
    }
    // Children, so what is still pending shows in findChildren<QTimer *>() (tests check that a
    // finished consumer has nothing left to do: tests/common/NetworkIdle.h).
    m_reconnectTimer.setParent(this);
    m_stallTimer.setParent(this);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &SseConsumer::connectNow);
    connect(&m_stallTimer, &QTimer::timeout, this, &SseConsumer::checkStall);
}

SseConsumer::~SseConsumer()
{
    dropReply();
}

void SseConsumer::start(const SseRequest &request)
{
    dropReply();
    m_reconnectTimer.stop();
    m_request = request;
    m_parser.reset();
    m_parser.halt(); // if called from a slot of ours, stop parsing the old stream's bytes
    m_parser.setLimits(m_options.limits);
    if (!request.lastEventId.isEmpty())
        m_parser.setLastEventId(request.lastEventId);
    ReconnectPolicy::Settings settings;
    settings.maxAttempts = m_options.maxReconnects;
    settings.initialDelayMs = m_options.initialRetryMs;
    settings.minDelayMs = std::max<qint64>(1, m_options.minRetryMs);
    settings.maxDelayMs = m_options.maxRetryMs;
    settings.exponential = !m_options.specStrict;
    settings.jitter = m_options.specStrict ? 0.0 : 0.2;
    m_policy = ReconnectPolicy(settings);
    m_lastRetry = -1;
    m_lastStatus = 0;
    m_metrics = {};
    m_clock.start();
    connectNow();
}

void SseConsumer::cancel()
{
    if (m_state == State::Idle || m_state == State::Closed)
        return;
    dropReply();
    m_reconnectTimer.stop();
    m_parser.endOfStream();
    m_parser.halt();
    finish(FinishReason::Cancelled);
}

SseMetrics SseConsumer::metrics() const
{
    SseMetrics metrics = m_metrics;
    if (m_state != State::Idle && m_state != State::Closed && m_clock.isValid())
        metrics.elapsedMs = m_clock.elapsed();
    return metrics;
}

void SseConsumer::connectNow()
{
    m_state = State::Connecting;
    m_hop = m_request; // each connection starts at the URL asked for, then follows its redirects
    m_redirects = 0;
    m_lastByteAtMs = m_clock.elapsed();
    m_stallTimer.start(int(std::clamp<qint64>(m_options.stallTimeoutMs / 4, 10, 1000)));
    sendHop();
}

void SseConsumer::sendHop()
{
    m_responseChecked = false;
    m_rejecting = false;
    m_errorBody.clear();
    m_sslErrors.clear();
    m_received = Received::Nothing;
    m_receivedAtMs = m_clock.elapsed();

    QNetworkRequest request(m_hop.url);
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-cache");
    for (const auto &[name, value] : std::as_const(m_hop.headers))
        request.setRawHeader(name, value);
    if (const QString id = m_parser.lastEventId(); !id.isEmpty())
        request.setRawHeader("Last-Event-ID", id.toUtf8());
    // Redirects are ours (HttpRedirect): Qt's would copy credentials to any origin, and could
    // not rewind the one-shot body anyway.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    // One request on the wire per request asked for: a body Qt can neither buffer nor rewind
    // (OneShotUploadDevice), with its length given, so Qt's own resends fail with
    // ContentReSendError instead of reaching the server again. A GET goes the same way, as a
    // custom request with an empty body, since a GET without a body is one Qt would resend.
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    request.setHeader(QNetworkRequest::ContentLengthHeader, qint64(m_hop.body.size()));
    // Streams are long-lived; caching one would be wrong and buffering it useless.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);

    auto *body = new OneShotUploadDevice(m_hop.method == "GET" ? QByteArray() : m_hop.body);
    m_reply = m_network->sendCustomRequest(request, m_hop.method, body);
    body->setParent(m_reply); // read until the reply finishes; deleted with it

    // Without a bound, QNetworkAccessManager reads the socket as fast as the server writes and
    // queues everything the (busy) UI thread has not taken yet: a fast server outrunning a slow
    // client filled hundreds of MiB (tests/reliability, fastServerSlowClient). With it, TCP flow
    // control makes the server wait instead.
    m_reply->setReadBufferSize(kReadBufferBytes);
    // Qt 6.4 passes the bound to its HTTP thread only while the request is running, and a request
    // with an upload device starts one event-loop turn later: the bound set above would be lost,
    // so it is set again once the request has started (queued after Qt's own start).
    QMetaObject::invokeMethod(
        m_reply, [reply = m_reply.data()] { reply->setReadBufferSize(kReadBufferBytes); },
        Qt::QueuedConnection);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &SseConsumer::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &SseConsumer::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &SseConsumer::onReplyFinished);
    connect(m_reply, &QNetworkReply::requestSent, this, [this] {
        if (m_received == Received::Nothing) {
            m_received = Received::RequestSent;
            m_receivedAtMs = m_clock.elapsed();
        }
    });
    connect(m_reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        if (m_received == Received::Nothing && total > 0 && sent == total) {
            m_received = Received::RequestSent;
            m_receivedAtMs = m_clock.elapsed();
        }
    });
    connect(m_reply, &QNetworkReply::sslErrors, this,
            [this](const QList<QSslError> &errors) { m_sslErrors.append(errors); });
}

void SseConsumer::onMetaData()
{
    if (!m_reply)
        return;
    if (m_responseChecked) {
        // One request, one response: a second head on the same reply can only be another
        // response spliced into this one (a resend through a buffering proxy); none of its
        // bytes may reach the parser.
        dropReply();
        m_parser.endOfStream();
        connectionLost(tr("the server sent a second response to one request"),
                       m_state == State::Open);
        return;
    }
    m_received = Received::Head;
    m_receivedAtMs = m_clock.elapsed();
    m_lastByteAtMs = m_receivedAtMs;
    if (!headWithinLimits())
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (HttpRedirect::isRedirect(status)) {
        followRedirect(status);
        return;
    }
    acceptResponse();
}

bool SseConsumer::headWithinLimits()
{
    const QList<QNetworkReply::RawHeaderPair> &fields = m_reply->rawHeaderPairs();
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (fields.isEmpty() && status > 0) {
        // Qt 6.4's parser keeps a status but silently drops every field of a head over its own
        // limits (more than 100 fields, a field over 100 KiB, 256 KiB in all) or with a
        // malformed field; a real event stream always has fields (Content-Type at least).
        m_lastStatus = status;
        dropReply();
        m_parser.endOfStream();
        fail(ErrorKind::BadResponse,
             tr("the response head is too large or malformed: its fields could not be read "
                "(HTTP %1)")
                 .arg(status));
        return false;
    }
    // The status line plus "Name: value\r\n" per field. Qt joins repeated fields into one, so
    // the count can be below what was sent; the size cannot.
    qint64 bytes =
        m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray().size() + 15;
    for (const auto &[name, value] : fields)
        bytes += name.size() + value.size() + 4;
    if (bytes <= m_options.maxResponseHeadBytes && fields.size() <= m_options.maxResponseHeadFields)
        return true;
    m_lastStatus = status;
    dropReply();
    m_parser.endOfStream();
    fail(ErrorKind::BadResponse,
         tr("the response head is too large (%1 bytes in %n field(s); at most %2 bytes and %3 "
            "fields are accepted)",
            nullptr, int(fields.size()))
             .arg(bytes)
             .arg(m_options.maxResponseHeadBytes)
             .arg(m_options.maxResponseHeadFields));
    return false;
}

void SseConsumer::followRedirect(int status)
{
    m_lastStatus = status;
    const QByteArray location = m_reply->rawHeader("Location");
    dropReply();
    if (++m_redirects > m_options.maxRedirects) {
        m_parser.endOfStream();
        fail(ErrorKind::Redirect, tr("the redirect could not be followed: more than %n redirect(s) "
                                     "in a row (last: HTTP %1 to %2)",
                                     nullptr, m_options.maxRedirects)
                                      .arg(status)
                                      .arg(QString::fromLatin1(location.left(300))));
        return;
    }
    HttpRedirect::Result next = HttpRedirect::follow(m_hop, status, location);
    if (!next.next) {
        m_parser.endOfStream();
        fail(ErrorKind::Redirect, next.error);
        return;
    }
    m_hop = std::move(*next.next);
    sendHop();
}

void SseConsumer::connectionLost(const QString &reason, bool responseAccepted)
{
    if (m_policy.canRetry()) {
        scheduleReconnect(reason);
        return;
    }
    if (responseAccepted) {
        finish(FinishReason::EndOfStream);
        return;
    }
    fail(ErrorKind::Network,
         m_metrics.reconnects > 0
             ? tr("%1 (gave up after %n reconnection attempt(s))", nullptr, m_metrics.reconnects)
                   .arg(reason)
             : reason);
}

// Decides, once per connection, whether the response is an event stream we may read.
bool SseConsumer::acceptResponse()
{
    m_responseChecked = true;
    m_lastByteAtMs = m_clock.elapsed();
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_lastStatus = status;
    if (status == 204) {
        dropReply();
        finish(FinishReason::ServerClosed);
        return false;
    }
    const QByteArray contentType = m_reply->rawHeader("Content-Type");
    if (status == 200 && HttpFields::isEventStream(contentType)) {
        m_state = State::Open;
        Q_EMIT opened();
        return m_state == State::Open;
    }
    if (status == 0)
        return false; // no HTTP response at all: finished() reports the network error
    m_rejecting = true;
    return false;
}

void SseConsumer::onReadyRead()
{
    if (!m_reply)
        return;
    if (!m_responseChecked && !acceptResponse() && !m_rejecting)
        return;
    const QByteArray bytes = m_reply->readAll();
    m_lastByteAtMs = m_clock.elapsed();
    if (!bytes.isEmpty() && m_received < Received::Bytes) {
        m_received = Received::Bytes;
        m_receivedAtMs = m_lastByteAtMs;
    }
    if (m_rejecting) {
        m_errorBody.append(bytes.first(std::min(bytes.size(), kMaxErrorBody - m_errorBody.size())));
        if (m_errorBody.size() >= kMaxErrorBody)
            rejectResponse();
        return;
    }
    if (bytes.isEmpty())
        return;
    if (m_metrics.timeToFirstByteMs < 0)
        m_metrics.timeToFirstByteMs = m_lastByteAtMs;
    m_metrics.bytes += bytes.size();
    if (!m_parser.feed(bytes) && m_parser.error() != SseParser::Error::None) {
        dropReply();
        fail(ErrorKind::StreamTooLarge, m_parser.errorString());
    }
}

void SseConsumer::onReplyFinished()
{
    if (!m_reply)
        return;
    if (!m_responseChecked &&
        m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid()) {
        if (!acceptResponse() && !m_rejecting)
            return;
    }
    if (m_rejecting) {
        const QByteArray rest = m_reply->readAll();
        m_errorBody.append(rest.first(std::min(rest.size(), kMaxErrorBody - m_errorBody.size())));
        rejectResponse();
        return;
    }
    if (m_state == State::Open && m_reply->bytesAvailable() > 0)
        onReadyRead();
    if (!m_reply)
        return; // the last bytes ended the stream (or a slot cancelled it)

    const QNetworkReply::NetworkError error = m_reply->error();
    QString errorText = m_reply->errorString();
    const bool accepted = m_state == State::Open;
    if (error == QNetworkReply::SslHandshakeFailedError) {
        // A refused certificate stays refused: say every problem once, and do not retry.
        const QString host = m_reply->url().host();
        const QList<QSslError> sslErrors = m_sslErrors;
        dropReply();
        m_parser.endOfStream();
        fail(ErrorKind::Tls,
             sslErrors.isEmpty() ? errorText : TlsErrorText::describe(sslErrors, host));
        return;
    }
    if (const QByteArray encoding = m_reply->rawHeader("Content-Encoding");
        error == QNetworkReply::UnknownContentError && !encoding.isEmpty()) {
        // On an accepted stream this error means the body could not be decompressed; Qt's
        // check against decompression bombs reports it as just "Decompression failed: " (no
        // detail, Qt 6.4), which tells the person nothing, so say what it means.
        QString detail = errorText.trimmed();
        if (detail.endsWith(QLatin1Char(':')))
            detail.chop(1);
        errorText = tr("the server's %1-compressed body could not be decoded, or it expands far "
                       "beyond any real stream (a decompression bomb)")
                        .arg(QString::fromLatin1(encoding)) +
                    QStringLiteral(": ") + detail;
    }
    dropReply();
    m_parser.endOfStream();
    if (error == QNetworkReply::NoError) {
        connectionLost(tr("the server ended the stream"), true);
        return;
    }
    if (error == QNetworkReply::ContentReSendError) {
        // Where Qt 6.4 would have sent the request again by itself (the server closed the
        // connection while Qt was still waiting, or cut the response head), the one-shot body
        // makes it stop instead. For the person it is what it is: the server closed the
        // connection; any new attempt is ours, visible and counted.
        connectionLost(accepted ? tr("the server closed the connection")
                       : m_received == Received::Nothing
                           ? tr("the server closed the connection while the request was being sent")
                           : tr("the server closed the connection before it answered"),
                       accepted);
        return;
    }
    connectionLost(errorText, false);
}

void SseConsumer::rejectResponse()
{
    const int status = m_lastStatus;
    const QByteArray contentType = m_reply ? m_reply->rawHeader("Content-Type") : QByteArray();
    const QByteArray retryAfter = m_reply ? m_reply->rawHeader("Retry-After") : QByteArray();
    const QString reason =
        m_reply ? m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString()
                : QString();
    const QString summary = HttpFields::errorSummary(m_errorBody);
    dropReply();
    m_parser.endOfStream();

    QString message;
    if (status == 200) {
        message = contentType.isEmpty()
                      ? tr("the server did not say what it sent (no Content-Type); expected "
                           "text/event-stream")
                      : tr("expected text/event-stream but the server sent %1")
                            .arg(QString::fromLatin1(contentType));
        if (!summary.isEmpty())
            message += QStringLiteral(": ") + summary;
        fail(ErrorKind::ContentType, message);
        return;
    }

    const QString statusText = reason.isEmpty()
                                   ? QStringLiteral("HTTP %1").arg(status)
                                   : QStringLiteral("HTTP %1 %2").arg(status).arg(reason);
    const bool busy = status == 429 || status == 503;
    // -1: no (valid) Retry-After.
    const qint64 delay =
        busy ? HttpFields::retryAfterMs(retryAfter, QDateTime::currentDateTimeUtc()).value_or(-1)
             : -1;
    if (!m_options.specStrict && busy) {
        if (delay > m_options.maxRetryAfterMs) {
            fail(ErrorKind::HttpStatus, tr("%1: the server asks to wait %2 s before retrying")
                                            .arg(statusText, seconds(delay)));
            return;
        }
        if (m_policy.canRetry()) {
            scheduleReconnect(summary.isEmpty() ? statusText
                                                : statusText + QStringLiteral(": ") + summary,
                              delay);
            return;
        }
    }
    if (status == 401 || status == 403)
        message = tr("the server refused the credentials (%1)").arg(statusText);
    else
        message = tr("the server answered %1 instead of an event stream").arg(statusText);
    if (!summary.isEmpty())
        message += QStringLiteral(": ") + summary;
    // No retry here (strict mode, no budget left, or a protocol that cannot resume): the person
    // reading the message is the one who must wait, so say how long the server asked for.
    if (delay >= 0)
        message += QStringLiteral(" (") +
                   tr("the server asks to retry after %1 s").arg(seconds(delay)) + QLatin1Char(')');
    fail(status == 401 || status == 403 ? ErrorKind::CredentialsRefused : ErrorKind::HttpStatus,
         message);
}

void SseConsumer::checkStall()
{
    if (m_state != State::Connecting && m_state != State::Open)
        return;
    if (m_clock.elapsed() - m_lastByteAtMs < m_options.stallTimeoutMs)
        return;
    if (m_rejecting) {
        // A refused response whose body never ends is still refused: fail with what arrived
        // rather than reconnect, which a status or content-type failure must never do.
        rejectResponse();
        return;
    }
    dropReply();
    m_parser.endOfStream();
    const QString reason = m_received < Received::Head
                               ? tr("no response from the server within %1 s (%2)")
                                     .arg(seconds(m_options.stallTimeoutMs), lastReceivedText())
                               : tr("no data from the server for %1 s (%2)")
                                     .arg(seconds(m_options.stallTimeoutMs), lastReceivedText());
    if (!m_policy.canRetry()) {
        fail(ErrorKind::Stalled, reason);
        return;
    }
    scheduleReconnect(reason);
}

QString SseConsumer::lastReceivedText() const
{
    const QString ago = seconds(m_clock.elapsed() - m_receivedAtMs);
    switch (m_received) {
    case Received::Nothing:
        return tr("no complete response head arrived");
    case Received::RequestSent:
        return tr("the request was sent %1 s ago; no complete response head arrived").arg(ago);
    case Received::Head:
        return tr("the last thing received was the response head, %1 s ago").arg(ago);
    case Received::Bytes:
        return tr("the last thing received was part of an event, %1 s ago").arg(ago);
    case Received::Comment:
        return tr("the last thing received was a comment (heartbeat), %1 s ago").arg(ago);
    case Received::Event: {
        const QString id = m_parser.lastEventId();
        return id.isEmpty() ? tr("the last thing received was an event, %1 s ago").arg(ago)
                            : tr("the last thing received was the event with id “%1”, %2 s ago")
                                  .arg(id.left(80), ago);
    }
    }
    return {};
}

void SseConsumer::scheduleReconnect(const QString &reason, qint64 forcedDelayMs)
{
    m_stallTimer.stop();
    qint64 delay = m_policy.nextDelayMs(QRandomGenerator::global()->generateDouble());
    QString why = reason;
    if (forcedDelayMs >= 0) { // Retry-After; `Retry-After: 0` (or a past date) must not spin either
        delay = std::max(forcedDelayMs, m_policy.settings().minDelayMs);
    } else if (!m_options.specStrict && delay > m_options.maxRetryMs) {
        // The server's `retry` is a request, not an order: a hostile or mistaken `retry:
        // 99999999999` must not make the client sit silently for days.
        why += QStringLiteral(" (") +
               tr("the server asked to wait %1 s; waiting %2 s, the most allowed")
                   .arg(seconds(std::max(delay, m_policy.baseDelayMs())),
                        seconds(m_options.maxRetryMs)) +
               QLatin1Char(')');
        delay = m_options.maxRetryMs;
    }
    m_state = State::Waiting;
    ++m_metrics.reconnects;
    m_reconnectTimer.start(int(std::min<qint64>(delay, std::numeric_limits<int>::max())));
    Q_EMIT reconnecting(m_policy.attempts(), delay, why);
}

void SseConsumer::fail(ErrorKind kind, const QString &message)
{
    m_reconnectTimer.stop();
    Q_EMIT errorOccurred(kind, message);
    finish(FinishReason::Failed);
}

void SseConsumer::finish(FinishReason reason)
{
    m_stallTimer.stop();
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_metrics.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    Q_EMIT finished(reason);
}

void SseConsumer::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    reply->abort();
    reply->deleteLater();
}

void SseConsumer::onEvent(const SseEvent &event)
{
    ++m_metrics.events;
    m_received = Received::Event;
    m_receivedAtMs = m_clock.elapsed();
    if (m_metrics.timeToFirstEventMs < 0)
        m_metrics.timeToFirstEventMs = m_clock.elapsed();
    if (m_options.budgetResetsOnEvent)
        m_policy.resetAttempts(); // progress: a later failure gets the full reconnection budget
    Q_EMIT eventReceived(event);
}

void SseConsumer::onComment(QStringView text)
{
    ++m_metrics.comments;
    m_received = Received::Comment;
    m_receivedAtMs = m_clock.elapsed();
    Q_EMIT comment(text.toString());
}

void SseConsumer::onRetry(qint64 milliseconds)
{
    m_policy.setServerRetry(milliseconds);
    if (milliseconds != m_lastRetry) {
        m_lastRetry = milliseconds;
        Q_EMIT retryChanged(milliseconds);
    }
}

} // namespace qalam
