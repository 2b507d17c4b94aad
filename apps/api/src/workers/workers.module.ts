import { Global, Module } from '@nestjs/common';
import { HeavyWorkPool } from './heavy-work.pool';

/** The worker-thread pool for CPU-heavy jobs, shared by every module. */
@Global()
@Module({ providers: [HeavyWorkPool], exports: [HeavyWorkPool] })
export class WorkersModule {}
