import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
  DATABASE_URL: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  /** base64 of 32 bytes; several keys may be given as "id1:base64,id2:base64" (the first encrypts, all decrypt). */
  JAKPRENEUR_MASTER_KEY: z.string().optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().positive().default(15),
  PROGRAM_AREA: z.string().default('31'),
  QUALITY_PENDING_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  QUALITY_INACTIVE_MONTHS: z.coerce.number().int().min(1).max(240).default(12),
  LIST_COUNT_CAP: z.coerce.number().int().min(1).max(100_000_000).default(10_000),
  IMPORT_XLSX_MAX_MB: z.coerce.number().positive().default(50),
  UPLOAD_MAX_MB: z.coerce.number().positive().default(300),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export type Config = {
  databaseUrl: string;
  port: number;
  host: string;
  dataDir: string;
  masterKeys: { id: string; key: Buffer }[];
  sessionTtlHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  programArea: string;
  /** data-quality report defaults: a verification pending longer than this is late; no activity for this long */
  qualityPendingDays: number;
  qualityInactiveMonths: number;
  /** the participants list counts matches up to this many, then says "at least" (unless rollups answer) */
  listCountCap: number;
  importXlsxMaxBytes: number;
  uploadMaxBytes: number;
  logLevel: string;
  trustProxy: boolean;
};

export class ConfigError extends Error {}

function parseMasterKeys(raw: string): { id: string; key: Buffer }[] {
  return raw.split(',').map((part, i) => {
    const idx = part.indexOf(':');
    const id = idx > 0 ? part.slice(0, idx) : `k${i + 1}`;
    const key = Buffer.from(idx > 0 ? part.slice(idx + 1) : part, 'base64');
    if (key.length !== 32)
      throw new ConfigError(`JAKPRENEUR_MASTER_KEY: key "${id}" must be 32 bytes in base64`);
    return { id, key };
  });
}

/** Reads the environment once, validates it, and fills in defaults (a local master key file on first start). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${msg}`);
  }
  const e = parsed.data;
  const dataDir = resolve(overrides.dataDir ?? e.DATA_DIR);
  const databaseUrl =
    overrides.databaseUrl ?? e.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'jakpreneur.db')}`;
  let masterKeys = overrides.masterKeys;
  if (!masterKeys) {
    if (e.JAKPRENEUR_MASTER_KEY) masterKeys = parseMasterKeys(e.JAKPRENEUR_MASTER_KEY);
    else {
      // Development default: a key file beside the database, created on first start (0600).
      const keyFile = resolve(dataDir, 'master.key');
      if (!existsSync(keyFile)) {
        mkdirSync(dirname(keyFile), { recursive: true });
        writeFileSync(keyFile, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      }
      masterKeys = parseMasterKeys(readFileSync(keyFile, 'utf8').trim());
    }
  }
  return {
    databaseUrl,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    masterKeys,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockMinutes: e.LOGIN_LOCK_MINUTES,
    programArea: e.PROGRAM_AREA.replaceAll('.', ''),
    qualityPendingDays: e.QUALITY_PENDING_DAYS,
    qualityInactiveMonths: e.QUALITY_INACTIVE_MONTHS,
    listCountCap: e.LIST_COUNT_CAP,
    importXlsxMaxBytes: e.IMPORT_XLSX_MAX_MB * 1024 * 1024,
    uploadMaxBytes: e.UPLOAD_MAX_MB * 1024 * 1024,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    ...overrides,
  };
}
