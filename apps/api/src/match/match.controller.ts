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
    description: '{ rulesetVersion, evaluationId, asOf, districts, matches, nearMisses, questions } — each match carries match result v1 plus specificity.',
  })
  @ApiBadRequestResponse({ description: 'application/problem+json with errors: [{ path, message }]' })
  @ApiPayloadTooLargeResponse({ description: 'Body over the configured JSON limit' })
  match(@Body() body: MatchRequestDto): unknown {
    return this.matcher.match(body);
  }

  @Post('compare')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The same profile in Xuhui, Jing’an and Qingpu side by side: counts, measures by department, what only one district offers' })
  @ApiBody({ type: CompareRequestDto, examples: { prospect: PROFILE_EXAMPLES.prospect, jinganTesting: PROFILE_EXAMPLES.jinganTesting } })
  @ApiBadRequestResponse({ description: 'application/problem+json with errors: [{ path, message }]' })
  compare(@Body() body: CompareRequestDto): unknown {
    return this.matcher.compare(body);
  }
}
