import { Public } from '../auth/auth.decorators';
import { Body, Controller, HttpCode, HttpStatus, NotFoundException, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthGuard, presentedKey, presentedSession } from '../auth/auth.guard';
import { CatalogAdminService } from '../catalog-admin/catalog-admin.service';
import { LiveRuleset, type RulesetSnapshot } from '../catalog/live-ruleset.service';
import { invalidRequest, ProblemException } from '../common/problem';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import { PROFILE_EXAMPLES } from '../common/api-examples';
import { CompareRequestDto } from './dto/compare-request.dto';
import { MatchRequestDto } from './dto/match-request.dto';
import type { CompareResponse, MatchResponse } from '@matcher/contracts';
import { MatchService } from './match.service';

const hasCredentials = (req: Request): boolean => presentedKey(req) !== undefined || presentedSession(req) !== undefined;

@Public()
@ApiTags('match')
@Controller('match')
export class MatchController {
  constructor(
    private readonly matcher: MatchService,
    private readonly live: LiveRuleset,
    private readonly auth: AuthGuard,
    private readonly admin: CatalogAdminService,
  ) {}

  /** The snapshot an administrator asked to simulate against (`draft` or `rulesetVersion`); undefined for the live one. */
  private async simulated(body: MatchRequestDto, req: Request): Promise<RulesetSnapshot | undefined> {
    if (body.draft === undefined && body.rulesetVersion === undefined) return undefined;
    if (body.draft !== undefined && body.rulesetVersion !== undefined)
      throw invalidRequest([{ path: 'draft', message: 'give draft or rulesetVersion, not both' }]);
    const officer = await this.auth.identify(req);
    if (officer.role !== 'admin')
      throw new ProblemException({
        type: 'about:blank#forbidden',
        status: HttpStatus.FORBIDDEN,
        detail: 'Matching against a draft or another version needs an administrator.',
      });
    if (body.draft !== undefined) return this.admin.draftSnapshot(body.draft);
    const snapshot = await this.live.published(body.rulesetVersion!);
    if (!snapshot) throw new NotFoundException(`No published version ${body.rulesetVersion}`);
    return snapshot;
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Measures that apply to a profile, why, what nearly applies, and which facts to ask next' })
  @ApiBody({ type: MatchRequestDto, examples: PROFILE_EXAMPLES })
  @ApiOkResponse({
    description:
      '{ rulesetVersion, evaluationId, lang, asOf, districts, matches, priorities, nearMisses, nearMissesTotal, questions, summary }. ' +
      "`matches`: measures (kind measure) only, match result v1 plus specificity, summary, factsUsed and, for a broad measure, precision/precisionNote/precisionNoteEn (check that condition yourself); the company's own district first, then in force first. " +
      "`priorities`: district priorities (kind priority) that name the company's sector, area or plan: { measureId, district, title, titleEn, section, quote, documentId, status, validFrom, validTo, scenario, names }. " +
      '`nearMisses`: measures within reach, reason "needs-info" (missing: the unknown facts) or "one-change" (failed: one condition on plans, qualifications, talent, headquarters, headquartersRecognition, listing, location.area or metrics); never a rule failing on sectors, roles, ownership, size or the current district; closest first, then in force, then targeted; at most nearMissLimit (default 10), nearMissesTotal counts all. ' +
      '`questions`: only facts that decide measures in force (or of unstated term) as of asOf; "none of these" is always a valid answer. ' +
      '`summary`: { matches: { total, inForce, termUnknown, notYetInForce, expired }, targeted, general, nearMisses: { total, needsInfo, oneChange }, priorities, lastInForce, headline: { zh, en }, questionsNote }.',
  })
  @ApiBadRequestResponse({ description: 'application/problem+json with errors: [{ path, message }]' })
  @ApiPayloadTooLargeResponse({ description: 'Body over the configured JSON limit' })
  async match(@Body() body: MatchRequestDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<MatchResponse> {
    const snapshot = await this.simulated(body, req);
    const officerId = await this.officerOf(req);
    if (!snapshot) return this.matcher.match(body, officerId);
    res.setHeader('X-Ruleset-Version', snapshot.version);
    return this.live.run(snapshot, () => this.matcher.match(body, officerId));
  }

  /**
   * The officer whose key or session came with an open request, so that they can read its evaluation back;
   * null for everyone else (a public evaluation is readable by nobody). Credentials that do not hold make the
   * request a public one rather than failing it.
   */
  private async officerOf(req: Request): Promise<string | null> {
    if (!hasCredentials(req)) return null;
    try {
      return (await this.auth.identify(req)).id;
    } catch {
      return null;
    }
  }

  @Post('compare')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Which district offers the company more: per district measures in force and all as of the date, by support type and department, what only one district offers, priorities naming the sector, and a one-sentence verdict',
  })
  @ApiBody({ type: CompareRequestDto, examples: { prospect: PROFILE_EXAMPLES.prospect, jinganTesting: PROFILE_EXAMPLES.jinganTesting } })
  @ApiBadRequestResponse({ description: 'application/problem+json with errors: [{ path, message }]' })
  async compare(@Body() body: CompareRequestDto, @Req() req: Request): Promise<CompareResponse> {
    return this.matcher.compare(body, await this.officerOf(req));
  }
}
