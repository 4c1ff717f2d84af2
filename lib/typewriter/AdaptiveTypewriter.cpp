#include "typewriter/AdaptiveTypewriter.h"

#include <QTextBoundaryFinder>

#include <algorithm>
#include <limits>

namespace qalam {

namespace {

char32_t firstCodePoint(QStringView s)
{
    if (s.size() >= 2 && s[0].isHighSurrogate() && s[1].isLowSurrogate())
        return QChar::surrogateToUcs4(s[0], s[1]);
    return s[0].unicode();
}

char32_t lastCodePoint(QStringView s)
{
    const qsizetype n = s.size();
    if (n >= 2 && s[n - 1].isLowSurrogate() && s[n - 2].isHighSurrogate())
        return QChar::surrogateToUcs4(s[n - 2], s[n - 1]);
    return s[n - 1].unicode();
}

constexpr bool isRegionalIndicator(char32_t c)
{
    return c >= 0x1F1E6 && c <= 0x1F1FF;
}

enum class PauseClass { None, SentenceEnd, Clause, Closing };

PauseClass pauseClass(char32_t c)
{
    switch (c) {
    case u'.':
    case u'!':
    case u'?':
    case u'\u2026': // …
    case u'\u061F': // ؟ Arabic question mark
    case u'\u06D4': // ۔ Arabic full stop
        return PauseClass::SentenceEnd;
    case u',':
    case u';':
    case u':':
    case u'\u060C': // ، Arabic comma
    case u'\u061B': // ؛ Arabic semicolon
        return PauseClass::Clause;
    case u'"':
    case u'\'':
        return PauseClass::Closing;
    default:
        break;
    }
    const QChar::Category category = QChar::category(c);
    if (category == QChar::Punctuation_Close || category == QChar::Punctuation_FinalQuote)
        return PauseClass::Closing;
    return PauseClass::None;
}

// Whether the next delta could extend this cluster (see the header's trailing cluster rule).
// Nothing in practice continues a cluster that ends in whitespace or punctuation, and showing
// those at once keeps sentence ends and line breaks prompt; CR waits for a possible LF.
bool mayGrow(QStringView cluster)
{
    const char32_t last = lastCodePoint(cluster);
    if (last == u'\r')
        return true;
    if (QChar::isSpace(last) || QChar::isPunct(last))
        return false;
    // A pair of regional indicators is a whole flag; a third one starts a new cluster.
    if (cluster.size() == 4 && isRegionalIndicator(last) &&
        isRegionalIndicator(firstCodePoint(cluster)))
        return false;
    return true;
}

} // namespace

AdaptiveTypewriter::AdaptiveTypewriter(QObject *parent) : QObject(parent)
{
    m_elapsed.start();
    // A coarse timer may drift by 5% of the interval, which shows as uneven typing.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &AdaptiveTypewriter::advance);
    reset();
}

AdaptiveTypewriter::~AdaptiveTypewriter() = default;

void AdaptiveTypewriter::setClock(const TypewriterClock *clock)
{
    m_clock = clock;
    m_lastStepMs = now();
}

qint64 AdaptiveTypewriter::now() const
{
    return m_clock ? m_clock->nowMs() : m_elapsed.elapsed();
}

void AdaptiveTypewriter::setReduceMotion(bool on)
{
    if (m_reduceMotion == on)
        return;
    m_reduceMotion = on;
    if (on) {
        step(now());
    } else {
        // Pace from now on, without the budget an unpaced stretch leaves behind.
        m_credit = 0;
        m_lastStepMs = now();
    }
}

void AdaptiveTypewriter::setMaxLagMs(int ms)
{
    m_maxLagMs = std::max(0, ms);
    if (m_timer.isActive())
        schedule(now());
}

void AdaptiveTypewriter::setBasePaceMs(int ms)
{
    m_basePaceMs = std::max(0, ms);
}

void AdaptiveTypewriter::setFrameIntervalMs(int ms)
{
    m_frameMs = std::max(1, ms);
    if (m_timer.isActive())
        schedule(now());
}

void AdaptiveTypewriter::append(QStringView text)
{
    if (text.isEmpty())
        return;
    const qint64 t = now();
    const bool wasWaiting = !canRevealNow(t);
    m_finished = false;
    m_finishReported = false;

    const qsizetype oldEnd = m_text.size();
    m_text.append(text);
    if (!m_arrivals.empty() && t - m_arrivals.back().atMs < m_frameMs)
        m_arrivals.back().end = m_text.size();
    else
        m_arrivals.push_back({m_text.size(), t});

    // The last cluster may continue in this delta, so segment again from its start. Boundaries
    // before it stay: grapheme rules look back only within a cluster, and regional indicator
    // pairing restarts at a boundary. A cluster longer than any real one (a run of hundreds of
    // combining marks) is cut instead, or feeding it a mark at a time would be quadratic.
    qsizetype from = oldEnd;
    if (!m_clusterEnds.empty()) {
        const auto count = m_clusterEnds.size();
        const qsizetype start = count > 1 ? m_clusterEnds[count - 2] : m_revealed;
        if (oldEnd - start <= MaxClusterLength || m_text[oldEnd - 1].isHighSurrogate()) {
            m_clusterEnds.pop_back();
            from = start;
        }
    }
    segmentFrom(from);

    if (m_reduceMotion || wasWaiting)
        resume(t);
}

void AdaptiveTypewriter::finish()
{
    const qint64 t = now();
    const bool wasWaiting = !canRevealNow(t);
    m_finished = true;
    if (wasWaiting)
        resume(t);
}

void AdaptiveTypewriter::reset()
{
    m_timer.stop();
    m_text.clear();
    m_revealed = 0;
    m_clusterEnds.clear();
    m_arrivals.clear();
    // Whatever the pace, the first cluster of the next answer shows on arrival (resume() caps
    // the budget to that one cluster).
    m_credit = std::numeric_limits<double>::infinity();
    m_lastStepMs = now();
    m_pendingPause = 1;
    m_finished = false;
    m_finishReported = false;
}

qint64 AdaptiveTypewriter::lagMs() const
{
    if (m_clusterEnds.empty())
        return 0;
    const qint64 t = now();
    return std::max<qint64>(0, t - arrivalOf(m_revealed));
}

void AdaptiveTypewriter::advance()
{
    step(now());
}

void AdaptiveTypewriter::segmentFrom(qsizetype from)
{
    // A lone high surrogate at the end says nothing yet about the code point it starts, which
    // may extend the cluster before it (a skin tone, the rest of a ZWJ sequence). Unless that
    // cluster is complete in practice, the surrogate joins it as the trailing cluster, held
    // whole until the pair arrives.
    const bool dangling = m_text.back().isHighSurrogate();
    const QStringView complete = QStringView(m_text).sliced(from).chopped(dangling ? 1 : 0);
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, complete);
    for (qsizetype b = finder.toNextBoundary(); b > 0; b = finder.toNextBoundary())
        m_clusterEnds.push_back(from + b);
    if (dangling) {
        if (!complete.isEmpty()) {
            const auto count = m_clusterEnds.size();
            const qsizetype start = count > 1 ? m_clusterEnds[count - 2] : m_revealed;
            if (mayGrow(QStringView(m_text).sliced(start, m_clusterEnds.back() - start)))
                m_clusterEnds.pop_back();
        }
        m_clusterEnds.push_back(m_text.size());
    }
}

