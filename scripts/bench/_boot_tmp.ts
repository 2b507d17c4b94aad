import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/app.setup';
import { generateRequestBodies } from './profiles';
async function main() {
  const app = await NestFactory.create(AppModule.forRoot({ DATABASE_URL: undefined, DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }), { bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as any).port;
  const bodies = generateRequestBodies(256, 20250602);
  const sizes: number[] = []; const ts: number[] = [];
  for (const b of bodies) { const t = performance.now(); const r = await fetch(`http://127.0.0.1:${port}/api/v1/match`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) }); const txt = await r.text(); ts.push(performance.now() - t); if (r.status !== 200) console.log(r.status, txt.slice(0, 300)); sizes.push(txt.length); }
  sizes.sort((a, b) => a - b); ts.sort((a, b) => a - b);
  console.log('size median', sizes[128], 'p90', sizes[230], 'max', sizes[255], 'latency median', ts[128].toFixed(2), 'p90', ts[230].toFixed(2));
  const j = JSON.parse(await (await fetch(`http://127.0.0.1:${port}/api/v1/match`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bodies[0]) })).text());
  console.log(Object.keys(j), j.matches.length, j.nearMisses.length, JSON.stringify(j.matches).length, JSON.stringify(j.nearMisses).length, JSON.stringify(j.questions).length);
  console.log(JSON.stringify(j.nearMisses[0]).length, JSON.stringify(j.nearMisses[0].source).length, JSON.stringify(j.nearMisses[0].explanation).length);
  await app.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
