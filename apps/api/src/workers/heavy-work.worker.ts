import type { CatalogContent } from '@matcher/catalog';
import type { RulesetDiff } from '@matcher/engine';
import type * as DraftBuild from './draft-build';
import type * as DraftChecker from '../catalog-admin/draft-checker';
import type { DraftFinding } from '../catalog-admin/draft-checker';
import type * as Preview from '../screenings/import/preview-reader';
import type { PreviewLimits, PreviewRequest, ReadFailure } from '../screenings/import/preview-reader';
import type { ImportPreview } from '@matcher/contracts';
import type { ScreeningFormat } from '@matcher/persistence';
import type { MessagePort } from 'node:worker_threads';
import type * as ImportReader from '../screenings/import/import-reader';
import type { ImportMessage, ImportRead } from '../screenings/import/import-reader';

/** The jobs the pool runs: CPU-heavy, pure, their inputs and answers structured-cloneable. */
export type HeavyTask =
  | { kind: 'draft-check'; content: CatalogContent }
  | { kind: 'draft-build'; baseVersion: string; base: CatalogContent; content: CatalogContent }
  | { kind: 'import-preview'; path: string; format: ScreeningFormat; request: PreviewRequest; limits: PreviewLimits }
  | { kind: 'import-read'; path: string; format: ScreeningFormat; request: PreviewRequest; limits: PreviewLimits; port: MessagePort };

/** An XlsxBoundsError crosses the thread boundary as data (a thrown class loses its type there). */
export type HeavyResult =
  | { findings: DraftFinding[] }
  | { version: string; diff: RulesetDiff }
  | { buildError: string }
  | { preview: ImportPreview }
  | { failure: ReadFailure }
  | { read: ImportRead };

// Each job loads only what it needs, so a thread that only measures workbooks never loads the catalog. The modules are
// required by relative path: a path alias in a require() is not rewritten when the worker compiles TypeScript.
export default async function run(task: HeavyTask): Promise<HeavyResult> {
  switch (task.kind) {
    case 'draft-check': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { rulesCheckChecker } = require('../catalog-admin/draft-checker') as typeof DraftChecker;
      return { findings: rulesCheckChecker(task.content) };
    }
    case 'draft-build': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { buildDraft } = require('./draft-build') as typeof DraftBuild;
      return buildDraft(task.baseVersion, task.base, task.content);
    }
    case 'import-preview': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { readPreview, readFailure } = require('../screenings/import/preview-reader') as typeof Preview;
      try {
        return { preview: await readPreview(task.path, task.format, task.request, task.limits) };
      } catch (err) {
        const failure = readFailure(err);
        if (failure) return { failure };
        throw err;
      }
    }
    case 'import-read': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { readImport, ColumnPlanError } = require('../screenings/import/import-reader') as typeof ImportReader;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { readFailure } = require('../screenings/import/preview-reader') as typeof Preview;
      const { port } = task;
      // Each batch waits for the request thread's answer: rows are read only as fast as they are written.
      const send = (message: ImportMessage): Promise<void> =>
        new Promise((resolve) => {
          port.once('message', () => resolve());
          port.postMessage(message);
        });
      try {
        return { read: await readImport(task.path, task.format, task.request, task.limits, send) };
      } catch (err) {
        if (err instanceof ColumnPlanError) return { failure: { kind: 'plan', errors: err.errors } };
        const failure = readFailure(err);
        if (failure) return { failure };
        throw err;
      } finally {
        port.close();
      }
    }
  }
}
