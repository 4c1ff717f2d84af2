// ConnectionTester: the profile editor's "Test connection". It asks the backend of a profile, as
// the form has it (unsaved), one small question, through the same network set-up an answer
// would use (the profile's TLS trust, the proxy preference, its headers and key), and says in
// one sentence what happened:
//   OpenAI-compatible: GET <base>/models ("Connected: 12 models"); a server without a model
//   list (404, 405) is asked the chat request itself instead, and the test ends at the head of
//   its answer.
//   Admin stream: the chat request with a one-word question, ended at the head of its answer.
// A refusal quotes the status and the server's own error text, a failure to connect says why
// (refused, host not found, no answer in time, TLS). Redirects are reported, not followed. The
// key is never logged nor part of a message. One test at a time; cancel() (or destroying the
// tester) ends it at once.
#pragma once

#include "settings/Preferences.h"
#include "settings/Profile.h"

#include <QObject>
#include <QPointer>
#include <QSslError>

#include <memory>

class QNetworkReply;
class QNetworkRequest;

namespace qalam {

class ProfileNetworkAccessManager;

class ConnectionTester : public QObject
{
    Q_OBJECT

public:
    static constexpr int defaultTimeoutMs = 15000;

    enum class Outcome {
        Connected,   // the backend answered as a backend should
        Refused,     // it answered, with an error status or something that is not an answer
        Unreachable, // no answer: connection refused, host not found, timeout, TLS
        Invalid,     // the profile cannot be used as it is (its problems are the text)
        Cancelled,
    };
    Q_ENUM(Outcome)

    struct Result
    {
        Outcome outcome = Outcome::Cancelled;
        QString text; // one or two sentences, translated
    };

    explicit ConnectionTester(QObject *parent = nullptr);
    ~ConnectionTester() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

    // `profile` with its secret header values filled in; `apiKey` may be empty. A test already
    // running is cancelled first. finished() comes later, from the event loop, exactly once.
    void start(const Profile &profile, const QString &apiKey, const ProxySettings &proxy);
    // Ends the running test (finished() says Cancelled); nothing when none runs.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(const qalam::ConnectionTester::Result &result);

private:
    enum class Step { Models, Chat };

    void send(Step step);
    void prepare(QNetworkRequest &request) const;
    QNetworkReply *sendOnce(QNetworkRequest &request, const QByteArray &method,
                            const QByteArray &body);
    void onMetaData();
    void onFinished();
    void finish(Outcome outcome, const QString &text);
    QString networkFailure(QNetworkReply *reply) const;
    QString modelsResult(const QByteArray &body) const;
    void dropReply();

    std::unique_ptr<ProfileNetworkAccessManager> m_network;
    QPointer<QNetworkReply> m_reply;
    Profile m_profile;
    QString m_apiKey;
    Step m_step = Step::Models;
    QList<QSslError> m_sslErrors;
    int m_timeoutMs = defaultTimeoutMs;
    bool m_running = false;
};

} // namespace qalam

Q_DECLARE_METATYPE(qalam::ConnectionTester::Result)
