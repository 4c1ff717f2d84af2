<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AdminStreamProtocol</name>
    <message>
        <source>the server sent a malformed &apos;%1&apos; event (id %2): %3</source>
        <translation>the server sent a malformed &apos;%1&apos; event (id %2): %3</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>not a JSON object</translation>
    </message>
    <message>
        <source>the server started a new answer (stream %1) instead of resuming stream %2</source>
        <translation>the server started a new answer (stream %1) instead of resuming stream %2</translation>
    </message>
    <message>
        <source>no &quot;text&quot; string</source>
        <translation>no &quot;text&quot; string</translation>
    </message>
    <message>
        <source>the stream skipped deltas %1 to %2; the answer would be incomplete</source>
        <translation>the stream skipped deltas %1 to %2; the answer would be incomplete</translation>
    </message>
    <message>
        <source>the server sent %1 deltas but %2 arrived</source>
        <translation>the server sent %1 deltas but %2 arrived</translation>
    </message>
    <message>
        <source>the server reported an error without a message</source>
        <translation>the server reported an error without a message</translation>
    </message>
</context>
<context>
    <name>OpenAiProtocol</name>
    <message>
        <source>not a JSON object</source>
        <translation>not a JSON object</translation>
    </message>
    <message>
        <source>the server sent a malformed chunk: %1</source>
        <translation>the server sent a malformed chunk: %1</translation>
    </message>
    <message>
        <source>the model stopped with an error</source>
        <translation>the model stopped with an error</translation>
    </message>
    <message>
        <source>the server reported an error without a message</source>
        <translation>the server reported an error without a message</translation>
    </message>
</context>
<context>
    <name>SseParser</name>
    <message>
        <source>the server sent a line longer than %1 bytes</source>
        <translation>the server sent a line longer than %1 bytes</translation>
    </message>
    <message>
        <source>the server sent an event larger than %1 bytes</source>
        <translation>the server sent an event larger than %1 bytes</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Qalam: a desktop client for streamed AI chat, in Arabic and English.</source>
        <translation>Qalam: a desktop client for streamed AI chat, in Arabic and English.</translation>
    </message>
    <message>
        <source>Use the built-in offline demo server.</source>
        <translation>Use the built-in offline demo server.</translation>
    </message>
    <message>
        <source>Connect with the profile named NAME.</source>
        <translation>Connect with the profile named NAME.</translation>
    </message>
    <message>
        <source>Interface language: ar or en (default: the system&apos;s).</source>
        <translation>Interface language: ar or en (default: the system&apos;s).</translation>
    </message>
    <message>
        <source>Keep conversations in FILE instead of the default place.</source>
        <translation>Keep conversations in FILE instead of the default place.</translation>
    </message>
    <message>
        <source>Ask QUESTION as soon as the window opens.</source>
        <translation>Ask QUESTION as soon as the window opens.</translation>
    </message>
    <message>
        <source>Pace of the demo server&apos;s answers, in tokens per second.</source>
        <translation>Pace of the demo server&apos;s answers, in tokens per second.</translation>
    </message>
    <message>
        <source>Read and write settings and profiles in FILE.</source>
        <translation>Read and write settings and profiles in FILE.</translation>
    </message>
    <message>
        <source>Qalam</source>
        <translation>Qalam</translation>
    </message>
    <message>
        <source>Save a PNG picture of the window to FILE and quit: once the answer to --ask has ended, or as soon as the window is shown.</source>
        <translation>Save a PNG picture of the window to FILE and quit: once the answer to --ask has ended, or as soon as the window is shown.</translation>
    </message>
    <message>
        <source>Colours: light, dark, high-contrast (white on black), or system (as the desktop is). Default: the one chosen in Preferences.</source>
        <translation>Colours: light, dark, high-contrast (white on black), or system (as the desktop is). Default: the one chosen in Preferences.</translation>
    </message>
    <message>
        <source>What --screenshot shows: the window (default), the window with its first menu open, or the Preferences or Connection profiles dialog over it.</source>
        <translation>What --screenshot shows: the window (default), the window with its first menu open, or the Preferences or Connection profiles dialog over it.</translation>
    </message>
</context>
<context>
    <name>qalam::AnswerActivity</name>
    <message numerus="yes">
        <source>Queued: %n other answer(s) are streaming; this one starts when one of them ends</source>
        <translation>
            <numerusform>Queued: %n other answer is streaming; this one starts when one of them ends</numerusform>
            <numerusform>Queued: %n other answers are streaming; this one starts when one of them ends</numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>attempt %1 of %2</source>
        <translation>attempt %1 of %2</translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>attempt %1</translation>
    </message>
    <message>
        <source>Reconnecting in %1 s (%2)</source>
        <translation>Reconnecting in %1 s (%2)</translation>
    </message>
    <message>
        <source>Reconnecting now (%1)</source>
        <translation>Reconnecting now (%1)</translation>
    </message>
    <message>
        <source>Not saved yet: the text is kept in memory and saving is retried</source>
        <translation>Not saved yet: the text is kept in memory and saving is retried</translation>
    </message>
</context>
<context>
    <name>qalam::AnswerCard</name>
    <message>
        <source>The answer stopped before it was complete</source>
        <translation>The answer stopped before it was complete</translation>
    </message>
    <message>
        <source>the connection ended early</source>
        <translation>the connection ended early</translation>
    </message>
</context>
<context>
    <name>qalam::AnswerFailure</name>
    <message>
        <source>the server</source>
        <translation>the server</translation>
    </message>
    <message>
        <source>Could not connect to %1 — connection refused</source>
        <translation>Could not connect to %1 — connection refused</translation>
    </message>
    <message>
        <source>Could not find the server of %1 — check the URL</source>
        <translation>Could not find the server of %1 — check the URL</translation>
    </message>
    <message>
        <source>Could not reach %1 — the connection timed out</source>
        <translation>Could not reach %1 — the connection timed out</translation>
    </message>
    <message>
        <source>The server refused the key (%1)</source>
        <translation>The server refused the key (%1)</translation>
    </message>
    <message>
        <source>Not found (404): check the URL %1</source>
        <translation>Not found (404): check the URL %1</translation>
    </message>
    <message>
        <source>Too many requests (429): the server asks to wait</source>
        <translation>Too many requests (429): the server asks to wait</translation>
    </message>
    <message>
        <source>The server failed (%1)</source>
        <translation>The server failed (%1)</translation>
    </message>
    <message>
        <source>The server answered with status %1 instead of an answer</source>
        <translation>The server answered with status %1 instead of an answer</translation>
    </message>
    <message>
        <source>The server&apos;s certificate was not accepted</source>
        <translation>The server&apos;s certificate was not accepted</translation>
    </message>
    <message>
        <source>The server stopped responding</source>
        <translation>The server stopped responding</translation>
    </message>
    <message>
        <source>The connection to %1 was lost</source>
        <translation>The connection to %1 was lost</translation>
    </message>
    <message>
        <source>The answer failed</source>
        <translation>The answer failed</translation>
    </message>
