import type { Transaction } from 'kysely';
import type { DB } from '../db/types.ts';
import { nowIso } from './clock.ts';
import type { Ctx, Services } from './context.ts';
import type { DataKey } from './crypto.ts';
import { newId } from './ids.ts';

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId: string;
  participantId?: string | null;
  before?: unknown;
  after?: unknown;
  note?: unknown;
  /** when given, the before/after values are encrypted with this person's data key (erasure destroys them) */
  dataKey?: DataKey | null;
};

/** Appends one audit entry. The log is append-only: no code path updates or deletes its rows. */
export async function audit(
  svc: Services,
  tx: Transaction<DB> | Services['db']['kysely'],
  ctx: Ctx,
  e: AuditEntry,
): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values(auditRow(svc, ctx, e))
    .execute();
}

export function auditRow(svc: Services, ctx: Ctx, e: AuditEntry) {
  const payload =
    e.before === undefined && e.after === undefined && e.note === undefined
      ? null
      : JSON.stringify({ before: e.before ?? null, after: e.after ?? null, note: e.note ?? null });
  return {
    id: newId(),
    occurred_at: nowIso(),
    actor_id: ctx.actor?.id ?? null,
    actor_label: ctx.actor?.label ?? (ctx.via === 'cli' ? 'cli' : ctx.via === 'system' ? 'system' : 'public'),
    ip: ctx.ip,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    participant_id: e.participantId ?? null,
    data_enc: payload && e.dataKey ? svc.vault.encrypt(e.dataKey, payload) : null,
    data: payload && !e.dataKey ? payload : null,
  };
}
