// AdaptiveTypewriter on a manual clock: every reveal time is exact, so pace, pauses and the lag
// bound are asserted to the millisecond without a single wall-clock wait. What the view would
// see (the pieces and when) is checked against an independent segmentation of the final text.
#include "typewriter/AdaptiveTypewriter.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QTextBoundaryFinder>

#include <algorithm>

using namespace qalam;

namespace {

class ManualClock final : public TypewriterClock
{
public:
    qint64 nowMs() const override { return now; }
    qint64 now = 0;
};

struct Piece
{
    qsizetype start;
    QString text;
    qint64 atMs;
};

// One typewriter on a manual clock, recording what a view would show and when.
class Harness
{
public:
    Harness()
    {
        typewriter.setClock(&clock);
        QObject::connect(&typewriter, &AdaptiveTypewriter::revealed, &typewriter,
                         [this](const QString &piece) {
                             pieces.append({shown.size(), piece, clock.now});
                             revealedAt.insert(revealedAt.size(), piece.size(), clock.now);
                             shown += piece;
                         });
        QObject::connect(&typewriter, &AdaptiveTypewriter::caughtUp, &typewriter,
                         [this] { ++caughtUp; });
        QObject::connect(&typewriter, &AdaptiveTypewriter::finishedRevealing, &typewriter, [this] {
            ++finished;
            finishedAt = clock.now;
        });
    }

    void append(const QString &text)
    {
        arrivedAt.insert(arrivedAt.size(), text.size(), clock.now);
        typewriter.append(text);
    }

    void tickAt(qint64 t)
    {
        clock.now = t;
        typewriter.advance();
        ++ticks;
    }

    // Ticks every `step` ms up to and including `t`.
    void runTo(qint64 t, qint64 step = AdaptiveTypewriter::DefaultFrameIntervalMs)
    {
        while (clock.now + step <= t)
            tickAt(clock.now + step);
        if (clock.now < t)
            tickAt(t);
    }

    // Ticks every frame (or `step` ms) until finishedRevealing() has come `count` times in
    // all; false if that takes longer than `limitMs`.
    bool runUntilFinished(int count = 1, qint64 step = 0, qint64 limitMs = 10'000)
    {
        const qint64 end = clock.now + limitMs;
        while (finished < count && clock.now < end)
            tickAt(clock.now + (step > 0 ? step : typewriter.frameIntervalMs()));
        return finished >= count;
    }

    qint64 maxLag() const
    {
        qint64 worst = 0;
        for (qsizetype i = 0; i < revealedAt.size(); ++i)
            worst = std::max(worst, revealedAt[i] - arrivedAt[i]);
        return worst;
    }

    ManualClock clock; // declared first: the typewriter reads it until destroyed
    AdaptiveTypewriter typewriter;
    QString shown;
    QList<Piece> pieces;
    QList<qint64> arrivedAt;  // per UTF-16 unit
    QList<qint64> revealedAt; // per UTF-16 unit
    int caughtUp = 0;
    int finished = 0;
    qint64 finishedAt = -1;
    int ticks = 0;
};

// Grapheme boundaries of the final text, from Qt's own segmentation run once over the whole
// text: the reference that incremental segmentation and holding must agree with.
QList<bool> boundaries(const QString &text)
{
    QList<bool> at(text.size() + 1, false);
    at[0] = true;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    for (qsizetype b = finder.toNextBoundary(); b > 0; b = finder.toNextBoundary())
        at[b] = true;
    return at;
}

qsizetype graphemeCount(const QString &text)
{
    const QList<bool> at = boundaries(text);
    return std::count(at.cbegin(), at.cend(), true) - 1;
}

// Every piece, hence every prefix the view ever showed, starts and ends on a boundary of the
// final text. Returns a description of the first violation, or nothing.
QString firstSplitCluster(const Harness &h, const QString &text)
{
    const QList<bool> at = boundaries(text);
    for (const Piece &piece : h.pieces) {
        if (!at[piece.start] || !at[piece.start + piece.text.size()]) {
            return QStringLiteral("piece at %1 (%2 units, t=%3ms) splits a cluster")
                .arg(piece.start)
                .arg(piece.text.size())
                .arg(piece.atMs);
        }
    }
    return {};
}

// Splits text into deltas at code point boundaries, sizes drawn from [minPoints, maxPoints].
QStringList randomDeltas(const QString &text, int minPoints, int maxPoints, quint32 seed)
{
    QRandomGenerator random(seed);
    QStringList deltas;
    qsizetype i = 0;
    while (i < text.size()) {
        const int points = random.bounded(minPoints, maxPoints + 1);
        qsizetype end = i;
        for (int p = 0; p < points && end < text.size(); ++p)
            end += (text[end].isHighSurrogate() && end + 1 < text.size()) ? 2 : 1;
        deltas.append(text.mid(i, end - i));
        i = end;
    }
    return deltas;
}

QString utf8(const char *text)
{
    return QString::fromUtf8(text);
}

} // namespace

class TestAdaptiveTypewriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void basePace_data();
    void basePace();
    void pauses_data();
    void pauses();
    void burstIsSpreadNotDumped();
    void graphemeSafety_data();
    void graphemeSafety();
    void heldClusterReleasedByTarget();
    void completeTrailingClusterNotHeld();
    void loneHighSurrogateWaitsForPair();
    void lagBound_data();
    void lagBound();
    void finishRevealsRestWithinBound();
    void finishWithNothingPending();
    void reduceMotion();
    void resetClears();
    void idleDeltaStartsAtOnce();
    void pauseOwedAcrossIdle();
    void timerStopsWhenIdle();
    void slotsMayReenter();
    void longClusterStaysLinear();
    void realTimerDrivesReveal();
};

