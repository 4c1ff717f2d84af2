// bench_chatview: what the desktop chat view costs with a long conversation open.
//
//   open        ConversationStore::messages() of a 1,000-message conversation of about 2 MB
//               (UTF-8) of mixed Arabic/English Markdown, the rows for the view, ChatView::
//               setMessages() and the first paint of the viewport (painted and flushed): what a
//               click on the conversation costs before the user sees it
//   memory      resident set (VmRSS) after opening, and its peak (VmHWM) over open and streaming
//   streaming   an answer streams into that conversation at 50 and at 2,000 chars/s through an
//               AdaptiveTypewriter into ChatView::appendText(), the view following the bottom, as
//               in the app: the main thread's busy share (its CPU time over wall time), the
//               longest top-level event delivery (a frame the user could see stutter), its 99th
//               percentile, and the work per painted frame
//   latency     with the typewriter idle, from a delta arriving to the end of the first frame that
//               paints its first character
//   scrolling   wheel steps up through the history, one per frame: the longest frame, and a
//               check that the screen after the view's partial repaints equals a full repaint
//               (made after each stream too)
//
//   tail        (--tail SHAPE) only this: one open block of SHAPE (paragraph, code, list) grows
//               to N chars (--tail-chars), then deltas of 4-16 chars arrive one per 16 ms frame
//               through ChatView::appendText(); per delta, the main thread's CPU time from its
//               arrival to the next one (appendText, layout, any deferred or idle-time work, and
//               the paint of the viewport's dirty part with its backing-store flush)
//
// The platform is offscreen unless QT_QPA_PLATFORM says otherwise (run under xvfb-run with
// QT_QPA_PLATFORM=xcb to include an X server's flushes). Options: see kUsage (--help).
#include "ConversationPresenter.h"
#include "store/ConversationStore.h"
#include "store/MessageMetrics.h"
#include "typewriter/AdaptiveTypewriter.h"
#include "ui/ChatView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QLocale>
#include <QPaintEvent>
#include <QPixmap>
#include <QScreen>
#include <QScrollBar>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <numeric>
#include <optional>
#include <vector>

#ifndef QALAM_BENCH_BUILD_TYPE
#define QALAM_BENCH_BUILD_TYPE "unknown"
#endif

using namespace qalam;

namespace {

// One monotonic time base for everything, in nanoseconds.
QElapsedTimer g_clock;

qint64 nowNs()
{
    return g_clock.nsecsElapsed();
}

// CPU time of the calling (main) thread: unlike wall time it does not grow while other
// processes hold the CPU, so the busy share stays meaningful on a loaded machine.
qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

// A field of /proc/self/status in kB (VmRSS, VmHWM), or -1.
qint64 procStatusKb(QLatin1String field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QStringList lines = QString::fromLatin1(file.readAll()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.startsWith(field))
            return line.mid(field.size() + 1)
                .trimmed()
                .split(QLatin1Char(' '))
                .value(0)
                .toLongLong();
    }
    return -1;
}

double mb(qint64 kb)
{
    return double(kb) / 1024.0;
}

// Resets VmHWM to the current RSS (Linux 4.0+), so the peak reported covers only what the view
// does, not building the test data.
bool resetPeakRss()
{
    QFile file(QStringLiteral("/proc/self/clear_refs"));
    return file.open(QIODevice::WriteOnly) && file.write("5") == 1;
}

QString firstLineOf(const QString &path, QLatin1String prefix)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.startsWith(prefix))
            return line;
    }
    return {};
}

QString loadAverage()
{
    const QString line = firstLineOf(QStringLiteral("/proc/loadavg"), QLatin1String(""));
    return line.split(QLatin1Char(' ')).mid(0, 3).join(QLatin1Char(' '));
}

QString cpuModel()
{
    const QString line = firstLineOf(QStringLiteral("/proc/cpuinfo"), QLatin1String("model name"));
    return line.section(QLatin1Char(':'), 1).trimmed();
}

template<typename T> T percentile(std::vector<T> values, double p)
{
    if (values.empty())
        return T();
    std::sort(values.begin(), values.end());
    const auto index =
        size_t(std::min(double(values.size() - 1), p * double(values.size() - 1) + 0.5));
    return values[index];
}

// The event loop's view of the main thread. Every top-level (depth 0) event delivery is timed:
// that is one uninterrupted stretch of work the user waits on, the "frame" that can stutter.
// Paints of the watched widget are noticed when they complete; the frame that contains one is
// reported when its top-level delivery returns, i.e. after the backing store was flushed.
class BenchApplication final : public QApplication
{
public:
    using QApplication::QApplication;

    QWidget *watched = nullptr;
    // Asked when a paint of `watched` completes: does it show what we wait for? Default: yes.
    std::function<bool()> paintShows;
    // A frame that painted what we wait for has ended (paint completed, frame delivered).
    std::function<void(qint64 paintEndNs, qint64 frameEndNs)> frameDone;

    bool recording = false;
    std::vector<qint64> eventNs;     // top-level deliveries while recording, wall time
    std::vector<qint64> eventCpuNs;  // the same deliveries in main-thread CPU time
    std::vector<qint64> frameWorkNs; // busy time between two painted frames, while recording
    int paints = 0;                  // paints of `watched`, always counted
    qint64 paintedArea = 0;          // their rectangles' pixels

    void startRecording()
    {
        eventNs.clear();
        eventCpuNs.clear();
        frameWorkNs.clear();
        m_workSinceFrame = 0;
        recording = true;
    }

