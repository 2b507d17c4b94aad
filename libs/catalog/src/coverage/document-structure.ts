/**
 * The structure a coverage review reads off a document's text: section headings, bold phrases and
 * (for the Jing'an 2024 measures) the lead phrase of every paragraph that names responsible departments.
 * Texts come from PDF and web extraction, so comparisons ignore whitespace.
 */

/** Whitespace removed: how quotes and headings are compared with the extracted texts. */
export function stripWhitespace(s: string): string {
  return s.replace(/\s+/g, '');
}

export type HeadingKind = 'heading' | 'bold' | 'lead';

export interface DocumentHeading {
  kind: HeadingKind;
  /** As written: a heading line trimmed, a bold phrase without `**`, a lead phrase without its "。". */
  text: string;
  /** 1-based line where it starts. */
  line: number;
}

/** 一、 / （一） / (一) / 1. / 1． at the start of a line (not "2526.94", not "1.5"). */
export const HEADING_LINE = /^\s*((?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．](?!\d))\s*\S.*)$/;
/** A table-of-contents line: a tab and a page number, or dot leaders. */
export const TOC_LINE = /(\t\s*\d+\s*|(?:\.{3,}|…{2,}|·{3,}).*)$/;
export const BOLD_PHRASE = /\*\*([^*]+)\*\*/g;
/** "(责任部门:区商务委、区科经委)" — the Jing'an 2024 text uses half-width brackets and colon. */
export const RESPONSIBILITY = /[(（]责任部门[:：]([^)）]*)[)）]/;

/** Documents whose paragraphs open with a titled lead phrase (text before the first "。"). */
const LEAD_PHRASE_DOCUMENTS: ReadonlySet<string> = new Set(['jingan-modern-industry-measures-2024']);

export function hasLeadPhrases(documentId: string): boolean {
  return LEAD_PHRASE_DOCUMENTS.has(documentId);
}

export function isHeadingLine(line: string): boolean {
  return HEADING_LINE.test(line) && !TOC_LINE.test(line);
}

export interface ResponsibilityParagraph {
  /** Text before the first "。": the measure's title. */
  lead: string;
  /** The departments in "(责任部门:…)", in order. */
  departments: string[];
  line: number;
  text: string;
}

/** Every paragraph carrying "(责任部门:…)", with its lead phrase and departments in order. */
export function responsibilityParagraphs(text: string): ResponsibilityParagraph[] {
  const out: ResponsibilityParagraph[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!/[(（]责任部门/.test(raw)) return;
    const line = raw.trim();
    const m = RESPONSIBILITY.exec(line);
    out.push({
      lead: line.split('。')[0].trim(),
      departments: m ? m[1].split('、').map((d) => d.trim()).filter(Boolean) : [],
      line: i + 1,
      text: line,
    });
  });
  return out;
}

/**
 * Headings (not the table of contents), bold phrases and, where the document has them, lead phrases,
 * in document order.
 */
export function extractHeadings(text: string, options: { leadPhrases?: boolean } = {}): DocumentHeading[] {
  const out: DocumentHeading[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const m = HEADING_LINE.exec(line);
    if (m && !TOC_LINE.test(line)) out.push({ kind: 'heading', text: m[1].trim(), line: i + 1 });
  });
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    lineStarts.push(offset);
    offset += line.length + 1;
  }
  const lineAt = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (const m of text.replace(/\r\n/g, '\n').matchAll(BOLD_PHRASE)) {
    const phrase = m[1].trim();
    if (phrase) out.push({ kind: 'bold', text: phrase, line: lineAt(m.index ?? 0) });
  }
  if (options.leadPhrases) for (const p of responsibilityParagraphs(text)) out.push({ kind: 'lead', text: p.lead, line: p.line });
  return out.sort((a, b) => a.line - b.line);
}

/**
 * The paragraph(s) a quote comes from, whitespace removed. Paragraphs are blocks between blank lines;
 * a block that does not end a sentence (PDF line breaks) runs on into the next one.
 */
export function quoteContext(text: string, quote: string): string | undefined {
  const blocks: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n\s*\r?\n/)) {
    const block = stripWhitespace(raw);
    if (!block) continue;
    const heading = isHeadingLine(raw.trim());
    if (heading && current) {
      blocks.push(current);
      current = '';
    }
    current += block;
    if (heading || /[。；;！？!?：:）)]$/.test(block)) {
      blocks.push(current);
      current = '';
    }
  }
  if (current) blocks.push(current);
  const needle = stripWhitespace(quote);
  if (!needle) return undefined;
  const joined = blocks.join('');
  const at = joined.indexOf(needle);
  if (at < 0) return undefined;
  let start = 0;
  const parts: string[] = [];
  for (const b of blocks) {
    const end = start + b.length;
    if (end > at && start < at + needle.length) parts.push(b);
    start = end;
  }
  return parts.join('');
}
