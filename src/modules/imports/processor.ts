import { Worker } from 'node:worker_threads';
import type { Services } from '../../core/context.ts';
import { type ChunkResult, type ChunkSpec, prepareChunk, type RawRow } from './prepare.ts';

/** Prepares chunks inline, or in a worker thread so that the main thread reads and inserts meanwhile. */
export interface ChunkProcessor {
  process(spec: ChunkSpec, rows: RawRow[]): Promise<ChunkResult>;
  close(): Promise<void>;
}

export function inlineProcessor(svc: Services): ChunkProcessor {
  return {
    process: async (spec, rows) => prepareChunk(svc, spec, rows),
    close: async () => {},
  };
}

/**
 * `nice`: the worker thread's CPU priority (Linux: per thread), for imports in the server's background, so that
 * preparing rows (the import's CPU-heavy half) gives way to the threads serving requests.
 * `help`: when two chunks already wait for the worker, the calling thread prepares the next one itself (it
 * would otherwise wait for the worker: preparing costs more than inserting, so the worker is the bottleneck).
 */
export function workerProcessor(svc: Services, opts: { nice?: number; help?: boolean } = {}): ChunkProcessor {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), {
    workerData: {
      masterKeys: svc.config.masterKeys.map((k) => ({ id: k.id, key: new Uint8Array(k.key) })),
      nice: opts.nice ?? 0,
    },
  });
  worker.unref();
  let next = 0;
  const waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>();
  worker.on('message', (m: { id: number; result?: ChunkResult; error?: string }) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(m.error));
    else w.resolve(m.result!);
  });
  worker.on('error', (err) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });
  return {
    process(spec, rows) {
      if (opts.help && waiting.size >= 2) return Promise.resolve(prepareChunk(svc, spec, rows));
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, spec, rows });
      });
    },
    close: async () => {
      await worker.terminate();
    },
  };
}