    bool notify(QObject *receiver, QEvent *event) override
    {
        const bool isWatchedPaint = receiver == watched && event->type() == QEvent::Paint;
        const bool topLevel = m_depth == 0;
        const qint64 start = topLevel ? nowNs() : 0;
        const qint64 cpuStart = topLevel && recording ? threadCpuNs() : 0;
        ++m_depth;
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        if (isWatchedPaint) {
            ++paints;
            const QRect painted = static_cast<QPaintEvent *>(event)->rect();
            paintedArea += qint64(painted.width()) * painted.height();
            m_framePainted = true;
            if (!m_paintHit && (!paintShows || paintShows())) {
                m_paintHit = true;
                m_paintEnd = nowNs();
            }
        }
        if (!topLevel)
            return result;

        const qint64 end = nowNs();
        if (recording) {
            eventNs.push_back(end - start);
            eventCpuNs.push_back(threadCpuNs() - cpuStart);
            m_workSinceFrame += end - start;
            if (m_framePainted) {
                frameWorkNs.push_back(m_workSinceFrame);
                m_workSinceFrame = 0;
            }
        }
        m_framePainted = false;
        if (m_paintHit) {
            m_paintHit = false;
            if (frameDone)
                frameDone(m_paintEnd, end);
        }
        return result;
    }

private:
    int m_depth = 0;
    bool m_framePainted = false;
    bool m_paintHit = false;
    qint64 m_paintEnd = 0;
    qint64 m_workSinceFrame = 0;
};

