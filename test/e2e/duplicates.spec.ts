import { expect, type Locator, type Page, test } from '@playwright/test';
import { cli, expectNoSeriousA11yViolations } from './support.ts';

/**
 * The duplicate review queue of the console against the server started by playwright.config.ts (fresh SQLite
 * database in tmp/e2e): the same person registered twice (NIK one digit off in the kecamatan part, the name
 * written another way, the same phone) is flagged at registration; an admin opens the pair, reads the evidence,
 * merges it (the figures drop by one), undoes the merge; a rescan shows its result.
 */

const PASSWORD = 'Rahasia-Duplikat-2024!';
const RUN = Date.now();
const admin = `dup.admin.${RUN}@example.org`;
const mentor = `dup.mentor.${RUN}@example.org`;

const NAME_A = 'Muhammad Rizki Saputra';
const NAME_B = 'M. Rizky Saputra';
/** Gambir (31.71.01), a man born in July 1984; B has the sixth digit (kecamatan) mistyped: 317101 -> 317102. */
const SERIAL = String((RUN % 8000) + 1000);
/**
 * The day differs per worker: a failed serial group is retried in a new worker on the same database, where the
 * first attempt's records (same name, birth date and kecamatan) would flag the new A as a duplicate.
 */
const DAY = String(10 + (Number(process.env.TEST_WORKER_INDEX ?? 0) % 18));
const NIK_A = `317101${DAY}0784${SERIAL}`;
const NIK_B = `317102${DAY}0784${SERIAL}`;
const PHONE = `0813${String(RUN).slice(-6)}77`;

type Registered = { id: string; registrationNumber: string; reviewFlags: string[] };
const pair = { id: '', a: null as Registered | null, b: null as Registered | null };

async function login(page: Page, email: string) {
  const res = await page.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).csrfToken as string;
}

async function summary(page: Page) {
  const res = await page.request.get('/api/v1/stats/summary');
  expect(res.status(), await res.text()).toBe(200);
  const j = await res.json();
  return { registered: j.registered as number, excluded: (j.duplicatesExcluded ?? 0) as number };
}

