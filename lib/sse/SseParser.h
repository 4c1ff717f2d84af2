// SseParser: incremental, event-loop-free parser of the WHATWG `text/event-stream` format.
//
// Bytes go in through feed(), in chunks of any size and alignment; dispatched events, comments
// and `retry` changes come out through a Handler. Framing works on bytes (CR, LF and ':' are
// ASCII and never occur inside a multi-byte UTF-8 sequence), and each completed line or event is
// decoded once, so a code point split across chunks always comes out whole and work stays linear
// however many chunks one event spans. Memory is bounded by Limits.
#pragma once

#include "sse/SseEvent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>
#include <QStringView>

namespace qalam {

class SseParser
{
    // errorString() reaches the chat window, which shows it in the UI language.
    Q_DECLARE_TR_FUNCTIONS(SseParser)

public:
    class Handler
    {
    public:
        virtual ~Handler() = default;
        virtual void onEvent(const SseEvent &event) = 0;
        // A comment line without its ':' (and one leading space). Servers use them as keep-alives.
        virtual void onComment(QStringView text) { Q_UNUSED(text); }
        // A valid `retry` field: the reconnection time in milliseconds, saturated at INT64_MAX.
        virtual void onRetry(qint64 milliseconds) { Q_UNUSED(milliseconds); }
    };

    struct Limits
    {
        qsizetype maxLineBytes = 8 * 1024 * 1024;  // one line, without its terminator
        qsizetype maxEventBytes = 8 * 1024 * 1024; // the data buffer of one event
    };

    enum class Error { None, LineTooLong, EventTooLarge };

    explicit SseParser(Handler &handler);
    SseParser(Handler &handler, Limits limits);

    // Parses the next chunk. Returns false once the parser is in error (see error()); a parser in
    // error ignores further input until reset.
    bool feed(QByteArrayView bytes);

    // The connection ended: an unterminated last line and an undispatched event are discarded,
    // and the next feed() starts a new stream (with its own optional BOM). The last event id and
    // the reconnection time persist, as they do across an EventSource's reconnections.
    void endOfStream();

    // Stops the feed() in progress after the current callback (for a handler that cancels).
    void halt() { m_halted = true; }

    // Forgets everything, the last event id and reconnection time included: a new logical stream.
    void reset();
    void setLimits(const Limits &limits) { m_limits = limits; }

    Error error() const { return m_error; }
    QString errorString() const;
    const Limits &limits() const { return m_limits; }

    const QString &lastEventId() const { return m_lastEventId; }
    // Seeds the last event id, e.g. to resume a stream saved by an earlier run.
    void setLastEventId(const QString &id);
    // -1 until the stream sent a valid `retry` field.
    qint64 reconnectionTime() const { return m_reconnectionTime; }

private:
    void processLine(QByteArrayView line);
    void processField(QByteArrayView name, QByteArrayView value);
    void appendData(QByteArrayView value);
    void dispatch();
    bool fail(Error error);

    Handler &m_handler;
    Limits m_limits;
    Error m_error = Error::None;
    bool m_halted = false;

    // Per-connection framing state.
    QByteArray m_head; // first bytes of the stream, until the BOM question is settled
    bool m_headDone = false;
    QByteArray m_partialLine; // a line whose terminator has not arrived yet
    bool m_afterCR = false;   // the last byte seen was a CR: a leading LF is its second half

    // The event being built. Data lines are decoded straight into m_event.data as they arrive
    // (decoding line by line equals decoding the joined buffer: CR and LF never sit inside a
    // UTF-8 sequence, and a sequence cut by a line end is broken either way), so an event costs
    // no byte copy, and its QString buffer is reused unless the handler kept a copy of it.
    SseEvent m_event;
    qsizetype m_dataBytes = 0; // size of the spec's data buffer (what maxEventBytes limits)
    QByteArray m_type;
    QByteArray m_idBuffer;

    // Decoded values kept between events so a repeated type or id costs no allocation.
    QByteArray m_cachedTypeBytes;
    QString m_cachedType;
    QByteArray m_lastEventIdBytes;
    QString m_lastEventId;
    qint64 m_reconnectionTime = -1;
};

} // namespace qalam
