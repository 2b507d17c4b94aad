import { Module } from '@nestjs/common';
import { SessionController } from './session.controller';
import { SignInThrottle } from './sign-in-throttle';

@Module({ controllers: [SessionController], providers: [SignInThrottle] })
export class SessionModule {}
