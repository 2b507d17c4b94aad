import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { type District, type Lang } from '@matcher/catalog';
import { endsInDays, matchProfile, measureFields, statusOf, todayInShanghai, type MeasureStatus } from '@matcher/engine';
import {
  ScreeningResultsRepository,
  type ExportRow,
  type FailedExportRow,
  type ResultFilter,
  type ResultRow,
  type RunRow,
  type ScreeningRow,
} from '@matcher/persistence';
import type { ProspectResult, ScreeningChanges, ScreeningResultMeasure, ScreeningResultRow, ScreeningResults } from '@matcher/contracts';
import { withText } from '../match/answer-text';
import { invalidRequest } from '../common/problem';
import type { ChangesQuery } from './dto/changes.query';
import type { ExportQuery, ResultsFilterQuery, ResultsQuery } from './dto/results.query';
import { ScreeningStore } from './screening-store.service';
import { LiveRuleset } from '../catalog/live-ruleset.service';

const EXPORT_BATCH = 5000;
/** Characters of CSV text gathered before a write to the response. */
const CSV_CHUNK = 64 * 1024;
/** The XLSX per-measure sheet is held until the first sheet is done: bounded so a huge export stays in memory limits. */
const MAX_DETAIL_ROWS = 200_000;

const DISTRICT_NAMES: Record<Lang, Record<string, string>> = {
  zh: { xuhui: '徐汇区', jingan: '静安区', qingpu: '青浦区' },
  en: { xuhui: 'Xuhui', jingan: "Jing'an", qingpu: 'Qingpu' },
};
const SCENARIO_NAMES: Record<Lang, Record<string, string>> = {
  zh: { 'current-location': '注册在本区', relocation: '若迁入本区' },
  en: { 'current-location': 'Registered in this district', relocation: 'If it relocates here' },
};
const STATUS_NAMES: Record<Lang, Record<string, string>> = {
  zh: { 'in-force': '有效', expired: '已到期', 'not-yet-in-force': '尚未生效', 'term-unknown': '期限未载明', removed: '已移除' },
  en: { 'in-force': 'in force', expired: 'expired', 'not-yet-in-force': 'not yet in force', 'term-unknown': 'term not stated', removed: 'removed' },
};

/**
 * The answer's columns (Chinese and English headers), one row per prospect × evaluated district; they follow
 * the officer's own columns, which come first, as the file had them.
 */
const EXPORT_COLUMNS: { key: string; header: string; width: number }[] = [
  { key: 'row', header: '行号 Row', width: 8 },
  { key: 'name', header: '企业名称 Name', width: 30 },
  { key: 'uscc', header: '统一社会信用代码 USCC', width: 22 },
  { key: 'district', header: '评估区 District', width: 10 },
  { key: 'scenario', header: '情形 Scenario', width: 22 },
  { key: 'matchCount', header: '匹配措施数 Matches', width: 10 },
  { key: 'inForceCount', header: '有效 In force', width: 10 },
  { key: 'termUnknownCount', header: '期限未载明 Term not stated', width: 12 },
  { key: 'expiredCount', header: '已到期 Expired', width: 10 },
  { key: 'measureIds', header: '措施编号 Measure IDs', width: 40 },
  { key: 'titles', header: '措施名称 Measures', width: 80 },
  { key: 'departments', header: '责任部门 Departments', width: 40 },
  { key: 'notes', header: '读取说明 Notes', width: 60 },
];

/** The export's columns for a screening: the file's own header first (when it had one), then the answer's. */
function exportColumns(s: ScreeningRow): { key: string; header: string; width: number }[] {
  const own = (s.columns.headers ?? []).map((h, i) => ({ key: `c${i}`, header: h || `第 ${i + 1} 列 Column ${i + 1}`, width: 16 }));
  // The file's own name and credit-code columns already say these.
  return own.length ? [...own, ...EXPORT_COLUMNS.filter((c) => c.key !== 'name' && c.key !== 'uscc')] : EXPORT_COLUMNS;
}

