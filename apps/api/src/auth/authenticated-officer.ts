import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { SignedInOfficer } from '@matcher/contracts';

/** The officer a request's key or session belongs to, as GET /officers/me answers. */
export type AuthenticatedOfficer = SignedInOfficer;

export type RequestWithOfficer = { officer?: AuthenticatedOfficer };

/** The officer the request's key belongs to (set by AuthGuard). */
export const CurrentOfficer = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedOfficer => {
  const officer = ctx.switchToHttp().getRequest<RequestWithOfficer>().officer;
  if (!officer) throw new Error('CurrentOfficer used on a route without AuthGuard');
  return officer;
});
