import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpStatus, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { finalize, type Observable } from 'rxjs';
import { findNul } from '../common/nul';
import { nulProblem } from '../common/strict-json';
import { invalidRequest, ProblemException } from '../common/problem';
import { Environment } from '../config/environment';
import { ScreeningSettings } from './screening-settings';

/**
 * Uploads left by a process that died mid-request. A request cannot outlive REQUEST_TIMEOUT_MS, so an older
 * `.upload` file belongs to no request, even with other instances sharing the directory.
 */
export async function removeOrphans(dir: string, olderThanMs: number): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.upload')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (
      info &&
      Date.now() - info.mtimeMs > olderThanMs &&
      (await unlink(path).then(
        () => true,
        () => false,
      ))
    )
      removed += 1;
  }
  return removed;
}

interface MulterLikeError {
  code?: string;
  field?: string;
  message?: string;
}

/**
 * Streams the multipart upload's `file` to a temporary file (multer disk storage, never the whole file in
 * memory), capped at SCREENING_MAX_UPLOAD_BYTES (413 beyond), and removes it when the request is done.
 * Runs after the guard: an unauthenticated upload is refused before its body is read.
 */
@Injectable()
export class ScreeningUploadInterceptor implements NestInterceptor {
  private readonly upload: RequestHandler;

  constructor(
    private readonly settings: ScreeningSettings,
    env: Environment,
  ) {
    const dir = settings.SCREENING_UPLOAD_DIR;
    mkdirSync(dir, { recursive: true });
    void removeOrphans(dir, env.REQUEST_TIMEOUT_MS);
    this.upload = multer({
      storage: multer.diskStorage({ destination: dir, filename: (_req, _file, cb) => cb(null, `${randomUUID()}.upload`) }),
      // Browsers send UTF-8 file names (企业名单.csv) without declaring a charset.
      defParamCharset: 'utf8',
      limits: { fileSize: settings.SCREENING_MAX_UPLOAD_BYTES, files: 1, fields: 8, fieldSize: 128 * 1024, parts: 10 },
    }).single('file');
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    await new Promise<void>((resolve, reject) => this.upload(req, res, (err?: unknown) => (err ? reject(this.toProblem(err)) : resolve())));
    const path = req.file?.path;
    // File names are shown and stored: NUL (and other control characters) stripped. Form fields are refused.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    if (req.file) req.file.originalname = req.file.originalname.replace(/[\u0000-\u001f\u007f]/g, '');
    const nulField = findNul(req.body ?? {});
    if (nulField !== null) {
      if (path) await unlink(path).catch(() => undefined);
      throw nulProblem(nulField);
    }
    return next.handle().pipe(finalize(() => void (path && unlink(path).catch(() => undefined))));
  }

  private toProblem(err: MulterLikeError): ProblemException {
    switch (err.code) {
      case 'LIMIT_FILE_SIZE': {
        const limit = this.settings.SCREENING_MAX_UPLOAD_BYTES;
        return new ProblemException({
          type: 'about:blank#upload-too-large',
          status: HttpStatus.PAYLOAD_TOO_LARGE,
          detail: `The file exceeds the upload limit of ${limit} bytes.`,
          limit,
        });
      }
      case 'LIMIT_UNEXPECTED_FILE':
      case 'LIMIT_FILE_COUNT':
        return invalidRequest([{ path: err.field ?? 'file', message: 'is not expected: send one file, in the field "file"' }]);
      case 'LIMIT_FIELD_VALUE':
        return invalidRequest([{ path: err.field ?? '', message: 'is too long' }]);
      case 'LIMIT_FIELD_COUNT':
      case 'LIMIT_PART_COUNT':
      case 'LIMIT_FIELD_KEY':
        return invalidRequest([{ path: '', message: 'has too many or too long form fields (file, name, mapping, values, districts, asOf, lang)' }]);
      default:
        return invalidRequest(
          [{ path: 'file', message: `could not be received: ${(err.message ?? 'malformed multipart body').slice(0, 200)}` }],
          'The upload could not be read.',
        );
    }
  }
}
