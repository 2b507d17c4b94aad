import { findNul, NUL_MESSAGE } from '../common/nul';
import { once } from 'node:events';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DISTRICTS, validateProfile, type District, type FieldError } from '@matcher/catalog';
import { MAX_NEAR_MISS_LIMIT, matchProfile, Ruleset, todayInShanghai, type MeasureResult, type NearMiss, type PriorityResult } from '@matcher/engine';
import type { BatchDetail, BatchResponse, BatchResult, CompactMatch, CompactNearMiss, CompactPriority } from '@matcher/contracts';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedOfficer } from '../auth/authenticated-officer';
import { Environment } from '../config/environment';
import { isCalendarDate } from '../common/is-calendar-date';
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

function compactMatch(m: MeasureResult): CompactMatch {
  return {
    measureId: m.measureId,
    district: m.district,
    title: m.title,
    titleEn: m.titleEn,
    status: m.status,
    validFrom: m.validFrom,
    validTo: m.validTo,
    scenario: m.scenario,
    specificity: m.specificity,
    departments: m.departments.map(({ name, nameEn, source }) => ({ name, nameEn, source })),
    documentId: m.source.documentId,
    explanation: m.explanation.map(({ zh, en }) => ({ zh, en })),
  };
}

function compactPriority(p: PriorityResult): CompactPriority {
  return {
    measureId: p.measureId,
    district: p.district,
    title: p.title,
    titleEn: p.titleEn,
    status: p.status,
    scenario: p.scenario,
    names: p.names.flatMap((n) => n.values.map((v) => `${n.fact}:${String(v)}`)),
  };
}

function compactNearMiss(n: NearMiss): CompactNearMiss {
  return {
    measureId: n.measureId,
    district: n.district,
    status: n.status,
    scenario: n.scenario,
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

  /** The ruleset this request is pinned to (the live one outside a request). */
  private get ruleset(): Ruleset {
    return this.live.ruleset;
  }

  evaluate(input: unknown, index: number, options: BatchOptions, prefix = `profiles[${index}]`): BatchResult {
    const { profile, errors } = validateProfile(input, prefix);
    if (!profile) return { index, errors };
    const outcome = matchProfile(this.ruleset, profile, options);
    const { matches, priorities, nearMisses, nearMissesTotal, summary } = outcome;
    if (options.detail === 'full') return { index, matches, priorities, nearMisses, nearMissesTotal, summary };
    return {
      index,
      matches: matches.map(compactMatch),
      priorities: priorities.map(compactPriority),
      nearMisses: nearMisses.map(compactNearMiss),
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
    return { rulesetVersion: this.ruleset.version, asOf: options.asOf, results };
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
    this.audit.record('batch', this.ruleset.version, { officerId: officer.id, options }, { profiles, invalid });
  }

  /** Options of a streamed batch come from the query string: ?districts=jingan,xuhui&asOf=…&includeExpired=false&detail=full&nearMissLimit=5 */
  optionsFromQuery(query: Record<string, unknown>): BatchOptions {
    const errors: FieldError[] = [];
    for (const key of Object.keys(query))
      if (!['districts', 'asOf', 'includeExpired', 'detail', 'nearMissLimit'].includes(key))
        errors.push({ path: key, message: 'is not a known query parameter' });
    const { districts, asOf, includeExpired, detail, nearMissLimit } = query;
    let parsedDistricts: District[] | undefined;
    if (districts !== undefined) {
      const list = typeof districts === 'string' ? districts.split(',').filter(Boolean) : [];
      if (!list.length || list.some((d) => !(DISTRICTS as readonly string[]).includes(d)))
        errors.push({ path: 'districts', message: `must be a comma-separated list of: ${DISTRICTS.join(', ')}` });
      else parsedDistricts = [...new Set(list)] as District[];
    }
    if (asOf !== undefined && !isCalendarDate(asOf)) errors.push({ path: 'asOf', message: 'must be a real date written YYYY-MM-DD' });
    if (includeExpired !== undefined && includeExpired !== 'true' && includeExpired !== 'false')
      errors.push({ path: 'includeExpired', message: 'must be true or false' });
    if (detail !== undefined && detail !== 'compact' && detail !== 'full') errors.push({ path: 'detail', message: 'must be compact or full' });
    const limit = typeof nearMissLimit === 'string' && /^\d{1,3}$/.test(nearMissLimit) ? Number(nearMissLimit) : undefined;
    if (nearMissLimit !== undefined && (limit === undefined || limit > MAX_NEAR_MISS_LIMIT))
      errors.push({ path: 'nearMissLimit', message: `must be an integer from 0 to ${MAX_NEAR_MISS_LIMIT}` });
    if (errors.length) throw invalidRequest(errors);
    return {
      nearMissLimit: limit,
      detail: detail as BatchDetail | undefined,
      districts: parsedDistricts,
      asOf: (asOf as string | undefined) ?? todayInShanghai(),
      includeExpired: includeExpired === undefined ? undefined : includeExpired === 'true',
    };
  }
}