/** Presses Tab until `target` has the focus (a keyboard user's way through the page). */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} with Tab`);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  cli([
    'user',
    'create',
    '--email',
    admin,
    '--name',
    'Dani Admin',
    '--role',
    'admin',
    '--password',
    PASSWORD,
  ]);
  cli([
    'user',
    'create',
    '--email',
    mentor,
    '--name',
    'Mira Pendamping',
    '--role',
    'mentor',
    '--area',
    '31.71',
    '--password',
    PASSWORD,
  ]);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const csrf = await login(page, admin);
  const village = (await (await page.request.get('/api/v1/regions?parent=31.71.01')).json()).items[0].code;
  const register = async (nik: string, fullName: string, business: string) => {
    const res = await page.request.post('/api/v1/participants', {
      headers: { 'X-CSRF-Token': csrf },
      data: {
        nik,
        fullName,
        phone: PHONE,
        domicile: { villageCode: village, street: 'Jl. Kebon Kelapa 7', rt: '003', rw: '005' },
        business: { name: business, sector: 'jasa' },
        consent: { version: 'v1', given: true },
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as Registered;
  };
  pair.a = await register(NIK_A, NAME_A, 'Bengkel Rizki Jaya');
  pair.b = await register(NIK_B, NAME_B, 'Bengkel Rizky');
  // flagged at registration, never refused
  expect(pair.a.reviewFlags).not.toContain('possible_duplicate');
  expect(pair.b.reviewFlags).toContain('possible_duplicate');
  const queue = await (await page.request.get('/api/v1/duplicates?limit=200')).json();
  const item = queue.items.find(
    (i: { a: { registrationNumber: string } }) => i.a.registrationNumber === pair.a!.registrationNumber,
  );
  expect(item, 'the pair is in the queue').toBeTruthy();
  expect(item.b.registrationNumber).toBe(pair.b.registrationNumber);
  pair.id = item.id;
  await ctx.close();
});

let before = { registered: 0, excluded: 0 };

test('an admin reviews the pair and merges it keeping A: the figures drop by one', async ({ page }) => {
  const a = pair.a!;
  const b = pair.b!;
  await login(page, admin);
  before = await summary(page);
  await page.goto('/console');
  await page.getByRole('link', { name: 'Duplikat', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Duplikat');
  const row = page.getByTestId('duplicate-table').getByRole('row').filter({ hasText: a.registrationNumber });
  await expect(row).toContainText(b.registrationNumber);
  await expect(row).toContainText(NAME_A);
  await expect(row).toContainText(NAME_B);
  await expect(row.getByTestId('level-badge')).toHaveText('Pasti duplikat');
  // masked NIKs only
  await expect(row).toContainText(`3171********${SERIAL}`);
  await expect(row).not.toContainText(NIK_A);
  await expectNoSeriousA11yViolations(page, 'duplicate queue');

  await row.getByRole('link', { name: `Periksa pasangan ${NAME_A} dan ${NAME_B}` }).click();
  await expect(page).toHaveURL(new RegExp(`/console/duplicates/${pair.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kemungkinan duplikat');
  await expect(page.getByTestId('pair-status')).toHaveText('Terbuka');
  await expect(page.getByTestId('evidence-nik')).toContainText('NIK berbeda satu digit (posisi 6)');
  await expect(page.getByTestId('evidence-nik')).toContainText('kode kecamatan');
  await expect(page.getByTestId('evidence-name')).toContainText('Nama sama setelah ejaan disamakan');
  await expect(page.getByTestId('name-matched')).toContainText('Muhammad = M, Rizki = Rizky, Saputra');
  await expect(page.getByTestId('evidence-phone')).toHaveText('Telepon sama');
  await expect(page.getByTestId('evidence-place')).toHaveText('Sama RT/RW');
  await expect(page.getByTestId('evidence-birthDate')).toHaveText('Tanggal lahir sama');
  // agreeing and differing fields are marked in words, not by colour alone
  await expect(page.getByTestId('field-phone').getByTestId('verdict')).toHaveText('✓ Sama');
  await expect(page.getByTestId('field-nik').getByTestId('verdict')).toHaveText('≈ Mirip');
  await expect(page.getByTestId('record-a').getByRole('link', { name: NAME_A })).toHaveAttribute(
    'href',
    `/console/participants/${a.id}`,
  );
  await expect(page.getByTestId('record-b').getByRole('link', { name: NAME_B })).toHaveAttribute(
    'href',
    `/console/participants/${b.id}`,
  );
  await expectNoSeriousA11yViolations(page, 'duplicate pair');

  // merge, keeping A: confirmed in a dialog with a note
  await page.getByRole('button', { name: 'Gabungkan, simpan A' }).click();
  const dialog = page.getByRole('dialog', { name: 'Gabungkan, simpan A' });
  await expect(dialog).toContainText(`Data B (${NAME_B}) digabung ke data A (${NAME_A})`);
  await expectNoSeriousA11yViolations(page, 'merge dialog');
  await dialog.getByLabel('Catatan (tidak wajib)').fill('Orang yang sama, dicek dengan KTP.');
  await dialog.getByRole('button', { name: 'Gabungkan, simpan A' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('pair-status')).toHaveText('Digabung');
  await expect(page.getByTestId('decision-state')).toContainText('data A disimpan, data B digabung');
  await expect(page.getByText('Catatan: Orang yang sama, dicek dengan KTP.')).toBeVisible();
  await expect(page.getByTestId('record-b')).toContainText('Sudah digabung ke data lain');

  const merged = await summary(page);
  expect(merged.registered).toBe(before.registered - 1);
  expect(merged.excluded).toBe(before.excluded + 1);
  expect(merged.excluded).toBe(1);
  // the dashboard shows the lower count
  await page.getByRole('link', { name: 'Dasbor', exact: true }).click();
  await expect(page.getByTestId('tile-console.dashboard.registered')).toHaveText(
    new Intl.NumberFormat('id-ID').format(merged.registered),
  );
});

test('the merge is undone from the "merged" list; the record says it was flagged', async ({ page }) => {
  const a = pair.a!;
  await login(page, admin);
  await page.goto('/console/duplicates?status=merged');
  await page
    .getByTestId('duplicate-table')
    .getByRole('row')
    .filter({ hasText: a.registrationNumber })
    .getByRole('link')
    .click();
  await page.getByRole('button', { name: 'Batalkan penggabungan' }).click();
  const undo = page.getByRole('dialog', { name: 'Batalkan penggabungan' });
  await expect(undo).toContainText(`Data B (${NAME_B}) dihitung lagi`);
  await undo.getByRole('button', { name: 'Batalkan penggabungan' }).click();
  await expect(undo).toBeHidden();
  await expect(page.getByTestId('pair-status')).toHaveText('Terbuka');
  await expect(page.getByRole('button', { name: 'Gabungkan, simpan A' })).toBeVisible();
  expect(await summary(page)).toEqual(before);

  // the second record says it was flagged, with the way to the queue
  await page.getByTestId('record-b').getByRole('link', { name: NAME_B }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(NAME_B);
  const notice = page.getByTestId('duplicate-notice');
  await expect(notice).toContainText('Mungkin duplikat');
  // both the merge and its undoing are in the record's history
  await expect(page.getByTestId('history')).toContainText('Digabung sebagai duplikat');
  await expect(page.getByTestId('history')).toContainText('Penggabungan duplikat dibatalkan');
  await expectNoSeriousA11yViolations(page, 'record with the duplicate notice');
  await notice.getByRole('link', { name: 'Buka antrean duplikat' }).click();
  await expect(page).toHaveURL(/\/console\/duplicates$/);
});

test('a decision made meanwhile by someone else is reported from the API (409), not lost', async ({
  page,
}) => {
  const csrf = await login(page, admin);
  await page.goto(`/console/duplicates/${pair.id}`);
  await expect(page.getByTestId('pair-status')).toHaveText('Terbuka');
  // another reviewer merges the pair while this page is open
  const other = await page.request.post(`/api/v1/duplicates/${pair.id}/merge`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { keep: 'b' },
  });
  expect(other.status(), await other.text()).toBe(200);
  await page.getByRole('button', { name: 'Bukan duplikat' }).click();
  const dialog = page.getByRole('dialog', { name: 'Bukan duplikat' });
  await dialog.getByRole('button', { name: 'Bukan duplikat' }).click();
  await expect(dialog.getByTestId('action-error')).toContainText('Pasangan ini sudah diputuskan');
  await dialog.getByRole('button', { name: 'Batal' }).click();
  // behind the message, the page now shows the pair as it is
  await expect(page.getByTestId('pair-status')).toHaveText('Digabung');
  const undo = await page.request.post(`/api/v1/duplicates/${pair.id}/unmerge`, {
    headers: { 'X-CSRF-Token': csrf },
    data: {},
  });
  expect(undo.status(), await undo.text()).toBe(200);
});

