/**
 * npm run rules:check — the catalog's gate (the checks live in @matcher/catalog, shared with the server).
 * Prints counts per document and every finding, and exits 1 on any finding. See docs/catalog-authoring.md.
 */
import { checkCatalog, projectRoot, readCatalogSource, type CheckReport } from '@matcher/catalog';
import { catalogEvaluator } from '@matcher/engine';

/** Every check on the catalog under `root`, evaluated by the product's engine. */
export function checkRepository(root: string = projectRoot()): CheckReport {
  return checkCatalog(readCatalogSource(root), catalogEvaluator());
}

function main(): void {
  const report = checkRepository();
  for (const d of report.documents) {
    console.log(`${d.documentId}: ${d.measures} measures, ${d.cases} cases, ${d.coverageEntries} coverage entries, ${d.findings.length} findings`);
    for (const f of d.findings) console.log(`  ✗ ${f}`);
  }
  for (const f of report.catalog) console.log(`  ✗ ${f}`);
  const t = report.total;
  console.log(`total: ${t.documents} documents, ${t.measures} measures, ${t.cases} cases, ${t.coverageEntries} coverage entries, ${t.findings} findings`);
  process.exit(t.findings ? 1 : 0);
}

if (require.main === module) main();
