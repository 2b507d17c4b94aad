import type { Lang } from '@matcher/catalog';
import type { AnyOf, MatchOutcome } from '@matcher/engine';
import type { InLanguage } from '@matcher/contracts';

type Worded = { zh: string; en: string };

/** An outcome whose worded items (held, missing and failed conditions, alternatives, names, questions) also carry `text`. */
export type OutcomeWithText = Omit<MatchOutcome, 'matches' | 'priorities' | 'nearMisses' | 'questions'> & {
  matches: (MatchOutcome['matches'][number] & {
    explanation: InLanguage<MatchOutcome['matches'][number]['explanation'][number]>[];
    anyOf?: InLanguage<AnyOf>[];
  })[];
  priorities: (MatchOutcome['priorities'][number] & { names: InLanguage<MatchOutcome['priorities'][number]['names'][number]>[] })[];
  nearMisses: (MatchOutcome['nearMisses'][number] & {
    missing: InLanguage<MatchOutcome['nearMisses'][number]['missing'][number]>[];
    failed: InLanguage<MatchOutcome['nearMisses'][number]['failed'][number]>[];
    anyOf?: InLanguage<AnyOf>[];
  })[];
  questions: InLanguage<MatchOutcome['questions'][number]>[];
};

function addText<T extends Worded>(items: T[], lang: Lang): InLanguage<T>[] {
  for (const i of items) (i as InLanguage<T>).text = i[lang];
  return items as InLanguage<T>[];
}

/**
 * Adds `text` in the requested language to every worded item of an outcome, so a client can show one
 * language. In place: matchProfile makes every worded item for that evaluation alone, so there is nothing
 * to copy — the JSON is the same as a copy with `text` appended.
 */
export function withText(outcome: MatchOutcome, lang: Lang): OutcomeWithText {
  for (const m of outcome.matches) {
    addText(m.explanation, lang);
    if (m.anyOf) addText(m.anyOf, lang);
  }
  for (const p of outcome.priorities) addText(p.names, lang);
  for (const n of outcome.nearMisses) {
    addText(n.missing, lang);
    addText(n.failed, lang);
    if (n.anyOf) addText(n.anyOf, lang);
  }
  addText(outcome.questions, lang);
  return outcome as OutcomeWithText;
}
