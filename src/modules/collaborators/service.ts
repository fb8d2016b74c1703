import { type Selectable, sql } from 'kysely';
import { z } from 'zod';
import { audit } from '../../core/audit.ts';
import { nowIso } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import { conflict, invalid, notFound, preconditionFailed } from '../../core/errors.ts';
import { isUuid, newId } from '../../core/ids.ts';
import type { CollaboratorsTable } from '../../db/types.ts';
import { checkEmail, normalizePhone, normalizeRegionCode } from '../../identity/index.ts';
import { requirePermission } from '../participants/policy.ts';

export const COLLABORATOR_TYPES = [
  'community',
  'university',
  'company',
  'bank',
  'bumd',
  'ngo',
  'government',
] as const;
const STAGES = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'] as const;

export const collaboratorInput = z
  .object({
    id: z.uuid().optional(),
    name: z.string().trim().min(2).max(200),
    type: z.enum(COLLABORATOR_TYPES),
    mouNumber: z.string().trim().max(100).nullish(),
    mouStart: z.iso.date().nullish(),
    mouEnd: z.iso.date().nullish(),
    stages: z.array(z.enum(STAGES)).max(7).default([]),
    contact: z
      .object({
        name: z.string().trim().max(150).nullish(),
        email: z.string().trim().max(200).nullish(),
        phone: z.string().trim().max(30).nullish(),
      })
      .strict()
      .default({}),
    areaCode: z.string().max(20).nullish(),
  })
  .strict();
export type CollaboratorInput = z.infer<typeof collaboratorInput>;
export const collaboratorPatch = collaboratorInput.omit({ id: true }).partial().strict();

export function presentCollaborator(c: Selectable<CollaboratorsTable>) {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    mouNumber: c.mou_number,
    mouStart: c.mou_start,
    mouEnd: c.mou_end,
    stages: JSON.parse(c.stages) as string[],
    contact: { name: c.contact_name, email: c.contact_email, phone: c.contact_phone },
    areaCode: c.area_code,
    version: c.version,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

function normalize(ctx: Ctx, c: CollaboratorInput) {
  const errors: { path: string; code: string; message: string }[] = [];
  let email = c.contact?.email ?? null;
  if (email) {
    const r = checkEmail(email.toLowerCase());
    if (!r.ok) errors.push({ path: 'contact.email', code: r.issue.code, message: r.issue.message });
    else email = r.value;
  }
  let phone = c.contact?.phone ?? null;
  if (phone) {
    const r = normalizePhone(phone, { mobileOnly: false });
    if (!r.ok) errors.push({ path: 'contact.phone', code: r.issue.code, message: r.issue.message });
    else phone = r.e164;
  }
  let area: string | null = null;
  if (c.areaCode) {
    const r = normalizeRegionCode(c.areaCode);
    if (!r)
      errors.push({
        path: 'areaCode',
        code: 'AREA_INVALID',
        message: ctx.lang === 'en' ? 'Unknown region code.' : 'Kode wilayah tidak dikenal.',
      });
    else area = r.dotted;
  }
  if (c.mouStart && c.mouEnd && c.mouEnd < c.mouStart) {
    errors.push({
      path: 'mouEnd',
      code: 'MOU_PERIOD_INVALID',
      message:
        ctx.lang === 'en' ? 'The MoU ends before it starts.' : 'Tanggal akhir MoU sebelum tanggal mulai.',
    });
  }
  if (errors.length) throw invalid(errors);
  return {
    name: c.name,
    type: c.type,
    mou_number: c.mouNumber ?? null,
    mou_start: c.mouStart ?? null,
    mou_end: c.mouEnd ?? null,
    stages: JSON.stringify(c.stages ?? []),
    contact_name: c.contact?.name ?? null,
    contact_email: email,
    contact_phone: phone,
    area_code: area,
  };
}

export async function createCollaborator(svc: Services, ctx: Ctx, input: CollaboratorInput) {
  requirePermission(ctx, 'collaborator.write');
  // a client-supplied id (offline capture): one spelling, readable by id, and used once
  const id = (input.id ?? newId()).toLowerCase();
  if (!isUuid(id)) {
    throw invalid([
      {
        path: 'id',
        code: 'ID_INVALID',
        message: ctx.lang === 'en' ? 'Not a usable UUID.' : 'Bukan UUID yang dapat dipakai.',
      },
    ]);
  }
  const row = normalize(ctx, input);
  const now = nowIso();
  await svc.db.kysely.transaction().execute(async (tx) => {
    const clash = await tx.selectFrom('collaborators').select('id').where('id', '=', id).executeTakeFirst();
    if (clash) throw conflict('ID_EXISTS', { id: 'ID ini sudah dipakai.', en: 'This id is already in use.' });
    await tx
      .insertInto('collaborators')
      .values({ id, ...row, created_at: now, updated_at: now, version: 1 })
      .execute();
    await audit(svc, tx, ctx, {
      action: 'collaborator.create',
      entityType: 'collaborator',
      entityId: id,
      after: row,
    });
  });
  return getCollaborator(svc, ctx, id);
}

export async function getCollaborator(svc: Services, ctx: Ctx, rawId: string) {
  const actor = requirePermission(ctx, 'collaborator.read');
  if (!isUuid(rawId)) throw notFound();
  const id = rawId.toLowerCase();
  if (actor?.role === 'collaborator' && actor.collaboratorId !== id) throw notFound();
  const c = await svc.db.kysely
    .selectFrom('collaborators')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!c) throw notFound();
  const counts = await svc.db.kysely
    .selectFrom('participants')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('collaborator_id', '=', id)
    .groupBy('status')
    .execute();
  const figures: Record<string, number> = { registered: 0, verified: 0, validated: 0, rejected: 0 };
  for (const r of counts) figures[r.status] = Number(r.n);
  return {
    ...presentCollaborator(c),
    figures: { total: counts.reduce((s, r) => s + Number(r.n), 0), ...figures },
  };
}

