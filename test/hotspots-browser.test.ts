// The dashboard's 热点提示 panel in real headless Chromium: the bureau signs in and sees the burst
// with its leads and 开设专项整治, which opens the prefilled campaign form; submitted, it opens the
// campaign, whose page lists the burst after the next sweep. Every page: no console
// errors, no serious axe violations, no sideways scrolling at 390 px; screenshots at phone and
// desktop size in test/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { testApp, type TestApp } from './helpers/app.ts';
import { browserMissing, checkPage, launchBrowser, serveOn, watchConsole } from './helpers/browser.ts';
import { dialects } from './helpers/dialects.ts';
import { seedHotspots } from './hotspots-dataset.ts';
import { sweepAndDeliver } from '../src/jobs/index.ts';

const SLOW = 120_000;
const missing = browserMissing();
if (missing) console.warn(`SKIPPED browser tests: ${missing}`);

describe.skipIf(missing !== null).each(await dialects())('the 热点提示 panel in Chromium on %s', (dialect) => {
  let t: TestApp;
  let server: { base: string; close(): Promise<void> };
  let browser: Browser;
  let page: Page;
  let console_: ReturnType<typeof watchConsole>;

  beforeAll(async () => {
    t = await testApp(dialect);
    await seedHotspots(t);
    server = await serveOn(t.app.fetch);
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    console_ = watchConsole(page);
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  }, SLOW);

  it('shows the hotspot on the dashboard and opens the prefilled campaign form', async () => {
    await page.goto(`${server.base}/`);
    await page.getByLabel('访问令牌').fill(await t.token('bureau'));
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForLoadState();
    const panel = page.getByRole('region', { name: '热点提示' });
    await expect.poll(() => panel.getByRole('heading', { name: '乡镇街道：凤凰街道' }).count()).toBe(1);
    expect(await panel.getByRole('listitem').count()).toBe(6);
    await checkPage(page, `${dialect}-hotspots-dashboard`);
    await panel.getByRole('link', { name: '开设专项整治' }).click();
    await page.waitForLoadState();
    expect(await page.getByLabel('名称').inputValue()).toBe('凤凰街道问题线索专项整治');
    expect(await page.getByLabel('开始日期').inputValue()).toBe('2026-06-04');
    await checkPage(page, `${dialect}-hotspots-campaign-form`);
    await page.getByRole('button', { name: '开设' }).click();
    await page.waitForLoadState();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('专项整治已开设');
    // The next sweep tags the burst; the page then lists the six leads.
    await sweepAndDeliver(t.deps, t.clock.now());
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: '归集的线索（6 条）' }).count()).toBe(1);
    await checkPage(page, `${dialect}-hotspots-campaign`);
    expect(console_.errors).toEqual([]);
  }, SLOW);
});
