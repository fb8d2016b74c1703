import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, expectProblem, person } from './api-fixtures.ts';
import { testApp } from './helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
let admin: string;
const MAX_FAILURES = 3;

beforeAll(async () => {
  t = await testApp({ loginMaxFailures: MAX_FAILURES });
  admin = await t.user('admin@auth.test', 'admin');
});
afterAll(async () => t.cleanup());

/** A login from its own client address, so the per-IP login rate limit does not mix tests. */
let ipSeq = 10;
const loginRaw = (payload: unknown, ip = `10.0.0.${ipSeq++}`) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: payload as object, remoteAddress: ip });

describe('login', () => {
  it('logs in by email and answers the token, a CSRF token, the user and a session cookie', async () => {
    await t.user('officer@auth.test', 'officer', { areas: ['31.71'] });
    const res = await loginRaw({ email: 'Officer@Auth.Test', password: 'password-123' });
    expect(res.statusCode, res.body).toBe(200);
    const j = res.json();
    expect(j.token).toMatch(/^[\w-]{20,}$/);
    expect(j.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(j.user).toMatchObject({ email: 'officer@auth.test', role: 'officer', areas: ['31.71'] });
    expect(j.user.passwordHash ?? j.user.password_hash).toBeUndefined();
    const cookie = res.cookies.find((c) => c.name === 'jkp_session');
    expect(cookie?.value).toBe(j.token);
    expect(cookie?.httpOnly).toBe(true);
    const me = await t.call(j.token, 'GET', '/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      email: 'officer@auth.test',
      role: 'officer',
      mustChangePassword: false,
    });
  });

  it('answers 401 problem+json for a wrong password and the same answer for an unknown user', async () => {
    await t.user('wrongpw@auth.test', 'mentor', { areas: ['31.71.01'] });
    const bad = await loginRaw({ email: 'wrongpw@auth.test', password: 'not-the-password' });
    const j = expectProblem(bad, 401, 'BAD_CREDENTIALS');
    expect(bad.json().token).toBeUndefined();
    expect(bad.cookies.find((c) => c.name === 'jkp_session')).toBeUndefined();
    const unknown = await loginRaw({ email: 'nobody@auth.test', password: 'not-the-password' });
    const u = expectProblem(unknown, 401, 'BAD_CREDENTIALS');
    expect(u.detail).toBe(j.detail);
    // a good login afterwards still works (one failure does not lock)
    expect((await loginRaw({ email: 'wrongpw@auth.test', password: 'password-123' })).statusCode).toBe(200);
  });

  it('locks the account after LOGIN_MAX_FAILURES failures (423, even with the right password)', async () => {
    await t.user('lock@auth.test', 'officer', { areas: ['31.74'] });
    for (let i = 0; i < MAX_FAILURES; i++) {
      expectProblem(await loginRaw({ email: 'lock@auth.test', password: `wrong-${i}-xxxx` }), 401);
    }
    const locked = await loginRaw({ email: 'lock@auth.test', password: 'password-123' });
    const j = expectProblem(locked, 423, 'ACCOUNT_LOCKED');
    expect(Date.parse(String(j.lockedUntil))).toBeGreaterThan(Date.now());
    // the lock and the failures are audited on the user
    const u = await t.svc.db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'lock@auth.test')
      .executeTakeFirstOrThrow();
    const trail = await t.call(admin, 'GET', `/api/v1/audit?entity=${u.id}`);
    expect(trail.statusCode).toBe(200);
    const actions = trail.json().items.map((i: { action: string }) => i.action);
    expect(actions).toContain('auth.lock');
    expect(actions.filter((a: string) => a === 'auth.fail')).toHaveLength(MAX_FAILURES - 1);
    // once the lock has run out, the right password works again
    await t.svc.db.kysely
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', u.id)
      .execute();
    expect((await loginRaw({ email: 'lock@auth.test', password: 'password-123' })).statusCode).toBe(200);
  });

  it('logs a participant user in by phone; the generated one-time password must be changed first', async () => {
    const reg = await t.call(admin, 'POST', '/api/v1/participants', body(person()));
    expect(reg.statusCode, reg.body).toBe(201);
    const created = await t.call(admin, 'POST', '/api/v1/users', {
      phone: '0813 9000 1234',
      role: 'participant',
      participant: reg.json().registrationNumber,
    });
    expect(created.statusCode, created.body).toBe(201);
    const oneTime = created.json().password as string;
    expect(oneTime.length).toBeGreaterThanOrEqual(12);
    expect(created.json().user).toMatchObject({ phone: '+6281390001234', mustChangePassword: true });

    const login = await loginRaw({ phone: '081390001234', password: oneTime });
    expect(login.statusCode, login.body).toBe(200);
    const token = login.json().token as string;
    expect(login.json().user.participantId).toBe(reg.json().id);

    // everything but /me, password change and logout is refused until the password changes
    expectProblem(await t.call(token, 'GET', '/api/v1/participants'), 403, 'PASSWORD_CHANGE_REQUIRED');
    expectProblem(
      await t.call(token, 'GET', `/api/v1/participants/${reg.json().id}`),
      403,
      'PASSWORD_CHANGE_REQUIRED',
    );
    const me = await t.call(token, 'GET', '/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().mustChangePassword).toBe(true);

    // a wrong current password or a weak new one is a 422 with the field path
    const wrong = await t.call(token, 'POST', '/api/v1/auth/password', {
      currentPassword: 'nope-nope-nope',
      newPassword: 'a-new-password-1',
    });
    expect(expectProblem(wrong, 422).errors?.[0].path).toBe('currentPassword');
    const weak = await t.call(token, 'POST', '/api/v1/auth/password', {
      currentPassword: oneTime,
      newPassword: 'short',
    });
    expect(expectProblem(weak, 422).errors?.[0].path).toBe('newPassword');

    const changed = await t.call(token, 'POST', '/api/v1/auth/password', {
      currentPassword: oneTime,
      newPassword: 'a-new-password-1',
    });
    expect(changed.statusCode, changed.body).toBe(204);
    const list = await t.call(token, 'GET', '/api/v1/participants');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().total).toBe(1);
    expect(list.json().items[0].id).toBe(reg.json().id);
    // the old password no longer works, the new one does (phone in E.164 too)
    expectProblem(await loginRaw({ phone: '081390001234', password: oneTime }), 401);
    expect((await loginRaw({ phone: '+6281390001234', password: 'a-new-password-1' })).statusCode).toBe(200);
  });

  it('refuses an ambiguous or malformed login body with 422, not 500', async () => {
    for (const payload of [
      {},
      { email: 'a@b.id' },
      { email: 'a@b.id', phone: '0812', password: 'x' },
      { email: 1, password: 2 },
      { phone: 'not a phone', password: 'password-123' },
    ]) {
      const res = await loginRaw(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, JSON.stringify(payload)).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('rate limits logins per client address (429 problem+json)', async () => {
    const ip = '10.9.9.9';
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      statuses.push(
        (await loginRaw({ email: `ghost${i}@auth.test`, password: 'whatever-123' }, ip)).statusCode,
      );
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    const limited = await loginRaw({ email: 'ghost@auth.test', password: 'whatever-123' }, ip);
    expectProblem(limited, 429, 'RATE_LIMITED');
    // another address is not affected
    expect((await loginRaw({ email: 'ghost@auth.test', password: 'whatever-123' })).statusCode).toBe(401);
  });
});

describe('sessions', () => {
  it('answers 401 problem+json on /me without a session', async () => {
    expectProblem(await t.call(null, 'GET', '/api/v1/me'), 401, 'UNAUTHENTICATED');
    expectProblem(await t.call('not-a-real-token', 'GET', '/api/v1/me'), 401, 'SESSION_INVALID');
  });

  it('logout revokes the token', async () => {
    const token = await t.user('logout@auth.test', 'officer', { areas: ['31.71'] });
    expect((await t.call(token, 'GET', '/api/v1/participants')).statusCode).toBe(200);
    const out = await t.call(token, 'POST', '/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    expectProblem(await t.call(token, 'GET', '/api/v1/me'), 401, 'SESSION_INVALID');
    expectProblem(await t.call(token, 'GET', '/api/v1/participants'), 401);
  });

  it('an expired session is refused', async () => {
    const token = await t.user('expire@auth.test', 'officer', { areas: ['31.71'] });
    expect((await t.call(token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const u = await t.svc.db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'expire@auth.test')
      .executeTakeFirstOrThrow();
    await t.svc.db.kysely
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', u.id)
      .execute();
    expectProblem(await t.call(token, 'GET', '/api/v1/me'), 401, 'SESSION_INVALID');
  });

  it('a cookie session needs X-CSRF-Token on POST and works with the csrfToken from login', async () => {
    await t.user('cookie@auth.test', 'officer', { areas: ['31.71'] });
    const login = await loginRaw({ email: 'cookie@auth.test', password: 'password-123' });
    expect(login.statusCode).toBe(200);
    const session = login.cookies.find((c) => c.name === 'jkp_session')!.value;
    const csrf = login.json().csrfToken as string;
    expect(login.cookies.find((c) => c.name === 'jkp_csrf')?.value).toBe(csrf);
    const cookies = { jkp_session: session };

    // reads work with the cookie alone
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe('cookie@auth.test');

    const p = body(person());
    const noHeader = await t.app.inject({ method: 'POST', url: '/api/v1/participants', cookies, payload: p });
    expectProblem(noHeader, 403, 'CSRF_TOKEN_INVALID');
    const wrongHeader = await t.app.inject({
      method: 'POST',
      url: '/api/v1/participants',
      cookies,
      payload: p,
      headers: { 'x-csrf-token': `${csrf}x` },
    });
    expectProblem(wrongHeader, 403, 'CSRF_TOKEN_INVALID');
    // nothing was written by the refused requests
    const admins = await t.call(admin, 'GET', `/api/v1/participants?q=${p.nik}`);
    expect(admins.json().total).toBe(0);

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/participants',
      cookies,
      payload: p,
      headers: { 'x-csrf-token': csrf },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().channel).toBe('officer');

    // logout through the cookie also needs the header
    expectProblem(
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies }),
      403,
      'CSRF_TOKEN_INVALID',
    );
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies });
    expectProblem(after, 401);
  });

  it('an admin revokes all sessions of a user; others may not', async () => {
    const victim = await t.user('revoke@auth.test', 'officer', { areas: ['31.74'] });
    const other = await t.user('revoker@auth.test', 'officer', { areas: ['31.74'] });
    const me = (await t.call(victim, 'GET', '/api/v1/me')).json();
    expectProblem(await t.call(other, 'POST', `/api/v1/users/${me.id}/revoke-sessions`), 403, 'FORBIDDEN');
    expect((await t.call(victim, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const res = await t.call(admin, 'POST', `/api/v1/users/${me.id}/revoke-sessions`);
    expect(res.statusCode).toBe(204);
    expectProblem(await t.call(victim, 'GET', '/api/v1/me'), 401, 'SESSION_INVALID');
    // the other user's session is untouched, and the revocation is audited
    expect((await t.call(other, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const trail = await t.call(admin, 'GET', `/api/v1/audit?entity=${me.id}`);
    expect(trail.json().items.map((i: { action: string }) => i.action)).toContain('auth.revoke');
  });

  it('only an admin creates users; a created user with an explicit password is ready to use', async () => {
    const officer = await t.user('plain@auth.test', 'officer', { areas: ['31.71'] });
    expectProblem(
      await t.call(officer, 'POST', '/api/v1/users', { email: 'x@auth.test', role: 'admin' }),
      403,
      'FORBIDDEN',
    );
    const res = await t.call(admin, 'POST', '/api/v1/users', {
      email: 'ready@auth.test',
      password: 'explicit-password-1',
      role: 'mentor',
      areas: ['317101'],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().password).toBeNull();
    expect(res.json().user).toMatchObject({ mustChangePassword: false, areas: ['31.71.01'] });
    const login = await loginRaw({ email: 'ready@auth.test', password: 'explicit-password-1' });
    expect(login.statusCode).toBe(200);
    expect((await t.call(login.json().token, 'GET', '/api/v1/participants')).statusCode).toBe(200);
    // duplicates and bad grants are refused
    expectProblem(
      await t.call(admin, 'POST', '/api/v1/users', {
        email: 'ready@auth.test',
        role: 'mentor',
        areas: ['31.71'],
      }),
      409,
      'USER_EXISTS',
    );
    const bad = await t.call(admin, 'POST', '/api/v1/users', { email: 'm2@auth.test', role: 'mentor' });
    expect(expectProblem(bad, 422).errors?.map((e) => e.path)).toContain('areas');
  });
});
