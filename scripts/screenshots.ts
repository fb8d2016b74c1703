/**
 * Screenshots of the web app's pages in both languages, on a desktop and a phone (360 x 740), into
 * docs/screenshots/. Starts its own server on a fresh SQLite database seeded with a small demo program.
 * Usage: npm run screenshots   (builds the web app first when needed)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from '@playwright/test';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'docs/screenshots');
const dataDir = path.join(root, 'tmp/screenshots');
const port = Number(process.env.SCREENSHOT_PORT ?? 3299);
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  JAKPRENEUR_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  PUBLIC_REGISTRATION_RATE: '1000',
};
const cli = path.join(root, 'bin/jakpreneur.js');

type DemoUser = { role: string; login: string; password: string };

function seed(): DemoUser[] {
  rmSync(dataDir, { recursive: true, force: true });
  const out = execFileSync(process.execPath, [cli, 'seed', 'demo', '--participants', '20000', '--json'], {
    env,
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return (JSON.parse(out.toString()) as { users: DemoUser[] }).users;
}

async function startServer(): Promise<{
  proc: ChildProcess;
  admin: { email: string; password: string } | null;
}> {
  const proc = spawn(process.execPath, [cli, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env,
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  proc.stderr!.on('data', (d) => {
    log += d;
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const email = /email:\s+(\S+)/.exec(log)?.[1];
  const password = /password:\s+(\S+)/.exec(log)?.[1];
  return { proc, admin: email && password ? { email, password } : null };
}

const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 360, height: 740 },
} as const;

async function newPage(browser: Browser, lang: 'id' | 'en', viewport: keyof typeof VIEWPORTS) {
  const ctx = await browser.newContext({
    viewport: VIEWPORTS[viewport],
    deviceScaleFactor: 1,
    locale: lang === 'id' ? 'id-ID' : 'en-GB',
  });
  await ctx.addInitScript((l) => {
    if (!sessionStorage.getItem('jkp.init')) {
      localStorage.setItem('jkp.lang', l);
      sessionStorage.setItem('jkp.init', '1');
    }
  }, lang);
  return ctx.newPage();
}

async function shot(page: Page, name: string) {
  // no hover state left from the last click
  await page.mouse.move(0, 0);
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
  process.stderr.write(`  ${name}.png\n`);
}

async function fillRegistration(page: Page, n: number, lang: 'id' | 'en') {
  const L = (id: string, en: string) => (lang === 'id' ? id : en);
  const serial = String(1000 + n).padStart(4, '0');
  await page
    .getByLabel(L('NIK (Nomor Induk Kependudukan)', 'NIK (national identity number)'))
    .fill(`317405570390${serial}`);
  await page.getByLabel(L('Nama lengkap', 'Full name')).fill('Siti Rahmawati');
  await page.getByLabel(L('Nomor HP', 'Mobile number')).fill(`08129876${String(5000 + n)}`);
  await page
    .getByLabel(L('Kota/kabupaten', 'City/regency'))
    .selectOption({ label: 'Kota Administrasi Jakarta Selatan' });
  await page.getByLabel('Kecamatan').first().selectOption({ index: 1 });
  await page.getByLabel('Kelurahan').first().selectOption({ index: 1 });
  await page.getByLabel(L('Nama usaha', 'Business name')).fill('Dapur Siti');
  await page.getByLabel(L('Bidang usaha', 'Business sector')).selectOption('kuliner');
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const users = seed();
  const { proc } = await startServer();
  const browser = await chromium.launch({
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
  });
  let n = 0;
  try {
    // the admin sees every console page (users included) and the whole program's figures
    const officer = users.find((u) => u.role === 'admin')!;
    for (const lang of ['id', 'en'] as const) {
      for (const vp of ['desktop', 'phone'] as const) {
        const sfx = `${lang}${vp === 'phone' ? '-phone' : ''}`;
        const page = await newPage(browser, lang, vp);
        await page.goto(`${base}/`);
        await page.getByTestId('registered-total').waitFor();
        await shot(page, `public-landing-${sfx}`);

        await page.goto(`${base}/register`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await shot(page, `public-register-${sfx}`);
        // the form with the server's field errors: a wrong phone number and no consent
        await fillRegistration(page, n++, lang);
        await page.getByLabel(lang === 'id' ? 'Nomor HP' : 'Mobile number').fill('0812');
        await page.getByRole('checkbox').check();
        await page
          .getByRole('button', { name: lang === 'id' ? 'Kirim pendaftaran' : 'Send registration' })
          .click();
        await page.getByTestId('form-problem').waitFor();
        await shot(page, `public-register-errors-${sfx}`);
        await page
          .getByLabel(lang === 'id' ? 'Nomor HP' : 'Mobile number')
          .fill(`0812987${String(60000 + n)}`);
        await page
          .getByRole('button', { name: lang === 'id' ? 'Kirim pendaftaran' : 'Send registration' })
          .click();
        await page.getByTestId('registration-number').waitFor();
        await shot(page, `public-registered-${sfx}`);

        await page.goto(`${base}/login`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await shot(page, `login-${sfx}`);
        await page
          .getByLabel(lang === 'id' ? 'Email atau nomor HP' : 'Email or mobile number')
          .fill(officer.login);
        await page.locator('input[type="password"]').fill(officer.password);
        await page.getByRole('button', { name: lang === 'id' ? 'Masuk' : 'Log in', exact: true }).click();
        await page.getByTestId('console-user').waitFor();
        await page.getByTestId('tile-console.dashboard.registered').waitFor();
        await shot(page, `console-dashboard-${sfx}`);
        const api = async (url: string) => (await page.request.get(`${base}${url}`)).json();
        const participant = (await api('/api/v1/participants?limit=1')).items[0].id as string;
        const collaborator = (await api('/api/v1/collaborators')).items[0].id as string;
        for (const [name, url] of [
          ['participants', '/console/participants'],
          ['participant-record', `/console/participants/${participant}`],
          ['participant-new', '/console/participants/new'],
          ['participant-qris', `/console/participants/${participant}/qris`],
          ['imports', '/console/imports'],
          ['collaborators', '/console/collaborators'],
          ['collaborator', `/console/collaborators/${collaborator}`],
          ['users', '/console/users'],
          ['quality', '/console/quality'],
        ] as const) {
          await page.goto(`${base}${url}`);
          await page.getByRole('heading', { level: 1 }).waitFor();
          if (name === 'quality') await page.getByTestId('quality-total').waitFor();
          await shot(page, `console-${name}-${sfx}`);
        }
        await page.goto(`${base}/change-password`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await shot(page, `change-password-${sfx}`);
        await page.context().close();
      }
    }
  } finally {
    await browser.close();
    proc.kill('SIGTERM');
  }
}

await main();
