import type { Kysely, Selectable, Transaction } from 'kysely';
import { audit } from '../../core/audit.ts';
import { nowIso } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import type { DataKey } from '../../core/crypto.ts';
import {
  AppError,
  conflict,
  type FieldError,
  forbidden,
  invalid,
  type Lang,
  type Text,
} from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordMilestone } from '../../core/milestones.ts';
import { applyRollup, RollupDelta } from '../../core/rollup.ts';
import { withTx } from '../../db/index.ts';
import type { DB, ParticipantsTable, QrisProfilesTable } from '../../db/types.ts';
import {
  appendCrc,
  parse,
  type QrisData,
  QrisError,
  type QrisIssue,
  serializeTlvs,
  toDynamic,
} from '../../qris/index.ts';
import { auditTrail } from '../audit/service.ts';
import { findVisible } from '../participants/commands.ts';
import { bilingual, issueMessage } from './messages.ts';
import { namesMatch } from './names.ts';
import { notify } from './notifications.ts';
import { requireQris } from './policy.ts';

type Row = Selectable<QrisProfilesTable>;
type Participant = Selectable<ParticipantsTable>;
type Tx = Transaction<DB> | Kysely<DB>;

/** A warning kept on the profile: the codec's lenient breaches and the platform's checks. */
export type StoredWarning = { path: string; code: string; message: Text };

/** UMKM size class (PP 7/2021, from the registry) -> the QRIS merchant criteria it should carry. */
export const CRITERIA_FOR_SIZE: Record<string, string> = {
  micro: 'UMI',
  small: 'UKE',
  medium: 'UME',
  large: 'UBE',
};

export const MAX_PAYLOAD_LENGTH = 1024;

const t = (id: string, en: string): Text => ({ id, en });
const pickText = (x: Text, lang: Lang) => (lang === 'en' ? x.en : x.id);

function erased(): AppError {
  return new AppError(410, 'ERASED', {
    id: 'Data pribadi peserta ini sudah dihapus.',
    en: "This participant's personal data has been erased.",
  });
}

function noProfile(): AppError {
  return new AppError(404, 'QRIS_PROFILE_MISSING', {
    id: 'Peserta ini belum memiliki profil QRIS.',
    en: 'This participant has no QRIS profile yet.',
  });
}

/**
 * What the QRIS checks need from the registry: the participant's business names (primary first) and the
 * primary business's size class. Read-only; the registry module owns these rows.
 */
async function businessFacts(k: Tx, participantId: string) {
  const rows = await k
    .selectFrom('businesses')
    .select(['name', 'size_class', 'is_primary'])
    .where('participant_id', '=', participantId)
    .orderBy('is_primary', 'desc')
    .orderBy('created_at')
    .execute();
  return {
    names: rows.map((r) => r.name),
    primaryName: rows[0]?.name ?? null,
    sizeClass: rows[0]?.size_class ?? null,
  };
}
type Facts = Awaited<ReturnType<typeof businessFacts>>;

/** The person's data key (audit values holding merchant data are encrypted with it; erasure destroys it). */
async function personKey(svc: Services, participantId: string): Promise<DataKey | null> {
  const k = await svc.db.kysely
    .selectFrom('person_keys')
    .select(['key_id', 'wrapped_key'])
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return k?.wrapped_key ? svc.vault.unwrap(k.key_id, k.wrapped_key) : null;
}

function fieldPath(issue: QrisIssue): string {
  return issue.path ? `payload.${issue.path}` : 'payload';
}

function payloadErrors(issues: QrisIssue[], lang: Lang): FieldError[] {
  return issues.map((i) => ({ path: fieldPath(i), code: i.code, message: issueMessage(i, lang) }));
}

function payloadInvalid(errors: FieldError[]): AppError {
  return invalid(errors, {
    id: `Kode QRIS tidak valid: ada ${errors.length} masalah.`,
    en: `The QRIS payload is not valid: ${errors.length} problem${errors.length === 1 ? '' : 's'}.`,
  });
}

export type Analysis =
  | { ok: true; payload: string; data: QrisData; warnings: StoredWarning[] }
  | { ok: false; errors: QrisIssue[]; platformErrors: FieldError[] };

