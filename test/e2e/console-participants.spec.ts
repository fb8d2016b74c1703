import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import { cli, expectNoSeriousA11yViolations } from './support.ts';

/**
 * The participant pages of the console (list, record, create and edit forms) against the server started by
 * playwright.config.ts (fresh SQLite database in tmp/e2e): a mentor finds a self-registered participant and
 * verifies it, an officer validates it, and the separation of duties shows in the UI.
 */

const PASSWORD = 'Rahasia-Peserta-2024!';
const RUN = Date.now();
/** letters only: names may not contain digits */
const TAG = `Q${String(RUN)
  .slice(-6)
  .replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;

const users = {
  mentor: `mentor.${RUN}@example.org`,
  mentor2: `mentor2.${RUN}@example.org`,
  officer: `officer.${RUN}@example.org`,
  admin: `admin.p.${RUN}@example.org`,
};

test.beforeAll(() => {
  const make = (email: string, name: string, role: string, area?: string) =>
    cli([
      'user',
      'create',
      '--email',
      email,
      '--name',
      name,
      '--role',
      role,
      '--password',
      PASSWORD,
      ...(area ? ['--area', area] : []),
    ]);
  make(users.mentor, 'Maya Pendamping', 'mentor', '31.74');
  make(users.mentor2, 'Bayu Pendamping', 'mentor', '31.74');
  make(users.officer, 'Oki Petugas', 'officer', '31.74');
  make(users.admin, 'Ani Admin', 'admin');
});

let seq = 0;
/** A valid NIK (Kebayoran Lama, woman born 17-03-1990) and a mobile number, unique per call. */
function person() {
  seq += 1;
  const serial = String(((RUN + seq * 37) % 8000) + 1000);
  return {
    nik: `317405570390${serial}`,
    phone: `0813${String(RUN).slice(-6)}${String(seq).padStart(2, '0')}`,
  };
}

async function villageOf(request: APIRequestContext, district = '31.74.05') {
  const res = await request.get(`/api/v1/regions?parent=${district}`);
  return (await res.json()).items[0].code as string;
}

/** A public self-registration (no login), as a participant would do it on the landing page. */
async function selfRegister(request: APIRequestContext, fullName: string, business: string) {
  const p = person();
  const res = await request.post('/api/v1/public/registrations', {
    data: {
      nik: p.nik,
      fullName,
      phone: p.phone,
      domicile: { villageCode: await villageOf(request) },
      business: { name: business, sector: 'kuliner' },
      consent: { version: 'web-pdp-1', given: true, purpose: 'registration' },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { registrationNumber: string };
}

async function uiLogin(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel(/^Email atau nomor HP/).fill(email);
  await page.getByLabel(/^Kata sandi/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await expect(page).toHaveURL(/\/console$/);
}

async function apiLogin(page: Page, email: string) {
  const res = await page.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).csrfToken as string;
}

async function search(page: Page, text: string) {
  await page.getByRole('searchbox', { name: /^Cari peserta/ }).fill(text);
  await expect(page.getByTestId('participant-total')).toHaveText('1 peserta');
}

test.describe.configure({ mode: 'serial' });

test('a mentor finds a self-registered participant by search and verifies it; an officer validates it', async ({
  page,
  browser,
}) => {
  const name = `Rina Uji ${TAG}`;
  const reg = await selfRegister(page.request, name, `Dapur Rina ${TAG}`);

  await uiLogin(page, users.mentor);
  await page.getByRole('link', { name: 'Peserta', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Peserta');
  await expectNoSeriousA11yViolations(page, 'participant list');
  await search(page, name);
  const row = page.getByTestId('participant-table').getByRole('row').nth(1);
  await expect(row).toContainText(reg.registrationNumber);
  // the list masks NIK and phone
  await expect(row).toContainText('*');
  await row.getByRole('link', { name }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('status-badge')).toHaveText('Terdaftar');
  await expect(page.getByTestId('history')).toContainText('Data dibuka');
  await expectNoSeriousA11yViolations(page, 'participant record');

  const verify = page.getByRole('button', { name: 'Verifikasi peserta' });
  await expect(verify).toBeDisabled();
  await page.getByRole('checkbox', { name: 'KTP asli sudah saya lihat' }).check();
  await page.getByRole('checkbox', { name: 'Tempat usaha sudah saya lihat' }).check();
  await page.getByLabel('Catatan (tidak wajib)').fill('Dicek di lokasi usaha.');
  await verify.click();
  await expect(page.getByTestId('status-badge')).toHaveText('Terverifikasi');
  await expect(page.getByTestId('history')).toContainText('Diverifikasi');
  // a mentor cannot validate: the button is not offered
  await expect(page.getByRole('button', { name: 'Validasi peserta' })).toHaveCount(0);
  const url = page.url();

  const ctx = await browser.newContext();
  const officer = await ctx.newPage();
  await apiLogin(officer, users.officer);
  await officer.goto(url);
  await expect(officer.getByTestId('status-badge')).toHaveText('Terverifikasi');
  await officer.getByRole('button', { name: 'Validasi peserta' }).click();
  await expect(officer.getByTestId('status-badge')).toHaveText('Tervalidasi');
  await expect(officer.getByTestId('history')).toContainText('Divalidasi');
  await ctx.close();
});

test('separation of duties: the registrar cannot verify, the verifier cannot validate (shown plainly)', async ({
  page,
}) => {
  await apiLogin(page, users.mentor2);
  const p = person();
  const name = `Budi Daftar ${TAG}`;
  await page.goto('/console/participants/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Daftarkan peserta');
  await expectNoSeriousA11yViolations(page, 'create form');

  // a NIK whose serial is 0000 passes the browser's check but not the API's: the message sits at the field
  await page.getByLabel(/^NIK/).fill(`${p.nik.slice(0, 12)}0000`);
  await page.getByLabel(/^Nama lengkap/).fill(name);
  await page.getByLabel(/^Nomor HP/).fill(p.phone);
  await page.getByLabel(/^Kota\/kabupaten/).selectOption({ label: 'Kota Administrasi Jakarta Selatan' });
  await page.getByLabel(/^Kecamatan/).selectOption({ label: 'Kebayoran Lama' });
  await page.getByLabel(/^Kelurahan/).selectOption({ index: 1 });
  await page.getByLabel(/^Nama usaha/).fill(`Bakso Budi ${TAG}`);
  await page.getByLabel(/^Bidang usaha/).selectOption('kuliner');
  await page.getByRole('checkbox', { name: /menyetujui pemrosesan/ }).check();
  await page.getByRole('button', { name: 'Daftarkan', exact: true }).click();
  const nik = page.getByLabel(/^NIK/);
  await expect(nik).toHaveAttribute('aria-invalid', 'true');
  await expect(nik).toBeFocused();
  await expect(page.getByTestId('form-problem')).toBeVisible();
  await nik.fill(p.nik);
  await page.getByRole('button', { name: 'Daftarkan', exact: true }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await page.getByRole('checkbox', { name: 'KTP asli sudah saya lihat' }).check();
  await page.getByRole('button', { name: 'Verifikasi peserta' }).click();
  await expect(page.getByTestId('action-error')).toContainText(
    'Anda yang mendaftarkan peserta ini, jadi orang lain yang harus memverifikasinya.',
  );
  await expect(page.getByTestId('status-badge')).toHaveText('Terdaftar');

  // the officer verifies it, then cannot validate it
  await page.context().clearCookies();
  await apiLogin(page, users.officer);
  await page.reload();
  await page.getByRole('checkbox', { name: 'KTP asli sudah saya lihat' }).check();
  await page.getByRole('button', { name: 'Verifikasi peserta' }).click();
  await expect(page.getByTestId('status-badge')).toHaveText('Terverifikasi');
  await page.getByRole('button', { name: 'Validasi peserta' }).click();
  await expect(page.getByTestId('action-error')).toContainText(
    'Anda yang memverifikasi peserta ini, jadi petugas lain yang harus memvalidasinya.',
  );
});

test('editing sends If-Match; a change made meanwhile by someone else is reported with a reload', async ({
  page,
}) => {
  const name = `Sari Ubah ${TAG}`;
  const reg = await selfRegister(page.request, name, `Kue Sari ${TAG}`);
  const csrf = await apiLogin(page, users.officer);
  const found = await (
    await page.request.get(`/api/v1/participants?q=${encodeURIComponent(reg.registrationNumber)}`)
  ).json();
  const id = found.items[0].id as string;
  await page.goto(`/console/participants/${id}/edit`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ubah data peserta');
  await expect(page.getByLabel(/^Nama lengkap/)).toHaveValue(name);
  await expectNoSeriousA11yViolations(page, 'edit form');

  // someone else changes the record
  const other = await page.request.patch(`/api/v1/participants/${id}`, {
    data: { business: { products: 'kue basah' } },
    headers: { 'If-Match': '*', 'X-CSRF-Token': csrf },
  });
  expect(other.status(), await other.text()).toBe(200);

  await page.getByLabel(/^Nama usaha/).fill(`Kue Sari Baru ${TAG}`);
  await page.getByRole('button', { name: 'Simpan perubahan' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Data sudah diubah orang lain' })).toBeVisible();
  await page.getByRole('button', { name: 'Muat ulang data' }).click();
  await expect(page.getByLabel(/^Nama usaha/)).toHaveValue(`Kue Sari ${TAG}`);
  await page.getByLabel(/^Nama usaha/).fill(`Kue Sari Baru ${TAG}`);
  await page.getByRole('button', { name: 'Simpan perubahan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByText(`Kue Sari Baru ${TAG}`, { exact: true })).toBeVisible();
  // the history shows the change with its data diff
  await expect(page.getByTestId('history')).toContainText('Data diubah');
  // under the field's label, not its key
  await expect(page.getByTestId('history')).toContainText(
    `Nama usaha: Kue Sari ${TAG} → Kue Sari Baru ${TAG}`,
  );
  await expect(page.getByTestId('history')).not.toContainText('business.name');
});

test('an admin erases a record after typing its registration number', async ({ page }) => {
  const name = `Tono Hapus ${TAG}`;
  const reg = await selfRegister(page.request, name, `Sate Tono ${TAG}`);
  await apiLogin(page, users.admin);
  await page.goto(`/console/participants?q=${encodeURIComponent(reg.registrationNumber)}`);
  await page.getByRole('link', { name }).click();
  await page.getByRole('button', { name: 'Hapus data pribadi' }).click();
  const dialog = page.getByRole('dialog', { name: 'Hapus data pribadi peserta' });
  const confirm = dialog.getByRole('button', { name: 'Hapus permanen' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Nomor registrasi').fill(reg.registrationNumber);
  await confirm.click();
  await expect(page).toHaveURL(/\/console\/participants$/);
});

test('the list keeps its search and filters in the URL; "clear" empties both; a row opens its record', async ({
  page,
}) => {
  const name = `Lina Saring ${TAG}`;
  await selfRegister(page.request, name, `Warung Lina ${TAG}`);
  await apiLogin(page, users.admin);
  // filters from a link show in their selects
  await page.goto('/console/participants?sector=kuliner&status=registered');
  await expect(page.getByLabel('Bidang usaha')).toHaveValue('kuliner');
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('registered');
  // a city, then its kecamatan; another city drops the kecamatan
  await page.getByLabel('Kota/kabupaten').selectOption('31.74');
  await expect(page).toHaveURL('/console/participants?sector=kuliner&status=registered&regencyCode=31.74');
  await page.getByLabel('Kecamatan').selectOption('31.74.05');
  await expect(page).toHaveURL(/&regencyCode=31\.74&districtCode=31\.74\.05$/);
  await page.getByLabel('Kota/kabupaten').selectOption('31.71');
  await expect(page).toHaveURL('/console/participants?sector=kuliner&status=registered&regencyCode=31.71');
  await expect(page.getByLabel('Kecamatan')).toHaveValue('');
  await page.getByLabel('Kota/kabupaten').selectOption('31.74');
  // a search typed without Enter runs after the pause, and lands in the URL
  const box = page.getByRole('searchbox', { name: /^Cari peserta/ });
  await box.pressSequentially(name);
  await expect(page.getByTestId('participant-total')).toHaveText('1 peserta');
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(name).replace(/%20/g, '\\+')}(&|$)`));
  // the same URL opened again shows the same search and filters
  await page.reload();
  await expect(box).toHaveValue(name);
  await expect(page.getByLabel('Kota/kabupaten')).toHaveValue('31.74');
  await expect(page.getByTestId('participant-total')).toHaveText('1 peserta');
  // a click on the row (not only on its link) opens the record; the list is where it was on the way back
  const row = page.getByTestId('participant-table').getByRole('row').nth(1);
  await expect(row.getByRole('link', { name })).toHaveAttribute(
    'href',
    /^\/console\/participants\/[0-9a-f-]+$/,
  );
  await row.getByRole('cell').nth(1).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await page.goBack();
  await expect(box).toHaveValue(name);
  // "clear" empties the search box, the selects and the URL
  await page.getByRole('button', { name: 'Hapus filter' }).click();
  await expect(page).toHaveURL('/console/participants');
  await expect(box).toHaveValue('');
  await expect(page.getByLabel('Bidang usaha')).toHaveValue('');
  await expect(page.getByLabel('Kota/kabupaten')).toHaveValue('');
});

