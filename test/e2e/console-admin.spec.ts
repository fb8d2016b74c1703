import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { build } from '../../src/qris/index.ts';
import { apiBody, CSV_HEADERS, csvLine, generateRow } from '../../src/testing/generator.ts';

/**
 * The admin side of the console: import, collaborators, users and a participant's QRIS page, against the server
 * started by playwright.config.ts (fresh SQLite database in tmp/e2e).
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'Rahasia-Sekali-2024!';
const RUN = Date.now();

function cli(args: string[]) {
  return execFileSync(process.execPath, ['bin/jakpreneur.js', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: 'tmp/e2e',
      LOG_LEVEL: 'warn',
      JAKPRENEUR_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    },
  }).toString();
}

let adminEmail = '';
test.beforeAll(() => {
  adminEmail = `admin.${RUN}@example.org`;
  cli([
    'user',
    'create',
    '--email',
    adminEmail,
    '--name',
    'Adi Admin',
    '--role',
    'admin',
    '--password',
    PASSWORD,
  ]);
});

/** Signs in through the API (the cookie lands in the page's context); returns the CSRF token. */
async function login(page: Page, email = adminEmail): Promise<string> {
  const res = await page.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).csrfToken as string;
}

async function expectNoSeriousA11yViolations(page: Page, what: string) {
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `${what}: serious or critical axe violations`).toEqual([]);
}

/** Valid rows from the test generator (consent given) and a few bad ones. */
function importCsv(valid: number) {
  const lines = [CSV_HEADERS.join(',')];
  for (let i = 0; i < valid; i++) {
    const g = generateRow(i, RUN % 100_000);
    lines.push(csvLine({ ...g, consent: 'Y' }));
  }
  const bad1 = { ...generateRow(900, RUN % 100_000), consent: 'Y' as const, nik: '123' };
  const bad2 = { ...generateRow(901, RUN % 100_000), consent: 'Y' as const, villageCode: '99.99.99.9999' };
  lines.push(csvLine(bad1), csvLine(bad2));
  return `${lines.join('\n')}\n`;
}