</context>
<context>
    <name>qalam::BackendSwitcher</name>
    <message>
        <source>Cannot start the offline demo server: %1</source>
        <translation>Cannot start the offline demo server: %1</translation>
    </message>
    <message>
        <source>Ready (offline demo)</source>
        <translation>Ready (offline demo)</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Error: %1</translation>
    </message>
    <message>
        <source>Looking up the API key…</source>
        <translation>Looking up the API key…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
</context>
<context>
    <name>qalam::ChatStream</name>
    <message>
        <source>stopped</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>the answer is longer than %1 characters; it was cut off there</source>
        <translation>the answer is longer than %1 characters; it was cut off there</translation>
    </message>
    <message>
        <source>the connection ended before the answer was complete, and resuming did not succeed</source>
        <translation>the connection ended before the answer was complete, and resuming did not succeed</translation>
    </message>
    <message>
        <source>the connection ended before the answer was complete (no [DONE])</source>
        <translation>the connection ended before the answer was complete (no [DONE])</translation>
    </message>
</context>
<context>
    <name>qalam::ChatView</name>
    <message>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>Copy message</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Regenerate</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>Select all</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>Previous version</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>Next version</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <source>The messages of the conversation. Ctrl+Up and Ctrl+Down move between messages, Tab reaches the current message&apos;s buttons.</source>
        <translation>The messages of the conversation. Ctrl+Up and Ctrl+Down move between messages, Tab reaches the current message&apos;s buttons.</translation>
    </message>
    <message>
        <source>↓ Jump to latest</source>
        <translation>↓ Jump to latest</translation>
    </message>
    <message>
        <source>Scroll to the newest text (End)</source>
        <translation>Scroll to the newest text (End)</translation>
    </message>
    <message>
        <source>Jump to latest</source>
        <translation>Jump to latest</translation>
    </message>
    <message>
        <source>Copy Markdown</source>
        <translation>Copy Markdown</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Edit question</source>
        <translation>Edit question</translation>
    </message>
    <message>
        <source>Open profile</source>
        <translation>Open profile</translation>
    </message>
    <message>
        <source>Copy the text</source>
        <translation>Copy the text</translation>
    </message>
    <message>
        <source>Copy as Markdown</source>
        <translation>Copy as Markdown</translation>
    </message>
    <message>
        <source>Ask again; this answer stays as an earlier version</source>
        <translation>Ask again; this answer stays as an earlier version</translation>
    </message>
    <message>
        <source>Ask again</source>
        <translation>Ask again</translation>
    </message>
    <message>
        <source>Continue the answer where it stopped</source>
        <translation>Continue the answer where it stopped</translation>
    </message>
    <message>
        <source>Edit the question and send it again</source>
        <translation>Edit the question and send it again</translation>
    </message>
    <message>
        <source>Open the connection profile (URL, key, model)</source>
        <translation>Open the connection profile (URL, key, model)</translation>
    </message>
    <message>
        <source>E or %1</source>
        <translation>E or %1</translation>
    </message>
    <message>
        <source>⚠ Contains hidden direction controls</source>
        <translation>⚠ Contains hidden direction controls</translation>
    </message>
    <message>
        <source> · </source>
        <extracomment>The separator of the footer&apos;s parts, as in qalam::FigureText: &quot;، &quot; in Arabic.</extracomment>
        <translation> · </translation>
    </message>
</context>
<context>
    <name>qalam::ChatViewAccessible</name>
    <message>
        <source>Answer complete</source>
        <translation>Answer complete</translation>
    </message>
    <message>
        <source>Answer failed: %1</source>
        <translation>Answer failed: %1</translation>
    </message>
</context>
<context>
    <name>qalam::CodeBlock</name>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Wrap</source>
        <translation>Wrap</translation>
    </message>
</context>
<context>
    <name>qalam::Composer</name>
    <message>
        <source>Ask a question… (Enter sends, Shift+Enter for a new line)</source>
        <translation>Ask a question… (Enter sends, Shift+Enter for a new line)</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line, Esc stops the answer</source>
        <translation>Enter sends, Shift+Enter starts a new line, Esc stops the answer</translation>
    </message>
</context>
<context>
    <name>qalam::ComposerBar</name>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Stop the answer (Esc); what arrived is kept</source>
        <translation>Stop the answer (Esc); what arrived is kept</translation>
    </message>
    <message>
        <source>Send the question (Enter)</source>
        <translation>Send the question (Enter)</translation>
    </message>
</context>
<context>
    <name>qalam::ConnectionTester</name>
    <message>
        <source>Test cancelled.</source>
        <translation>Test cancelled.</translation>
    </message>
    <message>
        <source>Hello</source>
        <translation>Hello</translation>
    </message>
    <message>
        <source>The server&apos;s model list is larger than 4 MB.</source>
        <translation>The server&apos;s model list is larger than 4 MB.</translation>
    </message>
    <message>
        <source>Connected: the server accepts questions and streams its answers.</source>
        <translation>Connected: the server accepts questions and streams its answers.</translation>
    </message>
    <message>
        <source>The server answered %1 but not with an event stream (Content-Type: %2): check the URL and the protocol.</source>
        <translation>The server answered %1 but not with an event stream (Content-Type: %2): check the URL and the protocol.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Refused: %1 — the server redirects to %2; use that address as the URL.</source>
        <translation>Refused: %1 — the server redirects to %2; use that address as the URL.</translation>
    </message>
    <message>
        <source>another address</source>
        <translation>another address</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Refused: %1</translation>
    </message>
    <message>
        <source>Refused: %1 — %2</source>
        <translation>Refused: %1 — %2</translation>
    </message>
    <message>
        <source>Connected (the server&apos;s answer to /models is not a model list).</source>
        <translation>Connected (the server&apos;s answer to /models is not a model list).</translation>
    </message>
    <message numerus="yes">
        <source>Connected: %n model(s)</source>
        <translation>
            <numerusform>Connected: %n model</numerusform>
            <numerusform>Connected: %n models</numerusform>
        </translation>
    </message>
    <message>
        <source>The model “%1” is not among them: check its name.</source>
        <translation>The model “%1” is not among them: check its name.</translation>
    </message>
    <message>
        <source>Could not connect: connection refused by %1 (is the server running on that port?).</source>
        <translation>Could not connect: connection refused by %1 (is the server running on that port?).</translation>
    </message>
    <message>
        <source>Could not connect: the host “%1” was not found.</source>
        <translation>Could not connect: the host “%1” was not found.</translation>
    </message>
    <message numerus="yes">
        <source>Could not connect: no answer within %n second(s).</source>
        <translation>
            <numerusform>Could not connect: no answer within %n second.</numerusform>
            <numerusform>Could not connect: no answer within %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not connect: the server closed the connection without answering.</source>
        <translation>Could not connect: the server closed the connection without answering.</translation>
    </message>
    <message>
        <source>TLS error: %1</source>
        <translation>TLS error: %1</translation>
    </message>
    <message>
        <source>Could not connect through the proxy: %1</source>
        <translation>Could not connect through the proxy: %1</translation>
    </message>
    <message>
        <source>Could not connect: %1</source>
        <translation>Could not connect: %1</translation>
    </message>
