#include "capture/Recording.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QUrlQuery>

namespace qalam::capture {

namespace {

QJsonArray headersJson(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QJsonArray array;
    for (const auto &[name, value] : headers)
        array.append(QJsonArray{QString::fromLatin1(name), QString::fromUtf8(value)});
    return array;
}

std::optional<QList<QPair<QByteArray, QByteArray>>> headersFrom(const QJsonValue &value)
{
    if (!value.isArray())
        return std::nullopt;
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const auto &entry : value.toArray()) {
        const QJsonArray pair = entry.toArray();
        if (pair.size() != 2 || !pair.at(0).isString() || !pair.at(1).isString())
            return std::nullopt;
        headers.append({pair.at(0).toString().toLatin1(), pair.at(1).toString().toUtf8()});
    }
    return headers;
}

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

// Bytes that are whole, valid UTF-8 are kept as text (a person can read them); anything else,
// a chunk that ends inside a character included, as base64, so the bytes stay exact.
QJsonObject bytesJson(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    if (!decoder.hasError() && text.toUtf8() == bytes)
        return {{QStringLiteral("text"), text}};
    return {{QStringLiteral("base64"), QString::fromLatin1(bytes.toBase64())}};
}

std::optional<QByteArray> bytesFrom(const QJsonObject &object)
{
    if (object.value(QLatin1String("text")).isString())
        return object.value(QLatin1String("text")).toString().toUtf8();
    if (object.value(QLatin1String("base64")).isString()) {
        const auto decoded = QByteArray::fromBase64Encoding(
            object.value(QLatin1String("base64")).toString().toLatin1(),
            QByteArray::AbortOnBase64DecodingErrors);
        if (decoded)
            return *decoded;
        return std::nullopt;
    }
    return QByteArray();
}

bool isSecretQueryItem(const QString &name)
{
    static const QStringList names{QStringLiteral("key"), QStringLiteral("api_key"),
                                   QStringLiteral("apikey"), QStringLiteral("token"),
                                   QStringLiteral("access_token")};
    return names.contains(name.toLower());
}

} // namespace

QString RecordedRequest::prompt() const
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    if (object.value(QLatin1String("prompt")).isString())
        return object.value(QLatin1String("prompt")).toString();
    const QJsonArray messages = object.value(QLatin1String("messages")).toArray();
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QJsonObject message = messages.at(i).toObject();
        if (message.value(QLatin1String("role")).toString() != QLatin1String("user"))
            continue;
        const QJsonValue content = message.value(QLatin1String("content"));
        if (content.isString())
            return content.toString();
        QString text; // content parts: the text ones, joined
        for (const auto &part : content.toArray())
            text += part.toObject().value(QLatin1String("text")).toString();
        return text;
    }
    return QUrlQuery(url).queryItemValue(QStringLiteral("prompt"), QUrl::FullyDecoded);
}

RecordedRequest Recording::redact(const SseRequest &request, const QString &protocol)
{
    RecordedRequest kept;
    kept.method = request.method;
    kept.protocol = protocol;
    kept.body = request.body;
    QUrl url = request.url.adjusted(QUrl::RemoveUserInfo);
    QUrlQuery query(url);
    auto items = query.queryItems(QUrl::FullyDecoded);
    for (auto &[name, value] : items) {
        if (isSecretQueryItem(name))
            value = QString::fromUtf8(redacted);
    }
    query.setQueryItems(items);
    url.setQuery(query);
    kept.url = url;
    for (const auto &[name, value] : request.headers)
        kept.headers.append({name, request.isSecretHeader(name) ? QByteArray(redacted) : value});
    if (!request.lastEventId.isEmpty())
        kept.headers.append({"Last-Event-ID", request.lastEventId.toUtf8()});
    return kept;
}

QByteArray Recording::headerLine() const
{
    return line({{QStringLiteral("type"), QStringLiteral("recording")},
                 {QStringLiteral("version"), formatVersion},
                 {QStringLiteral("created"), created.toUTC().toString(Qt::ISODateWithMs)},
                 {QStringLiteral("tool"), tool}});
}

QByteArray Recording::requestLine() const
{
    QJsonObject object{{QStringLiteral("type"), QStringLiteral("request")},
                       {QStringLiteral("method"), QString::fromLatin1(request.method)},
                       {QStringLiteral("url"), request.url.toString()},
                       {QStringLiteral("protocol"), request.protocol},
                       {QStringLiteral("headers"), headersJson(request.headers)}};
    const QJsonObject body = bytesJson(request.body);
    for (auto it = body.begin(); it != body.end(); ++it)
        object.insert(QStringLiteral("body_") + it.key(), it.value());
    return line(object);
}

QByteArray Recording::responseLine(const CapturedResponse &response)
{
    return line({{QStringLiteral("type"), QStringLiteral("response")},
                 {QStringLiteral("at_ms"), response.headAtMs},
                 {QStringLiteral("status"), response.status},
                 {QStringLiteral("reason"), QString::fromLatin1(response.reason)},
                 {QStringLiteral("headers"), headersJson(response.headers)}});
}

QByteArray Recording::chunkLine(const CapturedChunk &chunk)
{
    QJsonObject object = bytesJson(chunk.bytes);
    object.insert(QStringLiteral("type"), QStringLiteral("chunk"));
    object.insert(QStringLiteral("at_ms"), chunk.atMs);
    return line(object);
}

QByteArray Recording::endLine(const CapturedResponse &response)
{
    return line({{QStringLiteral("type"), QStringLiteral("end")},
                 {QStringLiteral("at_ms"), response.endedAtMs},
                 {QStringLiteral("error"), response.networkError},
                 {QStringLiteral("stopped"), response.stoppedByUs},
                 {QStringLiteral("truncated"), response.truncated}});
}

