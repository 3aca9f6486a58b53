// The hotspot tests' data: 97 days of history written straight into the leads table (the rule
// reads only that table and assignments) — 梅湾街道 (urban, 城市管理) one lead a day from 03-06 to
// 06-10, 凤凰街道 one every 15 days — then a burst of six real hotline reports about 凤凰街道 over
// the last six days. Leaves the clock at NOW; returns the burst's lead ids.
import { expect } from 'vitest';
import { addDays } from '../src/domain/calendar/index.ts';
import type { TestApp } from './helpers/app.ts';

export const local = (s: string) => new Date(`${s}+08:00`).toISOString();
export const NOW = local('2026-06-10T10:00:00'); // a Wednesday, a working day, after the digests' 08:30
export const PUBLIC = 'https://xiansuo.example.gov.cn';

const BURST = [
  ['凤凰街道菜市场门口城管没收三轮车', '凤凰街道菜市场门口，城管队员没收了一位老人的三轮车，没有开具任何单据。'],
  ['凤凰街道一家餐馆反映被反复检查', '凤凰街道滨江路一家湘菜馆一周内接待了四拨检查，老板说严重影响营业。'],
  ['凤凰街道工地夜间施工无人管', '凤凰街道某小区旁工地连续多日夜间施工到凌晨两点，居民多次投诉没有回音。'],
  ['凤凰街道网约车司机被罚款未给决定书', '凤凰街道火车站附近，网约车司机被执法人员罚款两千元，没有收到处罚决定书。'],
  ['凤凰街道违建拆除程序不规范', '凤凰街道一户居民的彩钢棚被强制拆除，事前没有书面通知，也没有听取陈述申辩。'],
  ['凤凰街道药店被要求停业整顿', '凤凰街道一家药店因价签不清被要求停业整顿三天，店主认为处罚过重。'],
] as const;

export async function seedHotspots(t: TestApp): Promise<string[]> {
  const burst: string[] = [];
  const rows = [];
  let n = 900_000;
  for (let day = '2026-03-06'; day <= '2026-06-10'; day = addDays(day, 1)) {
    rows.push({ day, township: '梅湾街道', agency: 'urban', domain: '城市管理', title: `梅湾街道占道经营（${day}）` });
  }
  for (const day of ['2026-03-06', '2026-03-21', '2026-04-05', '2026-04-20', '2026-05-05', '2026-05-20']) {
    rows.push({ day, township: '凤凰街道', agency: null, domain: null, title: `凤凰街道往常线索（${day}）` });
  }
  await t.deps.db.insertInto('leads').values(rows.map((r) => {
    const at = local(`${r.day}T08:00:00`);
    return {
      id: `XS-2026-${++n}`, status: 'triage', title: r.title, content: `${r.title}：历史数据。`, priority: 'normal',
      township: r.township, routing_agency: r.agency, domain: r.domain, channels: '["hotline"]', candidates: '[]', problem_types: '[]', lifecycle: '{}', report_count: 1, created_at: at, updated_at: at,
    };
  })).execute();
  // The burst: six real hotline reports about 凤凰街道 over the last six days.
  for (const [i, [title, content]] of BURST.entries()) {
    t.clock.set(local(`2026-06-${String(5 + i).padStart(2, '0')}T09:00:00`));
    const res = await t.deliver('hotline', {
      orderNo: `GD-HOT-${i}`, createdAt: t.clock.now().toISOString(), caller: { phone: `1390000000${i}` }, title, content, township: '凤凰街道',
    });
    expect(res.status).toBe(202);
    burst.push((await res.json()).leadId);
  }
  t.clock.set(NOW);
  return burst;
}