void TestAdaptiveTypewriter::basePace_data()
{
    QTest::addColumn<int>("paceMs");
    QTest::addColumn<int>("tickMs");
    QTest::newRow("8ms, 1ms ticks") << 8 << 1;
    QTest::newRow("8ms, 60Hz") << 8 << 16;
    QTest::newRow("5ms, 60Hz") << 5 << 16;
    QTest::newRow("12ms, 7ms ticks") << 12 << 7;
}

// Without a backlog worth speeding up for, N ms after the first cluster, N / pace more are
// shown: exactly, because leftover budget carries from tick to tick.
void TestAdaptiveTypewriter::basePace()
{
    QFETCH(int, paceMs);
    QFETCH(int, tickMs);
    Harness h;
    h.typewriter.setMaxLagMs(1'000'000); // no adaptive speed-up: observe the base pace
    h.typewriter.setBasePaceMs(paceMs);
    h.append(QString(400, u'a'));
    QCOMPARE(h.shown.size(), 1);
    while (h.clock.now < 1500) {
        h.tickAt(h.clock.now + tickMs);
        QCOMPARE(h.shown.size(), 1 + h.clock.now / paceMs);
    }
    QVERIFY(h.pieces.size() <= h.ticks + 1); // one piece per tick at most
}

void TestAdaptiveTypewriter::pauses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("at");      // index of the cluster whose wait is checked
    QTest::addColumn<int>("waitMs");  // from the previous cluster's reveal to its reveal
    QTest::addColumn<int>("extraMs"); // all pauses together, beyond the base pace

    // The pause is the wait before the whitespace after the mark: 10x or 4x the 8 ms base.
    QTest::newRow("letters") << utf8("one two") << 3 << 8 << 0;
    QTest::newRow(". 10x") << utf8("one. two") << 4 << 80 << 72;
    QTest::newRow("! 10x") << utf8("one! two") << 4 << 80 << 72;
    QTest::newRow("? 10x") << utf8("one? two") << 4 << 80 << 72;
    QTest::newRow("… 10x") << utf8("one… two") << 4 << 80 << 72;
    QTest::newRow("Arabic ؟ 10x") << utf8("كيف؟ حسنا") << 4 << 80 << 72;
    QTest::newRow("Arabic ۔ 10x") << utf8("ختم۔ بعد") << 4 << 80 << 72;
    QTest::newRow(", 4x") << utf8("one, two") << 4 << 32 << 24;
    QTest::newRow("; 4x") << utf8("one; two") << 4 << 32 << 24;
    QTest::newRow(": 4x") << utf8("one: two") << 4 << 32 << 24;
    QTest::newRow("Arabic ، 4x") << utf8("نعم، لا") << 4 << 32 << 24;
    QTest::newRow("Arabic ؛ 4x") << utf8("نعم؛ لا") << 4 << 32 << 24;
    QTest::newRow("newline after .") << utf8("Done.\nNext") << 5 << 80 << 72;
    QTest::newRow("paragraph pauses once") << utf8("Done.\n\nNext") << 5 << 80 << 72;
    QTest::newRow("?! pauses once") << utf8("what?! no") << 6 << 80 << 72;
    QTest::newRow("... pauses once") << utf8("Wait... no") << 7 << 80 << 72;
    QTest::newRow("after closing quote") << utf8("\"Done.\" Next") << 7 << 80 << 72;
    QTest::newRow("mark itself not delayed") << utf8("one. two") << 3 << 8 << 72;
    QTest::newRow("decimal point no pause") << utf8("pi 3.14 x") << 5 << 8 << 0;
    QTest::newRow("e.g. pauses at the space only") << utf8("e.g. so") << 4 << 80 << 72;
    QTest::newRow("comma then sentence end: 10x") << utf8("a,. b") << 3 << 80 << 72;
}

