// End to end, in Chromium against the whole platform with a Prometheus scraping every process
// each second: an admin opens the operator page from the nav and sees live, non-zero numbers
// (connected MQTT clients, containers journaled per second) and the alert list — a stopped process
// shows up there as a firing ProcessDown; a homeowner has
// no operator link and is turned away at /operator. Screenshots go to test-artifacts/web-e2e.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../../lib/log.js';
import { loadAuthConfig } from '../../services/auth/config.js';
import { createDb } from '../../services/auth/data/db.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../../services/auth/demo-account.js';
import { createPasswordHasher } from '../../services/auth/domain/passwords.js';
import { createAdmin } from '../../services/auth/operator-tasks.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';
import { accessibilityViolations } from './accessibility.js';
import { CHROMIUM_PATH, DESKTOP, launchChromium, pageWidth, PHONE, screenshot } from './browser.js';

const ready = existsSync(CHROMIUM_PATH) && existsSync(new URL('../../web/dist/index.html', import.meta.url));
const ADMIN_EMAIL = 'operator@example.org';
const ADMIN_PASSWORD = 'an operator e2e passphrase';
let platform: TestPlatform;
let browser: Browser;

beforeAll(async () => {
  if (!ready) return;
  platform = await startTestPlatform({ influxUrl: inject('influxUrl'), postgresUrl: inject('postgresUrl'), prometheus: { scrapeIntervalMs: 1_000, alertForMs: 1_000 } });
  const db = createDb(platform.databaseUrl, silentLogger(), { max: 1 });
  try {
    await createAdmin(db, createPasswordHasher(loadAuthConfig({ EM_AUTH_DATABASE_URL: platform.databaseUrl }).argon2), ADMIN_EMAIL, ADMIN_PASSWORD);
  } finally {
    await db.close();
  }
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
}, 60_000);

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(platform.webUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** The latest value a chart shows (its data-value), once it has one. */
async function latest(page: Page, chartId: string): Promise<number> {
  const text = await page.locator(`[data-chart="${chartId}"] .operator-value`).first().getAttribute('data-value', { timeout: 1_000 }).catch(() => null);
  return text === null || text === '' ? Number.NaN : Number(text);
}

async function waitForValue(page: Page, chartId: string, accept: (value: number) => boolean, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await latest(page, chartId);
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${chartId} still shows ${value} after ${timeoutMs} ms`);
    await page.waitForTimeout(1_000);
  }
}

describe.skipIf(!ready)('operator page, end to end', () => {
  it('when a homeowner logs in, then there is no operator link and /operator turns them away', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await logIn(page, DEMO_EMAIL, DEMO_PASSWORD);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Now' }).waitFor({ timeout: 30_000 });
    expect(await nav.getByRole('link', { name: 'Operator' }).count()).toBe(0);
    await page.goto(`${platform.webUrl}/operator`);
    await page.getByText('The operator page is for administrators.').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('heading', { name: 'Operations' }).count()).toBe(0);
    await context.close();
  });

  it('when an admin opens the operator page, then it shows live numbers and the alert list, on a phone and a desktop', async () => {
    // bypassCSP only lets axe-core be injected; the app is unchanged.
    const context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    // A new admin has no household yet; once they have one, the operator link is in the nav.
    await page.getByRole('heading', { name: 'Set up your household' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Household name').fill('Ops home');
    await page.getByRole('button', { name: 'Create household' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operator' }).click();
    await page.getByRole('heading', { name: 'Operations' }).waitFor({ timeout: 30_000 });

    // Prometheus scrapes every second; the page refreshes every 15 s by itself.
    const startedAt = Date.now();
    const agents = await waitForValue(page, 'connected-agents', (v) => v >= 1, 120_000);
    const ingest = await waitForValue(page, 'ingest-rate', (v) => v > 0, 120_000);
    console.log(`[e2e] operator page: ${agents} connected MQTT clients, ${ingest} containers/s, ${Date.now() - startedAt} ms after opening`);
    expect(agents).toBeGreaterThanOrEqual(1);
    expect(ingest).toBeGreaterThan(0);

    const alerts = page.getByRole('region', { name: /Alerts/ });
    await alerts.waitFor();
    expect(await alerts.getByText(/firing/).count()).toBeGreaterThan(0); // the "n firing" badge
    const processes = page.getByRole('region', { name: 'Processes' });
    for (const job of ['auth', 'broker', 'read', 'web', 'write']) await processes.getByText(job, { exact: true }).waitFor({ timeout: 30_000 });
    await page.locator('.operator-chart canvas').first().waitFor();
    await screenshot(page, 'phone-operator');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await accessibilityViolations(page)).toEqual([]);

    // A process goes away: ProcessDown fires and the page lists it at its next refresh.
    await platform.stopService('fleet');
    const processDown = alerts.getByRole('listitem').filter({ hasText: 'ProcessDown' }).filter({ hasText: 'fleet' });
    await processDown.getByText('firing', { exact: true }).waitFor({ timeout: 90_000 });
    expect(await processDown.locator('.operator-alert-summary').textContent()).not.toBe('');
    await processes.getByText('1 down', { exact: true }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'phone-operator-alert');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: '6 hours' }).click();
    await expect.poll(() => page.getByRole('button', { name: '6 hours' }).getAttribute('aria-pressed')).toBe('true');
    await page.setViewportSize(DESKTOP);
    await page.locator('.operator-chart canvas').first().waitFor();
    await screenshot(page, 'desktop-operator');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
