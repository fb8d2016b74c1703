import type { Actor, Ctx, Role } from '../../core/context.ts';
import { forbidden, unauthorized } from '../../core/errors.ts';

/**
 * Who may do what with QRIS profiles. Which participants (scope) is the registry's: every command first
 * finds the participant through `findVisible`, so a record outside the caller's area is a 404.
 */
export const QRIS_PERMISSIONS = {
  'qris.read': ['admin', 'officer', 'mentor', 'collaborator', 'participant'],
  'qris.submit': ['admin', 'officer', 'mentor', 'collaborator', 'participant'],
  /** the participant's mentor (area) or an officer confirms; never the person who submitted */
  'qris.verify': ['admin', 'officer', 'mentor'],
} as const satisfies Record<string, readonly Role[]>;
export type QrisPermission = keyof typeof QRIS_PERMISSIONS;

/** Throws 401/403 unless the actor holds the permission; CLI and system contexts run as the operator. */
export function requireQris(ctx: Ctx, perm: QrisPermission): Actor | null {
  if (!ctx.actor) {
    if (ctx.via === 'cli' || ctx.via === 'system') return null;
    throw unauthorized();
  }
  if (!(QRIS_PERMISSIONS[perm] as readonly Role[]).includes(ctx.actor.role)) {
    throw forbidden('FORBIDDEN', {
      id: 'Peran Anda tidak memiliki izin untuk tindakan ini.',
      en: 'Your role does not allow this action.',
    });
  }
  return ctx.actor;
}
