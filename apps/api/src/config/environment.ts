import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown => (value === undefined || value === '' ? undefined : Number(value));

/** Environment the service reads, validated at start-up: a bad value stops the start with a clear message. */
export class Environment {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  @Transform(toInt)
  PORT = 3000;

  @IsOptional()
  @IsString()
  HOST = '0.0.0.0';

  /** A real PostgreSQL server; without it the embedded PGlite runs in the process. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Where the embedded database keeps its files (`memory://` keeps nothing). */
  @IsOptional()
  @IsString()
  DATA_DIR = './data';

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsOptional()
  @Matches(/^\d+(kb|mb)$/i, { message: 'JSON_BODY_LIMIT must look like 1mb or 512kb' })
  JSON_BODY_LIMIT = '1mb';

  /** Grants officer access to the evaluations audit (`Authorization: Bearer …` or `X-API-Key`). */
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'ADMIN_API_KEY must be at least 24 characters' })
  ADMIN_API_KEY?: string;

  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(60_000)
  @Transform(toInt)
  AUDIT_FLUSH_MS = 500;

  /** Requests per minute per client on the public endpoints; 0 turns the limit off. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Transform(toInt)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Origins allowed to call the API from a browser (comma-separated); empty = same origin only. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS = '';

  /**
   * Express' `trust proxy` behind a reverse proxy: a hop count (`1`), `loopback`, addresses or subnets
   * (comma-separated). Then the client address (rate limits, sign-in throttle) and HTTPS (the Secure cookie)
   * come from X-Forwarded-For / X-Forwarded-Proto. Empty = no proxy is trusted.
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY = '';

  /** Longest time to receive a whole request (slow clients are cut off). */
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Transform(toInt)
  REQUEST_TIMEOUT_MS = 120_000;

  /** Profiles one JSON batch may hold (NDJSON streams have no count limit). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  @Transform(toInt)
  BATCH_MAX_PROFILES = 1000;

  @IsOptional()
  @Matches(/^\d+(kb|mb)$/i, { message: 'BATCH_BODY_LIMIT must look like 20mb' })
  BATCH_BODY_LIMIT = '20mb';

  /** Longest NDJSON line (one profile) accepted, in bytes. */
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Transform(toInt)
  NDJSON_MAX_LINE_BYTES = 65_536;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Transform(toInt)
  AUDIT_QUEUE_LIMIT = 50_000;

  /**
   * Failed keys sent in headers (X-API-Key, Authorization: Bearer) allowed per client address, and per key prefix,
   * in 15 minutes (429 with Retry-After beyond), as for sign-ins.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Transform(toInt)
  KEY_FAILURES_PER_CLIENT = 10;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Transform(toInt)
  KEY_FAILURES_PER_PREFIX = 20;

  /** Worker threads for CPU-heavy jobs (draft checks, measuring workbooks); the request thread only routes. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(32)
  @Transform(toInt)
  WORKER_THREADS = 1;

  /** Heap limit of each worker thread (resourceLimits.maxOldGenerationSizeMb): a job needing more answers 413. */
  @IsOptional()
  @IsInt()
  @Min(64)
  @Max(16_384)
  @Transform(toInt)
  WORKER_MEMORY_MB = 512;

  /** Deadline of a draft's checks, in seconds (422 beyond); fractions allowed. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(3600)
  @Transform(toInt)
  DRAFT_CHECK_SECONDS = 60;

  /** Evaluations (the audit) older than this many days are deleted by the retention job. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  @Transform(toInt)
  AUDIT_RETENTION_DAYS = 90;

  /**
   * Processes serving one port (node:cluster): 1 (default) or more, 0 = one per core. More than one needs
   * DATABASE_URL: the embedded PGlite belongs to a single process.
   */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(64)
  @Transform(toInt)
  WORKERS = 1;
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new Error(`Invalid configuration:\n- ${lines.join('\n- ')}`);
  }
  return env;
}