</context>
<context>
    <name>qalam::ConversationDelegate</name>
    <message>
        <source>queued</source>
        <translation>queued</translation>
    </message>
    <message>
        <source>Conversation name</source>
        <translation>Conversation name</translation>
    </message>
    <message>
        <source>An answer is queued: it starts when another one ends</source>
        <translation>An answer is queued: it starts when another one ends</translation>
    </message>
    <message>
        <source>An answer is streaming</source>
        <translation>An answer is streaming</translation>
    </message>
    <message>
        <source>Enter saves the new name, Esc cancels</source>
        <translation>Enter saves the new name, Esc cancels</translation>
    </message>
</context>
<context>
    <name>qalam::ConversationPresenter</name>
    <message>
        <source>Thinking…</source>
        <translation>Thinking…</translation>
    </message>
</context>
<context>
    <name>qalam::ConversationSession</name>
    <message>
        <source>Answer complete</source>
        <translation>Answer complete</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Failed: %1</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <source>first token %1 ms</source>
        <translation>first token %1 ms</translation>
    </message>
    <message>
        <source>%1 chars/s</source>
        <translation>%1 chars/s</translation>
    </message>
    <message numerus="yes">
        <source>%Ln reconnect(s)</source>
        <translation>
            <numerusform>%Ln reconnect</numerusform>
            <numerusform>%Ln reconnects</numerusform>
        </translation>
    </message>
    <message>
        <source>the disk is full, so the conversation could not be saved</source>
        <translation>the disk is full, so the conversation could not be saved</translation>
    </message>
    <message>
        <source>the conversation database is read-only, so nothing can be saved</source>
        <translation>the conversation database is read-only, so nothing can be saved</translation>
    </message>
    <message>
        <source>the conversation database is damaged</source>
        <translation>the conversation database is damaged</translation>
    </message>
    <message>
        <source>the conversation database is in use by another program</source>
        <translation>the conversation database is in use by another program</translation>
    </message>
    <message>
        <source>the message no longer exists</source>
        <translation>the message no longer exists</translation>
    </message>
    <message>
        <source>the conversation database reported an error: %1</source>
        <translation>the conversation database reported an error: %1</translation>
    </message>
    <message>
        <source>Interrupted: %1</source>
        <translation>Interrupted: %1</translation>
    </message>
</context>
<context>
    <name>qalam::ConversationSidebar</name>
    <message>
        <source>Rename…</source>
        <translation>Rename…</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>New conversation</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>Search conversations</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <source>Search titles and messages (Ctrl+K)</source>
        <translation>Search titles and messages (Ctrl+K)</translation>
    </message>
    <message>
        <source>No matches for “%1”</source>
        <translation>No matches for “%1”</translation>
    </message>
    <message>
        <source>No conversations yet. Ask a question to start one.</source>
        <translation>No conversations yet. Ask a question to start one.</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Start a new conversation (Ctrl+N)</translation>
    </message>
    <message>
        <source>Searches titles and messages as you type; Down or Enter opens the first result, Esc clears</source>
        <translation>Searches titles and messages as you type; Down or Enter opens the first result, Esc clears</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>Up and Down open a conversation, F2 renames it, Delete deletes it</source>
        <translation>Up and Down open a conversation, F2 renames it, Delete deletes it</translation>
    </message>
</context>
<context>
    <name>qalam::DateGroup</name>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>Previous 7 days</translation>
    </message>
    <message>
        <source>Previous 30 days</source>
        <translation>Previous 30 days</translation>
    </message>
</context>
<context>
    <name>qalam::DialogButtonBox</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>qalam::DirectionControlMarks</name>
    <message>
        <source>Left-to-right embedding</source>
        <translation>Left-to-right embedding</translation>
    </message>
    <message>
        <source>Right-to-left embedding</source>
        <translation>Right-to-left embedding</translation>
    </message>
    <message>
        <source>Pop directional formatting</source>
        <translation>Pop directional formatting</translation>
    </message>
    <message>
        <source>Left-to-right override</source>
        <translation>Left-to-right override</translation>
    </message>
    <message>
        <source>Right-to-left override</source>
        <translation>Right-to-left override</translation>
    </message>
    <message>
        <source>Left-to-right isolate</source>
        <translation>Left-to-right isolate</translation>
    </message>
    <message>
        <source>Right-to-left isolate</source>
        <translation>Right-to-left isolate</translation>
    </message>
    <message>
        <source>First strong isolate</source>
        <translation>First strong isolate</translation>
    </message>
    <message>
        <source>Pop directional isolate</source>
        <translation>Pop directional isolate</translation>
    </message>
    <message>
        <source>Left-to-right mark</source>
        <translation>Left-to-right mark</translation>
    </message>
    <message>
        <source>Right-to-left mark</source>
        <translation>Right-to-left mark</translation>
    </message>
    <message>
        <source>Arabic letter mark</source>
        <translation>Arabic letter mark</translation>
    </message>
    <message>
        <source>%1 (%2): a hidden direction control, shown here and not applied</source>
        <extracomment>%1 is the name of an invisible Unicode character that changes the direction of text, %2 its code point (U+202E).</extracomment>
        <translation>%1 (%2): a hidden direction control, shown here and not applied</translation>
    </message>
