import type { Ctx, Services } from '../../core/context.ts';
import type { DataKey } from '../../core/crypto.ts';
import { forbidden, unauthorized } from '../../core/errors.ts';
import { isUuid } from '../../core/ids.ts';
import { findVisible } from '../participants/commands.ts';

/**
 * The audit trail of one entity (admins: any entity; others: the history of participants in their scope).
 * Encrypted values are decrypted with the person's key; after erasure they read as null.
 */
export async function auditTrail(svc: Services, ctx: Ctx, entity: string, limit = 200) {
  if (!ctx.actor && ctx.via === 'http') throw unauthorized();
  const admin = !ctx.actor || ctx.actor.role === 'admin';
  let participantId: string | null = null;
  if (!admin) {
    const p = await findVisible(svc, ctx, entity).catch(() => null);
    if (!p)
      throw forbidden('FORBIDDEN', {
        id: 'Riwayat ini di luar wilayah Anda.',
        en: 'This history is outside your scope.',
      });
    participantId = p.id;
  } else if (!isUuid(entity)) {
    const p = await findVisible(svc, ctx, entity).catch(() => null);
    participantId = p?.id ?? null;
  }
  const id = participantId ?? entity;
  const rows = await svc.db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_id', '=', id)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(limit, 1), 1000))
    .execute();
  let key: DataKey | null | undefined;
  const keyFor = async (pid: string) => {
    if (key !== undefined) return key;
    const k = await svc.db.kysely
      .selectFrom('person_keys')
      .selectAll()
      .where('participant_id', '=', pid)
      .executeTakeFirst();
    key = k?.wrapped_key ? svc.vault.unwrap(k.key_id, k.wrapped_key) : null;
    return key;
  };
  const items = [];
  for (const r of rows) {
    let data: unknown = r.data ? JSON.parse(r.data) : null;
    if (r.data_enc && r.participant_id) {
      const k = await keyFor(r.participant_id);
      data = k ? JSON.parse(svc.vault.decrypt(k, r.data_enc)) : { erased: true };
    }
    items.push({
      id: r.id,
      occurredAt: r.occurred_at,
      actorId: r.actor_id,
      actor: r.actor_label,
      ip: admin ? r.ip : null,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      data,
    });
  }
  return { items, related: await relatedRecords(svc, ctx, items) };
}

/** Note fields that name another participant (duplicate decisions: the other record of the pair). */
const RELATED_KEYS = ['other', 'kept', 'merged', 'restored'] as const;

/**
 * The other records named in the entries' notes (merges, unmerges, duplicate decisions), by id: their
 * registration number, so a history can say "merged into record JKP-..." and link to it. Only records the
 * caller may see; nothing personal beyond the registration number.
 */
async function relatedRecords(
  svc: Services,
  ctx: Ctx,
  items: { entityId: string; data: unknown }[],
): Promise<Record<string, { registrationNumber: string; mergedInto: string | null }>> {
  const ids = new Set<string>();
  for (const it of items) {
    const note = (it.data as { note?: unknown } | null)?.note;
    if (!note || typeof note !== 'object') continue;
    for (const key of RELATED_KEYS) {
      const v = (note as Record<string, unknown>)[key];
      if (typeof v === 'string' && isUuid(v) && v !== it.entityId) ids.add(v);
    }
  }
  const out: Record<string, { registrationNumber: string; mergedInto: string | null }> = {};
  for (const id of [...ids].slice(0, 100)) {
    const p = await findVisible(svc, ctx, id).catch(() => null);
    if (p) out[p.id] = { registrationNumber: p.registration_number, mergedInto: p.merged_into ?? null };
  }
  return out;
}
