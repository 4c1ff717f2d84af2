// Value types shared by the chat protocols, the stream that drives them and their users.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

namespace qalam {

struct ChatMessage
{
    enum class Role { System, User, Assistant };
    Role role = Role::User;
    QString content;

    static QString roleName(Role role);
};

// What one answer is asked for: where, how, and the conversation so far.
struct ChatRequest
{
    QUrl url; // admin stream: the stream endpoint; OpenAI: the base URL (…/v1) or the full URL
    QString model; // may be empty for the admin stream
    QList<ChatMessage> messages;
    QString apiKey; // sent as a bearer token, never logged
    QList<QPair<QByteArray, QByteArray>> headers;
    // Names of `headers` that carry credentials (a profile's secret headers, --secret-header):
    // never sent to another origin after a redirect (SseRequest::secretHeaders).
    QList<QByteArray> secretHeaders;
    bool includeUsage = true; // OpenAI: ask for the usage chunk (stream_options.include_usage)
};

struct ChatUsage
{
    qint64 promptTokens = -1;
    qint64 completionTokens = -1;
    qint64 totalTokens = -1;
    bool isValid() const { return totalTokens >= 0 || completionTokens >= 0; }
    // The OpenAI usage object ({"prompt_tokens", "completion_tokens", "total_tokens"}), which the
    // admin stream uses too; missing numbers stay -1.
    static ChatUsage fromJson(const QJsonObject &object);
};

struct ChatError
{
    QString code;    // machine-readable, e.g. "rate_limited", "bad_payload", "gap"
    QString message; // for people
};

// What one event meant for the answer. Several parts can be set at once (an OpenAI chunk can
// carry the last text and the finish reason).
struct ChatUpdate
{
    QString text;      // answer text to append
    QString reasoning; // reasoning text to append (reasoning models), shown apart from the answer
    std::optional<QString> model;
    std::optional<QString> progress; // a status line such as "searching the knowledge base"
    int progressPercent = -1;
    std::optional<ChatUsage> usage;
    std::optional<QString> finishReason;
    bool complete = false;          // the terminal marker: the answer is whole
    std::optional<ChatError> error; // terminal: the server reported a failure
};

} // namespace qalam
