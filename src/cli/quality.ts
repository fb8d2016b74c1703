import { type Command, InvalidArgumentError } from 'commander';
import type { Ctx, Services } from '../core/context.ts';
import {
  CHECK_LABELS,
  FIELD_LABELS,
  LEGACY_RULES,
  REQUIRED_FIELDS,
  RULE_LABELS,
} from '../modules/quality/checks.ts';
import { type QualityReport, qualityReport } from '../modules/quality/service.ts';

/**
 * `jakpreneur quality report`: the data-quality report (docs/quality.md) as one JSON object (--json) or as
 * readable tables. Exit codes: 0 done, 1 refused or failed, 2 usage error.
 */
const out = (s: string) => process.stdout.write(`${s}\n`);

function intArg(min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max)
      throw new InvalidArgumentError(`an integer from ${min} to ${max}`);
    return n;
  };
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const lpad = (s: string, w: number) => (s.length >= w ? s : ' '.repeat(w - s.length) + s);

function table(headers: string[], rows: string[][], right: number[] = []) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.includes(i) ? lpad(c, widths[i]) : pad(c, widths[i])))
      .join('  ')
      .trimEnd();
  out(line(headers));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out(line(r));
}

function printReport(r: QualityReport, lang: 'id' | 'en') {
  const t = (x: { id: string; en: string }) => (lang === 'en' ? x.en : x.id);
  const o = r.options;
  out(
    `Data quality: ${fmt(r.total)} records in ${r.scope ? r.scope.join(', ') : 'the whole program'} ` +
      `(pending > ${o.pendingDays} days, inactive > ${o.inactiveMonths} months; generated ${r.generatedAt})`,
  );
  if (r.mergedExcluded)
    out(
      r.mergedExcluded === 1
        ? '1 record merged into another as a duplicate left out of every check.'
        : `${fmt(r.mergedExcluded)} records merged into another as duplicates left out of every check.`,
    );
  out('');
  const short = (name: string | null) => {
    const s = (name ?? '(none)').replace(/^(Kota|Kabupaten)( Administrasi| Adm\.)? /i, '');
    return s.length > 24 ? `${s.slice(0, 23)}…` : s;
  };
  const top = (list: { name: string | null; count: number }[]) =>
    list
      .slice(0, 3)
      .map((b) => `${short(b.name)} ${fmt(b.count)}`)
      .join('; ');
  table(
    ['Check', 'Records', 'Top cities', 'Top collaborators'],
    r.checks.map((c) => [t(CHECK_LABELS[c.key]), fmt(c.count), top(c.byRegency), top(c.byCollaborator)]),
    [1],
  );
  const legacy = r.checks.find((c) => c.key === 'legacy_rules')?.details ?? {};
  const fields = r.checks.find((c) => c.key === 'fields_missing')?.details ?? {};
  out('');
  out(`  ${t(CHECK_LABELS.legacy_rules)}:`);
  for (const rule of LEGACY_RULES) out(`    ${lpad(fmt(legacy[rule] ?? 0), 7)}  ${t(RULE_LABELS[rule])}`);
  out(`  ${t(CHECK_LABELS.fields_missing)}:`);
  for (const f of REQUIRED_FIELDS) out(`    ${lpad(fmt(fields[f] ?? 0), 7)}  ${t(FIELD_LABELS[f])}`);
  const a = r.anomalies;
  const who = (w: { name: string; count: number } | null) => (w ? `${w.name} (${fmt(w.count)})` : '-');
  out('');
  out(`Busiest day per registering user and collaborator (from ${o.dailyMin} a day):`);
  if (a.dailyPeaks.length === 0) out('  none');
  else
    table(
      ['Kind', 'Name', 'Peak day', 'On that day', 'Days', 'Total', 'Per day'],
      a.dailyPeaks.map((p) => [
        p.kind === 'user' ? (p.role ?? 'user') : 'collaborator',
        p.name,
        p.peakDate,
        fmt(p.peakCount),
        fmt(p.days),
        fmt(p.total),
        String(p.averagePerDay),
      ]),
      [3, 4, 5, 6],
    );
  out('');
  out(
    `Bursts in the ${o.burstDays} days before a deadline (at least ${o.burstMin}, ${o.burstFactor}x the year's pace):`,
  );
  if (a.deadlineBursts.length === 0) out('  none');
  else
    table(
      ['Deadline', 'Kind', 'Name', 'In window', 'In year', 'x pace'],
      a.deadlineBursts.map((b) => [
        b.deadline,
        b.kind === 'user' ? (b.role ?? 'user') : 'collaborator',
        b.name,
        fmt(b.windowCount),
        fmt(b.yearCount),
        String(b.ratio),
      ]),
      [3, 4, 5],
    );
  for (const [title, list] of [
    [`Registrations from one IP address (from ${o.sameSourceMin}):`, a.ips],
    [`Registrations from one device (from ${o.sameSourceMin}):`, a.devices],
  ] as const) {
    out('');
    out(title);
    if (list.length === 0) out('  none');
    else
      table(
        ['Source', 'Records', 'Users', 'Self', 'Mostly by', 'Collaborator', 'Last'],
        list.map((s) => [
          s.label === s.ref ? s.label : `${s.label} [${s.ref}]`,
          fmt(s.records),
          fmt(s.users),
          fmt(s.selfRegistrations),
          who(s.topUser),
          who(s.topCollaborator),
          s.lastAt.slice(0, 10),
        ]),
        [1, 2, 3],
      );
  }
  out('');
  out(`The same phone on many records (from ${o.sharedPhoneMin}; masked):`);
  if (a.sharedPhones.length === 0) out('  none');
  else
    table(
      ['Phone', 'Records', 'Kecamatan', 'Users', 'Mostly by', 'Collaborator', 'Last'],
      a.sharedPhones.map((p) => [
        p.phone,
        fmt(p.records),
        fmt(p.districts),
        fmt(p.users),
        who(p.topUser),
        who(p.topCollaborator),
        p.lastAt.slice(0, 10),
      ]),
      [1, 2, 3],
    );
}

export function registerQualityCommands(
  program: Command,
  deps: {
    withServices: <T>(fn: (svc: Services) => Promise<T>) => Promise<T>;
    cliCtx: (svc: Services, as?: string) => Promise<Ctx>;
  },
) {
  const quality = program.command('quality').description('Data quality');
  quality
    .command('report')
    .description('Checks and anomalies of the registry by area and collaborator (see docs/quality.md)')
    .option('--json', 'print one JSON object on stdout')
    .option(
      '--pending-days <n>',
      'a verification pending longer than this is late (default 14)',
      intArg(1, 3650),
    )
    .option('--inactive-months <n>', 'no activity for this long is inactive (default 12)', intArg(1, 240))
    .option('--as <user>', "the report in this user's area (email or phone)")
    .action(async (o: { json?: boolean; pendingDays?: number; inactiveMonths?: number; as?: string }) =>
      deps.withServices(async (svc) => {
        const ctx = await deps.cliCtx(svc, o.as);
        const r = await qualityReport(svc, ctx, {
          pendingDays: o.pendingDays,
          inactiveMonths: o.inactiveMonths,
        });
        if (o.json) out(JSON.stringify(r));
        else printReport(r, ctx.lang);
      }),
    );
}