</context>
<context>
    <name>qalam::EmptyStateView</name>
    <message>
        <source>Which process is listening on port 8080, and how do I stop it?</source>
        <translation>Which process is listening on port 8080, and how do I stop it?</translation>
    </message>
    <message>
        <source>Write a bash script that archives logs older than 7 days</source>
        <translation>Write a bash script that archives logs older than 7 days</translation>
    </message>
    <message>
        <source>Compare TCP and UDP in a short table</source>
        <translation>Compare TCP and UDP in a short table</translation>
    </message>
    <message>
        <source>Ask Qalam</source>
        <translation>Ask Qalam</translation>
    </message>
    <message>
        <source>Qalam shows your AI backend&apos;s answers as they are written, in Arabic or English, and keeps every word: an answer cut off by a network failure resumes where it stopped.</source>
        <translation>Qalam shows your AI backend&apos;s answers as they are written, in Arabic or English, and keeps every word: an answer cut off by a network failure resumes where it stopped.</translation>
    </message>
    <message>
        <source>Try one of these:</source>
        <translation>Try one of these:</translation>
    </message>
    <message>
        <source>You are using the offline demo: its answers are canned, pre-written and played back without a network, so they do not really answer your question. Connect a backend to ask a real model.</source>
        <translation>You are using the offline demo: its answers are canned, pre-written and played back without a network, so they do not really answer your question. Connect a backend to ask a real model.</translation>
    </message>
    <message>
        <source>Connect a backend…</source>
        <translation>Connect a backend…</translation>
    </message>
    <message>
        <source>Asks this example question</source>
        <translation>Asks this example question</translation>
    </message>
    <message>
        <source>Opens the connection profiles</source>
        <translation>Opens the connection profiles</translation>
    </message>
</context>
<context>
    <name>qalam::FigureText</name>
    <message>
        <source> · </source>
        <extracomment>Between the parts of a line of figures (&quot;first token 318 ms · 17,093 chars/s&quot;). Arabic takes the Arabic comma and a space (&quot;، &quot;): a middle dot beside Arabic-Indic digits reads as the digit zero.</extracomment>
        <translation> · </translation>
    </message>
</context>
<context>
    <name>qalam::HttpRedirect</name>
    <message>
        <source>the server answered HTTP %1 without a valid Location to redirect to</source>
        <translation>the server answered HTTP %1 without a valid Location to redirect to</translation>
    </message>
    <message>
        <source>the server redirected to %1, which is not an http or https URL</source>
        <translation>the server redirected to %1, which is not an http or https URL</translation>
    </message>
    <message>
        <source>the server redirected from https to %1, an unencrypted http URL; Qalam does not follow a redirect that drops encryption</source>
        <translation>the server redirected from https to %1, an unencrypted http URL; Qalam does not follow a redirect that drops encryption</translation>
    </message>
    <message>
        <source>the server redirected the %1 request with HTTP %2 to %3; following it would send a GET without the question, so it was not followed</source>
        <translation>the server redirected the %1 request with HTTP %2 to %3; following it would send a GET without the question, so it was not followed</translation>
    </message>
</context>
<context>
    <name>qalam::InlineEditor</name>
    <message>
        <source>Save &amp;&amp; send</source>
        <translation>Save &amp;&amp; send</translation>
    </message>
    <message>
        <source>Send the edited question (%1); the earlier one stays as a version</source>
        <translation>Send the edited question (%1); the earlier one stays as a version</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Keep the question as it was (Esc)</source>
        <translation>Keep the question as it was (Esc)</translation>
    </message>
    <message>
        <source>Edit the question</source>
        <translation>Edit the question</translation>
    </message>
</context>
<context>
    <name>qalam::LiveAnswer</name>
    <message>
        <source>the application was closed</source>
        <translation>the application was closed</translation>
    </message>
    <message>
        <source>stopped before it started</source>
        <translation>stopped before it started</translation>
    </message>
</context>
<context>
    <name>qalam::MainWindow</name>
    <message>
        <source>Qalam</source>
        <translation>Qalam</translation>
    </message>
    <message>
        <source>Quit Qalam</source>
        <translation>Quit Qalam</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) are still streaming. Quit anyway? What arrived is kept and marked interrupted, and can be continued later.</source>
        <translation>
            <numerusform>%n answer is still streaming. Quit anyway? What arrived is kept and marked interrupted, and can be continued later.</numerusform>
            <numerusform>%n answers are still streaming. Quit anyway? What arrived is kept and marked interrupted, and can be continued later.</numerusform>
        </translation>
    </message>
    <message>
        <source>The question is sent when the profile is ready: %1</source>
        <translation>The question is sent when the profile is ready: %1</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <source>The questions and answers. Ctrl+Up and Ctrl+Down move between messages, Tab reaches the current message&apos;s buttons.</source>
        <translation>The questions and answers. Ctrl+Up and Ctrl+Down move between messages, Tab reaches the current message&apos;s buttons.</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>Connection status</translation>
    </message>
    <message>
        <source>Time to first token and speed of the answer</source>
        <translation>Time to first token and speed of the answer</translation>
    </message>
    <message>
        <source>Connection profile</source>
        <translation>Connection profile</translation>
    </message>
    <message>
        <source>More menus</source>
        <translation>More menus</translation>
    </message>
</context>
<context>
    <name>qalam::MessageAccessible</name>
    <message>
        <source>You</source>
        <translation>You</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <source>Answering…</source>
        <translation>Answering…</translation>
    </message>
</context>
<context>
    <name>qalam::NetworkSetup</name>
    <message>
        <source>The manual proxy needs a host name.</source>
        <translation>The manual proxy needs a host name.</translation>
    </message>
    <message>
        <source>Enter the proxy&apos;s port in the port field, not after the host name.</source>
        <translation>Enter the proxy&apos;s port in the port field, not after the host name.</translation>
    </message>
    <message>
        <source>The manual proxy needs a port between 1 and 65535.</source>
        <translation>The manual proxy needs a port between 1 and 65535.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” does not exist.</source>
        <translation>The CA certificate file “%1” does not exist.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” cannot be read: it is not a file.</source>
        <translation>The CA certificate file “%1” cannot be read: it is not a file.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” cannot be read: %2</source>
        <translation>The CA certificate file “%1” cannot be read: %2</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” is too large to be a certificate.</source>
        <translation>The CA certificate file “%1” is too large to be a certificate.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” does not contain a valid PEM certificate.</source>
        <translation>The CA certificate file “%1” does not contain a valid PEM certificate.</translation>
    </message>
</context>
<context>
    <name>qalam::NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Dismiss</translation>
    </message>
