import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/app.setup';
async function main() {
  const app = await NestFactory.create(AppModule.forRoot({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: 0 }), {
    bodyParser: false,
    logger: ['error'],
  });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const body = JSON.stringify({ profile: { location: { district: 'jingan' }, sectors: Array.from({ length: 50000 }, (_, i) => `a${i}`) } });
  for (let k = 0; k < 4; k++) {
    const t = performance.now();
    const r = await fetch(`${base}/api/v1/match`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const x = await r.text();
    console.log(r.status, x.length, performance.now() - t);
  }
  await app.close();
}
main();
