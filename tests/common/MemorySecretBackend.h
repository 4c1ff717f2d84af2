// MemorySecretBackend: a keychain in memory, for tests. It can also play a keychain that is
// missing (Unavailable), that refuses (Refusing) or that never answers (Silent), which is how
// SecretStore's fallbacks are tested without depending on the machine's keychain, and what the
// window tests give MainWindow so that they never reach a real one. A test double: it is not
// part of lib/settings, and a suite that uses it compiles it in (its CMakeLists.txt lists it).
#pragma once

#include "settings/SecretBackend.h"

#include <QHash>

namespace qalam {

class MemorySecretBackend final : public SecretBackend
{
    Q_OBJECT

public:
    enum class Behaviour { Working, Unavailable, Refusing, Silent };

    // `vault`, when given, must outlive the backend; sharing one between backends plays a
    // keychain that persists across SecretStore instances.
    explicit MemorySecretBackend(Behaviour behaviour = Behaviour::Working,
                                 QHash<QString, QString> *vault = nullptr,
                                 QObject *parent = nullptr);

    void setBehaviour(Behaviour behaviour) { m_behaviour = behaviour; }
    Behaviour behaviour() const { return m_behaviour; }
    int callCount() const { return m_calls; }
    // Calls answered so far, their work (a write, a removal) done: equal to callCount() once the
    // backend has nothing left to answer (a Silent one never answers).
    int answerCount() const { return m_answers; }

    void read(const QString &account, Callback done) override;
    void write(const QString &account, const QString &secret, Callback done) override;
    void remove(const QString &account, Callback done) override;

private:
    // Answers from the event loop, as a real keychain does, unless the behaviour fails first.
    void answer(Callback done, std::function<Result()> work);

    Behaviour m_behaviour;
    QHash<QString, QString> m_ownVault;
    QHash<QString, QString> &m_vault;
    int m_calls = 0;
    int m_answers = 0;
};

} // namespace qalam