qint64 AdaptiveTypewriter::arrivalOf(qsizetype offset) const
{
    for (const Arrival &arrival : m_arrivals) {
        if (arrival.end > offset)
            return arrival.atMs;
    }
    return now();
}

bool AdaptiveTypewriter::trailingHeld(qint64 nowMs) const
{
    if (m_finished || m_clusterEnds.empty())
        return false;
    const auto count = m_clusterEnds.size();
    const qsizetype start = count > 1 ? m_clusterEnds[count - 2] : m_revealed;
    const QStringView cluster = QStringView(m_text).sliced(start);
    if (cluster.back().isHighSurrogate())
        return true;
    return mayGrow(cluster) && nowMs < arrivalOf(start) + targetLagMs();
}

bool AdaptiveTypewriter::canRevealNow(qint64 nowMs) const
{
    return m_clusterEnds.size() > 1 || (m_clusterEnds.size() == 1 && !trailingHeld(nowMs));
}

// Text that has reached its target age is shown now, whatever the pace says: the pace does not
// count pauses when it speeds up, so the tail of a burst could otherwise drift past the target.
// Forcing at half the bound keeps the other half for ticks that come late (a busy UI thread).
qsizetype AdaptiveTypewriter::forcedEnd(qint64 nowMs) const
{
    qsizetype end = m_revealed;
    for (const Arrival &arrival : m_arrivals) {
        if (arrival.atMs + targetLagMs() > nowMs)
            break;
        end = std::max(end, arrival.end);
    }
    return end;
}