void TestAdaptiveTypewriter::pauses()
{
    QFETCH(QString, text);
    QFETCH(int, at);
    QFETCH(int, waitMs);
    QFETCH(int, extraMs);
    Harness h;
    h.typewriter.setMaxLagMs(1'000'000);
    h.append(text);
    h.typewriter.finish();
    QVERIFY(h.runUntilFinished(1, 1));
    QCOMPARE(h.shown, text);
    // Every row's text is single-unit clusters, so units index clusters.
    QCOMPARE(graphemeCount(text), text.size());
    QCOMPARE(h.revealedAt[at] - h.revealedAt[at - 1], waitMs);
    const qint64 total = h.revealedAt.last() - h.revealedAt.first();
    QCOMPARE(total, (text.size() - 1) * AdaptiveTypewriter::DefaultBasePaceMs + extraMs);
}

// A large delta at once is spread over about half the bound, in many frames, not shown in one
// frame and not left to pile up to the bound.
void TestAdaptiveTypewriter::burstIsSpreadNotDumped()
{
    Harness h;
    const QString text = QStringLiteral("lorem ipsum dolor sit amet ").repeated(37); // ~1000 units
    h.append(text);
    h.runTo(600);
    QCOMPARE(h.shown, text);
    const qint64 target = h.typewriter.maxLagMs() / 2;
    const qint64 frame = h.typewriter.frameIntervalMs();
    QVERIFY2(h.revealedAt.last() <= target + 2 * frame, qPrintable(QString::number(h.maxLag())));
    QVERIFY(h.pieces.size() >= target / frame - 1);
    qsizetype largest = 0;
    for (const Piece &piece : h.pieces)
        largest = std::max(largest, piece.text.size());
    QVERIFY2(largest <= text.size() / 5, qPrintable(QString::number(largest)));
}

void TestAdaptiveTypewriter::graphemeSafety_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("clusters"); // checks the reference segmentation itself

    QTest::newRow("Arabic harakat") << utf8("مُحَمَّدٌ") << 4;
    QTest::newRow("Arabic basmala") << utf8("بِسْمِ اللَّهِ") << 8;
    QTest::newRow("emoji ZWJ technologist") << utf8("👩‍💻") << 1;
    QTest::newRow("emoji ZWJ family") << utf8("👨‍👩‍👧‍👦") << 1;
    QTest::newRow("emoji ZWJ with skin tone") << utf8("👩🏽‍💻") << 1;
    QTest::newRow("emoji ZWJ with VS16") << utf8("❤️‍🔥") << 1;
    QTest::newRow("flags") << utf8("🇸🇦🇪🇬🇯🇴") << 3;
    QTest::newRow("subdivision flag") << utf8("🏴󠁧󠁢󠁳󠁣󠁴󠁿") << 1;
    QTest::newRow("skin tones") << utf8("👍🏽👋🏿") << 2;
    QTest::newRow("family, skin tone, flag, smiley")
        << utf8("👩‍👩‍👧 👍🏽 🇸🇦 😀") << 7; // four emoji, three spaces
    QTest::newRow("keycap") << utf8("1️⃣2️⃣") << 2;
    QTest::newRow("combining Latin") << utf8("Cafe\u0301 n\u0303a\u0300") << 7;
    QTest::newRow("CRLF") << utf8("a\r\nb") << 3;
    QTest::newRow("mixed")
        << utf8("مرحبًا 👩🏽‍💻! قالَ: «نعم»، Café\u0301 🇸🇦. "
                "👨‍👩‍👧‍👦؟")
        << 31;
}