/** The XLSX export's second sheet: one row per prospect × district × measure. */
const MEASURE_COLUMNS: { key: string; header: string; width: number }[] = [
  { key: 'row', header: '行号 Row', width: 8 },
  { key: 'name', header: '企业名称 Name', width: 30 },
  { key: 'district', header: '评估区 District', width: 10 },
  { key: 'scenario', header: '情形 Scenario', width: 18 },
  { key: 'measureId', header: '措施编号 Measure ID', width: 40 },
  { key: 'title', header: '措施名称 Measure', width: 50 },
  { key: 'status', header: '状态 Status', width: 12 },
  { key: 'validTo', header: '截止日期 End date', width: 12 },
  { key: 'departments', header: '责任部门 Departments', width: 40 },
];

/**
 * Each measure of an export once, with its long text (status, end date, document): the XLSX's measure list
 * sheet and the CSV's companion download, so result rows need only ids and short titles.
 */
const MEASURE_LIST_COLUMNS: { key: string; header: string; width: number }[] = [
  { key: 'measureId', header: '措施编号 Measure ID', width: 40 },
  { key: 'title', header: '措施名称 Measure', width: 50 },
  { key: 'status', header: '状态 Status', width: 12 },
  { key: 'validTo', header: '截止日期 End date', width: 12 },
  { key: 'departments', header: '责任部门 Departments', width: 40 },
  { key: 'document', header: '政策文件 Document', width: 50 },
  { key: 'results', header: '匹配结果数 Results', width: 10 },
];

/** The officer's own cells, keyed c0, c1… as exportColumns names them. */
function ownCells(cells: string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  (cells ?? []).forEach((c, i) => (out[`c${i}`] = c));
  return out;
}

/** An export narrowed by a filter lists matching results only; an unfiltered one gives the whole list back, failed rows too. */
function filtered(q: ResultsFilterQuery): boolean {
  return Boolean(q.district || q.department || q.measure || q.applicable);
}

/** One measure of an export row, in the export's language. */
interface ExportMeasure {
  id: string;
  title: string;
  status: string;
  state: MeasureStatus | 'removed';
  validTo: string;
  departments: string[];
  document: string;
}

/** A row's measure list as the export writes it: worked out once per distinct list (rows repeat lists). */
interface DescribedList {
  measures: ExportMeasure[];
  ids: string;
  titles: string;
  departments: string;
  termUnknown: number;
  expired: number;
  /** ids, titles and departments as three CSV fields, neutralised and quoted: rows repeat lists, so this is done once per list. */
  csv: string;
}

/**
 * Waits for a response to take writes again (or for the client to go: the caller then stops). One 'drain' and
 * one 'close' listener for the whole export, not one per wait: the compression middleware hands res.on('drain')
 * to its zlib stream, where res.off (and the wrapper of res.once) cannot remove it, so per-wait listeners pile up.
 */
function backpressure(res: Writable): () => Promise<void> {
  let wake: (() => void) | undefined;
  const fire = (): void => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  res.on('drain', fire);
  res.on('close', fire);
  return () => (res.destroyed || res.closed ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve)));
}

/** The client went away before the whole body was sent. */
const gone = (res: Response): boolean => res.destroyed || (res.closed && !res.writableFinished);

/** Results of a screening: paged JSON, streamed CSV and XLSX, one prospect in full, and the change between runs. */
@Injectable()
export class ScreeningResultsService {
  private statusCache = new Map<string, Map<string, MeasureStatus>>();

  constructor(
    private readonly repository: ScreeningResultsRepository,
    private readonly live: LiveRuleset,
    private readonly store: ScreeningStore,
  ) {}

  private async runFor(s: ScreeningRow, run?: number): Promise<RunRow> {
    const wanted = run ?? s.current_run;
    const found = wanted > 0 ? await this.store.run(s.id, wanted) : undefined;
    if (!found) {
      if (run !== undefined) throw invalidRequest([{ path: 'run', message: `no run ${run}; this screening has runs 1 to ${s.current_run}` }]);
      throw new ConflictException('This screening has no run yet.');
    }
    return found;
  }

  private statuses(asOf: string): Map<string, MeasureStatus> {
    let cached = this.statusCache.get(asOf);
    if (!cached) {
      cached = new Map([...this.live.ruleset.measures].map(([id, m]) => [id, statusOf(m.validity, asOf)]));
      if (this.statusCache.size > 20) this.statusCache.clear();
      this.statusCache.set(asOf, cached);
    }
    return cached;
  }

