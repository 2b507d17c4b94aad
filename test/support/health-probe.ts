/**
 * Asks `${base}/api/v1/health` every 50 ms while `run` goes on, to show the service answering meanwhile: what `run`
 * gave, the slowest answer, how many probes were made and every status they got.
 */
export async function healthDuring<T>(base: string, run: () => Promise<T>): Promise<{ result: T; slowestMs: number; probes: number; statuses: number[] }> {
  let slowestMs = 0;
  const statuses: number[] = [];
  let done = false;
  const probe = (async () => {
    while (!done) {
      const t0 = performance.now();
      const health = await fetch(`${base}/api/v1/health`);
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      statuses.push(health.status);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const result = await run();
    return { result, slowestMs, probes: statuses.length, statuses };
  } finally {
    done = true;
    await probe;
  }
}
