import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { Logger } from '@nestjs/common';
import type { Environment } from './config/environment';

/** How many processes serve the port: WORKERS (0 = one per core); more than one only on PostgreSQL. */
export function workerCount(env: Pick<Environment, 'WORKERS' | 'DATABASE_URL'>): number {
  const wanted = env.WORKERS === 0 ? availableParallelism() : env.WORKERS;
  if (wanted > 1 && !env.DATABASE_URL)
    throw new Error(
      `WORKERS=${env.WORKERS} needs DATABASE_URL: the embedded database (PGlite) can be opened by one process only, so without PostgreSQL the service runs as one process.`,
    );
  return wanted;
}

/**
 * The primary of a multi-process service: it serves nothing itself; node:cluster hands each connection on the
 * shared port to the next worker. The first worker starts alone (migrations, the baseline ruleset import and the
 * first administrator run once), then the rest. Each worker follows ruleset switches itself (LISTEN/NOTIFY),
 * so a publish or roll-back on any worker reaches all. A worker that dies is replaced; SIGTERM/SIGINT stop
 * every worker gracefully, then the primary exits.
 */
export function runPrimary(workers: number): void {
  const logger = new Logger('Cluster');
  let stopping = false;
  let started = 0;
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.once('listening', () => {
      started += 1;
      if (started < workers && !stopping) fork();
    });
    return worker;
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    if (started === 0) {
      // The first worker never listened: a start-up error (configuration, database) that the next would repeat.
      logger.error(`worker ${worker.process.pid} could not start (${signal ?? code}); stopping`);
      process.exit(1);
    }
    logger.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    // A worker that cannot start (bad configuration, database away) would die at once again: wait a little.
    setTimeout(() => cluster.fork(), 1000).unref();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      stopping = true;
      logger.log(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} workers`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  logger.log(`starting ${workers} workers on one port`);
  fork();
}
