// An LD_PRELOAD shim that makes Qt 6.4's resend race deterministic (tst_onerequest).
//
// After the client writes an HTTP request head to a socket, the writing thread sleeps
// QALAM_REQUEST_WRITE_DELAY_MS (20 by default). Meanwhile the test's server answers and closes,
// so when QNetworkAccessManager's HTTP thread looks again, the whole response and the close are
// already queued while its channel is still in WaitingState: the state in which Qt 6.4 sends the
// request again by itself (docs/reliability.md). Without the shim the race is won only sometimes.
#include <dlfcn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <ctime>

namespace {

using WriteFunction = ssize_t (*)(int, const void *, size_t);

long delayMs()
{
    static const long value = [] {
        const char *text = std::getenv("QALAM_REQUEST_WRITE_DELAY_MS");
        return text ? std::strtol(text, nullptr, 10) : 20L;
    }();
    return value;
}

bool isSocket(int fd)
{
    struct stat info;
    return fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode);
}

// "METHOD target HTTP/1.x\r\n ... \r\n\r\n" in the bytes written: a request head (the body may
// follow in the same write). Responses start with "HTTP/", so the test's own servers are never
// slowed down.
bool isRequestHead(const char *data, size_t size)
{
    size_t i = 0;
    while (i < size && data[i] >= 'A' && data[i] <= 'Z')
        ++i;
    if (i == 0 || i >= size || data[i] != ' ')
        return false;
    const void *lineEnd = memmem(data, size, "\r\n", 2);
    if (!lineEnd)
        return false;
    const size_t lineLength = size_t(static_cast<const char *>(lineEnd) - data);
    return memmem(data, lineLength, " HTTP/1.", 8) && memmem(data, size, "\r\n\r\n", 4);
}

} // namespace

extern "C" ssize_t write(int fd, const void *data, size_t size)
{
    static const auto real = reinterpret_cast<WriteFunction>(dlsym(RTLD_NEXT, "write"));
    const ssize_t written = real(fd, data, size);
    if (written > 0 && delayMs() > 0 &&
        isRequestHead(static_cast<const char *>(data), size_t(written)) && isSocket(fd)) {
        const timespec pause{delayMs() / 1000, (delayMs() % 1000) * 1000000L};
        nanosleep(&pause, nullptr);
    }
    return written;
}
