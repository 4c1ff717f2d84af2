#include "doctor/StreamDiagnosis.h"

#include "doctor/EventTimeline.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace qalam::doctor {

namespace {

using Verdict = DoctorCheck::Verdict;

// Reads within this of the first read of an arrival are that arrival (a proxy's flushed
// buffer comes in a few reads at once; paced events at 150/s are 6-7 ms apart).
constexpr qint64 kSameArrivalMs = 2;
constexpr qint64 kHeartbeatDueMs = 20000; // the admin stream's promise (docs/protocol.md)
const QString kNginxDoc = QStringLiteral("docs/deploy-behind-nginx.md");

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', ms < 10000 ? 2 : 1) + QStringLiteral(" s");
}

// What the answer's events meant, read through the protocol adapter as Qalam reads them.
struct AnswerRead
{
    QString text;
    QList<qint64> textTimes; // the arrival of each event that carried text
    qint64 firstTextAtMs = -1;
    bool complete = false;
    std::optional<ChatError> error;
    int events = 0;
};

AnswerRead readAnswer(ChatProtocol::Kind kind, const EventTimeline &timeline, bool resumed)
{
    AnswerRead read;
    const auto protocol = ChatProtocol::create(kind);
    if (resumed)
        protocol->prepareResume();
    for (const TimedEvent &timed : timeline.events) {
        ++read.events;
        const ChatUpdate update = protocol->handleEvent(timed.event);
        if (!update.text.isEmpty()) {
            read.text += update.text;
            read.textTimes.append(timed.atMs);
            if (read.firstTextAtMs < 0)
                read.firstTextAtMs = timed.atMs;
        }
        if (update.error && !read.error)
            read.error = update.error;
        if (update.complete)
            read.complete = true;
        if (update.complete || update.error)
            break;
    }
    return read;
}

// The `seq` of each admin `delta` event, in arrival order.
QList<int> deltaSeqs(const EventTimeline &timeline)
{
    QList<int> seqs;
    for (const TimedEvent &timed : timeline.events) {
        if (timed.event.type != QLatin1String("delta"))
            continue;
        const QJsonObject object = QJsonDocument::fromJson(timed.event.data.toUtf8()).object();
        seqs.append(object.value(QLatin1String("seq")).toInt(-1));
    }
    return seqs;
}

int arrivalGroups(const QList<qint64> &times)
{
    int groups = 0;
    qint64 start = -1000000;
    for (const qint64 t : times) {
        if (t - start > kSameArrivalMs) {
            ++groups;
            start = t;
        }
    }
    return groups;
}

qint64 longestSilence(const CapturedResponse &response)
{
    qint64 longest = 0;
    qint64 previous = response.headAtMs < 0 ? 0 : response.headAtMs;
    for (const CapturedChunk &chunk : response.chunks) {
        longest = std::max(longest, chunk.atMs - previous);
        previous = chunk.atMs;
    }
    if (response.endedAtMs >= 0)
        longest = std::max(longest, response.endedAtMs - previous);
    return longest;
}

int heartbeats(const EventTimeline &timeline)
{
    int count = int(timeline.commentTimes.size());
    for (const TimedEvent &timed : timeline.events) {
        if (timed.event.type == QLatin1String("ping"))
            ++count;
    }
    return count;
}

class ReportBuilder
{
public:
    void add(const QString &id, Verdict verdict, const QString &seen, const QString &fix = {})
    {
        m_report.append({id, verdict, seen, verdict == Verdict::Pass ? QString() : fix});
    }
    void skipRest(const QString &why)
    {
        for (const QString &id : StreamDiagnosis::checkIds()) {
            const bool done =
                std::any_of(m_report.cbegin(), m_report.cend(),
                            [&id](const DoctorCheck &check) { return check.id == id; });
            if (!done)
                add(id, Verdict::Skip, why);
        }
    }
    DoctorReport take() { return std::move(m_report); }

private:
    DoctorReport m_report;
};

