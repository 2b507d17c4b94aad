import { ConflictException, Injectable } from '@nestjs/common';
import { type FieldError, type Lang } from '@matcher/catalog';
import { ScreeningRepository, type RunRow, type ScreeningOptions, type ScreeningRow } from '@matcher/persistence';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedOfficer } from '../auth/authenticated-officer';
import { parseEvaluationOptions } from '../common/evaluation-options';
import { invalidRequest } from '../common/problem';
import type { CreateScreeningDto } from './dto/create-screening.dto';
import { checkMapping, type ColumnMapping } from './import/column-mapping';
import { ScreeningRunnerService } from './runner/screening-runner.service';
import type { ImportPreview, ScreeningDetail, ScreeningSummary } from '@matcher/contracts';
import { ScreeningImportService, type UploadedFile, type ValueFixes } from './screening-import.service';
import { ScreeningStore } from './screening-store.service';

const ACTIVE = ['importing', 'queued', 'running', 'paused'];

@Injectable()
export class ScreeningsService {
  constructor(
    private readonly screenings: ScreeningRepository,
    private readonly audit: AuditService,
    private readonly store: ScreeningStore,
    private readonly importer: ScreeningImportService,
    private readonly runner: ScreeningRunnerService,
  ) {}

  /** Checks the form fields (before the file is read) into import options. */
  parseForm(form: CreateScreeningDto, file: UploadedFile | undefined): { mapping?: ColumnMapping; fixes?: ValueFixes; options: ScreeningOptions } {
    const errors: FieldError[] = [];
    if (!file) errors.push({ path: 'file', message: 'is required: send the prospects as multipart/form-data field "file" (CSV, XLSX or NDJSON)' });
    else if (file.size === 0) errors.push({ path: 'file', message: 'is empty' });
    let mapping: ColumnMapping | undefined;
    if (form.mapping !== undefined && form.mapping.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(form.mapping);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        errors.push({ path: 'mapping', message: 'must be a JSON object: {"column header": "field"}' });
      else {
        mapping = parsed as ColumnMapping;
        errors.push(...checkMapping(mapping));
      }
    }
    let fixes: ValueFixes | undefined;
    if (form.values !== undefined && form.values.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(form.values);
      } catch {
        parsed = undefined;
      }
      const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
      if (!isMap(parsed) || !Object.values(parsed).every((m) => isMap(m) && Object.values(m).every((c) => c === null || typeof c === 'string')))
        errors.push({ path: 'values', message: 'must be a JSON object: {"column header": {"cell value": "code" or null}}' });
      else fixes = parsed as ValueFixes;
    }
    const read = parseEvaluationOptions({ districts: form.districts, asOf: form.asOf }, 'form', ['districts', 'asOf']);
    errors.push(...read.errors);
    const options: ScreeningOptions = {};
    if (read.options.districts) options.districts = read.options.districts;
    if (read.options.asOf) options.asOf = read.options.asOf;
    if (errors.length) throw invalidRequest(errors);
    return { mapping, fixes, options };
  }

  async create(file: UploadedFile, form: CreateScreeningDto, officer: AuthenticatedOfficer, lang: Lang): Promise<ScreeningDetail> {
    const { mapping, fixes, options } = this.parseForm(form, file);
    const { screening, run, prospects } = await this.importer.import(file, { officerId: officer.id, name: form.name, mapping, fixes, options, lang });
    if (run) await this.started(screening, run, officer, { fileName: file.originalName, bytes: file.size, mapping, prospects });
    return this.store.detail(screening);
  }

  /** What the upload would read (columns, first rows, values to fix), without storing or screening anything. */
  preview(file: UploadedFile, form: CreateScreeningDto, lang: Lang): Promise<ImportPreview> {
    const { mapping, fixes } = this.parseForm(form, file);
    return this.importer.preview(file, { mapping, fixes, lang });
  }

  list(officer: AuthenticatedOfficer): Promise<ScreeningSummary[]> {
    return this.store.list(officer.id);
  }

  async detail(id: string, officer: AuthenticatedOfficer): Promise<ScreeningDetail> {
    return this.store.detail(await this.store.owned(id, officer.id));
  }

  /** A new run of the stored prospects against the current ruleset. */
  async rerun(id: string, officer: AuthenticatedOfficer): Promise<ScreeningDetail> {
    const owned = await this.store.owned(id, officer.id);
    const created = await this.screenings.transaction(async (tx) => {
      const s = (await tx.lock(owned.id))!;
      if (ACTIVE.includes(s.state))
        throw new ConflictException(
          `The screening is ${s.state === 'importing' ? 'queued' : s.state}; wait for it to finish or cancel it (DELETE) before re-running.`,
        );
      if (s.current_run === 0) throw new ConflictException('The screening was cancelled before its rows were stored; upload the file again.');
      return { s, run: await this.store.createRun(tx, s, s.current_run + 1, 'copy') };
    });
    const screening = (await this.store.screening(id))!;
    await this.started(screening, created.run, officer, {
      rerunOf: created.s.current_run,
      previousRulesetVersion: (await this.store.run(id, created.s.current_run))?.ruleset_version,
    });
    return this.store.detail(screening);
  }

  /** Cancels an unfinished screening (its state becomes cancelled) or removes a finished one. */
  async cancelOrRemove(id: string, officer: AuthenticatedOfficer): Promise<ScreeningDetail | undefined> {
    const s = await this.store.owned(id, officer.id);
    if (ACTIVE.includes(s.state) && (await this.store.cancel(s.id))) return this.store.detail((await this.store.screening(s.id))!);
    await this.store.remove(s.id);
    return undefined;
  }

  private async started(screening: ScreeningRow, run: RunRow, officer: AuthenticatedOfficer, extra: Record<string, unknown>): Promise<void> {
    this.audit.record(
      'screening',
      run.ruleset_version,
      { officerId: officer.id, screeningId: screening.id, run: run.run, name: screening.name, format: screening.format, options: screening.options, ...extra },
      {
        rowsTotal: screening.rows_total,
        rowsFailed: screening.rows_failed,
        chunks: run.chunks_total,
        asOf: run.as_of,
        ignoredColumns: screening.columns.ignored.map((c) => c.header),
      },
      officer.id,
    );
    if (run.state !== 'completed') await this.runner.schedule(screening.id, run.run);
  }
}
