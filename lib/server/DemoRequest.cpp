#include "server/DemoRequest.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace qalam::server {

namespace {

// A JSON integer: a number with no fractional part, within the range a double holds exactly.
std::optional<qint64> integerValue(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d != std::floor(d) || std::abs(d) > 9007199254740991.0)
        return std::nullopt;
    return qint64(d);
}

// The body as a JSON object; nothing (with `error` set) when it is not one.
std::optional<QJsonObject> parseJsonObject(const QByteArray &body, QString &error)
{
    if (body.trimmed().isEmpty()) {
        error = QStringLiteral("the request body is empty; expected a JSON object");
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        error = QStringLiteral("malformed JSON at byte %1: %2")
                    .arg(parseError.offset)
                    .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        error = QStringLiteral("the request body must be a JSON object");
        return std::nullopt;
    }
    return doc.object();
}

// The text of an OpenAI message's content: a string, or an array of parts whose text parts
// are joined.
QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    for (const auto &part : content.toArray()) {
        const QJsonObject object = part.toObject();
        if (object.value(QLatin1String("type")).toString() == QLatin1String("text"))
            text += object.value(QLatin1String("text")).toString();
    }
    return text;
}

DemoChatRequest failed(const QString &error)
{
    DemoChatRequest request;
    request.error = error;
    return request;
}

constexpr qsizetype kDigestDigits = 8;
constexpr qsizetype kRandomDigits = 12;

bool isLowerHex(QStringView text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
               (c >= QLatin1Char('a') && c <= QLatin1Char('f'));
    });
}

} // namespace

DemoChatRequest parseAdminStreamBody(const QByteArray &body)
{
    DemoChatRequest request;
    const auto object = parseJsonObject(body, request.error);
    if (!object)
        return request;
    const QJsonValue promptValue = object->value(QLatin1String("prompt"));
    if (!promptValue.isString())
        return failed(QStringLiteral("\"prompt\" is required and must be a string"));
    request.prompt = promptValue.toString();
    const QJsonValue langValue = object->value(QLatin1String("lang"));
    if (!langValue.isUndefined() && !langValue.isString())
        return failed(QStringLiteral("\"lang\" must be \"ar\" or \"en\""));
    request.language = langValue.toString();
    // Not interpreted (the demo answers the prompt), but part of what the answer is for.
    if (const QJsonValue messages = object->value(QLatin1String("messages"));
        !messages.isUndefined())
        request.messages = QJsonDocument(QJsonArray{messages}).toJson(QJsonDocument::Compact);
    const QJsonValue modelValue = object->value(QLatin1String("model"));
    if (!modelValue.isUndefined() && !modelValue.isNull() && !modelValue.isString())
        return failed(QStringLiteral("\"model\" must be a string"));
    if (!modelValue.toString().isEmpty())
        request.model = modelValue.toString();
    if (const QJsonValue seedValue = object->value(QLatin1String("seed"));
        !seedValue.isUndefined()) {
        const auto n = integerValue(seedValue);
        if (!n)
            return failed(QStringLiteral("\"seed\" must be an integer"));
        request.seed = quint64(*n);
    }
    request.error = adminPromptError(request.prompt, request.language);
    return request;
}

DemoChatRequest parseAdminStreamQuery(const QUrlQuery &query)
{
    DemoChatRequest request;
    request.prompt = query.queryItemValue(QStringLiteral("prompt"), QUrl::FullyDecoded);
    request.language = query.queryItemValue(QStringLiteral("lang"), QUrl::FullyDecoded);
    if (query.hasQueryItem(QStringLiteral("model")))
        request.model = query.queryItemValue(QStringLiteral("model"), QUrl::FullyDecoded);
    if (query.hasQueryItem(QStringLiteral("seed"))) {
        bool ok = false;
        request.seed = query.queryItemValue(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return failed(QStringLiteral("'seed' must be a whole number"));
    }
    request.error = adminPromptError(request.prompt, request.language);
    return request;
}

QString adminPromptError(const QString &prompt, const QString &language)
{
    if (prompt.trimmed().isEmpty())
        return QStringLiteral("the prompt is empty");
    if (!language.isEmpty() && language != QLatin1String("ar") && language != QLatin1String("en"))
        return QStringLiteral("\"lang\" must be \"ar\" or \"en\", not \"%1\"").arg(language);
    return {};
}

DemoChatRequest parseCompletionsBody(const QByteArray &body)
{
    DemoChatRequest request;
    const auto object = parseJsonObject(body, request.error);
    if (!object)
        return request;
    const QJsonValue messages = object->value(QLatin1String("messages"));
    if (!messages.isArray() || messages.toArray().isEmpty())
        return failed(QStringLiteral("\"messages\" must be a non-empty array"));
    const QJsonArray list = messages.toArray();
    for (qsizetype i = list.size() - 1; i >= 0; --i) {
        const QJsonObject message = list.at(i).toObject();
        if (message.value(QLatin1String("role")).toString() == QLatin1String("user")) {
            request.prompt = contentText(message.value(QLatin1String("content")));
            break;
        }
    }
    if (request.prompt.trimmed().isEmpty())
        return failed(QStringLiteral("\"messages\" has no user message with text"));
    const QJsonValue streamValue = object->value(QLatin1String("stream"));
    if (!streamValue.isUndefined() && !streamValue.isNull() && !streamValue.isBool())
        return failed(QStringLiteral("\"stream\" must be true or false"));
    request.stream = streamValue.toBool();
    // Unlike the admin stream, any string (even "") names the model, as before.
    if (const QJsonValue model = object->value(QLatin1String("model")); model.isString())
        request.model = model.toString();
    if (const QJsonValue seedValue = object->value(QLatin1String("seed"));
        !seedValue.isUndefined() && !seedValue.isNull()) {
        const auto n = integerValue(seedValue);
        if (!n)
            return failed(QStringLiteral("\"seed\" must be an integer"));
        request.seed = quint64(*n);
    }
    request.includeUsage = object->value(QLatin1String("stream_options"))
                               .toObject()
                               .value(QLatin1String("include_usage"))
                               .toBool(false);
    return request;
}

ResumePoint parseLastEventId(QByteArrayView lastEventId)
{
    ResumePoint point;
    const qsizetype dot = lastEventId.lastIndexOf('.');
    bool ok = false;
    const qint64 index = dot > 0 ? lastEventId.sliced(dot + 1).toLongLong(&ok) : -1;
    if (dot > 0)
        point.streamId = QString::fromUtf8(lastEventId.first(dot));
    if (ok && index >= 0)
        point.index = index;
    return point;
}

QString answerDigest(const AnswerRequest &request, QByteArrayView corpusFingerprint)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    // Each field length-prefixed, so no two requests make the same bytes. The version names the
    // way an answer becomes events (corpus pick, chunking, event layout): change it with them.
    const auto add = [&hash](QByteArrayView bytes) {
        hash.addData(QByteArray::number(bytes.size()) + ':');
        hash.addData(bytes);
    };
    add("qalam-demo-answer/1");
    add(corpusFingerprint);
    add(request.prompt.toUtf8());
    add(request.messages);
    add(request.language.toUtf8());
    add(request.model.toUtf8());
    add(QByteArray::number(request.seed));
    return QString::fromLatin1(hash.result().first(kDigestDigits / 2).toHex());
}

