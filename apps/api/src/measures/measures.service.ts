import { Injectable, NotFoundException } from '@nestjs/common';
import { allowedCodes, codesNamedBy, labelOf, locateQuote, sourceParagraph, type Measure } from '@matcher/catalog';
import { ruleInWords, statusOf, todayInShanghai } from '@matcher/engine';
import type { MeasureDetail, MeasureList } from '@matcher/contracts';
import { LiveRuleset } from '../catalog/live-ruleset.service';
import { invalidRequest } from '../common/problem';
import type { ListMeasuresQuery } from './dto/list-measures.query';

/** Lower-cased titles, summaries and quote per measure, per catalog: what `q` searches. */
const searchTexts = new WeakMap<readonly Measure[], Map<string, string>>();

function searchTextOf(measures: readonly Measure[], m: Measure): string {
  let texts = searchTexts.get(measures);
  if (!texts)
    searchTexts.set(
      measures,
      (texts = new Map(measures.map((x) => [x.id, [x.title, x.titleEn, x.summary, x.summaryEn, x.source.quote].join('\n').toLowerCase()]))),
    );
  return texts.get(m.id) ?? '';
}

/**
 * What `q` looks for: the query, and the labels of the codes it names through the synonym table ("高企" →
 * 高新技术企业); sectors it names also find measures for that sector or beneath it ("大模型" → ai/models-algorithms).
 */
function searchTerms(needle: string): { synonyms: string[]; sectors: string[] } {
  const named = codesNamedBy(needle);
  const synonyms = [
    ...new Set(named.flatMap((c) => [labelOf(c.fieldKey, c.code, 'zh').split('/').pop()!, c.fieldKey === 'sectors' ? '' : labelOf(c.fieldKey, c.code, 'en')])),
  ]
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0 && t !== needle);
  return { synonyms, sectors: named.filter((c) => c.fieldKey === 'sectors').map((c) => c.code) };
}

const NO_HIT = 9;

/**
 * How well a measure answers `q`, best first: 0 its title starts with the query, 1 its title holds it, 2 its quote
 * or summary does, 3 a synonym's label is in its text or it is for a sector the query names, 4 its section
 * heading holds the query or a synonym; NO_HIT otherwise.
 */
function relevanceOf(m: Measure, needle: string, terms: { synonyms: string[]; sectors: string[] }, text: string): number {
  const zh = m.title.toLowerCase();
  const en = m.titleEn.toLowerCase();
  if (zh.startsWith(needle) || en.startsWith(needle)) return 0;
  if (zh.includes(needle) || en.includes(needle)) return 1;
  if (text.includes(needle)) return 2;
  if (terms.synonyms.some((t) => text.includes(t))) return 3;
  if (m.sectors.some((s) => terms.sectors.some((code) => s === code || s.startsWith(`${code}/`)))) return 3;
  const section = m.source.section.toLowerCase();
  if (section.includes(needle) || terms.synonyms.some((t) => section.includes(t))) return 4;
  return NO_HIT;
}

/** The catalog served from the live ruleset in memory: the same records and statuses the matcher uses. */
@Injectable()
export class MeasuresService {
  constructor(private readonly live: LiveRuleset) {}

  list(query: ListMeasuresQuery, departmentId?: string): MeasureList {
    const asOf = query.asOf ?? todayInShanghai();
    const measures = this.live.catalog.measures;
    const filters = this.filters(query, asOf, departmentId ?? query.department, measures);
    let selected = measures.filter((m) => filters.every((f) => f(m)));
    const needle = query.q?.trim().toLowerCase();
    if (needle) {
      // Most relevant first; the catalog's own order (district, document) among equals.
      const terms = searchTerms(needle);
      const rank = new Map(selected.map((m) => [m, relevanceOf(m, needle, terms, searchTextOf(measures, m))]));
      selected = selected
        .map((m, i) => [m, i] as const)
        .sort((a, b) => rank.get(a[0])! - rank.get(b[0])! || a[1] - b[1])
        .map(([m]) => m);
    }
    return {
      total: selected.length,
      limit: query.limit,
      offset: query.offset,
      asOf,
      items: selected.slice(query.offset, query.offset + query.limit).map((m) => ({ ...m, status: statusOf(m.validity, asOf), asOf })),
    };
  }

  private filters(query: ListMeasuresQuery, asOf: string, department: string | undefined, measures: readonly Measure[]): ((m: Measure) => boolean)[] {
    const out: ((m: Measure) => boolean)[] = [];
    if (query.district) out.push((m) => m.district === query.district);
    if (department) out.push((m) => m.departments.some((d) => d.id === department));
    const sector = query.sector;
    if (sector) {
      if (!allowedCodes('sectors').includes(sector) && !allowedCodes('additionalSectors').includes(sector)) {
        throw invalidRequest([{ path: 'sector', message: `unknown sector code; GET /api/v1/taxonomy lists them` }]);
      }
      // A measure for the sector itself, for its parent (a child satisfies a parent rule), or for one of its children.
      out.push((m) => m.sectors.some((s) => s === sector || sector.startsWith(`${s}/`) || s.startsWith(`${sector}/`)));
    }
    if (query.kind) out.push((m) => m.kind === query.kind);
    if (query.supportType) out.push((m) => m.supportType.includes(query.supportType!));
    if (query.status) out.push((m) => statusOf(m.validity, asOf) === query.status);
    const needle = query.q?.trim().toLowerCase();
    if (needle) {
      const terms = searchTerms(needle);
      out.push((m) => relevanceOf(m, needle, terms, searchTextOf(measures, m)) < NO_HIT);
    }
    return out;
  }

  detail(id: string, asOfParam?: string): MeasureDetail {
    const { catalog, ruleset } = this.live.current;
    const measure = ruleset.measures.get(id);
    const compiled = ruleset.rules.find((r) => r.id === id);
    if (!measure || !compiled) throw new NotFoundException(`No measure with id ${id}`);
    const asOf = asOfParam ?? todayInShanghai();
    const text = catalog.texts[measure.source.documentId] ?? '';
    return {
      ...measure,
      status: statusOf(measure.validity, asOf),
      asOf,
      rule: ruleInWords(compiled.definition.conditions, compiled.definition.event.params.basis?.conditions),
      sourceParagraph: sourceParagraph(text, measure.source.quote),
      quoteRange: locateQuote(text, measure.source.quote),
    };
  }

  /** Whether a department id exists in the catalog (404 for /departments/:id/measures otherwise). */
  hasDepartment(id: string): boolean {
    return this.live.catalog.departments.some((d) => d.id === id);
  }
}