async function createParticipant(request: APIRequestContext, csrf: string, i: number) {
  const g = { ...generateRow(5000 + i, (RUN % 100_000) + 7), consent: 'Y' as const };
  const res = await request.post('/api/v1/participants', {
    data: apiBody(g),
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { id: (await res.json()).id as string, businessName: g.businessName };
}

test.describe('console: import', () => {
  test('an import with bad rows shows the summary and the rejected rows download', async ({ page }) => {
    await login(page);
    await page.goto('/console/imports');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Impor peserta');
    await expectNoSeriousA11yViolations(page, 'import');

    await page.getByLabel('Berkas CSV atau XLSX', { exact: true }).setInputFiles({
      name: 'peserta.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(importCsv(3), 'utf8'),
    });
    await expect(page.getByTestId('import-file')).toContainText('peserta.csv');
    await page.getByRole('button', { name: 'Mulai impor' }).click();
    await expect(page.getByText('Impor selesai')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('summary-rows')).toContainText('5');
    await expect(page.getByTestId('summary-inserted')).toContainText('3');
    await expect(page.getByTestId('summary-invalid')).toContainText('2');
    await expect(page.getByTestId('summary-duplicates')).toContainText('0');
    await expect(page.getByRole('progressbar', { name: 'Kemajuan impor' })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Unduh baris yang ditolak (CSV)' }).click();
    const file = await (await download).path();
    const report = readFileSync(file, 'utf8');
    const rows = report.trim().split(/\r?\n/);
    expect(rows.length).toBeGreaterThanOrEqual(3); // header + at least one line per bad row
    expect(report).toMatch(/NIK/);
    await expectNoSeriousA11yViolations(page, 'import summary');
  });

  test('the template downloads, in both formats', async ({ page }) => {
    await login(page);
    await page.goto('/console/imports');
    const csv = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Unduh templat CSV' }).click();
    const d = await csv;
    expect(d.suggestedFilename()).toBe('template-peserta-id.csv');
    expect(readFileSync(await d.path(), 'utf8')).toContain('NIK');
    const xlsx = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Unduh templat XLSX' }).click();
    const x = await xlsx;
    expect(x.suggestedFilename()).toBe('template-peserta-id.xlsx');
    expect(
      readFileSync(await x.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });
});

test.describe('console: collaborators', () => {
  test('create a collaborator, fixing a field error on the way, then edit it', async ({ page }) => {
    await login(page);
    await page.goto('/console/collaborators');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kolaborator');
    await expectNoSeriousA11yViolations(page, 'collaborators');
    await page.getByRole('link', { name: 'Tambah kolaborator' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kolaborator baru');
    await expectNoSeriousA11yViolations(page, 'new collaborator');

    const name = `Komunitas Tangguh ${RUN}`;
    await page.getByRole('textbox', { name: /^Nama\s*\*?$/ }).fill(name);
    await page.getByRole('combobox', { name: 'Jenis' }).click();
    await page.getByRole('option', { name: 'Komunitas' }).click();
    await page.getByLabel('Email kontak').fill('bukan-email');
    await page.getByRole('button', { name: 'Simpan' }).click();
    const email = page.getByLabel('Email kontak');
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    await email.fill('halo@tangguh.example.org');
    await page.getByLabel('MoU mulai').fill('2024-01-01');
    await page.getByRole('checkbox', { name: 'P2' }).check();
    await page.getByRole('button', { name: 'Simpan' }).click();

    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.getByText('Kolaborator tersimpan.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Lihat peserta yang didaftarkan' })).toHaveAttribute(
      'href',
      /\/console\/participants\?collaboratorId=[0-9a-f-]{36}$/,
    );
    await expectNoSeriousA11yViolations(page, 'collaborator');

    await page.getByRole('button', { name: 'Ubah' }).click();
    await page.getByLabel('Nomor MoU').fill('MOU/01/2024');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await expect(page.getByText('Kolaborator tersimpan.')).toBeVisible();
    await expect(page.getByText('MOU/01/2024').first()).toBeVisible();

    await page.getByRole('link', { name: 'Kembali ke daftar kolaborator' }).click();
    await page.getByLabel('Cari nama').fill(String(RUN));
    await expect(page.getByRole('link', { name })).toBeVisible();
  });
});

test.describe('console: users', () => {
  test('an admin creates an officer and sees the one-time password once', async ({ page }) => {
    await login(page);
    await page.goto('/console/users');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pengguna');
    await expectNoSeriousA11yViolations(page, 'users');

    // an officer without an area: the API's field error appears
    const email = `petugas.${RUN}@example.org`;
    await page.getByLabel('Nama tampilan').fill('Putri Petugas');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Buat pengguna' }).click();
    await expect(page.getByText('Petugas dan pendamping perlu paling sedikit satu wilayah.')).toBeVisible();

    await page.getByRole('combobox', { name: 'Kota/kabupaten' }).click();
    await page.getByRole('option', { name: /Jakarta Selatan/ }).click();
    await page.getByRole('combobox', { name: 'Kecamatan (opsional)' }).click();
    await page.getByRole('option', { name: 'Kebayoran Lama' }).click();
    await page.getByRole('button', { name: 'Tambah wilayah' }).click();
    await expect(page.getByRole('button', { name: /Hapus wilayah Kebayoran Lama/ })).toBeVisible();
    await page.getByRole('button', { name: 'Buat pengguna' }).click();

    await expect(page.getByTestId('user-created')).toBeVisible();
    const once = (await page.getByTestId('one-time-password').textContent())!.trim();
    expect(once.length).toBeGreaterThanOrEqual(10);
    await expect(page.getByRole('cell', { name: /^Putri Petugas/ })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'users after create');

    // the password works (it must be changed first)
    const res = await page.request.post('/api/v1/auth/login', { data: { email, password: once } });
    expect(res.status()).toBe(200);
    expect((await res.json()).user.mustChangePassword).toBe(true);
  });
});

test.describe('console: QRIS', () => {
  test('the QRIS page saves a pasted payload, shows the QR and the poster', async ({ page }) => {
    const csrf = await login(page);
    const p = await createParticipant(page.request, csrf, 1);
    await page.goto(`/console/participants/${p.id}/qris`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('QRIS peserta');
    await expect(page.getByTestId('qris-missing')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'qris empty');

    // a broken code is refused with the codec's reason
    const payload = build({
      name: p.businessName.toUpperCase().slice(0, 25),
      city: 'JAKARTA',
      postalCode: '12240',
      mcc: '5812',
      nmid: 'ID1020014868680',
      criteria: 'UMI',
      accounts: [{ guid: 'ID.CO.BCA.WWW', pan: '936000140014781630', merchantId: '002081022147' }],
    });
    const broken = `${payload.slice(0, -4)}0000`;
    await page.getByLabel('Isi kode QRIS').fill(broken);
    await page.getByRole('button', { name: 'Simpan kode' }).click();
    await expect(page.getByTestId('qris-errors')).toContainText('CRC_MISMATCH');

    await page.getByLabel('Isi kode QRIS').fill(payload);
    await page.getByRole('button', { name: 'Simpan kode' }).click();
    await expect(page.getByText('Kode QRIS tersimpan.')).toBeVisible();
    await expect(page.getByTestId('qris-profile')).toContainText('ID1020014868680');
    await expect(page.getByTestId('qris-profile')).toContainText('Belum dikonfirmasi');

    const img = page.getByTestId('qris-image');
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.getByLabel('Nominal (opsional, rupiah)').fill('15000');
    await expect(img).toHaveAttribute('src', /amount=15000/);
    await expect(page.getByTestId('qris-poster')).toHaveAttribute('src', /poster\.svg\?amount=15000/);
    await expect
      .poll(() => page.getByTestId('qris-poster').evaluate((el) => (el as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);

    // printing shows the poster alone, on an A6 page
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('heading', { level: 1 })).toBeHidden();
    await expect(page.getByTestId('qris-poster')).toBeVisible();
    const box = await page.getByTestId('qris-poster').boundingBox();
    expect(Math.round(box!.width)).toBe(Math.round((105 / 25.4) * 96));
    await page.emulateMedia({ media: 'screen' });

    // the admin submitted it, so the admin may not confirm it: the API's reason is shown
    await page.getByRole('button', { name: 'Konfirmasi QRIS' }).click();
    await expect(page.getByText('Konfirmasi tidak dapat dilakukan')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'qris saved');
  });

  test('the QRIS page works at 360 px and in English', async ({ page }) => {
    const csrf = await login(page);
    const p = await createParticipant(page.request, csrf, 2);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.addInitScript(() => localStorage.setItem('jkp.lang', 'en'));
    await page.goto(`/console/participants/${p.id}/qris`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("Participant's QRIS");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.goto('/console/imports');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import participants');
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await page.goto('/console/users');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Users');
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
  });
});
