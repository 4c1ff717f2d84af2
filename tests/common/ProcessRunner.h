// ProcessRunner: runs a program to its end while this thread's event loop keeps running, so a
// server in the test's own thread (ScriptedServer, TlsTestServer, DemoServer) can answer it. The
// wait ends when the process does (QProcess::finished), never after a fixed time; the timeout
// only bounds a hung process, which is then killed and reported.
#pragma once

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace qalam::test {

struct ProcessResult
{
    bool started = false;
    bool timedOut = false;
    bool crashed = false; // did not exit normally: a signal, a timeout, or it never started
    int exitCode = -1;
    QByteArray out;
    QByteArray err;      // empty with mergeChannels: everything is in `out`
    QString errorString; // why it did not start, or was killed

    bool succeeded() const { return !crashed && exitCode == 0; }
    // `out` split into lines, without a last empty one.
    QList<QByteArray> lines() const;
};

struct ProcessOptions
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    int timeoutMs = 30000;
    bool mergeChannels = false; // stderr into stdout, in order
};

ProcessResult runProcess(const QString &program, const QStringList &arguments,
                         const ProcessOptions &options = {});

} // namespace qalam::test
