// bench_sse_parser: throughput of SseParser on a generated OpenAI-style chat stream.
//
// The stream (64 MiB by default) is built deterministically, so every run and the JavaScript
// benchmark in js/ see the same bytes (`--write FILE` saves them). It is fed in 16 KiB chunks,
// the size a socket read typically delivers, to four consumers:
//   memchr        a scan for '\n': the cost of finding line ends, a lower bound for any parser
//   utf8 decode   a stateful QStringDecoder over each chunk: the cost of producing QStrings
//   SseParser     the parser alone, with a handler that only counts events and sums their sizes
//   + deltas      the parser feeding OpenAiProtocol::handleEvent, i.e. JSON and delta extraction
// Each is run several times; the best run is the figure (the others are noise from the machine),
// the median is printed so the noise is visible. 1 MiB = 1048576 bytes throughout.

#include "chat/OpenAiProtocol.h"
#include "sse/SseParser.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QFile>
#include <QString>
#include <QStringDecoder>
#include <QSysInfo>
#include <QThread>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#ifndef QALAM_BENCH_BUILD_TYPE
#define QALAM_BENCH_BUILD_TYPE "unknown"
#endif

namespace {

constexpr qsizetype kMiB = 1024 * 1024;
constexpr qsizetype kChunkSize = 16 * 1024;

// splitmix64: tiny, fast and identical on every platform, unlike std:: distributions.
class Rng
{
public:
    explicit Rng(quint64 seed) : m_state(seed) {}
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi]; the modulo bias is irrelevant for test data.
    int between(int lo, int hi) { return lo + int(next() % quint64(hi - lo + 1)); }
    bool chance(int percent) { return between(1, 100) <= percent; }

private:
    quint64 m_state;
};

// Vocabulary of the generated answers. Arabic words and emoji make the content roughly
// 10-20 % non-ASCII bytes, so UTF-8 decoding takes its multi-byte paths too.
constexpr std::array kEnglish = {
    "the",      "a",        "of",      "to",         "and",        "in",      "is",
    "that",     "for",      "it",      "with",       "as",         "on",      "this",
    "you",      "can",      "be",      "are",        "by",         "or",      "model",
    "stream",   "server",   "client",  "request",    "response",   "event",   "data",
    "function", "returns",  "value",   "example",    "following",  "however", "because",
    "should",   "would",    "could",   "important",  "different",  "between", "result",
    "using",    "language", "answer",  "question",   "parameters", "context", "tokens",
    "memory",   "network",  "latency", "throughput", "connection", "buffer",  "parser",
};
constexpr std::array kArabic = {
    "مرحبا", "السلام", "عليكم", "كتاب", "قلم", "الذكاء", "الاصطناعي", "نموذج", "لغة", "سؤال",
    "جواب",  "شكرا",   "جدا",   "في",   "من",  "على",    "هذا",       "مع",    "كل",  "العالم",
};
constexpr std::array kEmoji = {"🙂", "🚀", "✨", "👍", "🎉", "🤔", "📚", "✅", "🔥", "💡"};
constexpr std::array kPunctuation = {".", ",", ":", "!", "?", ";"};

