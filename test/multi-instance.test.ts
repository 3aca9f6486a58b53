// Several instances on one PostgreSQL database (issue: "two service processes sweeping and
// delivering at the same time send every reminder exactly once"): 40 leads assigned to four
// agencies, then two `xiansuo sweep --now <same time> --send` processes started at the same moment
// against the same schema and a real SMTP server, for the overdue day, for the escalation day,
// and once more for the escalation day. Every message arrives once; the database agrees.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { verifyAudit } from '../src/db/stores/audit.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { startSmtpSink, type SmtpSink } from './helpers/smtpSink.ts';

const local = (s: string) => new Date(`${s}+08:00`).toISOString();
const LEADS = 40;
/** Each test starts two node+tsx processes; on a busy 2-core machine that can take a while. */
const TIMEOUT = 90_000;
const AGENCIES = ['urban', 'market', 'transport', 'ecology'];

interface Run { code: number | null; out: string; reminders: number; sent: number }

// The dialect matrix, filtered to PostgreSQL (when it is unreachable the matrix has printed why).
const dialect = (await dialects()).find((d) => d === 'postgres');

describe.skipIf(!dialect)('two instances sweeping one postgres database', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let env: Record<string, string>;

  const keyOf = (m: SmtpSink['messages'][number]) => String(m.parsed.headers.get('x-xiansuo-key'));

  function sweepProcess(now: string): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/xiansuo.js', 'sweep', '--now', now, '--send'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      child.once('error', reject);
      child.once('exit', (code) => {
        const n = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
        resolve({ code, out, reminders: n(/新提醒 (\d+) 条/), sent: n(/投递成功 (\d+)/) });
      });
    });
  }

  /** Two processes, started together, for the same instant. */
  async function twoAtOnce(now: string): Promise<[Run, Run]> {
    const runs = await Promise.all([sweepProcess(now), sweepProcess(now)]);
    for (const r of runs) expect(r.code, r.out).toBe(0);
    return runs;
  }

  /** What the database holds, next to what arrived at the SMTP server. */
  async function ledger() {
    const db = t.database.db;
    const outbox = await db.selectFrom('outbox').select(['key', 'status', 'channel', 'attempts']).execute();
    const reminders = await db.selectFrom('reminders').select(['assignment_id', 'key', 'sent']).execute();
    const sentEvents = await db.selectFrom('events').select('seq').where('action', '=', 'reminder.sent').execute();
    const keys = sink.messages.map(keyOf);
    return { outbox, reminders, sentEvents, keys };
  }

  function expectExactlyOnce(l: Awaited<ReturnType<typeof ledger>>) {
    // Every message arrived at most once …
    expect(new Set(l.keys).size).toBe(l.keys.length);
    // … and every message in the outbox arrived: one mail per outbox row, each sent on the first attempt.
    expect(l.outbox.every((r) => r.status === 'sent' && r.channel === 'mail' && Number(r.attempts) === 1)).toBe(true);
    expect([...l.keys].sort()).toEqual(l.outbox.map((r) => r.key).sort());
    // One reminder row per (assignment, stage), one outbox row and one reminder.sent event per reminder sent.
    expect(new Set(l.reminders.map((r) => `${r.assignment_id} ${r.key}`)).size).toBe(l.reminders.length);
    const mailed = l.reminders.filter((r) => Number(r.sent) === 1);
    expect(l.outbox.filter((r) => r.key.startsWith('reminder:'))).toHaveLength(mailed.length);
    expect(l.sentEvents).toHaveLength(mailed.length);
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await testApp(dialect!, {
      env: { SMTP_URL: sink.url, XIANSUO_AUTO_DISPATCH: 'off', XIANSUO_PUBLIC_URL: 'https://xiansuo.example.gov.cn' },
      now: local('2026-03-02T09:30:00'),
    });
    env = {
      ...process.env as Record<string, string>,
      DATABASE_URL: t.database.url, PGOPTIONS: `-c search_path=${t.database.pgSchema}`,
      SMTP_URL: sink.url, XIANSUO_PUBLIC_URL: 'https://xiansuo.example.gov.cn', XIANSUO_JOBS: 'off',
    };
    delete env.XIANSUO_CLOCK;
    delete env.XIANSUO_CONFIG;
    const bureau = await t.token('bureau');
    // Monday 2 March 2026, 10:00: 40 leads, 10 to each agency. 签收 due Tuesday 3 March 23:59:59.
    t.clock.set(local('2026-03-02T10:00:00'));
    for (let i = 0; i < LEADS; i++) {
      // Distinct problems (different facts, different estates), so de-duplication keeps 40 leads.
      const place = `${['金桂', '银杏', '翠竹', '丹枫', '紫荆'][Math.floor(i / 8)]}${['苑', '小区', '花园', '家园', '新城', '山庄', '华庭', '公寓'][i % 8]}`;
      const what = ['门口有人占道经营摆摊', '旁边工地夜间施工噪音扰民', '楼下餐馆油烟直排', '附近废品站乱堆乱放',
        '东门外违章搭建铁皮房', '地下车库被改成仓库', '南侧空地被倾倒建筑垃圾', '北门外大货车违停堵路'][i % 8]!;
      const res = await t.deliver('hotline', {
        orderNo: `GD-MULTI-${i}`, createdAt: hotline.valid.createdAt,
        title: `${place}${what}`, content: `来电人反映${place}${what}，多次反映无人处理。`,
      });
      expect(res.status).toBeLessThan(300);
      const { leadId, duplicate } = await res.json();
      expect(duplicate, `lead ${i}`).toBe(false);
      const assigned = await t.post(`/api/leads/${leadId}/assign`, { agency: AGENCIES[i % AGENCIES.length] }, bureau);
      expect(assigned.status).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('sends the 交办通知, the 超期 reminders and the digests once, with two processes sweeping the overdue day', async () => {
    const runs = await twoAtOnce(local('2026-03-04T09:00:00'));
    const l = await ledger();
    expectExactlyOnce(l);
    const by = (prefix: string) => l.keys.filter((k) => k.startsWith(prefix));
    expect(by('assign:')).toHaveLength(LEADS);
    expect(by('reminder:').filter((k) => k.endsWith(':overdue'))).toHaveLength(LEADS);
    expect(by('reminder:')).toHaveLength(LEADS);
    expect(by('digest:').sort()).toEqual(AGENCIES.map((a) => `digest:${a}:2026-03-04`).sort());
    // + the bureau's daily chain head (全过程记录链头)
    expect(l.keys).toHaveLength(LEADS * 2 + AGENCIES.length + 1);
    // Between them the processes decided each reminder once and delivered each message once.
    expect(runs[0].reminders + runs[1].reminders).toBe(LEADS);
    expect(runs[0].sent + runs[1].sent).toBe(l.keys.length);
    // The mails went where they should: the 超期 notice to the agency's contact.
    const overdue = sink.messages.find((m) => keyOf(m).endsWith(':overdue'))!;
    expect(overdue.parsed.subject).toMatch(/超期/);
    expect(overdue.to).toHaveLength(1);
  }, TIMEOUT);

  it('sends each 督办 escalation once with two processes sweeping the escalation day', async () => {
    const before = sink.messages.length;
    const runs = await twoAtOnce(local('2026-03-09T09:00:00'));
    const l = await ledger();
    expectExactlyOnce(l);
    const fresh = l.keys.slice(before);
    expect(fresh.filter((k) => k.endsWith(':escalation-1'))).toHaveLength(LEADS);
    expect(fresh.filter((k) => k.startsWith('digest:')).sort()).toEqual(AGENCIES.map((a) => `digest:${a}:2026-03-09`).sort());
    expect(fresh).toHaveLength(LEADS + AGENCIES.length + 1);
    expect(runs[0].reminders + runs[1].reminders).toBe(LEADS);
    expect(runs[0].sent + runs[1].sent).toBe(fresh.length);
    const escalation = sink.messages.slice(before).find((m) => keyOf(m).endsWith(':escalation-1'))!;
    expect(escalation.parsed.subject).toMatch(/督办/);
    expect(escalation.to).toContain('jiandu@example.gov.cn');
  }, TIMEOUT);

  it('sends nothing new when both sweep the same time again, and the full-process record is intact', async () => {
    const before = sink.messages.length;
    const outboxBefore = (await ledger()).outbox.length;
    const runs = await twoAtOnce(local('2026-03-09T09:00:00'));
    for (const r of runs) expect(r).toMatchObject({ reminders: 0, sent: 0 });
    // Give a stray late mail the chance to show up before concluding none came.
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.messages.length).toBe(before);
    const l = await ledger();
    expect(l.outbox).toHaveLength(outboxBefore);
    expectExactlyOnce(l);
    expect(l.reminders.filter((r) => Number(r.sent) === 1)).toHaveLength(LEADS * 2);
    expect(await verifyAudit(t.database.db)).toMatchObject({ ok: true });
  }, TIMEOUT);
});
