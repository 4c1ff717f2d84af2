// A streamed answer grows its open block in place (MessageLayout: plain text appended to the
// document, a long paragraph cut into parts, list items added, only the changed end of a parsed
// block taken): what it shows must be what a layout made at once from the same text shows, while
// it streams (the same prefix, still streaming) and after it ends (the whole text, finished).
// Compared: the text as copied, the blocks' directions and alignments, and the painted pixels.
#include "ui/MessageLayout.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QTest>
#include <QTextBlock>

using namespace qalam;

namespace {

constexpr int kWidth = 520;
// BlockDocument's mark on a block that continues the paragraph of the block before it.
constexpr int kContinuation = QTextFormat::UserProperty + 0x30;

QImage render(MessageLayout &layout)
{
    const int height = layout.layout(kWidth, QApplication::font());
    QImage image(kWidth, std::max(1, height), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    layout.paint(&painter, image.rect(), QApplication::palette(), std::nullopt);
    return image;
}

QString shownText(const MessageLayout &layout)
{
    return layout.blockCount() == 0 ? QString() : layout.text({}, layout.endPosition());
}

// Direction and alignment of every paragraph, in order, with the text it holds. A paragraph
// cut into parts while streaming is one entry, as in a layout made at once.
QStringList paragraphs(const MessageLayout &layout)
{
    QStringList result;
    for (int i = 0; i < layout.blockCount(); ++i) {
        const BlockDocument *document = layout.block(i);
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            const QString entry =
                QStringLiteral("%1/%2/%3:")
                    .arg(i)
                    .arg(int(block.textDirection()))
                    .arg(int(block.blockFormat().alignment() & Qt::AlignHorizontal_Mask));
            const bool continues = block.blockFormat().hasProperty(kContinuation);
            if (continues && !result.isEmpty())
                result.last() += block.text();
            else
                result.append(entry + block.text());
        }
    }
    return result;
}

// Deltas as decoded UTF-8 gives them: 1 to 13 UTF-16 units, never half a surrogate pair (but
// clusters, Arabic marks and emoji sequences may be split).
QStringList deltasOf(const QString &text, quint32 seed)
{
    QStringList deltas;
    quint32 state = seed;
    for (qsizetype at = 0; at < text.size();) {
        state = state * 1664525u + 1013904223u;
        qsizetype n = std::min<qsizetype>(text.size() - at, 1 + (state >> 16) % 13);
        if (at + n < text.size() && text.at(at + n - 1).isHighSurrogate())
            ++n;
        deltas.append(text.mid(at, n));
        at += n;
    }
    return deltas;
}

QString repeated(const QStringList &pieces, qsizetype length, const QString &separator)
{
    QString text;
    for (qsizetype i = 0; text.size() < length; ++i)
        text += pieces.at(i % pieces.size()) + separator;
    return text;
}

const QStringList &sentences()
{
    static const QStringList list{
        QStringLiteral("يعرض التطبيق الإجابة أثناء وصولها، فلا ينتظر المستخدم اكتمال النص."),
        QStringLiteral("Streaming shows the answer as it arrives, so nobody waits."),
        QStringLiteral("تُحفظ المحادثات في ملف **SQLite** واحد، ويُستأنف البث بعد الانقطاع."),
        QStringLiteral("Call `QTextDocument::setMarkdown()` once per block, never per character."),
        QStringLiteral(
            "راجع https://doc.qt.io/qt-6/qstring.html قبل أن تبدأ 📚 والملف app/main.cpp"),
        QStringLiteral("See [the docs](https://doc.qt.io) for _details_ 🙂 and ~~old~~ notes."),
        QStringLiteral(
            "العائلة 👨‍👩‍👧 تكتب بالقلم، والعدد 12 ثم 3.5 "
            "وبعدها "
            "كلمة"),
        QStringLiteral("Plain words keep coming one after another without any markup at all"),
    };
    return list;
}

} // namespace

class TestIncrementalTail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesOneShot_data();
    void matchesOneShot();
};

