#include "ConnectionTester.h"

#include "ProfileChatRequest.h"
#include "chat/ChatProtocol.h"
#include "settings/ProfileNetworkAccessManager.h"
#include "sse/HttpFields.h"
#include "sse/OneShotUploadDevice.h"
#include "sse/TlsErrorText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>

namespace qalam {

namespace {

// Enough of a body to read an error message or a long model list, not an endless stream.
constexpr qint64 kMaxBody = 4 * 1024 * 1024;

int statusOf(const QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

// <base>/models for a base URL that may also be the full …/chat/completions URL.
QUrl modelsUrl(QUrl url)
{
    QString path = url.path();
    if (path.endsWith(QLatin1String("/chat/completions")))
        path.chop(int(QLatin1String("/chat/completions").size()));
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QLatin1String("/models"));
    url.setQuery(QString());
    return url;
}

} // namespace

ConnectionTester::ConnectionTester(QObject *parent)
    : QObject(parent), m_network(std::make_unique<ProfileNetworkAccessManager>())
{
    qRegisterMetaType<Result>();
}

ConnectionTester::~ConnectionTester()
{
    dropReply();
}

void ConnectionTester::start(const Profile &profile, const QString &apiKey,
                             const ProxySettings &proxy)
{
    if (m_running)
        cancel();
    m_running = true;
    m_profile = profile;
    m_apiKey = apiKey;
    m_sslErrors.clear();
    // A name and a model are needed to save a profile, not to reach its server (the model list
    // is how one finds the model's name).
    Profile checked = profile;
    if (checked.name.trimmed().isEmpty())
        checked.name = QStringLiteral("test");
    if (checked.model.trimmed().isEmpty())
        checked.model = QStringLiteral("test");
    if (const QStringList problems = checked.validate(); !problems.isEmpty()) {
        finish(Outcome::Invalid, problems.join(QLatin1Char(' ')));
        return;
    }
    // A fresh manager per test: no connection, cookie or cached credential of an earlier test
    // (with other fields) decides this one.
    m_network = std::make_unique<ProfileNetworkAccessManager>();
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    if (const QString error = m_network->configure(profile, proxy); !error.isEmpty()) {
        finish(Outcome::Invalid, error);
        return;
    }
    send(profile.protocol == ChatProtocol::Kind::OpenAi ? Step::Models : Step::Chat);
}

void ConnectionTester::cancel()
{
    if (!m_running)
        return;
    finish(Outcome::Cancelled, tr("Test cancelled."));
}

void ConnectionTester::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void ConnectionTester::finish(Outcome outcome, const QString &text)
{
    dropReply();
    m_running = false;
    // Always from the event loop, also for what is known at once (an invalid profile).
    QTimer::singleShot(0, this,
                       [this, result = Result{outcome, text}] { Q_EMIT finished(result); });
}

void ConnectionTester::prepare(QNetworkRequest &request) const
{
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
}

// One request on the wire, as for an answer (docs/reliability.md): a body Qt can neither buffer
// nor rewind, so Qt 6.4 cannot send the question (or the GET) again by itself.
QNetworkReply *ConnectionTester::sendOnce(QNetworkRequest &request, const QByteArray &method,
                                          const QByteArray &body)
{
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    request.setHeader(QNetworkRequest::ContentLengthHeader, qint64(body.size()));
    auto *device = new OneShotUploadDevice(body);
    QNetworkReply *reply = m_network->sendCustomRequest(request, method, device);
    device->setParent(reply);
    return reply;
}

void ConnectionTester::send(Step step)
{
    m_step = step;
    const ChatRequest chat =
        makeChatRequest(m_profile, m_apiKey, {ChatMessage{ChatMessage::Role::User, tr("Hello")}});
    const SseRequest sse = ChatProtocol::create(m_profile.protocol)->buildRequest(chat);

    QNetworkReply *reply = nullptr;
    if (step == Step::Models) {
        QNetworkRequest request(modelsUrl(sse.url));
        prepare(request);
        for (const auto &[name, value] : sse.headers) {
            if (name.compare("Content-Type", Qt::CaseInsensitive) != 0 &&
                name.compare("Accept", Qt::CaseInsensitive) != 0)
                request.setRawHeader(name, value);
        }
        request.setRawHeader("Accept", "application/json");
        reply = sendOnce(request, "GET", QByteArray());
    } else {
        QNetworkRequest request(sse.url);
        prepare(request);
        for (const auto &[name, value] : sse.headers)
            request.setRawHeader(name, value);
        reply = sendOnce(request, sse.method, sse.body);
    }
    m_reply = reply;
    connect(reply, &QNetworkReply::metaDataChanged, this, &ConnectionTester::onMetaData);
    connect(reply, &QNetworkReply::finished, this, &ConnectionTester::onFinished);
    connect(reply, &QNetworkReply::sslErrors, this,
            [this](const QList<QSslError> &errors) { m_sslErrors = errors; });
    connect(reply, &QNetworkReply::readyRead, this, [this] {
        if (m_reply && m_reply->bytesAvailable() > kMaxBody && m_step == Step::Models)
            finish(Outcome::Refused, tr("The server's model list is larger than 4 MB."));
    });
}

// The chat request ends at its answer's head: a backend that accepts the question is reachable,
// and nothing more needs to be generated.
void ConnectionTester::onMetaData()
{
    if (!m_reply || m_step != Step::Chat)
        return;
    const int status = statusOf(m_reply);
    if (status < 200 || status >= 300)
        return; // read the error body to its end (onFinished)
    const QByteArray type = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    if (HttpFields::isEventStream(type)) {
        finish(Outcome::Connected, tr("Connected: the server accepts questions and streams its "
                                      "answers."));
    } else {
        finish(Outcome::Refused,
               tr("The server answered %1 but not with an event stream (Content-Type: %2): "
                  "check the URL and the protocol.")
                   .arg(status)
                   .arg(type.isEmpty() ? tr("none") : QString::fromLatin1(type)));
    }
}

void ConnectionTester::onFinished()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    const int status = statusOf(reply);
    if (status == 0) {
        finish(Outcome::Unreachable, networkFailure(reply));
        return;
    }
    const QByteArray body = reply->read(kMaxBody);
    if (status >= 300 && status < 400) {
        const QString location = reply->header(QNetworkRequest::LocationHeader).toUrl().toString();
        finish(Outcome::Refused,
               tr("Refused: %1 — the server redirects to %2; use that address as the URL.")
                   .arg(status)
                   .arg(location.isEmpty() ? tr("another address") : location));
        return;
    }
    if (m_step == Step::Models && (status == 404 || status == 405)) {
        dropReply();
        send(Step::Chat); // no model list here: ask the chat endpoint itself
        return;
    }
    if (status >= 200 && status < 300) {
        if (m_step == Step::Models)
            finish(Outcome::Connected, modelsResult(body));
        else
            onMetaData(); // a 2xx that ended before its head was looked at
        return;
    }
    QString reason = HttpFields::errorSummary(body);
    if (reason.isEmpty())
        reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    finish(Outcome::Refused, reason.isEmpty() ? tr("Refused: %1").arg(status)
                                              : tr("Refused: %1 — %2").arg(status).arg(reason));
}

