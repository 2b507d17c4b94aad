import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { todayInShanghai } from '@matcher/engine';
import { Protected } from '../auth/auth.decorators';
import { CurrentOfficer, type AuthenticatedOfficer } from '../auth/authenticated-officer';
import { LiveRuleset } from '../catalog/live-ruleset.service';
import { isCalendarDate } from '../common/is-calendar-date';
import { invalidRequest } from '../common/problem';
import { importLang } from '../screenings/import/import-messages';
import type {
  Activated,
  CreatedDraft,
  DraftDocument,
  DraftEdit,
  DraftImpact,
  DraftView,
  ExpiryResponse,
  Published,
  Rebased,
  VersionList,
  VersionPreview,
} from '@matcher/contracts';
import { CatalogAdminService, expiryReport } from './catalog-admin.service';

const uuid = (name: string): ParseUUIDPipe => new ParseUUIDPipe({ exceptionFactory: () => invalidRequest([{ path: name, message: 'must be a UUID' }]) });
const VERSION = /^[A-Za-z0-9-]{1,64}$/;
const DOCUMENT_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

@ApiTags('catalog lifecycle')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiUnauthorizedResponse({ description: 'Missing, malformed, unknown or revoked key' })
@ApiForbiddenResponse({ description: 'Needs an administrator' })
@Controller('catalog')
export class CatalogAdminController {
  constructor(
    private readonly admin: CatalogAdminService,
    private readonly live: LiveRuleset,
  ) {}

  @Post('drafts')
  @Protected('admin')
  @ApiOperation({ summary: 'Upload a policy bundle (docs/policy-bundles.md): a draft of the live version with it applied, checked as rules:check checks' })
  @ApiBody({ schema: { type: 'object', example: { format: 'policy-bundle/1', description: '…', documents: [], withdraw: [] } } })
  @ApiCreatedResponse({ description: '{ id, rulesetVersion, findings: [], diff }' })
  @ApiUnprocessableEntityResponse({
    description:
      'application/problem+json: errors [{ path, message }] and, for a stored draft, draftId and findings [{ path, documentId, measureId, message }]',
  })
  createDraft(@Body() body: Record<string, unknown>, @CurrentOfficer() officer: AuthenticatedOfficer): Promise<CreatedDraft> {
    return this.admin.createDraft(body, officer);
  }