// Every prefix shown is whole clusters of the final text, however the deltas cut it: whole,
// at every possible split point in two deltas, one code point per delta, and (defensively) one
// UTF-16 unit per delta, which splits surrogate pairs. Deltas come 10 ms apart, as a live
// stream's do, so even the 11 units of a family emoji arrive within the hold time.
void TestAdaptiveTypewriter::graphemeSafety()
{
    QFETCH(QString, text);
    QFETCH(int, clusters);
    QCOMPARE(graphemeCount(text), clusters);

    const auto check = [&](const QStringList &deltas, const QString &how) {
        Harness h;
        for (const QString &delta : deltas) {
            h.append(delta);
            h.runTo(h.clock.now + 10);
        }
        h.typewriter.finish();
        QVERIFY2(h.runUntilFinished(), qPrintable(how));
        QVERIFY2(h.shown == text, qPrintable(how));
        const QString split = firstSplitCluster(h, text);
        QVERIFY2(split.isEmpty(), qPrintable(how + QStringLiteral(": ") + split));
        QVERIFY2(h.maxLag() <= h.typewriter.maxLagMs(), qPrintable(how));
    };

    check({text}, QStringLiteral("whole"));
    for (qsizetype p = 1; p < text.size() && !QTest::currentTestFailed(); ++p)
        check({text.left(p), text.mid(p)}, QStringLiteral("split at %1").arg(p));
    check(randomDeltas(text, 1, 1, 1), QStringLiteral("code points"));
    QStringList units;
    for (QChar c : text)
        units.append(QString(c));
    check(units, QStringLiteral("code units"));
}

// A trailing letter that the next delta might extend waits, but no longer than half the bound;
// a continuation that comes later still is shown as its own piece rather than held back.
void TestAdaptiveTypewriter::heldClusterReleasedByTarget()
{
    Harness h;
    const qint64 target = h.typewriter.maxLagMs() / 2;
    h.append(utf8("م"));
    QVERIFY(h.shown.isEmpty());
    QCOMPARE(h.typewriter.backlog(), 1);
    QVERIFY(h.typewriter.isAnimating()); // waiting for the release time
    h.runTo(target - 1, 1);
    QVERIFY(h.shown.isEmpty());
    h.tickAt(target);
    QCOMPARE(h.shown, utf8("م"));

    // The harakah arrives too late to join: revealed by itself, also after the hold.
    h.runTo(200);
    h.append(utf8("\u064F"));
    h.runTo(200 + target);
    QCOMPARE(h.shown, utf8("مُ"));
    QCOMPARE(h.pieces.size(), 2);
    QCOMPARE(h.pieces[1].text, utf8("\u064F"));

    // When the continuation comes in time, the cluster is shown whole, at its arrival.
    Harness g;
    g.append(utf8("م"));
    g.runTo(48);
    QVERIFY(g.shown.isEmpty());
    g.append(utf8("\u064F"));
    QVERIFY(g.shown.isEmpty()); // "مُ" may still take a shadda
    g.append(utf8("\u0651 "));
    QCOMPARE(g.shown, utf8("مُّ")); // shown the moment the space proved it complete
    QCOMPARE(g.pieces.size(), 1);
}

// Whitespace and punctuation end clusters in practice: a delta ending in them is shown whole,
// and so is a complete flag.
void TestAdaptiveTypewriter::completeTrailingClusterNotHeld()
{
    const QStringList texts{utf8("Hi."),  utf8("Hi "),    utf8("كيف؟"),
                            utf8("نعم،"), utf8("line\n"), utf8("🇸🇦")};
    for (const QString &text : texts) {
        Harness h;
        h.append(text);
        h.runTo(5 * AdaptiveTypewriter::DefaultFrameIntervalMs);
        QVERIFY2(h.shown == text, qPrintable(text));
        QCOMPARE(h.caughtUp, 1);
        QVERIFY(!h.typewriter.isAnimating());
    }
}

