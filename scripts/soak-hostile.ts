/**
 * `npm run soak:hostile` (outside CI): the service as its own process (default limits) while
 * two clients send, for SOAK_SECONDS (default 30), the amplification inputs issue 12 found: 489 KB and 800 KB
 * code lists, JSON with NUL, an XLSX whose 60 KB hold 2 million shared strings, 400 KB of blank CSV lines,
 * 100,000 short CSV rows, rows of 2,000 bad codes, the match route in capitals, and those issue 21 found: a draft
 * bundle of 1,500 quoted not-a-measure cases, a CSV of 60,000 columns, NDJSON of 80,000 distinct keys and an XLSX
 * of 20,000 rows each with a cell at column XFD. A third client times
 * GET /health every 100 ms. Prints the health latencies and the answers seen; exits 1 when /health took
 * 200 ms or more at p99, or any input got a 5xx. Database: a fresh one on TEST_DATABASE_URL's server, else the
 * embedded PGlite (in a worker thread of the service: its large INSERTs no longer hold the event loop).
 * SOAK_ONLY=<part of an input's name> sends only the inputs it names; SOAK_CPU_PROF=<dir> profiles the service.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { bundleFromFiles, projectRoot } from '@matcher/catalog';
import { createScratchDatabase, dropScratchDatabase, freePort } from '../test/support/scratch';
import { readZip, worksheetsLast, writeZip } from '../test/support/zip';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 30);
const KEY = 'soak-admin-key-0123456789abcdefgh';
const root = join(__dirname, '..');

/** A real workbook whose sharedStrings.xml is replaced by `count` tiny entries (deflate makes it small). */
async function sharedStringsBomb(count: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('p').addRow(['企业名称', '所在区']);
  const entries = readZip(Buffer.from(await wb.xlsx.writeBuffer()));
  const xml = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${count}" uniqueCount="${count}">${'<si><t>a</t></si>'.repeat(count)}</sst>`;
  entries.set('xl/sharedStrings.xml', Buffer.from(xml));
  return writeZip(worksheetsLast(entries));
}