</context>
<context>
    <name>qalam::PreferencesDialog</name>
    <message>
        <source>Show answers at once, without the typewriter</source>
        <translation>Show answers at once, without the typewriter</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>System language</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>System default</translation>
    </message>
    <message>
        <source>System proxy</source>
        <translation>System proxy</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>No proxy</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>Manual</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>Motion:</source>
        <translation>Motion:</translation>
    </message>
    <message>
        <source>Text size (points):</source>
        <translation>Text size (points):</translation>
    </message>
    <message>
        <source>Proxy:</source>
        <translation>Proxy:</translation>
    </message>
    <message>
        <source>Proxy type:</source>
        <translation>Proxy type:</translation>
    </message>
    <message>
        <source>Proxy host:</source>
        <translation>Proxy host:</translation>
    </message>
    <message>
        <source>Proxy port:</source>
        <translation>Proxy port:</translation>
    </message>
    <message>
        <source>System (light or dark as the desktop is)</source>
        <translation>System (light or dark as the desktop is)</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>Narrow (60 characters)</source>
        <translation>Narrow (60 characters)</translation>
    </message>
    <message>
        <source>Comfortable (75 characters)</source>
        <translation>Comfortable (75 characters)</translation>
    </message>
    <message>
        <source>Wide (100 characters)</source>
        <translation>Wide (100 characters)</translation>
    </message>
    <message>
        <source>Full window width</source>
        <translation>Full window width</translation>
    </message>
    <message numerus="yes">
        <source>%n character(s)</source>
        <translation>
            <numerusform>%n character</numerusform>
            <numerusform>%n characters</numerusform>
        </translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>Theme:</translation>
    </message>
    <message>
        <source>Reading width:</source>
        <translation>Reading width:</translation>
    </message>
    <message>
        <source>High contrast (white on black)</source>
        <translation>High contrast (white on black)</translation>
    </message>
    <message>
        <source>Naskh for messages (Noto Naskh Arabic)</source>
        <translation>Naskh for messages (Noto Naskh Arabic)</translation>
    </message>
    <message>
        <source>Sans everywhere (Noto Sans Arabic)</source>
        <translation>Sans everywhere (Noto Sans Arabic)</translation>
    </message>
    <message>
        <source>The system&apos;s font</source>
        <translation>The system&apos;s font</translation>
    </message>
    <message>
        <source>Arabic font:</source>
        <translation>Arabic font:</translation>
    </message>
</context>
<context>
    <name>qalam::Profile</name>
    <message>
        <source>Demo (offline)</source>
        <translation>Demo (offline)</translation>
    </message>
    <message>
        <source>A header has no name.</source>
        <translation>A header has no name.</translation>
    </message>
    <message>
        <source>“%1” is not a valid header name: use letters, digits and - only.</source>
        <translation>“%1” is not a valid header name: use letters, digits and - only.</translation>
    </message>
    <message>
        <source>Remove the %1 header: the API key belongs in the system keychain (or an environment variable), not in the profile.</source>
        <translation>Remove the %1 header: the API key belongs in the system keychain (or an environment variable), not in the profile.</translation>
    </message>
    <message>
        <source>The value of header “%1” contains a line break or another control character.</source>
        <translation>The value of header “%1” contains a line break or another control character.</translation>
    </message>
    <message>
        <source>The profile has no id.</source>
        <translation>The profile has no id.</translation>
    </message>
    <message>
        <source>The profile needs a name.</source>
        <translation>The profile needs a name.</translation>
    </message>
    <message>
        <source>The base URL is missing.</source>
        <translation>The base URL is missing.</translation>
    </message>
    <message>
        <source>The base URL is not a valid URL.</source>
        <translation>The base URL is not a valid URL.</translation>
    </message>
    <message>
        <source>The base URL must start with http:// or https://.</source>
        <translation>The base URL must start with http:// or https://.</translation>
    </message>
    <message>
        <source>The base URL must start with http:// or https://, not %1://.</source>
        <translation>The base URL must start with http:// or https://, not %1://.</translation>
    </message>
    <message>
        <source>The base URL has no host name.</source>
        <translation>The base URL has no host name.</translation>
    </message>
    <message>
        <source>Remove the user name and password from the base URL: the API key belongs in the system keychain.</source>
        <translation>Remove the user name and password from the base URL: the API key belongs in the system keychain.</translation>
    </message>
    <message>
        <source>An OpenAI-compatible backend needs a model name.</source>
        <translation>An OpenAI-compatible backend needs a model name.</translation>
    </message>
    <message>
        <source>“%1” is not a valid environment variable name: use letters, digits and _ only, not starting with a digit.</source>
        <translation>“%1” is not a valid environment variable name: use letters, digits and _ only, not starting with a digit.</translation>
    </message>
</context>
<context>
    <name>qalam::ProfileDialog</name>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Connection profiles</source>
        <translation>Connection profiles</translation>
    </message>
    <message>
        <source>Admin stream</source>
        <translation>Admin stream</translation>
    </message>
    <message>
        <source>OpenAI-compatible</source>
        <translation>OpenAI-compatible</translation>
    </message>
    <message>
        <source>Stored in the system keychain</source>
        <translation>Stored in the system keychain</translation>
    </message>
    <message>
        <source>Optional: read the key from this environment variable</source>
        <translation>Optional: read the key from this environment variable</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>Base URL:</translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation>Protocol:</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Model:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API key:</translation>
    </message>
    <message>
        <source>Key variable:</source>
        <translation>Key variable:</translation>
    </message>
    <message>
        <source>Extra headers:</source>
        <translation>Extra headers:</translation>
    </message>
    <message>
        <source>Extra CA certificate:</source>
        <translation>Extra CA certificate:</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Extra CA certificate</source>
        <translation>Extra CA certificate</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>PEM certificates (*.pem *.crt);;All files (*)</translation>
    </message>
    <message>
        <source>The built-in offline demo needs no set-up and cannot be changed.</source>
        <translation>The built-in offline demo needs no set-up and cannot be changed.</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>New profile</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>Add header</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Secret</translation>
    </message>
    <message>
        <source>A secret header&apos;s value is kept in the system keychain, not in the settings file, and never sent to another server after a redirect.</source>
        <translation>A secret header&apos;s value is kept in the system keychain, not in the settings file, and never sent to another server after a redirect.</translation>
    </message>
    <message>
        <source>Remove this header</source>
        <translation>Remove this header</translation>
    </message>
    <message>
        <source>This header always carries credentials: its value is kept in the system keychain.</source>
        <translation>This header always carries credentials: its value is kept in the system keychain.</translation>
    </message>
    <message>
        <source>Keep the value in the system keychain</source>
        <translation>Keep the value in the system keychain</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>Cancel test</source>
        <translation>Cancel test</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Testing the connection…</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>Test cancelled.</translation>
    </message>
    <message>
        <source>A PEM file to trust besides the system&apos;s authorities</source>
        <translation>A PEM file to trust besides the system&apos;s authorities</translation>
    </message>
    <message>
        <source>Adds an extra HTTP header to every request</source>
        <translation>Adds an extra HTTP header to every request</translation>
    </message>
    <message>
        <source>Asks the backend of the form as it is, unsaved, and says what happened</source>
        <translation>Asks the backend of the form as it is, unsaved, and says what happened</translation>
    </message>
    <message>
        <source>Choose the extra CA certificate file</source>
        <translation>Choose the extra CA certificate file</translation>
    </message>
    <message>
        <source>Header name</source>
        <translation>Header name</translation>
    </message>
    <message>
        <source>Header value</source>
        <translation>Header value</translation>
    </message>
