import { SetMetadata } from '@nestjs/common';
import type { OfficerRole } from '@matcher/persistence';

export const PUBLIC_ROUTE = 'matcher:public';
export const REQUIRED_ROLE = 'matcher:role';

/** Open to anyone (rate-limited): the match and catalog endpoints. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Needs an officer's key; `admin` also needs that role. */
export const Protected = (role: OfficerRole = 'officer'): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLE, role);
