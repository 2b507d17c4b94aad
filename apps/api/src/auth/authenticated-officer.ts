import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { OfficerRole } from '@matcher/persistence';

export interface AuthenticatedOfficer {
  id: string;
  name: string;
  role: OfficerRole;
  keyId: string;
}

export type RequestWithOfficer = { officer?: AuthenticatedOfficer };

/** The officer the request's key belongs to (set by AuthGuard). */
export const CurrentOfficer = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedOfficer => {
  const officer = ctx.switchToHttp().getRequest<RequestWithOfficer>().officer;
  if (!officer) throw new Error('CurrentOfficer used on a route without AuthGuard');
  return officer;
});