bool checkStatus(ReportBuilder &report, const CapturedResponse &full)
{
    if (full.status == 0) {
        report.add(QStringLiteral("status"), Verdict::Fail,
                   full.networkError.isEmpty()
                       ? QStringLiteral("no response")
                       : QStringLiteral("no response: ") + full.networkError,
                   QStringLiteral("check that the server runs and that the URL is right"));
        return false;
    }
    const QString statusLine = QStringLiteral("HTTP %1 %2")
                                   .arg(full.status)
                                   .arg(QString::fromLatin1(full.reason).left(80))
                                   .trimmed();
    if (full.status == 200) {
        report.add(QStringLiteral("status"), Verdict::Pass, statusLine);
        return true;
    }
    QString fix;
    if (full.status >= 300 && full.status < 400) {
        fix = QStringLiteral("the endpoint redirects to %1; point Qalam at that URL")
                  .arg(QString::fromLatin1(full.header("Location")).left(200));
    } else if (full.status == 401 || full.status == 403) {
        fix = QStringLiteral("the credentials were refused: check the API key and its header");
    } else if (full.status == 404) {
        fix = QStringLiteral("no such route: check the URL's path (docs/protocol.md names the "
                             "routes)");
    } else if (full.status == 204) {
        fix = QStringLiteral("204 tells EventSource clients to stop; answer the stream with 200");
    } else {
        fix = QStringLiteral("the server refused the request; its body says why");
    }
    QString body = QString::fromUtf8(full.body().left(200)).simplified();
    report.add(QStringLiteral("status"), Verdict::Fail,
               body.isEmpty() ? statusLine : statusLine + QStringLiteral(": ") + body, fix);
    return false;
}

bool checkContentType(ReportBuilder &report, const CapturedResponse &full)
{
    const QByteArray type = full.header("Content-Type");
    const QByteArray mime = type.split(';').first().trimmed().toLower();
    if (mime == "text/event-stream") {
        report.add(QStringLiteral("content-type"), Verdict::Pass, QString::fromLatin1(type));
        return true;
    }
    report.add(QStringLiteral("content-type"), Verdict::Fail,
               type.isEmpty() ? QStringLiteral("no Content-Type") : QString::fromLatin1(type),
               QStringLiteral("answer with `Content-Type: text/event-stream` (EventSource clients "
                              "refuse anything else)"));
    return false;
}

void checkHeaders(ReportBuilder &report, const CapturedResponse &full)
{
    const QByteArray cache = full.header("Cache-Control").toLower();
    const bool noCache = cache.contains("no-cache") || cache.contains("no-store");
    const bool noTransform = cache.contains("no-transform");
    const QString cacheSeen = full.hasHeader("Cache-Control")
                                  ? QString::fromLatin1(full.header("Cache-Control"))
                                  : QStringLiteral("no Cache-Control");
    report.add(QStringLiteral("cache-control"),
               noCache && noTransform ? Verdict::Pass : Verdict::Warn, cacheSeen,
               noCache ? QStringLiteral("add `no-transform` (`Cache-Control: no-cache, "
                                        "no-transform`) so proxies and CDNs do not compress or "
                                        "rewrite the stream")
                       : QStringLiteral("send `Cache-Control: no-cache, no-transform`: caches "
                                        "must not keep a stream, proxies must not transform it"));

    const QByteArray accel = full.header("X-Accel-Buffering").trimmed().toLower();
    report.add(QStringLiteral("x-accel-buffering"), accel == "no" ? Verdict::Pass : Verdict::Warn,
               full.hasHeader("X-Accel-Buffering")
                   ? QStringLiteral("X-Accel-Buffering: ") + QString::fromLatin1(accel)
                   : QStringLiteral("no X-Accel-Buffering"),
               QStringLiteral("send `X-Accel-Buffering: no`, or put `proxy_buffering off;` in the "
                              "nginx location (%1)")
                   .arg(kNginxDoc));

    report.add(QStringLiteral("content-length"),
               full.hasHeader("Content-Length") ? Verdict::Fail : Verdict::Pass,
               full.hasHeader("Content-Length")
                   ? QStringLiteral("Content-Length: ") +
                         QString::fromLatin1(full.header("Content-Length"))
                   : QStringLiteral("none (chunked or close-delimited)"),
               QStringLiteral("a stream has no length: drop Content-Length (proxies wait for the "
                              "whole body, and the stream ends at that byte count)"));
}

