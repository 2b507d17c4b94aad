/**
 * npm run catalog:bundle -- [--root DIR] [--document ID]... [--withdraw ID]... [--description TEXT] [--out FILE]
 * Builds a policy bundle (docs/policy-bundles.md) from files laid out like rules/, seeds/ and test/rules/
 * under DIR (default: this repository), for upload at POST /api/v1/catalog/drafts or on the 政策管理 page.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleFromFiles, projectRoot } from '@matcher/catalog';

function main(argv: string[]): void {
  const many: Record<string, string[]> = { document: [], withdraw: [] };
  const one: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    const value = argv[++i];
    if (value === undefined) throw new Error(`${argv[i - 1]} needs a value`);
    if (key in many) many[key].push(value);
    else if (['root', 'out', 'description'].includes(key)) one[key] = value;
    else throw new Error(`unknown option ${argv[i - 1]}`);
  }
  const bundle = bundleFromFiles(one.root ? resolve(one.root) : projectRoot(), {
    documentIds: many.document,
    withdraw: many.withdraw,
    description: one.description,
  });
  const json = JSON.stringify(bundle, null, 2);
  if (one.out) {
    writeFileSync(one.out, json);
    const measures = (bundle.documents ?? []).reduce((n, d) => n + d.rules.length, 0);
    console.error(`${one.out}: ${bundle.documents?.length ?? 0} documents, ${measures} measures, ${bundle.withdraw?.length ?? 0} withdrawn`);
  } else process.stdout.write(`${json}\n`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(`catalog:bundle: ${(e as Error).message}`);
  process.exit(1);
}
