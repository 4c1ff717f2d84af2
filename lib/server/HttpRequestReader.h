// HttpRequestReader: turns the bytes of an HTTP/1.x connection into requests, one at a time,
// within limits (head size, body size), and says precisely why when the bytes are not a request.
//
// Pure and incremental: give it whatever arrived; it consumes what it used and reports whether a
// request is complete, more is needed, or the connection must be answered with an error and
// closed. Knowing where it is (between requests, in a head, in a body) is what the connection's
// timeouts are based on. Fuzzed on arbitrary bytes (tests/fuzz).
#pragma once

#include "server/HttpRequest.h"

#include <QByteArray>
#include <QString>

namespace qalam::server {

class HttpRequestReader
{
public:
    struct Limits
    {
        qsizetype maxHeadBytes = 16 * 1024; // request line and headers; over: 431
        qint64 maxBodyBytes = 1024 * 1024;  // over: 413 (as soon as the head says so)
    };
    enum class Stage { Idle, Head, Body }; // Idle: no byte of the next request yet
    enum class Outcome { NeedMore, Request, Error };
    struct Error
    {
        int status = 400;
        QString code;
        QString message;
    };

    HttpRequestReader() = default;
    explicit HttpRequestReader(Limits limits) : m_limits(limits) {}

    // Consumes bytes from the front of `input`. After Request, takeRequest() has it and the
    // rest of `input` belongs to the next request; after Error, error() says what to answer
    // (nothing more can be read on this connection).
    Outcome read(QByteArray &input);
    HttpRequest takeRequest();
    const Error &error() const { return m_error; }
    Stage stage() const { return m_stage; }

private:
    Outcome fail(int status, const QString &code, const QString &message);
    Outcome parseHead(QByteArrayView head);
    Outcome readBody(QByteArray &input);
    Outcome readChunked(QByteArray &input);

    enum class ChunkState { Size, Data, DataEnd, Trailer };

    Limits m_limits;
    Stage m_stage = Stage::Idle;
    HttpRequest m_request;
    qint64 m_bodyLeft = 0;
    bool m_chunked = false;
    ChunkState m_chunkState = ChunkState::Size;
    qsizetype m_trailerBytes = 0;
    Error m_error;
    bool m_failed = false;
};

} // namespace qalam::server
