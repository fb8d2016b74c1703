import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { cli, expectNoSeriousA11yViolations } from './support.ts';

/**
 * The data-quality page against GET /quality/report on the server started by playwright.config.ts: an officer
 * sees their area's counts, follows one to the filtered participant list, and downloads the report as CSV.
 */

const PASSWORD = 'Rahasia-Kualitas-2024!';
const RUN = Date.now();
const officer = `quality.officer.${RUN}@example.org`;
const mentor = `quality.mentor.${RUN}@example.org`;
const PHONE = `0857${String(RUN).slice(-6)}11`;

test.beforeAll(async ({ request }) => {
  for (const [email, name, role] of [
    [officer, 'Kiki Petugas', 'officer'],
    [mentor, 'Mira Pendamping', 'mentor'],
  ]) {
    cli([
      'user',
      'create',
      '--email',
      email,
      '--name',
      name,
      '--role',
      role,
      '--area',
      '31.74',
      '--password',
      PASSWORD,
    ]);
  }
  // two registrations by the officer without consent, so the consent check has a count and a list
  const login = await request.post('/api/v1/auth/login', { data: { email: officer, password: PASSWORD } });
  expect(login.status(), await login.text()).toBe(200);
  const token = (await login.json()).token as string;
  const village = (await (await request.get('/api/v1/regions?parent=31.74.06')).json()).items[0].code;
  for (const i of [1, 2]) {
    const serial = String(((RUN + i * 53) % 8000) + 1000);
    const res = await request.post('/api/v1/participants', {
      headers: { authorization: `Bearer ${token}` },
      data: {
        nik: `317406420385${serial}`, // Cilandak, a woman born 02-03-1985
        fullName: `Ratna Kualitas ${'ab'[i - 1]}`,
        phone: PHONE, // one number on both records
        domicile: { villageCode: village },
        business: { name: 'Warung Ratna', sector: 'kuliner' },
        consent: { version: 'v1', given: false },
      },
    });
    expect([201, 409]).toContain(res.status());
  }
});

async function login(page: Page, email: string) {
  const res = await page.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
}

const id = (n: number) => new Intl.NumberFormat('id-ID').format(n);

test("the officer's data-quality page: counts, the list behind one, the CSV download, no axe violations", async ({
  page,
}) => {
  await login(page, officer);
  const r = await (await page.request.get('/api/v1/quality/report')).json();
  expect(r.scope).toEqual(['31.74']);
  const consent = r.checks.find((c: { key: string }) => c.key === 'consent_missing');
  expect(consent.count).toBeGreaterThanOrEqual(2);

  await page.goto('/console');
  await page.getByRole('link', { name: 'Kualitas Data' }).click();
  await expect(page).toHaveURL(/\/console\/quality$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kualitas Data');
  await expect(page.getByTestId('quality-total')).toContainText(id(r.total));
  for (const c of r.checks as { key: string; count: number }[]) {
    await expect(page.getByTestId(`count-${c.key}`)).toHaveText(id(c.count));
  }
  // an officer of one city sees its kecamatan
  const card = page.getByTestId('check-consent_missing');
  await expect(card.getByRole('list', { name: 'Tanpa persetujuan (consent): Per kecamatan' })).toBeVisible();
  await expect(page.getByTestId('anomaly-phones')).toContainText('Nomor HP yang sama pada banyak data');
  await expectNoSeriousA11yViolations(page, 'data quality');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('quality-csv').click()]);
  expect(csv.suggestedFilename()).toBe('kualitas-data.csv');
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('Bagian,Butir,Rincian,Kode,Nama,Jumlah,Dasar,Tanggal,Rasio');
  expect(lines).toContain(
    `check,consent_missing,total,,Tanpa persetujuan (consent),${consent.count},${r.total},,`,
  );

  // the count opens the participant list filtered to the same records
  await page
    .getByRole('link', { name: `Lihat ${id(consent.count)} peserta: Tanpa persetujuan (consent)` })
    .click();
  await expect(page).toHaveURL(/\/console\/participants\?quality=consent_missing$/);
  await expect(page.getByTestId('participant-total')).toHaveText(`${id(consent.count)} peserta`);
  await expect(page.getByTestId('filter-quality')).toHaveValue('consent_missing');
  await expect(page.getByTestId('participant-table')).toContainText('Ratna Kualitas');
});

test('the report settings change the windows; mentors have no data-quality page', async ({ page }) => {
  await login(page, officer);
  await page.goto('/console/quality');
  await expect(page.getByTestId('quality-total')).toBeVisible();
  const days = page.getByLabel('Verifikasi tertunda lebih dari (hari)');
  await expect(days).toHaveValue('14');
  await days.fill('30');
  await expect(days).toHaveValue('30');
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await expect(page).toHaveURL(/pendingDays=30/);
  await expect(page.getByTestId('check-pending_verification')).toContainText('lebih dari 30 hari');
  await expect(page.getByRole('link', { name: 'Unduh XLSX' })).toHaveAttribute('href', /pendingDays=30/);

  await page.context().clearCookies();
  await login(page, mentor);
  await page.goto('/console');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Kualitas Data' })).toHaveCount(0);
});

test('the anomaly tables: one IP and device, one phone on two records shown masked only', async ({
  page,
}) => {
  await login(page, officer);
  await page.goto('/console/quality?sameSourceMin=2&sharedPhoneMin=2');
  await expect(page.getByTestId('quality-total')).toBeVisible();
  const phones = page.getByTestId('anomaly-phones');
  const masked = `+62857****${PHONE.slice(-4)}`;
  await expect(phones.getByRole('row').filter({ hasText: masked })).toHaveCount(1);
  await expect(phones.getByRole('row').filter({ hasText: masked })).toContainText('Kiki Petugas (2)');
  expect(await page.content()).not.toContain(PHONE.slice(1));
  await expect(page.getByTestId('anomaly-ips')).toContainText('127.0.0.*');
  await expect(page.getByTestId('anomaly-devices').getByRole('row')).not.toHaveCount(0);
  await expectNoSeriousA11yViolations(page, 'data quality with anomaly tables');
});
