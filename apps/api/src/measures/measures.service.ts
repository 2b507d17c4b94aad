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

/** The catalog served from the live ruleset in memory: the same records and statuses the matcher uses. */
@Injectable()
export class MeasuresService {
  constructor(private readonly live: LiveRuleset) {}

  list(query: ListMeasuresQuery, departmentId?: string): MeasureList {
    const asOf = query.asOf ?? todayInShanghai();
    const measures = this.live.catalog.measures;
    const filters = this.filters(query, asOf, departmentId ?? query.department, measures);
    const selected = measures.filter((m) => filters.every((f) => f(m)));
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
      // The query, and the labels of the codes it names through the synonym table ("高企" → 高新技术企业);
      // sectors it names also find measures for that sector or beneath it ("大模型" → ai/models-algorithms).
      const named = codesNamedBy(needle);
      const terms = [
        ...new Set([
          needle,
          ...named.flatMap((c) => [labelOf(c.fieldKey, c.code, 'zh').split('/').pop()!, c.fieldKey === 'sectors' ? '' : labelOf(c.fieldKey, c.code, 'en')]),
        ]),
      ]
        .map((t) => t.trim().toLowerCase())
        .filter((t) => t.length > 0);
      const sectors = named.filter((c) => c.fieldKey === 'sectors').map((c) => c.code);
      out.push(
        (m) =>
          terms.some((t) => searchTextOf(measures, m).includes(t)) || m.sectors.some((s) => sectors.some((code) => s === code || s.startsWith(`${code}/`))),
      );
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