void checkBuffering(ReportBuilder &report, const CapturedResponse &full, const AnswerRead &answer)
{
    const QByteArray encoding = full.header("Content-Encoding").trimmed().toLower();
    const bool compressed = !encoding.isEmpty() && encoding != "identity";
    const qsizetype pieces = answer.textTimes.size();
    const int groups = arrivalGroups(answer.textTimes);
    Verdict verdict = Verdict::Pass;
    QString seen;
    if (pieces < 4) {
        verdict = Verdict::Skip;
        seen = QStringLiteral("only %1 pieces of text: too few to tell").arg(pieces);
    } else {
        const qint64 first = answer.textTimes.first();
        const qint64 last = answer.textTimes.last();
        // Measured from the request, not the head: a buffering proxy holds the head back too.
        if (groups <= 2 && first >= 500) {
            verdict = Verdict::Fail;
            seen = QStringLiteral("all %1 pieces of text arrived within %2, %3 after the request: "
                                  "something between the server and here held them back")
                       .arg(pieces)
                       .arg(seconds(last - first), seconds(first));
        } else if (groups <= 2) {
            verdict = Verdict::Warn;
            seen = QStringLiteral("the whole answer (%1 pieces) arrived within %2: too fast to "
                                  "tell; ask a question with a longer answer")
                       .arg(pieces)
                       .arg(seconds(last));
        } else if (pieces >= 20 && groups * 5 < pieces) {
            verdict = Verdict::Warn;
            seen = QStringLiteral("%1 pieces of text in only %2 arrivals (about %3 at a time): a "
                                  "buffer fills before it is sent")
                       .arg(pieces)
                       .arg(groups)
                       .arg(pieces / std::max(1, groups));
        } else {
            seen = QStringLiteral("%1 pieces of text in %2 separate arrivals over %3")
                       .arg(pieces)
                       .arg(groups)
                       .arg(seconds(last - first));
        }
    }
    report.add(QStringLiteral("buffering"), verdict, seen,
               QStringLiteral("turn proxy buffering off for the stream: `proxy_buffering off;` or "
                              "the upstream header `X-Accel-Buffering: no` (%1); a compressor "
                              "must flush after each event")
                   .arg(kNginxDoc));

    if (!compressed) {
        report.add(QStringLiteral("compression"), Verdict::Pass, QStringLiteral("none"));
    } else {
        const bool flushed = verdict == Verdict::Pass;
        report.add(QStringLiteral("compression"), flushed ? Verdict::Pass : Verdict::Warn,
                   flushed ? QStringLiteral("Content-Encoding: %1, flushed per event")
                                 .arg(QString::fromLatin1(encoding))
                           : QStringLiteral("Content-Encoding: %1, and the text does not arrive "
                                            "event by event")
                                 .arg(QString::fromLatin1(encoding)),
                   QStringLiteral("turn compression off for text/event-stream (nginx: `gzip off;` "
                                  "in the stream's location), or flush the compressor after "
                                  "each event"));
    }
}

