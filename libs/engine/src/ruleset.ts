import { DISTRICTS, type Catalog, type District, type Measure } from '@matcher/catalog';
import { compileRule, type CompiledRule } from './compile';
import { RuleProgram } from './program';

/** The catalog's rules compiled once, indexed by district: what every evaluation reads. */
export class Ruleset {
  readonly version: string;
  readonly rules: CompiledRule[];
  readonly byDistrict: ReadonlyMap<District, CompiledRule[]>;
  readonly measures: ReadonlyMap<string, Measure>;
  /** Ids of the district priorities (kind `priority`): they name a company but offer nothing to apply for. */
  readonly priorityIds: ReadonlySet<string>;
  /** Scratch buffers sized for the largest rule, reused across evaluations (single-threaded). */
  readonly maxLeaves: number;
  /** Each district's rules as one program, indexed by the facts and codes they test. */
  readonly programs: ReadonlyMap<District, RuleProgram>;

  constructor(catalog: Pick<Catalog, 'version' | 'rules' | 'measures'>) {
    this.version = catalog.version;
    this.rules = catalog.rules.map(compileRule);
    this.measures = new Map(catalog.measures.map((m) => [m.id, m]));
    this.priorityIds = new Set(catalog.measures.filter((m) => m.kind === 'priority').map((m) => m.id));
    const byDistrict = new Map<District, CompiledRule[]>(DISTRICTS.map((d) => [d, []]));
    for (const rule of this.rules) {
      if (!this.measures.has(rule.id)) throw new Error(`rule ${rule.id} has no measure record`);
      byDistrict.get(rule.district)?.push(rule);
    }
    this.byDistrict = byDistrict;
    this.programs = new Map(DISTRICTS.map((d) => [d, new RuleProgram(byDistrict.get(d) ?? [])]));
    this.maxLeaves = Math.max(1, ...this.rules.map((r) => r.leaves.length));
  }

  measure(id: string): Measure {
    const m = this.measures.get(id);
    if (!m) throw new Error(`unknown measure ${id}`);
    return m;
  }

  /**
   * Appends the ids of `district`'s rules that hold for `facts` (the profile as evaluated there), in rule
   * order — the same as testing every rule of the district, but visiting only those that can concern the
   * profile: the rules on a code the profile names, and those that test nothing indexable.
   */
  matchingIds(district: District, facts: Record<string, unknown>, out: string[] = []): string[] {
    this.programs.get(district)?.matching(facts, out);
    return out;
  }

  /** Appends the ids of every rule of the catalog (all districts) that holds for `facts`, testing each rule. */
  passingIds(facts: Record<string, unknown>, out: string[] = []): string[] {
    for (const program of this.programs.values()) program.passing(facts, out);
    return out;
  }
}
