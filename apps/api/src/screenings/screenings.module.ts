import { Module } from '@nestjs/common';
import { Environment } from '../config/environment';
import { ScreeningRunnerService } from './runner/screening-runner.service';
import { ScreeningImportService } from './screening-import.service';
import { ScreeningProcessor } from './screening-processor.service';
import { ScreeningResultsService } from './screening-results.service';
import { ScreeningSettings, screeningSettingsFrom } from './screening-settings';
import { ScreeningStore } from './screening-store.service';
import { ScreeningUploadInterceptor } from './screening-upload.interceptor';
import { ScreeningsController } from './screenings.controller';
import { ScreeningsService } from './screenings.service';

/** Screening jobs (issue 7): uploads of prospects, durable chunked runs, results, exports and change impact. */
@Module({
  controllers: [ScreeningsController],
  providers: [
    { provide: ScreeningSettings, inject: [Environment], useFactory: screeningSettingsFrom },
    ScreeningStore,
    ScreeningImportService,
    ScreeningProcessor,
    ScreeningRunnerService,
    ScreeningResultsService,
    ScreeningsService,
    ScreeningUploadInterceptor,
  ],
})
export class ScreeningsModule {}
