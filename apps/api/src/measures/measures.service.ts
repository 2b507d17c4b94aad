import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { allowedCodes, documentText, locateQuote, sourceParagraph, type Catalog, type Measure } from '@matcher/catalog';
import { ruleInWords, Ruleset, statusOf, todayInShanghai, type MeasureStatus, type RuleWords } from '@matcher/engine';
import { MeasureEntity } from '@matcher/persistence';
import { CATALOG } from '../catalog/catalog.tokens';
import { invalidRequest } from '../common/problem';
import type { ListMeasuresQuery } from './dto/list-measures.query';

export type MeasureItem = Measure & { status: MeasureStatus; asOf: string };

export interface MeasureDetail extends MeasureItem {
  rule: RuleWords;
  sourceParagraph: { before: string; quote: string; after: string } | null;
  /** [start, end) of the quote in the document's full text as GET /documents/:id serves it, for highlighting. */
  quoteRange: [number, number] | null;
}

@Injectable()
export class MeasuresService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ruleset: Ruleset,
    @Inject(CATALOG) private readonly catalog: Catalog,
  ) {}

  async list(query: ListMeasuresQuery, departmentId?: string): Promise<{ total: number; limit: number; offset: number; asOf: string; items: MeasureItem[] }> {
    const asOf = query.asOf ?? todayInShanghai();
    const qb = this.dataSource.getRepository(MeasureEntity).createQueryBuilder('m');
    this.applyFilters(qb, query, asOf, departmentId ?? query.department);
    const [rows, total] = await qb.orderBy('m.position', 'ASC').skip(query.offset).take(query.limit).getManyAndCount();
    return {
      total,
      limit: query.limit,
      offset: query.offset,
      asOf,
      items: rows.map((r) => ({ ...r.record, status: statusOf(r.record.validity, asOf), asOf })),
    };
  }

  private applyFilters(qb: SelectQueryBuilder<MeasureEntity>, query: ListMeasuresQuery, asOf: string, department?: string): void {
    if (query.district) qb.andWhere('m.district = :district', { district: query.district });
    if (department) qb.andWhere('EXISTS (SELECT 1 FROM measure_department md WHERE md.measure_id = m.id AND md.department_id = :department)', { department });
    if (query.sector) {
      if (!allowedCodes('sectors').includes(query.sector) && !allowedCodes('additionalSectors').includes(query.sector)) {
        throw invalidRequest([{ path: 'sector', message: `unknown sector code; GET /api/v1/taxonomy lists them` }]);
      }
      // A measure for the sector itself, for its parent (a child satisfies a parent rule), or for one of its children.
      qb.andWhere(`EXISTS (SELECT 1 FROM unnest(m.sectors) s WHERE s = :sector OR :sector LIKE s || '/%' OR s LIKE :sectorPrefix)`, {
        sector: query.sector,
        sectorPrefix: `${query.sector}/%`,
      });
    }
    if (query.kind) qb.andWhere(`m.record->>'kind' = :kind`, { kind: query.kind });
    if (query.supportType) qb.andWhere(':supportType = ANY(m.support_type)', { supportType: query.supportType });
    if (query.status) {
      const conditions: Record<MeasureStatus, string> = {
        'term-unknown': 'm.valid_from IS NULL AND m.valid_to IS NULL',
        'not-yet-in-force': 'm.valid_from > :asOf',
        expired: 'm.valid_to < :asOf',
        'in-force':
          '(m.valid_from IS NOT NULL OR m.valid_to IS NOT NULL) AND (m.valid_from IS NULL OR m.valid_from <= :asOf) AND (m.valid_to IS NULL OR m.valid_to >= :asOf)',
      };
      qb.andWhere(conditions[query.status], { asOf });
    }
    if (query.q?.trim()) {
      const needle = query.q
        .trim()
        .toLowerCase()
        .replace(/[\\%_]/g, (c) => `\\${c}`);
      qb.andWhere(`m.search_text LIKE :q ESCAPE '\\'`, { q: `%${needle}%` });
    }
  }

  async detail(id: string, asOfParam?: string): Promise<MeasureDetail> {
    const row = await this.dataSource.getRepository(MeasureEntity).findOneBy({ id });
    if (!row) throw new NotFoundException(`No measure with id ${id}`);
    const asOf = asOfParam ?? todayInShanghai();
    const compiled = this.ruleset.rules.find((r) => r.id === id);
    const definition = compiled?.definition ?? row.rule;
    const text = documentText(row.record.source.documentId);
    return {
      ...row.record,
      status: statusOf(row.record.validity, asOf),
      asOf,
      rule: ruleInWords(definition.conditions),
      sourceParagraph: sourceParagraph(text, row.record.source.quote),
      quoteRange: locateQuote(text, row.record.source.quote),
    };
  }

  /** Whether a department id exists in the catalog (404 for /departments/:id/measures otherwise). */
  hasDepartment(id: string): boolean {
    return this.catalog.departments.some((d) => d.id === id);
  }
}
