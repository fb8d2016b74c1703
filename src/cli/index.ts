import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import SQLite from 'better-sqlite3';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import type { Ctx, Services } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import { DatabaseUrlError, migrate, openDatabase, parseDatabaseUrl } from '../db/index.ts';
import { parseNik } from '../identity/index.ts';
import { createUser, loadActor } from '../modules/auth/service.ts';
import { scanRegistry } from '../modules/dedupe/service.ts';
import { importReportRows, REPORT_HEADERS, runImport } from '../modules/imports/service.ts';
import { exportParticipants } from '../modules/participants/export.ts';
import { rebuildStats, verifyStats } from '../modules/stats/service.ts';
import { openServices } from '../services.ts';
import { openSheetWriter } from '../spreadsheet/writer.ts';
import { registerQrisCommands } from './qris.ts';
import { registerQualityCommands } from './quality.ts';

const err = (s: string) => process.stderr.write(`${s}\n`);
const out = (s: string) => process.stdout.write(`${s}\n`);

class UsageError extends Error {}

function lang(): 'id' | 'en' {
  const l = (process.env.JAKPRENEUR_LANG ?? process.env.LANG ?? '').toLowerCase();
  return l.startsWith('id') ? 'id' : 'en';
}

async function withServices<T>(fn: (svc: Services) => Promise<T>): Promise<T> {
  const svc = await openServices(loadConfig());
  try {
    return await fn(svc);
  } finally {
    await svc.db.close();
  }
}

async function cliCtx(svc: Services, as?: string): Promise<Ctx> {
  const ctx: Ctx = { actor: null, ip: null, lang: lang(), via: 'cli' };
  if (!as) return ctx;
  const u = await svc.db.kysely
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('email', '=', as.toLowerCase()), eb('phone', '=', as)]))
    .executeTakeFirst();
  if (!u) throw new UsageError(`--as: no user "${as}"`);
  return { ...ctx, actor: await loadActor(svc, u.id) };
}