/**
 * Parses a payload leniently and adds the platform's checks: an Indonesian code; warnings for a dynamic
 * code, a tip or fee, a criteria that does not fit the size class, a merchant name unlike the business.
 */
export function analysePayload(payload: string, facts: Facts, lang: Lang): Analysis {
  const r = parse(payload, { lenient: true });
  if (!r.valid || r.data === null) return { ok: false, errors: r.errors, platformErrors: [] };
  const d = r.data;
  if (d.countryCode !== 'ID') {
    return {
      ok: false,
      errors: [],
      platformErrors: [
        {
          path: 'payload.58',
          code: 'QRIS_NOT_INDONESIAN',
          message:
            lang === 'en'
              ? `This code is for country "${d.countryCode}", not a QRIS (ID).`
              : `Kode ini untuk negara "${d.countryCode}", bukan QRIS (ID).`,
        },
      ],
    };
  }
  const warnings: StoredWarning[] = r.warnings.map((w) => ({
    path: w.path,
    code: w.code,
    message: bilingual(w),
  }));
  if (d.dynamic) {
    warnings.push({
      path: '01',
      code: 'QRIS_DYNAMIC_CODE',
      message: t(
        'Ini kode dinamis (untuk satu pembayaran). Unggah stiker QRIS statis milik usaha jika ada.',
        'This is a dynamic code (made for one payment). Upload the business’s static QRIS sticker if there is one.',
      ),
    });
  }
  if (d.amount !== null || d.tipIndicator !== null) {
    warnings.push({
      path: d.tipIndicator !== null ? '55' : '54',
      code: 'QRIS_AMOUNT_OR_FEE_PRESENT',
      message: t(
        'Kode ini berisi nominal atau tip/biaya. Gambar dari platform dibuat tanpa keduanya: biaya MDR tidak boleh dibebankan ke pembeli.',
        'This code carries an amount or a tip/fee. The platform makes its images without them: the MDR must not be passed on to buyers.',
      ),
    });
  }
  const expected = facts.sizeClass ? CRITERIA_FOR_SIZE[facts.sizeClass] : undefined;
  if (expected && d.criteria && d.criteria !== expected) {
    warnings.push({
      path: d.national ? '51.03' : 'criteria',
      code: 'QRIS_CRITERIA_SIZE_MISMATCH',
      message: t(
        `Kriteria merchant ${d.criteria} tidak sesuai dengan skala usaha terdaftar (${facts.sizeClass}: ${expected}). Periksa data omzet/modal atau minta PJSP memperbarui kriteria.`,
        `The merchant criteria ${d.criteria} do not fit the registered business size (${facts.sizeClass}: ${expected}). Check the revenue/capital figures or ask the acquirer to update the criteria.`,
      ),
    });
  }
  if (d.name && facts.names.length > 0 && !facts.names.some((n) => namesMatch(d.name!, n))) {
    warnings.push({
      path: '59',
      code: 'QRIS_NAME_MISMATCH',
      message: t(
        `Nama merchant "${d.name}" tidak cocok dengan nama usaha "${facts.primaryName}". Pendamping perlu memastikan stiker ini milik peserta.`,
        `The merchant name "${d.name}" does not match the business name "${facts.primaryName}". The mentor should make sure this sticker belongs to the participant.`,
      ),
    });
  }
  return { ok: true, payload, data: d, warnings };
}

function parsedFields(payload: string) {
  const r = parse(payload, { lenient: true });
  if (!r.data) return null;
  const { tlvs: _tlvs, ...fields } = r.data;
  return fields;
}

