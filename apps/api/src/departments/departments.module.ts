import { Module } from '@nestjs/common';
import { MeasuresModule } from '../measures/measures.module';
import { DepartmentsController } from './departments.controller';
import { DepartmentsService } from './departments.service';

@Module({ imports: [MeasuresModule], controllers: [DepartmentsController], providers: [DepartmentsService] })
export class DepartmentsModule {}
