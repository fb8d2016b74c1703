/** Worker thread: prepares import chunks (parse, validate, hash, encrypt) off the main thread. */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Vault } from '../../core/crypto.ts';
import { type ChunkSpec, prepareChunk, type RawRow } from './prepare.ts';

const vault = new Vault(
  (workerData.masterKeys as { id: string; key: Uint8Array }[]).map((k) => ({
    id: k.id,
    key: Buffer.from(k.key),
  })),
);
// On Linux a nice value belongs to the thread: this lowers this worker's priority only (elsewhere it would be
// the whole process's, so it is left alone).
if (workerData.nice && process.platform === 'linux') setPriority(workerData.nice);
parentPort!.on('message', (msg: { id: number; spec: ChunkSpec; rows: RawRow[] }) => {
  try {
    parentPort!.postMessage({ id: msg.id, result: prepareChunk({ vault }, msg.spec, msg.rows) });
  } catch (err) {
    parentPort!.postMessage({
      id: msg.id,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  }
});