</context>
<context>
    <name>qalam::ProfilePicker</name>
    <message>
        <source>The backend new answers come from</source>
        <translation>The backend new answers come from</translation>
    </message>
    <message>
        <source>Connection profile</source>
        <translation>Connection profile</translation>
    </message>
</context>
<context>
    <name>qalam::ProfileStore</name>
    <message>
        <source>The settings file “%1” cannot be read or written: changes will not be kept after Qalam quits.</source>
        <translation>The settings file “%1” cannot be read or written: changes will not be kept after Qalam quits.</translation>
    </message>
    <message>
        <source>The settings file was written by a newer version of Qalam: settings this version does not know are left as they are.</source>
        <translation>The settings file was written by a newer version of Qalam: settings this version does not know are left as they are.</translation>
    </message>
    <message>
        <source>Several profiles are called “%1”: rename them so that --profile can tell them apart.</source>
        <translation>Several profiles are called “%1”: rename them so that --profile can tell them apart.</translation>
    </message>
    <message>
        <source>The settings file “%1” was damaged. The profiles and preferences that could be read were kept; a copy of the damaged file was saved as “%2”.</source>
        <translation>The settings file “%1” was damaged. The profiles and preferences that could be read were kept; a copy of the damaged file was saved as “%2”.</translation>
    </message>
    <message>
        <source>The settings file “%1” was damaged. The profiles and preferences that could be read were kept.</source>
        <translation>The settings file “%1” was damaged. The profiles and preferences that could be read were kept.</translation>
    </message>
    <message>
        <source>The profile “%1” was skipped: %2</source>
        <translation>The profile “%1” was skipped: %2</translation>
    </message>
    <message>
        <source>its id is reserved for the built-in demo.</source>
        <translation>its id is reserved for the built-in demo.</translation>
    </message>
    <message>
        <source>it has no protocol.</source>
        <translation>it has no protocol.</translation>
    </message>
    <message>
        <source>its protocol “%1” is unknown.</source>
        <translation>its protocol “%1” is unknown.</translation>
    </message>
    <message>
        <source>its base URL “%1” is not an http or https URL.</source>
        <translation>its base URL “%1” is not an http or https URL.</translation>
    </message>
    <message>
        <source>The user name and password were removed from the base URL of the profile “%1”: store the key in the keychain instead.</source>
        <translation>The user name and password were removed from the base URL of the profile “%1”: store the key in the keychain instead.</translation>
    </message>
    <message>
        <source>A profile without a name was named “%1”.</source>
        <translation>A profile without a name was named “%1”.</translation>
    </message>
    <message>
        <source>A header of the profile “%1” was ignored: %2</source>
        <translation>A header of the profile “%1” was ignored: %2</translation>
    </message>
    <message>
        <source>The environment variable “%1” of the profile “%2” is not a valid name and was ignored.</source>
        <translation>The environment variable “%1” of the profile “%2” is not a valid name and was ignored.</translation>
    </message>
    <message>
        <source>The setting “%1” had an invalid value (“%2”) and was reset to its default.</source>
        <translation>The setting “%1” had an invalid value (“%2”) and was reset to its default.</translation>
    </message>
    <message>
        <source>The manual proxy has no host or port: the system&apos;s proxy settings are used instead.</source>
        <translation>The manual proxy has no host or port: the system&apos;s proxy settings are used instead.</translation>
    </message>
    <message>
        <source>There is no profile called “%1”. The profiles are: %2.</source>
        <translation>There is no profile called “%1”. The profiles are: %2.</translation>
    </message>
    <message>
        <source>The built-in demo profile cannot be changed.</source>
        <translation>The built-in demo profile cannot be changed.</translation>
    </message>
    <message>
        <source>Another profile is already called “%1”.</source>
        <translation>Another profile is already called “%1”.</translation>
    </message>
    <message>
        <source>The settings could not be saved to “%1”: check that the folder exists and is writable.</source>
        <translation>The settings could not be saved to “%1”: check that the folder exists and is writable.</translation>
    </message>
    <message>
        <source>The value of the header “%1” of the profile “%2” is in the settings file in clear: save the profile again to move it to the system keychain.</source>
        <translation>The value of the header “%1” of the profile “%2” is in the settings file in clear: save the profile again to move it to the system keychain.</translation>
    </message>
</context>
<context>
    <name>qalam::SecretStore</name>
    <message>
        <source>No keychain service is running: the key is kept for this session only.</source>
        <translation>No keychain service is running: the key is kept for this session only.</translation>
    </message>
    <message numerus="yes">
        <source>The keychain did not answer within %Ln second(s).</source>
        <translation>
            <numerusform>The keychain did not answer within %Ln second.</numerusform>
            <numerusform>The keychain did not answer within %Ln seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>The keychain did not give the key: %1</source>
        <translation>The keychain did not give the key: %1</translation>
    </message>
    <message>
        <source>The keychain refused to store the key (%1): it is kept for this session only.</source>
        <translation>The keychain refused to store the key (%1): it is kept for this session only.</translation>
    </message>
    <message>
        <source>The key could not be removed from the keychain: %1</source>
        <translation>The key could not be removed from the keychain: %1</translation>
    </message>
    <message>
        <source>The keychain has no value for the header “%1”: enter it again in the connection profile.</source>
        <translation>The keychain has no value for the header “%1”: enter it again in the connection profile.</translation>
    </message>
</context>
<context>
    <name>qalam::SidebarModel</name>
    <message>
        <source>Untitled</source>
        <translation>Untitled</translation>
    </message>
    <message>
        <source>an answer is queued</source>
        <translation>an answer is queued</translation>
    </message>
    <message>
        <source>an answer is streaming</source>
        <translation>an answer is streaming</translation>
    </message>
    <message>
        <source>Heading</source>
        <translation>Heading</translation>
    </message>
    <message>
        <source>Last active %1</source>
        <translation>Last active %1</translation>
    </message>