export function presentProfile(row: Row, facts: Facts | null, lang: Lang) {
  const warnings = JSON.parse(row.warnings) as StoredWarning[];
  return {
    id: row.id,
    participantId: row.participant_id,
    status: row.status as 'unverified' | 'verified',
    payload: row.payload,
    merchantName: row.merchant_name,
    merchantCity: row.merchant_city,
    nmid: row.nmid,
    criteria: row.criteria,
    mcc: row.mcc,
    source: row.source,
    sizeClass: facts?.sizeClass ?? null,
    expectedCriteria: facts?.sizeClass ? (CRITERIA_FOR_SIZE[facts.sizeClass] ?? null) : null,
    warnings: warnings.map((w) => ({ path: w.path, code: w.code, message: pickText(w.message, lang) })),
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    verifiedBy: row.verified_by,
    verifiedAt: row.verified_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    fields: parsedFields(row.payload),
  };
}
export type QrisProfileView = ReturnType<typeof presentProfile>;

async function loadRow(k: Tx, participantId: string): Promise<Row | undefined> {
  return k
    .selectFrom('qris_profiles')
    .selectAll()
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
}

/** The participant (in scope) and the caller, checked for a permission. */
async function target(svc: Services, ctx: Ctx, id: string, perm: Parameters<typeof requireQris>[1]) {
  const actor = requireQris(ctx, perm);
  const p = await findVisible(svc, ctx, id);
  if (p.erased_at) throw erased();
  return { actor, p };
}

/** Checks that the caller may submit a profile for this participant (before an upload is read). */
export async function checkSubmit(svc: Services, ctx: Ctx, id: string): Promise<void> {
  await target(svc, ctx, id, 'qris.submit');
}

export async function getQrisProfile(svc: Services, ctx: Ctx, id: string) {
  const { p } = await target(svc, ctx, id, 'qris.read');
  const row = await loadRow(svc.db.kysely, p.id);
  if (!row) throw noProfile();
  return presentProfile(row, await businessFacts(svc.db.kysely, p.id), ctx.lang);
}

function auditView(row: Pick<Row, 'id' | 'payload' | 'merchant_name' | 'nmid' | 'criteria' | 'status'>) {
  return {
    profileId: row.id,
    payload: row.payload,
    merchantName: row.merchant_name,
    nmid: row.nmid,
    criteria: row.criteria,
    status: row.status,
  };
}

function uniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function concurrentChange(): AppError {
  return conflict('CONCURRENT_CHANGE', {
    id: 'Profil QRIS baru saja diubah orang lain. Muat ulang lalu ulangi.',
    en: 'The QRIS profile was just changed by someone else. Reload and try again.',
  });
}

/** Adds or removes a verified profile's counts. */
function verifiedFacts(delta: RollupDelta, p: Participant, sign: 1 | -1) {
  delta.add(p.district_code, 'qris', 'verified', sign);
  delta.add(p.district_code, 'qris_sector', p.sector, sign);
}

/**
 * Saves a participant's QRIS code (pasted or read from an image). The payload must parse (leniently);
 * its warnings are kept on the profile and returned. A change to a verified profile needs the new
 * merchant name to match the business (else 422 QRIS_MERCHANT_NAME_MISMATCH), sets the profile back to
 * unverified and notifies the participant, all in one transaction with the audit entry and the rollups.
 */
