// AnswerSaver: saves one streaming answer while it arrives, so a crash or kill loses at most
// about one interval of text (one second by default), and a storage fault loses nothing.
//
// Text is appended as it streams; it is written at most once per interval, and at least once per
// interval while text keeps arriving (a timer started by the first unsaved text, not restarted
// by later text, so a steady stream cannot postpone the save). A state change is written at once.
// Destroying the saver writes what is unsaved; an answer still Streaming then becomes
// Interrupted, because nothing will save the rest of it.
//
// Storage faults (disk full, a read-only file, a busy or damaged database): the text stays in
// memory, isSaved() turns false, and the write is retried with backoff (250 ms, doubling to 8 s)
// whether or not more text arrives, until one succeeds; then everything held is written in that
// one UPDATE. A message that no longer exists (deleted on purpose) is not retried: only a later
// change or flush() tries again. A final state (Complete, Interrupted...) counts as committed only
// once the write that carries it has succeeded: show an answer as complete on committed().
//
// Each save is one UPDATE of the whole text with its state, metrics and last event id; see
// AnswerSaver.cpp for why that and not an append.
#pragma once

#include "store/StoredMessage.h"

#include <QObject>
#include <QTimer>

namespace qalam {

class ConversationStore;

class AnswerSaver : public QObject
{
    Q_OBJECT

public:
    static constexpr int defaultIntervalMs = 1000;
    static constexpr int defaultFirstRetryMs = 250;
    static constexpr int defaultMaxRetryMs = 8000;

    // The message must exist (ConversationStore::addMessage, normally in Streaming state). The
    // store is not owned and must outlive the saver.
    AnswerSaver(ConversationStore *store, qint64 messageId, QObject *parent = nullptr);
    // Writes what is unsaved, once, without emitting signals: keep the saver until isSaved()
    // when that must not be lost.
    ~AnswerSaver() override;

    void setInterval(int milliseconds);
    int interval() const { return m_timer.interval(); }
    // The backoff of retries after a failed write: first delay, doubling up to the maximum.
    void setRetryDelays(int firstMs, int maxMs);
    // The delay of the retry scheduled after the last failed write (the first delay after one
    // failure, twice that after two in a row...).
    int retryDelay() const { return m_retryDelayMs; }
    bool isRetrying() const { return m_retryTimer.isActive(); }

    // What the database already holds, for "continue" (an Interrupted answer): later appends
    // extend the text, and setState(Streaming) is then a change that is written. Does not write.
    void setStored(const QString &content, StoredMessage::State state);
    // The same with everything the row holds (text, state, error, metrics, last event id), so
    // the next write keeps what it does not change.
    void setStored(const StoredMessage &message);
    void appendText(const QString &delta);
    // Saved with the next write (metrics as MessageMetrics::toJson()).
    void setMetricsJson(const QString &metricsJson);
    // The id of the last event whose text was appended. A change is unsaved like new text, and
    // goes into the same UPDATE as the text, so the stored id always matches the stored text.
    void setLastEventId(const QString &lastEventId);
    // Writes at once when the state changes (or there is unsaved text): Completed, Interrupted,
    // Failed, Cancelled, or Streaming again for a continued answer.
    void setState(StoredMessage::State state, const QString &errorText = QString());
    // Writes now if anything is unsaved. False if that write failed (a retry is then scheduled
    // unless the message no longer exists).
    bool flush();

    qint64 messageId() const { return m_messageId; }
    const QString &content() const { return m_content; }
    const QString &lastEventId() const { return m_lastEventId; }
    StoredMessage::State state() const { return m_state; }
    bool hasUnsavedChanges() const { return m_dirty; }
    // False from a failed write until a write succeeds: the text exists only in memory. Text
    // waiting for the next timed save does not count (that is hasUnsavedChanges()).
    bool isSaved() const { return m_saved; }
    // The state is final (not Streaming) and the database holds it with everything else.
    bool isCommitted() const { return m_committed; }
    // Why the last write failed; empty once one succeeded.
    const QString &lastError() const { return m_lastError; }
    // How much of content() is in the database, and how many writes succeeded or failed.
    qsizetype savedLength() const { return m_savedLength; }
    int writeCount() const { return m_writeCount; }
    int failedWriteCount() const { return m_failedWriteCount; }

Q_SIGNALS:
    // After each successful write, with the saved text's length (UTF-16 units).
    void saved(qsizetype length);
    // A write failed (disk full, read-only, message deleted...). Emitted when saving starts to
    // fail and when the reason changes, not for every retry; the text stays in memory.
    void saveFailed(const QString &message);
    // isSaved() changed: false after a failed write, true once a write succeeded again.
    void savedStateChanged(bool saved);
    // After each failed write that will be retried, with the delay (for "retrying in 4 s").
    void retryScheduled(int delayMs);
    // A final state was written, with all the text: the answer may now be shown as such.
    void committed(qalam::StoredMessage::State state);

private:
    void markDirty();
    bool write();
    void setSaved(bool saved);

    ConversationStore *m_store;
    qint64 m_messageId;
    QString m_content;
    QString m_errorText;
    QString m_metricsJson;
    QString m_lastEventId;
    QString m_lastError;
    StoredMessage::State m_state = StoredMessage::State::Streaming;
    QTimer m_timer;
    QTimer m_retryTimer;
    qsizetype m_savedLength = 0;
    int m_writeCount = 0;
    int m_failedWriteCount = 0;
    int m_firstRetryMs = defaultFirstRetryMs;
    int m_maxRetryMs = defaultMaxRetryMs;
    int m_retryDelayMs = defaultFirstRetryMs;
    bool m_dirty = false;
    bool m_saved = true;
    bool m_committed = false;
    bool m_destroying = false;
};

} // namespace qalam