  private measure(id: string, statuses: Map<string, MeasureStatus>, asOf?: string): ScreeningResultMeasure {
    const m = this.live.ruleset.measures.get(id);
    if (!m) return { measureId: id, title: id, titleEn: id, status: 'removed', validTo: null, departments: [] };
    // The row holds the scenario (a measure's fields need one; this shape leaves it out). Departments keep their
    // directory ids here, for the department filter, which the match results leave out.
    const f = measureFields(m, statuses.get(id)!, 'current-location');
    return {
      measureId: f.measureId,
      title: f.title,
      titleEn: f.titleEn,
      status: f.status,
      validTo: f.validTo,
      ...(asOf && endsInDays(f.status, f.validTo, asOf) !== undefined ? { endsInDays: endsInDays(f.status, f.validTo, asOf) } : {}),
      departments: m.departments.map(({ id: d, name, nameEn, source }) => ({ id: d, name, nameEn, source })),
    };
  }

  private item(r: ResultRow, statuses: Map<string, MeasureStatus>, keep: (id: string) => boolean = () => true, asOf?: string): ScreeningResultRow {
    return {
      row: r.row_no,
      name: r.name,
      uscc: r.uscc,
      district: r.district,
      scenario: r.scenario,
      matchCount: r.match_count,
      inForceCount: r.in_force_count,
      termUnknownCount: r.measure_ids.filter((id) => statuses.get(id) === 'term-unknown').length,
      expiredCount: r.measure_ids.filter((id) => statuses.get(id) === 'expired').length,
      measures: r.measure_ids.filter(keep).map((id) => this.measure(id, statuses, asOf)),
    };
  }

  /** The filters of a run's results; an unknown department is refused (department: any matched measure of that department). */
  private async filters(s: ScreeningRow, run: RunRow, q: ResultsFilterQuery): Promise<ResultFilter> {
    if (q.department && !(await this.repository.departmentExists(q.department)))
      throw invalidRequest([{ path: 'department', message: 'is not a known department id (GET /api/v1/departments)' }]);
    // "Has a measure in force or of unstated term": one of the ids that are, as of the run's date.
    const applicable = q.applicable
      ? [...this.statuses(run.as_of)].filter(([, st]) => st === 'in-force' || st === 'term-unknown').map(([id]) => id)
      : undefined;
    return { screeningId: s.id, run: run.run, district: q.district, measure: q.measure, department: q.department, applicable, sort: q.sort };
  }

  async results(s: ScreeningRow, q: ResultsQuery): Promise<ScreeningResults> {
    const run = await this.runFor(s, q.run);
    const { total, rows } = await this.repository.page(await this.filters(s, run, q), q.limit, q.offset);
    const statuses = this.statuses(run.as_of);
    return {
      run: run.run,
      rulesetVersion: run.ruleset_version,
      asOf: run.as_of,
      total,
      limit: q.limit,
      offset: q.offset,
      items: rows.map((r) => this.item(r, statuses, this.measureFilter(q).keep, run.as_of)),
    };
  }

  /**
   * The run and the filtered rows of an export, streamed in batches (through a cursor on PostgreSQL, keyset
   * pages on the embedded database: see the repository). Its first batch is read before anything is sent, so a
   * bad filter, a missing run or a failing query is still a problem answer. The caller must `return()` it.
   */
  private async exportSource(
    s: ScreeningRow,
    q: ResultsFilterQuery,
  ): Promise<{ run: RunRow; head: IteratorResult<ExportRow[]>; rest: AsyncGenerator<ExportRow[]> }> {
    const run = await this.runFor(s, q.run);
    const rest = this.repository.stream(await this.filters(s, run, q), EXPORT_BATCH);
    try {
      return { run, head: await rest.next(), rest };
    } catch (err) {
      await rest.return(undefined);
      throw err;
    }
  }

  /**
   * Which measures of a row an export shows: with a department filter only that department's measures (and
   * only that department named), with a measure filter only that measure.
   */
  private measureFilter(q: ResultsFilterQuery): { keep: (id: string) => boolean; department?: string } {
    const ofDepartment = q.department
      ? new Set([...this.live.ruleset.measures.values()].filter((m) => m.departments.some((d) => d.id === q.department)).map((m) => m.id))
      : undefined;
    return { keep: (id) => (!q.measure || id === q.measure) && (!ofDepartment || ofDepartment.has(id)), department: q.department };
  }