void TestIncrementalTail::matchesOneShot_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("every"); // compare with a fresh layout every this many deltas
    // Whether most deltas must grow the open block in place (not parse it again), and whether
    // its paragraph must have been cut into parts on the way: the paths compared here ran.
    QTest::addColumn<bool>("inPlace");
    QTest::addColumn<bool>("cut");

    // One paragraph long enough to be cut into parts several times.
    QTest::newRow("paragraph") << repeated(sentences(), 5200, QStringLiteral(" ")) << 3 << true
                               << true;
    QTest::newRow("english paragraph turning arabic")
        << QStringLiteral("The answer starts in English and then ") +
               repeated({sentences().at(0), sentences().at(6)}, 2600, QStringLiteral(" "))
        << 2 << true << true;
    QStringList items;
    for (const QString &sentence : sentences())
        items.append(QStringLiteral("- ") + sentence);
    items.append(QStringLiteral("- البند الأخير بلا رموز"));
    QTest::newRow("bulleted list")
        << repeated(items, 4200, QStringLiteral("\n")) << 2 << true << false;
    // An item without letters reads like its list: growing the list may turn it over.
    QTest::newRow("bulleted list with a number")
        << repeated(items + QStringList{QStringLiteral("- 42")}, 2000, QStringLiteral("\n")) << 2
        << false << false;
    QString numbered;
    for (int i = 1; numbered.size() < 2500; ++i)
        numbered += QStringLiteral("%1. %2\n").arg(i).arg(sentences().at(i % sentences().size()));
    QTest::newRow("numbered list") << numbered << 3 << false << false;
    QString code = QStringLiteral("```cpp\n");
    for (int i = 0; code.size() < 3000; ++i)
        code +=
            QStringLiteral("const QString pen%1 = QStringLiteral(\"قلم %1\"); // تعليق\n").arg(i);
    QTest::newRow("code fence") << code + QStringLiteral("```\n\nبعد الكود.\n") << 4 << true
                                << false;
    QTest::newRow("mixed")
        << QStringLiteral("## العنوان — Title\n\n") +
               repeated(sentences(), 1800, QStringLiteral(" ")) + QStringLiteral("\n\n") +
               repeated(items, 1200, QStringLiteral("\n")) +
               QStringLiteral("\n> اقتباس **مهم** here\n> ومتابعة\n\n| الاسم | Name |\n|---|---|\n"
                              "| قلم | pen |\n| حبر | ink |\n\n") +
               code.left(600) + QStringLiteral("\n```\n\n") +
               QStringLiteral("نص مع \u202Eتحكم\u202C و \u2067عزل\u2069 ثم ") +
               repeated(sentences(), 1600, QStringLiteral(" "))
        << 3 << false << true;
    QTest::newRow("soft breaks and held markers")
        << QStringLiteral("First line of a paragraph\nsecond line of it\n- item one\n- item two "
                          "**bold** end\n-\n1\n## heading after\ntext ")
        << 1 << false << false;
}

void TestIncrementalTail::matchesOneShot()
{
    QFETCH(QString, text);
    QFETCH(int, every);
    QFETCH(bool, inPlace);
    QFETCH(bool, cut);
    bool wasCut = false;
    const QStringList deltas = deltasOf(text, quint32(text.size()));
    MessageLayout streamed(QString(), true);
    streamed.layout(kWidth, QApplication::font());
    QString sent;
    for (int i = 0; i < deltas.size(); ++i) {
        streamed.appendText(deltas.at(i));
        sent += deltas.at(i);
        // Laid out (and so cut) after every delta, as the view does; painted now and then.
        streamed.layout(kWidth, QApplication::font());
        if (streamed.blockCount() > 0) {
            const BlockDocument *last = streamed.block(streamed.blockCount() - 1);
            wasCut = wasCut || (last->blockCount() > 1 &&
                                last->lastBlock().blockFormat().hasProperty(kContinuation));
        }
        if (i % every != 0 && i + 1 != deltas.size())
            continue;
        MessageLayout fresh(sent, true);
        const QImage expected = render(fresh);
        const QImage actual = render(streamed);
        if (shownText(streamed) != shownText(fresh) || paragraphs(streamed) != paragraphs(fresh) ||
            actual != expected) {
            expected.save(
                QDir::temp().filePath(QStringLiteral("tst_incrementaltail-expected.png")));
            actual.save(QDir::temp().filePath(QStringLiteral("tst_incrementaltail-actual.png")));
        }
        QVERIFY2(shownText(streamed) == shownText(fresh),
                 qPrintable(QStringLiteral("text after %1 chars").arg(sent.size())));
        QCOMPARE(paragraphs(streamed), paragraphs(fresh));
        QVERIFY2(actual == expected,
                 qPrintable(QStringLiteral("pixels after %1 chars").arg(sent.size())));
    }
    if (inPlace)
        QVERIFY2(streamed.parseCount() * 10 < deltas.size() * 6,
                 qPrintable(QStringLiteral("%1 parses for %2 deltas")
                                .arg(streamed.parseCount())
                                .arg(deltas.size())));
    QCOMPARE(wasCut, cut);
    streamed.finish();
    MessageLayout whole(text, false);
    whole.layout(kWidth, QApplication::font());
    streamed.layout(kWidth, QApplication::font());
    QCOMPARE(shownText(streamed), shownText(whole));
    QCOMPARE(paragraphs(streamed), paragraphs(whole));
    QVERIFY(render(streamed) == render(whole));
    QCOMPARE(streamed.source(), text);
}

QTEST_MAIN(TestIncrementalTail)
#include "tst_incrementaltail.moc"
