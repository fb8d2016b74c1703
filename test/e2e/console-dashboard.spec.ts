import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { cli, expectNoSeriousA11yViolations } from './support.ts';

/** The dashboard against GET /stats/summary on the server started by playwright.config.ts. */

const PASSWORD = 'Rahasia-Dasbor-2024!';
const RUN = Date.now();
const officer = `dash.officer.${RUN}@example.org`;
const admin = `dash.admin.${RUN}@example.org`;

test.beforeAll(async ({ request }) => {
  cli([
    'user',
    'create',
    '--email',
    officer,
    '--name',
    'Dina Petugas',
    '--role',
    'officer',
    '--area',
    '31.74',
    '--password',
    PASSWORD,
  ]);
  cli([
    'user',
    'create',
    '--email',
    admin,
    '--name',
    'Dedi Admin',
    '--role',
    'admin',
    '--password',
    PASSWORD,
  ]);
  // at least one participant in the officer's area, so every figure has a row
  const village = (await (await request.get('/api/v1/regions?parent=31.74.05')).json()).items[0].code;
  const serial = String((RUN % 8000) + 1000);
  const res = await request.post('/api/v1/public/registrations', {
    data: {
      nik: `317405570390${serial}`,
      fullName: 'Wati Dasbor',
      phone: `0815${String(RUN).slice(-8)}`,
      domicile: { villageCode: village },
      business: { name: 'Warung Wati', sector: 'kuliner', hasQris: true },
      consent: { version: 'web-pdp-1', given: true, purpose: 'registration' },
    },
  });
  expect([201, 409]).toContain(res.status());
});

async function login(page: Page, email: string) {
  const res = await page.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
}

const id = (n: number) => new Intl.NumberFormat('id-ID').format(n);

for (const who of ['officer', 'admin'] as const) {
  test(`the ${who}'s dashboard agrees with GET /stats/summary and leads with the funnel`, async ({
    page,
  }) => {
    await login(page, who === 'officer' ? officer : admin);
    const s = await (await page.request.get('/api/v1/stats/summary')).json();
    await page.goto('/console');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dasbor');
    await expect(page.getByTestId('tile-console.dashboard.registered')).toHaveText(id(s.registered));
    await expect(page.getByTestId('tile-validated')).toHaveText(id(s.validated));
    // the funnel comes first, one bar per stage with its count
    const h2 = page.getByRole('heading', { level: 2 });
    await expect(h2.first()).toHaveText('Corong 7P: peserta yang mencapai tiap tahap');
    const funnel = page.getByRole('list', {
      name: 'Corong 7P: peserta yang mencapai tiap tahap',
      exact: true,
    });
    await expect(funnel.getByRole('listitem')).toHaveCount(s.funnel.length);
    await expect(funnel.getByRole('listitem').first()).toContainText(id(s.funnel[0].count));
    // by city: the same numbers as the API
    const cities = page.getByRole('list', { name: 'Per kota/kabupaten', exact: true }).getByRole('listitem');
    await expect(cities).toHaveCount(s.byRegency.length);
    const sum = s.byRegency.reduce((a: number, b: { count: number }) => a + b.count, 0);
    expect(sum).toBe(s.registered);
    for (const b of s.byStatus) {
      await expect(page.getByRole('list', { name: 'Per status', exact: true })).toContainText(id(b.count));
    }
    // the trend charts: one SVG image each, named, one bar per year
    const years = page.getByRole('img', {
      name: 'Grafik: Pendaftaran per tahun (angkanya ada di tabel di bawah)',
    });
    await expect(years.locator('rect')).toHaveCount(s.byYear.length);
    await expect(
      page.getByRole('img', { name: 'Grafik: Pendaftaran per bulan (angkanya ada di tabel di bawah)' }),
    ).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'dashboard');
  });
}

test('each figure downloads as CSV (with a BOM) and XLSX', async ({ page }) => {
  await login(page, admin);
  const s = await (await page.request.get('/api/v1/stats/summary')).json();
  await page.goto('/console');
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Unduh CSV: Per kota/kabupaten' }).click(),
  ]);
  expect(csv.suggestedFilename()).toBe('per-kota-kabupaten.csv');
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('Kota/kabupaten,Jumlah');
  expect(lines).toHaveLength(s.byRegency.length + 1);
  const [xlsx] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Unduh XLSX: Pendaftaran per tahun' }).click(),
  ]);
  expect(xlsx.suggestedFilename()).toBe('pendaftaran-per-tahun.xlsx');
  const bytes = readFileSync((await xlsx.path())!);
  expect(bytes.subarray(0, 2).toString()).toBe('PK'); // a zip, as XLSX files are
});

