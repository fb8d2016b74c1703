import { execFileSync } from 'node:child_process';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, test } from '@playwright/test';

/**
 * The public face of the web app (landing, self-registration, login) and the signed-in shell, in a real
 * browser against the server started by playwright.config.ts (fresh SQLite database in tmp/e2e).
 */

let seq = 0;
/** A valid NIK (Kebayoran Lama, woman born 17-03-1990) and a mobile number, unique per call. */
function person() {
  seq += 1;
  const serial = String((Date.now() % 7000) + seq * 3 + 1000).slice(-4);
  return {
    nik: `317405570390${serial}`,
    phone: `0812${String(Date.now()).slice(-6)}${String(seq).padStart(2, '0')}`,
  };
}

const ID = {
  nik: /^NIK \(Nomor Induk Kependudukan\)/,
  name: /^Nama lengkap/,
  birth: /^Tanggal lahir/,
  phone: /^Nomor HP/,
  city: /^Kota\/kabupaten/,
  district: /^Kecamatan/,
  village: /^Kelurahan/,
  business: /^Nama usaha/,
  sector: /^Bidang usaha/,
  consent: /Saya telah membaca dan menyetujui/,
  submit: 'Kirim pendaftaran',
};

async function fillRegistration(page: Page, p: { nik: string; phone: string }) {
  await page.getByLabel(ID.nik).fill(p.nik);
  await page.getByLabel(ID.name).fill('Siti Rahmawati');
  await page.getByLabel(ID.phone).fill(p.phone);
  await page.getByLabel(ID.city).selectOption({ label: 'Kota Administrasi Jakarta Selatan' });
  await page.getByLabel(ID.district).selectOption({ label: 'Kebayoran Lama' });
  await page.getByLabel(ID.village).selectOption({ index: 1 });
  await page.getByLabel(ID.business).fill('Dapur Siti');
  await page.getByLabel(ID.sector).selectOption('kuliner');
  await page.getByRole('checkbox', { name: ID.consent }).check();
}

async function expectNoSeriousA11yViolations(page: Page, what: string) {
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `${what}: serious or critical axe violations`).toEqual([]);
}

test.describe('landing page', () => {
  test('shows the headline figures, a call to register and a login link', async ({ page }) => {
    const stats = await (await page.request.get('/api/v1/public/stats')).json();
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Jakpreneur');
    await expect(page.getByTestId('registered-total')).toHaveText(
      new Intl.NumberFormat('id-ID').format(stats.registered),
    );
    await expect(
      page.getByText(`dari target ${new Intl.NumberFormat('id-ID').format(stats.target)}`),
    ).toBeVisible();
    await expect(page.getByRole('list', { name: 'Jalur 7 Langkah PAS' }).getByRole('listitem')).toHaveCount(
      7,
    );
    await page.getByRole('link', { name: 'Daftar sebagai peserta' }).first().click();
    await expect(page).toHaveURL(/\/register$/);
    await page.goBack();
    await page.getByRole('link', { name: 'Masuk petugas' }).click();
    await expect(page).toHaveURL(/\/login$/);
  });

  test('unknown pages get the app (with a not-found page), unknown API paths stay problem+json', async ({
    page,
    request,
  }) => {
    await page.goto('/no/such/page');
    await expect(page.getByRole('heading', { level: 1, name: 'Halaman tidak ditemukan' })).toBeVisible();
    const api = await request.get('/api/v1/no-such-endpoint', { headers: { accept: 'text/html' } });
    expect(api.status()).toBe(404);
    expect(api.headers()['content-type']).toContain('application/problem+json');
    expect((await request.get('/healthz')).ok()).toBeTruthy();
  });
});

