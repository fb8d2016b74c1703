import { parentPort, workerData } from 'node:worker_threads';
import type { MatchRecord } from '../../dedupe/match.ts';
import { scanRecords } from '../../dedupe/scan.ts';
import type { WorkerMessage } from './run.ts';

const post = (m: WorkerMessage) => parentPort!.postMessage(m);
try {
  const { records } = workerData as { records: MatchRecord[] };
  const { pairs } = scanRecords(records, {
    onProgress: (done, total) => post({ type: 'progress', done, total }),
  });
  post({ type: 'done', pairs: pairs.map((p) => ({ a: p.a, b: p.b, score: p.score })) });
} catch (err) {
  post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
