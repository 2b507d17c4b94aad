import type { ValidateFunction } from 'ajv/dist/2020';
import { stripWhitespace } from '../coverage/document-structure';
import type { RuleDefinition } from '../measures/rule.types';
import { validateProfile } from '../profile/profile-validator';
import type { JsonFile } from './catalog-source';
import type { RuleEvaluator } from './evaluator';
import { QuoteIndex } from './quote-overlap';
import { CASES_FILE_SCHEMA, type CaseDefinition } from './rule-cases.types';
import { checkAjv, pointerPath, schemaErrors } from './schema-findings';

let validateCasesFile: ValidateFunction | undefined;

export interface RuleCasesInput {
  /** The case file's repository path, for findings. */
  file: string;
  cases: JsonFile | undefined;
  /** The document's rules. */
  rules: readonly RuleDefinition[];
  /** Every rule of the catalog: a not-a-measure case is checked against the measures quoting its text. */
  catalogRules: readonly RuleDefinition[];
  /** The document's text, when known: a not-a-measure quote must be in it. */
  text?: string;
  evaluator: RuleEvaluator;
}

export interface RuleCasesReport {
  count: number;
  findings: string[];
  /** The same findings by the id they are filed under (a measure, or a removed entry). */
  byId: Map<string, string[]>;
}

function sameSet(stated: readonly string[] | undefined, computed: readonly string[]): boolean {
  const a = new Set(stated ?? []);
  return a.size === new Set(computed).size && computed.every((x) => a.has(x));
}

const list = (xs: readonly string[]): string => (xs.length ? `[${[...xs].sort().join(', ')}]` : 'none');

/** The catalog's measures indexed by quote, once per catalog (every document's cases look them up). */
const quoteIndexes = new WeakMap<readonly RuleDefinition[], QuoteIndex<RuleDefinition>>();

function measureQuotes(catalogRules: readonly RuleDefinition[]): QuoteIndex<RuleDefinition> {
  let index = quoteIndexes.get(catalogRules);
  if (!index) {
    const measures = catalogRules.filter((r) => r.event?.params?.kind === 'measure');
    index = new QuoteIndex(measures, (m) => m.event?.params?.source?.quote);
    quoteIndexes.set(catalogRules, index);
  }
  return index;
}

/**
 * The one place rule cases are evaluated (rules:check, the rule-cases spec and draft bundles all use it):
 * each case's profile is valid; a match or no-match case names the entry's kind and gets the outcome it expects,
 * a no-match stating its reason gets exactly that reason (the failed conditions and the missing facts);
 * a not-a-measure case, kept under the id of a removed entry, quotes the document and no measure quoting
 * that text matches its profile. Every entry has a match case and a no-match case that states its reason.
 */
export function checkRuleCases({ file, cases: parsed, rules, catalogRules, text, evaluator }: RuleCasesInput): RuleCasesReport {
  const byId = new Map<string, string[]>();
  const loose: string[] = [];
  const report = (id: string | undefined, finding: string): void => {
    if (id === undefined) loose.push(finding);
    else {
      const list = byId.get(id);
      if (list) list.push(finding);
      else byId.set(id, [finding]);
    }
  };
  const done = (count: number): RuleCasesReport => ({ count, findings: [...loose, ...[...byId.values()].flat()], byId });
  if (!parsed) {
    report(undefined, `${file} is missing`);
    return done(0);
  }
  if (parsed.error) {
    report(undefined, `${file}: ${parsed.error}`);
    return done(0);
  }
  validateCasesFile ??= checkAjv().compile(CASES_FILE_SCHEMA);
  const value = parsed.value;
  for (const e of schemaErrors(validateCasesFile, value)) {
    const id = /^\/([^/]+)/.exec(e.pointer)?.[1]?.replace(/~1/g, '/').replace(/~0/g, '~');
    report(id, `${file}${pointerPath(e.pointer)}: ${e.message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return done(0);
  const all = value as Record<string, CaseDefinition[]>;
  const byName = new Map(rules.map((r) => [r.name, r]));
  const quotes = measureQuotes(catalogRules);
  const flatText = text === undefined ? undefined : stripWhitespace(text);
  let count = 0;

  for (const [id, cases] of Object.entries(all)) {
    if (!Array.isArray(cases)) continue;
    count += cases.length;
    const rule = byName.get(id);
    if (!rule && (cases.length === 0 || cases.some((c) => c?.expect !== 'not-a-measure'))) report(id, `cases for unknown measure ${id}`);
    cases.forEach((c, i) => {
      if (!c || typeof c !== 'object') return;
      const where = `${id} case ${i + 1} "${c.case}"`;
      const say = (s: string): void => report(id, `${where}: ${s}`);
      const { profile, errors } = validateProfile(c.profile);
      for (const e of errors) say(`${e.path} ${e.message}`);

      if (c.expect === 'not-a-measure') {
        if (rule) return say(`not-a-measure belongs under the id of a removed entry; ${id} is in the catalog (kind ${rule.event.params.kind})`);
        if (c.kind !== undefined || c.failed !== undefined || c.missing !== undefined) say('a not-a-measure case states no kind, failed or missing');
        if (!c.quote) return say('a not-a-measure case needs the quote of the text that was modelled');
        if (flatText !== undefined && !flatText.includes(stripWhitespace(c.quote))) say(`quote is not verbatim in the document: ${c.quote}`);
        if (!profile) return;
        for (const m of quotes.overlapping(c.quote))
          if (evaluator.evaluate(m, profile).verdict === 'match') say(`measure ${m.name} quotes this text and matches the profile`);
        return;
      }
      if (c.quote !== undefined) say('only a not-a-measure case carries a quote');
      if (!rule) return;
      const kind = rule.event.params.kind;
      if (c.kind === undefined) say(`kind is required ("${kind}")`);
      else if (c.kind !== kind) say(`kind ${c.kind}, but the entry is a ${kind}`);
      if (c.expect === 'match' && (c.failed !== undefined || c.missing !== undefined)) say('a match case states no failed or missing');
      if (!profile) return;
      const outcome = evaluator.evaluate(rule, profile);
      if (outcome.verdict !== c.expect) return say(`expected ${c.expect}, the compiled matcher gives ${outcome.verdict}`);
      if (c.expect === 'no-match' && (c.failed !== undefined || c.missing !== undefined)) {
        if (!sameSet(c.failed, outcome.failed)) say(`failed ${list(c.failed ?? [])}, but the conditions that fail are ${list(outcome.failed)}`);
        if (!sameSet(c.missing, outcome.missing)) say(`missing ${list(c.missing ?? [])}, but the facts left unknown are ${list(outcome.missing)}`);
      }
    });
  }
  for (const r of rules) {
    const cases = Array.isArray(all[r.name]) ? all[r.name] : [];
    if (!cases.some((c) => c?.expect === 'match') || !cases.some((c) => c?.expect === 'no-match'))
      report(r.name, `${r.name} needs at least one "match" and one "no-match" case`);
    else if (!cases.some((c) => c?.expect === 'no-match' && (c.failed !== undefined || c.missing !== undefined)))
      report(r.name, `${r.name} needs a "no-match" case for a near profile that states its reason (failed and/or missing)`);
  }
  return done(count);
}
