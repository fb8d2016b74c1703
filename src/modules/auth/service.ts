import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { audit } from '../../core/audit.ts';
import { addHours, nowIso } from '../../core/clock.ts';
import { type Actor, type Ctx, ROLES, type Role, type Services } from '../../core/context.ts';
import { AppError, conflict, invalid, unauthorized } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { checkEmail, getRegion, normalizePhone, normalizeRegionCode } from '../../identity/index.ts';
import { requirePermission } from '../participants/policy.ts';

// argon2id (Algorithm is a const enum, erased under type stripping: 2 = Argon2id)
const ARGON = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (pw: string) => hash(pw, ARGON as any);
export const verifyPassword = (h: string, pw: string) => verify(h, pw).catch(() => false);

const tokenHash = (t: string) => createHash('sha256').update(t).digest('base64url');

export const passwordSchema = z.string().min(10).max(200);

export const loginInput = z.union([
  z.object({ email: z.string().max(200), password: z.string().max(200) }).strict(),
  z.object({ phone: z.string().max(30), password: z.string().max(200) }).strict(),
]);

export const createUserInput = z
  .object({
    email: z.string().max(200).nullish(),
    phone: z.string().max(30).nullish(),
    displayName: z.string().min(1).max(150).nullish(),
    password: z.string().max(200).nullish(),
    role: z.enum(ROLES),
    areas: z.array(z.string().max(20)).max(100).default([]),
    agency: z.string().max(40).nullish(),
    collaboratorId: z.string().max(40).nullish(),
    participant: z.string().max(40).nullish(),
  })
  .strict();
export type CreateUserInput = z.infer<typeof createUserInput>;

const BAD_LOGIN = {
  id: 'Email/nomor HP atau kata sandi salah.',
  en: 'Wrong email/phone or password.',
};

export async function loadActor(svc: Services, userId: string): Promise<Actor | null> {
  return (await loadUserActor(svc, userId))?.actor ?? null;
}

/** The user's actor (role and grants) and whether a password change is pending: one read of the user row. */
async function loadUserActor(
  svc: Services,
  userId: string,
): Promise<{ actor: Actor; mustChangePassword: boolean } | null> {
  const u = await svc.db.kysely.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!u || u.disabled) return null;
  const grants = await svc.db.kysely
    .selectFrom('user_grants')
    .selectAll()
    .where('user_id', '=', userId)
    .execute();
  const actor: Actor = {
    id: u.id,
    role: u.role as Role,
    label: u.email ?? u.phone ?? u.display_name,
    areas: grants.filter((g) => g.kind === 'area').map((g) => g.value),
    agency: grants.find((g) => g.kind === 'agency')?.value ?? null,
    collaboratorId: grants.find((g) => g.kind === 'collaborator')?.value ?? null,
    participantId: grants.find((g) => g.kind === 'participant')?.value ?? null,
  };
  return { actor, mustChangePassword: u.must_change_password === 1 };
}

export async function presentUser(svc: Services, userId: string) {
  const u = await svc.db.kysely
    .selectFrom('users')
    .selectAll()
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const a = await loadActor(svc, userId);
  return {
    id: u.id,
    email: u.email,
    phone: u.phone,
    displayName: u.display_name,
    role: u.role,
    areas: a?.areas ?? [],
    agency: a?.agency ?? null,
    collaboratorId: a?.collaboratorId ?? null,
    participantId: a?.participantId ?? null,
    mustChangePassword: u.must_change_password === 1,
    disabled: u.disabled === 1,
    createdAt: u.created_at,
  };
}

/** Checks the password, applies the lockout rule, and opens a session. */
export async function login(svc: Services, ctx: Ctx, input: z.infer<typeof loginInput>) {
  const k = svc.db.kysely;
  let q = k.selectFrom('users').selectAll();
  if ('email' in input) q = q.where('email', '=', input.email.trim().toLowerCase());
  else {
    const p = normalizePhone(input.phone);
    if (!p.ok) throw new AppError(401, 'BAD_CREDENTIALS', BAD_LOGIN);
    q = q.where('phone', '=', p.e164);
  }
  const u = await q.executeTakeFirst();
  const now = nowIso();
  if (!u || u.disabled) {
    await verifyPassword(
      '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      input.password,
    );
    throw new AppError(401, 'BAD_CREDENTIALS', BAD_LOGIN);
  }
  if (u.locked_until && u.locked_until > now) {
    throw new AppError(
      423,
      'ACCOUNT_LOCKED',
      {
        id: 'Terlalu banyak percobaan gagal. Akun dikunci sementara; coba lagi nanti.',
        en: 'Too many failed attempts. The account is locked for a while; try again later.',
      },
      [],
      { lockedUntil: u.locked_until },
    );
  }
  const ok = await verifyPassword(u.password_hash, input.password);
  if (!ok) {
    const failures = u.failed_attempts + 1;
    const lock = failures >= svc.config.loginMaxFailures;
    await k
      .updateTable('users')
      .set({
        failed_attempts: lock ? 0 : failures,
        locked_until: lock ? addHours(now, svc.config.loginLockMinutes / 60) : u.locked_until,
        updated_at: now,
      })
      .where('id', '=', u.id)
      .execute();
    await audit(
      svc,
      k,
      { ...ctx, actor: null },
      { action: lock ? 'auth.lock' : 'auth.fail', entityType: 'user', entityId: u.id },
    );
    throw new AppError(401, 'BAD_CREDENTIALS', BAD_LOGIN);
  }
  await k
    .updateTable('users')
    .set({ failed_attempts: 0, locked_until: null })
    .where('id', '=', u.id)
    .execute();
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await k
    .insertInto('sessions')
    .values({
      id: newId(),
      user_id: u.id,
      token_hash: tokenHash(token),
      csrf_token: csrf,
      created_at: now,
      expires_at: addHours(now, svc.config.sessionTtlHours),
      revoked_at: null,
      ip: ctx.ip,
    })
    .execute();
  const actor = await loadActor(svc, u.id);
  await audit(svc, k, { ...ctx, actor }, { action: 'auth.login', entityType: 'user', entityId: u.id });
  return { token, csrfToken: csrf, user: await presentUser(svc, u.id) };
}

