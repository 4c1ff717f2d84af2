// StreamDoctor: runs the stream doctor against a live endpoint: asks a real question and keeps
// the whole answer as it arrived, cuts a second answer after a few events and resumes it with
// Last-Event-ID, optionally watches a long stream, then has StreamDiagnosis judge it all.
#pragma once

#include "capture/StreamCapture.h"
#include "chat/ChatProtocol.h"
#include "chat/ChatTypes.h"
#include "doctor/DoctorCheck.h"
#include "doctor/StreamDiagnosis.h"

#include <QObject>

class QNetworkAccessManager;

namespace qalam::doctor {

using capture::StreamCapture;

class StreamDoctor : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        ChatProtocol::Kind protocol = ChatProtocol::Kind::AdminStream;
        ChatRequest request;
        qint64 longRunMs = 0; // > 0: also watch a stream this long (heartbeats)
        qint64 proxyTimeoutMs = 60000;
        int cutAfterEvents = 4; // the resume trial's cut
        qint64 answerTimeLimitMs = 120000;
    };

    explicit StreamDoctor(QNetworkAccessManager &network, QObject *parent = nullptr);

    void run(const Options &options);

Q_SIGNALS:
    void stepStarted(const QString &what); // for a progress line (English, like the report)
    void finished(const qalam::doctor::DoctorReport &report);

private:
    enum class Step { Full, Cut, Resumed, Long };
    void capture(Step step, const SseRequest &request, const StreamCapture::Options &options);
    void onCaptured(const CapturedResponse &response);
    void next();
    void conclude();

    StreamCapture m_capture;
    Options m_options;
    SseRequest m_request;
    Step m_step = Step::Full;
    DiagnosisInput m_input;
};

} // namespace qalam::doctor
