#include "doctor/StreamDoctor.h"

#include "doctor/EventTimeline.h"

namespace qalam::doctor {

StreamDoctor::StreamDoctor(QNetworkAccessManager &network, QObject *parent)
    : QObject(parent), m_capture(network)
{
    connect(&m_capture, &StreamCapture::finished, this, &StreamDoctor::onCaptured);
}

void StreamDoctor::run(const Options &options)
{
    m_options = options;
    m_input = DiagnosisInput();
    m_input.protocol = options.protocol;
    m_input.proxyTimeoutMs = options.proxyTimeoutMs;
    m_request = ChatProtocol::create(options.protocol)->buildRequest(options.request);
    Q_EMIT stepStarted(QStringLiteral("asking a question and recording the answer"));
    StreamCapture::Options capture;
    capture.timeLimitMs = options.answerTimeLimitMs;
    this->capture(Step::Full, m_request, capture);
}

void StreamDoctor::capture(Step step, const SseRequest &request,
                           const StreamCapture::Options &options)
{
    m_step = step;
    m_capture.start(request, options);
}

void StreamDoctor::onCaptured(const CapturedResponse &response)
{
    switch (m_step) {
    case Step::Full:
        m_input.full = response;
        break;
    case Step::Cut:
        m_input.cut = response;
        break;
    case Step::Resumed:
        m_input.resumed = response;
        break;
    case Step::Long:
        m_input.longRun = response;
        break;
    }
    // The next step starts from the event loop, not from inside the capture's signal.
    QMetaObject::invokeMethod(this, &StreamDoctor::next, Qt::QueuedConnection);
}

void StreamDoctor::next()
{
    const bool streamed = m_input.full.status == 200;
    if (m_step == Step::Full && streamed && m_options.protocol == ChatProtocol::Kind::AdminStream) {
        const EventTimeline timeline = EventTimeline::read(m_input.full);
        const bool ids =
            !timeline.events.isEmpty() && !timeline.events.last().event.lastEventId.isEmpty();
        if (ids && timeline.events.size() >= m_options.cutAfterEvents + 2) {
            Q_EMIT stepStarted(
                QStringLiteral("cutting an answer after %1 events").arg(m_options.cutAfterEvents));
            StreamCapture::Options cut;
            cut.stopAfterEvents = m_options.cutAfterEvents;
            cut.timeLimitMs = m_options.answerTimeLimitMs;
            capture(Step::Cut, m_request, cut);
            return;
        }
    }
    if (m_step == Step::Cut) {
        const EventTimeline timeline = EventTimeline::read(*m_input.cut);
        if (!timeline.events.isEmpty() && !timeline.events.last().event.lastEventId.isEmpty()) {
            m_input.resumeId = timeline.events.last().event.lastEventId;
            Q_EMIT stepStarted(QStringLiteral("resuming it with Last-Event-ID"));
            SseRequest resumed = m_request;
            resumed.lastEventId = m_input.resumeId;
            StreamCapture::Options options;
            options.timeLimitMs = m_options.answerTimeLimitMs;
            capture(Step::Resumed, resumed, options);
            return;
        }
        m_input.cut.reset();
    }
    if (m_step != Step::Long && streamed && m_options.longRunMs > 0) {
        Q_EMIT stepStarted(
            QStringLiteral("watching a long stream for %1 s").arg(m_options.longRunMs / 1000));
        StreamCapture::Options options;
        options.timeLimitMs = m_options.longRunMs;
        capture(Step::Long, m_request, options);
        return;
    }
    conclude();
}

void StreamDoctor::conclude()
{
    Q_EMIT finished(StreamDiagnosis::diagnose(m_input));
}

} // namespace qalam::doctor