void checkHeartbeat(ReportBuilder &report, const DiagnosisInput &input,
                    const EventTimeline &fullTimeline)
{
    qint64 silence = longestSilence(input.full);
    int beats = heartbeats(fullTimeline);
    qint64 watched = input.full.endedAtMs - std::max<qint64>(0, input.full.headAtMs);
    if (input.longRun && input.longRun->status == 200) {
        silence = std::max(silence, longestSilence(*input.longRun));
        beats += heartbeats(EventTimeline::read(*input.longRun));
        watched = std::max(watched,
                           input.longRun->endedAtMs - std::max<qint64>(0, input.longRun->headAtMs));
    }
    const QString fix = QStringLiteral(
        "send a heartbeat (a `: ping` comment, or a `ping` event) every 15-20 s while nothing "
        "else is sent; nginx's `proxy_read_timeout` (60 s by default) cuts a longer silence");
    if (silence > input.proxyTimeoutMs) {
        report.add(QStringLiteral("heartbeat"), Verdict::Fail,
                   QStringLiteral("%1 of silence: longer than a %2 proxy read timeout")
                       .arg(seconds(silence), seconds(input.proxyTimeoutMs)),
                   fix);
    } else if (beats > 0) {
        report.add(
            QStringLiteral("heartbeat"), Verdict::Pass,
            QStringLiteral("%1 heartbeats; longest silence %2").arg(beats).arg(seconds(silence)));
    } else if (silence > kHeartbeatDueMs) {
        report.add(QStringLiteral("heartbeat"), Verdict::Warn,
                   QStringLiteral("%1 of silence and no heartbeat").arg(seconds(silence)), fix);
    } else {
        report.add(QStringLiteral("heartbeat"), Verdict::Pass,
                   QStringLiteral("longest silence %1 in %2 watched: none needed yet (--long S "
                                  "watches a longer stream)")
                       .arg(seconds(silence), seconds(watched)));
    }
}

void checkEventIds(ReportBuilder &report, const DiagnosisInput &input,
                   const EventTimeline &timeline)
{
    if (input.protocol != ChatProtocol::Kind::AdminStream) {
        report.add(QStringLiteral("event-ids"), Verdict::Skip,
                   QStringLiteral("the OpenAI format has no event ids"));
        report.add(QStringLiteral("retry"), Verdict::Skip,
                   QStringLiteral("the OpenAI format does not reconnect"));
        return;
    }
    int missing = 0;
    QString previous;
    for (const TimedEvent &timed : timeline.events) {
        const QString &id = timed.event.lastEventId;
        // A ping may repeat the id before it (docs/protocol.md); every other event brings a new
        // one, or it carries none and inherits the last.
        const bool ping = timed.event.type == QLatin1String("ping");
        if (id.isEmpty() || (!ping && id == previous))
            ++missing;
        if (!ping)
            previous = id;
    }
    const qsizetype total = timeline.events.size();
    report.add(
        QStringLiteral("event-ids"), missing == 0 && total > 0 ? Verdict::Pass : Verdict::Fail,
        missing == 0
            ? QStringLiteral("all %1 events have an id").arg(total)
            : QStringLiteral("%1 of %2 events have no id of their own").arg(missing).arg(total),
        QStringLiteral("give every event an `id:` line, so a client that loses the "
                       "connection resumes with Last-Event-ID instead of losing the "
                       "answer"));
    report.add(QStringLiteral("retry"), timeline.retryMs >= 0 ? Verdict::Pass : Verdict::Warn,
               timeline.retryMs >= 0 ? QStringLiteral("retry: %1 ms").arg(timeline.retryMs)
                                     : QStringLiteral("no `retry:` field"),
               QStringLiteral("send `retry: 2000` before the first event, so clients reconnect "
                              "at the pace the server wants (browsers wait about 3 s by "
                              "default)"));
}

