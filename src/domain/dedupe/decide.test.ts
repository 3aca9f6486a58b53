import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEDUPE_CONFIG, DEFAULT_THRESHOLDS, DedupeOptionsSchema, ThresholdsSchema, decide, dedupe, samePlace,
  type ScoreDetail,
} from './decide.ts';
import type { ReportText } from './features.ts';
import { createMemoryIndex, type MemoryIndex } from './memoryIndex.ts';

// Synthetic reports written for these tests.
const background: [string, string][] = [
  ['出租车燃油补贴何时发放', '二零一七年度的出租车燃油补贴至今没有发到驾驶员手中，请问什么时候发放。'],
  ['建议增开公交线路', '工业园区上下班通勤困难，希望增开一条到地铁站的公交线路，方便工人出行。'],
  ['农村自来水何时通到户', '我们村还没有通自来水，井水浑浊，请问自来水管网什么时候能铺到我们组。'],
  ['幼儿园收费过高', '小区配套幼儿园每月收费两千元，请问是否符合普惠政策，教育局是否核定过价格。'],
  ['道路坑洼不平', '这段路坑坑洼洼，下雨全是泥水，电动车经常摔倒，请尽快修补路面。'],
  ['夜间施工噪音扰民', '工地每天晚上施工到凌晨两点，渣土车来回跑，居民无法入睡，请相关部门管管。'],
  ['物业乱收费', '物业公司擅自提高物业费，不按物价部门核定的标准收费，业主多次反映无果。'],
  ['拖欠农民工工资', '我在工地做了五个月木工，老板一直拖欠工资不给，劳动监察大队也没有处理。'],
  ['学校门口摊贩多', '学校门口放学时间摊贩占道经营，卫生条件差，学生过马路很危险。'],
  ['小区电梯经常故障', '小区电梯三天两头坏，上个月还关了人，物业维修敷衍了事，存在安全隐患。'],
];

let day = 0;
function at(): string {
  day += 1;
  return new Date(Date.UTC(2019, 0, 1) + day * 3_600_000).toISOString();
}

async function seeded(): Promise<{ index: MemoryIndex; add: (r: ReportText) => Promise<string> }> {
  const index = createMemoryIndex();
  let next = 1;
  const add = async (r: ReportText): Promise<string> => {
    const { decision, write } = await dedupe(index, r);
    const leadId = decision.kind === 'merge' ? decision.leadId : `L${next++}`;
    index.add(leadId, write);
    return leadId;
  };
  for (const [title, content] of background) await add({ title, content, reportedAt: at() });
  return { index, add };
}

const fumes = (estate: string): ReportText => ({
  title: `${estate}小区临街门面烧烤夜宵摊油烟扰民`,
  content: `${estate}小区临街的夜宵摊、烧烤摊二十四小时经营，油烟直排，楼下店面没有排烟管道，`
    + '居民窗户不敢开，衣服晾在外面全是油烟味，多次投诉无果，请城管和环保部门依法处理。',
  reportedAt: at(),
});

describe('dedupe', () => {
  it('merges a repost of the same report and explains why in Chinese', async () => {
    const { index, add } = await seeded();
    const first = await add(fumes('星河湾'));
    const { decision } = await dedupe(index, fumes('星河湾'));
    expect(decision).toMatchObject({ kind: 'merge', leadId: first });
    if (decision.kind === 'merge') {
      expect(decision.why).toContain('文本相似度');
      expect(decision.why).toContain('同一地点：星河湾');
    }
  });

  it('never merges the same complaint about two different estates', async () => {
    const { index, add } = await seeded();
    const first = await add(fumes('星河湾'));
    const { decision, scored } = await dedupe(index, fumes('月湖苑'));
    expect(decision.kind).toBe('new');
    const other = scored.find((s) => s.leadId === first);
    expect(other?.placeConflict).toBe(true);
    expect(other?.text).toBeGreaterThan(0.5);
  });

  it('keeps two named victims apart even when their stories read alike', async () => {
    const { index, add } = await seeded();
    const refund = (name: string): ReportText => ({
      title: '驾校拒绝退还报名费',
      content: `我叫${name}，今年三月在星城驾校报名，交了三千二百元，因工作调动没有参加考试，申请退费，驾校以各种理由拒绝退还，请交通运输局督促处理。`,
      reportedAt: at(),
    });
    const first = await add(refund('王建国'));
    const { decision, scored } = await dedupe(index, refund('李明华'));
    expect(decision.kind).toBe('new');
    expect(scored.find((s) => s.leadId === first)?.personConflict).toBe(true);
  });

  it('lists an independent report of the same problem as a candidate', async () => {
    const { index, add } = await seeded();
    const first = await add({
      title: '星河湾小区旁边新建搅拌站噪音扰民',
      content: '我是暮云街道星河湾小区的业主，开发商在小区东侧不到一百米的地方建了一座搅拌站，机器日夜轰鸣，灰尘很大。',
      reportedAt: at(),
    });
    const { decision } = await dedupe(index, {
      title: '搅拌站粉尘太大，孩子没法呼吸',
      content: '星河湾小区附近的搅拌站每天扬尘，家里关着窗户还是一层灰，晚上也吵得睡不着，请环保部门查一查有没有手续。',
      reportedAt: at(),
    });
    const listed = decision.kind === 'new' ? decision.candidates.map((c) => c.leadId) : [decision.leadId];
    expect(listed).toContain(first);
  });

  it('compares times in UTC whatever the offset, and rejects a report without a time', async () => {
    const { index, add } = await seeded();
    const first = await add({ ...fumes('星河湾'), reportedAt: '2019-03-01T10:00:00+08:00' });
    const { decision, write } = await dedupe(index, { ...fumes('星河湾'), reportedAt: '2019-03-01T03:00:00Z' });
    expect(decision).toMatchObject({ kind: 'merge', leadId: first });
    expect(write.fingerprint.reportedAt).toBe('2019-03-01T03:00:00.000Z');
    await expect(dedupe(index, { ...fumes('星河湾'), reportedAt: 'yesterday' })).rejects.toThrow(RangeError);
  });

  it('does not look beyond the time window', async () => {
    const { index, add } = await seeded();
    await add(fumes('星河湾'));
    const later = { ...fumes('星河湾'), reportedAt: '2021-06-01T00:00:00.000Z' };
    const { decision, scored } = await dedupe(index, later);
    expect(decision).toEqual({ kind: 'new', candidates: [] });
    expect(scored).toEqual([]);
  });
});

