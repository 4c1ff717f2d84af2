#include "chat/OpenAiProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace qalam {

namespace {

QString errorMessage(const QJsonValue &error)
{
    if (error.isString())
        return error.toString();
    const QJsonObject object = error.toObject();
    QString message = object.value(QLatin1String("message")).toString();
    if (message.isEmpty())
        message = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    return message;
}

QString errorCode(const QJsonValue &error)
{
    const QJsonObject object = error.toObject();
    const QJsonValue code = object.value(QLatin1String("code"));
    if (code.isString())
        return code.toString();
    if (code.isDouble())
        return QString::number(code.toInteger());
    const QString type = object.value(QLatin1String("type")).toString();
    return type.isEmpty() ? QStringLiteral("server_error") : type;
}

// What the server reported, made showable: an `error` event with no data, `"error": ""` or an
// empty code would otherwise reach the chat window as a failure with nothing to say (found by
// tests/fuzz/fuzz_openaiprotocol).
ChatError serverError(const QString &code, const QString &message)
{
    return ChatError{code.isEmpty() ? QStringLiteral("server_error") : code,
                     message.trimmed().isEmpty()
                         ? OpenAiProtocol::tr("the server reported an error without a message")
                         : message};
}

} // namespace

QUrl OpenAiProtocol::completionsUrl(const QUrl &base)
{
    QUrl url = base;
    QString path = url.path();
    if (path.endsWith(QLatin1String("/chat/completions")))
        return url;
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QLatin1String("/chat/completions"));
    return url;
}

SseRequest OpenAiProtocol::buildRequest(const ChatRequest &request) const
{
    SseRequest out;
    out.url = completionsUrl(request.url);
    out.method = "POST";
    QJsonObject body{{QStringLiteral("model"), request.model},
                     {QStringLiteral("messages"), messagesArray(request.messages)},
                     {QStringLiteral("stream"), true}};
    if (request.includeUsage)
        body.insert(QStringLiteral("stream_options"),
                    QJsonObject{{QStringLiteral("include_usage"), true}});
    out.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    addCommonHeaders(out, request);
    return out;
}

ChatUpdate OpenAiProtocol::handleEvent(const SseEvent &event)
{
    ChatUpdate update;
    // Some servers name their error events; everything else arrives as the default type.
    const bool errorEvent = event.type == QLatin1String("error");
    if (!errorEvent && event.type != QLatin1String("message"))
        return update;
    if (!errorEvent && QStringView(event.data).trimmed() == QLatin1String("[DONE]")) {
        update.complete = true;
        if (!m_finishReason.isEmpty())
            update.finishReason = m_finishReason;
        return update;
    }

    OpenAiChunkScanner::Chunk chunk;
    if (errorEvent || !m_scannerEnabled || !m_scanner.scan(event.data, chunk))
        return parseChunk(event, errorEvent);
    if (chunk.hasModel) {
        if (m_model != chunk.model)
            m_model = chunk.model.toString();
        update.model = m_model;
    }
    update.text = std::move(chunk.text);
    update.reasoning = std::move(chunk.reasoningContent);
    update.reasoning += chunk.reasoning;
    if (chunk.hasFinishReason) {
        if (m_finishReason != chunk.finishReason)
            m_finishReason = chunk.finishReason.toString();
        update.finishReason = m_finishReason;
        if (m_finishReason == QLatin1String("error")) {
            update.error =
                ChatError{QStringLiteral("server_error"), tr("the model stopped with an error")};
        }
    }
    return update;
}

// The general way: the whole chunk through QJsonDocument.
ChatUpdate OpenAiProtocol::parseChunk(const SseEvent &event, bool errorEvent)
{
    ChatUpdate update;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(event.data.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        const QString why = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                         : tr("not a JSON object");
        update.error =
            serverError(QStringLiteral("bad_payload"),
                        errorEvent ? event.data.left(500)
                                   : tr("the server sent a malformed chunk: %1").arg(why));
        return update;
    }
    const QJsonObject chunk = doc.object();

    if (chunk.contains(QLatin1String("error"))) {
        const QJsonValue error = chunk.value(QLatin1String("error"));
        update.error = serverError(errorCode(error), errorMessage(error));
        return update;
    }
    if (errorEvent || chunk.value(QLatin1String("object")).toString() == QLatin1String("error")) {
        update.error = serverError(errorCode(chunk), errorMessage(chunk));
        return update;
    }

    if (const QJsonValue model = chunk.value(QLatin1String("model")); model.isString())
        update.model = model.toString();

    const QJsonArray choices = chunk.value(QLatin1String("choices")).toArray();
    for (const auto &value : choices) {
        const QJsonObject choice = value.toObject();
        // Only the first choice is shown; n > 1 is not something a chat window asks for.
        if (choice.value(QLatin1String("index")).toInt(0) != 0)
            continue;
        const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
        update.text += delta.value(QLatin1String("content")).toString(); // null -> ""
        update.reasoning += delta.value(QLatin1String("reasoning_content")).toString();
        update.reasoning += delta.value(QLatin1String("reasoning")).toString();
        const QJsonValue finish = choice.value(QLatin1String("finish_reason"));
        if (finish.isString()) {
            m_finishReason = finish.toString();
            update.finishReason = m_finishReason;
            if (m_finishReason == QLatin1String("error")) {
                update.error = ChatError{QStringLiteral("server_error"),
                                         tr("the model stopped with an error")};
            }
        }
    }

    const QJsonValue usage = chunk.value(QLatin1String("usage"));
    if (usage.isObject())
        update.usage = ChatUsage::fromJson(usage.toObject());
    return update;
}

} // namespace qalam
