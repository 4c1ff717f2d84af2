// JavaScript SSE parsers on the same bytes as bench_sse_parser, fed the same way (16 KiB chunks).
//
//   node bench.mjs STREAM_FILE [--reps N]
//
// STREAM_FILE comes from `bench_sse_parser --write STREAM_FILE`. Every parser gets the decode
// step it needs: string-based parsers get a streaming TextDecoder (so a code point split between
// chunks is not broken), byte-based ones decode themselves. Parsers that only come as Web
// Streams run through a ReadableStream of the same chunks, as they would on a fetch() body.
// Figures are MiB/s (1 MiB = 1048576 bytes) of the input, best and median of N runs.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const CHUNK = 16 * 1024;
const MIB = 1024 * 1024;

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const repsArg = args.indexOf('--reps');
const reps = repsArg >= 0 ? Math.max(1, Number(args[repsArg + 1])) : 7;
if (!file) {
    console.error('usage: node bench.mjs STREAM_FILE [--reps N]');
    process.exit(2);
}

const bytes = new Uint8Array(readFileSync(file));
const chunks = [];
for (let offset = 0; offset < bytes.length; offset += CHUNK)
    chunks.push(bytes.subarray(offset, Math.min(offset + CHUNK, bytes.length)));

// Read from disk: some packages' "exports" do not expose package.json.
function version(name) {
    const url = new URL(`./node_modules/${name}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(url, 'utf8')).version;
}

// Each run returns { events, chars }; chars (the summed data lengths) keeps the work observable.
async function measure(name, run) {
    const seconds = [];
    let result;
    for (let i = 0; i < reps; ++i) {
        globalThis.gc?.(); // with --expose-gc: one run's garbage is not collected in the next
        const start = performance.now();
        result = await run();
        seconds.push((performance.now() - start) / 1000);
    }
    seconds.sort((a, b) => a - b);
    return { name, best: seconds[0], median: seconds[Math.floor(seconds.length / 2)], ...result };
}

function* decodedChunks() {
    const decoder = new TextDecoder('utf-8');
    for (const chunk of chunks)
        yield decoder.decode(chunk, { stream: true });
    const tail = decoder.decode();
    if (tail)
        yield tail;
}

function chunkStream() {
    let i = 0;
    return new ReadableStream({
        pull(controller) {
            if (i < chunks.length)
                controller.enqueue(chunks[i++]);
            else
                controller.close();
        },
    });
}

const benches = [];

benches.push([
    'TextDecoder stream decode only (JS)',
    async () => {
        let chars = 0;
        for (const text of decodedChunks())
            chars += text.length;
        return { events: 0, chars };
    },
]);

const esp3 = await import('eventsource-parser');
benches.push([
    `eventsource-parser ${version('eventsource-parser')} + TextDecoder`,
    async () => {
        let events = 0;
        let chars = 0;
        const parser = esp3.createParser({
            onEvent(event) {
                ++events;
                chars += event.data.length;
            },
        });
        for (const text of decodedChunks())
            parser.feed(text);
        return { events, chars };
    },
]);

// The Node way to read an OpenAI stream's deltas: the fastest parser above, then JSON.parse of
// each chunk (what the openai SDK does too). Counts the content's UTF-16 units, like the C++ row.
benches.push([
    `eventsource-parser ${version('eventsource-parser')} + JSON.parse deltas`,
    async () => {
        let events = 0;
        let chars = 0;
        const parser = esp3.createParser({
            onEvent(event) {
                ++events;
                if (event.data === '[DONE]')
                    return;
                const chunk = JSON.parse(event.data);
                const content = chunk.choices?.[0]?.delta?.content;
                if (content)
                    chars += content.length;
            },
        });
        for (const text of decodedChunks())
            parser.feed(text);
        return { events, chars };
    },
]);

// v4 declares node >= 22.12 but runs on 20; skip it where it does not load.
try {
    const esp4 = await import('eventsource-parser-v4');
    benches.push([
        `eventsource-parser ${version('eventsource-parser-v4')} + TextDecoder`,
        async () => {
            let events = 0;
            let chars = 0;
            const parser = esp4.createParser({
                onEvent(event) {
                    ++events;
                    chars += event.data.length;
                },
            });
            for (const text of decodedChunks())
                parser.feed(text);
            return { events, chars };
        },
    ]);
} catch (error) {
    console.error(`eventsource-parser v4 skipped: ${error.message}`);
}

// fetch-event-source exports its byte-level line splitter and message assembler only from lib/.
const fes = require('@microsoft/fetch-event-source/lib/cjs/parse.js');
benches.push([
    `@microsoft/fetch-event-source ${version('@microsoft/fetch-event-source')} (bytes)`,
    async () => {
        let events = 0;
        let chars = 0;
        const onChunk = fes.getLines(
            fes.getMessages(
                () => {},
                () => {},
                (message) => {
                    ++events;
                    chars += message.data.length;
                }
            )
        );
        for (const chunk of chunks)
            onChunk(chunk);
        return { events, chars };
    },
]);

const sss = await import('@server-sent-stream/parser');
benches.push([
    `@server-sent-stream/parser ${version('@server-sent-stream/parser')} + TextDecoder`,
    async () => {
        let events = 0;
        let chars = 0;
        const parser = new sss.default((data) => {
            ++events;
            chars += data.length;
        });
        for (const text of decodedChunks())
            parser.push(text);
        parser.end();
        return { events, chars };
    },
]);

const parseSse = await import('parse-sse');
benches.push([
    `parse-sse ${version('parse-sse')} (Web Streams)`,
    async () => {
        let events = 0;
        let chars = 0;
        const stream = chunkStream()
            .pipeThrough(new TextDecoderStream())
            .pipeThrough(new parseSse.ServerSentEventTransformStream());
        for await (const event of stream) {
            ++events;
            chars += event.data.length;
        }
        return { events, chars };
    },
]);

const fetchEventStream = await import('fetch-event-stream');
benches.push([
    `fetch-event-stream ${version('fetch-event-stream')} (Web Streams)`,
    async () => {
        let events = 0;
        let chars = 0;
        for await (const event of fetchEventStream.events(new Response(chunkStream()))) {
            ++events;
            chars += event.data?.length ?? 0;
        }
        return { events, chars };
    },
]);

console.log(
    `node:       ${process.version} (V8 ${process.versions.v8}), ${reps} runs per figure, ` +
        `${bytes.length} bytes in ${chunks.length} chunks`
);

const results = [];
for (const [name, run] of benches)
    results.push(await measure(name, run));

const expected = results.find((r) => r.events > 0)?.events;
for (const r of results) {
    if (r.events > 0 && r.events !== expected)
        console.error(`warning: ${r.name} counted ${r.events} events, others ${expected}`);
}

// The same row layout as bench_sse_parser, so run-parser-bench.sh can merge the two tables.
const mib = bytes.length / MIB;
const row = (a, b, c, d) =>
    `| ${a.padEnd(50)} | ${b.padStart(10)} | ${c.padStart(12)} | ${d.padStart(15)} |`;
console.log(row('consumer (16 KiB chunks)', 'best MiB/s', 'median MiB/s', 'events/s (best)'));
console.log(`|${'-'.repeat(52)}|${'-'.repeat(12)}|${'-'.repeat(14)}|${'-'.repeat(17)}|`);
for (const r of results) {
    console.log(
        row(
            r.name,
            (mib / r.best).toFixed(0),
            (mib / r.median).toFixed(0),
            r.events ? (r.events / r.best).toFixed(0) : '-'
        )
    );
}