void checkTerminal(ReportBuilder &report, const DiagnosisInput &input, const AnswerRead &answer)
{
    const bool admin = input.protocol == ChatProtocol::Kind::AdminStream;
    const QString marker =
        admin ? QStringLiteral("a `done` event") : QStringLiteral("data: [DONE]");
    const QString fix = QStringLiteral("end every answer with %1 and then close; a stream that "
                                       "just stops looks like a cut connection")
                            .arg(marker);
    if (answer.complete) {
        report.add(QStringLiteral("terminal-event"), Verdict::Pass,
                   QStringLiteral("%1 after %2 events").arg(marker).arg(answer.events));
    } else if (answer.error) {
        report.add(QStringLiteral("terminal-event"), Verdict::Warn,
                   QStringLiteral("the server ended the answer with an error: %1: %2")
                       .arg(answer.error->code, answer.error->message.left(200)),
                   QStringLiteral("the stream itself ended cleanly; the error is the backend's"));
    } else if (!input.full.networkError.isEmpty()) {
        report.add(QStringLiteral("terminal-event"), Verdict::Fail,
                   QStringLiteral("the connection broke after %1 events: %2")
                       .arg(answer.events)
                       .arg(input.full.networkError),
                   fix);
    } else if (input.full.stoppedByUs) {
        report.add(
            QStringLiteral("terminal-event"), Verdict::Warn,
            input.full.truncated
                ? QStringLiteral("still streaming after %1 bytes").arg(input.full.bodySize())
                : QStringLiteral("still streaming after %1").arg(seconds(input.full.endedAtMs)),
            QStringLiteral("answers this long are unusual; check that the stream ends"));
    } else {
        report.add(QStringLiteral("terminal-event"), Verdict::Fail,
                   QStringLiteral("the stream ended after %1 events without %2")
                       .arg(answer.events)
                       .arg(marker),
                   fix);
    }
}

void checkFirstToken(ReportBuilder &report, const CapturedResponse &full, const AnswerRead &answer)
{
    const qint64 firstByte = full.chunks.isEmpty() ? -1 : full.chunks.first().atMs;
    if (answer.firstTextAtMs < 0) {
        report.add(QStringLiteral("first-token"), Verdict::Warn,
                   QStringLiteral("first byte %1; no text in the answer")
                       .arg(firstByte < 0 ? QStringLiteral("never") : seconds(firstByte)),
                   QStringLiteral("the answer carried no text: check the model and the prompt"));
        return;
    }
    const bool slow = answer.firstTextAtMs > 10000;
    report.add(QStringLiteral("first-token"), slow ? Verdict::Warn : Verdict::Pass,
               QStringLiteral("first byte %1, first token %2")
                   .arg(seconds(firstByte), seconds(answer.firstTextAtMs)),
               QStringLiteral("over 10 s to the first token: send `progress` events or a first "
                              "byte early, so clients and proxies know the server is working"));
}

void checkResume(ReportBuilder &report, const DiagnosisInput &input, const EventTimeline &full)
{
    if (input.protocol != ChatProtocol::Kind::AdminStream) {
        report.add(QStringLiteral("resume"), Verdict::Skip,
                   QStringLiteral("cannot resume: the OpenAI format has no event ids, so a cut "
                                  "answer is lost (Qalam keeps the part it has)"));
        return;
    }
    const bool ids = std::any_of(full.events.cbegin(), full.events.cend(), [](const TimedEvent &e) {
        return !e.event.lastEventId.isEmpty();
    });
    if (!ids) {
        report.add(QStringLiteral("resume"), Verdict::Fail,
                   QStringLiteral("cannot resume: the events carry no ids"),
                   QStringLiteral("give every event an id and answer a request with "
                                  "Last-Event-ID by going on after that event"));
        return;
    }
    if (!input.cut || !input.resumed) {
        report.add(QStringLiteral("resume"), Verdict::Skip,
                   QStringLiteral("not tried: the answer was too short to cut"));
        return;
    }
    const EventTimeline before = EventTimeline::read(*input.cut);
    const EventTimeline after = EventTimeline::read(*input.resumed);
    const QString cutAt = QStringLiteral("cut after %1 events; resumed with Last-Event-ID: %2")
                              .arg(before.events.size())
                              .arg(input.resumeId.left(80));
    const QString fix = QStringLiteral(
        "a request with Last-Event-ID must go on right after that event: no delta again, none "
        "left out, then `done` (docs/protocol.md, Resume)");
    if (input.resumed->status != 200) {
        report.add(QStringLiteral("resume"), Verdict::Fail,
                   cutAt +
                       QStringLiteral(": the server answered HTTP %1").arg(input.resumed->status),
                   fix);
        return;
    }
    const QList<int> seen = deltaSeqs(before);
    const QList<int> more = deltaSeqs(after);
    const int last = seen.isEmpty() ? 0 : *std::max_element(seen.cbegin(), seen.cend());
    int expected = last + 1;
    int repeated = 0;
    int lost = 0;
    for (const int seq : more) {
        if (seq <= last || seq < expected) {
            ++repeated;
        } else {
            lost += seq - expected;
            expected = seq + 1;
        }
    }
    const AnswerRead rest = readAnswer(input.protocol, after, true);
    if (repeated > 0 || lost > 0 || !rest.complete) {
        QStringList problems;
        if (repeated > 0)
            problems << QStringLiteral("%1 deltas repeated").arg(repeated);
        if (lost > 0)
            problems << QStringLiteral("%1 deltas lost").arg(lost);
        if (!rest.complete)
            problems << (rest.error ? QStringLiteral("it ended with %1: %2")
                                          .arg(rest.error->code, rest.error->message.left(120))
                                    : QStringLiteral("it did not end with `done`"));
        report.add(QStringLiteral("resume"), Verdict::Fail,
                   cutAt + QStringLiteral(": ") + problems.join(QStringLiteral(", ")), fix);
        return;
    }
    report.add(QStringLiteral("resume"), Verdict::Pass,
               cutAt + QStringLiteral(": went on at delta %1, nothing lost or repeated, `done` at "
                                      "the end")
                           .arg(last + 1));
}

} // namespace

