import { extname, join } from 'node:path';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Piscina } from 'piscina';
import type { CatalogContent } from '@matcher/catalog';
import type { RulesetDiff } from '@matcher/engine';
import type { DraftFinding } from '../catalog-admin/draft-checker';
import { Environment } from '../config/environment';
import { failureError, type PreviewLimits, type PreviewRequest } from '../screenings/import/preview-reader';
import type { ImportPreview } from '@matcher/contracts';
import type { ScreeningFormat } from '@matcher/persistence';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ImportMessage, ImportRead } from '../screenings/import/import-reader';
import type { HeavyResult, HeavyTask } from './heavy-work.worker';
import { WorkLimitError } from './work-limit-error';

export { WorkLimitError };

/**
 * CPU-heavy work off the request thread: draft checks, the XLSX measuring and the reading of an upload's preview run
 * in worker threads (piscina), each job with a deadline and the threads with a heap limit (resourceLimits). Past
 * either the job ends and answers WorkLimitError; the request thread only routes, so /health and every other request go on meanwhile.
 */
@Injectable()
export class HeavyWorkPool implements OnApplicationShutdown {
  private readonly pool: Piscina<HeavyTask, HeavyResult>;

  constructor(private readonly env: Environment) {
    const ext = extname(__filename);
    this.pool = new Piscina({
      filename: join(__dirname, `heavy-work.worker${ext}`),
      // From source (dev, tests) the worker compiles its TypeScript as the process does.
      execArgv: ext === '.ts' ? ['-r', '@swc-node/register'] : [],
      minThreads: 0,
      maxThreads: env.WORKER_THREADS,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: env.WORKER_MEMORY_MB },
    });
  }

  /** rules:check's checks on a draft's content, within DRAFT_CHECK_SECONDS and WORKER_MEMORY_MB. */
  async draftFindings(content: CatalogContent): Promise<DraftFinding[]> {
    const result = await this.run({ kind: 'draft-check', content }, this.env.DRAFT_CHECK_SECONDS, 'checking the draft');
    return (result as { findings: DraftFinding[] }).findings;
  }

  /** A draft's version hash and its diff from the live version, or why its catalog does not build. */
  async buildDraft(
    baseVersion: string,
    base: CatalogContent,
    content: CatalogContent,
  ): Promise<{ version: string; diff: RulesetDiff } | { buildError: string }> {
    const result = await this.run({ kind: 'draft-build', baseVersion, base, content }, this.env.DRAFT_CHECK_SECONDS, 'building the draft');
    return result as { version: string; diff: RulesetDiff } | { buildError: string };
  }

  /**
   * readPreview in a worker: the file is decoded, parsed and each row built there; only the (bounded) preview comes
   * back. Within `seconds` and the pool's memory limit; a reading error is raised here again as its own class.
   */
  async importPreview(path: string, format: ScreeningFormat, request: PreviewRequest, limits: PreviewLimits, seconds: number): Promise<ImportPreview> {
    const result = await this.run({ kind: 'import-preview', path, format, request, limits }, seconds, 'reading the file');
    if ('failure' in result) throw failureError(result.failure);
    return (result as { preview: ImportPreview }).preview;
  }

  /**
   * readImport in a worker: the rows come back in batches through a MessagePort, each handed to `take` (which writes
   * it) before the worker reads on. If `take` fails the reading is stopped and its error is the answer.
   */
  async importRows(
    path: string,
    format: ScreeningFormat,
    request: PreviewRequest,
    limits: PreviewLimits,
    seconds: number,
    take: (message: ImportMessage) => Promise<void>,
  ): Promise<ImportRead> {
    const { port1, port2 } = new MessageChannel();
    const stop = new AbortController();
    let failed: { err: unknown } | undefined;
    let chain = Promise.resolve();
    port1.on('message', (message: ImportMessage) => {
      chain = chain.then(async () => {
        if (failed) return;
        try {
          await take(message);
          port1.postMessage(true);
        } catch (err) {
          failed = { err };
          stop.abort();
        }
      });
    });
    try {
      const result = await this.run({ kind: 'import-read', path, format, request, limits, port: port2 }, seconds, 'reading the file', {
        transferList: [port2],
        stop: stop.signal,
      }).catch(async (err: unknown) => {
        await chain;
        throw failed ? failed.err : err;
      });
      await chain;
      if (failed) throw failed.err;
      if ('failure' in result) throw failureError(result.failure);
      return (result as { read: ImportRead }).read;
    } finally {
      port1.close();
    }
  }

  private async run(task: HeavyTask, seconds: number, what: string, extra: { transferList?: MessagePort[]; stop?: AbortSignal } = {}): Promise<HeavyResult> {
    try {
      const deadline = AbortSignal.timeout(seconds * 1000);
      return await this.pool.run(task, {
        signal: extra.stop ? AbortSignal.any([deadline, extra.stop]) : deadline,
        ...(extra.transferList ? { transferList: extra.transferList } : {}),
      });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const name = (err as { name?: unknown }).name;
      if (name === 'AbortError' || name === 'TimeoutError')
        throw new WorkLimitError(`${capitalised(what)} took longer than ${seconds} s, the limit; make it smaller.`, 422, seconds);
      if (code === 'ERR_WORKER_OUT_OF_MEMORY')
        throw new WorkLimitError(
          `${capitalised(what)} needed more than ${this.env.WORKER_MEMORY_MB} MB, the limit; make it smaller.`,
          413,
          this.env.WORKER_MEMORY_MB,
        );
      throw err;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.destroy();
  }
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
