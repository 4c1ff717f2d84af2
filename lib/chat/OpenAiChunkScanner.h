// OpenAiChunkScanner: reads the usual chat.completion.chunk straight from the event's text, e.g.
//   {"id":"…","object":"chat.completion.chunk","created":…,"model":"…","choices":[{"index":0,
//    "delta":{"content":"…"},"logprobs":null,"finish_reason":null}],"usage":null}
// without building a QJsonDocument (which re-encodes the text to UTF-8, allocates a tree and
// decodes every string again): a streamed answer is hundreds of thousands of these.
//
// It is a strict, single-pass reader that only says yes when it is sure: any chunk that is not
// well-formed JSON it fully understands, or that carries anything OpenAiProtocol treats
// specially (an `error` key, another `object`, a usage object, tool calls, a second first
// choice, a repeated key it reads, an escape in a key or in the model or finish reason, a
// surrogate escape, a lone surrogate, a number it does not read exactly...), is declined, and
// OpenAiProtocol reads it with QJsonDocument as before. tests/fuzz/fuzz_openaichunkscanner
// checks that both ways give the same update on every input.
#pragma once

#include <QString>
#include <QStringView>

namespace qalam {

class OpenAiChunkScanner
{
public:
    // What a chunk says, as OpenAiProtocol's QJsonDocument path would read it.
    struct Chunk
    {
        QString text;             // choices[index 0].delta.content ("" for null or none)
        QString reasoningContent; // …delta.reasoning_content
        QString reasoning;        // …delta.reasoning
        QStringView model;        // a view into the scanned text; valid while it is
        bool hasModel = false;    // "model" was a string
        QStringView finishReason; // likewise, or into the scanner's own copy
        bool hasFinishReason = false;
        // Where the first choice's content string (quotes included) stood, -1 when it had none.
        qsizetype contentStart = -1;
        qsizetype contentEnd = -1;
    };

    // True when `json` is a chunk the scanner is sure about, with `chunk` filled in; false when
    // the caller must parse it the general way (`chunk` is then unspecified). Remembers the text
    // around the content string, so that the next chunk, when it differs only in that string, is
    // read by reading the string alone.
    bool scan(QStringView json, Chunk &chunk);
    // Forgets the last chunk (a new answer).
    void reset();

    // The scan in full, with nothing remembered.
    static bool scanChunk(QStringView json, Chunk &chunk);

private:
    bool scanLikeLast(QStringView json, Chunk &chunk) const;
    void remember(QStringView json, const Chunk &chunk);

    QString m_prefix; // the last chunk's text before its content string
    QString m_suffix; // and after it
    Chunk m_memo;     // what it said besides the text; its views point into the two above
    bool m_haveMemo = false;
};

} // namespace qalam
