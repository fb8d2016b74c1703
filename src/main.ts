import { loadConfig } from './config.ts';
import { buildApp } from './http/app.ts';
import { normalizePhone } from './identity/phone.ts';
import { preloadRegions } from './identity/regions.ts';
import { bootstrapAdmin } from './modules/auth/service.ts';
import { openServices } from './services.ts';

/** Composition root: config -> db -> app -> listen. */
export async function serve(opts: { port?: number; host?: string } = {}) {
  const config = loadConfig();
  const svc = await openServices(config);
  const admin = await bootstrapAdmin(svc);
  if (admin) {
    process.stderr.write(
      `\nAdministrator dibuat / administrator created:\n  email:    ${admin.email}\n  password: ${admin.password}\n` +
        '  (kata sandi sekali pakai, wajib diganti saat masuk pertama / one-time password, change it at first login)\n\n',
    );
  }
  const { app, queue } = await buildApp(svc);
  const port = opts.port ?? config.port;
  const host = opts.host ?? config.host;
  // what the first registration would otherwise pay for: the region tables (all of Indonesia's kelurahan, parsed
  // from idn-area-data) and the phone metadata
  preloadRegions();
  normalizePhone('081234567890');
  await app.listen({ port, host });
  process.stderr.write(`Jakpreneur Platform: http://localhost:${port} (${svc.db.engine})\n`);
  const stop = async () => {
    await app.close();
    // a running import ends after its current batch (rerun the file to complete it), not after the whole file
    await queue.stop();
    await svc.db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return app;
}

if (import.meta.main) {
  serve().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
