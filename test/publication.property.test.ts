// Property: whatever personal data the reporter gives and the texts carry — names, phones in any
// writing, 身份证 numbers, e-mails, the reporter's address — none of it appears on /public or in
// the feed after publication, whether the summary is the default draft or written by the bureau.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

const SURNAMES = ['欧阳', '诸葛', '司马', '皇甫', '尉迟', '公孙', '慕容', '令狐'];
const GIVEN = ['翠花', '铁柱', '春妮', '秋菊', '大壮', '宝钗', '黛玉', '冬梅', '鹏飞', '晓燕'];
const ESTATES = ['锦绣华庭', '金桂名苑', '翡翠湾', '紫荆花园', '碧水云天'];

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const mobile = fc.tuple(fc.constantFrom('13', '15', '17', '18', '19'), digits(9)).map(([a, b]) => a + b);
const idNumber = fc.tuple(digits(17), fc.constantFrom('X', 'x', '0', '7')).map(([a, b]) => a + b);
const email = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._]{2,10}$/), fc.constantFrom('qq.com', 'example.cn', '163.com')).map(([u, d]) => `${u}@${d}`);
const person = fc.record({
  name: fc.tuple(fc.constantFrom(...SURNAMES), fc.constantFrom(...GIVEN)).map(([s, g]) => s + g),
  phone: mobile, id: idNumber, email,
  address: fc.tuple(fc.constantFrom(...ESTATES), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 101, max: 2604 }))
    .map(([e, b, u, r]) => `梅湾街道${e}${b}栋${u}单元${r}室`),
});

/** How a phone may be written: as is, in groups, with +86, in full-width digits. */
const writings = (phone: string) => [
  phone, `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
  `+86${phone}`, [...phone].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join(''),
];

type Person = { name: string; phone: string; id: string; email: string; address: string };

/** A text that carries the person's data in one of several ways, among ordinary words. */
const carrying = (p: Person) => fc.tuple(
  fc.constantFrom(...writings(p.phone)), fc.constantFrom('已整改', '已归还财物并赔礼道歉', '涉事人员已停职检查', ''),
  fc.shuffledSubarray(['name', 'phone', 'id', 'email', 'address'], { minLength: 1 }),
).map(([phone, words, parts]) => parts.map((k) => ({
  name: `${p.name}反映`, phone: `电话${phone}`, id: `身份证号${p.id}`, email: `邮箱${p.email}`, address: `住${p.address}`,
})[k as keyof Person]).join('，') + `，${words}。`);

describe.each(await dialects())('publication never shows personal data on %s', (dialect) => {
  let t: TestApp;
  let bureau: string;
  let urban: string;
  let n = 0;
  beforeAll(async () => {
    t = await testApp(dialect);
    bureau = await t.token('bureau');
    urban = await t.token('agency', { agency: 'urban' });
  });
  afterAll(async () => { await t.close(); });

  it('finds none of it on the page or in the feed', async () => {
    await fc.assert(fc.asyncProperty(
      person.chain((p) => fc.record({ p: fc.constant(p), feedback: carrying(p), written: fc.option(carrying(p), { nil: undefined }) })),
      async ({ p, feedback, written }) => {
        n++;
        const { leadId } = await (await t.deliver('hotline', {
          orderNo: `GD-PROP-${n}-${Math.random().toString(36).slice(2)}`, createdAt: '2026-03-02T09:00:00+08:00',
          caller: { name: p.name, phone: p.phone }, address: p.address,
          title: `第${n}号：城管执法问题`, content: `来电人${p.name}（${p.phone}）反映：城管执法人员在${p.address}附近执法不规范，编号${n}。`,
        })).json();
        const post = async (action: string, body: unknown, token: string) => {
          const res = await t.post(`/api/leads/${leadId}/${action}`, body, token);
          expect(res.status, `${action}: ${await res.clone().text()}`).toBe(200);
        };
        await post('assign', { agency: 'urban' }, bureau);
        await post('acknowledge', {}, urban);
        await post('feedback', { summary: feedback, measures: feedback }, urban);
        await post('review', { decision: 'approve', comment: '通过' }, bureau);
        await post('publish', written === undefined ? {} : { summary: written }, bureau);
        const page = await (await t.app.request('/public')).text();
        const feed = await (await t.app.request('/public/feed.xml')).text();
        expect(page).toContain(`id="${leadId}"`);
        for (const shown of [page, feed]) {
          for (const secret of [p.name, ...writings(p.phone), p.id, p.id.toUpperCase(), p.email, p.address, p.address.slice(4)]) {
            expect(shown, secret).not.toContain(secret);
          }
          // no run of 11 digits at all, however written
          expect(shown.replace(/[\s\-+]/g, '')).not.toMatch(/\d{11}/);
        }
        // withdrawn again, so that the next run's page holds only its own lead (and a counterexample is its own)
        await post('unpublish', {}, bureau);
      },
    ), { numRuns: 20 });
  }, 240_000);
});