QByteArray Recording::toJsonLines() const
{
    QByteArray all = headerLine() + requestLine();
    if (response.headAtMs >= 0 || response.status != 0)
        all += responseLine(response);
    for (const CapturedChunk &chunk : response.chunks)
        all += chunkLine(chunk);
    return all + endLine(response);
}

std::optional<Recording> Recording::fromJsonLines(QByteArrayView bytes, QString *error)
{
    const auto fail = [error](int lineNumber, const QString &why) {
        if (error)
            *error = QStringLiteral("line %1: %2").arg(lineNumber).arg(why);
        return std::nullopt;
    };
    Recording recording;
    bool header = false;
    bool request = false;
    bool ended = false;
    int lineNumber = 0;
    qint64 lastAt = -1;
    for (QByteArrayView rest = bytes; !rest.isEmpty();) {
        const qsizetype end = rest.indexOf('\n');
        const QByteArrayView text = end < 0 ? rest : rest.first(end);
        rest = end < 0 ? QByteArrayView() : rest.sliced(end + 1);
        ++lineNumber;
        if (text.trimmed().isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(text.toByteArray(), &parseError);
        if (!document.isObject())
            return fail(lineNumber,
                        QStringLiteral("not a JSON object (%1)").arg(parseError.errorString()));
        const QJsonObject object = document.object();
        const QString type = object.value(QLatin1String("type")).toString();
        if (!header) {
            if (type != QLatin1String("recording"))
                return fail(lineNumber, QStringLiteral("not a Qalam recording (the first line "
                                                       "must have \"type\":\"recording\")"));
            const int version = object.value(QLatin1String("version")).toInt(-1);
            if (version != formatVersion)
                return fail(lineNumber, QStringLiteral("recording format version %1; this Qalam "
                                                       "reads version %2")
                                            .arg(version)
                                            .arg(formatVersion));
            recording.created = QDateTime::fromString(
                object.value(QLatin1String("created")).toString(), Qt::ISODateWithMs);
            recording.tool = object.value(QLatin1String("tool")).toString();
            header = true;
            continue;
        }
        if (ended)
            return fail(lineNumber, QStringLiteral("a line after the end"));
        if (type == QLatin1String("request")) {
            const auto headers = headersFrom(object.value(QLatin1String("headers")));
            QJsonObject body;
            for (const QLatin1String key : {QLatin1String("text"), QLatin1String("base64")}) {
                if (object.contains(QStringLiteral("body_") + key))
                    body.insert(QString(key), object.value(QStringLiteral("body_") + key));
            }
            const auto bodyBytes = bytesFrom(body);
            if (request || !headers || !bodyBytes)
                return fail(lineNumber, QStringLiteral("a malformed or second request"));
            recording.request.method = object.value(QLatin1String("method")).toString().toLatin1();
            recording.request.url = QUrl(object.value(QLatin1String("url")).toString());
            recording.request.protocol = object.value(QLatin1String("protocol")).toString();
            recording.request.headers = *headers;
            recording.request.body = *bodyBytes;
            request = true;
        } else if (type == QLatin1String("response")) {
            const auto headers = headersFrom(object.value(QLatin1String("headers")));
            const int status = object.value(QLatin1String("status")).toInt(-1);
            if (!request || recording.response.status != 0 || !headers || status < 100 ||
                status > 599)
                return fail(lineNumber, QStringLiteral("a malformed or misplaced response"));
            recording.response.status = status;
            recording.response.reason = object.value(QLatin1String("reason")).toString().toLatin1();
            recording.response.headers = *headers;
            recording.response.headAtMs = object.value(QLatin1String("at_ms")).toInteger(0);
            lastAt = recording.response.headAtMs;
        } else if (type == QLatin1String("chunk")) {
            const auto chunk = bytesFrom(object);
            const qint64 at = object.value(QLatin1String("at_ms")).toInteger(-1);
            if (recording.response.status == 0 || !chunk || at < lastAt)
                return fail(lineNumber, QStringLiteral("a malformed or misplaced chunk (times "
                                                       "must not go back)"));
            recording.response.chunks.append({at, *chunk});
            lastAt = at;
        } else if (type == QLatin1String("end")) {
            if (!request)
                return fail(lineNumber, QStringLiteral("the end before the request"));
            recording.response.endedAtMs =
                std::max(lastAt, qint64(object.value(QLatin1String("at_ms")).toInteger(lastAt)));
            recording.response.networkError = object.value(QLatin1String("error")).toString();
            recording.response.stoppedByUs = object.value(QLatin1String("stopped")).toBool();
            recording.response.truncated = object.value(QLatin1String("truncated")).toBool();
            ended = true;
        } else {
            return fail(lineNumber, QStringLiteral("unknown line type '%1'").arg(type.left(40)));
        }
    }
    if (!header)
        return fail(lineNumber, QStringLiteral("empty: not a Qalam recording"));
    if (!request)
        return fail(lineNumber, QStringLiteral("no request"));
    if (!ended) {
        recording.response.endedAtMs = lastAt;
        recording.response.networkError =
            QStringLiteral("the recording ends before the response did");
    }
    return recording;
}

std::optional<Recording> Recording::read(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > maxFileBytes) {
        if (error)
            *error = QStringLiteral("%1 is %2 MiB; recordings over %3 MiB are refused")
                         .arg(path)
                         .arg(file.size() >> 20)
                         .arg(maxFileBytes >> 20);
        return std::nullopt;
    }
    QString why;
    auto recording = fromJsonLines(file.readAll(), &why);
    if (!recording && error)
        *error = QStringLiteral("%1: %2").arg(path, why);
    return recording;
}

} // namespace qalam::capture
