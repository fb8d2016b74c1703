import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { cli, expectNoSeriousA11yViolations, ROOT } from './support.ts';

/**
 * Reviewing duplicates after the decision: a "not a duplicate" is reopened from the pair page; a merge shows on
 * the kept record ("Also registered as ...", the merged record's enrolments, read-only) and on the merged one
 * (merged into ...); the records' histories tell the decisions in sentences that link to the other record and
 * name changed fields by their labels; the data-quality page says how many merged records it left out. Bahasa
 * Indonesia first, then English on a phone. Screenshots go to tmp/shots/review-*.png.
 */

const SHOTS = path.join(ROOT, 'tmp/shots');
const PASSWORD = 'Rahasia-Tinjau-2024!';
const RUN = Date.now();
const admin = `review.admin.${RUN}@example.org`;

const NAME_A = 'Ahmad Fauzan Harahap';
const NAME_B = 'Achmad Fauzan Harahap';
/** Gambir (31.71.01), a man born in March 1988; B has the kecamatan digit mistyped (317101 -> 317102). */
const SERIAL = String((RUN % 8000) + 1000);
/** The day differs per worker, so a retried group (new worker, same database) does not meet its first attempt. */
const DAY = String(10 + (Number(process.env.TEST_WORKER_INDEX ?? 0) % 18));
const NIK_A = `317101${DAY}0388${SERIAL}`;
const NIK_B = `317102${DAY}0388${SERIAL}`;
const PHONE = `0857${String(RUN).slice(-6)}31`;

type Registered = { id: string; registrationNumber: string; reviewFlags: string[] };
const s = {
  pairId: '',
  a: null as unknown as Registered,
  b: null as unknown as Registered,
  villages: [] as string[],
};

async function login(page: Page, email: string) {
  const res = await page.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).csrfToken as string;
}

