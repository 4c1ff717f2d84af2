// TlsErrorText: one clear line for a refused server certificate, naming every problem.
//
// Qt's own texts describe OpenSSL's view ("The issuer certificate of a locally looked up
// certificate could not be found"), which tells an admin neither what is wrong nor what to do.
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QSslError>
#include <QString>

namespace qalam {

class TlsErrorText
{
    Q_DECLARE_TR_FUNCTIONS(qalam::TlsErrorText)

public:
    // "the server's certificate for example.org was refused: it is issued by “CN=Private CA”,
    // which is not a trusted authority (trust it with a CA certificate file); it expired on
    // 2025-01-31". Each problem once, in the order found.
    static QString describe(const QList<QSslError> &errors, const QString &host);
};

} // namespace qalam
