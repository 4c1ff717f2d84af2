// ToolSkip: a test that needs an external program (nginx, openssl, a TLS backend, the dpkg tools)
// and does not find it is skipped, and ctest must report it as skipped, not passed: a QSKIP alone
// ends the executable with exit code 0. Such a test exits with kSkipReturnCode instead, which its
// registration declares (qalam_add_test(... SKIP_RETURN_CODE), tests/CMakeLists.txt), and prints
// a line starting with "MISSING TOOL: " that says what to install. scripts/test.sh fails a CI run
// (CI=true) in which any test was skipped: CI installs every tool (scripts/setup.sh).
#pragma once

#include <QCoreApplication>
#include <QTest>

namespace qalam::test {

inline constexpr int kSkipReturnCode = 77;

// A suite that cannot run at all without the tool: prints why and exits with kSkipReturnCode at
// once (from initTestCase() or main(); nothing of the suite has run or needs cleaning up).
[[noreturn]] void skipSuiteForMissingTool(const char *why);

// One test function that cannot run without the tool: recorded here, then QSKIPped by
// QALAM_SKIP_FOR_MISSING_TOOL; the other functions still run, and exitCode() reports the skip.
void noteMissingTool(const char *why);

// What main() returns after QTest::qExec(): its result when something failed, else
// kSkipReturnCode when a test function was skipped for a missing tool, else 0.
int exitCode(int qtestResult);

} // namespace qalam::test

// In a test function: skips it for a missing tool, and the executable ends with kSkipReturnCode.
#define QALAM_SKIP_FOR_MISSING_TOOL(why)                                                           \
    do {                                                                                           \
        ::qalam::test::noteMissingTool(why);                                                       \
        QSKIP(why);                                                                                \
    } while (false)

// QTEST_GUILESS_MAIN for a suite that uses QALAM_SKIP_FOR_MISSING_TOOL.
#define QALAM_TEST_GUILESS_MAIN(TestObject)                                                        \
    int main(int argc, char *argv[])                                                               \
    {                                                                                              \
        QCoreApplication app(argc, argv);                                                          \
        TestObject test;                                                                           \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return ::qalam::test::exitCode(QTest::qExec(&test, argc, argv));                           \
    }
