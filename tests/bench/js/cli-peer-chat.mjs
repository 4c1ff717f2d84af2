// The Node peer of `qalam-cli chat --protocol openai --url BASE PROMPT`: the official `openai`
// SDK streaming a chat completion and writing each delta's text to stdout as it arrives.
//
//   node cli-peer-chat.mjs BASE_URL
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.argv[2], apiKey: 'bench', maxRetries: 0 });
const stream = await client.chat.completions.create({
    model: 'qalam-bench',
    messages: [{ role: 'user', content: 'question' }],
    stream: true,
    stream_options: { include_usage: true },
});
for await (const chunk of stream) {
    const text = chunk.choices[0]?.delta?.content;
    if (text)
        process.stdout.write(text);
}
