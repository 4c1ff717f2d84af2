#include "TlsTestServer.h"

#include "ProcessRunner.h"

#include <QFile>
#include <QFileInfo>
#include <QSslSocket>

#include <memory>

namespace qalam::test {

namespace {

QSslCertificate readCertificate(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("TlsTestServer: cannot read %s", qPrintable(path));
    return QSslCertificate(file.readAll(), QSsl::Pem);
}

QSslKey readKey(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("TlsTestServer: cannot read %s", qPrintable(path));
    return QSslKey(file.readAll(), QSsl::Rsa, QSsl::Pem);
}

// $QALAM_OPENSSL when set, else the openssl that find_program() found at configure time
// (tests/CMakeLists.txt; empty when it found none).
QString opensslProgram()
{
    const QString fromEnvironment = qEnvironmentVariable("QALAM_OPENSSL");
    return fromEnvironment.isEmpty() ? QStringLiteral(QALAM_OPENSSL) : fromEnvironment;
}

} // namespace

const char *tlsTestsUnavailable()
{
    const QString openssl = opensslProgram();
    if (openssl.isEmpty() || !QFileInfo(openssl).isExecutable())
        return "the openssl CLI was not found (at configure time, or at $QALAM_OPENSSL): install "
               "the Debian package 'openssl' (scripts/setup.sh does)";
    if (!QSslSocket::supportsSsl())
        return "Qt has no TLS backend here: install the Qt TLS plugin's OpenSSL (libssl3)";
    return nullptr;
}

bool makeTestCertificate(const QString &subjectAltName, const QString &certPath,
                         const QString &keyPath)
{
    ProcessOptions options;
    options.mergeChannels = true;
    options.timeoutMs = 60000;
    const ProcessResult openssl = runProcess(
        opensslProgram(),
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
         QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), keyPath,
         QStringLiteral("-out"), certPath, QStringLiteral("-days"), QStringLiteral("2"),
         QStringLiteral("-subj"), QStringLiteral("/CN=Qalam test server"),
         QStringLiteral("-addext"), QStringLiteral("subjectAltName=") + subjectAltName,
         QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE")},
        options);
    if (!openssl.succeeded()) {
        qWarning("openssl failed: %s %s", qPrintable(openssl.errorString), openssl.out.constData());
        return false;
    }
    return true;
}

TestCertificate::TestCertificate(const QString &subjectAltName)
{
    m_valid = m_dir.isValid() && makeTestCertificate(subjectAltName, certPath(), keyPath());
}

TlsTestServer::TlsTestServer(const QSslCertificate &certificate, const QSslKey &key)
    : m_certificate(certificate), m_key(key)
{
    if (!listen(QHostAddress::LocalHost, 0))
        qFatal("TlsTestServer: cannot listen: %s", qPrintable(errorString()));
}

TlsTestServer::TlsTestServer(const QString &certPath, const QString &keyPath)
    : TlsTestServer(readCertificate(certPath), readKey(keyPath))
{}

TlsTestServer::TlsTestServer(const TestCertificate &certificate)
    : TlsTestServer(certificate.certPath(), certificate.keyPath())
{}

QString TlsTestServer::url(const QString &path) const
{
    return QStringLiteral("https://127.0.0.1:%1%2").arg(serverPort()).arg(path);
}

void TlsTestServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setLocalCertificate(m_certificate);
    socket->setPrivateKey(m_key);
    auto request = std::make_shared<QByteArray>();
    auto answered = std::make_shared<bool>(false);
    connect(socket, &QSslSocket::encrypted, this, [this] { ++m_handshakes; });
    connect(socket, &QSslSocket::readyRead, this, [this, socket, request, answered] {
        if (*answered) { // later bytes (a POST body) are ignored
            socket->readAll();
            return;
        }
        request->append(socket->readAll());
        if (!request->contains("\r\n\r\n"))
            return;
        ++m_requests;
        *answered = true;
        socket->write(QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                 "Connection: close\r\n\r\ndata: ") +
                      kTlsAnswerChunk + "\n\ndata: [DONE]\n\n");
        socket->disconnectFromHost();
    });
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    socket->startServerEncryption();
}

} // namespace qalam::test
