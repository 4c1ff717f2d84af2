#include "server/HttpRequestReader.h"

#include <algorithm>
#include <utility>

namespace qalam::server {

namespace {

// RFC 9110 token characters: what a method and a header name are made of.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.cbegin(), text.cend(), isTokenChar);
}

// Where the head ends (the index after its blank line), or -1. LF alone is accepted for CRLF.
qsizetype headEnd(QByteArrayView bytes)
{
    for (qsizetype i = bytes.indexOf('\n'); i >= 0 && i < bytes.size();
         i = bytes.indexOf('\n', i + 1)) {
        if (i + 1 < bytes.size() && bytes[i + 1] == '\n')
            return i + 2;
        if (i + 2 < bytes.size() && bytes[i + 1] == '\r' && bytes[i + 2] == '\n')
            return i + 3;
    }
    return -1;
}

QByteArrayView withoutCr(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

} // namespace

HttpRequestReader::Outcome HttpRequestReader::fail(int status, const QString &code,
                                                   const QString &message)
{
    m_failed = true;
    m_error = {status, code, message};
    return Outcome::Error;
}

HttpRequestReader::Outcome HttpRequestReader::read(QByteArray &input)
{
    if (m_failed)
        return Outcome::Error;
    if (m_stage == Stage::Idle) {
        // Blank lines between requests are tolerated (RFC 9112, 2.2).
        qsizetype skip = 0;
        while (skip < input.size() && (input[skip] == '\r' || input[skip] == '\n'))
            ++skip;
        input.remove(0, skip);
        if (input.isEmpty())
            return Outcome::NeedMore;
        m_stage = Stage::Head;
    }
    if (m_stage == Stage::Head) {
        // Only the bytes a head may take are looked at (the limit plus the blank line's CRLF),
        // so the answer is the same however the socket cut the bytes (tests/fuzz).
        const QByteArrayView window = QByteArrayView(input).first(
            std::min<qsizetype>(input.size(), m_limits.maxHeadBytes + 2));
        // Not HTTP at all (TLS to a plain port, garbage): said at once, not after the timeout.
        for (qsizetype i = 0; i < window.size() && window[i] != ' '; ++i) {
            if (!isTokenChar(window[i]))
                return fail(400, QStringLiteral("bad_request"),
                            QStringLiteral("this is not an HTTP request"));
        }
        const qsizetype end = headEnd(window);
        if (end < 0) {
            if (window.size() == m_limits.maxHeadBytes + 2)
                return fail(
                    431, QStringLiteral("headers_too_large"),
                    QStringLiteral("the request head is over %1 bytes").arg(m_limits.maxHeadBytes));
            return Outcome::NeedMore;
        }
        const Outcome head = parseHead(QByteArrayView(input).first(end));
        input.remove(0, end);
        if (head == Outcome::Error)
            return head;
        m_stage = Stage::Body;
    }
    return readBody(input);
}

HttpRequestReader::Outcome HttpRequestReader::parseHead(QByteArrayView head)
{
    m_request = HttpRequest();
    qsizetype lineEnd = head.indexOf('\n');
    const QByteArrayView requestLine = withoutCr(head.first(lineEnd));
    // method SP request-target SP HTTP-version
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        return fail(400, QStringLiteral("bad_request"),
                    QStringLiteral("the request line is not 'METHOD TARGET HTTP/1.1'"));
    const QByteArrayView method = requestLine.first(firstSpace);
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = requestLine.sliced(lastSpace + 1);
    // A target is visible characters (RFC 9112, 3.2); control bytes in it are how request
    // smuggling and log injection start.
    const bool visibleTarget = std::all_of(target.cbegin(), target.cend(), [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
    });
    if (!isToken(method) || !visibleTarget || target.isEmpty())
        return fail(400, QStringLiteral("bad_request"),
                    QStringLiteral("the request line is not 'METHOD TARGET HTTP/1.1'"));
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.' ||
        version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9')
        return fail(400, QStringLiteral("bad_request"),
                    QStringLiteral("the request line does not end with an HTTP version"));
    if (version[5] != '1')
        return fail(505, QStringLiteral("http_version_not_supported"),
                    QStringLiteral("only HTTP/1.0 and HTTP/1.1 are served"));
    m_request.method = method.toByteArray();
    m_request.target = target.toByteArray();
    m_request.minorVersion = version[7] - '0';

    while (lineEnd + 1 < head.size()) {
        const qsizetype start = lineEnd + 1;
        lineEnd = head.indexOf('\n', start);
        const QByteArrayView line = withoutCr(head.sliced(start, lineEnd - start));
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        // No name, whitespace before the colon, or an obsolete folded line: all refused, as
        // RFC 9112 (5.1, 5.2) asks, since proxies would read them differently.
        if (colon <= 0 || !isToken(line.first(colon)))
            return fail(
                400, QStringLiteral("bad_request"),
                QStringLiteral("malformed header line: '%1'")
                    .arg(QString::fromLatin1(line.first(std::min<qsizetype>(60, line.size())))));
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (value.contains('\0') || value.contains('\r'))
            return fail(400, QStringLiteral("bad_request"),
                        QStringLiteral("a header value contains a control character"));
        m_request.headers.append({line.first(colon).toByteArray(), value.toByteArray()});
    }

    // Every Transfer-Encoding and Content-Length line counts: a proxy in front may read another
    // one than we do (RFC 9112, 6.1 and 6.3).
    QByteArray transferEncoding;
    QByteArray length;
    bool hasTransferEncoding = false;
    bool hasLength = false;
    for (const auto &[name, value] : std::as_const(m_request.headers)) {
        if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
            transferEncoding += (hasTransferEncoding ? "," : "") + value.toLower();
            hasTransferEncoding = true;
        } else if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            if (hasLength && value != length)
                return fail(400, QStringLiteral("bad_request"),
                            QStringLiteral("Content-Length is given twice with different values"));
            length = value;
            hasLength = true;
        }
    }
    m_chunked = false;
    m_bodyLeft = 0;
    if (hasTransferEncoding) {
        if (transferEncoding != "chunked")
            return fail(501, QStringLiteral("not_implemented"),
                        QStringLiteral("Transfer-Encoding '%1' is not supported; send chunked or "
                                       "a Content-Length")
                            .arg(QString::fromLatin1(transferEncoding)));
        if (hasLength) // a request smuggling vector (RFC 9112, 6.1)
            return fail(400, QStringLiteral("bad_request"),
                        QStringLiteral("both Transfer-Encoding and Content-Length"));
        m_chunked = true;
        m_chunkState = ChunkState::Size;
        m_trailerBytes = 0;
    } else if (hasLength) {
        bool ok = !length.isEmpty() && std::all_of(length.cbegin(), length.cend(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
        const qint64 n = ok ? length.toLongLong(&ok) : -1;
        if (!ok || n < 0)
            return fail(400, QStringLiteral("bad_request"),
                        QStringLiteral("Content-Length is not a number"));
        if (n > m_limits.maxBodyBytes)
            return fail(413, QStringLiteral("payload_too_large"),
                        QStringLiteral("the request body is %1 bytes; the limit is %2")
                            .arg(n)
                            .arg(m_limits.maxBodyBytes));
        m_bodyLeft = n;
    }
    return Outcome::NeedMore;
}

HttpRequestReader::Outcome HttpRequestReader::readBody(QByteArray &input)
{
    if (m_chunked)
        return readChunked(input);
    const qsizetype take = qsizetype(std::min<qint64>(m_bodyLeft, input.size()));
    if (m_request.body.isEmpty() && take == m_bodyLeft)
        m_request.body = input.first(take); // the usual case: the whole body in one read
    else
        m_request.body.append(input.constData(), take);
    input.remove(0, take);
    m_bodyLeft -= take;
    return m_bodyLeft == 0 ? Outcome::Request : Outcome::NeedMore;
}

HttpRequestReader::Outcome HttpRequestReader::readChunked(QByteArray &input)
{
    while (!input.isEmpty()) {
        switch (m_chunkState) {
        case ChunkState::Size: {
            const qsizetype nl = input.indexOf('\n');
            if (nl < 0) {
                if (input.size() > 1024)
                    return fail(400, QStringLiteral("bad_request"),
                                QStringLiteral("malformed chunk size line"));
                return Outcome::NeedMore;
            }
            QByteArrayView line = withoutCr(QByteArrayView(input).first(nl));
            if (const qsizetype semicolon = line.indexOf(';'); semicolon >= 0)
                line = line.first(semicolon); // chunk extensions are ignored
            line = line.trimmed();
            bool ok = !line.isEmpty() && line.size() <= 15;
            const qint64 size = ok ? line.toLongLong(&ok, 16) : -1;
            if (!ok || size < 0)
                return fail(400, QStringLiteral("bad_request"),
                            QStringLiteral("malformed chunk size line"));
            input.remove(0, nl + 1);
            if (m_request.body.size() + size > m_limits.maxBodyBytes)
                return fail(413, QStringLiteral("payload_too_large"),
                            QStringLiteral("the request body is over the limit of %1 bytes")
                                .arg(m_limits.maxBodyBytes));
            m_bodyLeft = size;
            m_chunkState = size == 0 ? ChunkState::Trailer : ChunkState::Data;
            break;
        }
        case ChunkState::Data: {
            const qsizetype take = qsizetype(std::min<qint64>(m_bodyLeft, input.size()));
            m_request.body.append(input.constData(), take);
            input.remove(0, take);
            m_bodyLeft -= take;
            if (m_bodyLeft == 0)
                m_chunkState = ChunkState::DataEnd;
            break;
        }
        case ChunkState::DataEnd: {
            const qsizetype nl = input.indexOf('\n');
            if (nl < 0) {
                if (input.size() > 1)
                    return fail(400, QStringLiteral("bad_request"),
                                QStringLiteral("a chunk does not end with CRLF"));
                return Outcome::NeedMore;
            }
            if (withoutCr(QByteArrayView(input).first(nl)).size() != 0)
                return fail(400, QStringLiteral("bad_request"),
                            QStringLiteral("a chunk does not end with CRLF"));
            input.remove(0, nl + 1);
            m_chunkState = ChunkState::Size;
            break;
        }
        case ChunkState::Trailer: {
            const qsizetype nl = input.indexOf('\n');
            if (nl < 0) {
                // Anything but a lone CR is a trailer line that will end one byte later at the
                // earliest; the blank line that ends the trailers is never refused.
                if (input != "\r" && m_trailerBytes + input.size() + 1 > m_limits.maxHeadBytes)
                    return fail(431, QStringLiteral("headers_too_large"),
                                QStringLiteral("the request trailers are over %1 bytes")
                                    .arg(m_limits.maxHeadBytes));
                return Outcome::NeedMore;
            }
            const bool last = withoutCr(QByteArrayView(input).first(nl)).isEmpty();
            m_trailerBytes += nl + 1;
            input.remove(0, nl + 1);
            if (last)
                return Outcome::Request; // trailers are read and dropped
            if (m_trailerBytes > m_limits.maxHeadBytes)
                return fail(431, QStringLiteral("headers_too_large"),
                            QStringLiteral("the request trailers are over %1 bytes")
                                .arg(m_limits.maxHeadBytes));
            break;
        }
        }
    }
    return Outcome::NeedMore;
}

HttpRequest HttpRequestReader::takeRequest()
{
    m_stage = Stage::Idle;
    m_bodyLeft = 0;
    m_chunked = false;
    return std::exchange(m_request, HttpRequest());
}

} // namespace qalam::server