/** A workbook of `rows` rows, each holding one cell at column XFD (exceljs would expand each to 16,384 cells). */
function farRightWorkbook(rows: number): Buffer {
  const cells = Array.from({ length: rows }, (_, i) => `<row r="${i + 2}"><c r="XFD${i + 2}" t="inlineStr"><is><t>x</t></is></c></row>`).join('');
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rels = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const pkg = 'http://schemas.openxmlformats.org/package/2006/relationships';
  return writeZip([
    [
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ],
    [
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}"><Relationship Id="rId1" Type="${rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${main}" xmlns:r="${rels}"><sheets><sheet name="p" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${pkg}"><Relationship Id="rId1" Type="${rels}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ],
    [
      'xl/worksheets/sheet1.xml',
      `<worksheet xmlns="${main}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>所在区</t></is></c></row>${cells}</sheetData></worksheet>`,
    ],
  ]);
}

/**
 * A draft bundle of one document whose cases file carries `count` not-a-measure cases quoting its text: each
 * quote was compared with every measure's quote through 12-character windows before quotes were indexed.
 */
function quoteHeavyBundle(count: number): string {
  const bundle = bundleFromFiles(projectRoot(), { documentIds: ['jingan-modern-industry-measures-2024'], description: 'soak: many quotes' });
  const doc = bundle.documents![0];
  // The document's department list as the repository writes it carries nameEn, which the bundle envelope refuses.
  delete doc.departments;
  const text = (doc.text ?? '').replace(/\s+/g, '');
  doc.cases['soak-removed-entry'] = Array.from({ length: count }, (_, i) => {
    const at = (i * 97) % Math.max(1, text.length - 120);
    return { case: `quote ${i}`, expect: 'not-a-measure', profile: { location: { district: 'jingan' } }, quote: text.slice(at, at + 120) } as never;
  });
  return JSON.stringify(bundle);
}

type Input = { name: string; send: (base: string) => Promise<Response> };

async function inputs(): Promise<Input[]> {
  const json = (path: string, body: string) => (base: string) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const list = (n: number) => JSON.stringify({ profile: { location: { district: 'jingan' }, sectors: Array.from({ length: n }, (_, i) => `a${i}`) } });
  const upload = (name: string, content: Blob) => (base: string) => {
    const form = new FormData();
    form.append('file', content, name);
    return fetch(`${base}/api/v1/screenings`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form });
  };
  const bomb = await sharedStringsBomb(2_000_000);
  const draft = quoteHeavyBundle(1500);
  const wideCsv = `所在区,${Array.from({ length: 60_000 }, (_, i) => `c${i}`).join(',')}\njingan\n`;
  const keys = Array.from({ length: 800 }, (_, l) =>
    JSON.stringify(Object.fromEntries([['location', { district: 'jingan' }], ...Array.from({ length: 100 }, (_, k) => [`key_${l}_${k}`, 1])])),
  ).join('\n');
  const farRight = farRightWorkbook(20_000);
  const postDraft = (base: string) =>
    fetch(`${base}/api/v1/catalog/drafts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: draft });
  const bad = Array.from({ length: 2000 }, (_, i) => `bad${i}`).join(',');
  const codes = `企业名称,所在区,行业\n${Array.from({ length: 8 }, (_, i) => `企业${i},静安区,"${bad}"`).join('\n')}\n`;
  return [
    { name: 'sectors 489 KB', send: json('/api/v1/match', list(50_000)) },
    { name: 'sectors 800 KB', send: json('/api/v1/match', list(80_000)) },
    { name: 'NUL in a name', send: json('/api/v1/match', '{"profile":{"name":"poison\\u0000x","location":{"district":"jingan"}}}') },
    { name: '/API/v1/match', send: json('/API/v1/match', JSON.stringify({ profile: { location: { district: 'jingan' } } })) },
    { name: `xlsx bomb ${(bomb.length / 1024).toFixed(0)} KB`, send: upload('bomb.xlsx', new Blob([bomb])) },
    { name: 'csv 400 KB blank lines', send: upload('blank.csv', new Blob([`企业名称,所在区\n${'\n'.repeat(400_000)}甲,静安区\n`])) },
    { name: 'csv 100k short rows', send: upload('short.csv', new Blob([`企业名称,所在区,员工人数\n${'甲,静安区\n'.repeat(100_000)}`])) },
    { name: 'csv 8 rows x 2000 bad codes', send: upload('codes.csv', new Blob([codes])) },
    { name: `draft bundle ${(draft.length / 1024).toFixed(0)} KB`, send: postDraft },
    { name: `csv 60k columns ${(wideCsv.length / 1024).toFixed(0)} KB`, send: upload('wide.csv', new Blob([wideCsv])) },
    { name: `ndjson 80k keys ${(keys.length / 1024).toFixed(0)} KB`, send: upload('keys.ndjson', new Blob([keys])) },
    { name: `xlsx far right ${(farRight.length / 1024).toFixed(0)} KB`, send: upload('far-right.xlsx', new Blob([farRight])) },
  ];
}

const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'matcher-soak-hostile-'));
  const admin = process.env.TEST_DATABASE_URL;
  const scratch = admin ? await createScratchDatabase(admin, 'matcher_soak_hostile') : undefined;
  const database: Record<string, string> = scratch ? { DATABASE_URL: scratch } : { DATA_DIR: dir };
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // SOAK_CPU_PROF=<dir> writes the service's CPU profile there at exit (open it in Chrome DevTools): where the time goes.
  const profile = process.env.SOAK_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SOAK_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '-r', '@swc-node/register', join(root, 'apps/api/src/main.ts')], {
    cwd: root,
    env: { ...process.env, ...database, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_API_KEY: KEY, RATE_LIMIT_PER_MINUTE: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; i < 300; i++) {
      if ((await fetch(`${base}/api/v1/health`).catch(() => null))?.ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // SOAK_ONLY=<part of a name> sends just the matching inputs: to find which one holds the event loop.
    const only = process.env.SOAK_ONLY?.toLowerCase();
    const all = (await inputs()).filter((i) => !only || i.name.toLowerCase().includes(only));
    if (!all.length) throw new Error(`SOAK_ONLY=${only} matches no input`);
    const until = Date.now() + SECONDS * 1000;
    const seen = new Map<string, { statuses: Map<number, number>; maxMs: number; maxBytes: number }>();
    const client = async (offset: number): Promise<void> => {
      for (let i = offset; Date.now() < until; i++) {
        const input = all[i % all.length];
        const t0 = performance.now();
        const res = await input.send(base);
        const bytes = (await res.arrayBuffer()).byteLength;
        const s = seen.get(input.name) ?? { statuses: new Map(), maxMs: 0, maxBytes: 0 };
        s.statuses.set(res.status, (s.statuses.get(res.status) ?? 0) + 1);
        s.maxMs = Math.max(s.maxMs, performance.now() - t0);
        s.maxBytes = Math.max(s.maxBytes, bytes);
        seen.set(input.name, s);
      }
    };
    const health: number[] = [];
    const probe = async (): Promise<void> => {
      while (Date.now() < until) {
        const t0 = performance.now();
        await (await fetch(`${base}/api/v1/health`)).arrayBuffer();
        health.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await Promise.all([client(0), client(4), probe()]);
    let serverErrors = 0;
    for (const [name, s] of seen) {
      const statuses = [...s.statuses].map(([code, n]) => `${n}×${code}`).join(' ');
      serverErrors += [...s.statuses].filter(([code]) => code >= 500).reduce((n, [, c]) => n + c, 0);
      console.log(`  ${name.padEnd(30)} ${statuses.padEnd(14)} slowest ${s.maxMs.toFixed(0)} ms, largest answer ${s.maxBytes} B`);
    }
    const p99 = percentile(health, 99);
    const ok = p99 < 200 && serverErrors === 0;
    console.log(
      `soak:hostile: ${SECONDS} s on ${admin ? 'PostgreSQL' : 'embedded PGlite'}, /health ${health.length} probes: p50 ${percentile(health, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${Math.max(...health).toFixed(0)} ms; ${serverErrors} 5xx — ${ok ? 'OK' : 'FAILED'}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
    if (admin && scratch) await dropScratchDatabase(admin, scratch);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
