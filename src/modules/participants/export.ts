import { audit } from '../../core/audit.ts';
import type { Ctx, Services } from '../../core/context.ts';
import type { DataKey } from '../../core/crypto.ts';
import { formatPhoneLocal } from '../../identity/index.ts';
import { IMPORT_COLUMNS, type ImportKey } from '../../spreadsheet/headers.ts';
import { openSheetWriter } from '../../spreadsheet/writer.ts';
import { requirePermission, scopeParticipants } from './policy.ts';

/**
 * Writes the participants in scope with the same columns the import reads (round trip). NIK and phone are
 * masked unless `full`, which needs the export-full permission and is audited.
 */
export function exportParticipants(
  svc: Services,
  ctx: Ctx,
  out: string | NodeJS.WritableStream,
  format: 'csv' | 'xlsx',
  full: boolean,
  onProgress?: (rows: number) => void,
) {
  let resolveStarted!: () => void;
  let rejectStarted!: (e: unknown) => void;
  const started = new Promise<void>((res, rej) => {
    resolveStarted = res;
    rejectStarted = rej;
  });
  const finished = (async () => {
    try {
      requirePermission(ctx, full ? 'participant.export-full' : 'participant.export');
    } catch (e) {
      rejectStarted(e);
      throw e;
    }
    const k = svc.db.kysely;
    const total = await scopeParticipants(k.selectFrom('participants'), ctx)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    if (full) {
      await audit(svc, k, ctx, {
        action: 'participant.export-full',
        entityType: 'export',
        entityId: 'participants',
        note: { format, rows: Number(total?.n ?? 0) },
      });
    }
    resolveStarted();
    const headers = IMPORT_COLUMNS.map((c) => c.id);
    const textCols = IMPORT_COLUMNS.map((c, i) => (c.text ? i : -1)).filter((i) => i >= 0);
    const w = openSheetWriter(out, format, headers, { textColumns: textCols, escapeFormulas: true });
    let after: { at: string; id: string } | null = null;
    let rows = 0;
    for (;;) {
      let q = scopeParticipants(k.selectFrom('participants').selectAll('participants'), ctx)
        .where('erased_at', 'is', null)
        .orderBy('registered_at')
        .orderBy('id')
        .limit(2000);
      if (after) {
        const a = after;
        q = q.where((eb) =>
          eb.or([
            eb('registered_at', '>', a.at),
            eb.and([eb('registered_at', '=', a.at), eb('id', '>', a.id)]),
          ]),
        );
      }
      const page = await q.execute();
      if (page.length === 0) break;
      const ids = page.map((p) => p.id);
      const biz = new Map(
        (
          await k
            .selectFrom('businesses')
            .selectAll()
            .where('participant_id', 'in', ids)
            .where('is_primary', '=', 1)
            .execute()
        ).map((b) => [b.participant_id, b]),
      );
      const keys = full
        ? new Map(
            (await k.selectFrom('person_keys').selectAll().where('participant_id', 'in', ids).execute()).map(
              (r) => [r.participant_id, r.wrapped_key ? svc.vault.unwrap(r.key_id, r.wrapped_key) : null],
            ),
          )
        : new Map<string, DataKey | null>();
      for (const p of page) {
        const b = biz.get(p.id);
        const key = keys.get(p.id) ?? null;
        const dec = (v: string | null) => (v && key ? svc.vault.decrypt(key, v) : '');
        const phone = full ? dec(p.phone_enc) : (p.phone_masked ?? '');
        const values: Record<ImportKey, string | number | null> = {
          nik: full ? dec(p.nik_enc) : p.nik_masked,
          fullName: p.full_name,
          birthDate: p.birth_date,
          sex: p.sex === 'F' ? 'P' : p.sex === 'M' ? 'L' : '',
          phone: full && phone ? formatPhoneLocal(phone).replace(/[^\d]/g, '') : phone,
          email: full ? dec(p.email_enc) : '',
          villageCode: p.village_code,
          street: full ? dec(p.street_enc) : '',
          rt: p.rt,
          rw: p.rw,
          postalCode: p.postal_code,
          businessName: b?.name ?? '',
          sector: b?.sector ?? p.sector,
          kbli: b?.kbli ?? '',
          products: b?.products ?? '',
          startedYear: b?.started_year ?? null,
          annualRevenue: b?.annual_revenue ?? null,
          capital: b?.capital ?? null,
          employees: b?.employees ?? null,
          nib: b?.nib ?? '',
          npwp: b?.npwp ?? '',
          registeredAt: p.registered_date,
          consent: p.consent_given ? 'Y' : 'N',
        };
        await w.write(
          IMPORT_COLUMNS.map((c) => {
            const v = values[c.key];
            return v == null ? null : c.text ? String(v) : v;
          }),
        );
        rows++;
      }
      onProgress?.(rows);
      const last = page[page.length - 1];
      after = { at: last.registered_at, id: last.id };
    }
    await w.close();
    return { rows };
  })();
  finished.catch(() => {});
  return { started, finished };
}
