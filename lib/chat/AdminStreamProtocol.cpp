#include "chat/AdminStreamProtocol.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace qalam {

namespace {

ChatUpdate payloadError(const SseEvent &event, const QString &why)
{
    ChatUpdate update;
    update.error =
        ChatError{QStringLiteral("bad_payload"),
                  AdminStreamProtocol::tr("the server sent a malformed '%1' event (id %2): %3")
                      .arg(event.type, event.lastEventId, why)};
    return update;
}

} // namespace

SseRequest AdminStreamProtocol::buildRequest(const ChatRequest &request) const
{
    SseRequest out;
    out.url = request.url;
    out.method = "POST";
    QString prompt;
    for (auto it = request.messages.crbegin(); it != request.messages.crend(); ++it) {
        if (it->role == ChatMessage::Role::User) {
            prompt = it->content;
            break;
        }
    }
    QJsonObject body{{QStringLiteral("prompt"), prompt},
                     {QStringLiteral("messages"), messagesArray(request.messages)}};
    if (!request.model.isEmpty())
        body.insert(QStringLiteral("model"), request.model);
    out.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    addCommonHeaders(out, request);
    return out;
}

void AdminStreamProtocol::reset()
{
    m_lastSeq = 0;
    m_resuming = false;
    m_streamId.clear();
}

ChatUpdate AdminStreamProtocol::handleEvent(const SseEvent &event)
{
    if (event.type == QLatin1String("ping"))
        return {};
    const bool known = event.type == QLatin1String("hello") ||
                       event.type == QLatin1String("delta") ||
                       event.type == QLatin1String("progress") ||
                       event.type == QLatin1String("done") || event.type == QLatin1String("error");
    if (!known)
        return {}; // forward compatibility: new event types are ignored

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(event.data.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return payloadError(event, parseError.errorString());
    if (!doc.isObject())
        return payloadError(event, tr("not a JSON object"));
    const QJsonObject payload = doc.object();

    ChatUpdate update;
    if (event.type == QLatin1String("hello")) {
        const QString streamId = payload.value(QLatin1String("stream_id")).toString();
        if (!m_streamId.isEmpty() && !streamId.isEmpty() && streamId != m_streamId) {
            // A resumed connection answered with a different stream: a new answer, whose deltas
            // spliced onto the text so far would make neither answer. Stop instead.
            update.error = ChatError{QStringLiteral("unknown_stream"),
                                     tr("the server started a new answer (stream %1) "
                                        "instead of resuming stream %2")
                                         .arg(streamId, m_streamId)};
            return update;
        }
        m_streamId = streamId;
        if (payload.contains(QLatin1String("model")))
            update.model = payload.value(QLatin1String("model")).toString();
    } else if (event.type == QLatin1String("delta")) {
        const QJsonValue text = payload.value(QLatin1String("text"));
        if (!text.isString())
            return payloadError(event, tr("no \"text\" string"));
        const qint64 seq = payload.value(QLatin1String("seq")).toInteger(-1);
        if (seq >= 0 && m_resuming) {
            m_lastSeq = seq - 1; // the caller holds deltas 1 to seq - 1 from an earlier connection
            m_resuming = false;
        }
        if (seq >= 0) {
            if (seq <= m_lastSeq)
                return {}; // replayed after a resume: already shown
            if (seq != m_lastSeq + 1) {
                update.error =
                    ChatError{QStringLiteral("gap"),
                              tr("the stream skipped deltas %1 to %2; the answer would be "
                                 "incomplete")
                                  .arg(m_lastSeq + 1)
                                  .arg(seq - 1)};
                return update;
            }
            m_lastSeq = seq;
        }
        update.text = text.toString();
    } else if (event.type == QLatin1String("progress")) {
        update.progress = payload.value(QLatin1String("message"))
                              .toString(payload.value(QLatin1String("stage")).toString());
        update.progressPercent = payload.value(QLatin1String("percent")).toInt(-1);
    } else if (event.type == QLatin1String("done")) {
        const qint64 deltas = payload.value(QLatin1String("deltas")).toInteger(-1);
        if (deltas >= 0 && deltas != m_lastSeq) {
            update.error = ChatError{
                QStringLiteral("gap"),
                tr("the server sent %1 deltas but %2 arrived").arg(deltas).arg(m_lastSeq)};
            return update;
        }
        update.finishReason =
            payload.value(QLatin1String("finish_reason")).toString(QStringLiteral("stop"));
        const QJsonValue usage = payload.value(QLatin1String("usage"));
        if (usage.isObject())
            update.usage = ChatUsage::fromJson(usage.toObject());
        update.complete = true;
    } else { // error
        update.error =
            ChatError{payload.value(QLatin1String("code")).toString(QStringLiteral("server_error")),
                      payload.value(QLatin1String("message")).toString()};
        if (update.error->message.isEmpty())
            update.error->message = tr("the server reported an error without a message");
    }
    return update;
}

} // namespace qalam