test('a rescan runs in the background and shows what it found', async ({ page }) => {
  await login(page, admin);
  await page.goto('/console/duplicates');
  await page.getByRole('button', { name: 'Pindai ulang' }).click();
  const result = page.getByTestId('scan-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  // each figure is a label and a number
  const figure = async (id: string) =>
    Number(((await page.getByTestId(id).textContent()) ?? '').replace(/\D/g, ''));
  expect(await figure('scan-records')).toBeGreaterThanOrEqual(2);
  expect(await figure('scan-pairs')).toBeGreaterThanOrEqual(1);
  expect(await figure('scan-sure')).toBeGreaterThanOrEqual(1);
  // the pair is still one pair in the queue
  await expect(
    page.getByTestId('duplicate-table').getByRole('row').filter({ hasText: pair.a!.registrationNumber }),
  ).toHaveCount(1);
});

test('keyboard only: open the pair from the queue and leave it for later', async ({ page }) => {
  await login(page, admin);
  await page.goto('/console/duplicates');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Duplikat');
  const ours = page
    .getByTestId('duplicate-table')
    .getByRole('row')
    .filter({ hasText: pair.a!.registrationNumber });
  await tabTo(page, ours.getByRole('link', { name: `Periksa pasangan ${NAME_A} dan ${NAME_B}` }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kemungkinan duplikat');
  await tabTo(page, page.getByRole('button', { name: 'Nanti', exact: true }));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Nanti' });
  const note = dialog.getByLabel('Catatan (tidak wajib)');
  await expect(note).toBeFocused();
  await page.keyboard.type('Tanyakan ke kelurahan dulu.');
  await tabTo(page, dialog.getByRole('button', { name: 'Nanti', exact: true }));
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('pair-status')).toHaveText('Nanti');
  // the queue's "Nanti" filter, chosen with the arrow keys
  await tabTo(page, page.getByRole('link', { name: /Kembali ke antrean duplikat/ }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('radio', { name: 'Terbuka' }));
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: 'Nanti' })).toBeChecked();
  await expect(page).toHaveURL(/status=later/);
  await expect(
    page.getByTestId('duplicate-table').getByRole('row').filter({ hasText: pair.a!.registrationNumber }),
  ).toHaveCount(1);
});

test('in English, on a phone: the evidence reads in English and the pages fit the screen', async ({
  browser,
}) => {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await ctx.addInitScript(() => localStorage.setItem('jkp.lang', 'en'));
  const page = await ctx.newPage();
  const noSideScroll = async () =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await login(page, admin);
  await page.goto('/console/duplicates?status=later');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Duplicates');
  await expect(page.getByTestId('duplicate-list')).toContainText(pair.b!.registrationNumber);
  await noSideScroll();
  await expectNoSeriousA11yViolations(page, 'queue (English, phone)');
  await page
    .getByTestId('duplicate-list')
    .getByRole('listitem')
    .filter({ hasText: pair.a!.registrationNumber })
    .getByRole('link', { name: `Review the pair ${NAME_A} and ${NAME_B}` })
    .tap();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Possible duplicate');
  await expect(page.getByTestId('evidence-nik')).toContainText('NIK one digit apart (position 6)');
  await expect(page.getByTestId('evidence-name')).toContainText('Same name once spelling is normalised');
  await expect(page.getByTestId('evidence-phone')).toHaveText('Same phone');
  await expect(page.getByTestId('evidence-place')).toHaveText('Same RT/RW');
  await expect(page.getByRole('button', { name: 'Merge, keep A' })).toBeVisible();
  await noSideScroll();
  await expectNoSeriousA11yViolations(page, 'pair (English, phone)');
  await ctx.close();
});

test('roles without the review permission see no duplicates entry', async ({ page }) => {
  await login(page, mentor);
  await page.goto('/console');
  await expect(page.getByRole('link', { name: 'Peserta', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Duplikat', exact: true })).toHaveCount(0);
  expect((await page.request.get('/api/v1/duplicates')).status()).toBe(403);
});
