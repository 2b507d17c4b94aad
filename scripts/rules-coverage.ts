/**
 * npm run rules:coverage — for every document, each section heading, bold phrase and lead phrase and
 * what became of it (measure ids, or the reason it is no measure). Exits 1 when anything is unaccounted for.
 */
import { documentCoverage, documentText, formatCoverageTable, loadDocuments, loadRules, projectRoot, type CoverageReport } from '@matcher/catalog';

/** Coverage of every document in seeds/catalog/documents.json, against the measures encoded from it. */
export function coverageReports(root: string = projectRoot()): CoverageReport[] {
  const rules = loadRules(root);
  return loadDocuments(root).map((doc) => {
    const ids = rules.filter((r) => r.event?.params?.source?.documentId === doc.id).map((r) => r.name);
    return documentCoverage(doc.district, doc.id, documentText(doc.id, root), ids, root);
  });
}

function main(): void {
  const reports = coverageReports();
  let findings = 0;
  for (const report of reports) {
    console.log(formatCoverageTable(report));
    for (const f of report.findings) console.log(`  ✗ ${f}`);
    console.log(`  ${report.rows.length} rows, ${report.entries.length} coverage entries, ${report.findings.length} findings\n`);
    findings += report.findings.length;
  }
  console.log(findings ? `rules:coverage: ${findings} findings` : `rules:coverage: clean (${reports.length} documents)`);
  process.exit(findings ? 1 : 0);
}

if (require.main === module) main();
