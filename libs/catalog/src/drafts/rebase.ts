import { canonicalJson } from '../catalog';
import type { CatalogContent } from '../content';

type Rule = CatalogContent['rules'][string][number];
type Doc = CatalogContent['documents'][number];

/**
 * A content cut into the parts two editors change independently: each field of a document's record, its
 * text, side files and cases, each field of a measure (its conditions, each of its params), each directory
 * department, the districts. `document:<id>` and `measure:<doc>:<id>` mark that the whole exists.
 */
function parts(c: CatalogContent): Map<string, unknown> {
  const out = new Map<string, unknown>();
  out.set('districts', c.districts);
  for (const d of c.departments) out.set(`department:${d.id}`, d);
  for (const d of c.documents) {
    out.set(`document:${d.id}`, true);
    for (const [k, v] of Object.entries(d)) out.set(`document:${d.id}|${k}`, v);
    if (c.texts[d.id] !== undefined) out.set(`text:${d.id}`, c.texts[d.id]);
    if (c.coverage[d.id] !== undefined) out.set(`coverage:${d.id}`, c.coverage[d.id]);
    if (c.documentDepartments[d.id] !== undefined) out.set(`departments:${d.id}`, c.documentDepartments[d.id]);
    for (const [measureId, cases] of Object.entries(c.cases[d.id] ?? {})) out.set(`cases:${d.id}:${measureId}`, cases);
    for (const r of c.rules[d.id] ?? []) {
      const at = `measure:${d.id}:${r.name}`;
      out.set(at, true);
      out.set(`${at}|conditions`, r.conditions);
      if (r.priority !== undefined) out.set(`${at}|priority`, r.priority);
      for (const [k, v] of Object.entries(r.event.params)) out.set(`${at}|params.${k}`, v);
    }
  }
  return out;
}

export interface RebaseResult {
  content: CatalogContent;
  /** Parts the draft and the live version changed differently (`measure:<doc>:<id>`, `document:<id>`…). */
  conflicts: string[];
}

/**
 * Rebuilds a draft made on `base` on `live`: every part the draft changed is carried over, every part
 * only the live version changed is taken from it; a part both changed differently is a conflict, kept as
 * `prefer` says (the draft's by default). Pure.
 */
export function rebaseContent(base: CatalogContent, draft: CatalogContent, live: CatalogContent, prefer: 'draft' | 'live' = 'draft'): RebaseResult {
  const [b, d, l] = [parts(base), parts(draft), parts(live)];
  const same = (x: unknown, y: unknown): boolean => canonicalJson(x) === canonicalJson(y);
  const merged = new Map<string, unknown>();
  const conflicts = new Set<string>();
  for (const key of new Set([...l.keys(), ...d.keys(), ...b.keys()])) {
    const [bv, dv, lv] = [b.get(key), d.get(key), l.get(key)];
    let v: unknown;
    if (same(dv, bv)) v = lv;
    else if (same(lv, bv) || same(dv, lv)) v = dv;
    else {
      // Named by the document or measure it belongs to.
      conflicts.add(key.split('|')[0]);
      v = prefer === 'draft' ? dv : lv;
    }
    if (v !== undefined) merged.set(key, v);
  }
  const fields = (prefix: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of merged) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    return out;
  };
  const rule = (documentId: string, name: string): Rule => {
    const at = `measure:${documentId}:${name}`;
    const priority = merged.get(`${at}|priority`) as number | undefined;
    return {
      name,
      ...(priority !== undefined ? { priority } : {}),
      conditions: merged.get(`${at}|conditions`) as Rule['conditions'],
      event: { type: 'measure-eligible', params: fields(`${at}|params.`) as unknown as Rule['event']['params'] },
    };
  };
  // Rebuild in the live version's order, then what only the draft has, in its order.
  const order = (prefix: string, ids: string[]): string[] => [...new Set(ids)].filter((id) => merged.has(`${prefix}${id}`));
  const documentIds = order('document:', [...live.documents.map((x) => x.id), ...draft.documents.map((x) => x.id)]);
  const content: CatalogContent = {
    districts: (merged.get('districts') as CatalogContent['districts']) ?? live.districts,
    departments: order('department:', [...live.departments.map((x) => x.id), ...draft.departments.map((x) => x.id)]).map(
      (id) => merged.get(`department:${id}`) as CatalogContent['departments'][number],
    ),
    documents: documentIds.map((id) => fields(`document:${id}|`) as unknown as Doc),
    texts: {},
    rules: {},
    coverage: {},
    documentDepartments: {},
    cases: {},
  };
  for (const id of documentIds) {
    if (merged.has(`text:${id}`)) content.texts[id] = merged.get(`text:${id}`) as string;
    if (merged.has(`coverage:${id}`)) content.coverage[id] = merged.get(`coverage:${id}`) as CatalogContent['coverage'][string];
    if (merged.has(`departments:${id}`)) content.documentDepartments[id] = merged.get(`departments:${id}`) as CatalogContent['documentDepartments'][string];
    const names = [...(live.rules[id] ?? []), ...(draft.rules[id] ?? [])].map((r) => r.name);
    content.rules[id] = order(`measure:${id}:`, names).map((n) => rule(id, n));
    const caseNames = [...Object.keys(live.cases[id] ?? {}), ...Object.keys(draft.cases[id] ?? {})];
    const cases = Object.fromEntries(order(`cases:${id}:`, caseNames).map((n) => [n, merged.get(`cases:${id}:${n}`)])) as CatalogContent['cases'][string];
    if (Object.keys(cases).length || live.cases[id] || draft.cases[id]) content.cases[id] = cases;
  }
  return { content, conflicts: [...conflicts].filter((k) => !k.includes(':') || merged.has(k) || !k.startsWith('measure')).sort() };
}
