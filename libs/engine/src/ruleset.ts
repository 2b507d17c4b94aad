import { DISTRICTS, type Catalog, type District, type Measure } from '@matcher/catalog';
import { compileRule, type CompiledRule } from './compile';

/** The catalog's rules compiled once, indexed by district: what every evaluation reads. */
export class Ruleset {
  readonly version: string;
  readonly rules: CompiledRule[];
  readonly byDistrict: ReadonlyMap<District, CompiledRule[]>;
  readonly measures: ReadonlyMap<string, Measure>;
  /** Scratch buffers sized for the largest rule, reused across evaluations (single-threaded). */
  readonly maxLeaves: number;

  constructor(catalog: Pick<Catalog, 'version' | 'rules' | 'measures'>) {
    this.version = catalog.version;
    this.rules = catalog.rules.map(compileRule);
    this.measures = new Map(catalog.measures.map((m) => [m.id, m]));
    const byDistrict = new Map<District, CompiledRule[]>(DISTRICTS.map((d) => [d, []]));
    for (const rule of this.rules) {
      if (!this.measures.has(rule.id)) throw new Error(`rule ${rule.id} has no measure record`);
      byDistrict.get(rule.district)?.push(rule);
    }
    this.byDistrict = byDistrict;
    this.maxLeaves = Math.max(1, ...this.rules.map((r) => r.leaves.length));
  }

  measure(id: string): Measure {
    const m = this.measures.get(id);
    if (!m) throw new Error(`unknown measure ${id}`);
    return m;
  }
}