function progressBar(total: number, unit: string) {
  if (!process.stderr.isTTY) return null;
  const bar = new SingleBar({
    format: `{bar} {percentage}% | {value}/{total} ${unit} | {rows} rows | ETA {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
  });
  bar.start(total, 0, { rows: 0 });
  return bar;
}

const program = new Command();
program
  .name('jakpreneur')
  .description('Jakpreneur Platform: registry of the integrated entrepreneurship development program (7P)')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

program
  .command('serve')
  .description('Start the web server and API (default http://localhost:3000)')
  .option('--port <n>', 'port', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number 0-65535');
    return n;
  })
  .option('--host <h>', 'interface to listen on')
  .action(async (o: { port?: number; host?: string }) => {
    const { serve } = await import('../main.ts');
    await serve({ port: o.port, host: o.host });
    await new Promise(() => {});
  });

program
  .command('migrate')
  .description('Create or upgrade the database schema')
  .action(async () => {
    const config = loadConfig();
    const db = openDatabase(config.databaseUrl);
    try {
      const done = await migrate(db);
      out(done.length ? `Migrated: ${done.join(', ')}` : 'Database is up to date.');
    } finally {
      await db.close();
    }
    await withServices(async () => {});
  });

program
  .command('backup <file>')
  .description('Back up the database (SQLite online backup; PostgreSQL through pg_dump)')
  .action(async (file: string) => {
    const config = loadConfig();
    const target = resolve(file);
    const p = parseDatabaseUrl(config.databaseUrl);
    if (p.engine === 'sqlite') {
      if (!existsSync(p.path!))
        throw new AppError(1, 'NO_DATABASE', { id: '', en: `No database at ${p.path}` });
      const raw = new SQLite(p.path!, { readonly: true });
      try {
        await raw.backup(target);
      } finally {
        raw.close();
      }
      out(`Backup written: ${target}`);
      return;
    }
    const r = spawnSync(
      'pg_dump',
      ['--format=custom', '--no-owner', `--file=${target}`, config.databaseUrl],
      { stdio: 'inherit' },
    );
    if (r.error) throw new Error(`pg_dump not found: install the PostgreSQL client (see docs/postgresql.md)`);
    if (r.status !== 0) throw new Error(`pg_dump failed with exit code ${r.status}`);
    out(`Backup written: ${target}`);
  });

program
  .command('restore <file>')
  .description('Restore the database from a backup (stop the server first)')
  .action(async (file: string) => {
    const config = loadConfig();
    const source = resolve(file);
    if (!existsSync(source)) throw new UsageError(`No such file: ${file}`);
    const p = parseDatabaseUrl(config.databaseUrl);
    if (p.engine === 'sqlite') {
      try {
        const check = new SQLite(source, { readonly: true, fileMustExist: true });
        const ok = check
          .prepare("select count(*) n from sqlite_master where name in ('participants','stat_rollup')")
          .get() as { n: number };
        const integrity = check.pragma('quick_check', { simple: true });
        check.close();
        if (ok.n !== 2 || integrity !== 'ok') throw new Error('not a Jakpreneur backup');
      } catch (e) {
        throw new AppError(1, 'BACKUP_INVALID', {
          id: '',
          en: `${file} is not a readable Jakpreneur SQLite backup (${(e as Error).message})`,
        });
      }
      for (const suffix of ['-wal', '-shm']) rmSync(`${p.path}${suffix}`, { force: true });
      copyFileSync(source, p.path!);
      out(`Restored ${basename(source)} into ${p.path}`);
      await withServices(async () => {});
      return;
    }
    const r = spawnSync(
      'pg_restore',
      ['--clean', '--if-exists', '--no-owner', `--dbname=${config.databaseUrl}`, source],
      { stdio: 'inherit' },
    );
    if (r.error)
      throw new Error('pg_restore not found: install the PostgreSQL client (see docs/postgresql.md)');
    if (r.status !== 0) throw new Error(`pg_restore failed with exit code ${r.status}`);
    out('Restored.');
  });

const stats = program.command('stats').description('Program figures');
stats
  .command('verify')
  .description('Recount every figure from the records and compare with the rollups (exit 0 when all agree)')
  .option('--json', 'print JSON')
  .action(async (o: { json?: boolean }) =>
    withServices(async (svc) => {
      const res = await verifyStats(svc);
      if (o.json) out(JSON.stringify(res));
      else if (res.ok) out(`All ${res.checked} figures agree with the records.`);
      else {
        out(`${res.differences.length} figure(s) differ from the records:`);
        for (const d of res.differences)
          out(`  ${d.district} ${d.metric}/${d.key}: records ${d.expected}, rollup ${d.rollup}`);
      }
      if (!res.ok) process.exitCode = 1;
    }),
  );
stats
  .command('rebuild')
  .description('Repair the rollups from the records')
  .action(async () =>
    withServices(async (svc) => {
      const n = await rebuildStats(svc);
      out(n === 0 ? 'Rollups already agree with the records.' : `Repaired ${n} figure(s).`);
    }),
  );

const dedupe = program.command('dedupe').description('Duplicate registrations');
dedupe
  .command('scan')
  .description(
    'Scan the whole registry for likely duplicates (same person registered twice) and queue them for review',
  )
  .option('--json', 'print one JSON array of pairs {a, b, aNik, bNik, score, level} on stdout')
  .action(async (o: { json?: boolean }) =>
    withServices(async (svc) => {
      const started = Date.now();
      const bar = process.stderr.isTTY
        ? new SingleBar({
            format: '{phase} {bar} {percentage}% | {value}/{total}',
            stream: process.stderr,
            hideCursor: true,
          })
        : null;
      let phase = '';
      const res = await scanRegistry(svc, {
        worker: false,
        onProgress: (p, done, total) => {
          const label = { load: 'reading ', scan: 'matching', save: 'saving  ' }[p];
          if (bar) {
            if (p !== phase) {
              if (phase) bar.stop();
              bar.start(total, done, { phase: label });
              phase = p;
            } else bar.update(done, { phase: label });
          } else if (p !== phase) {
            phase = p;
            err(`${label.trim()}: ${total}`);
          }
        },
      });
      bar?.stop();
      const sure = res.pairs.filter((p) => p.level === 'sure').length;
      err(
        `${res.records} records, ${res.pairs.length} likely duplicate pair(s): ${sure} sure, ${res.pairs.length - sure} to review (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      if (o.json)
        out(
          JSON.stringify(
            res.pairs.map((p) => ({
              a: p.a,
              b: p.b,
              aNik: p.aNik,
              bNik: p.bNik,
              score: p.score,
              level: p.level,
            })),
          ),
        );
      else
        for (const p of res.pairs.slice(0, 50))
          out(
            `${p.level === 'sure' ? 'SURE  ' : 'REVIEW'} ${p.score.toFixed(1).padStart(5)}  ${p.a}  ${p.b}`,
          );
    }),
  );

const user = program.command('user').description('Users and their grants');
user
  .command('create')
  .description('Create a user')
  .option('--email <e>', 'email (login)')
  .option('--phone <p>', 'mobile number (login, for participants)')
  .option('--password <p>', 'password (omit to generate a one-time password)')
  .option('--name <n>', 'display name')
  .addOption(
    new Option('--role <role>', 'role')
      .choices(['admin', 'officer', 'mentor', 'collaborator', 'participant'])
      .makeOptionMandatory(),
  )
  .option(
    '--area <code>',
    'area code (repeatable): 31.74 or 3174',
    (v: string, prev: string[] = []) => [...prev, v],
    [] as string[],
  )
  .option('--agency <code>', 'agency code')
  .option('--collaborator <id>', 'collaborator id (collaborator staff)')
  .option('--participant <regno>', 'registration number (participant accounts)')
  .action(async (o: any) =>
    withServices(async (svc) => {
      const res = await createUser(svc, await cliCtx(svc), {
        email: o.email,
        phone: o.phone,
        password: o.password,
        displayName: o.name,
        role: o.role,
        areas: o.area ?? [],
        agency: o.agency,
        collaboratorId: o.collaborator,
        participant: o.participant,
      });
      out(`Created ${res.user.role} ${res.user.email ?? res.user.phone} (${res.user.id})`);
      if (res.password) out(`One-time password: ${res.password}`);
    }),
  );

registerQrisCommands(program);
registerQualityCommands(program, { withServices, cliCtx });

const nik = program.command('nik').description('NIK (Nomor Induk Kependudukan) tools');
nik
  .command('parse <nik>')
  .description('Check a NIK and show what it encodes (exit 0 valid, 1 invalid)')
  .option('--json', 'print JSON')
  .action((value: string, o: { json?: boolean }) => {
    const r = parseNik(value);
    if (o.json) out(JSON.stringify(r));
    else if (r.valid) {
      out(`NIK ${r.nik}: valid`);
      out(`  region:     ${r.provinceName} / ${r.regencyName} / ${r.districtName} (${r.districtCode})`);
      out(`  sex:        ${r.sex === 'F' ? 'female (perempuan)' : 'male (laki-laki)'}`);
      out(
        `  birth date: ${r.birthDate}${r.birthDateCandidates.length > 1 ? ` (or ${r.birthDateCandidates.slice(1).join(', ')})` : ''}`,
      );
      out(`  serial:     ${r.serial}`);
    } else {
      out(`NIK ${r.nik || value}: invalid`);
      for (const e of r.errors) out(`  ${e.code}: ${e.message}`);
    }
    process.exitCode = r.valid ? 0 : 1;
  });

/** The file an import reads: its absolute path and size (for the progress bar); exit 1 when it is missing. */
function inputFile(file: string): { path: string; total: number } {
  const path = resolve(file);
  try {
    return { path, total: statSync(path).size };
  } catch {
    throw new AppError(1, 'FILE_NOT_FOUND', {
      id: `Berkas tidak ditemukan: ${file}`,
      en: `File not found: ${file}`,
    });
  }
}

const imp = program.command('import').description('Bulk imports');
imp
  .command('participants <file>')
  .description('Import participants from CSV or XLSX')
  .option('--dry-run', 'check every row, write nothing')
  .addOption(
    new Option('--mode <mode>', 'insert: existing NIKs are duplicates; upsert: update them')
      .choices(['insert', 'upsert'])
      .default('insert'),
  )
  .option('--collaborator <id>', 'collaborator that brought these participants')
  .option('--report <file>', 'write the rejected rows (row, column, code, message) as CSV')
  .option('--json', 'print one JSON line with the summary on stdout')
  .option('--as <user>', 'run as this user (email or phone), for provenance')
  .action(async (file: string, o: any) =>
    withServices(async (svc) => {
      const ctx = await cliCtx(svc, o.as);
      const { path, total } = inputFile(file);
      const bar = progressBar(total, 'bytes');
      try {
        const res = await runImport(
          svc,
          ctx,
          path,
          basename(path),
          { mode: o.mode, dryRun: !!o.dryRun, collaboratorId: o.collaborator ?? null },
          { onProgress: (p) => bar?.update(p.bytesRead, { rows: p.rows }) },
        );
        bar?.update(total);
        bar?.stop();
        if (o.report) {
          const w = openSheetWriter(resolve(o.report), 'csv', REPORT_HEADERS, { escapeFormulas: true });
          for await (const row of importReportRows(svc, res.jobId)) await w.write(row);
          await w.close();
        }
        const s = res.summary;
        if (o.json) out(JSON.stringify(s));
        else {
          err(
            `${o.dryRun ? 'Dry run: ' : ''}${s.rows} rows: ${s.inserted} inserted, ${s.updated} updated, ${s.duplicates} duplicates, ${s.invalid} invalid` +
              (o.report ? ` (report: ${o.report})` : ''),
          );
        }
      } finally {
        bar?.stop();
      }
    }),
  );

imp
  .command('civil-registry <file>')
  .description(
    "Load a civil-registry (Dukcapil) match file (CSV/XLSX: NIK, match result, optional date and note): sets each record's civil status, audited",
  )
  .option('--dry-run', 'check every row, change nothing')
  .option('--report <file>', 'write the rejected rows (row, column, code, message) as CSV')
  .option('--json', 'print one JSON line with the summary on stdout')
  .option('--as <user>', 'run as this user (email or phone)')
  .action(async (file: string, o: any) =>
    withServices(async (svc) => {
      const ctx = await cliCtx(svc, o.as);
      const { path, total } = inputFile(file);
      const { importCivilMatches } = await import('../modules/civil/service.ts');
      const bar = progressBar(total, 'bytes');
      try {
        const res = await importCivilMatches(svc, ctx, path, basename(path), { dryRun: !!o.dryRun }, (p) =>
          bar?.update(p.bytesRead, { rows: p.rows }),
        );
        bar?.update(total);
        bar?.stop();
        if (o.report) {
          const w = openSheetWriter(resolve(o.report), 'csv', REPORT_HEADERS, { escapeFormulas: true });
          for (const e of res.errors) await w.write([String(e.row), e.column, e.code, e.message]);
          await w.close();
        }
        const s = res.summary;
        if (o.json) out(JSON.stringify(s));
        else
          err(
            `${o.dryRun ? 'Dry run: ' : ''}${s.rows} rows: ${s.matched} matched, ${s.mismatch} mismatch, ${s.deceased} deceased ` +
              `(${s.changed} changed, ${s.unchanged} unchanged), ${s.notFound} not registered, ${s.invalid} invalid` +
              (o.report ? ` (report: ${o.report})` : ''),
          );
      } finally {
        bar?.stop();
      }
    }),
  );

const exp = program.command('export').description('Exports');
exp
  .command('participants')
  .description('Export participants with the import columns (NIK and phone masked unless --full)')
  .addOption(new Option('--format <f>', 'file format').choices(['csv', 'xlsx']).default('csv'))
  .option('--out <file>', 'output file (default: stdout for CSV)')
  .option('--full', 'unmasked NIK, phone, email and street (needs the export permission; audited)')
  .option('--as <user>', 'run as this user (email or phone)')
  .action(async (o: any) =>
    withServices(async (svc) => {
      const ctx = await cliCtx(svc, o.as);
      if (o.format === 'xlsx' && !o.out) throw new UsageError('--format xlsx needs --out FILE');
      // stdout is never ended by a pipe, so the writer waits on a stream of its own that feeds it
      let target: string | PassThrough;
      if (o.out) target = resolve(o.out);
      else {
        target = new PassThrough();
        target.pipe(process.stdout);
      }
      const job = exportParticipants(svc, ctx, target, o.format, !!o.full);
      await job.started;
      const { rows } = await job.finished;
      err(
        `Exported ${rows} participants${o.out ? ` to ${o.out}` : ''}${o.full ? ' (full, audited)' : ' (masked)'}`,
      );
    }),
  );

program
  .command('seed')
  .description('Sample data')
  .command('demo')
  .description(
    'Fill an empty database with the deterministic demo program (281,812 participants, demo users)',
  )
  .option('--participants <n>', 'number of participants (default 281812)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 100 || n > 2_000_000)
      throw new InvalidArgumentError('an integer from 100 to 2000000');
    return n;
  })
  .option('--json', 'print one JSON object (counts and demo users) on stdout')
  .option('--if-empty', 'do nothing (exit 0) when the database already has participants')
  .action(async (o: { participants?: number; json?: boolean; ifEmpty?: boolean }) =>
    withServices(async (svc) => {
      if (o.ifEmpty) {
        const any = await svc.db.kysely.selectFrom('participants').select('id').limit(1).executeTakeFirst();
        if (any) {
          err(
            'The database already has participants: demo data not loaded. / Basis data sudah berisi peserta.',
          );
          return;
        }
      }
      await (await import('../modules/demo/seed.ts')).seedDemoCommand(svc, o);
    }),
  );

async function main() {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exit(
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help'
          ? 0
          : 2,
      );
    }
    if (e instanceof UsageError) {
      err(`error: ${e.message}`);
      process.exit(2);
    }
    if (e instanceof ConfigError || e instanceof DatabaseUrlError) {
      err(`error: ${e.message}`);
      process.exit(2);
    }
    if (e instanceof AppError) {
      const text = lang() === 'id' && e.text.id ? e.text.id : e.text.en;
      err(`error: ${text}`);
      for (const f of e.errors) err(`  ${f.path}: ${f.message} (${f.code})`);
      process.exit(e.status === 2 ? 2 : 1);
    }
    err(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

if (process.env.JKP_REPORT_RSS) {
  // for `npm run bench`: the process's peak resident memory
  process.on('exit', () =>
    process.stderr.write(`peak-rss-mb=${Math.round(process.resourceUsage().maxRSS / 1024)}\n`),
  );
}
await main();
