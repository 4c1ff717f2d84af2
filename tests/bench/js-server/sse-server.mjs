// better-sse serving what bench_demo_server's client expects of the demo server's admin stream:
// hello, progress, DELTAS deltas at RATE per second ({"seq","text"}), done; ids "<stream>.<n>";
// the response ends after done and the client asks again on the same keep-alive connection.
// One setInterval per stream (Node keeps same-duration timers in one list), better-sse's own
// keep-alive comments every HEARTBEAT ms.
//
//   node sse-server.mjs [--port N] [--rate R] [--deltas N] [--heartbeat-ms MS]
//
// Prints "listening PORT" once it listens.

import http from 'node:http';
import { createSession } from 'better-sse';

const args = process.argv.slice(2);
const option = (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args[at + 1]) : fallback;
};
const port = option('port', 0);
const rate = option('rate', 10);
const deltas = option('deltas', 400);
const heartbeatMs = option('heartbeat-ms', 5000);

const words = ' Streaming answers arrive as events, each one a small piece of text that the client shows at once'.split(/(?= )/);
let streams = 0;

const server = http.createServer(async (req, res) => {
    if (!req.url.startsWith('/api/v1/stream/chat')) {
        res.statusCode = 404;
        res.end();
        return;
    }
    const session = await createSession(req, res, { keepAlive: heartbeatMs, retry: 2000 });
    const id = `s-${++streams}`;
    let n = 0;
    session.push({ stream_id: id, model: 'better-sse', created: Math.floor(Date.now() / 1000) },
                 'hello', `${id}.${n++}`);
    session.push({ stage: 'generating', message: 'Writing the answer', percent: 0 }, 'progress',
                 `${id}.${n++}`);
    let seq = 0;
    const timer = setInterval(() => {
        ++seq;
        session.push({ seq, text: words[seq % words.length] }, 'delta', `${id}.${n++}`);
        if (seq === deltas) {
            clearInterval(timer);
            session.push({ finish_reason: 'stop', deltas, usage: {} }, 'done', `${id}.${n++}`);
            res.end();
        }
    }, 1000 / rate);
    res.on('close', () => clearInterval(timer));
});
server.keepAliveTimeout = 120000;
server.headersTimeout = 125000;
server.requestTimeout = 0;
server.listen(port, '127.0.0.1', () => {
    console.log(`listening ${server.address().port}`);
});
