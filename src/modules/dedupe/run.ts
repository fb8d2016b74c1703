/**
 * Runs the blocking and first scoring of a scan (src/dedupe/scan.ts, pure CPU work: seconds at a million
 * records) in a worker thread, so that the server's event loop keeps answering requests meanwhile.
 */
import { Worker } from 'node:worker_threads';
import type { MatchRecord } from '../../dedupe/match.ts';
import type { ScanPair } from '../../dedupe/scan.ts';

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; pairs: Pick<ScanPair, 'a' | 'b' | 'score'>[] }
  | { type: 'error'; message: string };

export function runScanInWorker(
  records: MatchRecord[],
  onProgress?: (done: number, total: number) => void,
): Promise<Pick<ScanPair, 'a' | 'b' | 'score'>[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { workerData: { records } });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.done, m.total);
      else if (m.type === 'done') resolve(m.pairs);
      else reject(new Error(m.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`the scan worker stopped with code ${code}`));
    });
  });
}
