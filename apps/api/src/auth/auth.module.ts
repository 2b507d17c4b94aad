import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminKeyService } from './admin-key.service';
import { AuthGuard } from './auth.guard';

@Global()
@Module({ providers: [AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }, AdminKeyService], exports: [AuthGuard] })
export class AuthModule {}
