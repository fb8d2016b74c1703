/**
 * Worker thread: runs the server's import jobs (reading, batches, progress), one at a time, on a database
 * connection of its own, so that the server's event loop and connection stay free for requests. On SQLite the
 * connection takes its write turns on the server's gate (a request's write never waits for more than one batch
 * transaction); on PostgreSQL it is a small pool of its own. The thread stays up between jobs (loading the
 * validation modules takes a second or more) and ends when the queue sends `close`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config.ts';
import type { Ctx, Services } from '../../core/context.ts';
import { Vault } from '../../core/crypto.ts';
import { openDatabase } from '../../db/index.ts';
// the composition root registers the modules' hooks (participant moved or erased) that upserts call
import '../../services.ts';
import { type ImportOptions, runImport } from './service.ts';

export type WorkerSetup = {
  config: Omit<Config, 'masterKeys'> & { masterKeys: { id: string; key: Uint8Array }[] };
  gate: SharedArrayBuffer | null;
};
export type JobRequest = {
  type: 'run';
  ctx: Ctx;
  jobId: string;
  path: string;
  fileName: string;
  opts: ImportOptions;
};
export type JobMessage = { jobId: string; ok: true } | { jobId: string; ok: false; error: string };

const setup = workerData as WorkerSetup;
const config: Config = {
  ...setup.config,
  masterKeys: setup.config.masterKeys.map((k) => ({ id: k.id, key: Buffer.from(k.key) })),
};
const db = openDatabase(config.databaseUrl, {
  background: setup.gate ?? undefined,
  // a batch may wait behind a long request transaction or an import of another process: wait, do not fail
  busyTimeoutMs: 60_000,
  poolMax: 2,
});
const svc: Services = { db, vault: new Vault(config.masterKeys), config };

let stopping = false;
parentPort!.on('message', async (m: JobRequest | { type: 'close' } | { type: 'stop' }) => {
  if (m.type === 'stop') {
    // the server is stopping: the running job ends after its current batch
    stopping = true;
    return;
  }
  if (m.type === 'close') {
    await db.close();
    parentPort!.close();
    return;
  }
  let reply: JobMessage = { jobId: m.jobId, ok: true };
  try {
    await runImport(svc, m.ctx, m.path, m.fileName, m.opts, {
      jobId: m.jobId,
      background: true,
      // on SQLite a request waiting for its write turn cuts the running batch transaction short
      yieldRequested: db.writeGate ? () => db.writeGate!.foregroundWaiting() : undefined,
      stopRequested: () => stopping,
    });
  } catch (err) {
    reply = {
      jobId: m.jobId,
      ok: false,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  }
  parentPort!.postMessage(reply);
});
