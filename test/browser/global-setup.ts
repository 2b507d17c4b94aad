import { ensureWebBuilt } from './support/web-build';

/** The browser tier drives the built app: build apps/web/dist first when it is missing or stale. */
export default function globalSetup(): void {
  ensureWebBuilt();
}
