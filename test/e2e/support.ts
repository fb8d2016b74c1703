import { execFileSync } from 'node:child_process';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Helpers shared by the browser tests (the server is the one playwright.config.ts starts). */

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** `jakpreneur ARGS` on the browser tests' database (users and records to start from). */
export function cli(args: string[]): string {
  return execFileSync(process.execPath, ['bin/jakpreneur.js', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: process.env.E2E_DATA_DIR ?? 'tmp/e2e',
      LOG_LEVEL: 'warn',
      JAKPRENEUR_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    },
  }).toString();
}

/**
 * axe (WCAG 2.1 A and AA) finds nothing serious or critical; nothing hovered and no transition running, so it
 * judges the resting colours (a dialog caught while fading in has its button text at part opacity: axe reported
 * that as a contrast failure in CI).
 */
export async function expectNoSeriousA11yViolations(page: Page, what: string): Promise<void> {
  await page.mouse.move(0, 0);
  await settled(page);
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `${what}: serious or critical axe violations`).toEqual([]);
}

/**
 * Two frames (Mantine starts a transition one frame after it mounts the element), then every finite animation
 * and CSS transition finished; endless ones (loaders) are left running.
 */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every(
        (a) =>
          a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Number.POSITIVE_INFINITY,
      ),
  );
}
