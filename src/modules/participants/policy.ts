import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { Actor, Ctx, Role } from '../../core/context.ts';
import { forbidden, unauthorized } from '../../core/errors.ts';
import type { DB } from '../../db/types.ts';

/** Declarative permissions: which roles may do what. Scope (which records) is applied separately, in SQL. */
export const PERMISSIONS = {
  'participant.create': ['admin', 'officer', 'mentor', 'collaborator'],
  'participant.read': ['admin', 'officer', 'mentor', 'collaborator', 'participant'],
  'participant.update': ['admin', 'officer', 'mentor', 'collaborator', 'participant'],
  'participant.verify': ['admin', 'officer', 'mentor'],
  'participant.validate': ['admin', 'officer'],
  'participant.reject': ['admin', 'officer', 'mentor'],
  'participant.reopen': ['admin', 'officer'],
  'participant.erase': ['admin'],
  'participant.enrol': ['admin', 'officer'],
  'participant.civil-status': ['admin', 'officer'],
  'participant.nik-override': ['admin', 'officer'],
  'participant.export': ['admin', 'officer', 'mentor', 'collaborator'],
  'participant.export-full': ['admin', 'officer'],
  'import.run': ['admin', 'officer', 'collaborator'],
  'collaborator.read': ['admin', 'officer', 'mentor', 'collaborator'],
  'collaborator.write': ['admin'],
  'user.manage': ['admin'],
  'audit.read': ['admin', 'officer', 'mentor', 'collaborator', 'participant'],
  'stats.read': ['admin', 'officer', 'mentor', 'collaborator'],
  'dedupe.review': ['admin', 'officer'],
  'dedupe.merge': ['admin', 'officer'],
  'dedupe.scan': ['admin', 'officer'],
  'quality.read': ['admin', 'officer'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Actor | null, perm: Permission): boolean {
  return !!actor && (PERMISSIONS[perm] as readonly Role[]).includes(actor.role);
}

/** Throws 401/403 unless the context's actor holds the permission. CLI operator commands run as system. */
export function requirePermission(ctx: Ctx, perm: Permission): Actor | null {
  if (!ctx.actor) {
    if (ctx.via === 'cli' || ctx.via === 'system') return null;
    throw unauthorized();
  }
  if (!can(ctx.actor, perm)) {
    throw forbidden('FORBIDDEN', {
      id: 'Peran Anda tidak memiliki izin untuk tindakan ini.',
      en: 'Your role does not allow this action.',
    });
  }
  return ctx.actor;
}

/** The area-scope predicate for participants: a record outside it is simply not found. */
export function scopeParticipants<O>(
  qb: SelectQueryBuilder<DB, 'participants', O>,
  ctx: Ctx,
): SelectQueryBuilder<DB, 'participants', O> {
  const a = ctx.actor;
  if (!a) return ctx.via === 'http' ? qb.where(({ lit }) => lit(false)) : qb;
  return qb.where((eb) => scopeExpr(eb, a));
}

export function scopeExpr(eb: ExpressionBuilder<DB, 'participants'>, a: Actor) {
  switch (a.role) {
    case 'admin':
      return eb.lit(true);
    case 'officer':
    case 'mentor': {
      if (a.areas.length === 0) return eb.lit(false);
      const ors = a.areas.map((code) => {
        if (code.length <= 2) return eb('participants.province_code', '=', code);
        if (code.length <= 5) return eb('participants.regency_code', '=', code);
        if (code.length <= 8) return eb('participants.district_code', '=', code);
        return eb('participants.village_code', '=', code);
      });
      return eb.or(ors);
    }
    case 'collaborator':
      return a.collaboratorId ? eb('participants.collaborator_id', '=', a.collaboratorId) : eb.lit(false);
    case 'participant':
      return a.participantId ? eb('participants.id', '=', a.participantId) : eb.lit(false);
  }
}

/** Districts (dotted) an actor's statistics cover, as a SQL LIKE prefix list; null = everything. */
export function statsScope(a: Actor | null): string[] | null {
  if (!a || a.role === 'admin') return null;
  if (a.role === 'officer' || a.role === 'mentor') return a.areas;
  return [];
}