  @Get('drafts/:id')
  @Protected('admin')
  @ApiOperation({ summary: 'A draft: its findings and its diff against the live version, in words' })
  @ApiNotFoundResponse({ description: 'No such draft' })
  @ApiOkResponse({
    schema: {
      example: {
        id: '6f1c0a9e-2f4b-4c1d-9a51-0e5b7c3d2a10',
        rulesetVersion: 'a1b2c3d4e5f60718',
        basedOn: 'e3f300a508b69b6f',
        findings: [],
        diff: { added: [{ measureId: 'jingan-2026-example' }], removed: [], changed: [], summary: { zh: '新增 1 项措施…', en: '1 measures added…' } },
      },
    },
  })
  async draft(@Param('id', uuid('id')) id: string, @Res({ passthrough: true }) res: Response): Promise<DraftView> {
    const view = await this.admin.draft(id);
    res.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Get('drafts/:id/documents/:documentId')
  @Protected('admin')
  @ApiOperation({ summary: 'A document of a draft for editing: its record, text, measures (conditions, basis, cases) and the district directory' })
  @ApiNotFoundResponse({ description: 'No such draft or document' })
  @ApiOkResponse({
    schema: {
      example: {
        document: { id: 'jingan-modern-industry-measures-2024', district: 'jingan', term: '自公布之日起生效，有效期至2026年12月31日', withdrawn: false },
        text: '……',
        measures: [
          { measureId: 'jingan-2024-cost-reduction', title: '支持经营主体降本增效', quote: '多措并举降低经营主体用工……', withdrawn: false, cases: [] },
        ],
        directory: [{ id: 'jingan-commission-of-commerce', name: '区商务委', fullName: '静安区商务委员会', nameEn: "Jing'an District Commission of Commerce" }],
      },
    },
  })
  draftDocument(@Param('id', uuid('id')) id: string, @Param('documentId') documentId: string): Promise<DraftDocument> {
    if (!DOCUMENT_ID.test(documentId)) throw invalidRequest([{ path: 'documentId', message: 'must be a document id' }]);
    return this.admin.draftDocument(id, documentId);
  }

  @Post('drafts/:id/edits')
  @Protected('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Edit a draft in place (set-term, withdraw/restore a document or measure, edit-measure, add-document, add-measure); checked as rules:check checks, findings by field',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the draft as read (GET /catalog/drafts/:id)' })
  @ApiBody({
    schema: {
      type: 'object',
      example: { action: 'set-term', documentId: 'jingan-modern-industry-measures-2024', validFrom: '2024-12-09', validTo: '2026-12-31' },
    },
  })
  @ApiOkResponse({ description: 'The draft after the edit, with its new ETag' })
  @ApiConflictResponse({ description: 'application/problem+json: the draft changed since the If-Match revision; `changes` lists the edits made since' })
  @ApiUnprocessableEntityResponse({ description: 'application/problem+json: errors [{ path, message }] for each field of the edit' })
  async edit(
    @Param('id', uuid('id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Body() body: Record<string, unknown>,
    @CurrentOfficer() officer: AuthenticatedOfficer,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DraftView> {
    const view = await this.admin.edit(id, ifMatch, body as unknown as DraftEdit, officer, importLang(undefined, acceptLanguage));
    res.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Post('drafts/:id/rebase')
  @Protected('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rebuild a draft on the version live now, keeping its own changes; 409 with the conflicting parts unless `prefer` says whose to keep',
  })
  @ApiBody({ schema: { type: 'object', example: { prefer: 'draft' } } })
  rebase(
    @Param('id', uuid('id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: Record<string, unknown> | undefined,
    @CurrentOfficer() officer: AuthenticatedOfficer,
  ): Promise<Rebased> {
    const prefer = body?.prefer;
    if (prefer !== undefined && prefer !== 'draft' && prefer !== 'live') throw invalidRequest([{ path: 'prefer', message: 'must be draft or live' }]);
    return this.admin.rebase(id, ifMatch, prefer, officer);
  }

  @Get('drafts/:id/impact')
  @Protected('admin')
  @ApiOperation({ summary: 'For each saved screening, how many prospects would gain or lose which measures in force; nothing is written' })
  @ApiOkResponse({
    schema: {
      example: {
        draftId: '6f1c0a9e-2f4b-4c1d-9a51-0e5b7c3d2a10',
        from: 'e3f300a508b69b6f',
        to: 'a1b2c3d4e5f60718',
        screenings: [
          {
            screeningId: '…',
            asOf: '2026-11-28',
            prospects: 120,
            prospectsAffected: 14,
            gained: [{ measureId: 'jingan-2026-example', prospects: 14 }],
            lost: [],
          },
        ],
      },
    },
  })
  impact(@Param('id', uuid('id')) id: string): Promise<DraftImpact> {
    return this.admin.impact(id);
  }

  @Post('drafts/:id/publish')
  @Protected('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Publish a draft: it becomes the live version on every instance' })
  @ApiOkResponse({ schema: { example: { rulesetVersion: 'a1b2c3d4e5f60718', previousVersion: 'e3f300a508b69b6f' } } })
  publish(@Param('id', uuid('id')) id: string, @CurrentOfficer() officer: AuthenticatedOfficer): Promise<Published> {
    return this.admin.publish(id, officer);
  }

  @Get('versions')
  @Protected('admin')
  @ApiOperation({ summary: 'Published versions (which is live, who published it and when) and who made which version live' })
  @ApiOkResponse({
    schema: {
      example: {
        live: 'a1b2c3d4e5f60718',
        items: [
          {
            rulesetVersion: 'a1b2c3d4e5f60718',
            live: true,
            origin: 'bundle',
            measures: 306,
            publishedBy: '管理员 (…)',
            publishedAt: '2026-11-28T09:00:00.000Z',
          },
        ],
        activations: [
          { rulesetVersion: 'a1b2c3d4e5f60718', previousVersion: 'e3f300a508b69b6f', action: 'publish', by: '管理员 (…)', at: '2026-11-28T09:00:00.000Z' },
        ],
      },
    },
  })
  versions(): Promise<VersionList> {
    return this.admin.versions();
  }

  @Get('versions/:version/preview')
  @Protected('admin')
  @ApiOperation({ summary: 'What making a published version live would change: the diff in words and the saved screenings affected (counts only)' })
  @ApiNotFoundResponse({ description: 'No such published version' })
  @ApiOkResponse({
    schema: {
      example: {
        from: 'a1b2c3d4e5f60718',
        to: 'e3f300a508b69b6f',
        diff: {
          added: [],
          removed: [],
          changed: [{ measureId: 'jingan-2024-cost-reduction' }],
          summary: { zh: '新增 0 项措施，删除 0 项，修改 1 项…', en: '…' },
        },
        screenings: [{ screeningId: '…', asOf: '2026-11-28', prospects: 120, prospectsAffected: 14, gained: [], lost: [] }],
      },
    },
  })
  versionPreview(@Param('version') version: string): Promise<VersionPreview> {
    if (!VERSION.test(version)) throw invalidRequest([{ path: 'version', message: 'must be a ruleset version' }]);
    return this.admin.versionPreview(version);
  }

  @Post('versions/:version/activate')
  @Protected('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Make a published version live again: roll back or forward' })
  @ApiOkResponse({ schema: { example: { rulesetVersion: 'e3f300a508b69b6f', previousVersion: 'a1b2c3d4e5f60718', changed: true } } })
  activate(@Param('version') version: string, @CurrentOfficer() officer: AuthenticatedOfficer): Promise<Activated> {
    if (!VERSION.test(version)) throw invalidRequest([{ path: 'version', message: 'must be a ruleset version' }]);
    return this.admin.activate(version, officer);
  }

  @Get('expiry')
  @Protected('officer')
  @ApiOperation({ summary: 'Measures of the live version expiring within `days`, and expired ones with no successor, by district and department' })
  @ApiOkResponse({
    schema: {
      example: {
        asOf: '2026-11-28',
        days: 90,
        expiring: [],
        expiredWithoutSuccessor: [{ measureId: 'xuhui-5te-hq-upgrade', validTo: '2025-12-31' }],
        byDistrict: [],
        byDepartment: [],
      },
    },
  })
  @ApiQuery({ name: 'days', required: false, example: 90 })
  @ApiQuery({ name: 'asOf', required: false, example: '2026-11-28' })
  expiry(@Query('days') days?: string, @Query('asOf') asOf?: string): ExpiryResponse {
    const errors = [];
    if (days !== undefined && !/^\d{1,4}$/.test(days)) errors.push({ path: 'days', message: 'must be a whole number of days from 0 to 9999' });
    if (asOf !== undefined && !isCalendarDate(asOf)) errors.push({ path: 'asOf', message: 'must be a real date written YYYY-MM-DD' });
    if (errors.length) throw invalidRequest(errors);
    return {
      rulesetVersion: this.live.version,
      ...expiryReport(this.live.catalog.measures, asOf ?? todayInShanghai(), days === undefined ? 90 : Number(days)),
    };
  }
}
