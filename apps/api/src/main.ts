import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { runPrimary, workerCount } from './cluster';
import { Environment, validateEnvironment } from './config/environment';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(), { bodyParser: false, bufferLogs: false });
  configureApp(app);
  const env = app.get(Environment);
  const server = await app.listen(env.PORT, env.HOST);
  server.requestTimeout = env.REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(60_000, env.REQUEST_TIMEOUT_MS);
  // Graceful stop: no new connections, in-flight requests finish, audit flushed, jobs paused, then exit 0.
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      new Logger('Matcher').log(`${signal}: shutting down`);
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err instanceof Error ? err.message : err);
          process.exit(1);
        },
      );
    });
  }
  new Logger('Matcher').log(`listening on http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT} — API /api/v1, OpenAPI /docs`);
}

/** One process, or (WORKERS > 1, on PostgreSQL) a primary that runs that many processes of the service on one port. */
async function main(): Promise<void> {
  if (cluster.isPrimary) {
    const workers = workerCount(validateEnvironment({ ...process.env }));
    if (workers > 1) return runPrimary(workers);
  }
  await bootstrap();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
