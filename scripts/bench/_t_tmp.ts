import { loadCatalog } from '@matcher/catalog';
import { matchIds, matchProfile, Ruleset } from '@matcher/engine';
import { generateProfiles } from './profiles';
const mode = process.argv[2];
let t = process.hrtime.bigint();
const s = () => Number(process.hrtime.bigint() - t) / 1e9;
const ps = generateProfiles(20000, 1);
const rs = new Ruleset(loadCatalog());
t = process.hrtime.bigint(); let n = 0;
if (mode === 'ids') { for (let k=0;k<3;k++) for (let i = 0; i < 20000; i++) n += matchIds(rs, ps[i]).length; console.log('ids 60k', s(), n); }
else { for (let i = 0; i < 2000; i++) { const o = matchProfile(rs, ps[i], { asOf: '2025-06-01' }); n += o.nearMisses.length; } console.log('explained 2k', s(), n); }