// Runs the event loop for `msec` (idle time: nothing is measured).
void runFor(int msec)
{
    QEventLoop loop;
    QTimer::singleShot(msec, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

// ---------------------------------------------------------------------------------------------
// Deterministic test data: answers in both scripts with every Markdown construct the view
// renders (headings, emphasis, inline code, links, lists, code blocks, tables, emoji).

class Rng
{
public:
    explicit Rng(quint32 seed) : m_state(seed) {}
    int below(int n)
    {
        m_state = m_state * 1664525u + 1013904223u;
        return int((m_state >> 8) % quint32(n));
    }
    template<typename T> const T &pick(const std::vector<T> &items)
    {
        return items[size_t(below(int(items.size())))];
    }

private:
    quint32 m_state;
};

const std::vector<QString> &arabicSentences()
{
    static const std::vector<QString> sentences{
        QStringLiteral("القلم أداة قديمة للكتابة، وقد تطور عبر القرون من الريشة إلى الحبر الجاف."),
        QStringLiteral("يعرض التطبيق الإجابة أثناء وصولها، فلا ينتظر المستخدم اكتمال النص."),
        QStringLiteral("تُحفظ المحادثات في ملف **SQLite** واحد، ويُستأنف البث بعد انقطاع الشبكة."),
        QStringLiteral(
            "استخدم الدالة `QString::fromUtf8` لتحويل البايتات إلى نص، ولا تنسَ الترميز."),
        QStringLiteral("كل فقرة تأخذ اتجاهها من أول حرف قوي فيها، كما في HTML مع dir=\"auto\"."),
        QStringLiteral("راجع التوثيق على https://doc.qt.io/qt-6/qstring.html قبل أن تبدأ 📚."),
        QStringLiteral("الأداء مهم: لا نعيد تحليل الكتل المكتملة، بل الكتلة الأخيرة فقط ⚡."),
        QStringLiteral("هل جربت تشغيل الاختبارات على منصة _offscreen_؟ إنها أسرع بكثير."),
        QStringLiteral(
            "الملف app/desktop/MainWindow.cpp يربط الجلسة بالواجهة، كما في الإصدار v1.2.3."),
    };
    return sentences;
}

const std::vector<QString> &englishSentences()
{
    static const std::vector<QString> sentences{
        QStringLiteral(
            "The pen went from quills to ballpoints to screens; **its** story is _long_."),
        QStringLiteral(
            "Streaming shows the answer as it arrives, so nobody waits for the last token."),
        QStringLiteral("Call `QTextDocument::setMarkdown()` once per block, never per character."),
        QStringLiteral(
            "See [the Qt docs](https://doc.qt.io/qt-6/qtextdocument.html) for details 🙂."),
        QStringLiteral(
            "A conversation of a thousand messages should open in a blink, not a second."),
        QStringLiteral(
            "Bidi isolates keep paths like /usr/share/fonts readable inside Arabic text."),
        QStringLiteral("Measure first, then optimise the part the profiler actually points at 🔍."),
        QStringLiteral(
            "The typewriter paces clusters, so an emoji like 👨‍👩‍👧 is never split."),
    };
    return sentences;
}

QString paragraph(Rng &rng)
{
    QStringList sentences;
    const bool arabic = rng.below(3) != 0; // mostly Arabic, English mixed in
    const int count = 2 + rng.below(4);
    for (int i = 0; i < count; ++i)
        sentences.append(
            rng.pick(arabic == (rng.below(5) != 0) ? arabicSentences() : englishSentences()));
    return sentences.join(QLatin1Char(' ')) + QStringLiteral("\n\n");
}

QString list(Rng &rng)
{
    const bool numbered = rng.below(2) == 0;
    QString text;
    const int items = 3 + rng.below(4);
    for (int i = 0; i < items; ++i) {
        text += numbered ? QStringLiteral("%1. ").arg(i + 1) : QStringLiteral("- ");
        text += rng.below(2) ? QStringLiteral("البند %1: ").arg(i + 1)
                             : QStringLiteral("Item %1: ").arg(i + 1);
        text += rng.pick(rng.below(2) ? arabicSentences() : englishSentences()) + QLatin1Char('\n');
    }
    return text + QLatin1Char('\n');
}

QString codeBlock(Rng &rng)
{
    QString text = QStringLiteral("```cpp\n");
    const int lines = 4 + rng.below(8);
    for (int i = 0; i < lines; ++i) {
        switch (rng.below(4)) {
        case 0:
            text += QStringLiteral("const QString pen%1 = QStringLiteral(\"قلم %1\");\n").arg(i);
            break;
        case 1:
            text += QStringLiteral("for (int i = 0; i < %1; ++i) // حلقة بسيطة\n").arg(i * 7);
            break;
        case 2:
            text += QStringLiteral("    qDebug() << pen.size() << \"chars\";\n");
            break;
        default:
            text += QStringLiteral("auto layout = std::make_unique<MessageLayout>(text, true);\n");
            break;
        }
    }
    return text + QStringLiteral("```\n\n");
}

QString table(Rng &rng)
{
    QString text = QStringLiteral("| الخاصية | Property | القيمة |\n|---|---|---|\n");
    const int rows = 3 + rng.below(4);
    for (int i = 0; i < rows; ++i) {
        text += QStringLiteral("| سرعة البث %1 | stream rate %1 | %2 chars/s ✅ |\n")
                    .arg(i + 1)
                    .arg(50 * (1 + rng.below(40)));
    }
    return text + QLatin1Char('\n');
}

// An answer of about `targetUtf8` bytes.
QString answer(Rng &rng, int index, qsizetype targetUtf8)
{
    QString text = rng.below(2) ? QStringLiteral("## الجواب %1 — answer %1\n\n").arg(index)
                                : QStringLiteral("### Answer %1: القلم\n\n").arg(index);
    while (text.toUtf8().size() < targetUtf8) {
        switch (rng.below(6)) {
        case 0:
            text += list(rng);
            break;
        case 1:
            text += codeBlock(rng);
            break;
        case 2:
            text += table(rng);
            break;
        default:
            text += paragraph(rng);
            break;
        }
    }
    return text + QStringLiteral("> %1 🎉\n").arg(rng.pick(englishSentences()));
}

QString question(Rng &rng, int index)
{
    return rng.below(2) ? QStringLiteral("سؤال رقم %1: كيف أستخدم `QTextDocument` مع نص عربي طويل؟")
                              .arg(index)
                        : QStringLiteral("Question %1: how do I stream Markdown into a view, "
                                         "بسرعة ومن دون تقطيع؟ 🤔")
                              .arg(index);
}

// ---------------------------------------------------------------------------------------------

constexpr char kUsage[] =
    "usage: bench_chatview [--messages N] [--seconds N] [--opens N] [--trials N] [--scroll N]\n"
    "       bench_chatview --tail paragraph|code|list [--tail-chars N] [--deltas N]\n"
    "\n"
    "  --messages N    messages in the conversation that is opened, scrolled and streamed\n"
    "                  into (default 1000; half questions, half answers)\n"
    "  --seconds N     streaming time per rate (default 10)\n"
    "  --opens N       timed opens after the cold one (default 9)\n"
    "  --trials N      delta-to-paint trials (default 50)\n"
    "  --scroll N      wheel steps of the scrolling measurement (default 300)\n"
    "  --tail SHAPE    measure only the per-delta cost of one open block of SHAPE: paragraph\n"
    "                  (one paragraph of mixed Arabic/English inline Markdown, no line\n"
    "                  breaks), code (an unclosed ```cpp fence) or list (a bulleted list)\n"
    "  --tail-chars N  the open block's size before the measured deltas (default 8000)\n"
    "  --deltas N      measured deltas of 4-16 chars, one per 16 ms frame (default 200)\n"
    "\n"
    "With --tail the LAST line of standard output is exactly\n"
    "  tail SHAPE N chars: per-delta CPU median X ms, p99 Y ms\n"
    "(SHAPE and N as given, X and Y decimal numbers): scripts read that line. Per-delta\n"
    "CPU is the main thread's CPU time from a delta's arrival to the next one's: appendText(),\n"
    "layout, idle-time work and the paint of the viewport's changed part.\n";

struct Options
{
    int messages = 1000;
    int seconds = 10;
    int opens = 9;
    int trials = 50;
    int scrollSteps = 300;
    QString tail; // paragraph, code or list: the tail benchmark only
    int tailChars = 8000;
    int deltas = 200;
    bool help = false;
    QString error;
};

struct OpenFigures
{
    qint64 totalNs = 0; // messages() to the end of the first frame that painted
    qint64 loadNs = 0;  // messages()
    qint64 rowsNs = 0;  // StoredMessage -> ChatView::Message
    qint64 setNs = 0;   // setMessages()
    qint64 frameNs = 0; // from there to the end of the frame that painted it
};

// Opens the conversation as the app does on a click, from inside an event, and waits for the
// frame that paints it. `messages` is kept alive afterwards, as ConversationSession keeps it.
OpenFigures openConversation(BenchApplication &app, ChatView &view, ConversationStore &store,
                             qint64 conversationId, QList<StoredMessage> *messages)
{
    OpenFigures figures;
    QEventLoop loop;
    qint64 start = 0;
    bool done = false;
    app.paintShows = [&view] { return view.messageCount() > 0; };
    app.frameDone = [&](qint64, qint64 frameEnd) {
        figures.totalNs = frameEnd - start;
        figures.frameNs = frameEnd - (start + figures.loadNs + figures.rowsNs + figures.setNs);
        done = true;
        loop.quit();
    };
    QTimer::singleShot(0, &view, [&] {
        start = nowNs();
        *messages = store.messages(conversationId).value_or(QList<StoredMessage>());
        const qint64 loaded = nowNs();
        QList<ChatView::Message> rows;
        rows.reserve(messages->size());
        for (const StoredMessage &message : std::as_const(*messages))
            rows.append(ConversationPresenter::row(message)); // exactly what the app shows
        const qint64 converted = nowNs();
        view.setMessages(rows);
        figures.setNs = nowNs() - converted;
        figures.rowsNs = converted - loaded;
        figures.loadNs = loaded - start;
    });
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    loop.exec();
    app.paintShows = {};
    app.frameDone = {};
    if (!done)
        std::fprintf(stderr, "open: no paint within 10 s\n");
    return figures;
}

// Whether what is on screen after a stream (the window's backing store, built by the view's
// partial repaints and scrolls) is exactly what a full repaint draws: the incremental painting
// must never change what the user sees. Nothing when the platform cannot grab the window.
std::optional<bool> screenMatchesRepaint(ChatView &view)
{
    const QImage shown =
        view.screen()->grabWindow(view.winId()).toImage().convertToFormat(QImage::Format_RGB32);
    const QImage full = view.grab().toImage().convertToFormat(QImage::Format_RGB32);
    if (shown.isNull() || shown.size() != full.size())
        return std::nullopt;
    return shown == full;
}

struct StreamFigures
{
    int rate = 0;
    double seconds = 0;
    qsizetype chars = 0;
    int deltas = 0;
    double busyShare = 0;
    qint64 longestNs = 0;
    qint64 p99Ns = 0;
    qint64 longestCpuNs = 0; // the longest delivery's cost without preemption
    qint64 p99CpuNs = 0;
    qint64 frameWorkMaxNs = 0;
    qint64 frameWorkP99Ns = 0;
    int events = 0;
    int paints = 0;
    double paintedShare = 0; // mean share of the viewport a paint covered
    int eventsOver16 = 0;
    qint64 maxLagMs = 0;
    std::optional<bool> screenMatches; // after the stream, see screenMatchesRepaint()
};

// Streams `answer` at `rate` chars/s into a new streaming message for `seconds`: a timer stands
// in for the network, each delta goes through the typewriter into ChatView::appendText().
StreamFigures stream(BenchApplication &app, ChatView &view, const QString &answerText, int rate,
                     int minDelta, int maxDelta, int seconds)
{
    Rng rng{quint32(rate)};
    view.appendMessage(ChatView::Role::User, question(rng, rate));
    const int index = view.appendMessage(ChatView::Role::Assistant, QString(), true);
    view.scrollToBottom();
    runFor(300); // let the new rows settle; not measured

    AdaptiveTypewriter typewriter;
    QObject::connect(&typewriter, &AdaptiveTypewriter::revealed, &view,
                     [&view, index](const QString &text) { view.appendText(index, text); });

    StreamFigures figures;
    figures.rate = rate;
    const qint64 durationNs = qint64(seconds) * 1'000'000'000;
    qsizetype sent = 0;
    QTimer feeder;
    feeder.setTimerType(Qt::PreciseTimer);
    feeder.setSingleShot(true);
    qint64 start = 0;
    // The delta starting at offset n arrives at start + n / rate: the mean rate is exact and
    // late timer ticks deliver what is due at once, as a socket read would.
    const auto dueNs = [&](qsizetype offset) { return start + offset * 1'000'000'000 / rate; };
    QObject::connect(&feeder, &QTimer::timeout, &view, [&] {
        const qint64 now = nowNs();
        while (sent < answerText.size() && dueNs(sent) <= now) {
            qsizetype n = std::min(answerText.size() - sent,
                                   qsizetype(minDelta + rng.below(maxDelta - minDelta + 1)));
            // Deltas are decoded UTF-8: code points are whole (clusters need not be).
            if (sent + n < answerText.size() && answerText[sent + n - 1].isHighSurrogate())
                ++n;
            typewriter.append(QStringView(answerText).sliced(sent, n));
            sent += n;
            ++figures.deltas;
        }
        figures.maxLagMs = std::max(figures.maxLagMs, typewriter.lagMs());
        if (sent < answerText.size() && dueNs(sent) - start < durationNs)
            feeder.start(int(std::max<qint64>(0, (dueNs(sent) - nowNs() + 999'999) / 1'000'000)));
    });

    const int paintsBefore = app.paints;
    const qint64 areaBefore = app.paintedArea;
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    app.startRecording();
    start = nowNs();
    const qint64 cpuStart = threadCpuNs();
    feeder.start(0);
    loop.exec();
    const qint64 cpu = threadCpuNs() - cpuStart;
    const qint64 wall = nowNs() - start;
    app.recording = false;
    feeder.stop();

    figures.seconds = double(wall) / 1e9;
    figures.chars = sent;
    figures.busyShare = double(cpu) / double(wall);
    figures.events = int(app.eventNs.size());
    figures.longestNs =
        app.eventNs.empty() ? 0 : *std::max_element(app.eventNs.begin(), app.eventNs.end());
    figures.p99Ns = percentile(app.eventNs, 0.99);
    figures.longestCpuNs = percentile(app.eventCpuNs, 1.0);
    figures.p99CpuNs = percentile(app.eventCpuNs, 0.99);
    figures.eventsOver16 = int(std::count_if(app.eventNs.begin(), app.eventNs.end(),
                                             [](qint64 ns) { return ns > 16'000'000; }));
    figures.frameWorkMaxNs =
        app.frameWorkNs.empty() ? 0
                                : *std::max_element(app.frameWorkNs.begin(), app.frameWorkNs.end());
    figures.frameWorkP99Ns = percentile(app.frameWorkNs, 0.99);
    figures.paints = app.paints - paintsBefore;
    const qint64 viewportArea = qint64(view.viewport()->width()) * view.viewport()->height();
    figures.paintedShare = figures.paints > 0 ? double(app.paintedArea - areaBefore) /
                                                    double(viewportArea * figures.paints)
                                              : 0;

    // Let the rest be revealed and end the answer, as the session does; not measured.
    bool finished = false;
    QObject::connect(&typewriter, &AdaptiveTypewriter::finishedRevealing, &view,
                     [&] { finished = true; });
    typewriter.finish();
    for (int i = 0; i < 200 && !finished; ++i)
        runFor(10);
    runFor(50);
    figures.screenMatches = screenMatchesRepaint(view);
    view.finishMessage(index);
    runFor(100);
    return figures;
}

struct LatencyFigures
{
    std::vector<qint64> toFrameNs; // delta arrived -> end of the frame that painted it
    std::vector<qint64> toPaintNs; // delta arrived -> viewport paint done (before the flush)
    int revealedInAppend = 0;      // the typewriter showed the first character synchronously
    double paintedShare = 0;       // mean share of the viewport a paint covered
    int missed = 0;
};

struct ScrollFigures
{
    int steps = 0;
    qint64 longestNs = 0;
    qint64 longestCpuNs = 0;
    qint64 p99CpuNs = 0; // of every top-level event, the idle-time ones included
    std::optional<bool> screenMatches;
};

// Scrolls up through the conversation a wheel step per frame, as a reader would, then back to
// the bottom: rows come into view (laid out) and leave it (their documents released).
ScrollFigures scrollHistory(BenchApplication &app, ChatView &view, int steps)
{
    ScrollFigures figures;
    QScrollBar *bar = view.verticalScrollBar();
    QTimer wheel;
    wheel.setTimerType(Qt::PreciseTimer);
    QEventLoop loop;
    QObject::connect(&wheel, &QTimer::timeout, &view, [&] {
        bar->setValue(bar->value() - bar->singleStep());
        if (++figures.steps == steps) {
            wheel.stop();
            loop.quit();
        }
    });
    app.startRecording();
    wheel.start(16);
    loop.exec();
    app.recording = false;
    figures.longestNs = percentile(app.eventNs, 1.0);
    figures.longestCpuNs = percentile(app.eventCpuNs, 1.0);
    figures.p99CpuNs = percentile(app.eventCpuNs, 0.99);
    runFor(50);
    figures.screenMatches = screenMatchesRepaint(view);
    view.scrollToBottom();
    runFor(100);
    return figures;
}

LatencyFigures deltaToPaint(BenchApplication &app, ChatView &view, int trials)
{
    Rng rng(7);
    view.appendMessage(ChatView::Role::User, question(rng, 0));
    const int index = view.appendMessage(ChatView::Role::Assistant, QString(), true);
    view.scrollToBottom();
    runFor(300);

    AdaptiveTypewriter typewriter;
    QObject::connect(&typewriter, &AdaptiveTypewriter::revealed, &view,
                     [&view, index](const QString &text) { view.appendText(index, text); });
    // Short deltas ending in a space, so the typewriter holds no trailing cluster back.
    const std::vector<QString> words{QStringLiteral("القلم "),   QStringLiteral("pen "),
                                     QStringLiteral("الكتابة "), QStringLiteral("stream "),
                                     QStringLiteral("سريع "),    QStringLiteral("view ")};
    LatencyFigures figures;
    const int paintsBefore = app.paints;
    const qint64 areaBefore = app.paintedArea;
    for (int trial = 0; trial < trials; ++trial) {
        // Idle: everything revealed and painted, the typewriter's timer stopped.
        runFor(120);
        for (int i = 0; i < 100 && typewriter.isAnimating(); ++i)
            runFor(10);
        runFor(30 + rng.below(50));

        QEventLoop loop;
        qint64 arrived = 0;
        qsizetype target = 0;
        bool done = false;
        app.paintShows = [&] { return arrived > 0 && view.messageText(index).size() >= target; };
        app.frameDone = [&](qint64 paintEnd, qint64 frameEnd) {
            figures.toPaintNs.push_back(paintEnd - arrived);
            figures.toFrameNs.push_back(frameEnd - arrived);
            done = true;
            loop.quit();
        };
        QTimer::singleShot(0, &view, [&] {
            target = view.messageText(index).size() + 1;
            arrived = nowNs();
            typewriter.append(rng.pick(words));
            if (view.messageText(index).size() >= target)
                ++figures.revealedInAppend;
        });
        QTimer::singleShot(2000, &loop, &QEventLoop::quit);
        loop.exec();
        app.paintShows = {};
        app.frameDone = {};
        if (!done)
            ++figures.missed;
    }
    const qint64 viewportArea = qint64(view.viewport()->width()) * view.viewport()->height();
    if (app.paints > paintsBefore)
        figures.paintedShare = double(app.paintedArea - areaBefore) /
                               double(viewportArea * (app.paints - paintsBefore));
    typewriter.finish();
    runFor(400);
    view.finishMessage(index);
    return figures;
}

const char *verdict(bool met)
{
    return met ? "met" : "MISSED";
}

Options parseOptions(const QStringList &args)
{
    Options options;
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &name = args.at(i);
        if (name == QLatin1String("--help") || name == QLatin1String("-h")) {
            options.help = true;
            continue;
        }
        if (i + 1 >= args.size()) {
            options.error = QStringLiteral("%1 needs a value").arg(name);
            break;
        }
        const QString &text = args.at(++i);
        if (name == QLatin1String("--tail")) {
            if (text != QLatin1String("paragraph") && text != QLatin1String("code") &&
                text != QLatin1String("list")) {
                options.error =
                    QStringLiteral("--tail is paragraph, code or list, not %1").arg(text);
                break;
            }
            options.tail = text;
            continue;
        }
        bool ok = false;
        const int value = text.toInt(&ok);
        if (!ok || value < 1) {
            options.error = QStringLiteral("%1 needs a positive number, not %2").arg(name, text);
            break;
        }
        if (name == QLatin1String("--messages"))
            options.messages = value;
        else if (name == QLatin1String("--seconds"))
            options.seconds = value;
        else if (name == QLatin1String("--opens"))
            options.opens = value;
        else if (name == QLatin1String("--trials"))
            options.trials = value;
        else if (name == QLatin1String("--scroll"))
            options.scrollSteps = value;
        else if (name == QLatin1String("--tail-chars"))
            options.tailChars = value;
        else if (name == QLatin1String("--deltas"))
            options.deltas = value;
        else
            options.error = QStringLiteral("unknown option %1").arg(name);
        if (!options.error.isEmpty())
            break;
    }
    return options;
}

// The source of one open block of `shape`, at least `chars` long: what a model streams when one
// paragraph, one code fence or one list goes on and on.
QString tailSource(const QString &shape, qsizetype chars)
{
    Rng rng(11);
    QString text;
    if (shape == QLatin1String("code"))
        text = QStringLiteral("```cpp\n");
    int item = 0;
    while (text.size() < chars) {
        if (shape == QLatin1String("paragraph")) {
            text += rng.pick(rng.below(3) != 0 ? arabicSentences() : englishSentences());
            text += QLatin1Char(' ');
        } else if (shape == QLatin1String("list")) {
            text += QStringLiteral("- ");
            text += rng.below(2) ? QStringLiteral("البند %1: ").arg(++item)
                                 : QStringLiteral("Item %1: ").arg(++item);
            text += rng.pick(rng.below(2) ? arabicSentences() : englishSentences());
            text += QLatin1Char('\n');
        } else {
            QString block = codeBlock(rng);
            block.remove(0, block.indexOf(QLatin1Char('\n')) + 1); // no opening fence
            block.chop(5);                                         // no "```\n\n"
            text += block;
        }
    }
    return text;
}

struct TailFigures
{
    std::vector<qint64> deltaCpuNs;
    int paints = 0;
    bool followedBottom = true;
    qsizetype shownChars = 0;
};

// One open block grows delta by delta in a streaming answer at the bottom of the view. Each
// delta comes from a 16 ms timer (a frame, as the typewriter reveals); its cost is the main
// thread's CPU time until the next delta, so whatever the view does for it counts: appendText(),
// the layout, deferred or idle-time work, and the paint of the dirty part of the viewport (posted,
// delivered by the event loop with the backing store's flush, as in the app).
TailFigures tailDeltas(BenchApplication &app, ChatView &view, const QString &shape, qsizetype chars,
                       int deltas)
{
    Rng rng(5);
    const int warmUp = 10;
    // Enough source for the block and every delta (at most 16 chars each).
    const QString source = tailSource(shape, chars + qsizetype(deltas + warmUp) * 16 + 64);
    view.appendMessage(ChatView::Role::User, question(rng, 1));
    const int index = view.appendMessage(ChatView::Role::Assistant, QString(), true);
    view.scrollToBottom();
    qsizetype sent = std::min(chars, source.size());
    if (source[sent - 1].isHighSurrogate())
        ++sent;
    // The block as it stands when the measurement starts, in large pieces (not measured).
    for (qsizetype at = 0; at < sent;) {
        const qsizetype n = std::min<qsizetype>(2048, sent - at);
        view.appendText(index, QStringView(source).sliced(at, n));
        at += n;
    }
    runFor(300);

    TailFigures figures;
    const int paintsBefore = app.paints;
    QTimer feeder;
    feeder.setTimerType(Qt::PreciseTimer);
    QEventLoop loop;
    int step = 0;
    qint64 last = 0;
    QObject::connect(&feeder, &QTimer::timeout, &view, [&] {
        const qint64 now = threadCpuNs();
        if (step > warmUp)
            figures.deltaCpuNs.push_back(now - last);
        figures.followedBottom = figures.followedBottom && view.isAtBottom();
        if (step == warmUp + deltas) {
            feeder.stop();
            loop.quit();
            return;
        }
        ++step;
        qsizetype n = 4 + rng.below(13);
        if (source[sent + n - 1].isHighSurrogate())
            ++n; // deltas are decoded UTF-8: code points are whole
        last = threadCpuNs();
        view.appendText(index, QStringView(source).sliced(sent, n));
        sent += n;
    });
    feeder.start(16);
    loop.exec();
    figures.paints = app.paints - paintsBefore;
    figures.shownChars = view.messageText(index).size();
    view.finishMessage(index);
    runFor(100);
    return figures;
}

int runTail(BenchApplication &app, ChatView &view, const Options &options)
{
    const TailFigures figures =
        tailDeltas(app, view, options.tail, options.tailChars, options.deltas);
    std::printf("open %s block of %d chars, %zu deltas of 4-16 chars, one per 16 ms frame\n",
                qPrintable(options.tail), options.tailChars, figures.deltaCpuNs.size());
    std::printf("  paints of the viewport: %d; followed the bottom: %s; message %lld chars\n",
                figures.paints, figures.followedBottom ? "yes" : "NO",
                qlonglong(figures.shownChars));
    std::printf(
        "  per-delta CPU: min %.2f ms, mean %.2f ms, max %.2f ms\n",
        ms(percentile(figures.deltaCpuNs, 0.0)),
        figures.deltaCpuNs.empty()
            ? 0.0
            : ms(std::accumulate(figures.deltaCpuNs.begin(), figures.deltaCpuNs.end(), qint64(0)) /
                 qint64(figures.deltaCpuNs.size())),
        ms(percentile(figures.deltaCpuNs, 1.0)));
    // The contract line (see kUsage): always the last line.
    std::printf("tail %s %d chars: per-delta CPU median %.2f ms, p99 %.2f ms\n",
                qPrintable(options.tail), options.tailChars,
                ms(percentile(figures.deltaCpuNs, 0.5)), ms(percentile(figures.deltaCpuNs, 0.99)));
    std::fflush(stdout);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    // Offscreen by default: the benchmark runs anywhere and measures the view, not an X server.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    g_clock.start();
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // lines in order with Qt's warnings on stderr
    BenchApplication app(argc, argv);
    const Options options = parseOptions(QCoreApplication::arguments());
    if (options.help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "bench_chatview: %s\n\n%s", qPrintable(options.error), kUsage);
        return 2;
    }

    std::printf("bench_chatview (%s build), Qt %s, platform %s\n", QALAM_BENCH_BUILD_TYPE,
                qVersion(), qPrintable(QGuiApplication::platformName()));
    std::printf("machine: %d cores, %s; load average %s\n", QThread::idealThreadCount(),
                qPrintable(cpuModel()), qPrintable(loadAverage()));

    ChatView view;
    view.resize(900, 720);
    app.watched = view.viewport();
    view.show();
    runFor(300);
    if (!options.tail.isEmpty())
        return runTail(app, view, options);
    const qint64 baselineKb = procStatusKb(QLatin1String("VmRSS"));

    // The conversation, in a real store file, and a long answer to stream.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.sqlite3"));
    qint64 conversationId = 0;
    {
        ConversationStore store(path);
        if (!store.isOpen()) {
            std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
            return 1;
        }
        const auto conversation = store.createConversation(QStringLiteral("محادثة طويلة"));
        conversationId = conversation->id;
        Rng rng(2026);
        qint64 utf8 = 0;
        for (int i = 0; i < options.messages / 2; ++i) {
            const QString q = question(rng, i);
            const QString a = answer(rng, i, 1800 + rng.below(4000));
            utf8 += q.toUtf8().size() + a.toUtf8().size();
            store.addMessage(conversationId, StoredMessage::Role::User, q);
            const auto stored = store.addMessage(conversationId, StoredMessage::Role::Assistant, a);
            MessageMetrics metrics;
            metrics.timeToFirstTokenMs = 300 + rng.below(900);
            metrics.charactersPerSecond = 40 + rng.below(400);
            metrics.finishReason = QStringLiteral("stop");
            store.updateMessage(stored->id, a, StoredMessage::State::Complete, QString(),
                                metrics.toJson());
        }
        std::printf("conversation: %d messages, %.2f MB of UTF-8 Markdown\n",
                    options.messages / 2 * 2, double(utf8) / 1e6);
    }
    Rng answerRng(99);
    const QString longAnswer = answer(answerRng, 0, 60'000);

    ConversationStore store(path);
    QList<StoredMessage> messages;
    const bool peakReset = resetPeakRss();

    // Open: the first run meets cold caches (fonts, glyphs, SQLite pages); the median is of the
    // others. The view is cleared between runs, untimed, so each run opens into an empty view.
    std::vector<OpenFigures> opens;
    qint64 openedKb = -1;
    for (int run = 0; run <= options.opens; ++run) {
        opens.push_back(openConversation(app, view, store, conversationId, &messages));
        if (run == 0)
            openedKb = procStatusKb(QLatin1String("VmRSS"));
        if (run < options.opens) {
            view.clear();
            messages.clear();
            runFor(50);
        }
    }
    std::printf("\nopen (messages() + rows + setMessages() + first painted frame), view %dx%d:\n",
                view.viewport()->width(), view.viewport()->height());
    const OpenFigures &cold = opens.front();
    std::printf("  first (cold)  %7.1f ms  (load %.1f, rows %.1f, setMessages %.1f, frame %.1f)\n",
                ms(cold.totalNs), ms(cold.loadNs), ms(cold.rowsNs), ms(cold.setNs),
                ms(cold.frameNs));
    std::vector<OpenFigures> warm(opens.begin() + 1, opens.end());
    std::sort(warm.begin(), warm.end(),
              [](const auto &a, const auto &b) { return a.totalNs < b.totalNs; });
    const OpenFigures &median = warm[warm.size() / 2];
    std::printf("  median of %d  %7.1f ms  (load %.1f, rows %.1f, setMessages %.1f, frame %.1f); "
                "min %.1f, max %.1f\n",
                int(warm.size()), ms(median.totalNs), ms(median.loadNs), ms(median.rowsNs),
                ms(median.setNs), ms(median.frameNs), ms(warm.front().totalNs),
                ms(warm.back().totalNs));
    std::printf("  documents held after opening: %d of %d messages\n", view.documentCount(),
                view.messageCount());

    const ScrollFigures scrolled = scrollHistory(app, view, options.scrollSteps);
    std::printf(
        "\nscrolling up %d wheel steps, one per frame: longest event %.1f ms (%.1f ms CPU), p99 "
        "%.1f ms CPU; screen equals a full repaint: %s\n",
        scrolled.steps, ms(scrolled.longestNs), ms(scrolled.longestCpuNs), ms(scrolled.p99CpuNs),
        !scrolled.screenMatches   ? "not checked"
        : *scrolled.screenMatches ? "yes"
                                  : "NO");

    std::printf(
        "\nstreaming into the open conversation, %d s per rate (typewriter -> appendText):\n",
        options.seconds);
    std::vector<StreamFigures> streams;
    streams.push_back(stream(app, view, longAnswer, 50, 2, 8, options.seconds));
    streams.push_back(stream(app, view, longAnswer, 2000, 8, 48, options.seconds));
    for (const StreamFigures &s : streams) {
        std::printf(
            "  %d chars/s: %lld chars in %d deltas over %.1f s; typewriter lag max %lld ms\n",
            s.rate, qlonglong(s.chars), s.deltas, s.seconds, qlonglong(s.maxLagMs));
        std::printf("    %d paints, each covering %.0f%% of the viewport on average\n", s.paints,
                    s.paintedShare * 100);
        std::printf("    main thread busy %.1f%%\n", s.busyShare * 100);
        std::printf("    top-level events: %d; longest %.1f ms (%.1f ms CPU), p99 %.1f ms (%.1f ms "
                    "CPU); %d over 16 ms\n",
                    s.events, ms(s.longestNs), ms(s.longestCpuNs), ms(s.p99Ns), ms(s.p99CpuNs),
                    s.eventsOver16);
        std::printf("    work per painted frame: max %.1f ms, p99 %.1f ms\n", ms(s.frameWorkMaxNs),
                    ms(s.frameWorkP99Ns));
        std::printf("    screen after the stream equals a full repaint: %s\n",
                    !s.screenMatches   ? "not checked (cannot grab the window)"
                    : *s.screenMatches ? "yes"
                                       : "NO");
    }

    const LatencyFigures latency = deltaToPaint(app, view, options.trials);
    const qint64 latencyMedian = percentile(latency.toFrameNs, 0.5);
    const qint64 latencyMax =
        latency.toFrameNs.empty()
            ? 0
            : *std::max_element(latency.toFrameNs.begin(), latency.toFrameNs.end());
    std::printf("\ndelta to first painted character (typewriter idle), %d trials:\n",
                options.trials);
    std::printf("  to the end of the frame that painted it: median %.2f ms, max %.2f ms (paint "
                "done: median %.2f ms)\n",
                ms(latencyMedian), ms(latencyMax), ms(percentile(latency.toPaintNs, 0.5)));
    std::printf("  first character revealed inside append(): %d of %d; no paint: %d; paints cover "
                "%.0f%% of the viewport on average\n",
                latency.revealedInAppend, options.trials, latency.missed,
                latency.paintedShare * 100);

    const qint64 rssKb = procStatusKb(QLatin1String("VmRSS"));
    const qint64 peakKb = procStatusKb(QLatin1String("VmHWM"));
    std::printf(
        "\nmemory: RSS %.1f MB before the data, %.1f MB after the first open, %.1f MB at the "
        "end; peak %.1f MB (%s)\n",
        mb(baselineKb), mb(openedKb), mb(rssKb), mb(peakKb),
        peakReset ? "since before the first open" : "whole process: clear_refs failed");

    std::printf("\nsummary vs targets:\n");
    std::printf("  open (median)                %8.1f ms   < 300 ms  %s\n", ms(median.totalNs),
                verdict(ms(median.totalNs) < 300));
    std::printf("  memory (peak)                %8.1f MB   < 200 MB  %s\n", mb(peakKb),
                verdict(mb(peakKb) < 200));
    std::printf("  busy share at 50 chars/s     %8.1f %%    < 10 %%    %s\n",
                streams[0].busyShare * 100, verdict(streams[0].busyShare < 0.10));
    for (const StreamFigures &s : streams) {
        std::printf("  longest frame at %4d chars/s %7.1f ms   < 16 ms   %s\n", s.rate,
                    ms(s.longestNs), verdict(ms(s.longestNs) < 16));
    }
    std::printf("  delta to paint (max)         %8.1f ms   < 16 ms   %s\n", ms(latencyMax),
                verdict(ms(latencyMax) < 16 && latency.missed == 0));
    std::printf("load average at the end: %s\n", qPrintable(loadAverage()));
    return 0;
}
