import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  type PipeTransform,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ImportPreview, ProspectResult, RowErrorPage, ScreeningChanges, ScreeningDetail, ScreeningList, ScreeningResults } from '@matcher/contracts';
import { Protected } from '../auth/auth.decorators';
import { CurrentOfficer, type AuthenticatedOfficer } from '../auth/authenticated-officer';
import { PageQuery } from '../common/page.query';
import { invalidRequest } from '../common/problem';
import { validateDto } from '../common/validation.pipe';
import { ChangesQuery } from './dto/changes.query';
import { CreateScreeningDto } from './dto/create-screening.dto';
import { ProspectQuery } from './dto/prospect.query';
import { ExportQuery, ResultsQuery } from './dto/results.query';
import { ScreeningResultsService } from './screening-results.service';
import { ScreeningStore } from './screening-store.service';
import { templateCsv, templateXlsx } from './screening-template';
import { ScreeningUploadInterceptor } from './screening-upload.interceptor';
import { importLang } from './import/import-messages';
import { ScreeningsService } from './screenings.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => invalidRequest([{ path: 'id', message: 'must be a UUID' }]) });
/** A row number PostgreSQL's integer holds: 2147483648, -1 or 1e20 are a 400, not a database error. */
const rowNumber: PipeTransform<string, number> = {
  transform(value: string): number {
    const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(n >= 1 && n <= 2_147_483_647)) throw invalidRequest([{ path: 'row', message: 'must be a row number (1 to 2147483647)' }]);
    return n;
  },
};

@ApiTags('screenings')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiUnauthorizedResponse({ description: 'Missing, malformed, unknown or revoked key (problem+json)' })
@Protected()
@Controller('screenings')
export class ScreeningsController {
  constructor(
    private readonly screenings: ScreeningsService,
    private readonly results: ScreeningResultsService,
    private readonly store: ScreeningStore,
  ) {}

  @Get('template.csv')
  @ApiOperation({ summary: 'Upload template (CSV, UTF-8 with BOM): the Chinese headers and one example row' })
  @ApiOkResponse({
    content: { 'text/csv': { example: '企业名称,统一社会信用代码,所在区,功能区,行业,…\n上海某检测认证有限公司,,静安区,市北（中环北翼）,检验检测认证,…' } },
  })
  @ApiProduces('text/csv')
  templateCsv(@Res() res: Response): void {
    templateCsv(res);
  }

