import { Injectable } from '@nestjs/common';
import type { Lang } from '@matcher/catalog';
import { compareDistricts, matchProfile, Ruleset, todayInShanghai, type Comparison, type MatchOutcome } from '@matcher/engine';
import { AuditService } from '../audit/audit.service';
import type { CompareRequestDto } from './dto/compare-request.dto';
import type { MatchRequestDto } from './dto/match-request.dto';
import { parseProfile } from './profile.parser';

export interface MatchResponse extends MatchOutcome {
  rulesetVersion: string;
  evaluationId: string;
  lang: Lang;
}

type Worded = { zh: string; en: string };

/** Adds `text` in the requested language to every worded item, so a client can show one language. */
function withText<T extends Worded>(items: T[], lang: Lang): (T & { text: string })[] {
  return items.map((i) => ({ ...i, text: i[lang] }));
}

@Injectable()
export class MatchService {
  constructor(
    private readonly ruleset: Ruleset,
    private readonly audit: AuditService,
  ) {}

  match(body: MatchRequestDto): MatchResponse {
    const profile = parseProfile(body.profile);
    const lang = body.lang ?? 'zh';
    const outcome = matchProfile(this.ruleset, profile, { districts: body.districts, asOf: body.asOf ?? todayInShanghai(), includeExpired: body.includeExpired });
    const evaluationId = this.audit.record('match', this.ruleset.version, body, {
      asOf: outcome.asOf,
      districts: outcome.districts,
      matches: outcome.matches.map((m) => m.measureId),
      nearMisses: outcome.nearMisses.length,
      questions: outcome.questions.slice(0, 5).map((q) => q.fact),
    });
    return {
      rulesetVersion: this.ruleset.version,
      evaluationId,
      lang,
      asOf: outcome.asOf,
      districts: outcome.districts,
      matches: outcome.matches.map((m) => ({ ...m, explanation: withText(m.explanation, lang) })),
      nearMisses: outcome.nearMisses.map((n) => ({ ...n, explanation: withText(n.explanation, lang), missing: withText(n.missing, lang), failed: withText(n.failed, lang) })),
      questions: withText(outcome.questions, lang),
    };
  }

  compare(body: CompareRequestDto): Comparison & { rulesetVersion: string; evaluationId: string } {
    const profile = parseProfile(body.profile);
    const comparison = compareDistricts(this.ruleset, profile, { asOf: body.asOf ?? todayInShanghai(), includeExpired: body.includeExpired });
    const evaluationId = this.audit.record('compare', this.ruleset.version, body, {
      asOf: comparison.asOf,
      counts: Object.fromEntries(comparison.districts.map((d) => [d.district, d.counts])),
    });
    return { rulesetVersion: this.ruleset.version, evaluationId, ...comparison };
  }
}
