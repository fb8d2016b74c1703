import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3210);

/** Browser tests run against a real server on a fresh SQLite database, in Debian's Chromium (no downloads). */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `rm -rf tmp/e2e && node bin/jakpreneur.js serve --port ${PORT} --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATA_DIR: 'tmp/e2e',
      LOG_LEVEL: 'warn',
      JAKPRENEUR_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    },
  },
});
