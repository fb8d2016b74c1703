import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { AppError } from '../core/errors.ts';
import { ISSUE_TEXT } from '../modules/qris/messages.ts';
import {
  build,
  type Fee,
  type MerchantProfile,
  parse,
  QRIS_CRITERIA,
  type QrisData,
  QrisError,
  type QrisIssue,
  toDynamic,
} from '../qris/index.ts';

/**
 * `jakpreneur qris ...`: the QRIS codec on the command line. Pure work (no database): read a payload,
 * make a dynamic code with an amount, make a specimen code from typed-in merchant data, draw them.
 * Exit codes: 0 done / valid, 1 invalid payload or data, 2 usage error.
 */
const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

function lang(): 'id' | 'en' {
  const l = (process.env.JAKPRENEUR_LANG ?? process.env.LANG ?? '').toLowerCase();
  return l.startsWith('id') ? 'id' : 'en';
}
const tr = (id: string, en: string) => (lang() === 'id' ? id : en);

function amountArg(v: string): string {
  if (!/^\d+(\.\d+)?$/.test(v) || v.length > 13 || !/[1-9]/.test(v)) {
    throw new InvalidArgumentError(
      'a positive amount in rupiah: digits with an optional "." and decimals, at most 13 characters',
    );
  }
  return v;
}

function percentArg(v: string): string {
  const n = Number(v);
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(v) || !(n >= 0.01 && n <= 99.99)) {
    throw new InvalidArgumentError('a percentage from 0.01 to 99.99');
  }
  return v;
}

function scaleArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 40) throw new InvalidArgumentError('an integer from 1 to 40');
  return n;
}

function printIssues(title: string, issues: QrisIssue[]) {
  if (issues.length === 0) return;
  out(`${title}:`);
  for (const i of issues) {
    const message = lang() === 'id' ? (ISSUE_TEXT[i.code]?.id ?? i.message) : i.message;
    out(`  ${i.code}${i.path ? ` ${tr('di', 'at')} ${i.path}` : ''}: ${message}`);
  }
}

function printFields(d: QrisData) {
  const row = (label: string, v: string | null | undefined) => {
    if (v !== null && v !== undefined && v !== '') out(`  ${label.padEnd(12)}${v}`);
  };
  row(tr('merchant:', 'merchant:'), d.name);
  row(tr('kota:', 'city:'), [d.city, d.postalCode].filter(Boolean).join(' '));
  row('NMID:', d.nmid);
  row(tr('kriteria:', 'criteria:'), d.criteria);
  row('MCC:', d.mcc);
  row(tr('mata uang:', 'currency:'), d.currency);
  row(tr('negara:', 'country:'), d.countryCode);
  row(tr('nominal:', 'amount:'), d.amount);
  if (d.tipIndicator) {
    const fee = d.fixedFee ? `fixed ${d.fixedFee}` : d.percentageFee ? `${d.percentageFee}%` : 'prompt';
    row(tr('tip/biaya:', 'tip/fee:'), `${d.tipIndicator} (${fee})`);
  }
  for (const a of d.accounts) {
    const parts = [a.guid, a.pan ? `PAN ${a.pan}` : null, a.merchantId ? `id ${a.merchantId}` : null];
    row(`${tr('akun', 'account')} ${a.id}:`, parts.filter(Boolean).join(', '));
  }
  if (d.additional) {
    const ad = d.additional;
    const parts = [
      ad.billNumber && `bill ${ad.billNumber}`,
      ad.storeLabel && `store ${ad.storeLabel}`,
      ad.referenceLabel && `reference ${ad.referenceLabel}`,
      ad.terminalLabel && `terminal ${ad.terminalLabel}`,
    ].filter(Boolean);
    row('62:', parts.join(', '));
  }
  row('CRC:', d.crc);
}

async function writeImages(
  payload: string,
  o: { png?: string; svg?: string; scale?: number },
  specimen: boolean,
): Promise<void> {
  if (!o.png && !o.svg) return;
  const { qrPng, qrSvg } = await import('../modules/qris/image.ts');
  const write = (file: string, data: string | Buffer) => {
    try {
      writeFileSync(resolve(file), data);
    } catch (e) {
      throw new AppError(1, 'FILE_WRITE', {
        id: `Tidak dapat menulis ${file}: ${(e as Error).message}`,
        en: `Cannot write ${file}: ${(e as Error).message}`,
      });
    }
    err(tr(`Ditulis: ${file}`, `Written: ${file}`) + (specimen ? ' (SPECIMEN)' : ''));
  };
  if (o.svg) write(o.svg, qrSvg(payload, { specimen }));
  if (o.png) write(o.png, await qrPng(payload, { specimen, scale: o.scale }));
}

function failed(e: unknown): never | void {
  if (e instanceof QrisError) {
    printIssues(tr('kesalahan', 'errors'), e.issues);
    process.exitCode = 1;
    return;
  }
  throw e;
}

