import { findNul, NUL_MESSAGE } from '../common/nul';
import { once } from 'node:events';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { validateProfile, type District } from '@matcher/catalog';
import { matchProfile, measureFields, Ruleset, todayInShanghai, type MeasureResult, type NearMiss, type PriorityResult } from '@matcher/engine';
import type { BatchDetail, BatchResponse, BatchResult, CompactMatch, CompactNearMiss, CompactPriority } from '@matcher/contracts';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedOfficer } from '../auth/authenticated-officer';
import { Environment } from '../config/environment';
import { parseEvaluationOptions } from '../common/evaluation-options';
import { invalidRequest, ProblemException } from '../common/problem';
import { readLines } from './line-reader';
import { LiveRuleset } from '../catalog/live-ruleset.service';

export interface BatchOptions {
  districts?: District[];
  asOf: string;
  includeExpired?: boolean;
  detail?: BatchDetail;
  nearMissLimit?: number;
}

/** The compact forms of an outcome's results: picks of their measures' fields (measureFields), as of the result's status and scenario. */
function compactMatch(ruleset: Ruleset, m: MeasureResult): CompactMatch {
  const f = measureFields(ruleset.measure(m.measureId), m.status, m.scenario);
  return {
    measureId: f.measureId,
    district: f.district,
    title: f.title,
    titleEn: f.titleEn,
    status: f.status,
    validFrom: f.validFrom,
    validTo: f.validTo,
    scenario: f.scenario,
    specificity: f.specificity,
    departments: f.departments,
    documentId: f.documentId,
    explanation: m.explanation.map(({ zh, en }) => ({ zh, en })),
  };
}

function compactPriority(ruleset: Ruleset, p: PriorityResult): CompactPriority {
  const f = measureFields(ruleset.measure(p.measureId), p.status, p.scenario);
  return {
    measureId: f.measureId,
    district: f.district,
    title: f.title,
    titleEn: f.titleEn,
    status: f.status,
    scenario: f.scenario,
    names: p.names.flatMap((n) => n.values.map((v) => `${n.fact}:${String(v)}`)),
  };
}

function compactNearMiss(ruleset: Ruleset, n: NearMiss): CompactNearMiss {
  const f = measureFields(ruleset.measure(n.measureId), n.status, n.scenario);
  return {
    measureId: f.measureId,
    district: f.district,
    status: f.status,
    scenario: f.scenario,
    reason: n.reason,
    missing: n.missing.map((m) => m.fact),
    failed: n.failed.map(({ condition, fact, satisfiedBy, detailNeeded }) => ({ condition, fact, satisfiedBy, detailNeeded })),
  };
}

@Injectable()
export class BatchService {
  constructor(
    private readonly live: LiveRuleset,
    private readonly audit: AuditService,
    private readonly env: Environment,
  ) {}

  evaluate(input: unknown, index: number, options: BatchOptions, prefix = `profiles[${index}]`): BatchResult {
    const { profile, errors } = validateProfile(input, prefix);
    if (!profile) return { index, errors };
    const ruleset = this.live.ruleset;
    const outcome = matchProfile(ruleset, profile, options);
    const { matches, priorities, nearMisses, nearMissesTotal, summary } = outcome;
    if (options.detail === 'full') return { index, matches, priorities, nearMisses, nearMissesTotal, summary };
    return {
      index,
      matches: matches.map((m) => compactMatch(ruleset, m)),
      priorities: priorities.map((p) => compactPriority(ruleset, p)),
      nearMisses: nearMisses.map((n) => compactNearMiss(ruleset, n)),
      nearMissesTotal,
      summary: { matches: summary.matches, lastInForce: summary.lastInForce, headline: summary.headline },
    };
  }

  runJson(profiles: unknown[], options: BatchOptions, officer: AuthenticatedOfficer): BatchResponse {
    const limit = this.env.BATCH_MAX_PROFILES;
    if (profiles.length > limit) {
      throw new ProblemException({
        type: 'about:blank#batch-too-large',
        status: HttpStatus.PAYLOAD_TOO_LARGE,
        detail: `A batch holds at most ${limit} profiles; this one has ${profiles.length}. Split it, or stream it as application/x-ndjson.`,
        limit,
      });
    }
    const results = profiles.map((p, i) => this.evaluate(p, i, options));
    this.recordAudit(officer, options, results.length, results.filter((r) => 'errors' in r).length);
    return { rulesetVersion: this.live.ruleset.version, asOf: options.asOf, results };
  }

  /** One profile per line in, one result per line out, in order, with backpressure both ways. */
  async runStream(req: Request, res: Response, options: BatchOptions, officer: AuthenticatedOfficer): Promise<void> {
    res.status(200).type('application/x-ndjson').setHeader('X-As-Of', options.asOf);
    let index = 0;
    let invalid = 0;
    for await (const line of readLines(req, this.env.NDJSON_MAX_LINE_BYTES)) {
      if (line.text !== null && line.text.trim() === '') continue;
      let result: BatchResult;
      if (line.tooLong) result = { index, errors: [{ path: `lines[${index}]`, message: `is longer than ${this.env.NDJSON_MAX_LINE_BYTES} bytes` }] };
      else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line.text);
        } catch {
          parsed = undefined;
        }
        const nulAt = parsed === undefined || !line.text.includes('\\u0000') ? null : findNul(parsed, `lines[${index}]`);
        result =
          parsed === undefined
            ? { index, errors: [{ path: `lines[${index}]`, message: 'is not valid JSON' }] }
            : nulAt !== null
              ? { index, errors: [{ path: nulAt, message: NUL_MESSAGE }] }
              : this.evaluate(parsed, index, options, `lines[${index}]`);
      }
      if ('errors' in result) invalid += 1;
      index += 1;
      if (!res.write(`${JSON.stringify(result)}\n`)) await once(res, 'drain');
    }
    res.end();
    this.recordAudit(officer, options, index, invalid);
  }

  private recordAudit(officer: AuthenticatedOfficer, options: BatchOptions, profiles: number, invalid: number): void {
    this.audit.record('batch', this.live.ruleset.version, { officerId: officer.id, options }, { profiles, invalid }, officer.id);
  }

  /** Options of a streamed batch come from the query string: ?districts=jingan,xuhui&asOf=…&includeExpired=false&detail=full&nearMissLimit=5 */
  optionsFromQuery(query: Record<string, unknown>): BatchOptions {
    const { options, errors } = parseEvaluationOptions(query, 'query', ['districts', 'asOf', 'includeExpired', 'detail', 'nearMissLimit']);
    if (errors.length) throw invalidRequest(errors);
    const { districts, asOf, includeExpired, detail, nearMissLimit } = options;
    return { nearMissLimit, detail, districts, asOf: asOf ?? todayInShanghai(), includeExpired };
  }
}
