import Ajv2020 from 'ajv/dist/2020';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractHeadings, hasLeadPhrases, stripWhitespace, type DocumentHeading, type HeadingKind } from './document-structure';

/** Why a heading of the document became no measure (docs/catalog-authoring.md, "Coverage"). */
export const COVERAGE_REASONS = [
  'section',
  'goal',
  'figure',
  'background',
  'guarantee-no-addressee',
  'principle',
  'definition',
  // The government's own action (its investment promotion, its coordination), its publicity or its own products.
  'internal-action',
  'publicity',
  // A count of past results, not a rule.
  'statistic',
  // Its measure was withdrawn from the catalog by an administrator (the note names it); restoring it links it again.
  'withdrawn',
] as const;
export type CoverageReason = (typeof COVERAGE_REASONS)[number];

/** One line of rules/<district>/<documentId>.coverage.json. */
export interface CoverageEntry {
  heading: string;
  measures?: string[];
  reason?: CoverageReason;
  note?: string;
}

export const COVERAGE_SCHEMA = {
  $id: 'coverage-file',
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['heading'],
    properties: {
      heading: { type: 'string', minLength: 1 },
      measures: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 } },
      reason: { enum: [...COVERAGE_REASONS] },
      note: { type: 'string' },
    },
  },
} as const;

const validateFile = new Ajv2020({ allErrors: true, strict: true }).compile(COVERAGE_SCHEMA);

export interface CoverageRow {
  kind: HeadingKind | 'entry';
  /** The heading as the document writes it (or as the entry does, for entries no extraction produced). */
  heading: string;
  /** 1-based line in the document; absent for an entry no extraction produced. */
  line?: number;
  /** The coverage entries that account for it (none: a finding). */
  entries: CoverageEntry[];
}

export interface CoverageReport {
  documentId: string;
  /** Extracted headings in document order, then entries for headings no extraction finds (e.g. 一是… lead phrases). */
  rows: CoverageRow[];
  entries: CoverageEntry[];
  findings: string[];
}

export function coverageFile(district: string, documentId: string, root: string): string {
  return join(root, 'rules', district, `${documentId}.coverage.json`);
}

export interface CoverageInput {
  documentId: string;
  /** The document's text. */
  text: string;
  /** The parsed coverage file; undefined when the file is missing. */
  entries: unknown;
  /** Ids of the measures encoded from this document. */
  measureIds: readonly string[];
}

/**
 * Every heading, bold phrase and lead phrase of a document must be accounted for by a coverage entry;
 * every entry must name known measures or give a reason; every measure must be linked from an entry.
 */
export function checkCoverage({ documentId, text, entries: raw, measureIds }: CoverageInput): CoverageReport {
  const findings: string[] = [];
  if (raw === undefined) findings.push('coverage file is missing');
  else if (!validateFile(raw)) {
    for (const e of validateFile.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? ` '${String(e.params.additionalProperty)}'` : '';
      findings.push(`coverage${e.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}: ${e.message ?? 'is invalid'}${extra}`);
    }
  }
  const entries: CoverageEntry[] = Array.isArray(raw) ? (raw as CoverageEntry[]).filter((e) => e && typeof e.heading === 'string') : [];
  const known = new Set(measureIds);
  const byKey = new Map<string, CoverageEntry[]>();
  for (const e of entries) {
    const key = stripWhitespace(e.heading);
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }

  const headings: DocumentHeading[] = extractHeadings(text, { leadPhrases: hasLeadPhrases(documentId) });
  const rows: CoverageRow[] = [];
  const matched = new Set<CoverageEntry>();
  for (const h of headings) {
    const found = byKey.get(stripWhitespace(h.text)) ?? [];
    found.forEach((e) => matched.add(e));
    rows.push({ kind: h.kind, heading: h.text, line: h.line, entries: found });
    if (found.length === 0) findings.push(`${h.kind === 'heading' ? 'heading' : h.kind === 'bold' ? 'bold phrase' : 'lead phrase'} not accounted for (line ${h.line}): ${h.text}`);
  }
  const flat = stripWhitespace(text);
  for (const e of entries) {
    if (matched.has(e)) continue;
    rows.push({ kind: 'entry', heading: e.heading, entries: [e] });
    if (!flat.includes(stripWhitespace(e.heading))) findings.push(`coverage entry "${e.heading}" is not in the document text`);
  }

  for (const e of entries) {
    for (const id of e.measures ?? []) if (!known.has(id)) findings.push(`coverage entry "${e.heading}" names unknown measure ${id}`);
    if (!e.measures?.length && !e.reason) findings.push(`coverage entry "${e.heading}" has neither measures nor a reason`);
  }
  const linked = new Set(entries.flatMap((e) => e.measures ?? []));
  for (const id of measureIds) if (!linked.has(id)) findings.push(`measure ${id} is linked from no coverage entry`);
  return { documentId, rows, entries, findings };
}

/** Reads the document's coverage file (undefined when missing) and checks it. */
export function documentCoverage(district: string, documentId: string, text: string, measureIds: readonly string[], root: string): CoverageReport {
  const file = coverageFile(district, documentId, root);
  const entries: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  return checkCoverage({ documentId, text, entries, measureIds });
}

function describeEntries(entries: CoverageEntry[]): string {
  if (entries.length === 0) return '✗ NOT ACCOUNTED FOR';
  return entries
    .map((e) => (e.measures?.length ? e.measures.join(', ') : `(${e.reason ?? 'no reason'}${e.note ? `: ${e.note}` : ''})`))
    .join(' | ');
}

/** The report as a plain-text table: heading → measure id(s), or the reason it is no measure. */
export function formatCoverageTable(report: CoverageReport): string {
  const label: Record<CoverageRow['kind'], string> = { heading: 'heading', bold: 'bold', lead: 'lead', entry: 'other' };
  const lines = [`## ${report.documentId}`];
  for (const r of report.rows) {
    const where = r.line === undefined ? '    -' : String(r.line).padStart(5);
    lines.push(`${where}  ${label[r.kind].padEnd(7)} ${r.heading} → ${describeEntries(r.entries)}`);
  }
  return lines.join('\n');
}