test.describe('self-registration', () => {
  test('from the landing page to the confirmation, fixing a wrong phone number on the way', async ({
    page,
  }) => {
    const p = person();
    await page.goto('/');
    await page.getByRole('link', { name: 'Daftar sebagai peserta' }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Daftar sebagai peserta Jakpreneur');

    // birth date and sex are filled from the NIK
    await page.getByLabel(ID.nik).fill(p.nik);
    await expect(page.getByLabel(ID.birth)).toHaveValue('1990-03-17');
    await expect(page.getByRole('radio', { name: 'Perempuan' })).toBeChecked();

    await fillRegistration(page, { ...p, phone: '0812' });
    await page.getByRole('button', { name: ID.submit }).click();

    // the server's field error, in Indonesian, next to the phone field, which gets the focus
    const phone = page.getByLabel(ID.phone);
    await expect(page.getByTestId('form-problem')).toContainText('isian yang perlu diperbaiki');
    await expect(phone).toHaveAttribute('aria-invalid', 'true');
    await expect(phone).toBeFocused();
    const errorId = await phone.getAttribute('aria-describedby');
    expect(errorId).toBeTruthy();
    await expect(
      page.locator(`[id="${errorId!.split(' ').find((i) => i.includes('error'))}"]`),
    ).toContainText(/[Nn]omor/);

    await phone.fill(p.phone);
    await expect(phone).not.toHaveAttribute('aria-invalid', 'true');
    await page.getByRole('button', { name: ID.submit }).click();

    await expect(page).toHaveURL(/\/register\/done$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pendaftaran Anda sudah kami terima');
    const number = (await page.getByTestId('registration-number').textContent())!.trim();
    expect(number).toMatch(/\d/);
    await expect(page.getByText('Terima kasih, Siti Rahmawati.')).toBeVisible();

    // the same NIK cannot register twice: the message sits next to the NIK field
    await page.goto('/register');
    await fillRegistration(page, { ...p, phone: person().phone });
    await page.getByRole('button', { name: ID.submit }).click();
    await expect(page.getByLabel(ID.nik)).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText(/NIK ini sudah terdaftar/).first()).toBeVisible();
  });

  test('required fields are checked before sending, with the focus on the first one', async ({ page }) => {
    await page.goto('/register');
    await page.getByRole('button', { name: ID.submit }).click();
    await expect(page.getByTestId('form-problem')).toBeVisible();
    await expect(page.getByLabel(ID.nik)).toBeFocused();
    await expect(page.getByText('NIK harus 16 angka.')).toBeVisible();
    await expect(page.getByText('Centang persetujuan ini untuk melanjutkan.')).toBeVisible();
  });

  test('the kecamatan and kelurahan pickers follow the chosen city', async ({ page }) => {
    await page.goto('/register');
    await expect(page.getByLabel(ID.district)).toBeDisabled();
    await page.getByLabel(ID.city).selectOption({ label: 'Kota Administrasi Jakarta Pusat' });
    await expect(page.getByLabel(ID.district).locator('option', { hasText: 'Gambir' })).toHaveCount(1);
    await page.getByLabel(ID.district).selectOption({ label: 'Gambir' });
    await expect(page.getByLabel(ID.village).locator('option', { hasText: 'Cideng' })).toHaveCount(1);
    // changing the city clears the lower levels
    await page.getByLabel(ID.city).selectOption({ label: 'Kota Administrasi Jakarta Timur' });
    await expect(page.getByLabel(ID.district)).toHaveValue('');
    await expect(page.getByLabel(ID.village)).toBeDisabled();
  });
});

test.describe('language', () => {
  test('the switch reads "Bahasa Indonesia" / "English", changes every text and is remembered', async ({
    page,
  }) => {
    await page.goto('/register');
    const sw = page.getByRole('combobox', { name: /Language/ });
    await expect(sw.locator('option')).toHaveText(['Bahasa Indonesia', 'English']);
    await expect(page.locator('html')).toHaveAttribute('lang', 'id');

    await sw.selectOption({ label: 'English' });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Register as a Jakpreneur participant');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByLabel(/^Business sector/).locator('option', { hasText: 'Culinary' })).toHaveCount(
      1,
    );

    // the API answers in the chosen language too (Accept-Language)
    const p = person();
    await page.getByLabel(/^NIK/).fill(p.nik);
    await page.getByLabel(/^Full name/).fill('Siti Rahmawati');
    await page.getByLabel(/^Mobile number/).fill('0812');
    await page.getByLabel(/^City\/regency/).selectOption({ label: 'Kota Administrasi Jakarta Selatan' });
    await page.getByLabel(/^Kecamatan/).selectOption({ label: 'Kebayoran Lama' });
    await page.getByLabel(/^Kelurahan/).selectOption({ index: 1 });
    await page.getByLabel(/^Business name/).fill('Dapur Siti');
    await page.getByLabel(/^Business sector/).selectOption('kuliner');
    await page.getByRole('checkbox', { name: /I have read and agree/ }).check();
    await page.getByRole('button', { name: 'Send registration' }).click();
    await expect(page.getByTestId('form-problem')).toContainText(/needs? fixing/);

    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Register as a Jakpreneur participant');
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 2, name: 'Program figures' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'The 7-step path' })).toContainText('Registration');

    await page.getByRole('combobox', { name: /Language/ }).selectOption({ label: 'Bahasa Indonesia' });
    await expect(page.getByRole('heading', { level: 2, name: 'Angka program' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Jalur 7 Langkah PAS' })).toContainText('Pendaftaran');
    expect(await page.evaluate(() => localStorage.getItem('jkp.lang'))).toBe('id');
  });
});

