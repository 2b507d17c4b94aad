import { Public } from '../auth/auth.decorators';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { isCalendarDate } from '../common/is-calendar-date';
import { invalidRequest } from '../common/problem';
import { ListMeasuresQuery } from './dto/list-measures.query';
import type { MeasureDetail, MeasureList } from '@matcher/contracts';
import { MeasuresService } from './measures.service';

@Public()
@ApiTags('catalog')
@Controller('measures')
export class MeasuresController {
  constructor(private readonly measures: MeasuresService) {}

  @Get()
  @ApiOperation({ summary: 'Measures, filtered and paged: { total, limit, offset, asOf, items }' })
  @ApiOkResponse({
    schema: {
      example: {
        total: 1,
        limit: 50,
        offset: 0,
        asOf: '2025-06-01',
        items: [{ id: 'jingan-2024-professional-services-quality', district: 'jingan', title: '支持专业服务业品质化升级', status: 'in-force' }],
      },
    },
  })
  list(@Query() query: ListMeasuresQuery): MeasureList {
    return this.measures.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: "One measure: its whole record, the rule's conditions in words, and the source paragraph around the quote" })
  @ApiQuery({ name: 'asOf', required: false, example: '2025-06-01' })
  @ApiNotFoundResponse({ description: 'No such measure' })
  detail(@Param('id') id: string, @Query('asOf') asOf?: string): MeasureDetail {
    if (asOf !== undefined && !isCalendarDate(asOf)) throw invalidRequest([{ path: 'asOf', message: 'must be a real date written YYYY-MM-DD' }]);
    return this.measures.detail(id, asOf);
  }
}