export async function submitQrisPayload(
  svc: Services,
  ctx: Ctx,
  id: string,
  rawPayload: string,
  source: 'text' | 'image' = 'text',
) {
  const { actor, p } = await target(svc, ctx, id, 'qris.submit');
  const payload = rawPayload.trim();
  if (payload.length === 0 || payload.length > MAX_PAYLOAD_LENGTH) {
    throw payloadInvalid([
      {
        path: 'payload',
        code: payload.length === 0 ? 'TLV_TRUNCATED' : 'FIELD_TOO_LONG',
        message:
          ctx.lang === 'en'
            ? `A QRIS payload has 1 to ${MAX_PAYLOAD_LENGTH} characters.`
            : `Kode QRIS berisi 1 sampai ${MAX_PAYLOAD_LENGTH} karakter.`,
      },
    ]);
  }
  const facts = await businessFacts(svc.db.kysely, p.id);
  const a = analysePayload(payload, facts, ctx.lang);
  if (!a.ok) throw payloadInvalid([...payloadErrors(a.errors, ctx.lang), ...a.platformErrors]);
  const d = a.data;
  const key = await personKey(svc, p.id);
  const now = nowIso();
  const actorId = actor?.id ?? null;
  const values = {
    payload,
    merchant_name: d.name ?? '',
    merchant_city: d.city ?? '',
    nmid: d.nmid,
    criteria: d.criteria,
    mcc: d.mcc,
    warnings: JSON.stringify(a.warnings),
    source,
    submitted_by: actorId,
    submitted_at: now,
    updated_at: now,
  };
  try {
    await withTx(svc.db, async (tx) => {
      const existing = await loadRow(tx, p.id);
      const delta = new RollupDelta();
      if (!existing) {
        const row = {
          id: newId(),
          participant_id: p.id,
          ...values,
          status: 'unverified',
          verified_by: null,
          verified_at: null,
          version: 1,
          created_at: now,
        };
        await tx.insertInto('qris_profiles').values(row).execute();
        delta.add(p.district_code, 'qris', 'profile', 1);
        await audit(svc, tx, ctx, {
          action: 'qris.submit',
          entityType: 'qris_profile',
          entityId: p.id,
          participantId: p.id,
          after: { ...auditView(row), source },
          dataKey: key,
        });
      } else {
        // the same code again changes nothing (a retried request, a second upload of the same sticker)
        if (existing.payload === payload) return;
        const wasVerified = existing.status === 'verified';
        if (wasVerified && !facts.names.some((n) => namesMatch(values.merchant_name, n))) {
          throw new AppError(
            422,
            'QRIS_MERCHANT_NAME_MISMATCH',
            {
              id: `Profil QRIS ini sudah diverifikasi. Kode baru atas nama "${values.merchant_name}" tidak cocok dengan nama usaha "${facts.primaryName ?? '-'}", jadi tidak disimpan (mencegah stiker QRIS ditukar).`,
              en: `This QRIS profile is verified. The new code's merchant name "${values.merchant_name}" does not match the business name "${facts.primaryName ?? '-'}", so it was not saved (swapped QRIS stickers are a known fraud).`,
            },
            [
              {
                path: 'payload.59',
                code: 'QRIS_MERCHANT_NAME_MISMATCH',
                message:
                  ctx.lang === 'en'
                    ? 'The merchant name must match the registered business name.'
                    : 'Nama merchant harus cocok dengan nama usaha terdaftar.',
              },
            ],
          );
        }
        const res = await tx
          .updateTable('qris_profiles')
          .set({
            ...values,
            status: 'unverified',
            verified_by: null,
            verified_at: null,
            version: existing.version + 1,
          })
          .where('id', '=', existing.id)
          .where('version', '=', existing.version)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw concurrentChange();
        if (wasVerified) {
          verifiedFacts(delta, p, -1);
          await notify(tx, p.id, 'qris.changed', {
            profileId: existing.id,
            merchantName: values.merchant_name,
            nmid: values.nmid,
            previousMerchantName: existing.merchant_name,
            previousNmid: existing.nmid,
            status: 'unverified',
            title: t('Kode QRIS Anda diganti', 'Your QRIS code was changed'),
            body: t(
              `Kode QRIS usaha Anda diganti dengan kode atas nama "${values.merchant_name}" (NMID ${values.nmid ?? '-'}) dan menunggu konfirmasi pendamping. Jika Anda tidak melakukannya, segera hubungi pendamping Anda.`,
              `Your business’s QRIS code was replaced by one for "${values.merchant_name}" (NMID ${values.nmid ?? '-'}) and awaits your mentor’s confirmation. If you did not do this, contact your mentor at once.`,
            ),
          });
        }
        await audit(svc, tx, ctx, {
          action: 'qris.replace',
          entityType: 'qris_profile',
          entityId: p.id,
          participantId: p.id,
          before: auditView(existing),
          after: { ...auditView({ ...existing, ...values, status: 'unverified' }), source },
          dataKey: key,
        });
      }
      await applyRollup(tx, delta);
    });
  } catch (err) {
    if (uniqueViolation(err)) throw concurrentChange();
    throw err;
  }
  const row = await loadRow(svc.db.kysely, p.id);
  return presentProfile(row!, facts, ctx.lang);
}