export async function sessionFromToken(svc: Services, token: string) {
  if (!token || token.length > 200) return null;
  const s = await svc.db.kysely
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!s || s.revoked_at || s.expires_at <= nowIso()) return null;
  const user = await loadUserActor(svc, s.user_id);
  if (!user) return null;
  return { session: s, ...user };
}

export async function logout(svc: Services, token: string): Promise<void> {
  await svc.db.kysely
    .updateTable('sessions')
    .set({ revoked_at: nowIso() })
    .where('token_hash', '=', tokenHash(token))
    .execute();
}

export async function changePassword(svc: Services, ctx: Ctx, current: string, next: string) {
  if (!ctx.actor) throw unauthorized();
  const u = await svc.db.kysely
    .selectFrom('users')
    .selectAll()
    .where('id', '=', ctx.actor.id)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(u.password_hash, current))) {
    throw invalid([
      {
        path: 'currentPassword',
        code: 'PASSWORD_WRONG',
        message: ctx.lang === 'en' ? 'The current password is wrong.' : 'Kata sandi saat ini salah.',
      },
    ]);
  }
  checkPasswordStrength(next, ctx.lang, 'newPassword');
  if (next === current) {
    throw invalid([
      {
        path: 'newPassword',
        code: 'PASSWORD_UNCHANGED',
        message: ctx.lang === 'en' ? 'Choose a different password.' : 'Pilih kata sandi yang berbeda.',
      },
    ]);
  }
  const now = nowIso();
  await svc.db.kysely
    .updateTable('users')
    .set({ password_hash: await hashPassword(next), must_change_password: 0, updated_at: now })
    .where('id', '=', u.id)
    .execute();
  await audit(svc, svc.db.kysely, ctx, {
    action: 'auth.password-change',
    entityType: 'user',
    entityId: u.id,
  });
}

