// Helpers for tests of SseConsumer (library qalam_ssetestsupport): a GET request, and a recorder
// of everything a consumer reports, in order.
#pragma once

#include "sse/SseConsumer.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QStringList>
#include <QUrl>

namespace qalam::test {

// A plain GET of `url` (SseConsumer adds Accept and Cache-Control itself).
SseRequest get(const QUrl &url);

// Reconnections within milliseconds (a 1 ms floor, 10 ms first, 50 ms at most), at most
// `maxReconnects` of them (the budget refills on events, as by default).
SseConsumer::Options quickReconnects(int maxReconnects);

// Everything a consumer reported, in order. With Keep::Counts, events and comments are only
// counted (a gibibyte of events costs no memory here); everything else is always kept.
struct SseRecorder : QObject
{
    enum class Keep { All, Counts };
    struct Reconnect
    {
        int attempt = 0;
        qint64 delayMs = 0;
        QString reason;
    };

    explicit SseRecorder(SseConsumer &consumer, Keep mode = Keep::All);

    QStringList data() const;     // the events' data, in order (Keep::All)
    QList<qint64> delays() const; // the reconnection delays announced, in order

    Keep keep;
    int opened = 0;
    qint64 eventCount = 0;
    qint64 commentCount = 0;
    QList<SseEvent> events; // Keep::All
    QStringList comments;   // Keep::All
    QList<qint64> retries;
    QList<Reconnect> reconnects;
    QList<QPair<SseConsumer::ErrorKind, QString>> errors;
    QList<SseConsumer::FinishReason> finishes;
};

} // namespace qalam::test
