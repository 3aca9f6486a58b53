// Real headless Chromium (Debian's /usr/bin/chromium through playwright-core) against the app
// served by a real Node HTTP server on 127.0.0.1; each page checked with axe-core, for console
// errors and for sideways scrolling on a phone, and photographed at phone and desktop size.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = resolve(import.meta.dirname, '..', 'screenshots');

/** Why browser tests cannot run here, or null when they can. */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} not found (CI installs it: apt-get install chromium chromium-l10n fonts-noto-cjk)`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Chromium on Linux takes its interface locale (which formats date fields: 2026/06/04) from
    // LANGUAGE, given Debian's chromium-l10n; the context's locale option alone does not change it.
    env: { ...process.env, LANGUAGE: 'zh_CN' },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Serves a fetch handler on 127.0.0.1 (a given port, or a free one). */
export async function serveOn(fetch: (req: Request) => Response | Promise<Response>, port = 0): Promise<{ base: string; close(): Promise<void> }> {
  const server = serve({ fetch, port, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const address = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

/** Collects console errors and failed requests of a page, except the ones expected. */
export function watchConsole(page: Page): { errors: string[]; expectStatus(status: number): void } {
  const errors: string[] = [];
  let allowed: number | undefined;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every 4xx page it loads; the one the test asks for (a 404, a refused form) is not an error.
    if (allowed && m.text().includes(`status of ${allowed} `)) { allowed = undefined; return; }
    errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { errors, expectStatus: (status) => { allowed = status; } };
}

/**
 * Checks the page as it is now: no serious or critical axe violations, no sideways scrolling at
 * 390 px; and saves screenshots at 390×844 and 1366×900.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name}: sideways scrolling at 390 px`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays in force.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } })
      .axe.run({ resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${name}: accessibility`).toEqual([]);
}
