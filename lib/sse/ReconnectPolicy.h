// ReconnectPolicy: how long to wait before the next reconnection attempt, and whether to try.
//
// Pure arithmetic, so the backoff can be tested without waiting. The server's `retry` sets the
// base delay, clamped to a minimum so `retry: 0` cannot cause a tight loop; non-strict mode
// doubles it per consecutive failure (with jitter, up to a cap), spec-strict mode behaves like a
// browser's EventSource and always waits exactly the reconnection time.
#pragma once

#include <QtGlobal>

namespace qalam {

class ReconnectPolicy
{
public:
    struct Settings
    {
        int maxAttempts = 5;          // consecutive attempts without progress; -1: unlimited
        qint64 initialDelayMs = 3000; // until the server sends `retry`
        qint64 minDelayMs = 500;
        qint64 maxDelayMs = 30000;
        bool exponential = true;
        double jitter = 0.2; // +/- this fraction, so many clients do not reconnect in step
    };

    ReconnectPolicy() : ReconnectPolicy(Settings()) {}
    explicit ReconnectPolicy(Settings settings) : m_settings(settings) {}

    void setServerRetry(qint64 ms) { m_serverRetryMs = ms; }
    qint64 baseDelayMs() const;

    bool canRetry() const;
    // Consumes one attempt. `random01` in [0, 1) drives the jitter (injected for tests).
    qint64 nextDelayMs(double random01);
    // The stream made progress (an event arrived): the next failure starts from the base delay.
    void resetAttempts() { m_attempts = 0; }
    int attempts() const { return m_attempts; }
    const Settings &settings() const { return m_settings; }

private:
    Settings m_settings;
    qint64 m_serverRetryMs = -1;
    int m_attempts = 0;
};

} // namespace qalam