// Half a code point cannot be drawn: it waits for its pair however long that takes (a stream
// decoded from UTF-8 never sends one), and finish() shows it as it is.
void TestAdaptiveTypewriter::loneHighSurrogateWaitsForPair()
{
    Harness h;
    const QString smile = utf8("😀");
    h.append(utf8("ok "));
    h.append(QString(smile[0]));
    h.runTo(2000);
    QCOMPARE(h.shown, utf8("ok "));
    QVERIFY(!h.typewriter.isAnimating()); // nothing can change without more input
    h.append(QString(smile[1]));
    QCOMPARE(h.shown, utf8("ok ") + smile); // long past its hold time: shown on arrival
    QVERIFY(firstSplitCluster(h, h.shown).isEmpty());

    Harness f;
    f.append(QString(smile[0]));
    f.typewriter.finish();
    QCOMPARE(f.shown, QString(smile[0]));
    QCOMPARE(f.finished, 1);
}

void TestAdaptiveTypewriter::lagBound_data()
{
    QTest::addColumn<int>("rate"); // UTF-16 units per second
    QTest::addColumn<int>("durationMs");
    QTest::addColumn<int>("maxPoints"); // code points per delta, at most
    QTest::addColumn<int>("maxLagMs");
    QTest::addColumn<int>("frameMs");
    QTest::addColumn<int>("lateMs"); // each tick comes up to this much after its frame

    QTest::newRow("20/s") << 20 << 10'000 << 1 << 300 << 16 << 0;
    QTest::newRow("20/s, late ticks") << 20 << 10'000 << 1 << 300 << 16 << 16;
    QTest::newRow("125/s (base pace)") << 125 << 6000 << 4 << 300 << 16 << 0;
    QTest::newRow("1000/s") << 1000 << 4000 << 8 << 300 << 16 << 0;
    QTest::newRow("10000/s") << 10'000 << 3000 << 60 << 300 << 16 << 0;
    QTest::newRow("10000/s, late ticks") << 10'000 << 3000 << 60 << 300 << 16 << 16;
    QTest::newRow("10000/s, janky ticks") << 10'000 << 3000 << 60 << 300 << 16 << 134;
    QTest::newRow("10000/s, bound 100ms") << 10'000 << 3000 << 60 << 100 << 16 << 0;
    QTest::newRow("10000/s, 144Hz") << 10'000 << 3000 << 60 << 300 << 7 << 0;
}

