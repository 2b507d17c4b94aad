import { createHash } from 'node:crypto';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { DISTRICTS, loadCatalog } from '@matcher/catalog';
import { matchIds, matchProfile, Ruleset } from '@matcher/engine';
import { generateProfiles } from './profiles';
const rs = new Ruleset(loadCatalog());
const ps = generateProfiles(3000, 7);
const lines: string[] = []; let size = 0;
ps.forEach((p, i) => {
  const opts = i % 5 === 0 ? { asOf: '2024-03-01', includeExpired: false, districts: [DISTRICTS[i % 3], DISTRICTS[(i + 1) % 3]] } : i % 7 === 0 ? { asOf: '2026-02-01', districts: [...DISTRICTS] } : { asOf: '2025-06-01' };
  const j = JSON.stringify(matchProfile(rs, p, opts)); size += j.length; lines.push(i < 50 ? j : createHash('sha1').update(j).digest('hex'));
  lines.push(JSON.stringify(matchIds(rs, p)));
  lines.push(JSON.stringify(matchIds(rs, p, [...DISTRICTS])));
});
const text = lines.join('\n'); console.log('avg outcome JSON', Math.round(size / ps.length));
const file = '/tmp/bw/golden.txt';
if (process.argv[2] === 'write' || !existsSync(file)) { writeFileSync(file, text); console.log('written', createHash('sha256').update(text).digest('hex'), text.length); }
else { const old = readFileSync(file, 'utf8').split('\n'); let d = 0; lines.forEach((l, i) => { if (l !== old[i]) { if (d++ < 3) console.log('DIFF line', i, '\n', old[i].slice(0, 600), '\n', l.slice(0, 600)); } }); console.log(d ? `${d} differing lines` : `identical ${lines.length} lines`); }
