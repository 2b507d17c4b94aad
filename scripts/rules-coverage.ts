/**
 * npm run rules:coverage — for every document, each section heading, bold phrase and lead phrase and
 * what became of it (measure ids, or the reason it is no measure), and the entries per kind. Exits 1 when
 * anything is unaccounted for.
 */
import { catalogCoverage, formatCoverageTable, kindCounts, projectRoot, readCatalogSource, type CoverageReport } from '@matcher/catalog';

/** Coverage of every document in seeds/catalog/documents.json, against the measures encoded from it. */
export function coverageReports(root: string = projectRoot()): CoverageReport[] {
  return catalogCoverage(readCatalogSource(root));
}

function main(): void {
  const source = readCatalogSource(projectRoot());
  const reports = catalogCoverage(source);
  let findings = 0;
  for (const report of reports) {
    console.log(formatCoverageTable(report));
    for (const f of report.findings) console.log(`  ✗ ${f}`);
    console.log(`  ${report.rows.length} rows, ${report.entries.length} coverage entries, ${report.findings.length} findings\n`);
    findings += report.findings.length;
  }
  console.log('entries per document and kind (removed: entries removed as no rule, kept as not-a-measure cases):');
  for (const k of kindCounts(source)) console.log(`  ${k.documentId}: ${k.measure} measure, ${k.priority} priority, ${k.removed} removed`);
  console.log(findings ? `rules:coverage: ${findings} findings` : `rules:coverage: clean (${reports.length} documents)`);
  process.exit(findings ? 1 : 0);
}

if (require.main === module) main();
