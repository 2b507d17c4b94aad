import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Observable } from 'rxjs';
import type { LiveRuleset, RulesetSnapshot } from './live-ruleset.service';

export type PinnedRequest = Request & { rulesetSnapshot?: RulesetSnapshot };

/**
 * First thing on every request: the live snapshot is pinned to it and named in X-Ruleset-Version, so a
 * switch while the request runs changes neither what it reads nor what it says it read.
 */
export function pinRuleset(live: LiveRuleset) {
  return (req: PinnedRequest, res: Response, next: NextFunction): void => {
    const snapshot = live.liveSnapshot();
    req.rulesetSnapshot = snapshot;
    res.setHeader('X-Ruleset-Version', snapshot.version);
    live.run(snapshot, next);
  };
}

/**
 * Runs each handler inside its request's pinned snapshot. The middleware's context does not survive body
 * parsing (stream callbacks run outside it), so the pin is entered again right around the handler.
 */
@Injectable()
export class RulesetPinInterceptor implements NestInterceptor {
  constructor(private readonly live: LiveRuleset) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<PinnedRequest>();
    const snapshot = req.rulesetSnapshot ?? this.live.liveSnapshot();
    return new Observable((subscriber) => this.live.run(snapshot, () => next.handle().subscribe(subscriber)));
  }
}