QString ConnectionTester::modelsResult(const QByteArray &body) const
{
    const QJsonValue data = QJsonDocument::fromJson(body).object().value(QLatin1String("data"));
    if (!data.isArray())
        return tr("Connected (the server's answer to /models is not a model list).");
    const QJsonArray models = data.toArray();
    QString text = tr("Connected: %n model(s)", nullptr, int(models.size()));
    if (!m_profile.model.isEmpty()) {
        const bool listed = std::any_of(models.begin(), models.end(), [this](const QJsonValue &m) {
            return m.toObject().value(QLatin1String("id")).toString() == m_profile.model;
        });
        if (!listed)
            text += QLatin1Char(' ') +
                    tr("The model “%1” is not among them: check its name.").arg(m_profile.model);
    }
    return text;
}

QString ConnectionTester::networkFailure(QNetworkReply *reply) const
{
    const QString host = reply->url().host();
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return tr("Could not connect: connection refused by %1 (is the server running on "
                  "that port?).")
            .arg(host);
    case QNetworkReply::HostNotFoundError:
        return tr("Could not connect: the host “%1” was not found.").arg(host);
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // the transfer timeout
        return tr("Could not connect: no answer within %n second(s).", nullptr, m_timeoutMs / 1000);
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::ContentReSendError: // where Qt 6.4 would have asked again by itself
        return tr("Could not connect: the server closed the connection without answering.");
    case QNetworkReply::SslHandshakeFailedError:
        return m_sslErrors.isEmpty()
                   ? tr("TLS error: %1").arg(reply->errorString())
                   : tr("TLS error: %1").arg(TlsErrorText::describe(m_sslErrors, host));
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return tr("Could not connect through the proxy: %1").arg(reply->errorString());
    default:
        break;
    }
    return tr("Could not connect: %1").arg(reply->errorString());
}

} // namespace qalam
