// Draft checker used while authoring one document's rules; `npm run rules:check` is the real gate.
// usage: node scripts/check-draft.cjs <district> <documentId>
const fs = require('fs');
const path = require('path');
const { Engine } = require('json-rules-engine');
const [district, docId] = process.argv.slice(2);
const root = path.resolve(__dirname, '..');
const problems = [];
const strip = (s) => s.replace(/\s+/g, '');
const text = strip(fs.readFileSync(path.join(root, 'seeds/documents', docId + '.txt'), 'utf8'));
const schema = JSON.parse(fs.readFileSync(path.join(root, '../shared/spec/company-profile.schema.json'), 'utf8'));
const extFile = path.join(root, 'libs/catalog/src/data/profile-extensions.json');
const ext = JSON.parse(fs.readFileSync(extFile, 'utf8')).codes.map((c) => ({ ...c, field: c.extends }));
const codes = {
  'location.$.district': schema.properties.location.properties.district.enum,
  'location.$.area': schema.properties.location.properties.area.enum,
  sectors: schema.$defs.sector.enum,
};
for (const f of ['headquarters', 'qualifications', 'roles', 'plans', 'talent']) codes[f] = [...schema.properties[f].items.enum];
for (const f of ['ownership', 'size', 'listing', 'headquartersRecognition']) codes[f] = [...schema.properties[f].enum];
for (const e of ext) (codes[e.field] ||= []).push(e.code);
const metrics = Object.keys(schema.properties.metrics.properties);
const ops = { sectorIn: 'sectors', hasAny: null, in: null, equal: null, greaterThanInclusive: null, lessThanInclusive: null };

const rules = JSON.parse(fs.readFileSync(path.join(root, 'rules', district, docId + '.json'), 'utf8'));
const ids = new Set();
for (const r of rules) {
  const p = r.event && r.event.params;
  const where = r.name;
  if (!p || p.measureId !== r.name) problems.push(`${where}: event.params.measureId must equal name`);
  if (ids.has(r.name)) problems.push(`${where}: duplicate id`);
  ids.add(r.name);
  for (const k of ['title', 'titleEn', 'summary', 'summaryEn', 'departments', 'source', 'supportType', 'validity'])
    if (p[k] === undefined) problems.push(`${where}: missing ${k}`);
  if (p.district !== district) problems.push(`${where}: district`);
  if (!p.source || p.source.documentId !== docId) problems.push(`${where}: source.documentId`);
  if (p.source && !text.includes(strip(p.source.quote || ''))) problems.push(`${where}: quote not found verbatim: ${p.source.quote}`);
  if (p.source && (!Array.isArray(p.source.section) || !p.source.section.length)) problems.push(`${where}: section path`);
  for (const d of p.departments || []) if (!d.name || !['document', 'inferred'].includes(d.source)) problems.push(`${where}: department ${JSON.stringify(d)}`);
  const names = new Set();
  const walk = (c, top) => {
    if (!c.name) problems.push(`${where}: unnamed condition ${JSON.stringify(c).slice(0, 80)}`);
    else if (names.has(c.name)) problems.push(`${where}: duplicate condition name ${c.name}`);
    names.add(c.name);
    for (const b of ['all', 'any']) if (c[b]) return c[b].forEach((x) => walk(x));
    if (c.not) return walk(c.not);
    if (!(c.operator in ops)) problems.push(`${where}: operator ${c.operator}`);
    if (c.fact === 'metrics') { if (!metrics.includes((c.path || '').slice(2))) problems.push(`${where}: metric ${c.path}`); return; }
    const key = c.path ? `${c.fact}.${c.path}` : c.fact;
    const allowed = codes[key];
    if (!allowed) return problems.push(`${where}: unknown fact ${key}`);
    for (const v of [].concat(c.value)) if (!allowed.includes(v)) problems.push(`${where}: unknown code ${key}=${v}`);
  };
  walk(r.conditions, true);
  const first = r.conditions.all && r.conditions.all[0];
  if (!first || first.name !== 'location' || first.value !== district) problems.push(`${where}: first condition must be location`);
}

const engine = new Engine(rules, { allowUndefinedFacts: true });
const within = (c, v) => Array.isArray(c) && c.some((s) => v.some((x) => s === x || s.startsWith(x + '/')));
engine.addOperator('sectorIn', (a, b) => within(a, b));
engine.addOperator('hasAny', (a, b) => Array.isArray(a) && a.some((x) => b.includes(x)));
const casesFile = path.join(root, 'test/rules', district, docId + '.cases.json');
const cases = fs.existsSync(casesFile) ? JSON.parse(fs.readFileSync(casesFile, 'utf8')) : {};
(async () => {
  for (const id of ids) {
    const list = cases[id] || [];
    if (!list.some((c) => c.expect === 'match') || !list.some((c) => c.expect === 'no-match')) problems.push(`${id}: needs a match and a no-match case`);
    for (const c of list) {
      const { results } = await engine.run(JSON.parse(JSON.stringify(c.profile)));
      const got = results.some((r) => r.name === id) ? 'match' : 'no-match';
      if (got !== c.expect) problems.push(`${id}: case "${c.case}" expected ${c.expect}, got ${got}`);
    }
  }
  for (const id of Object.keys(cases)) if (!ids.has(id)) problems.push(`cases for unknown measure ${id}`);
  const covFile = path.join(root, 'rules', district, docId + '.coverage.json');
  const cov = fs.existsSync(covFile) ? JSON.parse(fs.readFileSync(covFile, 'utf8')) : [];
  const covered = new Set(cov.map((c) => strip(c.heading)));
  const raw = fs.readFileSync(path.join(root, 'seeds/documents', docId + '.txt'), 'utf8');
  const headingRe = /^\s*((?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．](?!\d))\s*\S.*)$/;
  for (const line of raw.split(/\r?\n/)) {
    const m = headingRe.exec(line);
    if (m && !/(\t\d+|\.{3,}.*)$/.test(line) && !covered.has(strip(m[1]))) problems.push(`coverage: heading not accounted for: ${m[1].trim()}`);
  }
  for (const line of raw.split(/\r?\n/)) if (line.includes('(责任部门')) { const lead = line.trim().split('。')[0]; if (!covered.has(strip(lead))) problems.push(`coverage: lead phrase not accounted for: ${lead}`); }
  for (const m of raw.matchAll(/\*\*([^*]+)\*\*/g)) if (!covered.has(strip(m[1]))) problems.push(`coverage: bold phrase not accounted for: ${m[1]}`);
  const mentioned = new Set(cov.flatMap((c) => c.measures || []));
  for (const id of ids) if (!mentioned.has(id)) problems.push(`coverage: measure ${id} not linked from any heading`);
  for (const c of cov) for (const id of c.measures || []) if (!ids.has(id)) problems.push(`coverage: unknown measure ${id}`);
  for (const c of cov) if (!(c.measures && c.measures.length) && !c.reason) problems.push(`coverage: "${c.heading}" has neither measures nor reason`);
  console.log(`${docId}: ${rules.length} measures, ${Object.values(cases).flat().length} cases, ${cov.length} coverage entries, ${problems.length} problems`);
  for (const p of problems) console.log(' - ' + p);
  process.exit(problems.length ? 1 : 0);
})();