</context>
<context>
    <name>qalam::SidebarPresenter</name>
    <message>
        <source>Rename conversation</source>
        <translation>Rename conversation</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>Delete conversation</translation>
    </message>
    <message>
        <source>Delete “%1” and all its messages?</source>
        <translation>Delete “%1” and all its messages?</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Untitled</translation>
    </message>
    <message>
        <source>You can undo this for a few seconds.</source>
        <translation>You can undo this for a few seconds.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Deleted “%1”</source>
        <translation>Deleted “%1”</translation>
    </message>
</context>
<context>
    <name>qalam::SseConsumer</name>
    <message>
        <source>the server ended the stream</source>
        <translation>the server ended the stream</translation>
    </message>
    <message numerus="yes">
        <source>%1 (gave up after %n reconnection attempt(s))</source>
        <translation>
            <numerusform>%1 (gave up after %n reconnection attempt)</numerusform>
            <numerusform>%1 (gave up after %n reconnection attempts)</numerusform>
        </translation>
    </message>
    <message>
        <source>the server did not say what it sent (no Content-Type); expected text/event-stream</source>
        <translation>the server did not say what it sent (no Content-Type); expected text/event-stream</translation>
    </message>
    <message>
        <source>expected text/event-stream but the server sent %1</source>
        <translation>expected text/event-stream but the server sent %1</translation>
    </message>
    <message>
        <source>%1: the server asks to wait %2 s before retrying</source>
        <translation>%1: the server asks to wait %2 s before retrying</translation>
    </message>
    <message>
        <source>the server asks to retry after %1 s</source>
        <translation>the server asks to retry after %1 s</translation>
    </message>
    <message>
        <source>the server&apos;s %1-compressed body could not be decoded, or it expands far beyond any real stream (a decompression bomb)</source>
        <translation>the server&apos;s %1-compressed body could not be decoded, or it expands far beyond any real stream (a decompression bomb)</translation>
    </message>
    <message>
        <source>the server refused the credentials (%1)</source>
        <translation>the server refused the credentials (%1)</translation>
    </message>
    <message>
        <source>the server answered %1 instead of an event stream</source>
        <translation>the server answered %1 instead of an event stream</translation>
    </message>
    <message>
        <source>the server sent a second response to one request</source>
        <translation>the server sent a second response to one request</translation>
    </message>
    <message>
        <source>the response head is too large or malformed: its fields could not be read (HTTP %1)</source>
        <translation>the response head is too large or malformed: its fields could not be read (HTTP %1)</translation>
    </message>
    <message numerus="yes">
        <source>the response head is too large (%1 bytes in %n field(s); at most %2 bytes and %3 fields are accepted)</source>
        <translation>
            <numerusform>the response head is too large (%1 bytes in %n field; at most %2 bytes and %3 fields are accepted)</numerusform>
            <numerusform>the response head is too large (%1 bytes in %n fields; at most %2 bytes and %3 fields are accepted)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the redirect could not be followed: more than %n redirect(s) in a row (last: HTTP %1 to %2)</source>
        <translation>
            <numerusform>the redirect could not be followed: more than %n redirect in a row (last: HTTP %1 to %2)</numerusform>
            <numerusform>the redirect could not be followed: more than %n redirects in a row (last: HTTP %1 to %2)</numerusform>
        </translation>
    </message>
    <message>
        <source>the server closed the connection</source>
        <translation>the server closed the connection</translation>
    </message>
    <message>
        <source>the server closed the connection while the request was being sent</source>
        <translation>the server closed the connection while the request was being sent</translation>
    </message>
    <message>
        <source>the server closed the connection before it answered</source>
        <translation>the server closed the connection before it answered</translation>
    </message>
    <message>
        <source>no response from the server within %1 s (%2)</source>
        <translation>no response from the server within %1 s (%2)</translation>
    </message>
    <message>
        <source>no data from the server for %1 s (%2)</source>
        <translation>no data from the server for %1 s (%2)</translation>
    </message>
    <message>
        <source>no complete response head arrived</source>
        <translation>no complete response head arrived</translation>
    </message>
    <message>
        <source>the request was sent %1 s ago; no complete response head arrived</source>
        <translation>the request was sent %1 s ago; no complete response head arrived</translation>
    </message>
    <message>
        <source>the last thing received was the response head, %1 s ago</source>
        <translation>the last thing received was the response head, %1 s ago</translation>
    </message>
    <message>
        <source>the last thing received was part of an event, %1 s ago</source>
        <translation>the last thing received was part of an event, %1 s ago</translation>
    </message>
    <message>
        <source>the last thing received was a comment (heartbeat), %1 s ago</source>
        <translation>the last thing received was a comment (heartbeat), %1 s ago</translation>
    </message>
    <message>
        <source>the last thing received was an event, %1 s ago</source>
        <translation>the last thing received was an event, %1 s ago</translation>
    </message>
    <message>
        <source>the last thing received was the event with id “%1”, %2 s ago</source>
        <translation>the last thing received was the event with id “%1”, %2 s ago</translation>
    </message>
    <message>
        <source>the server asked to wait %1 s; waiting %2 s, the most allowed</source>
        <translation>the server asked to wait %1 s; waiting %2 s, the most allowed</translation>
    </message>
