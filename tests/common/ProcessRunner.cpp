#include "ProcessRunner.h"

#include <QEventLoop>
#include <QProcess>
#include <QTimer>

namespace qalam::test {

QList<QByteArray> ProcessResult::lines() const
{
    QList<QByteArray> result = out.split('\n');
    if (!result.isEmpty() && result.last().isEmpty())
        result.removeLast();
    return result;
}

ProcessResult runProcess(const QString &program, const QStringList &arguments,
                         const ProcessOptions &options)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setProcessEnvironment(options.environment);
    if (options.mergeChannels)
        process.setProcessChannelMode(QProcess::MergedChannels);
    // A real event loop, not a polling one (QTest::qWaitFor sleeps between rounds): a server in
    // this thread answers the process at once, however many round trips it makes.
    QEventLoop loop;
    bool done = false;
    bool failedToStart = false;
    QObject::connect(&process, &QProcess::finished, &loop, [&] {
        done = true;
        loop.quit();
    });
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            done = failedToStart = true;
            loop.quit();
        }
    });
    QTimer::singleShot(options.timeoutMs, &loop, &QEventLoop::quit);
    process.start();
    process.closeWriteChannel();
    if (!done)
        loop.exec();

    ProcessResult result;
    const bool ended = done;
    result.started = !failedToStart;
    if (failedToStart) {
        result.crashed = true;
        result.errorString = process.errorString();
        return result;
    }
    if (!ended) {
        result.timedOut = true;
        result.errorString = QStringLiteral("%1 did not finish within %2 ms; killed")
                                 .arg(program)
                                 .arg(options.timeoutMs);
        qWarning("%s", qPrintable(result.errorString));
        process.kill();
        process.waitForFinished(5000);
    }
    result.crashed = result.timedOut || process.exitStatus() != QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

} // namespace qalam::test
