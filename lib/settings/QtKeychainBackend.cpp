#include "settings/QtKeychainBackend.h"

#include <qt6keychain/keychain.h>

namespace qalam {

namespace {

SecretBackend::Result resultOf(const QKeychain::Job &job)
{
    using Status = SecretBackend::Status;
    switch (job.error()) {
    case QKeychain::NoError:
        return {Status::Ok, {}, {}};
    case QKeychain::EntryNotFound:
        return {Status::NotFound, {}, job.errorString()};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    // Without a D-Bus session (or with no Secret Service on it) libsecret fails with a generic
    // error, e.g. "Cannot autolaunch D-Bus without X11 $DISPLAY": QtKeychain reports OtherError.
    case QKeychain::OtherError:
        return {Status::Unavailable, {}, job.errorString()};
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        break;
    }
    return {Status::Failed, {}, job.errorString()};
}

// Jobs have no parent: they delete themselves once finished (autoDelete), and one that outlives
// this backend (a slow keychain at shutdown) must not be deleted while QtKeychain's executor
// still runs it. Its finished() then reaches nobody, because `backend` is the context.
template<typename Job> Job *prepare(Job *job, const QString &account)
{
    job->setKey(account);
    job->setAutoDelete(true);
    // Never: QtKeychain's "insecure fallback" would write the key in clear to a QSettings file.
    job->setInsecureFallback(false);
    return job;
}

} // namespace

QtKeychainBackend::QtKeychainBackend(const QString &service, QObject *parent)
    : SecretBackend(parent), m_service(service)
{}

void QtKeychainBackend::read(const QString &account, Callback done)
{
    auto *job = prepare(new QKeychain::ReadPasswordJob(m_service), account);
    connect(job, &QKeychain::Job::finished, this,
            [done = std::move(done)](QKeychain::Job *finished) {
                Result result = resultOf(*finished);
                if (result.status == Status::Ok)
                    result.secret = static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
                done(result);
            });
    job->start();
}

void QtKeychainBackend::write(const QString &account, const QString &secret, Callback done)
{
    auto *job = prepare(new QKeychain::WritePasswordJob(m_service), account);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this,
            [done = std::move(done)](QKeychain::Job *finished) { done(resultOf(*finished)); });
    job->start();
}

void QtKeychainBackend::remove(const QString &account, Callback done)
{
    auto *job = prepare(new QKeychain::DeletePasswordJob(m_service), account);
    connect(job, &QKeychain::Job::finished, this,
            [done = std::move(done)](QKeychain::Job *finished) { done(resultOf(*finished)); });
    job->start();
}

} // namespace qalam
