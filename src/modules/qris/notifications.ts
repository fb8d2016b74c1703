import type { Kysely, Transaction } from 'kysely';
import { nowIso } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import { notFound, type Text, unauthorized } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { DB } from '../../db/types.ts';

/**
 * Participant notifications: a row per event, written in the same transaction as the change it tells
 * about (an outbox a delivery job can later read for SMS or WhatsApp). The platform has no notification
 * module yet; this one lives with its first user, QRIS, and moves out when another module needs it.
 */
export type NotificationPayload = { title: Text; body: Text; [k: string]: unknown };

export async function notify(
  tx: Transaction<DB> | Kysely<DB>,
  participantId: string,
  kind: string,
  payload: NotificationPayload,
): Promise<string> {
  const id = newId();
  await tx
    .insertInto('notifications')
    .values({
      id,
      participant_id: participantId,
      kind,
      payload: JSON.stringify(payload),
      created_at: nowIso(),
      read_at: null,
    })
    .execute();
  return id;
}

/** The caller's own notifications, newest first (participant accounts; other roles have none). */
export async function listMyNotifications(svc: Services, ctx: Ctx, q: { unread?: boolean; limit: number }) {
  const a = ctx.actor;
  if (!a) throw unauthorized();
  if (a.role !== 'participant' || !a.participantId) return { items: [], unread: 0 };
  let qb = svc.db.kysely
    .selectFrom('notifications')
    .selectAll()
    .where('participant_id', '=', a.participantId);
  if (q.unread) qb = qb.where('read_at', 'is', null);
  const rows = await qb.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  const unread = await svc.db.kysely
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('participant_id', '=', a.participantId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return {
    items: rows.map((r) => {
      const { title, body, ...data } = JSON.parse(r.payload) as NotificationPayload;
      return {
        id: r.id,
        kind: r.kind,
        title: ctx.lang === 'en' ? title.en : title.id,
        body: ctx.lang === 'en' ? body.en : body.id,
        data,
        createdAt: r.created_at,
        readAt: r.read_at,
      };
    }),
    unread: Number(unread?.n ?? 0),
  };
}

/** Marks one of the caller's notifications read (idempotent); another person's is a 404. */
export async function markNotificationRead(svc: Services, ctx: Ctx, id: string) {
  const a = ctx.actor;
  if (!a) throw unauthorized();
  const row =
    a.role === 'participant' && a.participantId
      ? await svc.db.kysely
          .selectFrom('notifications')
          .select(['id', 'read_at'])
          .where('id', '=', id)
          .where('participant_id', '=', a.participantId)
          .executeTakeFirst()
      : undefined;
  if (!row) throw notFound();
  const readAt = row.read_at ?? nowIso();
  if (!row.read_at) {
    await svc.db.kysely.updateTable('notifications').set({ read_at: readAt }).where('id', '=', id).execute();
  }
  return { id, readAt };
}