</context>
<context>
    <name>qalam::StatusPresenter</name>
    <message>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Error: %1</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>Streaming</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>first token %1 ms</source>
        <translation>first token %1 ms</translation>
    </message>
    <message>
        <source>%1 chars/s</source>
        <translation>%1 chars/s</translation>
    </message>
    <message numerus="yes">
        <source>%Ln reconnect(s)</source>
        <translation>
            <numerusform>%Ln reconnect</numerusform>
            <numerusform>%Ln reconnects</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qalam::StoreOpener</name>
    <message>
        <source>Cannot open the conversation database %1: %2</source>
        <translation>Cannot open the conversation database %1: %2</translation>
    </message>
    <message>
        <source>Answers cut off by the last exit could not be marked as interrupted: %1</source>
        <translation>Answers cut off by the last exit could not be marked as interrupted: %1</translation>
    </message>
    <message>
        <source>Qalam</source>
        <translation>Qalam</translation>
    </message>
    <message>
        <source>Recover copies every conversation and message that can still be read into a new database. Start empty begins without them. Either way the damaged file is kept next to the new one, so nothing is deleted.</source>
        <translation>Recover copies every conversation and message that can still be read into a new database. Start empty begins without them. Either way the damaged file is kept next to the new one, so nothing is deleted.</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>Recover</translation>
    </message>
    <message>
        <source>Start empty</source>
        <translation>Start empty</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>qalam::StoreRecovery</name>
    <message>
        <source>%1 could not be renamed to %2.</source>
        <translation>%1 could not be renamed to %2.</translation>
    </message>
    <message>
        <source>There is no conversation history yet.</source>
        <translation>There is no conversation history yet.</translation>
    </message>
    <message>
        <source>The conversation history (%1) cannot be read: %2</source>
        <translation>The conversation history (%1) cannot be read: %2</translation>
    </message>
    <message>
        <source>The conversation history is empty.</source>
        <translation>The conversation history is empty.</translation>
    </message>
    <message>
        <source>The conversation history file (%1) is not a database: it was overwritten or replaced by another file.</source>
        <translation>The conversation history file (%1) is not a database: it was overwritten or replaced by another file.</translation>
    </message>
    <message>
        <source>The conversation history is in order.</source>
        <translation>The conversation history is in order.</translation>
    </message>
    <message>
        <source>The conversation history file (%1) is damaged. Qalam can save what is still readable into a new file, or start with an empty history; the damaged file is kept either way.</source>
        <translation>The conversation history file (%1) is damaged. Qalam can save what is still readable into a new file, or start with an empty history; the damaged file is kept either way.</translation>
    </message>
    <message>
        <source>There is no conversation history at %1.</source>
        <translation>There is no conversation history at %1.</translation>
    </message>
    <message>
        <source>The conversation history at %1 was written by a newer version of Qalam; use that version to open it.</source>
        <translation>The conversation history at %1 was written by a newer version of Qalam; use that version to open it.</translation>
    </message>
    <message>
        <source>Recovered conversation</source>
        <translation>Recovered conversation</translation>
    </message>
    <message>
        <source>Cannot create a new conversation history at %1: %2</source>
        <translation>Cannot create a new conversation history at %1: %2</translation>
    </message>
    <message>
        <source>Cannot write the new conversation history at %1: %2</source>
        <translation>Cannot write the new conversation history at %1: %2</translation>
    </message>
    <message>
        <source>The readable conversations were saved in %1, but it could not take the damaged file&apos;s place: %2</source>
        <translation>The readable conversations were saved in %1, but it could not take the damaged file&apos;s place: %2</translation>
    </message>
    <message>
        <source>%1 and %2 were saved from the damaged conversation history. The damaged file was kept as %3.</source>
        <translation>%1 and %2 were saved from the damaged conversation history. The damaged file was kept as %3.</translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n conversation</numerusform>
            <numerusform>%n conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
    <message>
        <source>The damaged conversation history could not be moved aside: %1</source>
        <translation>The damaged conversation history could not be moved aside: %1</translation>
    </message>
    <message>
        <source>A new, empty conversation history was started. The damaged file was kept as %1.</source>
        <translation>A new, empty conversation history was started. The damaged file was kept as %1.</translation>
    </message>
</context>
<context>
    <name>qalam::TlsErrorText</name>
    <message>
        <source>it is not issued by a trusted authority</source>
        <translation>it is not issued by a trusted authority</translation>
    </message>
    <message>
        <source>it is self-signed (“%1”) and not trusted</source>
        <translation>it is self-signed (“%1”) and not trusted</translation>
    </message>
    <message>
        <source>it is issued by “%1”, which is not a trusted authority</source>
        <translation>it is issued by “%1”, which is not a trusted authority</translation>
    </message>
    <message>
        <source>trust that authority with a CA certificate file</source>
        <translation>trust that authority with a CA certificate file</translation>
    </message>
    <message>
        <source>it has expired</source>
        <translation>it has expired</translation>
    </message>
    <message>
        <source>it expired on %1</source>
        <translation>it expired on %1</translation>
    </message>
    <message>
        <source>it is not valid yet</source>
        <translation>it is not valid yet</translation>
    </message>
    <message>
        <source>it is not valid before %1</source>
        <translation>it is not valid before %1</translation>
    </message>
    <message>
        <source>it is not issued for %1</source>
        <translation>it is not issued for %1</translation>
    </message>
    <message>
        <source>it is issued for %1, not for %2</source>
        <translation>it is issued for %1, not for %2</translation>
    </message>
    <message>
        <source>it has been revoked</source>
        <translation>it has been revoked</translation>
    </message>
    <message>
        <source>the TLS connection to %1 could not be set up</source>
        <translation>the TLS connection to %1 could not be set up</translation>
    </message>
    <message>
        <source>the server&apos;s certificate for %1 was refused: %2</source>
        <translation>the server&apos;s certificate for %1 was refused: %2</translation>
    </message>
</context>
<context>
    <name>qalam::UndoNotice</name>
    <message>
        <source>Undo</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Delete now</source>
        <translation>Delete now</translation>
    </message>
    <message>
        <source>Deletes the conversation at once, without Undo</source>
        <translation>Deletes the conversation at once, without Undo</translation>
    </message>
</context>
<context>
    <name>qalam::WindowActions</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>&amp;New conversation</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation>&amp;Conversation</translation>
    </message>
    <message>
        <source>&amp;Stop answer</source>
        <translation>&amp;Stop answer</translation>
    </message>
    <message>
        <source>&amp;Regenerate answer</source>
        <translation>&amp;Regenerate answer</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Reduce &amp;motion (show answers at once)</source>
        <translation>Reduce &amp;motion (show answers at once)</translation>
    </message>
    <message>
        <source>Show &amp;sidebar</source>
        <translation>Show &amp;sidebar</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <source>Connection &amp;profiles…</source>
        <translation>Connection &amp;profiles…</translation>
    </message>
    <message>
        <source>P&amp;references…</source>
        <translation>P&amp;references…</translation>
    </message>
    <message>
        <source>&amp;Search conversations</source>
        <translation>&amp;Search conversations</translation>
    </message>
</context>
<context>
    <name>qalam::WindowPreferences</name>
    <message>
        <source>Preferences</source>
        <translation>Preferences</translation>
    </message>
</context>
<context>
    <name>qalam::WindowSnapshot</name>
    <message>
        <source>The window could not be rendered.</source>
        <translation>The window could not be rendered.</translation>
    </message>
    <message>
        <source>Could not write the picture to %1.</source>
        <translation>Could not write the picture to %1.</translation>
    </message>
    <message>
        <source>The dialog did not open.</source>
        <translation>The dialog did not open.</translation>
    </message>
</context>
</TS>