test('every count opens the list of the records behind it, with the same total', async ({ page }) => {
  await login(page, officer);
  const s = await (await page.request.get('/api/v1/stats/summary')).json();
  await page.goto('/console');
  const total = page.getByTestId('participant-total');
  // a city
  const city = s.byRegency[0];
  await page.getByRole('list', { name: 'Per kota/kabupaten', exact: true }).getByRole('link').first().click();
  await expect(page).toHaveURL(`/console/participants?regencyCode=${city.key}`);
  await expect(total).toHaveText(`${id(city.count)} peserta`);
  await expect(page.getByLabel('Kota/kabupaten')).toHaveValue(city.key);
  await expectNoSeriousA11yViolations(page, 'participants list from a city figure');
  // a funnel stage
  await page.goBack();
  const funnel = page.getByRole('list', { name: 'Corong 7P: peserta yang mencapai tiap tahap', exact: true });
  await funnel.getByRole('link').first().click();
  await expect(page).toHaveURL('/console/participants?stage=P1');
  await expect(total).toHaveText(`${id(s.funnel[0].count)} peserta`);
  await expect(page.getByLabel('Tahap 7P yang dicapai')).toHaveValue('P1');
  // a kecamatan (its city selected too) and a status
  await page.goBack();
  const district = [...s.byDistrict].sort((a, b) => b.count - a.count)[0];
  await page.getByRole('list', { name: 'Per kecamatan', exact: true }).getByRole('link').first().click();
  await expect(page).toHaveURL(
    `/console/participants?regencyCode=${district.key.slice(0, 5)}&districtCode=${district.key}`,
  );
  await expect(total).toHaveText(`${id(district.count)} peserta`);
  await expect(page.getByLabel('Kecamatan')).toHaveValue(district.key);
  await page.goBack();
  await page.getByTestId('tile-console.dashboard.registered').getByRole('link').click();
  await expect(page).toHaveURL('/console/participants');
  await expect(total).toHaveText(`${id(s.registered)} peserta`);
  // a year, from the numbers beside the chart
  await page.goBack();
  const year = s.byYear[s.byYear.length - 1];
  await page.getByRole('link', { name: `${year.key}: ${id(year.count)}` }).click();
  await expect(page).toHaveURL(
    `/console/participants?registeredFrom=${year.key}-01-01&registeredTo=${year.key}-12-31`,
  );
  await expect(total).toHaveText(`${id(year.count)} peserta`);
});

test('the QRIS card: verified and self-declared shares, by city and sector, linked and downloadable', async ({
  page,
}) => {
  await login(page, admin);
  const q = await (await page.request.get('/api/v1/stats/qris')).json();
  expect(q.declared).toBeGreaterThan(0);
  await page.goto('/console');
  const card = page.getByTestId('figure-qris');
  await expect(card.getByRole('heading', { level: 2 })).toHaveText('Adopsi QRIS');
  await expect(page.getByTestId('qris-declared')).toContainText(
    `${id(q.declared)} dari ${id(q.registered)} peserta`,
  );
  await expect(page.getByTestId('qris-verified')).toContainText(
    `${id(q.verified)} dari ${id(q.registered)} peserta`,
  );
  const cities = card
    .getByRole('list', { name: 'Adopsi QRIS: Per kota/kabupaten', exact: true })
    .getByRole('listitem');
  await expect(cities).toHaveCount(q.byRegency.length);
  await expect(
    card.getByRole('list', { name: 'Adopsi QRIS: Per bidang usaha', exact: true }).getByRole('listitem'),
  ).toHaveCount(q.bySector.length);
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Unduh CSV: Adopsi QRIS' }).click(),
  ]);
  const lines = readFileSync((await csv.path())!, 'utf8')
    .slice(1)
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe(
    'Kelompok,Nama,Peserta terdaftar,QRIS terverifikasi,Terverifikasi (%),QRIS dinyatakan sendiri,Dinyatakan sendiri (%)',
  );
  expect(lines).toHaveLength(1 + 1 + q.byRegency.length + q.bySector.length);
  // the self-declared count of a city opens exactly those records
  const city = q.byRegency.find((b: { declared: number }) => b.declared > 0);
  await page.getByTestId(`qris-declared-${city.key}`).click();
  await expect(page).toHaveURL(`/console/participants?regencyCode=${city.key}&qris=declared`);
  await expect(page.getByTestId('participant-total')).toHaveText(`${id(city.declared)} peserta`);
  await expect(page.getByLabel('QRIS')).toHaveValue('declared');
});

test.describe('on a phone (360 x 740)', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  test('the dashboard fits the screen', async ({ page }) => {
    await login(page, officer);
    await page.goto('/console');
    await expect(page.getByTestId('tile-console.dashboard.registered')).toBeVisible();
    await expect(page.getByTestId('figure-year')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});

test('in English, with the keyboard: the funnel figure can be downloaded', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('jkp.lang', 'en'));
  await login(page, officer);
  await page.goto('/console');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText(
    '7P funnel: participants who reached each stage',
  );
  const button = page.getByRole('button', {
    name: 'Download CSV: 7P funnel: participants who reached each stage',
  });
  for (let i = 0; i < 40; i++) {
    if (await button.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('Tab');
  }
  await expect(button).toBeFocused();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(csv.suggestedFilename()).toMatch(/^7p-funnel.*\.csv$/);
  await expectNoSeriousA11yViolations(page, 'dashboard (English)');
});