// A stream at a steady rate, deltas cut at random code points (harakat, skin tones and flags
// split from their base), ticks every frame or late, then finish(). Every unit must be shown
// by half the bound after it arrived plus the time to the next tick, so within the bound even
// when ticks are up to half the bound late; whole clusters only, batched one piece per tick.
void TestAdaptiveTypewriter::lagBound()
{
    QFETCH(int, rate);
    QFETCH(int, durationMs);
    QFETCH(int, maxPoints);
    QFETCH(int, maxLagMs);
    QFETCH(int, frameMs);
    QFETCH(int, lateMs);

    // Clusters of at most two code points, so that at 20/s each cluster's parts arrive within
    // the hold time (safety is tested with long ZWJ sequences in graphemeSafety).
    const QString sample =
        utf8("بِسْمِ اللَّهِ الرَّحْمَٰنِ، قالَ: نعم؟ The model streams text, "
             "word by word. 👍🏽 🇸🇦 Café\u0301 «مُحَمَّدٌ»… ok!\n");
    QString text;
    while (text.size() < qsizetype(rate) * durationMs / 1000)
        text += sample;
    const QStringList deltas = randomDeltas(text, 1, maxPoints, quint32(rate + maxLagMs));

    Harness h;
    h.typewriter.setMaxLagMs(maxLagMs);
    h.typewriter.setFrameIntervalMs(frameMs);
    QRandomGenerator random(7);
    const auto nextAfter = [&](qint64 tick) {
        return tick + frameMs + (lateMs > 0 ? random.bounded(lateMs + 1) : 0);
    };
    qint64 nextTick = frameMs;
    qsizetype sent = 0;
    int ticksInStream = 0;
    int emptyTicksInStream = 0;
    qint64 streamEnd = 0;
    for (const QString &delta : deltas) {
        const qint64 arrival = (sent + delta.size()) * 1000 / rate;
        while (nextTick <= arrival) {
            const qsizetype before = h.pieces.size();
            h.tickAt(nextTick);
            if (nextTick > maxLagMs) {
                ++ticksInStream;
                emptyTicksInStream += h.pieces.size() == before;
            }
            nextTick = nextAfter(nextTick);
        }
        h.clock.now = arrival;
        h.append(delta);
        sent += delta.size();
        streamEnd = arrival;
    }
    h.typewriter.finish();
    while (h.finished == 0 && nextTick < streamEnd + 10 * maxLagMs) {
        h.tickAt(nextTick);
        nextTick = nextAfter(nextTick);
    }

    QCOMPARE(h.finished, 1);
    QCOMPARE(h.shown, text);
    const QString split = firstSplitCluster(h, text);
    QVERIFY2(split.isEmpty(), qPrintable(split));
    const qint64 expected = maxLagMs / 2 + frameMs + lateMs;
    QVERIFY2(h.maxLag() <= expected, qPrintable(QStringLiteral("worst lag %1 ms").arg(h.maxLag())));
    QVERIFY(h.maxLag() <= maxLagMs);
    QVERIFY2(h.finishedAt <= streamEnd + expected, qPrintable(QString::number(h.finishedAt)));

    qint64 lagSum = 0;
    for (qsizetype i = 0; i < h.revealedAt.size(); ++i)
        lagSum += h.revealedAt[i] - h.arrivedAt[i];
    qInfo("%d units/s, %d deltas: worst lag %lld ms, mean %lld ms, %lld pieces in %d ticks", rate,
          int(deltas.size()), h.maxLag(), lagSum / h.revealedAt.size(), qlonglong(h.pieces.size()),
          h.ticks);

    // With ticks so late that the backlog empties between them, deltas that find the
    // typewriter idle are shown on arrival, as they should; otherwise:
    if (rate >= 1000 && lateMs <= frameMs) {
        // Batched: at most one piece per tick (plus the first delta's, shown on arrival)...
        QVERIFY2(h.pieces.size() <= h.ticks + 1, qPrintable(QString::number(h.pieces.size())));
        // ...and a steady flow, not dumps at the deadlines.
        QVERIFY2(emptyTicksInStream * 20 <= ticksInStream,
                 qPrintable(QStringLiteral("%1 of %2").arg(emptyTicksInStream).arg(ticksInStream)));
    }
}

// finish() with a backlog: the rest is shown within the bound, and finishedRevealing() comes
// exactly once, after the last piece.
void TestAdaptiveTypewriter::finishRevealsRestWithinBound()
{
    Harness h;
    const QString text = QStringLiteral("نصٌّ طويلٌ جدًّا، ").repeated(200);
    h.runTo(100);
    h.append(text.left(1000));
    h.runTo(110);
    h.append(text.mid(1000));
    h.typewriter.finish();
    QVERIFY(h.typewriter.isFinished());
    QVERIFY(h.runUntilFinished());
    QCOMPARE(h.shown, text);
    QVERIFY2(h.finishedAt <= 110 + h.typewriter.maxLagMs(),
             qPrintable(QString::number(h.finishedAt)));
    QCOMPARE(h.finishedAt, h.pieces.last().atMs);
    h.runTo(h.clock.now + 1000);
    QCOMPARE(h.finished, 1);
    QCOMPARE(h.caughtUp, 1);
    QVERIFY(!h.typewriter.isAnimating());

    // A held trailing cluster is released by finish() at once.
    Harness g;
    g.append(utf8("abc"));
    g.runTo(40);
    QCOMPARE(g.shown, utf8("ab"));
    g.typewriter.finish();
    QCOMPARE(g.shown, utf8("abc"));
    QCOMPARE(g.finished, 1);

    // Appending after finish() reopens the answer; the next finish() reports again.
    g.clock.now = 100;
    g.append(utf8(" more."));
    QCOMPARE(g.shown, utf8("abc "));
    g.typewriter.finish();
    QVERIFY(g.runUntilFinished(2));
    QCOMPARE(g.shown, utf8("abc more."));
    QCOMPARE(g.finished, 2);
}

