#include "ToolSkip.h"

#include <QByteArrayList>

#include <cstdio>
#include <cstdlib>

namespace qalam::test {

namespace {

QByteArrayList &missingTools()
{
    static QByteArrayList reasons;
    return reasons;
}

} // namespace

void skipSuiteForMissingTool(const char *why)
{
    std::printf("MISSING TOOL: %s\nthe whole suite is skipped (exit code %d)\n", why,
                kSkipReturnCode);
    std::fflush(nullptr);
    // _Exit: no static destructors while the application object still lives on main()'s stack.
    std::_Exit(kSkipReturnCode);
}

void noteMissingTool(const char *why)
{
    std::printf("MISSING TOOL: %s\n", why);
    std::fflush(stdout);
    missingTools().append(why);
}

int exitCode(int qtestResult)
{
    if (qtestResult != 0 || missingTools().isEmpty())
        return qtestResult;
    std::printf("%lld test function(s) skipped for a missing tool; exit code %d (skipped)\n",
                qlonglong(missingTools().size()), kSkipReturnCode);
    std::fflush(stdout);
    return kSkipReturnCode;
}

} // namespace qalam::test
