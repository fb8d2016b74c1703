import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { nowIso } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import { parseDatabaseUrl } from '../../db/index.ts';
import type { JobMessage, JobRequest, WorkerSetup } from './job-worker.ts';
import { type ImportOptions, interruptedError, runImport } from './service.ts';

/**
 * Background import jobs, one at a time (on SQLite there is one writer anyway). Each job runs in a worker thread
 * with its own database connection (`job-worker.ts`): the server's event loop and connection stay free, and on
 * SQLite the job takes its write turns on the server connection's gate, so a request's write waits for at most
 * one short batch transaction. Jobs interrupted by a crash are marked failed at start; running the same file
 * again completes them (rows already stored are recognised by NIK).
 */
export class ImportQueue {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly svc: Services;
  private worker: RunningWorker | null = null;
  private stopping = false;
  private idleTimer: NodeJS.Timeout | null = null;
  constructor(svc: Services) {
    this.svc = svc;
  }

  /**
   * The server is stopping: the running job ends after its current batch (whole batches stay stored) and jobs
   * not started yet are not started; all are marked interrupted. Resolves when nothing runs any more.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.worker?.thread.postMessage({ type: 'stop' });
    await this.chain;
  }

  async recover(): Promise<void> {
    await this.svc.db.kysely
      .updateTable('import_jobs')
      .set({
        status: 'failed',
        finished_at: nowIso(),
        error: JSON.stringify({ code: 'INTERRUPTED', ...interruptedError().text }),
      })
      .where('status', 'in', ['queued', 'running'])
      // a CLI import running in another process keeps beating: leave it alone
      .where((eb) =>
        eb.or([
          eb('heartbeat_at', 'is', null),
          eb('heartbeat_at', '<', new Date(Date.now() - 120_000).toISOString()),
        ]),
      )
      .execute();
  }

  enqueue(ctx: Ctx, jobId: string, path: string, fileName: string, opts: ImportOptions): void {
    this.chain = this.chain
      .then(() => this.run(ctx, jobId, path, fileName, opts))
      .catch(() => {
        // the job row holds the failure; nothing else to do here
      })
      .finally(() => rm(path, { force: true }));
  }

  idle(): Promise<unknown> {
    return this.chain;
  }

  private async run(ctx: Ctx, jobId: string, path: string, fileName: string, opts: ImportOptions) {
    const { svc } = this;
    if (this.stopping) {
      const e = interruptedError();
      await svc.db.kysely
        .updateTable('import_jobs')
        .set({ status: 'failed', finished_at: nowIso(), error: JSON.stringify({ code: e.code, ...e.text }) })
        .where('id', '=', jobId)
        .execute();
      return;
    }
    // an in-memory SQLite database exists in this connection only: import on it
    if (svc.db.engine === 'sqlite' && parseDatabaseUrl(svc.db.url).path === ':memory:') {
      await runImport(svc, ctx, path, fileName, opts, { jobId });
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const w = this.worker ?? this.startWorker();
    // While the job runs, the worker checkpoints the WAL after each batch, outside its write turns; a request's
    // commit would otherwise often be the one that crosses the auto-checkpoint threshold right after an import
    // transaction, and copy the import's pages into the database before it can answer.
    const raw = svc.db.sqlite;
    const autoCheckpoint = raw?.pragma('wal_autocheckpoint', { simple: true });
    raw?.pragma('wal_autocheckpoint = 0');
    let reply: JobMessage;
    try {
      reply = await new Promise<JobMessage>((resolve) => {
        w.pending = resolve;
        const req: JobRequest = { type: 'run', ctx, jobId, path, fileName, opts };
        w.thread.postMessage(req);
      });
    } finally {
      w.pending = null;
      if (raw?.open) raw.pragma(`wal_autocheckpoint = ${Number(autoCheckpoint)}`);
    }
    // an idle worker ends after a while (it holds a database connection and the validation modules)
    if (this.worker === w) {
      this.idleTimer = setTimeout(() => this.stopWorker(), WORKER_IDLE_MS);
      this.idleTimer.unref();
    }
    if (reply.ok) return;
    await svc.db.kysely
      .updateTable('import_jobs')
      .set({
        status: 'failed',
        finished_at: nowIso(),
        error: JSON.stringify({ code: 'IMPORT_FAILED', id: reply.error, en: reply.error }),
      })
      .where('id', '=', jobId)
      .where('status', 'in', ['queued', 'running'])
      .execute();
  }

  private startWorker(): RunningWorker {
    const setup: WorkerSetup = {
      config: {
        ...this.svc.config,
        databaseUrl: this.svc.db.url,
        masterKeys: this.svc.config.masterKeys.map((k) => ({ id: k.id, key: new Uint8Array(k.key) })),
      },
      gate: this.svc.db.writeGate?.buffer ?? null,
    };
    const thread = new Worker(new URL('./job-worker.ts', import.meta.url), { workerData: setup });
    thread.unref();
    const w: RunningWorker = { thread, pending: null };
    let crash: unknown = null;
    thread.on('message', (m: JobMessage) => w.pending?.(m));
    thread.on('error', (err) => {
      crash = err;
    });
    thread.once('exit', (code) => {
      if (this.worker === w) this.worker = null;
      if (!w.pending) return;
      // The worker died during a job: it may have held the write turn (hand it back), and the job has failed.
      this.svc.db.writeGate?.leaveBackground();
      w.pending({ jobId: '', ok: false, error: String(crash ?? `import worker exited with code ${code}`) });
    });
    this.worker = w;
    return w;
  }

  private stopWorker() {
    const w = this.worker;
    if (!w || w.pending) return;
    this.worker = null;
    w.thread.postMessage({ type: 'close' });
  }
}

type RunningWorker = { thread: Worker; pending: ((m: JobMessage) => void) | null };
/** An import worker with no job for this long ends (the next job starts a new one). */
const WORKER_IDLE_MS = 60_000;