function detail(patch: Partial<ScoreDetail>): ScoreDetail {
  return {
    leadId: 'L1', score: 0.9, text: 0.9, sharedPlaces: [], placeConflict: false, sameTownship: [],
    otherTownship: false, sameSubject: [], sharedContact: [], personConflict: false, gapDays: 1, ...patch,
  };
}

describe('decide', () => {
  const t = { high: 0.6, low: 0.2 };

  it('explains a shared phone or order number by its kind, never its value', () => {
    const why = (sharedContact: string[]) => (decide([detail({ sharedContact })], t) as { why: string }).why;
    expect(why(['13800000000'])).toContain('相同联系方式');
    expect(why(['07461234567'])).toContain('相同联系方式');
    expect(why(['gd2026030200123'])).toContain('相同工单号');
    expect(why(['13800000000', 'gd2026030200123'])).not.toMatch(/13800000000|gd2026030200123/);
  });

  it('merges at or above high, lists between, ignores below', () => {
    expect(decide([detail({ score: 0.6 })], t)).toMatchObject({ kind: 'merge', leadId: 'L1', score: 0.6 });
    expect(decide([detail({ score: 0.4 })], t)).toEqual({ kind: 'new', candidates: [{ leadId: 'L1', score: 0.4 }] });
    expect(decide([detail({ score: 0.1 })], t)).toEqual({ kind: 'new', candidates: [] });
  });

  it('never merges across different places or different named victims', () => {
    expect(decide([detail({ placeConflict: true })], t).kind).toBe('new');
    expect(decide([detail({ personConflict: true })], t).kind).toBe('new');
    const d = decide([detail({ leadId: 'A', score: 0.95, personConflict: true }), detail({ leadId: 'B', score: 0.7 })], t);
    expect(d).toMatchObject({ kind: 'merge', leadId: 'B' });
  });

  it('does not merge on shared keys when the texts disagree', () => {
    const keysOnly = detail({ score: 0.7, text: 0.2, sharedPlaces: ['星河湾'] });
    expect(decide([keysOnly], t, 5, 0.3)).toEqual({ kind: 'new', candidates: [{ leadId: 'L1', score: 0.7 }] });
    expect(decide([keysOnly], t, 5, 0)).toMatchObject({ kind: 'merge' });
  });

  it('lists at most the configured number of candidates, best first', () => {
    const many = Array.from({ length: 8 }, (_, i) => detail({ leadId: `L${i}`, score: 0.3 + i * 0.01 }));
    const d = decide(many, t, 3);
    expect(d).toEqual({ kind: 'new', candidates: [{ leadId: 'L7', score: 0.37 }, { leadId: 'L6', score: 0.36 }, { leadId: 'L5', score: 0.35 }] });
  });
});

describe('configuration', () => {
  it('validates thresholds', () => {
    expect(ThresholdsSchema.parse(DEFAULT_THRESHOLDS)).toEqual(DEFAULT_THRESHOLDS);
    expect(() => ThresholdsSchema.parse({ high: 0.2, low: 0.5 })).toThrow();
    expect(() => ThresholdsSchema.parse({ high: 0.5 })).toThrow();
  });

  it('fills defaults', () => {
    const o = DedupeOptionsSchema.parse({ windowDays: 60 });
    expect(o.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(o.windowDays).toBe(60);
    expect(DEFAULT_DEDUPE_CONFIG.thresholds.low).toBeLessThan(DEFAULT_DEDUPE_CONFIG.thresholds.high);
  });
});

describe('samePlace', () => {
  it('matches containment and shared name runs, not shared kind words', () => {
    expect(samePlace({ name: '伊景园滨河苑', kind: 'estate', salient: true }, { name: '滨河苑', kind: 'estate', salient: true })).toBe(true);
    expect(samePlace({ name: '保利香槟国际', kind: 'estate', salient: true }, { name: '利保香槟国际', kind: 'estate', salient: true })).toBe(true);
    expect(samePlace({ name: '丽发新城', kind: 'estate', salient: true }, { name: '武广新城', kind: 'estate', salient: true })).toBe(false);
    expect(samePlace({ name: '劳动东路', kind: 'road', salient: true }, { name: '劳动西路', kind: 'road', salient: true })).toBe(false);
  });
});