void TestAdaptiveTypewriter::finishWithNothingPending()
{
    Harness h;
    h.typewriter.finish();
    QCOMPARE(h.finished, 1); // synchronously
    h.typewriter.finish();
    QCOMPARE(h.finished, 1);
    QVERIFY(h.pieces.isEmpty());
}

void TestAdaptiveTypewriter::reduceMotion()
{
    Harness h;
    h.typewriter.setReduceMotion(true);
    QVERIFY(h.typewriter.reduceMotion());
    h.append(utf8("Hello, world. "));
    QCOMPARE(h.shown, utf8("Hello, world. ")); // at once, one piece, no timer
    QCOMPARE(h.pieces.size(), 1);
    QVERIFY(!h.typewriter.isAnimating());
    // Still whole clusters: the trailing letter may take a harakah from the next delta.
    h.append(utf8("مرحب"));
    QCOMPARE(h.shown, utf8("Hello, world. مرح"));
    h.append(utf8("\u064Bا!"));
    QCOMPARE(h.shown, utf8("Hello, world. مرحبًا!"));
    QVERIFY(firstSplitCluster(h, h.shown).isEmpty());

    // Switched on mid-answer: the backlog is shown at once.
    Harness g;
    const QString text = QStringLiteral("word ").repeated(100);
    g.append(text);
    g.runTo(32);
    QVERIFY(g.shown.size() < text.size());
    g.typewriter.setReduceMotion(true);
    QCOMPARE(g.shown, text);
    QVERIFY(!g.typewriter.isAnimating());
}

void TestAdaptiveTypewriter::resetClears()
{
    Harness h;
    h.append(QStringLiteral("word ").repeated(50));
    h.runTo(48);
    QVERIFY(h.typewriter.revealedLength() > 0);
    const qsizetype piecesBefore = h.pieces.size();
    h.typewriter.reset();
    QCOMPARE(h.pieces.size(), piecesBefore); // silent
    QVERIFY(h.typewriter.text().isEmpty());
    QCOMPARE(h.typewriter.revealedLength(), 0);
    QVERIFY(h.typewriter.revealedText().isEmpty());
    QCOMPARE(h.typewriter.backlog(), 0);
    QCOMPARE(h.typewriter.lagMs(), 0);
    QVERIFY(!h.typewriter.isAnimating());
    h.runTo(1000);
    QCOMPARE(h.pieces.size(), piecesBefore);
    QCOMPARE(h.finished + h.caughtUp, 0);

    // A fresh answer starts at once and from the beginning.
    h.shown.clear();
    h.append(utf8("new "));
    QCOMPARE(h.shown, utf8("n"));
    QCOMPARE(h.typewriter.revealedText(), utf8("n"));
    h.typewriter.finish();
    QVERIFY(h.runUntilFinished());
    QCOMPARE(h.typewriter.revealedText(), utf8("new "));
}

// The latency the benchmark measures: with no backlog, a delta's first cluster is shown inside
// append(), before any tick.
void TestAdaptiveTypewriter::idleDeltaStartsAtOnce()
{
    Harness h;
    h.append(utf8("Hello "));
    QCOMPARE(h.shown, utf8("H"));
    h.runTo(100);
    QCOMPARE(h.shown, utf8("Hello "));
    QCOMPARE(h.caughtUp, 1);
    QVERIFY(!h.typewriter.isAnimating());

    h.clock.now = 1000;
    h.append(utf8("world "));
    QCOMPARE(h.shown, utf8("Hello w"));
    QCOMPARE(h.pieces.last().atMs, 1000);
    QVERIFY(h.typewriter.isAnimating());
    // Idle time is not banked: the rest follows at the base pace, not in a burst.
    h.tickAt(1008);
    QCOMPARE(h.shown, utf8("Hello wo"));
    QCOMPARE(h.typewriter.lagMs(), 8);
}

