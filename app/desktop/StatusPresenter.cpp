#include "StatusPresenter.h"

#include "session/ConversationSession.h"
#include "session/FigureText.h"

#include <QLabel>
#include <QStringList>

namespace qalam {

StatusPresenter::StatusPresenter(ConversationSession *session, QLabel *connection, QLabel *metrics,
                                 QObject *parent)
    : QObject(parent), m_session(session), m_connection(connection), m_metrics(metrics),
      m_idleText([] { return tr("Ready"); })
{
    m_metricsTimer.setInterval(500);
    connect(&m_metricsTimer, &QTimer::timeout, this, &StatusPresenter::updateMetrics);
    connect(session, &ConversationSession::messagesReset, this, &StatusPresenter::showConversation);
    connect(session, &ConversationSession::phaseChanged, this, &StatusPresenter::onPhaseChanged);
    connect(session, &ConversationSession::errorOccurred, this, &StatusPresenter::showError);
    setConnectionText(m_idleText);
}

void StatusPresenter::setConnectionText(Text text)
{
    m_text = std::move(text);
    m_connection->setText(m_text());
}

void StatusPresenter::showError(const QString &message)
{
    setConnectionText([message] { return tr("Error: %1").arg(message); });
}

void StatusPresenter::setIdleText(Text text)
{
    m_idleText = std::move(text);
    if (!m_session->isStreaming())
        setConnectionText(m_idleText);
}

void StatusPresenter::retranslate()
{
    m_connection->setText(m_text());
    if (!m_metrics->text().isEmpty())
        updateMetrics();
}

// Another conversation is on screen: speak for it.
void StatusPresenter::showConversation()
{
    if (m_session->isStreaming()) {
        setConnectionText([] { return tr("Streaming"); });
        m_metricsTimer.start();
    } else {
        m_metricsTimer.stop();
        m_metrics->clear();
        setConnectionText(m_idleText);
    }
}

void StatusPresenter::onPhaseChanged(ChatStream::Phase phase, const QString &detail)
{
    switch (phase) {
    case ChatStream::Phase::Idle:
        setConnectionText(m_idleText);
        break;
    case ChatStream::Phase::Connecting:
        setConnectionText([] { return tr("Connecting…"); });
        m_metrics->clear();
        m_metricsTimer.start();
        break;
    case ChatStream::Phase::Streaming:
        setConnectionText([] { return tr("Streaming"); });
        break;
    case ChatStream::Phase::Reconnecting:
        // Asked again on every tick of the metrics timer: the seconds count down.
        setConnectionText([session = m_session] { return session->activity().text(); });
        break;
    case ChatStream::Phase::Finished:
        m_metricsTimer.stop();
        updateMetrics();
        setConnectionText([detail] { return detail.isEmpty() ? tr("Done") : detail; });
        break;
    }
}

void StatusPresenter::updateMetrics()
{
    if (m_metricsTimer.isActive())
        m_connection->setText(m_text()); // a reconnection's countdown
    const ChatMetrics metrics = m_session->currentMetrics();
    QStringList parts;
    // Only what was measured: no speed before the first word (or for an answer that never had
    // one), and no reconnection count beside the live "attempt 2 of 8", which says it better.
    if (metrics.timeToFirstTokenMs >= 0)
        parts.append(tr("first token %1 ms").arg(FigureText::number(metrics.timeToFirstTokenMs)));
    if (metrics.characters > 0 && metrics.charactersPerSecond() > 0)
        parts.append(tr("%1 chars/s").arg(FigureText::number(metrics.charactersPerSecond(), 0)));
    if (metrics.reconnects > 0 && m_session->activity().kind != AnswerActivity::Kind::Reconnecting)
        parts.append(tr("%Ln reconnect(s)", nullptr, metrics.reconnects));
    m_metrics->setText(FigureText::join(parts));
}

} // namespace qalam