/** The QR codes found in an uploaded image, narrowed to the one to save (or a 422 saying why not). */
export function chooseDecoded(texts: string[], lang: Lang): string {
  if (texts.length === 0) {
    throw invalid(
      [
        {
          path: 'file',
          code: 'QR_NOT_FOUND',
          message:
            lang === 'en'
              ? 'No QR code was found in the image. Photograph the whole sticker, straight on and sharp, or upload a screenshot.'
              : 'Tidak ada kode QR yang terbaca di gambar. Foto seluruh stiker dari depan dengan tajam, atau unggah tangkapan layar.',
        },
      ],
      t('Kode QR tidak ditemukan di gambar.', 'No QR code found in the image.'),
    );
  }
  const valid = texts.filter((x) => parse(x.trim(), { lenient: true }).valid);
  if (valid.length > 1) {
    throw invalid(
      [
        {
          path: 'file',
          code: 'QR_MULTIPLE',
          message:
            lang === 'en'
              ? `The image holds ${valid.length} different QRIS codes. Upload a picture of one sticker only.`
              : `Gambar berisi ${valid.length} kode QRIS yang berbeda. Unggah gambar satu stiker saja.`,
        },
      ],
      t('Gambar berisi lebih dari satu kode QRIS.', 'The image holds more than one QRIS code.'),
    );
  }
  // with no valid code, the first one found is reported with its parse errors
  return valid[0] ?? texts[0];
}

/** Maps the image decoder's refusals to problems. */
export function imageProblem(code: string, detail: string, lang: Lang): AppError {
  const texts: Record<string, Text> = {
    IMAGE_EMPTY: t('Berkas gambar kosong.', 'The image file is empty.'),
    IMAGE_TYPE: t(
      'Kirim foto atau tangkapan layar berformat PNG atau JPEG.',
      'Send a photo or a screenshot as PNG or JPEG.',
    ),
    IMAGE_CORRUPT: t('Gambar rusak atau tidak dapat dibaca.', 'The image is damaged or cannot be read.'),
    IMAGE_TOO_LARGE: t(
      'Resolusi gambar terlalu besar. Kirim foto yang lebih kecil.',
      'The image resolution is too large. Send a smaller photo.',
    ),
  };
  const text = texts[code] ?? texts.IMAGE_CORRUPT;
  const status = code === 'IMAGE_TYPE' ? 415 : 422;
  return new AppError(status, code, text, [
    { path: 'file', code, message: lang === 'en' ? `${text.en} (${detail})` : text.id },
  ]);
}

/**
 * Confirms a participant's QRIS profile. The participant's mentor (by area) or an officer; never the
 * person who submitted the code. `version`, when given, must be the version the confirmer looked at.
 */