// A pause after a mark runs in real time even while no text is pending: text arriving before
// it ends waits for the rest of it; text arriving after it is shown at once.
void TestAdaptiveTypewriter::pauseOwedAcrossIdle()
{
    Harness h;
    h.typewriter.setMaxLagMs(1'000'000);
    h.append(utf8("One."));
    h.runTo(100, 1);
    const qint64 dotAt = h.revealedAt.last();
    QCOMPARE(h.shown, utf8("One."));
    QVERIFY(!h.typewriter.isAnimating());
    h.append(utf8(" Two"));
    h.runTo(dotAt + 79, 1);
    QCOMPARE(h.shown, utf8("One."));
    h.tickAt(dotAt + 80);
    QCOMPARE(h.shown, utf8("One. "));

    Harness g;
    g.append(utf8("One."));
    g.runTo(400);
    g.append(utf8(" Two"));
    QCOMPARE(g.shown, utf8("One. "));
}

void TestAdaptiveTypewriter::timerStopsWhenIdle()
{
    Harness h;
    QVERIFY(!h.typewriter.isAnimating());
    h.append(utf8("Some text, then a pause. "));
    QVERIFY(h.typewriter.isAnimating());
    h.runTo(1000);
    QCOMPARE(h.caughtUp, 1);
    QVERIFY(!h.typewriter.isAnimating());

    // A held cluster keeps a timer for its release, then it stops.
    h.append(utf8("x"));
    QVERIFY(h.typewriter.isAnimating());
    h.runTo(2000);
    QCOMPARE(h.caughtUp, 2);
    QVERIFY(!h.typewriter.isAnimating());
}

// A view may start the next answer from inside a signal: reset() in revealed() ends the tick
// quietly, and append() in caughtUp() starts the new text at once.
void TestAdaptiveTypewriter::slotsMayReenter()
{
    Harness h;
    QObject::connect(
        &h.typewriter, &AdaptiveTypewriter::revealed, &h.typewriter, [&h] { h.typewriter.reset(); },
        Qt::SingleShotConnection);
    h.append(utf8("abc. "));
    QCOMPARE(h.shown, utf8("a"));
    QCOMPARE(h.typewriter.backlog(), 0);
    QVERIFY(!h.typewriter.isAnimating());
    h.runTo(500);
    QCOMPARE(h.pieces.size(), 1);
    QCOMPARE(h.caughtUp, 0);

    Harness g;
    QObject::connect(
        &g.typewriter, &AdaptiveTypewriter::caughtUp, &g.typewriter,
        [&g] { g.typewriter.append(utf8("next ")); }, Qt::SingleShotConnection);
    g.append(utf8("one "));
    g.runTo(32); // " " is due at 24 ms and shows at 32; the budget left over pays for "n"
    QCOMPARE(g.shown, utf8("one n"));
    QVERIFY(g.typewriter.isAnimating());
    g.typewriter.finish();
    QVERIFY(g.runUntilFinished());
    QCOMPARE(g.shown, utf8("one next "));
    QCOMPARE(g.caughtUp, 2);
}

// One combining mark per delta on a single base: re-segmenting the growing cluster on every
// delta would be quadratic, which at this size runs for minutes instead of well under a second.
void TestAdaptiveTypewriter::longClusterStaysLinear()
{
    Harness h;
    h.append(utf8("a"));
    const QString mark = utf8("\u0301");
    for (int i = 0; i < 200'000; ++i)
        h.append(mark);
    h.typewriter.finish();
    QVERIFY(h.runUntilFinished());
    QCOMPARE(h.shown.size(), 200'001);
}

// The same on the real clock and the real QTimer: only that the wiring works, with a generous
// limit and no assertion on how fast.
void TestAdaptiveTypewriter::realTimerDrivesReveal()
{
    AdaptiveTypewriter typewriter;
    QSignalSpy finished(&typewriter, &AdaptiveTypewriter::finishedRevealing);
    QSignalSpy caughtUp(&typewriter, &AdaptiveTypewriter::caughtUp);
    const QString text = utf8("مرحبًا بالعالم. Hello, world! 👩‍💻");
    typewriter.append(text);
    QVERIFY(typewriter.isAnimating());
    // The trailing emoji is held, then released by the timer's wake-up at its release time.
    QTRY_COMPARE_WITH_TIMEOUT(caughtUp.size(), 1, 20'000);
    QCOMPARE(typewriter.revealedText(), text);
    QVERIFY(!typewriter.isAnimating());
    typewriter.finish();
    QCOMPARE(finished.size(), 1);
}

QTEST_GUILESS_MAIN(TestAdaptiveTypewriter)
#include "tst_adaptivetypewriter.moc"