  /** One measure in one language as of the run's date (departments narrowed to the filter's department). */
  private exportMeasure(id: string, lang: Lang, statuses: Map<string, MeasureStatus>, department: string | undefined): ExportMeasure {
    const m = this.live.ruleset.measures.get(id);
    if (!m) return { id, title: id, status: STATUS_NAMES[lang].removed, state: 'removed', validTo: '', departments: [], document: '' };
    const state = statuses.get(id) ?? 'term-unknown';
    return {
      id,
      title: lang === 'zh' ? m.title : m.titleEn,
      status: STATUS_NAMES[lang][state],
      state,
      validTo: m.validity.validTo ?? '',
      departments: m.departments.filter((d) => !department || d.id === department).map((d) => (lang === 'zh' ? d.name : d.nameEn)),
      document: lang === 'zh' ? m.source.documentTitle : m.source.documentTitleEn,
    };
  }

  /** The measures of an id list, filtered and described in one language; memoised per export (rows repeat lists, and measures lists). */
  private describer(lang: Lang, statuses: Map<string, MeasureStatus>, q: ResultsFilterQuery): (key: string) => DescribedList {
    const memo = new Map<string, DescribedList>();
    const described = new Map<string, ExportMeasure>();
    const { keep, department } = this.measureFilter(q);
    const narrowed = Boolean(q.measure || q.department);
    const zh = lang === 'zh';
    const one = (id: string): ExportMeasure => {
      let m = described.get(id);
      if (!m) described.set(id, (m = this.exportMeasure(id, lang, statuses, department)));
      return m;
    };
    return (key) => {
      let found = memo.get(key);
      if (!found) {
        const all = key ? key.split(' ') : [];
        const measures = (narrowed ? all.filter(keep) : all).map(one);
        // Counts are the row's, whatever a department or measure filter keeps of its list.
        let termUnknown = 0;
        let expired = 0;
        for (const id of all) {
          const state = statuses.get(id) ?? 'term-unknown';
          if (state === 'term-unknown') termUnknown += 1;
          else if (state === 'expired') expired += 1;
        }
        const ids = measures.map((m) => m.id).join('; ');
        const titles = measures.map((m) => m.title).join(zh ? '；' : '; ');
        const departments = [...new Set(measures.flatMap((m) => m.departments))].join(zh ? '、' : '; ');
        found = { measures, ids, titles, departments, termUnknown, expired, csv: `${csvField(ids)},${csvField(titles)},${csvField(departments)}` };
        // Bounded: an entry holds its CSV text (a few KB), and a million-row export has far more distinct lists than repeats.
        if (memo.size > 5_000) memo.clear();
        memo.set(key, found);
      }
      return found;
    };
  }

  /** A result row, lean: measure ids and short titles; each measure's status, end date and document are in the measure list. */
  private exportRecord(r: ExportRow, list: DescribedList, lang: Lang): Record<string, unknown> {
    return {
      ...ownCells(r.cells),
      row: r.row_no,
      name: r.name ?? '',
      uscc: r.uscc ?? '',
      district: DISTRICT_NAMES[lang][r.district] ?? r.district,
      scenario: SCENARIO_NAMES[lang][r.scenario] ?? r.scenario,
      matchCount: r.match_count,
      inForceCount: r.in_force_count,
      termUnknownCount: list.termUnknown,
      expiredCount: list.expired,
      measureIds: list.ids,
      titles: list.titles,
      departments: list.departments,
      notes: r.warnings?.length ? r.warnings.map((w) => w.message).join(lang === 'zh' ? '；' : '; ') : '',
    };
  }

  /** A row that was not screened: the officer's cells, and why, so the list comes back whole. */
  private failedRecord(r: FailedExportRow, lang: Lang): Record<string, unknown> {
    const reasons = r.errors.map((e) => e.message).join(lang === 'zh' ? '；' : '; ');
    return {
      ...ownCells(r.cells),
      row: r.row_no,
      name: r.name ?? '',
      uscc: r.uscc ?? '',
      notes: lang === 'zh' ? `未筛选：${reasons}` : `Not screened: ${reasons}`,
    };
  }

  /** Every failed row of the screening, in file order (they follow the screened rows in exports). */
  private async *failed(s: ScreeningRow): AsyncGenerator<FailedExportRow[]> {
    if (s.rows_failed > 0) yield* this.repository.failedRows(s.id, EXPORT_BATCH);
  }

