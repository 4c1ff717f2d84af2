// bench_store: the conversation store's costs that the UI feels.
//
//   load        ConversationStore::messages() of a 1,000-message conversation of about 2 MB
//               (UTF-8) of mixed Arabic/English Markdown: what opening a conversation costs
//   open+load   a new ConversationStore on the existing file, then the load: a cold start
//   save        one AnswerSaver write of a streaming ~100 KB answer (UPDATE of the whole text),
//               against the alternative SQL append (content = content || delta)
//   finish      the state change that ends that answer, which also indexes it for search
//   search      ConversationStore::search() for an Arabic and an English word
//
// Each figure is the median of several runs, with the spread, in milliseconds. The database is a
// real file in a temporary directory (WAL, synchronous=NORMAL, as in the app).
#include "store/ConversationStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

#ifndef QALAM_BENCH_BUILD_TYPE
#define QALAM_BENCH_BUILD_TYPE "unknown"
#endif

using namespace qalam;

namespace {

struct Figures
{
    double median = 0;
    double min = 0;
    double max = 0;
};

// reset, when given, runs untimed after each run.
Figures measure(int runs, const std::function<void(int)> &run,
                const std::function<void()> &reset = {})
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        run(i);
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
        if (reset)
            reset();
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.front(), ms.back()};
}

void print(const char *name, int runs, const Figures &figures)
{
    std::printf("%-34s median %8.3f ms  (min %.3f, max %.3f, %d runs)\n", name, figures.median,
                figures.min, figures.max, runs);
}

// Deterministic Markdown in both scripts: headings, paragraphs, lists and code, as answers are.
QString question(int index)
{
    return QStringLiteral("سؤال رقم %1: كيف أستخدم القلم في Qt مع `QString`؟ Please explain with "
                          "an example.")
        .arg(index);
}

QString answer(int index, int paragraphs)
{
    QString text = QStringLiteral("## الجواب %1 — answer %1\n\n").arg(index);
    for (int p = 0; p < paragraphs; ++p) {
        text += QStringLiteral("القلم أداة قديمة للكتابة، وقد تطور عبر القرون من الريشة إلى الحبر "
                               "الجاف ثم إلى الشاشات. The pen is an old tool that went from quills "
                               "to ballpoints to screens; **its** story is _long_.\n\n");
        if (p % 3 == 0)
            text += QStringLiteral("- البند الأول: item one\n- البند الثاني: item two\n\n");
    }
    text += QStringLiteral("```cpp\nconst QString pen = QStringLiteral(\"قلم\");\nqDebug() << "
                           "pen.size();\n```\n");
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.sqlite3"));
    std::printf("bench_store (%s build)\n", QALAM_BENCH_BUILD_TYPE);

    qint64 conversationId = 0;
    {
        ConversationStore store(path);
        if (!store.isOpen()) {
            std::fprintf(stderr, "%s\n", qPrintable(store.lastError()));
            return 1;
        }
        // Other conversations around it, so the load is a range of a larger table.
        for (int c = 0; c < 20; ++c) {
            const auto other = store.createConversation(QStringLiteral("other %1").arg(c));
            for (int m = 0; m < 50; ++m)
                store.addMessage(other->id, StoredMessage::Role::User, answer(m, 2));
        }
        const auto conversation = store.createConversation(QStringLiteral("محادثة طويلة"));
        conversationId = conversation->id;
        qint64 utf8 = 0;
        for (int i = 0; i < 500; ++i) {
            const QString q = question(i);
            const QString a = answer(i, 13);
            utf8 += q.toUtf8().size() + a.toUtf8().size();
            store.addMessage(conversationId, StoredMessage::Role::User, q);
            store.addMessage(conversationId, StoredMessage::Role::Assistant, a);
        }
        std::printf("conversation: 1000 messages, %.2f MB of UTF-8 text\n", double(utf8) / 1e6);
    }

    {
        ConversationStore store(path);
        qsizetype loaded = 0;
        const auto load = measure(25, [&](int) {
            const auto messages = store.messages(conversationId);
            loaded = messages ? messages->size() : -1;
        });
        if (loaded != 1000) {
            std::fprintf(stderr, "load failed: %s\n", qPrintable(store.lastError()));
            return 1;
        }
        print("load 1000 messages", 25, load);
    }
    print("open store + load 1000 messages", 9, measure(9, [&](int) {
              ConversationStore store(path);
              store.messages(conversationId);
          }));

    ConversationStore store(path);
    const auto conversation = store.createConversation(QStringLiteral("streaming"));
    const auto streaming = store.addMessage(conversation->id, StoredMessage::Role::Assistant,
                                            QString(), StoredMessage::State::Streaming);
    // ~100 KB of UTF-8, growing by about a second of text (400 characters) per save.
    QString text;
    while (text.toUtf8().size() < 100'000)
        text += answer(0, 1);
    const QString delta = answer(1, 1).left(400);
    const int saves = 60;
    const auto save = measure(saves, [&](int) {
        text += delta;
        store.updateMessage(streaming->id, text, StoredMessage::State::Streaming);
    });
    print("save ~100 KB answer (full UPDATE)", saves, save);

    {
        // The alternative, through a connection of its own: SQL appends the delta to the row.
        const QString name = QUuid::createUuid().toString();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            db.open();
            QSqlQuery query(db);
            query.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
            print("save ~100 KB answer (SQL append)", saves, measure(saves, [&](int) {
                      query.prepare(QStringLiteral(
                          "UPDATE messages SET content = content || ? WHERE id = ?"));
                      query.addBindValue(delta);
                      query.addBindValue(streaming->id);
                      query.exec();
                  }));
        }
        QSqlDatabase::removeDatabase(name);
    }

    // Finishing indexes the whole answer for search (the reset takes it out again).
    print(
        "finish ~100 KB answer (+ index)", 15,
        measure(
            15,
            [&](int) { store.updateMessage(streaming->id, text, StoredMessage::State::Complete); },
            [&] { store.updateMessage(streaming->id, text, StoredMessage::State::Streaming); }));

    print("search Arabic word (index)", 15,
          measure(15, [&](int) { store.search(QStringLiteral("الريشة")); }));
    print("search English word (index)", 15,
          measure(15, [&](int) { store.search(QStringLiteral("ballpoints")); }));
    print("search 2 letters (LIKE scan)", 15,
          measure(15, [&](int) { store.search(QStringLiteral("zq")); }));
    std::printf("full-text index: %s\n",
                store.usesFullTextSearch() ? "FTS5 trigram" : "none (LIKE)");
    return 0;
}