// How much faster than the base pace to go so that every arrival is shown by its target time
// (half the bound). The steepest demand over all arrivals wins, so a burst is spread over the
// time left rather than dumped at its deadline. At most about (maxLag / 2) / frame arrivals,
// each a binary search.
double AdaptiveTypewriter::speedFactor(qint64 nowMs) const
{
    double rate = 0; // clusters per millisecond
    for (const Arrival &arrival : m_arrivals) {
        if (arrival.end <= m_revealed)
            continue;
        const auto due =
            std::lower_bound(m_clusterEnds.cbegin(), m_clusterEnds.cend(), arrival.end);
        const double clusters = double(due - m_clusterEnds.cbegin() + 1);
        const qint64 left = std::max<qint64>(m_frameMs, arrival.atMs + targetLagMs() - nowMs);
        rate = std::max(rate, clusters / double(left));
    }
    return std::max(1.0, rate * m_basePaceMs);
}

double AdaptiveTypewriter::costOfNext() const
{
    const QStringView cluster =
        QStringView(m_text).sliced(m_revealed, m_clusterEnds.front() - m_revealed);
    // The pause after a mark is spent here, before the whitespace that follows it: the mark
    // itself shows at once, and "3.14" or "e.g." never pause.
    if (m_pendingPause > 1 && QChar::isSpace(firstCodePoint(cluster)))
        return double(m_basePaceMs) * m_pendingPause;
    return m_basePaceMs;
}

void AdaptiveTypewriter::revealNext()
{
    const qsizetype end = m_clusterEnds.front();
    const QStringView cluster = QStringView(m_text).sliced(m_revealed, end - m_revealed);
    switch (pauseClass(firstCodePoint(cluster))) {
    case PauseClass::SentenceEnd:
        m_pendingPause = std::max(m_pendingPause, SentencePauseFactor);
        break;
    case PauseClass::Clause:
        m_pendingPause = std::max(m_pendingPause, ClausePauseFactor);
        break;
    case PauseClass::Closing: // "Done." then the quote: the pause still comes after both
        break;
    case PauseClass::None:
        m_pendingPause = 1;
        break;
    }
    m_revealed = end;
    m_clusterEnds.pop_front();
}

// Called when text or finish() arrives while nothing was revealable (idle, or only a held
// cluster). The waiting time counts toward the next cluster, so a pause that already elapsed
// is not paid again, but only up to that one cluster: banked idle time must not come out as a
// burst.
void AdaptiveTypewriter::resume(qint64 nowMs)
{
    if (!m_clusterEnds.empty() && !m_reduceMotion) {
        const double waited = double(std::max<qint64>(0, nowMs - m_lastStepMs));
        m_credit = std::min(m_credit + waited, costOfNext());
    }
    m_lastStepMs = nowMs;
    step(nowMs);
}

void AdaptiveTypewriter::step(qint64 nowMs)
{
    const double elapsed = double(std::max<qint64>(0, nowMs - m_lastStepMs));
    m_lastStepMs = nowMs;
    const qsizetype from = m_revealed;

    if (m_reduceMotion) {
        while (canRevealNow(nowMs))
            revealNext();
    } else {
        m_credit += elapsed * speedFactor(nowMs);
        const qsizetype forced = forcedEnd(nowMs);
        while (canRevealNow(nowMs)) {
            if (m_revealed >= forced) {
                const double cost = costOfNext();
                if (m_credit < cost)
                    break;
                m_credit -= cost;
            }
            revealNext();
        }
        if (!canRevealNow(nowMs))
            m_credit = std::min(m_credit, maxCost());
    }
    while (!m_arrivals.empty() && m_arrivals.front().end <= m_revealed)
        m_arrivals.pop_front();

    // A slot may call append() or reset(), so the state is read again after each signal.
    if (m_revealed > from)
        Q_EMIT revealed(m_text.mid(from, m_revealed - from));
    if (m_revealed > from && m_clusterEnds.empty())
        Q_EMIT caughtUp();
    if (m_clusterEnds.empty() && m_finished && !m_finishReported) {
        m_finishReported = true;
        Q_EMIT finishedRevealing();
    }
    schedule(nowMs);
}

void AdaptiveTypewriter::schedule(qint64 nowMs)
{
    if (m_clusterEnds.empty()) {
        m_timer.stop();
        return;
    }
    if (canRevealNow(nowMs)) {
        if (!m_timer.isActive() || m_timer.interval() != m_frameMs)
            m_timer.start(m_frameMs);
        return;
    }
    // Only a held cluster is left: sleep until it is due rather than tick every frame.
    if (m_text.back().isHighSurrogate()) {
        m_timer.stop(); // only more text or finish() can complete it
        return;
    }
    const auto count = m_clusterEnds.size();
    const qsizetype start = count > 1 ? m_clusterEnds[count - 2] : m_revealed;
    const qint64 wait = arrivalOf(start) + targetLagMs() - nowMs;
    m_timer.start(int(std::clamp<qint64>(wait, 1, std::max(1, m_maxLagMs))));
}

} // namespace qalam
