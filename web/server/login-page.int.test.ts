// The login page and an unknown address in Chromium (playwright-core, Debian's /usr/bin/chromium),
// served by the web server from a fresh build of web/ (into a temp folder: web/dist may be in use)
// with a stand-in auth service that knows no session. Layout only a browser has: tap target sizes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebServer } from './app.js';
import { loadWebConfig } from './config.js';
import { listenLocal } from '../../test/support/listen-local.js';

const PHONE = { width: 360, height: 780 } as const;
/** WCAG 2.2 SC 2.5.8 Target Size (Minimum): 24 × 24 CSS px. */
const MIN_TARGET_PX = 24;

let auth: FastifyInstance;
let web: FastifyInstance;
let browser: Browser;
let base: string;
let dist: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'em-web-build-'));
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true, sourcemap: false } });
  auth = Fastify();
  auth.post('/v1/auth/refresh', (_request, reply) => reply.status(401).send({ error: 'invalid-refresh-token', message: 'no session' }));
  const authUrl = await listenLocal(auth);
  web = await buildWebServer(loadWebConfig({ EM_WEB_PORT: '0', EM_WEB_AUTH_URL: authUrl, EM_WEB_READ_URL: authUrl, EM_WEB_DIST_DIR: dist }));
  base = await listenLocal(web);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await auth?.close();
  if (dist !== undefined) rmSync(dist, { recursive: true, force: true });
});

describe('login page in Chromium', () => {
  it('when shown on a phone, then every button, link and input is at least 24 × 24 px (WCAG 2.5.8), the demo link included', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    try {
      await page.goto(base);
      await page.getByRole('button', { name: 'Use the demo account' }).waitFor();
      const targets: { name: string; width: number; height: number }[] = [];
      for (const target of await page.locator('button, a[href], input, select').all()) {
        const box = await target.boundingBox();
        const name = ((await target.textContent()) ?? '').trim() || ((await target.getAttribute('type')) ?? 'input');
        targets.push({ name, width: Math.round(box?.width ?? 0), height: Math.round(box?.height ?? 0) });
      }
      expect(targets.length).toBeGreaterThanOrEqual(6);
      expect(targets.filter((t) => t.width < MIN_TARGET_PX || t.height < MIN_TARGET_PX)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('when the page loads, then Chromium recognises every feature our Permissions-Policy names (no console complaint)', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    const complaints: string[] = [];
    page.on('console', (message) => {
      if (/permissions.policy|unrecognized feature/i.test(message.text())) complaints.push(message.text());
    });
    try {
      const response = await page.goto(base);
      expect(response?.headers()['permissions-policy']).toContain('camera=()');
      await page.getByRole('button', { name: 'Use the demo account' }).waitFor();
      expect(complaints).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
