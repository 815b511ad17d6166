// End to end, in Chromium against the whole platform with the alerts service behind the web server:
// the demo homeowner (whose simulated agent publishes readings) adds a "power above" rule with a
// tiny threshold on the Alerts page, sees it fire from those readings (with the count on the nav
// item), switches the rule off and sees the alert resolved. Accessibility (axe) and phone width are
// checked on the page with a firing alert. Screenshots go to test-artifacts/web-e2e.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../../services/auth/demo-account.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';
import { accessibilityViolations } from './accessibility.js';
import { CHROMIUM_PATH, DESKTOP, launchChromium, pageWidth, PHONE, screenshot } from './browser.js';

const ready = existsSync(CHROMIUM_PATH) && existsSync(new URL('../../web/dist/index.html', import.meta.url));
let platform: TestPlatform;
let browser: Browser;

beforeAll(async () => {
  if (!ready) return;
  platform = await startTestPlatform({ influxUrl: inject('influxUrl'), postgresUrl: inject('postgresUrl'), alerts: true });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
}, 60_000);

describe.skipIf(!ready)('homeowner alerts, end to end', () => {
  it('when a homeowner adds a low "power above" rule, then it fires from the agent\'s readings, and resolves when switched off', async () => {
    const context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    await page.goto(platform.webUrl);
    await page.getByLabel('Email').fill(DEMO_EMAIL);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Alerts' }).click();
    await page.getByText('Nothing is wrong right now.').waitFor({ timeout: 30_000 });
    await page.getByText('No rules yet.', { exact: false }).waitFor();

    // 1 W for 3 s of the household's total: any running agent crosses it.
    const form = page.getByRole('form', { name: 'Add a rule' });
    await form.getByLabel('Name').fill('Anything on');
    await form.getByLabel('Device').selectOption({ label: 'Household total' });
    await form.getByLabel('Above (W)').fill('1');
    await form.getByLabel('For (minutes)').fill('0.05');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.getByText('Rule added.').waitFor({ timeout: 15_000 });
    const rules = page.getByRole('list', { name: 'Alert rules' });
    expect(await rules.textContent()).toContain('Above 1 W for 0.05 minutes, household total');

    // The list re-reads every 30 s: the alert shows without a reload.
    const addedAt = Date.now();
    const firing = page.getByRole('list', { name: 'Firing alerts' });
    await firing.getByText('Anything on').waitFor({ timeout: 120_000 });
    console.log(`[e2e] alert shown as firing ${Date.now() - addedAt} ms after the rule was added (page refreshes every 30 s)`);
    expect(await firing.textContent()).toMatch(/whole household.*Power \d+(\.\d+)? k?W \(threshold 1 W\).*Since/s);
    await nav.getByTestId('firing-count').waitFor({ timeout: 45_000 });
    expect(await nav.getByRole('link', { name: /Alerts/ }).textContent()).toContain('1 firing');
    await screenshot(page, 'phone-alerts-firing');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Switched off (a PUT): its open alert resolves and moves down.
    await page.getByRole('checkbox', { name: 'Enabled: Anything on' }).uncheck();
    await page.getByRole('list', { name: 'Resolved alerts' }).getByText('Anything on').waitFor({ timeout: 30_000 });
    await page.getByText('Nothing is wrong right now.').waitFor({ timeout: 30_000 });

    await page.setViewportSize(DESKTOP);
    await screenshot(page, 'desktop-alerts');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