test.describe('keyboard only', () => {
  async function tabTo(page: Page, target: Locator, max = 60) {
    for (let i = 0; i < max; i++) {
      if (await target.evaluate((el) => el === document.activeElement)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`could not reach ${target} with Tab`);
  }

  test('search, open a record and verify it without a mouse', async ({ page }) => {
    const name = `Dewi Kunci ${TAG}`;
    await selfRegister(page.request, name, `Jamu Dewi ${TAG}`);
    await apiLogin(page, users.mentor2);
    await page.goto('/console/participants');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Peserta');
    const box = page.getByRole('searchbox', { name: /^Cari peserta/ });
    await tabTo(page, box);
    await page.keyboard.type(name);
    await expect(page.getByTestId('participant-total')).toHaveText('1 peserta');
    await tabTo(page, page.getByRole('link', { name }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    const ktp = page.getByRole('checkbox', { name: 'KTP asli sudah saya lihat' });
    await tabTo(page, ktp);
    await page.keyboard.press('Space');
    await expect(ktp).toBeChecked();
    await tabTo(page, page.getByRole('button', { name: 'Verifikasi peserta' }));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('status-badge')).toHaveText('Terverifikasi');
  });
});

test.describe('on a phone (360 x 740)', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test('list, record and form fit the screen', async ({ page }) => {
    const noSideScroll = async () =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await apiLogin(page, users.officer);
    await page.goto('/console/participants');
    await expect(page.getByTestId('participant-table')).toBeVisible();
    await noSideScroll();
    await page.getByTestId('participant-table').getByRole('link').first().tap();
    await expect(page.getByTestId('history')).toBeVisible();
    await noSideScroll();
    await page.goto('/console/participants/new');
    await expect(page.getByLabel(/^NIK/)).toBeVisible();
    await noSideScroll();
  });
});

test('the English texts are complete on the record page', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('jkp.lang', 'en'));
  await apiLogin(page, users.officer);
  await page.goto('/console/participants');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Participants');
  await expect(page.getByRole('searchbox', { name: /^Search participants/ })).toBeVisible();
  await page.getByTestId('participant-table').getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 2, name: 'History' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'record (English)');
});