export function registerQrisCommands(program: Command): void {
  const q = program
    .command('qris')
    .description('QRIS payment codes (EMVCo merchant-presented QR): read, make dynamic, draw');

  q.command('parse <payload>')
    .description('Check a QRIS payload and show its fields (exit 0 valid, 1 invalid)')
    .option('--json', 'print JSON: valid, the fields, errors, warnings')
    .option('--lenient', 'accept the breaches real-world codes commonly have, as warnings')
    .action((payload: string, o: { json?: boolean; lenient?: boolean }) => {
      const r = parse(payload, { lenient: !!o.lenient });
      if (o.json) {
        out(JSON.stringify({ valid: r.valid, ...(r.data ?? {}), errors: r.errors, warnings: r.warnings }));
      } else {
        const kind = r.data ? (r.data.dynamic ? tr('dinamis', 'dynamic') : tr('statis', 'static')) : '';
        out(
          `QRIS: ${r.valid ? tr('valid', 'valid') : tr('tidak valid', 'invalid')}${kind ? ` (${kind})` : ''}`,
        );
        if (r.data) printFields(r.data);
        printIssues(tr('kesalahan', 'errors'), r.errors);
        printIssues(tr('peringatan', 'warnings'), r.warnings);
      }
      process.exitCode = r.valid ? 0 : 1;
    });

  q.command('dynamic <payload>')
    .description('Make a dynamic code for an amount from a QRIS payload (prints the new payload)')
    .requiredOption('--amount <n>', 'amount in rupiah', amountArg)
    .addOption(
      new Option('--fee-fixed <n>', 'convenience fee, fixed amount (55 = 02)')
        .argParser(amountArg)
        .conflicts('feePercent'),
    )
    .addOption(
      new Option('--fee-percent <p>', 'convenience fee, percentage 0.01-99.99 (55 = 03)')
        .argParser(percentArg)
        .conflicts('feeFixed'),
    )
    .option('--strict', 'refuse input that breaks a strict rule (default: lenient, as real codes need)')
    .option('--png <file>', 'also write the code as PNG')
    .option('--svg <file>', 'also write the code as SVG')
    .option('--scale <n>', 'PNG pixels per module (default 8)', scaleArg)
    .action(
      async (
        payload: string,
        o: {
          amount: string;
          feeFixed?: string;
          feePercent?: string;
          strict?: boolean;
          png?: string;
          svg?: string;
          scale?: number;
        },
      ) => {
        let fee: Fee | undefined;
        if (o.feeFixed !== undefined) fee = { fixed: o.feeFixed };
        else if (o.feePercent !== undefined) fee = { percent: o.feePercent };
        let result: string;
        try {
          result = toDynamic(payload, { amount: o.amount, fee, lenient: !o.strict });
        } catch (e) {
          return failed(e);
        }
        out(result);
        // read from a real code: the merchant data routes to its acquirer, so no SPECIMEN mark
        await writeImages(result, o, false);
      },
    );

  q.command('make')
    .description(
      'Make a SPECIMEN QRIS from typed-in merchant data (routes to no acquirer; prints the payload)',
    )
    .requiredOption('--name <name>', 'merchant name (59, at most 25 characters)')
    .requiredOption('--city <city>', 'merchant city (60, at most 15 characters)')
    .requiredOption('--postal-code <code>', 'postal code (61)')
    .requiredOption('--mcc <mcc>', 'merchant category code (52, 4 digits)')
    .requiredOption('--nmid <nmid>', 'national merchant id: ID and 13 digits')
    .addOption(
      new Option('--criteria <c>', 'merchant criteria').choices([...QRIS_CRITERIA]).makeOptionMandatory(),
    )
    .option('--amount <n>', 'amount in rupiah (makes a dynamic code)', amountArg)
    .option('--png <file>', 'also write the code as PNG (marked SPECIMEN)')
    .option('--svg <file>', 'also write the code as SVG (marked SPECIMEN)')
    .option('--scale <n>', 'PNG pixels per module (default 8)', scaleArg)
    .action(
      async (o: {
        name: string;
        city: string;
        postalCode: string;
        mcc: string;
        nmid: string;
        criteria: string;
        amount?: string;
        png?: string;
        svg?: string;
        scale?: number;
      }) => {
        const profile: MerchantProfile = {
          name: o.name,
          city: o.city,
          postalCode: o.postalCode,
          mcc: o.mcc,
          nmid: o.nmid,
          criteria: o.criteria,
        };
        if (o.amount !== undefined) profile.amount = o.amount;
        let payload: string;
        try {
          payload = build(profile);
        } catch (e) {
          return failed(e);
        }
        out(payload);
        err(
          tr(
            'SPECIMEN: dibuat dari data merchant yang diketik, tidak terhubung ke PJSP mana pun. Bukan kode pembayaran.',
            'SPECIMEN: made from typed-in merchant data, it routes to no acquirer. Not a payment code.',
          ),
        );
        await writeImages(payload, o, true);
      },
    );
}
