// qalam-cli against its Node peers on the same bytes over loopback (run-cli-bench.sh runs it):
//   events: `qalam-cli events URL` vs the npm eventsource package printing the same JSON lines
//   chat:   `qalam-cli chat --protocol openai` vs the official openai SDK printing the deltas
// One local HTTP server (in this process) serves the stream written by
// `bench_sse_parser --write` on GET /events and the one-answer stream written by
// `--write-answer` on POST /v1/chat/completions. Each client's stdout is piped here, counted and
// hashed, so every client must print exactly the same bytes. Runs alternate between the clients;
// the figure is the median wall time from spawn to exit.
//
//   node cli-bench.mjs --stream FILE --answer FILE --cli NAME=PATH [--cli NAME=PATH]... [--reps N]
//                      [--only events|chat]
//   node cli-bench.mjs --stream FILE --answer FILE --serve   (just serve, e.g. for a profiler)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const MIB = 1024 * 1024;

const args = process.argv.slice(2);
const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
};
const clis = [];
for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--cli') {
        const [name, ...path] = args[i + 1].split('=');
        clis.push({ name, path: path.join('=') });
    }
}
const reps = Math.max(1, Number(option('--reps') ?? 5));
const only = option('--only');
const serveOnly = args.includes('--serve');
if (!option('--stream') || !option('--answer') || (clis.length === 0 && !serveOnly)) {
    console.error('usage: node cli-bench.mjs --stream FILE --answer FILE --cli NAME=PATH... [--reps N]');
    process.exit(2);
}
const stream = readFileSync(option('--stream'));
const answer = readFileSync(option('--answer'));

const server = createServer((request, response) => {
    request.resume(); // the POST body is not needed
    request.on('end', () => {
        const body = request.method === 'POST' ? answer : stream;
        response.writeHead(200, {
            'Content-Type': 'text/event-stream',
            'Cache-Control': 'no-cache',
            'Content-Length': body.length,
        });
        response.end(body);
    });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
const eventsUrl = `http://127.0.0.1:${port}/events`;
const apiBase = `http://127.0.0.1:${port}/v1`;
if (serveOnly) {
    console.log(`serving ${eventsUrl} (GET) and ${apiBase}/chat/completions (POST); Ctrl-C ends`);
    await new Promise(() => {});
}

function run(command, argv) {
    return new Promise((resolve, reject) => {
        const start = performance.now();
        const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
        const hash = createHash('sha256');
        let bytes = 0;
        child.stdout.on('data', (data) => {
            bytes += data.length;
            hash.update(data);
        });
        child.on('error', reject);
        child.on('close', (code) => {
            const seconds = (performance.now() - start) / 1000;
            if (code !== 0)
                reject(new Error(`${command} ${argv.join(' ')} exited with ${code}`));
            else
                resolve({ seconds, bytes, hash: hash.digest('hex') });
        });
    });
}

const suites = [
    {
        name: 'events',
        input: stream.length,
        clients: [
            ...clis.map((c) => ({
                name: `qalam-cli events (${c.name})`,
                command: c.path,
                argv: ['events', eventsUrl],
            })),
            {
                name: `npm eventsource ${version('eventsource')}`,
                command: process.execPath,
                argv: [join(here, 'cli-peer-events.mjs'), eventsUrl],
                peer: true,
            },
        ],
    },
    {
        name: 'chat',
        input: answer.length,
        clients: [
            ...clis.map((c) => ({
                name: `qalam-cli chat --protocol openai (${c.name})`,
                command: c.path,
                argv: ['chat', '--protocol', 'openai', '--url', apiBase, 'question'],
            })),
            {
                name: `openai SDK ${version('openai')} (Node)`,
                command: process.execPath,
                argv: [join(here, 'cli-peer-chat.mjs'), apiBase],
                peer: true,
            },
        ],
    },
];

function version(name) {
    return JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
}

console.log(`node:       ${process.version}, ${reps} alternating runs per client, stdout piped`);
const row = (a, b, c, d, e) =>
    `| ${a.padEnd(46)} | ${b.padStart(9)} | ${c.padStart(9)} | ${d.padStart(9)} | ${e.padStart(9)} |`;
console.log(row('client (64 MiB over loopback)', 'median s', 'best s', 'MiB/s', 'vs peer'));
console.log(`|${'-'.repeat(48)}|${'-'.repeat(11)}|${'-'.repeat(11)}|${'-'.repeat(11)}|${'-'.repeat(11)}|`);
let failed = false;
for (const suite of suites) {
    if (only && suite.name !== only)
        continue;
    const times = suite.clients.map(() => []);
    const outputs = suite.clients.map(() => new Set());
    for (let rep = 0; rep < reps; ++rep) {
        for (const [i, client] of suite.clients.entries()) {
            const result = await run(client.command, client.argv);
            times[i].push(result.seconds);
            outputs[i].add(`${result.hash} ${result.bytes}`);
        }
    }
    const all = new Set(outputs.flatMap((set) => [...set]));
    if (all.size !== 1) {
        failed = true;
        console.error(`${suite.name}: the clients printed different bytes:`);
        suite.clients.forEach((c, i) => console.error(`  ${c.name}: ${[...outputs[i]].join(', ')}`));
    }
    const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
    const peerIndex = suite.clients.findIndex((c) => c.peer);
    const peerMedian = median(times[peerIndex]);
    for (const [i, client] of suite.clients.entries()) {
        const m = median(times[i]);
        console.log(
            row(
                client.name,
                m.toFixed(3),
                Math.min(...times[i]).toFixed(3),
                (suite.input / MIB / m).toFixed(1),
                `${(peerMedian / m).toFixed(2)}x`
            )
        );
    }
    console.log(`(${suite.name}: every client printed ${[...all][0].split(' ')[1]} identical bytes)`);
}
server.close();
process.exit(failed ? 1 : 0);