void appendJsonString(std::string &out, std::string_view text)
{
    out += '"';
    for (char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
    out += '"';
}

struct Stream
{
    QByteArray bytes;
    qint64 events = 0;
    qint64 deltaChars = 0; // UTF-16 code units of all content deltas, to check the extraction
    qint64 contentBytes = 0;
    qint64 nonAsciiContentBytes = 0;
};

// OpenAI chat.completion.chunk events as the API sends them with include_usage: a role chunk,
// content deltas of 1-6 words, a finish chunk, a usage chunk and [DONE]; answers are repeated
// until the stream reaches targetBytes. With `oneAnswer` the same deltas make up a single answer:
// only the first role chunk and the last finish, usage and [DONE] are written (the stream that
// `qalam-cli chat` and the openai SDK read in run-cli-bench.sh).
Stream generateStream(qsizetype targetBytes, bool oneAnswer = false)
{
    Rng rng(20261125);
    Stream stream;
    std::string out;
    out.reserve(size_t(targetBytes + 64 * 1024));
    std::string delta;
    std::string prefix;
    qint64 created = 1764028800;

    const auto addEvent = [&](std::string_view json) {
        out += "data: ";
        out += json;
        out += "\n\n";
        ++stream.events;
    };

    while (qsizetype(out.size()) < targetBytes) {
        char id[32];
        std::snprintf(id, sizeof id, "chatcmpl-%016llx",
                      static_cast<unsigned long long>(rng.next()));
        ++created;
        prefix =
            std::string(R"({"id":")") + id + R"(","object":"chat.completion.chunk","created":)" +
            std::to_string(created) +
            R"(,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0aa8d3e20b","choices":[)";

        if (!oneAnswer || stream.events == 0) {
            addEvent(prefix +
                     R"({"index":0,"delta":{"role":"assistant","content":"","refusal":null},)"
                     R"("logprobs":null,"finish_reason":null}],"usage":null})");
        }

        const int deltas = rng.between(40, 600);
        const bool arabicAnswer = rng.chance(12); // some answers are mostly Arabic
        for (int i = 0; i < deltas; ++i) {
            delta.clear();
            const int words = rng.between(1, 6);
            for (int w = 0; w < words; ++w) {
                const int pick = rng.between(1, 100);
                if (i > 0 || w > 0)
                    delta += ' ';
                if (pick <= 3)
                    delta += kEmoji[rng.next() % kEmoji.size()];
                else if (pick <= (arabicAnswer ? 80 : 8))
                    delta += kArabic[rng.next() % kArabic.size()];
                else
                    delta += kEnglish[rng.next() % kEnglish.size()];
            }
            if (rng.chance(8))
                delta += kPunctuation[rng.next() % kPunctuation.size()];
            if (rng.chance(3))
                delta += "\n\n";
            if (rng.chance(1))
                delta += " \"quoted\"";

            std::string json = prefix + R"({"index":0,"delta":{"content":)";
            appendJsonString(json, delta);
            json += R"(},"logprobs":null,"finish_reason":null}],"usage":null})";
            addEvent(json);

            stream.deltaChars += QString::fromUtf8(delta.data(), qsizetype(delta.size())).size();
            stream.contentBytes += qint64(delta.size());
            stream.nonAsciiContentBytes += std::count_if(delta.begin(), delta.end(), [](char c) {
                return static_cast<unsigned char>(c) >= 0x80;
            });
        }

        const int prompt = rng.between(10, 2000);
        if (oneAnswer && qsizetype(out.size()) < targetBytes)
            continue;
        addEvent(prefix +
                 R"({"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null})");
        addEvent(prefix + R"(],"usage":{"prompt_tokens":)" + std::to_string(prompt) +
                 R"(,"completion_tokens":)" + std::to_string(deltas) + R"(,"total_tokens":)" +
                 std::to_string(prompt + deltas) + "}}");
        addEvent("[DONE]");
    }
    stream.bytes = QByteArray(out.data(), qsizetype(out.size()));
    return stream;
}

// Calls body(chunk) for each 16 KiB slice of bytes.
template<typename Body> void forEachChunk(const QByteArray &bytes, Body &&body)
{
    for (qsizetype offset = 0; offset < bytes.size(); offset += kChunkSize)
        body(QByteArrayView(bytes).sliced(offset, std::min(kChunkSize, bytes.size() - offset)));
}

struct Result
{
    QString name;
    double bestSeconds = 0;
    double medianSeconds = 0;
    qint64 events = 0; // events (or lines) per run; 0 when the figure has no events
};

// Runs one measurement `reps` times; `run` returns its event count (the same every time) and
// also serves as a check value so the compiler cannot drop the work.
Result measure(const QString &name, int reps, const std::function<qint64()> &run)
{
    std::vector<double> seconds;
    qint64 events = 0;
    for (int i = 0; i < reps; ++i) {
        const auto start = std::chrono::steady_clock::now();
        events = run();
        const auto stop = std::chrono::steady_clock::now();
        seconds.push_back(std::chrono::duration<double>(stop - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return {name, seconds.front(), seconds[seconds.size() / 2], events};
}

class CountingHandler final : public qalam::SseParser::Handler
{
public:
    void onEvent(const qalam::SseEvent &event) override
    {
        ++events;
        dataChars += event.data.size() + event.type.size();
    }
    qint64 events = 0;
    qint64 dataChars = 0;
};

class DeltaHandler final : public qalam::SseParser::Handler
{
public:
    void onEvent(const qalam::SseEvent &event) override
    {
        ++events;
        const qalam::ChatUpdate update = protocol.handleEvent(event);
        textChars += update.text.size();
        if (update.model)
            modelChanges += update.model->size(); // the model is part of the work, as in ChatStream
        if (update.error)
            ++errors;
        if (update.complete) {
            ++answers;
            protocol.reset();
        }
    }
    qalam::OpenAiProtocol protocol;
    qint64 events = 0;
    qint64 textChars = 0;
    qint64 modelChanges = 0;
    qint64 answers = 0;
    qint64 errors = 0;
};

QString cpuModel()
{
    // /proc files report size 0, so read until EOF rather than testing atEnd().
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("model name")) {
            const qsizetype colon = line.indexOf(':');
            return QString::fromUtf8(line.sliced(colon + 1).trimmed());
        }
    }
    return QStringLiteral("unknown");
}

QString compilerName()
{
#if defined(__clang__)
    return QStringLiteral("clang ") + QLatin1String(__clang_version__);
#elif defined(__GNUC__)
    return QStringLiteral("GCC ") + QLatin1String(__VERSION__);
#else
    return QStringLiteral("unknown");
#endif
}

void fail(const char *what)
{
    std::fprintf(stderr, "bench_sse_parser: %s\n", what);
    std::exit(1);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int reps = 7;
    qsizetype sizeMiB = 64;
    QString writePath;
    QString answerPath; // the one-answer variant, for run-cli-bench.sh
    QString only;       // one figure only, e.g. for a profiler
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &arg = args[i];
        if (arg == QLatin1String("--reps") && i + 1 < args.size()) {
            reps = std::max(1, args[++i].toInt());
        } else if (arg == QLatin1String("--size-mib") && i + 1 < args.size()) {
            sizeMiB = std::max(1, args[++i].toInt());
        } else if (arg == QLatin1String("--write") && i + 1 < args.size()) {
            writePath = args[++i];
        } else if (arg == QLatin1String("--write-answer") && i + 1 < args.size()) {
            answerPath = args[++i];
        } else if (arg == QLatin1String("--only") && i + 1 < args.size()) {
            only = args[++i];
        } else {
            std::fprintf(
                stderr,
                "usage: bench_sse_parser [--reps N] [--size-mib N] [--write FILE] [--only WHICH]\n"
                "                        [--write-answer FILE]\n"
                "  --write FILE  also save the generated stream, for js/bench.mjs\n"
                "  --write-answer FILE  save the same deltas as one answer, for run-cli-bench.sh\n"
                "  --only WHICH  memchr, utf8, parser, deltas or deltas-json (for profiling)\n");
            return arg == QLatin1String("--help") ? 0 : 2;
        }
    }

    const Stream stream = generateStream(sizeMiB * kMiB);
    const QByteArray &bytes = stream.bytes;
    if (!writePath.isEmpty()) {
        QFile file(writePath);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            fail("cannot write the stream file");
    }
    if (!answerPath.isEmpty()) {
        const Stream answer = generateStream(sizeMiB * kMiB, true);
        QFile file(answerPath);
        if (!file.open(QIODevice::WriteOnly) || file.write(answer.bytes) != answer.bytes.size())
            fail("cannot write the answer file");
    }

    std::printf("machine:    %s, %d logical CPUs, %s\n", qPrintable(cpuModel()),
                QThread::idealThreadCount(), qPrintable(QSysInfo::prettyProductName()));
    std::printf("compiler:   %s, build type %s, Qt %s\n", qPrintable(compilerName()),
                QALAM_BENCH_BUILD_TYPE, qVersion());
    std::printf("stream:     %lld bytes (%.2f MiB), %lld events, fed in %lld-byte chunks\n",
                static_cast<long long>(bytes.size()), double(bytes.size()) / kMiB,
                static_cast<long long>(stream.events), static_cast<long long>(kChunkSize));
    std::printf("content:    %.1f %% of delta bytes are non-ASCII (%.1f %% of the stream)\n",
                100.0 * double(stream.nonAsciiContentBytes) / double(stream.contentBytes),
                100.0 * double(stream.nonAsciiContentBytes) / double(bytes.size()));
    std::printf(
        "runs:       %d per figure; best and median shown; MiB/s with 1 MiB = 1048576 B\n\n", reps);
    std::fflush(stdout);

    std::vector<Result> results;
    const auto wanted = [&only](const char *key) {
        return only.isEmpty() || only == QLatin1String(key);
    };

    if (wanted("memchr")) {
        Result r = measure(QStringLiteral("memchr '\\n' scan (C++)"), reps, [&] {
            qint64 lines = 0;
            forEachChunk(bytes, [&](QByteArrayView chunk) {
                const char *p = chunk.data();
                const char *const end = p + chunk.size();
                while (const void *hit = std::memchr(p, '\n', size_t(end - p))) {
                    ++lines;
                    p = static_cast<const char *>(hit) + 1;
                }
            });
            return lines;
        });
        if (r.events != 2 * stream.events)
            fail("memchr found an unexpected number of line ends");
        r.events = 0; // it counts lines, not events: no events/s for this row
        results.push_back(r);
    }

    if (wanted("utf8")) {
        // Decoding into one reused buffer measures the decoder, not the allocator.
        QString decoded(kChunkSize, Qt::Uninitialized);
        Result r =
            measure(QStringLiteral("UTF-8 decode, stateful QStringDecoder (C++)"), reps, [&] {
                QStringDecoder decoder(QStringDecoder::Utf8);
                qint64 units = 0;
                forEachChunk(bytes, [&](QByteArrayView chunk) {
                    const QChar *end = decoder.appendToBuffer(decoded.data(), chunk);
                    units += end - decoded.constData();
                });
                return units;
            });
        if (r.events <= 0)
            fail("the decoder produced nothing");
        r.events = 0;
        results.push_back(r);
    }

    if (wanted("parser")) {
        qint64 parserChars = 0;
        results.push_back(measure(QStringLiteral("SseParser (C++)"), reps, [&] {
            CountingHandler handler;
            qalam::SseParser parser(handler);
            forEachChunk(bytes, [&](QByteArrayView chunk) { parser.feed(chunk); });
            parserChars = handler.dataChars;
            return handler.events;
        }));
        if (results.back().events != stream.events || parserChars <= 0)
            fail("SseParser dispatched an unexpected number of events");
    }

    if (wanted("deltas")) {
        qint64 deltaChars = 0;
        results.push_back(
            measure(QStringLiteral("SseParser + OpenAiProtocol deltas (C++)"), reps, [&] {
                DeltaHandler handler;
                qalam::SseParser parser(handler);
                forEachChunk(bytes, [&](QByteArrayView chunk) { parser.feed(chunk); });
                deltaChars = handler.textChars;
                if (handler.errors != 0 || handler.answers == 0)
                    fail("OpenAiProtocol did not accept the generated stream");
                return handler.events;
            }));
        if (results.back().events != stream.events || deltaChars != stream.deltaChars)
            fail("delta extraction produced unexpected text");
    }

    if (wanted("deltas-json")) {
        // The same, every chunk through QJsonDocument (OpenAiChunkScanner off): the way before.
        qint64 deltaChars = 0;
        results.push_back(
            measure(QStringLiteral("SseParser + deltas, QJsonDocument only (C++)"), reps, [&] {
                DeltaHandler handler;
                handler.protocol.setChunkScannerEnabled(false);
                qalam::SseParser parser(handler);
                forEachChunk(bytes, [&](QByteArrayView chunk) { parser.feed(chunk); });
                deltaChars = handler.textChars;
                if (handler.errors != 0 || handler.answers == 0)
                    fail("OpenAiProtocol did not accept the generated stream");
                return handler.events;
            }));
        if (results.back().events != stream.events || deltaChars != stream.deltaChars)
            fail("delta extraction (QJsonDocument) produced unexpected text");
    }

    // The same row layout as js/bench.mjs, so run-parser-bench.sh can merge the two tables.
    std::printf("| %-50s | %10s | %12s | %15s |\n", "consumer (16 KiB chunks)", "best MiB/s",
                "median MiB/s", "events/s (best)");
    std::printf("|%s|%s|%s|%s|\n", std::string(52, '-').c_str(), std::string(12, '-').c_str(),
                std::string(14, '-').c_str(), std::string(17, '-').c_str());
    const double mib = double(bytes.size()) / kMiB;
    for (const Result &r : results) {
        const QByteArray events =
            r.events ? QByteArray::number(double(r.events) / r.bestSeconds, 'f', 0) : "-";
        std::printf("| %-50s | %10.0f | %12.0f | %15s |\n", qPrintable(r.name), mib / r.bestSeconds,
                    mib / r.medianSeconds, events.constData());
    }
    return 0;
}
