/**
 * How many cases a property test draws. PROPERTY_RUNS_SCALE (default 1) scales every count: CI's second pass, on
 * Node 24, checks that the runtime behaves the same and draws a tenth, since the full search ran on Node 20 in the
 * same build.
 */
const scale = Number(process.env.PROPERTY_RUNS_SCALE ?? 1);
if (!(scale > 0 && scale <= 1)) throw new Error(`PROPERTY_RUNS_SCALE must be in (0, 1], got ${process.env.PROPERTY_RUNS_SCALE}`);

export function propertyRuns(n: number): number {
  return Math.max(1, Math.ceil(n * scale));
}