test.describe('on a phone (360 x 740)', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test('registration works and nothing is wider than the screen', async ({ page }) => {
    const noSideScroll = async () =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.goto('/');
    await expect(page.getByTestId('registered-total')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Masuk', exact: true })).toBeInViewport();
    await expect(page.getByRole('combobox', { name: /Language/ })).toBeInViewport();
    await noSideScroll();
    await page.getByRole('link', { name: 'Daftar sebagai peserta' }).first().tap();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await noSideScroll();
    const p = person();
    await fillRegistration(page, p);
    await page.getByRole('button', { name: ID.submit }).tap();
    await expect(page.getByTestId('registration-number')).toBeVisible();
    await expect(page.getByTestId('registration-number')).toBeInViewport();
    await noSideScroll();
  });
});

test.describe('keyboard only', () => {
  /** Presses Tab until `target` has the focus (a keyboard user's way through the form). */
  async function tabTo(page: Page, target: Locator, max = 40) {
    for (let i = 0; i < max; i++) {
      if (await target.evaluate((el) => el === document.activeElement)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`could not reach ${target} with Tab`);
  }
  /** Chooses an option of the focused native select with the arrow keys. */
  async function arrowTo(page: Page, select: Locator, label: string) {
    const labels = await select.locator('option').allTextContents();
    const current = labels.indexOf((await select.locator('option:checked').textContent()) ?? '');
    const wanted = labels.indexOf(label);
    expect(wanted, `option ${label}`).toBeGreaterThan(-1);
    for (let i = current; i < wanted; i++) await page.keyboard.press('ArrowDown');
    await expect(select.locator('option:checked')).toHaveText(label);
  }

  test('the registration form can be completed and sent without a mouse', async ({ page }) => {
    const p = person();
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // skip link, then through the header to the call to register
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Langsung ke isi halaman' })).toBeFocused();
    await tabTo(page, page.getByRole('link', { name: 'Daftar sebagai peserta' }).first());
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/register$/);

    await tabTo(page, page.getByLabel(ID.nik));
    await page.keyboard.type(p.nik);
    await tabTo(page, page.getByLabel(ID.name));
    await page.keyboard.type('Budi Santoso');
    await tabTo(page, page.getByLabel(ID.phone));
    await page.keyboard.type(p.phone);
    const city = page.getByLabel(ID.city);
    await tabTo(page, city);
    await arrowTo(page, city, 'Kota Administrasi Jakarta Selatan');
    const district = page.getByLabel(ID.district);
    await expect(district).toBeEnabled();
    await tabTo(page, district);
    await arrowTo(page, district, 'Kebayoran Lama');
    const village = page.getByLabel(ID.village);
    await expect(village.locator('option')).not.toHaveCount(1);
    await tabTo(page, village);
    await page.keyboard.press('ArrowDown');
    await tabTo(page, page.getByLabel(ID.business));
    await page.keyboard.type('Kopi Budi');
    const sector = page.getByLabel(ID.sector);
    await tabTo(page, sector);
    await arrowTo(page, sector, 'Kuliner (makanan & minuman)');
    const consent = page.getByRole('checkbox', { name: ID.consent });
    await tabTo(page, consent);
    await page.keyboard.press('Space');
    await expect(consent).toBeChecked();
    await tabTo(page, page.getByRole('button', { name: ID.submit }));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('registration-number')).toBeVisible();
  });

  test('login works with the keyboard', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await tabTo(page, page.getByLabel(/^Email atau nomor HP/));
    await page.keyboard.type('nobody@example.org');
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong-password-123');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert')).toContainText('Email/nomor HP atau kata sandi salah.');
  });
});

