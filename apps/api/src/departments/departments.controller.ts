import { Public } from '../auth/auth.decorators';
import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListMeasuresQuery } from '../measures/dto/list-measures.query';
import { MeasuresService } from '../measures/measures.service';
import { DepartmentsService } from './departments.service';

@Public()
@ApiTags('catalog')
@Controller('departments')
export class DepartmentsController {
  constructor(
    private readonly departments: DepartmentsService,
    private readonly measures: MeasuresService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Departments of the three districts, with how many measures each is responsible for (named by the document or inferred)' })
  list(): Promise<unknown> {
    return this.departments.list();
  }

  @Get(':id/measures')
  @ApiOperation({ summary: "A department's measures, with the same filters and paging as GET /measures" })
  @ApiNotFoundResponse({ description: 'No such department' })
  measuresOf(@Param('id') id: string, @Query() query: ListMeasuresQuery): Promise<unknown> {
    if (!this.measures.hasDepartment(id)) throw new NotFoundException(`No department with id ${id}`);
    return this.measures.list(query, id);
  }
}
