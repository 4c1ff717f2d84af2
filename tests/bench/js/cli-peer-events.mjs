// The Node peer of `qalam-cli events URL`: the npm `eventsource` package (the EventSource of
// browsers, for Node), printing each event as the same JSON line qalam-cli prints. Ends when the
// server ends the stream (EventSource would reconnect; qalam-cli's default budget is 0).
//
//   node cli-peer-events.mjs URL
import { EventSource } from 'eventsource';

const source = new EventSource(process.argv[2]);
source.onmessage = (event) => {
    process.stdout.write(
        JSON.stringify({ type: event.type, data: event.data, id: event.lastEventId }) + '\n'
    );
};
source.onerror = () => source.close();