test.describe('login and the signed-in shell', () => {
  /** A user with a one-time password, made with the CLI on the server's database. */
  function createUser(email: string) {
    const root = path.resolve(import.meta.dirname, '../..');
    const out = execFileSync(
      process.execPath,
      [
        'bin/jakpreneur.js',
        'user',
        'create',
        '--email',
        email,
        '--name',
        'Rina Petugas',
        '--role',
        'officer',
        '--area',
        '31.74',
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          DATA_DIR: 'tmp/e2e',
          LOG_LEVEL: 'warn',
          JAKPRENEUR_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
        },
      },
    ).toString();
    return /One-time password: (\S+)/.exec(out)![1];
  }

  test('a one-time password must be changed, then the console shows the user, area and figures', async ({
    page,
  }) => {
    const email = `rina.${Date.now()}@example.org`;
    const once = createUser(email);

    await page.goto('/console');
    await expect(page).toHaveURL(/\/login\?next=%2Fconsole$/);
    await page.getByLabel(/^Email atau nomor HP/).fill(email);
    await page.getByLabel(/^Kata sandi/).fill(once);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();

    await expect(page).toHaveURL(/\/change-password/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ganti kata sandi');
    // the API refuses other calls until then (403 PASSWORD_CHANGE_REQUIRED)
    const blocked = await page.request.get('/api/v1/stats/summary');
    expect(blocked.status()).toBe(403);
    expect((await blocked.json()).code).toBe('PASSWORD_CHANGE_REQUIRED');

    await page.getByLabel(/^Kata sandi saat ini/).fill('not-the-password');
    await page.getByLabel(/^Kata sandi baru/).fill('rahasia-baru-123');
    await page.getByLabel(/^Ulangi kata sandi baru/).fill('rahasia-baru-123');
    await page.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
    await expect(page.getByText('Kata sandi saat ini salah.')).toBeVisible();
    await page.getByLabel(/^Kata sandi saat ini/).fill(once);
    await page.getByRole('button', { name: 'Simpan kata sandi baru' }).click();

    await expect(page).toHaveURL(/\/console$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dasbor');
    const user = page.getByTestId('console-user');
    await expect(user).toContainText('Rina Petugas');
    await expect(user).toContainText('Petugas wilayah');
    await expect(user).toContainText('Jakarta Selatan');
    const summary = await (await page.request.get('/api/v1/stats/summary')).json();
    await expect(page.getByTestId('tile-console.dashboard.registered')).toHaveText(
      new Intl.NumberFormat('id-ID').format(summary.registered),
    );
    await expectNoSeriousA11yViolations(page, 'console dashboard');

    // the console follows the language switch too
    await page.getByRole('combobox', { name: /Language/ }).selectOption({ label: 'English' });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
    await expect(user).toContainText('Area officer');
    await page.getByRole('combobox', { name: /Language/ }).selectOption({ label: 'Bahasa Indonesia' });

    // CSRF: the session cookie alone cannot change anything
    const noCsrf = await page.request.post('/api/v1/auth/logout');
    expect(noCsrf.status()).toBe(403);

    await page.getByRole('button', { name: 'Keluar' }).click();
    await expect(page).toHaveURL(/\/$/);
    await page.goto('/console');
    await expect(page).toHaveURL(/\/login/);
  });

  test('wrong credentials show the API message next to the form', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel(/^Email atau nomor HP/).fill('nobody@example.org');
    await page.getByLabel(/^Kata sandi/).fill('wrong-password-123');
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('Email/nomor HP atau kata sandi salah.');
  });
});

test.describe('accessibility (axe, WCAG 2.1 A/AA): no serious or critical violation', () => {
  for (const lang of ['id', 'en'] as const) {
    test(`public pages in ${lang === 'id' ? 'Bahasa Indonesia' : 'English'}`, async ({ page }) => {
      await page.addInitScript((l) => localStorage.setItem('jkp.lang', l), lang);
      await page.goto('/');
      await expect(page.getByTestId('registered-total')).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'landing');

      await page.goto('/register');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'registration');
      // with field errors shown
      await page.getByRole('button', { name: lang === 'id' ? ID.submit : 'Send registration' }).click();
      await expect(page.getByTestId('form-problem')).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'registration with errors');

      await page.goto('/login');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'login');
    });
  }

  test('the confirmation page', async ({ page }) => {
    await page.goto('/register');
    await fillRegistration(page, person());
    await page.getByRole('button', { name: ID.submit }).click();
    await expect(page.getByTestId('registration-number')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'confirmation');
  });
});
