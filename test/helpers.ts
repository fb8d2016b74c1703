import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Config, loadConfig } from '../src/config.ts';
import type { Services } from '../src/core/context.ts';
import { buildApp } from '../src/http/app.ts';
import { createUser } from '../src/modules/auth/service.ts';
import { openServices } from '../src/services.ts';

export const TEST_MASTER_KEY = { id: 'test', key: Buffer.alloc(32, 7) };

/**
 * A fresh database for one test file: a temporary SQLite file, or, when TEST_DATABASE_URL is set, a new
 * PostgreSQL database created for the file and dropped afterwards.
 */
export async function freshServices(
  overrides: Partial<Config> = {},
): Promise<{ svc: Services; dir: string; databaseUrl: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'jkp-test-'));
  const base = process.env.TEST_DATABASE_URL;
  let databaseUrl = `sqlite:${join(dir, 'test.db')}`;
  let dropDb: (() => Promise<void>) | null = null;
  if (base) {
    const name = `jkp_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const config = loadConfig(
    { ...process.env, DATABASE_URL: undefined, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv,
    {
      databaseUrl,
      dataDir: dir,
      masterKeys: [TEST_MASTER_KEY],
      ...overrides,
    },
  );
  const svc = await openServices(config);
  return {
    svc,
    dir,
    databaseUrl,
    cleanup: async () => {
      await svc.db.close();
      if (dropDb) await dropDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sysCtx = { actor: null, ip: null, lang: 'en' as const, via: 'cli' as const };

type Role = 'admin' | 'officer' | 'mentor' | 'collaborator' | 'participant';

/** A running app (in-process, Fastify inject) plus helpers to create users of each role and call the API. */
export async function testApp(overrides: Partial<Config> = {}) {
  const env = await freshServices(overrides);
  const { app, queue } = await buildApp(env.svc, { logger: false });
  await app.ready();
  const login = async (email: string, password = 'password-123') => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
    return res.json().token as string;
  };
  const user = async (
    email: string,
    role: Role,
    extra: { areas?: string[]; collaboratorId?: string; participant?: string; agency?: string } = {},
  ) => {
    await createUser(env.svc, sysCtx, {
      email,
      password: 'password-123',
      role,
      ...extra,
      areas: extra.areas ?? [],
    });
    return login(email);
  };
  const call = (
    token: string | null,
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
  return {
    ...env,
    app,
    queue,
    login,
    user,
    call,
    cleanup: async () => {
      await app.close();
      await queue.idle();
      await env.cleanup();
    },
  };
}
