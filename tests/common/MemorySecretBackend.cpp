#include "MemorySecretBackend.h"

#include <QTimer>

namespace qalam {

MemorySecretBackend::MemorySecretBackend(Behaviour behaviour, QHash<QString, QString> *vault,
                                         QObject *parent)
    : SecretBackend(parent), m_behaviour(behaviour), m_vault(vault ? *vault : m_ownVault)
{}

void MemorySecretBackend::answer(Callback done, std::function<Result()> work)
{
    ++m_calls;
    switch (m_behaviour) {
    case Behaviour::Silent:
        return;
    case Behaviour::Unavailable:
        work = [] {
            return Result{Status::Unavailable, {}, QStringLiteral("The test keychain is absent.")};
        };
        break;
    case Behaviour::Refusing:
        work = [] {
            return Result{Status::Failed, {}, QStringLiteral("The test keychain refuses.")};
        };
        break;
    case Behaviour::Working:
        break;
    }
    QTimer::singleShot(0, this, [this, done = std::move(done), work = std::move(work)] {
        const Result result = work();
        ++m_answers;
        done(result);
    });
}

void MemorySecretBackend::read(const QString &account, Callback done)
{
    answer(std::move(done), [this, account] {
        const auto it = m_vault.constFind(account);
        if (it == m_vault.cend())
            return Result{Status::NotFound, {}, {}};
        return Result{Status::Ok, *it, {}};
    });
}

void MemorySecretBackend::write(const QString &account, const QString &secret, Callback done)
{
    answer(std::move(done), [this, account, secret] {
        m_vault.insert(account, secret);
        return Result{Status::Ok, {}, {}};
    });
}

void MemorySecretBackend::remove(const QString &account, Callback done)
{
    answer(std::move(done), [this, account] {
        return Result{m_vault.remove(account) ? Status::Ok : Status::NotFound, {}, {}};
    });
}

} // namespace qalam
