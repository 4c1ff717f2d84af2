// AdminStreamProtocol: the admin stream of docs/protocol.md (hello, delta, ping, progress, done,
// error; every event with an id). Deltas carry a sequence number, so after a resume with
// Last-Event-ID a repeated delta is dropped and a missing one is reported, never shown wrong.
#pragma once

#include "chat/ChatProtocol.h"

#include <QCoreApplication>

#include <QCoreApplication>

namespace qalam {

class AdminStreamProtocol final : public ChatProtocol
{
    // Its error messages reach the chat window, which shows them in the UI language.
    Q_DECLARE_TR_FUNCTIONS(AdminStreamProtocol)

public:
    Kind kind() const override { return Kind::AdminStream; }
    SseRequest buildRequest(const ChatRequest &request) const override;
    bool canResume() const override { return true; }
    ChatUpdate handleEvent(const SseEvent &event) override;
    void reset() override;
    void prepareResume() override { m_resuming = true; }

    qint64 lastSequence() const { return m_lastSeq; }
    const QString &streamId() const { return m_streamId; }

private:
    qint64 m_lastSeq = 0;
    QString m_streamId;
    bool m_resuming = false;
};

} // namespace qalam
