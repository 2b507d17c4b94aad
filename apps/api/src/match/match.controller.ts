import { Public } from '../auth/auth.decorators';
import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import { PROFILE_EXAMPLES } from '../common/api-examples';
import { CompareRequestDto } from './dto/compare-request.dto';
import { MatchRequestDto } from './dto/match-request.dto';
import { MatchService } from './match.service';

@Public()
@ApiTags('match')
@Controller('match')
export class MatchController {
  constructor(private readonly matcher: MatchService) {}

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
  match(@Body() body: MatchRequestDto): unknown {
    return this.matcher.match(body);
  }

  @Post('compare')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Which district offers the company more: per district measures in force and all as of the date, by support type and department, what only one district offers, priorities naming the sector, and a one-sentence verdict',
  })
  @ApiBody({ type: CompareRequestDto, examples: { prospect: PROFILE_EXAMPLES.prospect, jinganTesting: PROFILE_EXAMPLES.jinganTesting } })
  @ApiBadRequestResponse({ description: 'application/problem+json with errors: [{ path, message }]' })
  compare(@Body() body: CompareRequestDto): unknown {
    return this.matcher.compare(body);
  }
}
