// AdaptiveTypewriter: reveals a streamed answer at a readable pace without ever falling far
// behind the stream.
//
// Text arrives in deltas of any size at any rate; the view shows what revealed() hands it.
//
// - Unit: whole grapheme clusters (QTextBoundaryFinder), so a surrogate pair, an Arabic letter
//   and its harakat, or an emoji ZWJ sequence is never shown in part. A delta may end inside a
//   cluster, so the last cluster received is held while the next delta could still extend it
//   (see the rule below).
// - Pace: basePaceMs() per cluster (8 ms), with a pause after a sentence end (10x: . ! ? … ؟ ۔)
//   or a clause mark (4x: , ; : ، ؛). The pause is spent before the whitespace that follows the
//   mark, so "3.14", "e.g." and "a,b" do not stutter, and a run such as "?!" or a closing quote
//   after the mark pauses once.
// - Bound: no text is shown later than maxLagMs() (300 ms) after it arrived, at any stream rate.
//   The pace speeds up smoothly with the backlog so that text is shown by half the bound, and
//   text that reaches that age is shown at the next tick regardless of pace; the other half of
//   the bound is headroom for ticks that come late. finish() needs no extra rule: all text
//   arrived before it, so the rest is shown within the bound of finish() too.
// - Latency: when nothing is pending, a new delta's first cluster is revealed inside append(),
//   not a frame later (unless a pause after the previous mark is still running).
// - Cost: a tick's work is proportional to what it reveals (a cursor over clusters segmented
//   once, on arrival), and the timer stops when there is nothing to show.
//
// Trailing cluster rule: a cluster at the very end of what has arrived, ending in anything but
// whitespace or punctuation (a letter, mark, digit, emoji, ZWJ, lone regional indicator), might
// be continued by the next delta (a harakah, a skin tone, the rest of a ZWJ sequence or flag, a
// keycap). It is held until more text arrives, finish(), or half the lag bound after it arrived,
// whichever is first. Live streams send the next delta well within that, so clusters arrive
// whole; a stream that stalls still shows its text within the bound, and if the continuation
// comes later still, it is revealed as its own piece (the text engine reshapes; nothing is lost).
// A lone high surrogate is the one exception: half a code point cannot be drawn, so it waits for
// its pair or finish() (it cannot occur in deltas decoded from UTF-8).
#pragma once

#include "typewriter/TypewriterClock.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>

namespace qalam {

class AdaptiveTypewriter : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultBasePaceMs = 8;
    static constexpr int DefaultMaxLagMs = 300;
    static constexpr int DefaultFrameIntervalMs = 16;
    static constexpr int SentencePauseFactor = 10;
    static constexpr int ClausePauseFactor = 4;

    explicit AdaptiveTypewriter(QObject *parent = nullptr);
    ~AdaptiveTypewriter() override;

    // Not owned; must outlive this object or be replaced. nullptr restores the default
    // monotonic clock. Set it before the first append().
    void setClock(const TypewriterClock *clock);

    // Show text as soon as it arrives (still whole clusters, still the trailing cluster rule).
    void setReduceMotion(bool on);
    bool reduceMotion() const { return m_reduceMotion; }
    void setMaxLagMs(int ms);
    int maxLagMs() const { return m_maxLagMs; }
    void setBasePaceMs(int ms);
    int basePaceMs() const { return m_basePaceMs; }
    // The display's frame interval (16 ms at 60 Hz); the timer ticks at this rate while text is
    // pending.
    void setFrameIntervalMs(int ms);
    int frameIntervalMs() const { return m_frameMs; }

    // A delta of the answer. After finish(), appending reopens the answer.
    void append(QStringView text);
    // No more text will come: the trailing cluster is released, and finishedRevealing() follows
    // once everything is shown (synchronously, if it already is).
    void finish();
    // Forget the answer and stop, without emitting anything.
    void reset();

    const QString &text() const { return m_text; } // everything received
    QString revealedText() const { return m_text.left(m_revealed); }
    qsizetype revealedLength() const { return m_revealed; }               // UTF-16 units
    qsizetype backlog() const { return qsizetype(m_clusterEnds.size()); } // clusters not shown
    qint64 lagMs() const; // age of the oldest text not shown yet (to one frame); 0 if none
    bool isFinished() const { return m_finished; }
    // The timer is running: text is pending (or a held cluster awaits its release time).
    bool isAnimating() const { return m_timer.isActive(); }

public Q_SLOTS:
    // One frame: reveals what is due now. The timer calls it; tests call it after moving their
    // clock.
    void advance();

Q_SIGNALS:
    // The clusters revealed by one tick (or one append() when idle), to be appended to the view.
    void revealed(const QString &text);
    // Everything received so far is shown.
    void caughtUp();
    // After finish(), everything is shown. Once per finish().
    void finishedRevealing();

private:
    struct Arrival
    {
        qsizetype end; // text before this offset had arrived by atMs
        qint64 atMs;
    };

    // UTF-16 units; real clusters (a family emoji with skin tones, a subdivision flag) are
    // well under this.
    static constexpr qsizetype MaxClusterLength = 128;

    qint64 now() const;
    qint64 targetLagMs() const { return m_maxLagMs / 2; }
    double maxCost() const { return double(m_basePaceMs) * SentencePauseFactor; }
    void segmentFrom(qsizetype from);
    qint64 arrivalOf(qsizetype offset) const;
    bool trailingHeld(qint64 nowMs) const;
    bool canRevealNow(qint64 nowMs) const;
    qsizetype forcedEnd(qint64 nowMs) const;
    double speedFactor(qint64 nowMs) const;
    double costOfNext() const;
    void revealNext();
    void resume(qint64 nowMs);
    void step(qint64 nowMs);
    void schedule(qint64 nowMs);

    const TypewriterClock *m_clock = nullptr;
    QElapsedTimer m_elapsed;
    QTimer m_timer{this};

    QString m_text;
    qsizetype m_revealed = 0;
    // Ends of the clusters not shown yet, ascending; back() is m_text.size().
    std::deque<qsizetype> m_clusterEnds;
    // Arrival times of the text not shown yet, merged per frame keeping the earliest time, so
    // there are at most about (maxLag / 2) / frame entries however many deltas arrive.
    std::deque<Arrival> m_arrivals;

    double m_credit = 0; // pace budget in milliseconds at base speed
    qint64 m_lastStepMs = 0;
    int m_pendingPause = 1; // factor owed to the whitespace after the last mark
    bool m_finished = false;
    bool m_finishReported = false;
    bool m_reduceMotion = false;
    int m_maxLagMs = DefaultMaxLagMs;
    int m_basePaceMs = DefaultBasePaceMs;
    int m_frameMs = DefaultFrameIntervalMs;
};

} // namespace qalam
