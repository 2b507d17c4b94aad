import { Public } from '../auth/auth.decorators';
import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListMeasuresQuery } from '../measures/dto/list-measures.query';
import { MeasuresService } from '../measures/measures.service';
import type { DepartmentList, MeasureList } from '@matcher/contracts';
import { DepartmentsService } from './departments.service';

@Public()
@ApiTags('catalog')
@Controller('departments')
export class DepartmentsController {
  constructor(
    private readonly departments: DepartmentsService,
    private readonly measures: MeasuresService,
  ) {}

  @ApiOkResponse({
    schema: {
      example: {
        total: 36,
        items: [
          {
            id: 'jingan-bureau-of-justice',
            district: 'jingan',
            name: '区司法局',
            fullName: '静安区司法局',
            nameEn: "Jing'an District Bureau of Justice",
            measures: { total: 7, document: 7, inferred: 0 },
          },
        ],
      },
    },
  })
  @Get()
  @ApiOperation({ summary: 'Departments of the three districts, with how many measures each is responsible for (named by the document or inferred)' })
  list(): DepartmentList {
    return this.departments.list();
  }

  @ApiOkResponse({
    schema: {
      example: {
        total: 7,
        limit: 50,
        offset: 0,
        asOf: '2025-06-01',
        items: [{ id: 'jingan-2024-professional-services-quality', title: '支持专业服务业品质化升级', status: 'in-force' }],
      },
    },
  })
  @Get(':id/measures')
  @ApiOperation({ summary: "A department's measures, with the same filters and paging as GET /measures" })
  @ApiNotFoundResponse({ description: 'No such department' })
  measuresOf(@Param('id') id: string, @Query() query: ListMeasuresQuery): MeasureList {
    if (!this.measures.hasDepartment(id)) throw new NotFoundException(`No department with id ${id}`);
    return this.measures.list(query, id);
  }
}