  /** The measure list's rows: each measure once, in id order, with how many listed results name it. */
  private measureListRecords(counts: Map<string, number>, lang: Lang, statuses: Map<string, MeasureStatus>, q: ResultsFilterQuery): Record<string, unknown>[] {
    const { department } = this.measureFilter(q);
    return [...counts.keys()].sort().map((id) => {
      const m = this.exportMeasure(id, lang, statuses, department);
      return {
        measureId: m.id,
        title: m.title,
        status: m.status,
        validTo: m.validTo,
        departments: m.departments.join(lang === 'zh' ? '、' : '; '),
        document: m.document,
        results: counts.get(id),
      };
    });
  }

  private attachment(res: Response, s: ScreeningRow, ext: string, type: string, what: 'results' | 'measures' = 'results'): void {
    const base = `screening-${s.id.slice(0, 8)}-${what === 'results' ? 'results' : 'results-measures'}.${ext}`;
    const named = `${s.name.replace(/\.(csv|xlsx|ndjson|jsonl|txt)$/i, '')}-${what === 'results' ? '结果' : '结果措施'}.${ext}`;
    res
      .status(200)
      .type(type)
      .setHeader('Content-Disposition', `attachment; filename="${base}"; filename*=UTF-8''${encodeURIComponent(named)}`);
  }

  /** A screened result as one CSV line (no line end), the columns of exportColumns in order, without an intermediate record. */
  private csvLine(r: ExportRow, list: DescribedList, lang: Lang, own: number): string {
    let line = '';
    if (own) {
      for (let i = 0; i < own; i++) line += `${csvField(r.cells?.[i])},`;
      line += `${r.row_no}`;
    } else line = `${r.row_no},${csvField(r.name)},${csvField(r.uscc)}`;
    const notes = r.warnings?.length ? r.warnings.map((w) => w.message).join(lang === 'zh' ? '；' : '; ') : '';
    return `${line},${csvField(DISTRICT_NAMES[lang][r.district] ?? r.district)},${csvField(SCENARIO_NAMES[lang][r.scenario] ?? r.scenario)},${r.match_count},${r.in_force_count},${list.termUnknown},${list.expired},${list.csv},${csvField(notes)}`;
  }

  /**
   * CSV (UTF-8 with BOM so Excel reads the Chinese), streamed with backpressure: lines are formatted here, as
   * csv-stringify would (quoted when they hold a comma, quote or line break) and written in chunks of about 64 KB
   * (a record object and a stream step per row were most of the export's time). Text that a spreadsheet would
   * run as a formula is neutralised (XLSX cells are typed as text and need nothing).
   */
  async exportCsv(s: ScreeningRow, q: ExportQuery, res: Response): Promise<void> {
    const { run, head, rest } = await this.exportSource(s, q);
    const lang = q.lang ?? 'zh';
    const columns = exportColumns(s);
    const own = s.columns.headers?.length ?? 0;
    let chunk = `\uFEFF${columns.map((c) => csvField(c.header, false)).join(',')}\n`;
    const drained = backpressure(res);
    const flush = async (): Promise<void> => {
      const ready = res.write(chunk);
      chunk = '';
      if (!ready) await drained();
    };
    try {
      this.attachment(res, s, 'csv', 'text/csv; charset=utf-8');
      const describe = this.describer(lang, this.statuses(run.as_of), q);
      for (let batch = head; !batch.done && !gone(res); batch = await rest.next())
        for (const r of batch.value) {
          chunk += `${this.csvLine(r, describe(r.ids), lang, own)}\n`;
          if (chunk.length > CSV_CHUNK) await flush();
          if (gone(res)) break;
        }
    } finally {
      // Ends the cursor's transaction and gives its connection back, whether done, failed or abandoned by the client.
      await rest.return(undefined);
    }
    if (!filtered(q) && !gone(res))
      for await (const rows of this.failed(s)) {
        for (const r of rows) {
          const record = this.failedRecord(r, lang);
          chunk += `${columns.map((c) => csvField(record[c.key] as string | number | undefined)).join(',')}\n`;
          if (chunk.length > CSV_CHUNK) await flush();
        }
        if (gone(res)) break;
      }
    if (!gone(res)) res.end(chunk);
    await finished(res).catch(() => undefined);
  }

