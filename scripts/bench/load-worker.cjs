/**
 * autocannon in a child process, so the load generator neither shares the event loop nor the heap of the
 * app it measures (autocannon in a worker thread reports raw histograms instead of its summary).
 * Receives { url, connections, duration, bodies: string[], method?, headers? } over IPC; sends back { result } or
 * { error }. Without bodies the requests carry none (GET /health); headers add to content-type (Accept-Encoding…).
 */
const autocannon = require('autocannon');

process.once('message', ({ url, connections, duration, bodies, method = 'POST', headers = {} }) => {
  let next = 0;
  autocannon(
    {
      url,
      connections,
      duration,
      requests: [
        bodies && bodies.length
          ? {
              method,
              headers: { 'content-type': 'application/json', ...headers },
              // A rotating set of bodies: each request takes the next one.
              setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
            }
          : { method, headers },
      ],
    },
    (err, result) => {
      const message = err ? { error: String(err && err.stack ? err.stack : err) } : { result };
      process.send(message, () => process.exit(0));
    },
  );
});
