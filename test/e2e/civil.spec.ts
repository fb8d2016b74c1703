import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { cli, expectNoSeriousA11yViolations } from './support.ts';

/**
 * An officer loads a civil-registry (Dukcapil) match file from the import page: the summary, the rejected rows
 * (table and CSV), the record's new status and history, setting it by hand; a dry run changes nothing; a file
 * without the result column says what is missing.
 */

const PASSWORD = 'Rahasia-Dukcapil-2024!';
const RUN = Date.now();
const officer = `civil.officer.${RUN}@example.org`;
let nik = '';
let participantId = '';

test.beforeAll(async ({ request }) => {
  cli([
    'user',
    'create',
    '--email',
    officer,
    '--name',
    'Dedi Petugas',
    '--role',
    'officer',
    '--area',
    '31.74',
    '--password',
    PASSWORD,
  ]);
  const login = await request.post('/api/v1/auth/login', { data: { email: officer, password: PASSWORD } });
  const token = (await login.json()).token as string;
  const village = (await (await request.get('/api/v1/regions?parent=31.74.06')).json()).items[0].code;
  nik = `317406${'5'}${String((RUN % 9) + 1)}0190${String((RUN % 8000) + 1000)}`; // Cilandak, a woman born 1x-01-1990
  const res = await request.post('/api/v1/participants', {
    headers: { authorization: `Bearer ${token}` },
    data: {
      nik,
      fullName: 'Yuni Pemadanan',
      phone: `0813${String(RUN).slice(-8)}`,
      domicile: { villageCode: village },
      business: { name: 'Kue Yuni', sector: 'kuliner' },
      consent: { version: 'v1', given: true },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  participantId = (await res.json()).id;
});

async function login(page: Page) {
  const res = await page.request.post('/api/v1/auth/login', { data: { email: officer, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
}

async function chooseFile(page: Page, content: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Berkas hasil pemadanan (CSV atau XLSX)' }).click();
  await (await chooser).setFiles({
    name: 'dukcapil.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(content),
  });
}

test('an officer loads a match file: summary, rejected rows, the new status; a dry run changes nothing', async ({
  page,
}) => {
  await login(page);
  await page.goto('/console/imports');
  const card = page.getByTestId('civil-card');
  await expect(card.getByRole('heading', { name: 'Hasil pemadanan Dukcapil' })).toBeVisible();
  const file = `NIK,Hasil Pemadanan,Keterangan\n${nik},tidak cocok,nama ibu berbeda\n12345,cocok,\n`;

  await chooseFile(page, file);
  await card.getByLabel('Uji coba saja (tidak menyimpan)').check();
  await card.getByRole('button', { name: 'Muat hasil pemadanan' }).click();
  await expect(card.getByText('Ini uji coba: tidak ada status yang diubah.')).toBeVisible();
  await expect(card.getByTestId('civil-mismatch')).toContainText('1');
  let rec = await (await page.request.get(`/api/v1/participants/${participantId}`)).json();
  expect(rec.civilStatus).toBe('unchecked');

  await card.getByLabel('Uji coba saja (tidak menyimpan)').uncheck();
  await card.getByRole('button', { name: 'Muat hasil pemadanan' }).click();
  await expect(card.getByText('Status 1 peserta diperbarui.')).toBeVisible();
  await expect(card.getByTestId('civil-rows')).toContainText('2');
  await expect(card.getByTestId('civil-invalid')).toContainText('1');
  await expect(card.getByRole('row').filter({ hasText: 'NIK harus 16 digit angka.' })).toContainText('3');
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('link', { name: 'Unduh baris yang ditolak (CSV)' }).click(),
  ]);
  expect(readFileSync((await csv.path())!, 'utf8')).toContain('CIVIL_NIK_FORMAT');
  rec = await (await page.request.get(`/api/v1/participants/${participantId}`)).json();
  expect(rec.civilStatus).toBe('mismatch');

  await expectNoSeriousA11yViolations(page, 'import page with Dukcapil results');

  // the record shows the status and where it came from; an officer can set it by hand
  await page.goto(`/console/participants/${participantId}`);
  const civil = page.getByTestId('civil-status');
  await expect(civil.getByTestId('civil-status-badge')).toHaveText('Tidak cocok');
  await expect(civil).toContainText('dari berkas dukcapil.csv · nama ibu berbeda');
  const history = page.getByTestId('history');
  await expect(history).toContainText('Status Dukcapil diperbarui');
  await expect(history).toContainText('Dari berkas hasil pemadanan dukcapil.csv');
  await expect(history).not.toContainText('"source"');
  await civil.getByRole('combobox', { name: 'Ubah status Dukcapil' }).click();
  await page.getByRole('option', { name: 'Cocok', exact: true }).click();
  await civil.getByRole('button', { name: 'Simpan status' }).click();
  await expect(civil.getByTestId('civil-status-badge')).toHaveText('Cocok');
  await expect(civil).toContainText('diisi petugas');
  rec = await (await page.request.get(`/api/v1/participants/${participantId}`)).json();
  expect(rec.civilStatus).toBe('matched');

  await expectNoSeriousA11yViolations(page, 'record page with its Dukcapil status');
});

test('a broken file shows what to fix', async ({ page }) => {
  await login(page);
  await page.goto('/console/imports');
  const card = page.getByTestId('civil-card');
  await chooseFile(page, 'NIK,Nama\n3174061234567890,Budi\n');
  await card.getByRole('button', { name: 'Muat hasil pemadanan' }).click();
  await expect(card.getByRole('alert')).toContainText('Kolom wajib tidak ada: Hasil Pemadanan.');
});

test("an answer that is not the platform's (a proxy's page among the progress lines) is said plainly", async ({
  page,
}) => {
  await login(page);
  await page.route('**/api/v1/imports/civil-registry**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/x-ndjson',
      body: '{"type":"progress","rows":1,"bytesRead":10,"totalBytes":40}\n<html><body>502 Bad Gateway</body></html>\n',
    }),
  );
  await page.goto('/console/imports');
  const card = page.getByTestId('civil-card');
  await chooseFile(page, 'NIK,Hasil Pemadanan\n3174061234567890,cocok\n');
  await card.getByRole('button', { name: 'Muat hasil pemadanan' }).click();
  const alert = card.getByRole('alert');
  await expect(alert).toContainText('Jawaban server tidak dapat dibaca: bukan dari platform ini');
  await expect(alert).not.toContainText('JSON');
  await expect(alert).not.toContainText('Unexpected token');
  await card.screenshot({ path: 'tmp/shots/civil-unreadable-answer.png' });
});