  /**
   * The CSV export's companion: each measure of the filtered results once, with its status and end date as of
   * the run's date, departments, document and how many results list it (the result rows name ids and short titles only).
   */
  async exportMeasuresCsv(s: ScreeningRow, q: ExportQuery, res: Response): Promise<void> {
    const run = await this.runFor(s, q.run);
    const { keep } = this.measureFilter(q);
    const counts = new Map(
      (await this.repository.measureCounts(await this.filters(s, run, q))).filter((c) => keep(c.measure_id)).map((c) => [c.measure_id, c.results]),
    );
    this.attachment(res, s, 'csv', 'text/csv; charset=utf-8', 'measures');
    const csv = stringify({ header: true, bom: true, columns: MEASURE_LIST_COLUMNS.map((c) => ({ key: c.key, header: c.header })) });
    csv.pipe(res);
    for (const record of this.measureListRecords(counts, q.lang ?? 'zh', this.statuses(run.as_of), q)) csv.write(neutraliseFormulas(record));
    csv.end();
    await finished(res).catch(() => undefined);
  }

  /**
   * XLSX with exceljs' streaming WorkbookWriter: rows are committed as they are written. Sheets: the results
   * (lean rows, as the CSV), the list of their measures once each, and the per-prospect × measure detail.
   */
  async exportXlsx(s: ScreeningRow, q: ExportQuery, res: Response): Promise<void> {
    const { run, head, rest } = await this.exportSource(s, q);
    const lang = q.lang ?? 'zh';
    const statuses = this.statuses(run.as_of);
    // Per-measure rows go to a later sheet, written after the first: the streaming writer keeps one sheet open at a time.
    const perMeasure: Record<string, unknown>[][] = [];
    const listed = new Map<string, number>();
    let detailRows = 0;
    const drained = backpressure(res);
    let workbook: InstanceType<typeof ExcelJS.stream.xlsx.WorkbookWriter>;
    let sheet: ExcelJS.Worksheet;
    try {
      this.attachment(res, s, 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useSharedStrings: false, useStyles: false });
      sheet = workbook.addWorksheet('结果 Results');
      sheet.columns = exportColumns(s).map((c) => ({ key: c.key, header: c.header, width: c.width }));
      const describe = this.describer(lang, statuses, q);
      for (let batch = head; !batch.done && !gone(res); batch = await rest.next()) {
        const detail: Record<string, unknown>[] = [];
        for (const r of batch.value) {
          const list = describe(r.ids);
          sheet.addRow(this.exportRecord(r, list, lang)).commit();
          for (const m of list.measures) {
            listed.set(m.id, (listed.get(m.id) ?? 0) + 1);
            if (detailRows + detail.length < MAX_DETAIL_ROWS)
              detail.push({
                row: r.row_no,
                name: r.name ?? '',
                district: DISTRICT_NAMES[lang][r.district] ?? r.district,
                scenario: SCENARIO_NAMES[lang][r.scenario] ?? r.scenario,
                measureId: m.id,
                title: m.title,
                status: m.status,
                validTo: m.validTo,
                departments: m.departments.join(lang === 'zh' ? '、' : '; '),
              });
            else detailRows += 1; // counted, not kept: the sheet says it was cut
          }
        }
        perMeasure.push(detail);
        detailRows += detail.length;
        if (res.writableNeedDrain) await drained();
      }
    } finally {
      await rest.return(undefined);
    }
    if (gone(res)) return;
    if (!filtered(q)) for await (const rows of this.failed(s)) for (const r of rows) sheet.addRow(this.failedRecord(r, lang)).commit();
    sheet.commit();
    const list = workbook.addWorksheet('措施一览 Measure list');
    list.columns = MEASURE_LIST_COLUMNS.map((c) => ({ key: c.key, header: c.header, width: c.width }));
    for (const record of this.measureListRecords(listed, lang, statuses, q)) list.addRow(record).commit();
    list.commit();
    const measures = workbook.addWorksheet('措施明细 Measures');
    measures.columns = MEASURE_COLUMNS.map((c) => ({ key: c.key, header: c.header, width: c.width }));
    for (const batch of perMeasure) for (const row of batch) measures.addRow(row).commit();
    if (detailRows > MAX_DETAIL_ROWS)
      measures
        .addRow([
          lang === 'zh'
            ? `仅列出前 ${MAX_DETAIL_ROWS} 条；请按部门或措施筛选后导出，或使用 CSV`
            : `Only the first ${MAX_DETAIL_ROWS} rows are listed; filter by department or measure, or export CSV`,
        ])
        .commit();
    measures.commit();
    await workbook.commit();
  }

  /** One prospect evaluated in full (as POST /match), against the current ruleset, on the current run's date. */
  async prospect(s: ScreeningRow, row: number, lang: Lang): Promise<ProspectResult> {
    const p = await this.repository.prospect(s.id, row);
    if (!p) throw new NotFoundException(`Screening ${s.id} has no row ${row}`);
    const sheetRow = p.sheet_row === null ? {} : { sheetRow: Number(p.sheet_row) };
    if (!p.profile) return { row: p.row_no, ...sheetRow, name: p.name, uscc: p.uscc, errors: p.errors };
    const run = s.current_run > 0 ? await this.store.run(s.id, s.current_run) : undefined;
    const asOf = run?.as_of ?? s.options.asOf;
    const outcome = withText(
      matchProfile(this.live.ruleset, p.profile, { districts: s.options.districts as District[] | undefined, asOf: asOf ?? todayInShanghai() }),
      lang,
    );
    return {
      row: p.row_no,
      ...sheetRow,
      name: p.name,
      uscc: p.uscc,
      profile: p.profile,
      ...(p.warnings?.length ? { warnings: p.warnings } : {}),
      rulesetVersion: this.live.ruleset.version,
      lang,
      asOf: outcome.asOf,
      districts: outcome.districts,
      matches: outcome.matches,
      priorities: outcome.priorities,
      nearMisses: outcome.nearMisses,
      nearMissesTotal: outcome.nearMissesTotal,
      questions: outcome.questions,
      summary: outcome.summary,
    };
  }

  /**
   * Per prospect × district, the measures gained and lost from one run to another (default: the last two).
   * Only rows that changed are listed, in row order, paged.
   */
  async changes(s: ScreeningRow, q: ChangesQuery): Promise<ScreeningChanges> {
    const toRun = q.to ?? s.current_run;
    const fromRun = q.from ?? toRun - 1;
    if (toRun < 2 && q.from === undefined)
      throw new ConflictException('Changes need two runs: re-run the screening first (POST /api/v1/screenings/:id/rerun).');
    if (fromRun >= toRun) throw invalidRequest([{ path: 'from', message: 'must be an earlier run than to' }]);
    const [from, to] = await Promise.all([this.store.run(s.id, fromRun), this.store.run(s.id, toRun)]);
    if (!from) throw invalidRequest([{ path: 'from', message: `no run ${fromRun}` }]);
    if (!to) throw invalidRequest([{ path: 'to', message: `no run ${toRun}` }]);
    for (const r of [from, to]) if (r.state !== 'completed') throw new ConflictException(`Run ${r.run} is ${r.state}; changes compare completed runs.`);
    const { total, gained, lost, rows } = await this.repository.changes(s.id, fromRun, toRun, q.district, q.limit, q.offset);
    const ids = new Set(rows.flatMap((r) => [...r.gained, ...r.lost]));
    const measures = Object.fromEntries(
      [...ids].map((id) => [
        id,
        this.live.ruleset.measures.has(id) ? { title: this.live.ruleset.measures.get(id)!.title, titleEn: this.live.ruleset.measures.get(id)!.titleEn } : null,
      ]),
    );
    return {
      fromRun,
      toRun,
      fromRulesetVersion: from.ruleset_version,
      toRulesetVersion: to.ruleset_version,
      total,
      gainedTotal: gained,
      lostTotal: lost,
      limit: q.limit,
      offset: q.offset,
      items: rows.map((r) => ({ row: r.row_no, name: r.name, district: r.district, gained: r.gained, lost: r.lost })),
      measures,
    };
  }
}

/** OWASP's advice for CSV: a text cell starting with = + - @, a tab or a carriage return gets a leading apostrophe. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * One CSV field as csv-stringify writes it by default: quoted when it holds a comma, a quote or a line break,
 * quotes doubled; text neutralised against formulas (headers are not, as before).
 */
export function csvField(value: string | number | null | undefined, neutralise = true): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? (neutralise ? neutraliseFormula(value) : value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function neutraliseFormulas(record: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(record)) if (typeof value === 'string') record[key] = neutraliseFormula(value);
  return record;
}
