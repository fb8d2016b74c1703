import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/types.ts';
import { nowIso } from './clock.ts';
import { newId } from './ids.ts';
import type { RollupDelta } from './rollup.ts';

/** The 7P path's events. Every module writes its milestones through recordMilestone; dashboards read them. */
export type Milestone = {
  participantId: string;
  districtCode: string;
  stage: string; // P1..P7
  kind: string; // registered, verified, validated, completed-training, nib-issued, ...
  occurredAt: string;
  sourceModule: string;
  sourceId?: string | null;
  actorId?: string | null;
};

/**
 * Records a milestone once (unique per participant, stage and kind) and updates the funnel rollups:
 * `milestone/<stage>:<kind>` and `stage/<stage>` (participants who reached the stage). Returns false when it
 * was already recorded.
 */
export async function recordMilestone(
  tx: Transaction<DB> | Kysely<DB>,
  m: Milestone,
  delta: RollupDelta,
): Promise<boolean> {
  const existing = await tx
    .selectFrom('milestones')
    .select(['kind'])
    .where('participant_id', '=', m.participantId)
    .where('stage', '=', m.stage)
    .execute();
  if (existing.some((e) => e.kind === m.kind)) return false;
  await tx
    .insertInto('milestones')
    .values({
      id: newId(),
      participant_id: m.participantId,
      stage: m.stage,
      kind: m.kind,
      occurred_at: m.occurredAt,
      source_module: m.sourceModule,
      source_id: m.sourceId ?? null,
      actor_id: m.actorId ?? null,
      created_at: nowIso(),
    })
    .execute();
  delta.add(m.districtCode, 'milestone', `${m.stage}:${m.kind}`);
  if (existing.length === 0) delta.add(m.districtCode, 'stage', m.stage);
  return true;
}
