#include "sse/TlsErrorText.h"

#include <QDateTime>
#include <QSslCertificate>

namespace qalam {

namespace {

QString issuerName(const QSslCertificate &certificate)
{
    QStringList parts;
    for (const QByteArray &attribute : {QByteArray("CN"), QByteArray("O")}) {
        for (const QString &value : certificate.issuerInfo(attribute))
            parts << QString::fromLatin1(attribute) + QLatin1Char('=') + value;
    }
    return parts.join(QStringLiteral(", "));
}

QString certificateNames(const QSslCertificate &certificate)
{
    QStringList names;
    const auto alternatives = certificate.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it)
        names << it.value();
    if (names.isEmpty())
        names = certificate.subjectInfo(QSslCertificate::CommonName);
    names.removeDuplicates();
    return names.join(QStringLiteral(", "));
}

QString day(const QDateTime &when)
{
    return when.toUTC().toString(QStringLiteral("yyyy-MM-dd"));
}

} // namespace

QString TlsErrorText::describe(const QList<QSslError> &errors, const QString &host)
{
    QStringList problems;
    bool untrustedSaid = false;
    for (const QSslError &error : errors) {
        const QSslCertificate certificate = error.certificate();
        QString problem;
        switch (error.error()) {
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::CertificateUntrusted:
        case QSslError::InvalidCaCertificate: {
            if (untrustedSaid)
                continue; // one chain problem is one problem for the person reading this
            untrustedSaid = true;
            const QString issuer = certificate.isNull() ? QString() : issuerName(certificate);
            const bool selfSigned = error.error() == QSslError::SelfSignedCertificate;
            if (issuer.isEmpty())
                problem = tr("it is not issued by a trusted authority");
            else if (selfSigned)
                problem = tr("it is self-signed (“%1”) and not trusted").arg(issuer);
            else
                problem = tr("it is issued by “%1”, which is not a trusted authority").arg(issuer);
            problem += QStringLiteral(" (") +
                       tr("trust that authority with a CA certificate file") + QLatin1Char(')');
            break;
        }
        case QSslError::CertificateExpired:
            problem = certificate.isNull()
                          ? tr("it has expired")
                          : tr("it expired on %1").arg(day(certificate.expiryDate()));
            break;
        case QSslError::CertificateNotYetValid:
            problem = certificate.isNull()
                          ? tr("it is not valid yet")
                          : tr("it is not valid before %1").arg(day(certificate.effectiveDate()));
            break;
        case QSslError::HostNameMismatch: {
            const QString names = certificate.isNull() ? QString() : certificateNames(certificate);
            problem = names.isEmpty() ? tr("it is not issued for %1").arg(host)
                                      : tr("it is issued for %1, not for %2").arg(names, host);
            break;
        }
        case QSslError::CertificateRevoked:
            problem = tr("it has been revoked");
            break;
        default:
            problem = error.errorString();
            break;
        }
        if (!problems.contains(problem))
            problems << problem;
    }
    if (problems.isEmpty())
        return tr("the TLS connection to %1 could not be set up").arg(host);
    return tr("the server's certificate for %1 was refused: %2")
        .arg(host, problems.join(QStringLiteral("; ")));
}

} // namespace qalam