export async function verifyQrisProfile(
  svc: Services,
  ctx: Ctx,
  id: string,
  body: { version?: number; note?: string | null },
) {
  const { actor, p } = await target(svc, ctx, id, 'qris.verify');
  const row = await loadRow(svc.db.kysely, p.id);
  if (!row) throw noProfile();
  if (row.status === 'verified') {
    throw conflict('QRIS_ALREADY_VERIFIED', {
      id: 'Profil QRIS ini sudah diverifikasi.',
      en: 'This QRIS profile is already verified.',
    });
  }
  if (body.version !== undefined && body.version !== row.version) {
    throw conflict('QRIS_PROFILE_CHANGED', {
      id: `Profil QRIS sudah berubah (versi ${row.version}, bukan ${body.version}). Periksa kode yang baru sebelum memverifikasi.`,
      en: `The QRIS profile has changed (version ${row.version}, not ${body.version}). Check the new code before confirming it.`,
    });
  }
  const actorId = actor?.id ?? null;
  if (actorId && row.submitted_by === actorId) {
    throw forbidden('SOD_SUBMITTER_CANNOT_VERIFY', {
      id: 'Anda yang mengirim kode QRIS ini, jadi tidak dapat memverifikasinya. Minta pendamping atau petugas lain.',
      en: 'You submitted this QRIS code, so you cannot verify it. Ask another mentor or an officer.',
    });
  }
  const key = await personKey(svc, p.id);
  const now = nowIso();
  await withTx(svc.db, async (tx) => {
    const res = await tx
      .updateTable('qris_profiles')
      .set({
        status: 'verified',
        verified_by: actorId,
        verified_at: now,
        version: row.version + 1,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw concurrentChange();
    const delta = new RollupDelta();
    verifiedFacts(delta, p, 1);
    await recordMilestone(
      tx,
      {
        participantId: p.id,
        districtCode: p.district_code,
        stage: 'P5',
        kind: 'qris-verified',
        occurredAt: now,
        sourceModule: 'qris',
        sourceId: row.id,
        actorId,
      },
      delta,
    );
    await applyRollup(tx, delta);
    await notify(tx, p.id, 'qris.verified', {
      profileId: row.id,
      merchantName: row.merchant_name,
      nmid: row.nmid,
      status: 'verified',
      title: t('Kode QRIS Anda terverifikasi', 'Your QRIS code is verified'),
      body: t(
        `Kode QRIS atas nama "${row.merchant_name}" sudah dikonfirmasi pendamping.`,
        `The QRIS code for "${row.merchant_name}" has been confirmed by your mentor.`,
      ),
    });
    await audit(svc, tx, ctx, {
      action: 'qris.verify',
      entityType: 'qris_profile',
      entityId: p.id,
      participantId: p.id,
      before: { profileId: row.id, status: row.status, version: row.version },
      after: { profileId: row.id, status: 'verified', version: row.version + 1, note: body.note ?? null },
      dataKey: key,
    });
  });
  const fresh = await loadRow(svc.db.kysely, p.id);
  return presentProfile(fresh!, await businessFacts(svc.db.kysely, p.id), ctx.lang);
}

/**
 * The code as an image is made of: a dynamic code for the amount when one is given (no fee, ever: Bank
 * Indonesia forbids passing the MDR on to buyers), else the static code (any amount, tip or fee removed).
 */
export function payableCode(stored: string, amount: string | undefined, lang: Lang): string {
  try {
    if (amount !== undefined) return toDynamic(stored, { amount });
    return toStatic(stored);
  } catch (e) {
    if (e instanceof QrisError) {
      throw invalid(
        e.issues.map((i) => ({
          path: i.code === 'AMOUNT_INVALID' ? 'amount' : fieldPath(i),
          code: i.code,
          message: issueMessage(i, lang),
        })),
      );
    }
    throw e;
  }
}

/** A static code: 01 = 11 and no 54-57; returned unchanged when it already is one. */
export function toStatic(payload: string): string {
  const r = parse(payload, { lenient: true });
  if (!r.valid || !r.data) throw new QrisError('input is not a valid QRIS', r.errors);
  const d = r.data;
  if (
    !d.dynamic &&
    d.amount === null &&
    d.tipIndicator === null &&
    d.fixedFee === null &&
    d.percentageFee === null
  )
    return payload;
  const kept = d.tlvs.filter(
    (x) => !(x.id === '00' || x.id === '01' || x.id === '63' || (x.id >= '54' && x.id <= '57')),
  );
  return appendCrc(`000201010211${serializeTlvs(kept)}`);
}

/** The participant's code to draw (static, or dynamic with an amount) and the business name for a poster. */
export async function codeForImage(svc: Services, ctx: Ctx, id: string, amount: string | undefined) {
  const { p } = await target(svc, ctx, id, 'qris.read');
  const row = await loadRow(svc.db.kysely, p.id);
  if (!row) throw noProfile();
  const payload = payableCode(row.payload, amount, ctx.lang);
  const facts = await businessFacts(svc.db.kysely, p.id);
  return {
    payload,
    status: row.status,
    businessName: facts.primaryName ?? row.merchant_name,
    registrationNumber: p.registration_number,
  };
}

/** The history of a participant's QRIS profile, from the audit log. */
export async function qrisHistory(svc: Services, ctx: Ctx, id: string) {
  const { p } = await target(svc, ctx, id, 'qris.read');
  const trail = await auditTrail(svc, ctx, p.id, 1000);
  return { items: trail.items.filter((i) => i.entityType === 'qris_profile') };
}
