import { rm } from 'node:fs/promises';
import { nowIso } from '../../core/clock.ts';
import type { Ctx, Services } from '../../core/context.ts';
import { type ImportOptions, runImport } from './service.ts';

/**
 * Background import jobs. One worker per process: on SQLite there is one writer anyway, and batches are short
 * so interactive requests interleave. Jobs interrupted by a crash are marked failed at start; running the same
 * file again completes them (rows already stored are recognised by NIK).
 */
export class ImportQueue {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly svc: Services;
  constructor(svc: Services) {
    this.svc = svc;
  }

  async recover(): Promise<void> {
    await this.svc.db.kysely
      .updateTable('import_jobs')
      .set({
        status: 'failed',
        finished_at: nowIso(),
        error: JSON.stringify({
          code: 'INTERRUPTED',
          id: 'Impor terhenti (server dimatikan). Unggah berkas yang sama lagi untuk menyelesaikannya.',
          en: 'The import was interrupted (server stopped). Upload the same file again to complete it.',
        }),
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
      .then(() => runImport(this.svc, ctx, path, fileName, opts, { jobId }))
      .catch(() => {
        // the job row holds the failure; nothing else to do here
      })
      .finally(() => rm(path, { force: true }));
  }

  idle(): Promise<unknown> {
    return this.chain;
  }
}
