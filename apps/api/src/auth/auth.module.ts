import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminKeyService } from './admin-key.service';
import { AuthGuard } from './auth.guard';

@Global()
@Module({ providers: [{ provide: APP_GUARD, useClass: AuthGuard }, AdminKeyService] })
export class AuthModule {}