  @Get('template.xlsx')
  @ApiOperation({ summary: 'Upload template (XLSX): the sheet to fill and a sheet of every code with its labels' })
  @ApiOkResponse({
    content: {
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { example: '(an XLSX workbook: the same headers and example row as template.csv)' },
    },
  })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async templateXlsx(@Res() res: Response): Promise<void> {
    await templateXlsx(res);
  }

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @UseInterceptors(ScreeningUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'CSV (UTF-8, GB18030 or UTF-16; comma or tab), XLSX (first sheet) or NDJSON; header in row 1' },
        name: { type: 'string', maxLength: 200 },
        mapping: {
          type: 'string',
          description: 'JSON object: column header → profile field (null ignores the column)',
          example: '{"公司":"name","注册地":"district"}',
        },
        districts: { type: 'string', description: 'Comma list of districts to evaluate every prospect in', example: 'jingan,xuhui' },
        asOf: { type: 'string', example: '2025-06-01' },
        values: {
          type: 'string',
          description: 'JSON object: column header → { cell value → code (null drops it) }',
          example: '{"企业性质":{"国企":"local-state"}}',
        },
        lang: { type: 'string', enum: ['zh', 'en'], description: 'Language of row errors and warnings (default: Accept-Language, else Chinese)' },
      },
    },
  })
  @ApiOperation({
    summary: 'Upload prospects to screen (CSV, XLSX or NDJSON, up to SCREENING_MAX_ROWS rows)',
    description:
      'Headers in Chinese or English (企业名称/name, 统一社会信用代码/uscc, 所在区/district, 行业/sectors, 资质/qualifications…), or named by `mapping`. ' +
      'Cells hold codes or zh/en labels; multi-valued cells split on 、 ; , ，；. Rows are stored when the response comes (202): failed rows with their row number and reasons, ' +
      'columns that name no field reported in `warnings`. Screening runs in the background; poll GET /screenings/:id.',
  })
  @ApiAcceptedResponse({ description: 'The screening, queued: { id, state, rowsTotal, rowsFailed, rowErrors, columns, warnings, runs, … }' })
  @ApiPayloadTooLargeResponse({ description: 'File over SCREENING_MAX_UPLOAD_BYTES or more rows than SCREENING_MAX_ROWS' })
  async create(@Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentOfficer() officer: AuthenticatedOfficer): Promise<ScreeningDetail> {
    const file = req.file;
    if (!file) throw invalidRequest([{ path: 'file', message: 'is required: send the prospects as multipart/form-data field "file" (CSV, XLSX or NDJSON)' }]);
    const form = validateDto(CreateScreeningDto, { ...(req.body as Record<string, unknown>) });
    const screening = await this.screenings.create(
      { path: file.path, originalName: file.originalname, mimeType: file.mimetype, size: file.size },
      form,
      officer,
      importLang(form.lang, req.headers['accept-language']),
    );
    res.setHeader('Location', `/api/v1/screenings/${screening.id}`);
    return screening;
  }

  @Post('preview')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(ScreeningUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'The file POST /screenings would take' },
        mapping: { type: 'string', description: 'JSON object: column header → profile field (null ignores the column)', example: '{"注册地":"district"}' },
        values: { type: 'string', description: 'JSON object: column header → { cell value → code }', example: '{"企业性质":{"国企":"local-state"}}' },
        lang: { type: 'string', enum: ['zh', 'en'] },
      },
    },
  })
  @ApiOperation({
    summary: 'Analyse an upload without screening it: each column and the field it fills, the first rows, the values to fix',
    description:
      'The same reading as POST /screenings (same headers, synonyms, `mapping` and `values`), but nothing is stored or screened. ' +
      "`columns` name each header's field (recognised, from the mapping, or unknown with suggested fields); `values` list each unknown or ambiguous cell value " +
      'once, with its column, the rows holding it and the codes to choose from; `errors` are column problems that would make POST /screenings refuse the file.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        format: 'csv',
        encoding: 'gb18030',
        columns: [
          { index: 0, header: '公司名称', field: 'name', source: 'recognised', suggestions: [] },
          { index: 1, header: '注册地', field: 'location.district', source: 'recognised', suggestions: [] },
          { index: 2, header: '企业性质', field: 'ownership', source: 'recognised', suggestions: [] },
          { index: 3, header: '备注', field: null, source: 'unknown', suggestions: [] },
        ],
        sampleRows: [{ row: 2, cells: ['上海甲生物科技有限公司', '静按区', '国企', '老客户'] }],
        rowsTotal: 1,
        rowsValid: 0,
        rowsFailed: 1,
        values: [
          {
            column: '注册地',
            field: 'location.district',
            value: '静按区',
            reason: 'unknown-value',
            message: '"静按区"不是可识别的注册所在区。最接近的有效值：静安区',
            candidates: [{ field: 'location.district', code: 'jingan', zh: '静安区', en: "Jing'an" }],
            rows: [2],
            count: 1,
          },
          {
            column: '企业性质',
            field: 'ownership',
            value: '国企',
            reason: 'ambiguous-value',
            message: '"国企"可能指 中央国有 或 地方国有，未作猜测；请选定其一。',
            candidates: [
              { field: 'ownership', code: 'central-state', zh: '中央国有', en: 'Central state-owned' },
              { field: 'ownership', code: 'local-state', zh: '地方国有', en: 'Local state-owned' },
            ],
            rows: [2],
            count: 1,
          },
        ],
        rowErrors: [],
        errors: [],
        fields: [{ key: 'name', kind: 'text', zh: '企业名称', en: 'Name' }],
      },
    },
  })
  async preview(@Req() req: Request): Promise<ImportPreview> {
    const file = req.file;
    if (!file) throw invalidRequest([{ path: 'file', message: 'is required: send the prospects as multipart/form-data field "file" (CSV, XLSX or NDJSON)' }]);
    const form = validateDto(CreateScreeningDto, { ...(req.body as Record<string, unknown>) });
    return this.screenings.preview(
      { path: file.path, originalName: file.originalname, mimeType: file.mimetype, size: file.size },
      form,
      importLang(form.lang, req.headers['accept-language']),
    );
  }

  @Get()
  @ApiOperation({ summary: "The officer's own screenings, newest first" })
  @ApiOkResponse({
    description: '{ items: [{ id, name, state, rowsTotal, rowsDone, rowsFailed, createdAt, finishedAt, currentRun }] }',
    schema: {
      example: {
        items: [
          {
            id: '7c0e…',
            name: '第四季度招商名单',
            state: 'completed',
            rowsTotal: 3,
            rowsDone: 2,
            rowsFailed: 1,
            createdAt: '2026-11-21T19:00:00.000Z',
            finishedAt: '2026-11-21T19:00:02.000Z',
            currentRun: 1,
          },
        ],
      },
    },
  })
  async list(@CurrentOfficer() officer: AuthenticatedOfficer): Promise<ScreeningList> {
    return { items: await this.screenings.list(officer) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'State, progress, row errors (first 1000), column report and runs' })
  @ApiOkResponse({
    schema: {
      example: {
        id: '7c0e…',
        name: '第四季度招商名单',
        state: 'running',
        rowsTotal: 3,
        rowsDone: 2,
        rowsFailed: 1,
        rowErrors: [{ row: 3, errors: [{ path: 'location.district', message: '"火星区" is not a code or label of 注册所在区', column: '所在区' }] }],
        runs: [{ run: 1, rulesetVersion: '942d4b93c51ea6ed', state: 'running', startedAt: '2026-11-21T19:00:00.000Z', finishedAt: null }],
      },
    },
  })
  @ApiNotFoundResponse({ description: 'No such screening for this officer' })
  detail(@Param('id', uuid) id: string, @CurrentOfficer() officer: AuthenticatedOfficer): Promise<ScreeningDetail> {
    return this.screenings.detail(id, officer);
  }

  @Get(':id/results')
  @ApiOperation({
    summary: 'Results, one item per prospect × evaluated district; filter by district, department, measure; sort row | -matchCount | matchCount | name',
  })
  @ApiOkResponse({
    schema: {
      example: {
        total: 2,
        limit: 50,
        offset: 0,
        items: [
          {
            row: 2,
            name: '上海甲检测技术有限公司',
            uscc: null,
            district: 'jingan',
            scenario: 'current-location',
            matchCount: 13,
            inForceCount: 13,
            measures: [
              {
                measureId: 'jingan-2024-professional-services-quality',
                title: '支持专业服务业品质化升级',
                titleEn: 'Upgrade the quality of professional services',
                status: 'in-force',
                departments: ['区司法局', '区财政局'],
              },
            ],
          },
        ],
      },
    },
  })
  @ApiNotFoundResponse({ description: 'No such screening for this officer' })
  async resultsJson(@Param('id', uuid) id: string, @Query() query: ResultsQuery, @CurrentOfficer() officer: AuthenticatedOfficer): Promise<ScreeningResults> {
    return this.results.results(await this.store.owned(id, officer.id), query);
  }

  @Get(':id/results.csv')
  @ApiOperation({
    summary:
      'All results (filters apply) as CSV (UTF-8 with BOM), streamed; Chinese and English headers; lang=en for English titles. ' +
      'Rows name measure ids and short titles; each measure’s status, end date and document are in results-measures.csv. ' +
      'Compressed only when Accept-Encoding asks for it',
  })
  @ApiProduces('text/csv')
  async resultsCsv(
    @Param('id', uuid) id: string,
    @Query() query: ExportQuery,
    @CurrentOfficer() officer: AuthenticatedOfficer,
    @Res() res: Response,
  ): Promise<void> {
    await this.results.exportCsv(await this.store.owned(id, officer.id), query, res);
  }

  @Get(':id/results-measures.csv')
  @ApiOperation({
    summary:
      'The measures of the results (same filters, run and lang as results.csv), each once: id, title, status and end date on the run’s date, ' +
      'departments, document, and how many results list it',
  })
  @ApiProduces('text/csv')
  @ApiNotFoundResponse({ description: 'No such screening for this officer' })
  async resultsMeasuresCsv(
    @Param('id', uuid) id: string,
    @Query() query: ExportQuery,
    @CurrentOfficer() officer: AuthenticatedOfficer,
    @Res() res: Response,
  ): Promise<void> {
    await this.results.exportMeasuresCsv(await this.store.owned(id, officer.id), query, res);
  }

  @Get(':id/results.xlsx')
  @ApiOperation({
    summary:
      'All results (filters apply) as XLSX, streamed: the results sheet (as results.csv), the measure list (each measure once) and the per-prospect × measure detail',
  })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async resultsXlsx(
    @Param('id', uuid) id: string,
    @Query() query: ExportQuery,
    @CurrentOfficer() officer: AuthenticatedOfficer,
    @Res() res: Response,
  ): Promise<void> {
    await this.results.exportXlsx(await this.store.owned(id, officer.id), query, res);
  }

  @Get(':id/row-errors')
  @ApiOperation({ summary: 'The rows that could not be read, paged ({ total, limit, offset, items: [{ row, errors }] }); the detail shows the first 100' })
  @ApiOkResponse({
    description: 'Rows that could not be read, with the spreadsheet row beside the position read',
    content: {
      'application/json': {
        example: {
          total: 1,
          limit: 50,
          offset: 0,
          items: [
            { row: 3, sheetRow: 4, errors: [{ path: 'profile.location.district', message: '第3行「所在区」：“静按区”不是可识别的区，您是否指“静安区”？' }] },
          ],
        },
      },
    },
  })
  @ApiNotFoundResponse({ description: 'No such screening for this officer' })
  async rowErrors(@Param('id', uuid) id: string, @Query() query: PageQuery, @CurrentOfficer() officer: AuthenticatedOfficer): Promise<RowErrorPage> {
    return this.store.rowErrors(await this.store.owned(id, officer.id), query.limit, query.offset);
  }

  @Get(':id/prospects/:row')
  @ApiOperation({ summary: "One prospect's full result (as POST /api/v1/match), or its row errors" })
  @ApiOkResponse({ description: 'As POST /api/v1/match: { rulesetVersion, asOf, districts, matches, nearMisses, questions }, plus the row and its profile' })
  @ApiNotFoundResponse({ description: 'No such screening or row' })
  async prospect(
    @Param('id', uuid) id: string,
    @Param('row', rowNumber) row: number,
    @Query() query: ProspectQuery,
    @CurrentOfficer() officer: AuthenticatedOfficer,
  ): Promise<ProspectResult> {
    return this.results.prospect(await this.store.owned(id, officer.id), row, query.lang ?? 'zh');
  }

  @Post(':id/rerun')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Re-screen the stored prospects against the current ruleset as a new run' })
  @ApiAcceptedResponse({
    schema: {
      example: {
        id: '7c0e…',
        state: 'queued',
        runs: [
          { run: 1, state: 'completed' },
          { run: 2, state: 'queued' },
        ],
      },
    },
  })
  @ApiConflictResponse({ description: 'The screening is still queued or running' })
  async rerun(
    @Param('id', uuid) id: string,
    @CurrentOfficer() officer: AuthenticatedOfficer,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ScreeningDetail> {
    const screening = await this.screenings.rerun(id, officer);
    res.setHeader('Location', `/api/v1/screenings/${screening.id}`);
    return screening;
  }

  @Get(':id/changes')
  @ApiOperation({ summary: 'Per prospect × district, measures gained and lost between two runs (default: the last two), keyed by ruleset version' })
  @ApiOkResponse({
    schema: {
      example: {
        fromRun: 1,
        toRun: 2,
        fromRulesetVersion: '942d4b93c51ea6ed',
        toRulesetVersion: 'a81c0f6e2d4b9e17',
        total: 1,
        items: [{ row: 2, name: '上海甲检测技术有限公司', district: 'jingan', gained: ['jingan-2024-industry-influence'], lost: [] }],
      },
    },
  })
  @ApiConflictResponse({ description: 'Fewer than two runs, or a run not completed' })
  async changes(@Param('id', uuid) id: string, @Query() query: ChangesQuery, @CurrentOfficer() officer: AuthenticatedOfficer): Promise<ScreeningChanges> {
    return this.results.changes(await this.store.owned(id, officer.id), query);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Cancel a queued or running screening (200, state cancelled), or remove a finished one (204)' })
  @ApiOkResponse({ description: 'Cancelled: the screening with state cancelled' })
  @ApiNoContentResponse({ description: 'Removed' })
  async remove(
    @Param('id', uuid) id: string,
    @CurrentOfficer() officer: AuthenticatedOfficer,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ScreeningDetail | undefined> {
    const cancelled = await this.screenings.cancelOrRemove(id, officer);
    if (!cancelled) res.status(HttpStatus.NO_CONTENT);
    return cancelled;
  }
}