QStringList StreamDiagnosis::checkIds()
{
    return {QStringLiteral("status"),         QStringLiteral("content-type"),
            QStringLiteral("cache-control"),  QStringLiteral("x-accel-buffering"),
            QStringLiteral("content-length"), QStringLiteral("buffering"),
            QStringLiteral("compression"),    QStringLiteral("heartbeat"),
            QStringLiteral("event-ids"),      QStringLiteral("retry"),
            QStringLiteral("utf-8"),          QStringLiteral("terminal-event"),
            QStringLiteral("first-token"),    QStringLiteral("resume")};
}

DoctorReport StreamDiagnosis::diagnose(const DiagnosisInput &input)
{
    ReportBuilder report;
    if (!checkStatus(report, input.full)) {
        report.skipRest(QStringLiteral("no event stream to judge"));
        return report.take();
    }
    if (!checkContentType(report, input.full)) {
        report.skipRest(QStringLiteral("no event stream to judge"));
        return report.take();
    }
    checkHeaders(report, input.full);
    const EventTimeline timeline = EventTimeline::read(input.full);
    const AnswerRead answer = readAnswer(input.protocol, timeline, false);
    checkBuffering(report, input.full, answer);
    checkHeartbeat(report, input, timeline);
    checkEventIds(report, input, timeline);
    if (timeline.firstInvalidUtf8 < 0) {
        report.add(QStringLiteral("utf-8"), Verdict::Pass,
                   QStringLiteral("%1 bytes, all valid UTF-8").arg(input.full.bodySize()));
    } else {
        report.add(QStringLiteral("utf-8"), Verdict::Fail,
                   QStringLiteral("invalid UTF-8 at byte %1 of the body (%2 after the request)")
                       .arg(timeline.firstInvalidUtf8)
                       .arg(seconds(timeline.invalidUtf8AtMs)),
                   QStringLiteral("send the text as UTF-8: a character may be split between two "
                                  "writes, but its bytes must all be there and valid"));
    }
    checkTerminal(report, input, answer);
    checkFirstToken(report, input.full, answer);
    checkResume(report, input, timeline);
    DoctorReport result = report.take();
    // Report order is the documented one, whatever order the checks ran in.
    const QStringList order = checkIds();
    std::stable_sort(result.begin(), result.end(),
                     [&order](const DoctorCheck &a, const DoctorCheck &b) {
                         return order.indexOf(a.id) < order.indexOf(b.id);
                     });
    return result;
}

bool StreamDiagnosis::passed(const DoctorReport &report)
{
    return std::none_of(report.cbegin(), report.cend(), [](const DoctorCheck &check) {
        return check.verdict == DoctorCheck::Verdict::Fail;
    });
}

} // namespace qalam::doctor
