/**
 * autocannon in a worker thread, so the load generator does not share the event loop of the app it
 * measures. workerData: { url, connections, duration, bodies: string[] }. Posts autocannon's result.
 */
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require('autocannon');

const { url, connections, duration, bodies } = workerData;
let next = 0;

autocannon(
  {
    url,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A rotating set of bodies: each request takes the next one.
        setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
      },
    ],
  },
  (err, result) => {
    if (err) parentPort.postMessage({ error: String(err && err.stack ? err.stack : err) });
    else parentPort.postMessage({ result: JSON.parse(JSON.stringify(result)) });
  },
);
