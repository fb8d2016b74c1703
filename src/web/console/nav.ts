import type { Role } from '../types.ts';

/**
 * The console's navigation. Add a page by adding its route in console/routes.tsx and an entry here
 * (labelKey is an i18n key present in both id.json and en.json; roles limits who sees the link).
 */
export type NavItem = { to: string; labelKey: string; roles?: Role[]; end?: boolean };

export const NAV: NavItem[] = [
  { to: '/console', labelKey: 'console.nav.dashboard', end: true },
  {
    to: '/console/participants',
    labelKey: 'console.nav.participants',
    roles: ['admin', 'officer', 'mentor', 'collaborator'],
  },
  { to: '/console/duplicates', labelKey: 'console.nav.duplicates', roles: ['admin', 'officer'] },
  { to: '/console/imports', labelKey: 'console.nav.imports', roles: ['admin', 'officer', 'collaborator'] },
  {
    to: '/console/collaborators',
    labelKey: 'console.nav.collaborators',
    roles: ['admin', 'officer', 'mentor', 'collaborator'],
  },
  { to: '/console/quality', labelKey: 'console.nav.quality', roles: ['admin', 'officer'] },
  { to: '/console/users', labelKey: 'console.nav.users', roles: ['admin'] },
];

export const navFor = (role: Role) => NAV.filter((n) => !n.roles || n.roles.includes(role));
