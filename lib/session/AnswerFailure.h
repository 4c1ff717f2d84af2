// AnswerFailure: why an answer failed, in words an admin can act on ("Could not connect to
// http://127.0.0.1:9/ — connection refused", "The server refused the key (401)").
//
// The transport reports a failure as one translated sentence. classify() reads it once, when the
// answer ends, in the language it was written in (Qt's own network texts and the transport's,
// looked up in the current translation and in English), and the kind is stored with the answer
// (MessageMetrics::failure), so the card says the same after reopening, in whatever language the
// interface has then. What the transport said stays as the card's detail: it carries the server's
// own error text when there is one.
#pragma once

#include <QCoreApplication>
#include <QString>

class QUrl;

namespace qalam {

class AnswerFailure
{
    Q_DECLARE_TR_FUNCTIONS(qalam::AnswerFailure)

public:
    enum class Kind {
        Other,
        ConnectionRefused,
        HostNotFound,
        TimedOut,
        KeyRefused,  // 401, 403
        NotFound,    // 404
        RateLimited, // 429
        ServerError, // 5xx
        HttpStatus,  // any other status
        Certificate, // TLS
        NoResponse,  // silent past the stall timeout
        ConnectionLost,
    };

    Kind kind = Kind::Other;
    int httpStatus = 0;

    static AnswerFailure classify(const QString &transportText);
    // The kind's stable name, as stored ("connectionRefused"); unknown names read as Other.
    static QString kindName(Kind kind);
    static Kind kindFromName(const QString &name);

    // The card's first line, in the UI language. `endpoint` may be empty (older answers).
    QString title(const QString &endpoint) const;
    // Whether the profile is the likely thing to fix (URL, key, certificate), so the card offers
    // to open it.
    bool concernsProfile() const;

    // The endpoint as it may be shown and stored: no query, fragment or user info, which is
    // where keys hide in URLs.
    static QString displayEndpoint(const QUrl &url);
};

} // namespace qalam
