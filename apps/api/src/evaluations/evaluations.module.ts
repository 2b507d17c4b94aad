import { Module } from '@nestjs/common';
import { OfficerKeyGuard } from '../common/officer-key.guard';
import { EvaluationsController } from './evaluations.controller';

@Module({ controllers: [EvaluationsController], providers: [OfficerKeyGuard] })
export class EvaluationsModule {}