export async function listCollaborators(svc: Services, ctx: Ctx, q: { q?: string; type?: string }) {
  const actor = requirePermission(ctx, 'collaborator.read');
  let qb = svc.db.kysely.selectFrom('collaborators').selectAll().orderBy('name');
  if (actor?.role === 'collaborator') qb = qb.where('id', '=', actor.collaboratorId ?? '');
  if (q.q) {
    // case-insensitive and literal on both engines (LIKE is case-sensitive on PostgreSQL; % and _ are wildcards)
    const like = `%${q.q.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    qb = qb.where(sql<boolean>`lower(name) like ${like} escape '\\'`);
  }
  if (q.type) qb = qb.where('type', '=', q.type);
  const rows = await qb.execute();
  return { items: rows.map(presentCollaborator), total: rows.length };
}

export async function updateCollaborator(
  svc: Services,
  ctx: Ctx,
  id: string,
  patch: z.infer<typeof collaboratorPatch>,
  ifMatchVersion: number | null,
) {
  requirePermission(ctx, 'collaborator.write');
  const cur = await getCollaborator(svc, ctx, id);
  if (ifMatchVersion != null && ifMatchVersion !== cur.version) {
    throw preconditionFailed({
      id: 'Data sudah diubah orang lain. Muat ulang.',
      en: 'Someone else changed this record. Reload.',
    });
  }
  const merged: CollaboratorInput = {
    name: patch.name ?? cur.name,
    type: patch.type ?? (cur.type as CollaboratorInput['type']),
    mouNumber: patch.mouNumber !== undefined ? patch.mouNumber : cur.mouNumber,
    mouStart: patch.mouStart !== undefined ? patch.mouStart : cur.mouStart,
    mouEnd: patch.mouEnd !== undefined ? patch.mouEnd : cur.mouEnd,
    stages: (patch.stages ?? cur.stages) as CollaboratorInput['stages'],
    contact: { ...cur.contact, ...(patch.contact ?? {}) },
    areaCode: patch.areaCode !== undefined ? patch.areaCode : cur.areaCode,
  };
  const row = normalize(ctx, merged);
  const now = nowIso();
  await svc.db.kysely.transaction().execute(async (tx) => {
    await tx
      .updateTable('collaborators')
      .set({ ...row, updated_at: now, version: cur.version + 1 })
      .where('id', '=', cur.id)
      .execute();
    await audit(svc, tx, ctx, {
      action: 'collaborator.update',
      entityType: 'collaborator',
      entityId: cur.id,
      before: cur,
      after: row,
    });
  });
  return getCollaborator(svc, ctx, cur.id);
}
