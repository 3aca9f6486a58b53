// The pages end to end in a real headless Chromium: a signed webhook → the bureau signs in and
// 交办s with the button → the agency follows the mail's link, signs in, 签收s and submits 整改反馈
// → the bureau 审核 通过 → closed, every step on the timeline. A supervisor submits through
// /submit and finds the lead in 我的线索; an agency opening another agency's lead gets 404.
// Every page: no console errors, no serious axe violations, no sideways scrolling on a phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { samples as hotline } from '../webhooks/hotline.ts';
import { deliverOutbox } from '../src/app/deliverOutbox.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { browserMissing, checkPage, launchBrowser, serveOn, watchConsole } from './helpers/browser.ts';
import { dialects } from './helpers/dialects.ts';
import { freePort } from './helpers/server.ts';
import { SECRETS, signedHeaders } from './helpers/sign.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtpSink.ts';
import { checkedFetch as fetch } from './helpers/openapi.ts'; // every /api and /webhooks answer checked against the document

/** A real browser on a shared 2-core machine: each step may take a while; nothing here is timed. */
const SLOW = 120_000;

const missing = browserMissing();
if (missing) console.warn(`SKIPPED browser tests: ${missing}`);

describe.skipIf(missing !== null).each(await dialects())('the web pages in Chromium on %s', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  let server: { base: string; close(): Promise<void> };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const consoles: ReturnType<typeof watchConsole>[] = [];
  let leadId: string;
  let bureau: Page;
  let agency: Page;
  let agencyToken: string;
  const shot = (name: string) => `${dialect}-${name}`;

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    const page = await context.newPage();
    consoles.push(watchConsole(page));
    return page;
  }

  async function signIn(page: Page, token: string) {
    await expect.poll(() => page.url()).toContain('/login');
    await page.getByLabel('访问令牌').fill(token);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForLoadState();
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    const port = await freePort();
    t = await testApp(dialect, {
      env: { SMTP_URL: sink.url, XIANSUO_PUBLIC_URL: `http://127.0.0.1:${port}` },
      now: '2026-03-02T02:00:00.000Z',
    });
    server = await serveOn(t.app.fetch, port);
    browser = await launchBrowser();
    agencyToken = await t.token('agency', { agency: 'urban' });
  }, SLOW);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await t?.close();
    await sink?.stop();
  }, SLOW);

  it('takes a signed webhook over HTTP', async () => {
    const body = JSON.stringify(hotline.valid);
    const res = await fetch(`${server.base}/webhooks/hotline`, {
      method: 'POST', body, headers: signedHeaders(SECRETS.hotline, 'msg_pages_1', t.clock.now(), body),
    });
    expect(res.status).toBe(202);
    leadId = (await res.json()).leadId;
  }, SLOW);

  it('lets the bureau sign in, find the new lead from the dashboard and 交办 it with the button', async () => {
    bureau = await newPage();
    await bureau.goto(`${server.base}/`);
    await checkPage(bureau, shot('login'));
    await signIn(bureau, await t.token('bureau'));
    await expect.poll(() => bureau.url()).toBe(`${server.base}/`);
    await checkPage(bureau, shot('bureau-home'));
    await bureau.getByRole('link', { name: /待研判/ }).click();
    await expect.poll(() => bureau.url()).toContain('/leads?status=triage');
    await checkPage(bureau, shot('bureau-queue'));
    await bureau.getByRole('link', { name: hotline.valid.title }).click();
    await expect.poll(() => bureau.url()).toContain(`/leads/${leadId}`);
    await checkPage(bureau, shot('bureau-lead-triage'));
    // The routing proposal is preselected.
    expect(await bureau.getByLabel(/承办单位/).inputValue()).toBe('urban');
    await bureau.getByRole('button', { name: '交办', exact: true }).click();
    await expect.poll(() => bureau.getByRole('status').textContent()).toContain('已交办');
    await checkPage(bureau, shot('bureau-lead-assigned'));
    const lead = await (await t.get(`/api/leads/${leadId}`)).json();
    expect(lead.status).toBe('assigned');
    expect(lead.assignments[0].agency).toBe('urban');
  }, SLOW);

  it('brings the agency from the mail\'s link through sign-in to the lead; it 签收s and reports 整改反馈', async () => {
    expect((await deliverOutbox(t.deps, t.clock.now())).sent).toBe(1);
    const [mail] = await sink.waitFor(1);
    const link = new RegExp(`http://127\\.0\\.0\\.1:\\d+/leads/${leadId}`).exec(mail!.parsed.text ?? '')?.[0];
    expect(link).toBeDefined();
    agency = await newPage();
    await agency.goto(link!);
    await signIn(agency, agencyToken);
    await expect.poll(() => agency.url()).toBe(link);
    await checkPage(agency, shot('agency-lead-assigned'));
    await agency.getByRole('button', { name: '签收' }).click();
    await expect.poll(() => agency.getByRole('status').textContent()).toContain('已签收');
    await checkPage(agency, shot('agency-lead-rectifying'));
    // A bad evidence link is refused beside the form, with what was typed kept.
    await agency.getByLabel('整改情况摘要').fill('已归还三轮车并向当事人道歉');
    await agency.getByLabel('整改措施').fill('对涉事执法人员批评教育，开展文明执法培训，规范暂扣物品清单。');
    await agency.getByLabel(/证据链接/).fill('not-a-link');
    consoles[1]!.expectStatus(422);
    await agency.getByRole('button', { name: '提交整改反馈' }).click();
    await expect.poll(() => agency.getByRole('alert').textContent()).toContain('证据链接');
    expect(await agency.getByLabel('整改情况摘要').inputValue()).toBe('已归还三轮车并向当事人道歉');
    await checkPage(agency, shot('agency-feedback-error'));
    await agency.getByLabel(/证据链接/).fill('https://example.gov.cn/evidence/1.jpg');
    await agency.getByRole('button', { name: '提交整改反馈' }).click();
    await expect.poll(() => agency.getByRole('status').textContent()).toContain('整改反馈已提交');
    await agency.goto(`${server.base}/`);
    await agency.getByRole('link', { name: hotline.valid.title }).waitFor({ state: 'visible' });
    await checkPage(agency, shot('agency-home'));
  }, SLOW);

  it('lets the bureau 审核 通过: the lead closes and the timeline shows every step', async () => {
    await bureau.goto(`${server.base}/`);
    await bureau.getByRole('link', { name: /待审核/ }).click();
    await bureau.getByRole('link', { name: hotline.valid.title }).click();
    await bureau.getByText('已归还三轮车并向当事人道歉', { exact: true }).waitFor({ state: 'visible' });
    await checkPage(bureau, shot('bureau-lead-feedback'));
    await bureau.getByLabel(/审核意见/).fill('整改到位');
    await bureau.getByRole('button', { name: '通过' }).click();
    await expect.poll(() => bureau.getByRole('status').textContent()).toContain('审核通过，线索已办结');
    const timeline = bureau.getByRole('region', { name: '全过程记录' });
    for (const step of ['收到来件', '交办', '签收', '整改反馈', '审核通过']) await expect.poll(() => timeline.textContent()).toContain(step);
    await expect.poll(() => bureau.locator('.badge').first().textContent()).toBe('已办结');
    await checkPage(bureau, shot('bureau-lead-closed'));
    expect((await (await t.get(`/api/leads/${leadId}`)).json()).status).toBe('closed');
  }, SLOW);

  it('takes a supervisor\'s lead through /submit and shows it in 我的线索', async () => {
    const supervisor = await newPage();
    await supervisor.goto(`${server.base}/submit`);
    await signIn(supervisor, await t.token('supervisor', { supervisorId: 'S07' }));
    await expect.poll(() => supervisor.url()).toBe(`${server.base}/submit`);
    await checkPage(supervisor, shot('supervisor-submit'));
    await supervisor.getByRole('button', { name: '提交线索' }).click(); // empty: the browser asks for 问题描述
    expect(supervisor.url()).toBe(`${server.base}/submit`);
    await supervisor.getByLabel('问题描述').fill('伊塘镇一家小餐馆一个月内被市场监管部门检查五次，每次都是不同科室，老板反映严重影响经营，属于涉企检查过多。');
    await supervisor.getByLabel('地点').fill('伊塘镇老街');
    await supervisor.getByLabel('乡镇（街道）').selectOption('伊塘镇');
    await supervisor.getByLabel('被反映单位').fill('区市场监督管理局');
    await supervisor.getByRole('button', { name: '提交线索' }).click();
    await expect.poll(() => supervisor.getByRole('status').textContent()).toContain('线索编号');
    const number = (await supervisor.locator('.leadno').first().textContent())!.trim();
    expect(number).toMatch(/^XS-2026-\d{6}$/);
    await checkPage(supervisor, shot('supervisor-submitted'));
    await supervisor.getByRole('link', { name: '我的线索' }).click();
    await supervisor.getByText(number).waitFor({ state: 'visible' });
    await checkPage(supervisor, shot('supervisor-mine'));
    const lead = await (await t.get(`/api/leads/${number}`)).json();
    expect(lead.channels).toEqual(['supervisor']);
    expect(lead.township).toBe('伊塘镇');

    // The agency (urban) opens this lead, which is not its own, by address.
    consoles[1]!.expectStatus(404);
    const res = await agency.goto(`${server.base}/leads/${number}`);
    expect(res!.status()).toBe(404);
    await agency.getByRole('heading', { name: '未找到' }).waitFor({ state: 'visible' });
    await checkPage(agency, shot('agency-404'));
  }, SLOW);

  it('shows the bureau 统计 with its charts and tables, and the annual report page', async () => {
    await bureau.getByRole('link', { name: '统计', exact: true }).click();
    await bureau.getByRole('heading', { name: '承办单位时效' }).waitFor({ state: 'visible' });
    expect(await bureau.locator('figure.chart svg').count()).toBe(7);
    await checkPage(bureau, shot('bureau-stats'));
    await bureau.getByRole('link', { name: '签收及时率' }).click();
    await bureau.getByText('签收及时率 ↓').waitFor({ state: 'visible' });
    await bureau.getByRole('link', { name: /^查看\d{4}年度统计年报$/ }).click();
    await bureau.getByRole('heading', { name: /年度行政执法问题线索办理情况统计年报/ }).waitFor({ state: 'visible' });
    await checkPage(bureau, shot('bureau-annual-report'));
  }, SLOW);

  it('had no console errors on any page', () => {
    for (const c of consoles) expect(c.errors).toEqual([]);
  }, SLOW);
});