/** A full-page screenshot from the top (the console's header is fixed: scrolled, it would show mid-page). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `review-${name}.png`), fullPage: true });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  mkdirSync(SHOTS, { recursive: true });
  cli([
    'user',
    'create',
    '--email',
    admin,
    '--name',
    'Rani Peninjau',
    '--role',
    'admin',
    '--password',
    PASSWORD,
  ]);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const csrf = await login(page, admin);
  s.villages = (await (await page.request.get('/api/v1/regions?parent=31.71.01')).json()).items.map(
    (r: { code: string }) => r.code,
  );
  const register = async (nik: string, fullName: string, business: string) => {
    const res = await page.request.post('/api/v1/participants', {
      headers: { 'X-CSRF-Token': csrf },
      data: {
        nik,
        fullName,
        phone: PHONE,
        domicile: { villageCode: s.villages[0], street: 'Jl. Tanah Abang II No. 9', rt: '004', rw: '006' },
        business: { name: business, sector: 'kuliner' },
        consent: { version: 'v1', given: true },
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as Registered;
  };
  s.a = await register(NIK_A, NAME_A, 'Soto Betawi Fauzan');
  s.b = await register(NIK_B, NAME_B, 'Soto Fauzan');
  expect(s.b.reviewFlags).toContain('possible_duplicate');
  // the second registration was enrolled by another agency before anyone noticed
  const en = await page.request.post(`/api/v1/participants/${s.b.id}/enrolments`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { agency: 'DINSOS' },
  });
  expect(en.status(), await en.text()).toBe(201);
  const queue = await (await page.request.get('/api/v1/duplicates?limit=200')).json();
  s.pairId = queue.items.find(
    (i: { a: { registrationNumber: string } }) => i.a.registrationNumber === s.a.registrationNumber,
  ).id;
  expect(s.pairId).toBeTruthy();
  await ctx.close();
});

test('"not a duplicate" is reopened from the pair page; both histories say so with a link', async ({
  page,
}) => {
  await login(page, admin);
  await page.goto(`/console/duplicates/${s.pairId}`);
  await expect(page.getByTestId('pair-status')).toHaveText('Terbuka');
  await page.getByRole('button', { name: 'Bukan duplikat' }).click();
  const nd = page.getByRole('dialog', { name: 'Bukan duplikat' });
  await nd.getByLabel('Catatan (tidak wajib)').fill('Kakak beradik, tanggal lahir sama.');
  await nd.getByRole('button', { name: 'Bukan duplikat' }).click();
  await expect(nd).toBeHidden();
  await expect(page.getByTestId('pair-status')).toHaveText('Bukan duplikat');
  const reopen = page.getByRole('button', { name: 'Buka kembali' });
  await expect(reopen).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'pair decided not a duplicate');
  await shot(page, 'pair-not-duplicate-id');

  await reopen.click();
  const dialog = page.getByRole('dialog', { name: 'Buka kembali' });
  await expect(dialog).toContainText('pasangan ini kembali ke antrean');
  await expectNoSeriousA11yViolations(page, 'reopen dialog');
  await shot(page, 'pair-reopen-dialog-id');
  await dialog.getByLabel('Catatan (tidak wajib)').fill('Akta kelahiran menunjukkan orang yang sama.');
  await dialog.getByRole('button', { name: 'Buka kembali' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('pair-status')).toHaveText('Terbuka');
  await expect(page.getByRole('button', { name: 'Gabungkan, simpan A' })).toBeVisible();

  // record B: flagged again, and its history tells the decision and the reopening, linking to A
  await page.goto(`/console/participants/${s.b.id}`);
  await expect(page.getByTestId('duplicate-notice')).toBeVisible();
  const history = page.getByTestId('history');
  await expect(history).toContainText(`Diputuskan bukan duplikat dari data ${s.a.registrationNumber}.`);
  await expect(history).toContainText('Catatan: Kakak beradik, tanggal lahir sama.');
  await expect(history).toContainText(
    `Keputusan "bukan duplikat dari data ${s.a.registrationNumber}" dibuka kembali`,
  );
  await expect(history).toContainText('Ditandai lagi sebagai kemungkinan duplikat.');
  await expect(history.getByRole('link', { name: s.a.registrationNumber }).first()).toHaveAttribute(
    'href',
    `/console/participants/${s.a.id}`,
  );
  await expectNoSeriousA11yViolations(page, 'record history with duplicate decisions');
});

test('after a merge the kept record shows the merged one, read-only, and the histories read as sentences', async ({
  page,
}) => {
  const csrf = await login(page, admin);
  await page.goto(`/console/duplicates/${s.pairId}`);
  await page.getByRole('button', { name: 'Gabungkan, simpan A' }).click();
  const dialog = page.getByRole('dialog', { name: 'Gabungkan, simpan A' });
  await dialog.getByRole('button', { name: 'Gabungkan, simpan A' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('pair-status')).toHaveText('Digabung');
  // a merge is undone from the same page
  await expect(page.getByRole('button', { name: 'Batalkan penggabungan' })).toBeVisible();
  await shot(page, 'pair-merged-id');

  // an officer's change to A, to show the field labels in the history
  const got = await page.request.get(`/api/v1/participants/${s.a.id}`);
  const patch = await page.request.patch(`/api/v1/participants/${s.a.id}`, {
    headers: { 'X-CSRF-Token': csrf, 'If-Match': got.headers().etag },
    data: { domicile: { villageCode: s.villages[1] }, business: { name: 'Soto Betawi Bang Fauzan' } },
  });
  expect(patch.status(), await patch.text()).toBe(200);

  await page.goto(`/console/participants/${s.a.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(NAME_A);
  const merged = page.getByTestId('merged-records');
  await expect(merged).toContainText(`Juga terdaftar sebagai ${s.b.registrationNumber} (digabung pada `);
  await expect(merged.getByRole('link', { name: s.b.registrationNumber })).toHaveAttribute(
    'href',
    `/console/participants/${s.b.id}`,
  );
  await expect(merged).toContainText('Terdaftar di instansi DINSOS pada');
  await expect(merged).toContainText('P1 Pendaftaran: terdaftar');
  await expect(page.getByTestId('duplicate-notice')).toHaveCount(0);
  const history = page.getByTestId('history');
  await expect(history).toContainText(
    `Data ${s.b.registrationNumber} digabung ke data ini sebagai duplikat.`,
  );
  await expect(history).toContainText('Kelurahan:');
  await expect(history).toContainText('Nama usaha: Soto Betawi Fauzan → Soto Betawi Bang Fauzan');
  await expect(history).not.toContainText('domicile.villageCode');
  await expect(history).not.toContainText('{"pair"');
  await expectNoSeriousA11yViolations(page, 'kept record');
  await shot(page, 'record-kept-id');

  await merged.getByRole('link', { name: s.b.registrationNumber }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(NAME_B);
  const into = page.getByTestId('merged-into');
  await expect(into).toContainText(`Data ini digabung ke data ${s.a.registrationNumber} sebagai duplikat`);
  await expect(page.getByTestId('history')).toContainText(
    `Digabung ke data ${s.a.registrationNumber} sebagai duplikat`,
  );
  await expect(page.getByTestId('history')).toContainText('Tanda "kemungkinan duplikat" dilepas.');
  await expectNoSeriousA11yViolations(page, 'merged record');
  await shot(page, 'record-merged-id');
});

test('the data-quality page says how many merged records it left out', async ({ page }) => {
  await login(page, admin);
  await page.goto('/console/quality');
  await expect(page.getByTestId('quality-merged-excluded')).toHaveText(
    /^\d+ data yang digabung sebagai duplikat tidak ikut diperiksa\.$/,
  );
  await expectNoSeriousA11yViolations(page, 'quality page');
  await shot(page, 'quality-id');
});

test('in English, on a phone: the kept record, the pair and the quality page fit the screen', async ({
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
  await page.goto(`/console/participants/${s.a.id}`);
  await expect(page.getByTestId('merged-records')).toContainText(
    `Also registered as ${s.b.registrationNumber} (merged on `,
  );
  await expect(page.getByTestId('merged-records')).toContainText('Enrolled by DINSOS on');
  const history = page.getByTestId('history');
  await expect(history).toContainText(
    `Record ${s.b.registrationNumber} was merged into this record as a duplicate.`,
  );
  await expect(history).toContainText('Village (kelurahan):');
  await expect(history).toContainText('Business name: Soto Betawi Fauzan → Soto Betawi Bang Fauzan');
  await noSideScroll();
  await expectNoSeriousA11yViolations(page, 'kept record (English, phone)');
  await shot(page, 'record-kept-en-phone');

  await page.goto(`/console/participants/${s.b.id}`);
  await expect(page.getByTestId('merged-into')).toContainText(
    `This record was merged into record ${s.a.registrationNumber} as a duplicate`,
  );
  await expect(page.getByTestId('history')).toContainText(
    `Decided not a duplicate of record ${s.a.registrationNumber}.`,
  );
  await noSideScroll();
  await shot(page, 'record-merged-en-phone');

  await page.goto(`/console/duplicates/${s.pairId}`);
  await expect(page.getByTestId('pair-status')).toHaveText('Merged');
  await expect(page.getByRole('button', { name: 'Undo merge' })).toBeVisible();
  await noSideScroll();
  await shot(page, 'pair-merged-en-phone');

  await page.goto('/console/quality');
  await expect(page.getByTestId('quality-merged-excluded')).toHaveText(
    /^\d+ records? merged as (a duplicate is|duplicates are) left out of every check\.$/,
  );
  await noSideScroll();
  await expectNoSeriousA11yViolations(page, 'quality (English, phone)');
  await shot(page, 'quality-en-phone');
  await ctx.close();
});

test('in English on a desktop: reopening a "not a duplicate" decision', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript(() => localStorage.setItem('jkp.lang', 'en'));
  const page = await ctx.newPage();
  const csrf = await login(page, admin);
  // undo the merge, then decide "not a duplicate" again
  for (const [url, data] of [
    [`/api/v1/duplicates/${s.pairId}/unmerge`, {}],
    [`/api/v1/duplicates/${s.pairId}/decision`, { decision: 'not_duplicate' }],
  ] as const) {
    const res = await page.request.post(url, { headers: { 'X-CSRF-Token': csrf }, data });
    expect(res.status(), await res.text()).toBe(200);
  }
  await page.goto(`/console/duplicates/${s.pairId}`);
  await expect(page.getByTestId('pair-status')).toHaveText('Not a duplicate');
  await expect(page.getByText('If this decision was wrong, reopen the pair')).toBeVisible();
  await page.getByRole('button', { name: 'Reopen' }).click();
  await expect(page.getByRole('dialog', { name: 'Reopen' })).toContainText('the pair goes back to the queue');
  await expectNoSeriousA11yViolations(page, 'reopen dialog (English)');
  await shot(page, 'pair-reopen-dialog-en');
  await page.getByRole('dialog', { name: 'Reopen' }).getByRole('button', { name: 'Reopen' }).click();
  await expect(page.getByTestId('pair-status')).toHaveText('Open');
  await ctx.close();
});
