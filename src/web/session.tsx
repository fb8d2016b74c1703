import { type ReactNode, useEffect, useSyncExternalStore } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, get, onApiProblem, post, setCsrfToken } from './api.ts';
import { PageLoader } from './components/PageLoader.tsx';
import type { LoginResult, User } from './types.ts';

/**
 * The signed-in user, shared by the public pages and the console: undefined while unknown, null when nobody
 * is signed in. Read once from GET /me (the session cookie is httpOnly), then kept current by login, password
 * change and logout. A tiny store instead of TanStack Query so the public pages stay light.
 */
type State = { user: User | null | undefined; error?: Error };
let state: State = { user: undefined };
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();
function set(next: State) {
  state = next;
  for (const l of listeners) l();
}
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function refreshMe(): Promise<void> {
  loading ??= get<User>('/me')
    .then(
      (user) => set({ user }),
      (e: unknown) => {
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) set({ user: null });
        else set({ user: null, error: e as Error });
      },
    )
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** The current user; loads it on first use. */
export function useMe(): { user: User | null | undefined; isPending: boolean } {
  const s = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    if (s.user === undefined) void refreshMe();
  }, [s.user]);
  return { user: s.user, isPending: s.user === undefined };
}

/** The user if already known, without asking the server (the public header: "Masuk" or "Konsol"). */
export function useKnownUser(): User | null | undefined {
  return useSyncExternalStore(subscribe, () => state).user;
}

export async function login(identifier: string, password: string): Promise<User> {
  const id = identifier.trim();
  const body = id.includes('@') ? { email: id, password } : { phone: id, password };
  const res = await post<LoginResult>('/auth/login', body);
  setCsrfToken(res.csrfToken);
  set({ user: res.user });
  return res.user;
}

export async function changePassword(currentPassword: string, newPassword: string) {
  await post<void>('/auth/password', { currentPassword, newPassword });
  await refreshMe();
}

export async function logout() {
  try {
    await post<void>('/auth/logout');
  } finally {
    setCsrfToken(null);
    set({ user: null });
  }
}

/** Marks the session as gone (a 401 from the console) so the guard sends the user to the login page. */
export function sessionExpired() {
  setCsrfToken(null);
  set({ user: null });
}

/** Where a page sends someone after login: back to where they were, inside the console only. */
export function safeNext(next: string | null | undefined) {
  return next?.startsWith('/console') ? next : '/console';
}

/**
 * Guards the console: nobody signed in goes to the login page, a one-time password to the change form.
 * The console chunk is imported only below this guard, so the public pages never load it.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { user, isPending } = useMe();
  const loc = useLocation();
  if (isPending) return <PageLoader />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (user.mustChangePassword) {
    return <Navigate to={`/change-password?next=${encodeURIComponent(loc.pathname)}`} replace />;
  }
  return children;
}

/** Reacts to an expired session (401) and to PASSWORD_CHANGE_REQUIRED on calls made from the console. */
export function SessionWatcher() {
  const navigate = useNavigate();
  useEffect(
    () =>
      onApiProblem((e) => {
        if (!window.location.pathname.startsWith('/console')) return;
        if (e.status === 401) sessionExpired();
        else if (e.code === 'PASSWORD_CHANGE_REQUIRED') navigate('/change-password', { replace: true });
      }),
    [navigate],
  );
  return null;
}
