import type { Config } from './config.ts';
import type { Services } from './core/context.ts';
import { Vault } from './core/crypto.ts';
import {
  onParticipantCounted,
  onParticipantErased,
  onParticipantMoved,
  onParticipantSubset,
} from './core/hooks.ts';
import { migrate, openDatabase } from './db/index.ts';
import { ensureProgramDefaults } from './modules/program/service.ts';
import {
  countQrisFacts,
  eraseQrisData,
  moveQrisFacts,
  verifiedQrisParticipants,
} from './modules/qris/stats.ts';

// modules built on the registry keep their data right when a participant moves or is erased
onParticipantMoved(moveQrisFacts);
onParticipantCounted(countQrisFacts);
onParticipantErased(eraseQrisData);
onParticipantSubset('qris:verified', verifiedQrisParticipants);

/** Opens the database, migrates it, and fills in the program defaults. */
export async function openServices(config: Config, opts: { migrate?: boolean } = {}): Promise<Services> {
  const db = openDatabase(config.databaseUrl);
  const svc: Services = { db, vault: new Vault(config.masterKeys), config };
  if (opts.migrate !== false) {
    await migrate(db);
    await ensureProgramDefaults(svc);
  }
  return svc;
}
