import type { Config } from '../config.ts';
import type { Database } from '../db/index.ts';
import type { Vault } from './crypto.ts';
import type { Lang } from './errors.ts';

export const ROLES = ['admin', 'officer', 'mentor', 'collaborator', 'participant'] as const;
export type Role = (typeof ROLES)[number];

export type Actor = {
  id: string;
  role: Role;
  label: string;
  /** dotted region codes (regency or district) this actor may see; empty for admin */
  areas: string[];
  agency: string | null;
  collaboratorId: string | null;
  participantId: string | null;
};

/** What every command receives first: who asks, from where, in which language. */
export type Ctx = {
  actor: Actor | null;
  ip: string | null;
  /** the User-Agent header of an HTTP request (only hashed, into a registration's device_hash) */
  userAgent?: string | null;
  lang: Lang;
  /** 'cli' commands run by an operator on the machine itself; 'http' requests; 'system' jobs */
  via: 'http' | 'cli' | 'system';
};

export type Services = {
  db: Database;
  vault: Vault;
  config: Config;
};

export const systemCtx = (lang: Lang = 'en'): Ctx => ({ actor: null, ip: null, lang, via: 'system' });
