import { Module } from '@nestjs/common';
import { Environment } from '../config/environment';
import { ScreeningSettings, screeningSettingsFrom } from '../screenings/screening-settings';
import { RetentionService } from './retention.service';

/** Deletes evaluations and finished screenings past their retention (README: what is stored, for how long). */
@Module({
  providers: [{ provide: ScreeningSettings, inject: [Environment], useFactory: screeningSettingsFrom }, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