export async function revokeSessions(svc: Services, ctx: Ctx, userId: string) {
  requirePermission(ctx, 'user.manage');
  await svc.db.kysely
    .updateTable('sessions')
    .set({ revoked_at: nowIso() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  await audit(svc, svc.db.kysely, ctx, { action: 'auth.revoke', entityType: 'user', entityId: userId });
}

function checkPasswordStrength(pw: string, lang: 'id' | 'en', path = 'password') {
  if (pw.length < 10 || pw.length > 200) {
    throw invalid([
      {
        path,
        code: 'PASSWORD_WEAK',
        message: lang === 'en' ? 'Use at least 10 characters.' : 'Gunakan paling sedikit 10 karakter.',
      },
    ]);
  }
}

export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/** Creates a user with a role and its grants (areas, agency, collaborator, participant). */
export async function createUser(svc: Services, ctx: Ctx, input: CreateUserInput) {
  requirePermission(ctx, 'user.manage');
  const errors: { path: string; code: string; message: string }[] = [];
  const en = ctx.lang === 'en';
  let email: string | null = null;
  if (input.email) {
    const r = checkEmail(input.email.trim().toLowerCase());
    if (!r.ok) errors.push({ path: 'email', code: r.issue.code, message: r.issue.message });
    else email = r.value;
  }
  let phone: string | null = null;
  if (input.phone) {
    const r = normalizePhone(input.phone);
    if (!r.ok) errors.push({ path: 'phone', code: r.issue.code, message: r.issue.message });
    else phone = r.e164;
  }
  if (!email && !phone && errors.length === 0) {
    errors.push({
      path: 'email',
      code: 'REQUIRED',
      message: en ? 'Give an email or a phone.' : 'Isi email atau nomor HP.',
    });
  }
  const areas: string[] = [];
  for (const [i, a] of input.areas.entries()) {
    const r = normalizeRegionCode(a);
    if (!r || r.level === 'village' || !getRegion(r.dotted)) {
      errors.push({
        path: `areas.${i}`,
        code: 'AREA_INVALID',
        message: en
          ? `Not a province, city or district code: ${a}`
          : `Bukan kode provinsi, kota, atau kecamatan: ${a}`,
      });
    } else areas.push(r.dotted);
  }
  const role = input.role;
  if ((role === 'officer' || role === 'mentor') && areas.length === 0) {
    errors.push({
      path: 'areas',
      code: 'AREA_REQUIRED',
      message: en
        ? 'Officers and mentors need at least one area.'
        : 'Petugas dan pendamping perlu paling sedikit satu wilayah.',
    });
  }
  let collaboratorId: string | null = null;
  if (role === 'collaborator') {
    const c = input.collaboratorId
      ? await svc.db.kysely
          .selectFrom('collaborators')
          .select('id')
          .where('id', '=', input.collaboratorId)
          .executeTakeFirst()
      : undefined;
    if (!c) {
      errors.push({
        path: 'collaboratorId',
        code: 'COLLABORATOR_UNKNOWN',
        message: en
          ? 'Collaborator staff need an existing collaborator.'
          : 'Staf kolaborator perlu kolaborator yang terdaftar.',
      });
    } else collaboratorId = c.id;
  }
  let participantId: string | null = null;
  if (role === 'participant') {
    const ref = input.participant ?? '';
    const p = await svc.db.kysely
      .selectFrom('participants')
      .select('id')
      .where((eb) => eb.or([eb('registration_number', '=', ref.toUpperCase()), eb('id', '=', ref)]))
      .executeTakeFirst();
    if (!p) {
      errors.push({
        path: 'participant',
        code: 'PARTICIPANT_UNKNOWN',
        message: en
          ? 'No participant with this registration number.'
          : 'Tidak ada peserta dengan nomor pendaftaran ini.',
      });
    } else participantId = p.id;
  }
  if (input.agency) {
    const a = await svc.db.kysely
      .selectFrom('agencies')
      .select('code')
      .where('code', '=', input.agency)
      .executeTakeFirst();
    if (!a)
      errors.push({
        path: 'agency',
        code: 'AGENCY_UNKNOWN',
        message: en ? 'Unknown agency.' : 'Instansi tidak dikenal.',
      });
  }
  const generated = !input.password;
  const password = input.password ?? generatePassword();
  if (!generated) {
    if (password.length < 10) {
      errors.push({
        path: 'password',
        code: 'PASSWORD_WEAK',
        message: en ? 'Use at least 10 characters.' : 'Gunakan paling sedikit 10 karakter.',
      });
    }
  }
  if (errors.length) throw invalid(errors);
  const exists = await svc.db.kysely
    .selectFrom('users')
    .select('id')
    .where((eb) =>
      eb.or([...(email ? [eb('email', '=', email)] : []), ...(phone ? [eb('phone', '=', phone)] : [])]),
    )
    .executeTakeFirst();
  if (exists) {
    throw conflict('USER_EXISTS', {
      id: 'Sudah ada pengguna dengan email atau nomor HP ini.',
      en: 'A user with this email or phone already exists.',
    });
  }
  const now = nowIso();
  const id = newId();
  const pwHash = await hashPassword(password);
  await svc.db.kysely.transaction().execute(async (tx) => {
    await tx
      .insertInto('users')
      .values({
        id,
        email,
        phone,
        display_name: input.displayName ?? email ?? phone ?? role,
        role,
        password_hash: pwHash,
        must_change_password: generated ? 1 : 0,
        failed_attempts: 0,
        locked_until: null,
        disabled: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const grants = [
      ...areas.map((value) => ({ kind: 'area', value })),
      ...(input.agency ? [{ kind: 'agency', value: input.agency }] : []),
      ...(collaboratorId ? [{ kind: 'collaborator', value: collaboratorId }] : []),
      ...(participantId ? [{ kind: 'participant', value: participantId }] : []),
    ];
    for (const g of grants)
      await tx
        .insertInto('user_grants')
        .values({ id: newId(), user_id: id, ...g })
        .execute();
    await audit(svc, tx, ctx, {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      after: { email, phone, role, areas, agency: input.agency ?? null, collaboratorId, participantId },
    });
  });
  return { user: await presentUser(svc, id), password: generated ? password : null };
}

export async function listUsers(svc: Services, ctx: Ctx) {
  requirePermission(ctx, 'user.manage');
  const rows = await svc.db.kysely.selectFrom('users').select('id').orderBy('created_at').execute();
  return { items: await Promise.all(rows.map((r) => presentUser(svc, r.id))) };
}

/** On first start with no users: an administrator with a one-time password (changed at first login). */
export async function bootstrapAdmin(svc: Services): Promise<{ email: string; password: string } | null> {
  const any = await svc.db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const email = 'admin@jakpreneur.local';
  const res = await createUser(
    svc,
    { actor: null, ip: null, lang: 'en', via: 'system' },
    { email, role: 'admin', areas: [], displayName: 'Administrator' },
  );
  return { email, password: res.password! };
}
