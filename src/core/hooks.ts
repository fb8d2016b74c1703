import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import type { DB } from '../db/types.ts';
import type { RollupDelta } from './rollup.ts';

/**
 * In-process events from the participants module to modules built on it, run inside the caller's transaction,
 * so a module keeps its own rollups and data right without the participants module knowing it.
 * Modules register their handlers once, from the composition root (src/services.ts).
 */
type Db = Transaction<DB> | Kysely<DB>;
type Facts = { district_code: string; sector: string };
export type MovedHook = (
  tx: Db,
  participantId: string,
  before: Facts,
  after: Facts,
  delta: RollupDelta,
) => Promise<void>;
export type ErasedHook = (tx: Db, participantId: string) => Promise<void>;
/** sign -1: the record leaves every figure (merged into another as a duplicate); +1: it comes back */
export type CountedHook = (
  tx: Db,
  participantId: string,
  facts: Facts,
  sign: 1 | -1,
  delta: RollupDelta,
) => Promise<void>;

const moved = new Set<MovedHook>();
const erased = new Set<ErasedHook>();
const counted = new Set<CountedHook>();

export function onParticipantCounted(h: CountedHook): void {
  counted.add(h);
}

/** A participant leaves every figure (-1, a merge) or comes back (+1, the merge undone). */
export async function participantCounted(tx: Db, id: string, facts: Facts, sign: 1 | -1, delta: RollupDelta) {
  for (const h of counted) await h(tx, id, facts, sign, delta);
}

export function onParticipantMoved(h: MovedHook): void {
  moved.add(h);
}
export function onParticipantErased(h: ErasedHook): void {
  erased.add(h);
}

/** A participant's district or sector changed: modules move their rollup contributions in `delta`. */
export async function participantMoved(tx: Db, id: string, before: Facts, after: Facts, delta: RollupDelta) {
  if (before.district_code === after.district_code && before.sector === after.sector) return;
  for (const h of moved) await h(tx, id, before, after, delta);
}

/** A participant's personal data is being erased: modules clear theirs in the same transaction. */
export async function participantErased(tx: Db, id: string) {
  for (const h of erased) await h(tx, id);
}

/**
 * Subsets of participants a module can name for the registry's list filters (e.g. `qris:verified`), as a
 * query of participant ids (from any of its tables), so the participants list filters on a module's records
 * without knowing its tables.
 */
export type ParticipantSubset = (db: Db) => SelectQueryBuilder<DB, any, { participant_id: string }>;
const subsets = new Map<string, ParticipantSubset>();

export function onParticipantSubset(name: string, q: ParticipantSubset): void {
  subsets.set(name, q);
}

export function participantSubset(name: string): ParticipantSubset | undefined {
  return subsets.get(name);
}
