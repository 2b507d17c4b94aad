import { loadCatalog } from '@matcher/catalog';
import { createReferenceEngine, Ruleset, profileIn } from '@matcher/engine';
async function main() {
  const c = loadCatalog();
  const engine = createReferenceEngine(c.rules);
  const rs = new Ruleset(c);
  const p = { location: { district: 'xuhui', area: 'xuhui/west-bund' }, sectors: ['ai/robotics', 'life-health'], qualifications: ['high-tech-enterprise'], plans: ['ipo', 'set-up-rd-center'], roles: ['chain-leader'] };
  const f = profileIn(p as any, 'xuhui');
  for (let i = 0; i < 50; i++) await engine.run(f);
  let t = process.hrtime.bigint();
  for (let i = 0; i < 200; i++) await engine.run(f);
  console.log('engine/s', 200 / (Number(process.hrtime.bigint() - t) / 1e9));
  t = process.hrtime.bigint(); let n = 0;
  for (let i = 0; i < 200000; i++) for (const r of rs.rules) if (r.match(f) === 1) n++;
  console.log('compiled/s', 200000 / (Number(process.hrtime.bigint() - t) / 1e9), n);
}
main();