QString adminStreamId(const QString &digest, const QString &random)
{
    return QStringLiteral("s-") + digest + QLatin1Char('-') + random;
}

QString streamIdDigest(QStringView streamId)
{
    static constexpr qsizetype size = 2 + kDigestDigits + 1 + kRandomDigits;
    if (streamId.size() != size || !streamId.startsWith(QLatin1String("s-")) ||
        streamId[2 + kDigestDigits] != QLatin1Char('-'))
        return {};
    const QStringView digest = streamId.sliced(2, kDigestDigits);
    if (!isLowerHex(digest) || !isLowerHex(streamId.sliced(2 + kDigestDigits + 1)))
        return {};
    return digest.toString();
}

QString hostName(QByteArrayView hostHeader)
{
    QString host = QString::fromLatin1(hostHeader.trimmed()).toLower();
    if (host.startsWith(QLatin1Char('['))) {
        const qsizetype close = host.indexOf(QLatin1Char(']'));
        if (close < 0)
            return {};
        return host.mid(1, close - 1);
    }
    if (const qsizetype colon = host.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        if (host.indexOf(QLatin1Char(':')) != colon)
            return {}; // an IPv6 address must be in brackets
        host.truncate(colon);
    }
    while (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    return host;
}

bool hostAllowed(QByteArrayView hostHeader, const QHostAddress &bound,
                 const QStringList &allowedHosts)
{
    const QString host = hostName(hostHeader);
    if (host.isEmpty())
        return false;
    for (const QString &allowed : allowedHosts) {
        if (allowed == QLatin1String("*") || hostName(allowed.toLatin1()) == host)
            return true;
    }
    const QHostAddress literal(host);
    if (!literal.isNull()) {
        const bool wildcard = bound == QHostAddress(QHostAddress::AnyIPv4) ||
                              bound == QHostAddress(QHostAddress::AnyIPv6) ||
                              bound == QHostAddress(QHostAddress::Any);
        return wildcard || literal.isEqual(bound, QHostAddress::TolerantConversion) ||
               (bound.isLoopback() && literal.isLoopback());
    }
    if (host == QLatin1String("localhost") || host.endsWith(QLatin1String(".localhost")))
        return bound.isLoopback() || bound == QHostAddress(QHostAddress::AnyIPv4) ||
               bound == QHostAddress(QHostAddress::AnyIPv6) ||
               bound == QHostAddress(QHostAddress::Any);
    return !host.contains(QLatin1Char('.'));
}

QString normalizedOrigin(QByteArrayView origin)
{
    const QUrl url(QString::fromLatin1(origin.trimmed()), QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty() || !url.path().isEmpty())
        return {};
    QString out = url.scheme().toLower() + QStringLiteral("://") + url.host(QUrl::FullyEncoded);
    if (url.host().contains(QLatin1Char(':')))
        out = url.scheme().toLower() + QStringLiteral("://[") + url.host() + QLatin1Char(']');
    if (url.port() >= 0)
        out += QLatin1Char(':') + QString::number(url.port());
    return out.toLower();
}

bool originAllowed(QByteArrayView origin, QByteArrayView hostHeader,
                   const QStringList &allowedOrigins)
{
    const QString normalized = normalizedOrigin(origin);
    if (normalized.isEmpty())
        return false; // "null" (a sandboxed page, a file) and anything malformed
    if (normalized ==
        QStringLiteral("http://") + QString::fromLatin1(hostHeader.trimmed()).toLower())
        return true;
    return std::any_of(allowedOrigins.cbegin(), allowedOrigins.cend(),
                       [&normalized](const QString &allowed) {
                           return allowed == QLatin1String("*") ||
                                  normalizedOrigin(allowed.toLatin1()) == normalized;
                       });
}

} // namespace qalam::server
