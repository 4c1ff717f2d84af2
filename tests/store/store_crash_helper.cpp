// store_crash_helper DB INTERVAL_MS REPEAT: streams a never-ending answer into DB through
// AnswerSaver, printing "message ID" once and "saved LENGTH" after every write, until it is
// killed. tst_storecrash kills it with SIGKILL and checks what survived.
#include "CrashAnswerText.h"
#include "store/AnswerSaver.h"
#include "store/ConversationStore.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

using namespace qalam;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.size() != 4) {
        err << "usage: store_crash_helper DB INTERVAL_MS REPEAT\n";
        return 1;
    }
    const int interval = args.at(2).toInt();
    const int repeat = args.at(3).toInt();

    ConversationStore store(args.at(1));
    if (!store.isOpen()) {
        err << store.lastError() << '\n';
        return 2;
    }
    const auto conversation = store.createConversation(QStringLiteral("crash"));
    const auto question =
        conversation
            ? store.addMessage(conversation->id, StoredMessage::Role::User, test::crashQuestion())
            : std::nullopt;
    const auto answer = question
                            ? store.addMessage(conversation->id, StoredMessage::Role::Assistant,
                                               QString(), StoredMessage::State::Streaming)
                            : std::nullopt;
    if (!answer) {
        err << store.lastError() << '\n';
        return 2;
    }
    out << "message " << answer->id << Qt::endl;

    AnswerSaver saver(&store, answer->id);
    saver.setInterval(interval);
    // Qt::endl flushes: the test must see a length only once its write has committed.
    QObject::connect(&saver, &AnswerSaver::saved,
                     [&out](qsizetype length) { out << "saved " << length << Qt::endl; });
    QObject::connect(&saver, &AnswerSaver::saveFailed, &app, [&err](const QString &message) {
        err << "save failed: " << message << Qt::endl;
        QCoreApplication::exit(4);
    });

    int index = 0;
    QTimer feeder;
    feeder.setInterval(1);
    QObject::connect(&feeder, &QTimer::timeout, &app, [&] {
        saver.appendText(test::crashAnswerChunk(index++, repeat));
        // A safety net only: the test kills the helper long before.
        if (saver.content().size() > 64 * 1024 * 1024)
            QCoreApplication::exit(3);
    });
    feeder.start();
    // Never outlive a test that lost track of the helper.
    QTimer::singleShot(120'000, &app, [] { QCoreApplication::exit(3); });
    return app.exec();
}
