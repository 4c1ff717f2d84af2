// TlsTestServer: a TLS server on 127.0.0.1 for client tests, with a self-signed certificate made
// by the openssl CLI (makeTestCertificate). Each request that makes it through the handshake gets
// a short OpenAI-style event stream: one chunk with the text "hello" (kTlsAnswerChunk), then
// [DONE], then the server closes. handshakes() and requests() count what got through, so a test
// can show that a refused certificate let no request (and no key) out of the client.
#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QTcpServer>
#include <QTemporaryDir>

namespace qalam::test {

// The one `data:` payload TlsTestServer sends before [DONE].
inline constexpr char kTlsAnswerChunk[] =
    R"({"choices":[{"index":0,"delta":{"content":"hello"}}]})";

// Null when the TLS tests can run here; else why not (no openssl CLI: none found at configure time
// or none at $QALAM_OPENSSL, which overrides it; or Qt has no TLS backend), for
// QALAM_SKIP_FOR_MISSING_TOOL.
const char *tlsTestsUnavailable();

// Writes a self-signed CA certificate valid for `subjectAltName` (e.g. "IP:127.0.0.1") and its
// key with the openssl CLI; false (with openssl's output as a warning) when that fails.
bool makeTestCertificate(const QString &subjectAltName, const QString &certPath,
                         const QString &keyPath);

// makeTestCertificate() into a temporary directory of its own, removed with this object.
class TestCertificate
{
public:
    explicit TestCertificate(const QString &subjectAltName);
    bool isValid() const { return m_valid; } // false: see the warning openssl's failure printed
    QString certPath() const { return m_dir.filePath(QStringLiteral("server.pem")); }
    QString keyPath() const { return m_dir.filePath(QStringLiteral("server.key")); }

private:
    QTemporaryDir m_dir;
    bool m_valid = false;
};

class TlsTestServer : public QTcpServer
{
public:
    TlsTestServer(const QSslCertificate &certificate, const QSslKey &key);
    // Reads the PEM files written by makeTestCertificate(); a file that cannot be read is fatal.
    TlsTestServer(const QString &certPath, const QString &keyPath);
    explicit TlsTestServer(const TestCertificate &certificate);

    int handshakes() const { return m_handshakes; }
    int requests() const { return m_requests; }
    QString url(const QString &path) const;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QSslCertificate m_certificate;
    QSslKey m_key;
    int m_handshakes = 0;
    int m_requests = 0;
};

} // namespace qalam::test
