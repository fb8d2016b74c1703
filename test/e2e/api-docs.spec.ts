import { expect, test } from '@playwright/test';

test('the API docs page renders the OpenAPI description in a real browser', async ({ page }) => {
  await page.goto('/api/docs');
  await expect(page.getByText('Jakpreneur Platform API').first()).toBeVisible();
  await expect(page.getByText('/api/v1/participants').first()).toBeVisible();
});

test('the home page has a heading and links to the API docs', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Jakpreneur/);
  await page.getByRole('link', { name: '/api/docs' }).click();
  await expect(page).toHaveURL(/\/api\/docs/);
});

test('health endpoints answer', async ({ request }) => {
  expect((await request.get('/healthz')).ok()).toBeTruthy();
  const ready = await request.get('/readyz');
  expect(ready.ok()).toBeTruthy();
  expect((await ready.json()).engine).toBe('sqlite');
});
