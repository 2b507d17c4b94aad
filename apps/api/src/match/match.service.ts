import { Injectable } from '@nestjs/common';
import { compareDistricts, matchProfile, todayInShanghai } from '@matcher/engine';
import type { CompareResponse, Lifecycle, MatchResponse } from '@matcher/contracts';
import { AuditService } from '../audit/audit.service';
import type { CompareRequestDto } from './dto/compare-request.dto';
import type { MatchRequestDto } from './dto/match-request.dto';
import { withText } from './answer-text';
import { LiveRuleset } from '../catalog/live-ruleset.service';
import { withoutIdentity } from './identity';

/** What the audit keeps of a request: the matching facts and the options, enough to reproduce the answer. */
function auditedRequest<T extends { profile: object }>(body: T): T {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (value !== undefined) kept[key] = value;
  return kept as T;
}

@Injectable()
export class MatchService {
  constructor(
    private readonly live: LiveRuleset,
    private readonly audit: AuditService,
  ) {}

  /** `officerId`: the officer whose key or session asked (their own evaluations are readable to them). */
  match(sent: MatchRequestDto, officerId: string | null = null): MatchResponse {
    // Name and credit code never reach the evaluation, the audit or a log, whoever sends them.
    const body = { ...sent, profile: withoutIdentity(sent.profile) };
    const { profile } = body;
    const lang = body.lang ?? 'zh';
    const outcome = withText(
      matchProfile(this.live.ruleset, profile, {
        districts: body.districts,
        asOf: body.asOf ?? todayInShanghai(),
        includeExpired: body.includeExpired,
        nearMissLimit: body.nearMissLimit,
      }),
      lang,
    );
    const evaluationId = this.audit.record(
      'match',
      this.live.ruleset.version,
      auditedRequest(body),
      {
        asOf: outcome.asOf,
        districts: outcome.districts,
        matches: outcome.matches.map((m) => m.measureId),
        nearMisses: outcome.nearMissesTotal,
        priorities: outcome.priorities.map((p) => p.measureId),
        questions: outcome.questions.slice(0, 5).map((q) => q.fact),
      },
      officerId,
    );
    return {
      rulesetVersion: this.live.ruleset.version,
      evaluationId,
      lang,
      asOf: outcome.asOf,
      districts: outcome.districts,
      matches: outcome.matches.map((m) => this.withLifecycle(m)),
      nearMisses: outcome.nearMisses.map((n) => this.withLifecycle(n)),
      nearMissesTotal: outcome.nearMissesTotal,
      priorities: outcome.priorities,
      questions: outcome.questions,
      summary: { ...outcome.summary, headline: { ...outcome.summary.headline, text: outcome.summary.headline[lang] } },
    };
  }

  /**
   * A measure's application details when it has them, and for an expired measure the measures that
   * succeed it, so an answer never ends at a measure that has run out when a successor exists.
   */
  private withLifecycle<T extends { measureId: string; status: string }>(item: T): T & Lifecycle {
    const measure = this.live.ruleset.measures.get(item.measureId);
    if (!measure) return item;
    const out: T & Lifecycle = item;
    if (measure.application) out.application = measure.application;
    if (item.status === 'expired' && measure.successors?.length)
      out.successors = measure.successors.map((id) => {
        const next = this.live.ruleset.measures.get(id)!;
        return { measureId: id, title: next.title, titleEn: next.titleEn, validFrom: next.validity.validFrom, validTo: next.validity.validTo };
      });
    return out;
  }

  compare(sent: CompareRequestDto, officerId: string | null = null): CompareResponse {
    const body = { ...sent, profile: withoutIdentity(sent.profile) };
    const { profile } = body;
    const comparison = compareDistricts(this.live.ruleset, profile, { asOf: body.asOf ?? todayInShanghai(), includeExpired: body.includeExpired });
    const evaluationId = this.audit.record(
      'compare',
      this.live.ruleset.version,
      auditedRequest(body),
      {
        asOf: comparison.asOf,
        counts: Object.fromEntries(comparison.districts.map((d) => [d.district, d.counts])),
      },
      officerId,
    );
    return { rulesetVersion: this.live.ruleset.version, evaluationId, ...comparison };
  }
}
