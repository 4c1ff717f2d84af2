#include "store/AnswerSaver.h"

#include "store/ConversationStore.h"

#include <QtGlobal>

namespace qalam {

// Why each save rewrites the whole text (one UPDATE ... SET content = ?) rather than appending:
// SQLite stores a row's text as one record, so even "content = content || ?" rewrites every
// overflow page of the row and only saves binding the old text. bench_store measured 0.28 ms
// against 0.23 ms for a 100 KB answer (docs/benchmarks.md, "Conversation store"), and the
// rewrite cannot apply a delta twice or to the wrong text. A table of chunks would make a save
// proportional to the new text, but every load would have to join and concatenate them, and a
// crash could leave chunks without their message. Well under a millisecond once a second: the
// simple, atomic rewrite wins.

AnswerSaver::AnswerSaver(ConversationStore *store, qint64 messageId, QObject *parent)
    : QObject(parent), m_store(store), m_messageId(messageId)
{
    // Children, so a pending save shows in findChildren<QTimer *>() (tests check that nothing is
    // left to write).
    m_timer.setParent(this);
    m_retryTimer.setParent(this);
    m_timer.setSingleShot(true);
    // Precise: a coarse timer may fire 5% late, past the one-second promise.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(defaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { write(); });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] { write(); });
}

AnswerSaver::~AnswerSaver()
{
    // Silently: whoever listens is most likely being destroyed too (its owner).
    blockSignals(true);
    m_destroying = true;
    if (m_state == StoredMessage::State::Streaming) {
        m_state = StoredMessage::State::Interrupted;
        m_dirty = true;
    }
    if (m_dirty)
        write();
}

void AnswerSaver::setInterval(int milliseconds)
{
    m_timer.setInterval(milliseconds);
}

void AnswerSaver::setRetryDelays(int firstMs, int maxMs)
{
    m_firstRetryMs = qMax(1, firstMs);
    m_maxRetryMs = qMax(m_firstRetryMs, maxMs);
    m_retryDelayMs = m_firstRetryMs;
}

void AnswerSaver::setStored(const QString &content, StoredMessage::State state)
{
    m_content = content;
    m_state = state;
    m_savedLength = content.size();
    m_committed = state != StoredMessage::State::Streaming;
}

void AnswerSaver::setStored(const StoredMessage &message)
{
    setStored(message.content, message.state);
    m_errorText = message.errorText;
    m_metricsJson = message.metricsJson;
    m_lastEventId = message.lastEventId;
}

void AnswerSaver::appendText(const QString &delta)
{
    if (delta.isEmpty())
        return;
    m_content += delta;
    markDirty();
}

void AnswerSaver::setMetricsJson(const QString &metricsJson)
{
    if (metricsJson == m_metricsJson)
        return;
    m_metricsJson = metricsJson;
    markDirty();
}

void AnswerSaver::setLastEventId(const QString &lastEventId)
{
    if (lastEventId == m_lastEventId)
        return;
    m_lastEventId = lastEventId;
    markDirty();
}

void AnswerSaver::setState(StoredMessage::State state, const QString &errorText)
{
    if (state != m_state || errorText != m_errorText) {
        m_state = state;
        m_errorText = errorText;
        m_dirty = true;
        m_committed = false;
    }
    flush();
}

bool AnswerSaver::flush()
{
    return !m_dirty || write();
}

void AnswerSaver::markDirty()
{
    m_dirty = true;
    m_committed = false;
    // Started by the first unsaved change only: restarting it on every delta would turn the
    // throttle into a debounce that never fires while the answer streams. While a retry is
    // scheduled it carries the new text too, at the backoff's pace.
    if (!m_timer.isActive() && !m_retryTimer.isActive())
        m_timer.start();
}

void AnswerSaver::setSaved(bool saved)
{
    if (saved == m_saved)
        return;
    m_saved = saved;
    Q_EMIT savedStateChanged(saved);
}

bool AnswerSaver::write()
{
    m_timer.stop();
    m_retryTimer.stop();
    if (!m_store->updateMessage(m_messageId, m_content, m_state, m_errorText, m_metricsJson,
                                m_lastEventId)) {
        ++m_failedWriteCount;
        const QString error = m_store->lastError();
        const bool reasonChanged = m_saved || error != m_lastError;
        m_lastError = error;
        // A deleted message will not come back: retrying would only repeat the failure. Any
        // other fault (disk full, read-only, busy, damaged) may pass; the text waits in memory.
        const bool retry =
            !m_destroying && m_store->lastErrorKind() != ConversationStore::ErrorKind::NotFound;
        if (retry) {
            m_retryDelayMs = m_saved ? m_firstRetryMs : qMin(m_retryDelayMs * 2, m_maxRetryMs);
            m_retryTimer.start(m_retryDelayMs);
        }
        setSaved(false);
        if (reasonChanged)
            Q_EMIT saveFailed(error);
        if (retry)
            Q_EMIT retryScheduled(m_retryDelayMs);
        return false;
    }
    m_dirty = false;
    m_lastError.clear();
    m_retryDelayMs = m_firstRetryMs;
    m_savedLength = m_content.size();
    ++m_writeCount;
    Q_EMIT saved(m_savedLength);
    setSaved(true);
    if (m_state != StoredMessage::State::Streaming && !m_committed) {
        m_committed = true;
        Q_EMIT committed(m_state);
    }
    return true;
}

} // namespace qalam
