import { Injectable } from '@nestjs/common';
import { FailureThrottle } from '../auth/failure-throttle';

/** Failed sign-ins allowed per client address, and per key prefix (the guessed key's first characters), per window. */
export const FAILURES_PER_CLIENT = 10;
export const FAILURES_PER_PREFIX = 20;

/** Failed sign-ins (POST /session), throttled per client and per key prefix. */
@Injectable()
export class SignInThrottle extends FailureThrottle {
  constructor() {
    super(FAILURES_PER_CLIENT, FAILURES_PER_PREFIX, 'sign-ins');
  }
}
