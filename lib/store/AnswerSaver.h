// AnswerSaver: saves one streaming answer while it arrives, so a crash or kill loses at most
// about one interval of text (one second by default).
//
// Text is appended as it streams; it is written at most once per interval, and at least once per
// interval while text keeps arriving (a timer started by the first unsaved text, not restarted
// by later text, so a steady stream cannot postpone the save). A state change is written at once.
// Destroying the saver writes what is unsaved; an answer still Streaming then becomes
// Interrupted, because nothing will save the rest of it.
//
// Each save is one UPDATE of the whole text; see AnswerSaver.cpp for why that and not an append.
#pragma once

#include "StoredMessage.h"

#include <QObject>
#include <QTimer>

namespace qalam {

class ConversationStore;

class AnswerSaver : public QObject
{
    Q_OBJECT

public:
    static constexpr int defaultIntervalMs = 1000;

    // The message must exist (ConversationStore::addMessage, normally in Streaming state). The
    // store is not owned and must outlive the saver.
    AnswerSaver(ConversationStore *store, qint64 messageId, QObject *parent = nullptr);
    ~AnswerSaver() override;

    void setInterval(int milliseconds);
    int interval() const { return m_timer.interval(); }

    // What the database already holds, for "continue" (an Interrupted answer): later appends
    // extend the text, and setState(Streaming) is then a change that is written. Does not write.
    void setStored(const QString &content, StoredMessage::State state);
    void appendText(const QString &delta);
    // Saved with the next write (metrics as MessageMetrics::toJson()).
    void setMetricsJson(const QString &metricsJson);
    void setLastEventId(const QString &lastEventId);
    // Writes at once when the state changes (or there is unsaved text): Completed, Interrupted,
    // Failed, Cancelled, or Streaming again for a continued answer.
    void setState(StoredMessage::State state, const QString &errorText = QString());
    // Writes now if anything is unsaved. False if that write failed.
    bool flush();

    qint64 messageId() const { return m_messageId; }
    const QString &content() const { return m_content; }
    StoredMessage::State state() const { return m_state; }
    bool hasUnsavedChanges() const { return m_dirty; }
    // How much of content() is in the database, and how many writes succeeded.
    qsizetype savedLength() const { return m_savedLength; }
    int writeCount() const { return m_writeCount; }

Q_SIGNALS:
    // After each successful write, with the saved text's length (UTF-16 units).
    void saved(qsizetype length);
    // A write failed (disk full, message deleted...). The text stays in memory and the next
    // change tries again.
    void saveFailed(const QString &message);

private:
    void markDirty();
    bool write();

    ConversationStore *m_store;
    qint64 m_messageId;
    QString m_content;
    QString m_errorText;
    QString m_metricsJson;
    QString m_lastEventId;
    StoredMessage::State m_state = StoredMessage::State::Streaming;
    QTimer m_timer;
    qsizetype m_savedLength = 0;
    int m_writeCount = 0;
    bool m_dirty = false;
};

} // namespace qalam
