import { describe, expect, it } from 'vitest';
import { channelNamer } from '../channels.ts';
import { BUILTIN_DIRECTORY } from '../directory.ts';
import { BUILTIN_RULES } from './builtinRules.ts';
import { RoutingRules, type RoutingRulesInput } from './rules.ts';
import { compileRules, route, type RoutableDraft } from './router.ts';

const dir = BUILTIN_DIRECTORY;
/** The runtime passes the registry's labels (webhooks/index.ts); the domain is handed them. */
const channels = channelNamer([{ name: 'hotline', label: '12345热线' }]);

/** A small rule set so each test sees exactly one kind of rule at work. */
function router(input: Partial<RoutingRulesInput> & Pick<RoutingRulesInput, 'rules'>) {
  return compileRules(RoutingRules.parse({ version: 1, thresholds: { minScore: 2, minMargin: 1 }, ...input }), dir, channels);
}
const lead = (title: string, content = '', more: Partial<RoutableDraft> = {}): RoutableDraft =>
  ({ source: 'hotline', title, content, ...more });

describe('keyword rules', () => {
  const r = router({
    rules: [
      { id: 'urban.vending', agency: 'urban', weight: 3, label: '占道经营', match: { keywords: ['占道经营', '摊贩', '占道'] } },
      { id: 'market.food', agency: 'market', weight: 3, match: { keywords: ['食品安全'] } },
      {
        id: 'transport.overload', agency: 'transport', weight: 3,
        match: { keywords: ['超载'], withKeywords: ['货车'], withoutKeywords: ['客车'] },
      },
    ],
  });

  it('routes on a phrase in the content and explains it in Chinese', () => {
    const res = r.route(lead('反映问题', '市民来电反映菜市场门口有人占道经营。'));
    expect(res).toMatchObject({ agency: 'urban', confident: true, transfer: null });
    expect(res.candidates).toEqual([{ agency: 'urban', name: '区城市管理和综合执法局', score: 3, priority: 0, rules: ['urban.vending'] }]);
    expect(res.reason).toContain('建议交办区城市管理和综合执法局');
    expect(res.reason).toContain('「占道经营」“占道经营”');
    expect(res.hits).toEqual([{ rule: 'urban.vending', target: 'urban', score: 3, matched: ['“占道经营”'] }]);
  });

  it('adds a bonus for further distinct phrases (not for one inside another) and for a title hit', () => {
    // 占道 lies inside 占道经营 and does not count again; 摊贩 does.
    expect(r.route(lead('反映问题', '占道经营的摊贩')).candidates[0]!.score).toBe(3.75);
    expect(r.route(lead('占道经营', '无')).candidates[0]!.score).toBe(4.5);
  });

  it('honours withKeywords and withoutKeywords', () => {
    expect(r.route(lead('货车超载', '')).agency).toBe('transport');
    expect(r.route(lead('超载', '')).agency).toBeNull();
    expect(r.route(lead('客车货车都超载', '')).agency).toBeNull();
  });

  it('never matches across fields', () => {
    expect(r.route(lead('反映占', '道经营', { subject: '食品安全' })).candidates.map((c) => c.agency)).toEqual([]);
    expect(r.route(lead('占\u0000道经营')).candidates).toEqual([]);
  });

  it('matches full-width and upper-case text after normalisation', () => {
    const k = router({ rules: [{ id: 'c', agency: 'culture', weight: 3, match: { keywords: ['ktv'] } }] });
    expect(k.route(lead('ＫＴＶ扰民')).agency).toBe('culture');
    expect(k.route(lead('KTV扰民')).agency).toBe('culture');
  });
});

describe('subject aliases and agencies named in the text', () => {
  const r = router({
    subjectAliases: { 城管: 'urban', 综合执法: 'urban', 交警: 'traffic-police', 派出所: 'public-security',
      镇综合执法: '@township', 镇政府: '@township', 工商: 'market' },
    stopPhrases: ['工商银行'],
    rules: [
      { id: 'subject', agency: '@subject', priority: 1, weight: 4 },
      { id: 'mention', agency: '@mention', weight: 2 },
      { id: 'police.noise', agency: 'public-security', weight: 3, match: { keywords: ['噪音'] } },
    ],
  });

  it('routes on the stated subject, which outranks keyword scores (priority tier)', () => {
    const res = r.route(lead('噪音扰民', '噪音很大，噪音持续一夜', { subject: '城管' }));
    expect(res.subject).toBe('urban');
    expect(res.agency).toBe('urban');
    expect(res.candidates[1]!.agency).toBe('public-security');
    expect(res.candidates[1]!.score).toBeGreaterThan(res.candidates[0]!.score);
    expect(res.reason).toContain('被反映单位“城管”');
  });

  it('resolves the directory names and the longest alias in the subject', () => {
    expect(r.route(lead('问题', '', { subject: '区市场监督管理局' })).agency).toBe('market');
    expect(r.route(lead('问题', '', { subject: '凤凰园交警大队' })).agency).toBe('traffic-police');
    expect(r.route(lead('问题', '', { subject: '梅湾街道派出所' })).agency).toBe('public-security');
    // 镇综合执法 (→ the township) is longer than 综合执法 (→ urban).
    expect(r.route(lead('问题', '', { subject: '伊塘镇综合执法大队' })).agency).toBe('township-yitang');
    expect(r.route(lead('问题', '', { subject: '蔡市镇政府' })).agency).toBe('township-caishi');
    expect(r.route(lead('问题', '', { subject: '高溪市镇' })).agency).toBe('township-gaoxishi');
  });

  it('leaves a township alias unresolved when no township is known', () => {
    const res = r.route(lead('问题', '', { subject: '镇政府' }));
    expect(res.subject).toBeNull();
    expect(res.agency).toBeNull();
  });

  it('counts agencies named in the text, but not inside stop phrases', () => {
    expect(r.route(lead('交警乱罚款', '')).agency).toBe('traffic-police');
    expect(r.route(lead('工商银行门口', '')).candidates).toEqual([]);
    expect(r.route(lead('工商所乱罚款', '')).agency).toBe('market');
  });
});

describe('township rules', () => {
  const r = router({
    rules: [
      { id: 'township.base', agency: '@township', weight: 1 },
      { id: 'township.building', agency: '@township', weight: 2,
        match: { township: ['township-yitang', 'township-caishi'], keywords: ['建房'] } },
    ],
  });

  it('recognises the township from the field, the subject, the address or the text, in that order', () => {
    expect(r.route(lead('建房', '', { township: '伊塘镇' })).township).toBe('township-yitang');
    expect(r.route(lead('建房', '', { township: '梅湾街道', address: '伊塘镇某村' })).township).toBe('township-meiwan');
    expect(r.route(lead('建房', '', { address: '冷水滩区蔡市镇老街' })).township).toBe('township-caishi');
    expect(r.route(lead('建房', '蔡市镇的人说伊塘镇，伊塘镇')).township).toBe('township-yitang');
    expect(r.route(lead('建房', '花桥街有人建房')).township).toBe('township-huaqiaojie');
    expect(r.route(lead('建房', '凤凰园附近')).township).toBeNull();
    // A bare two-character name is only trusted in the township field.
    expect(r.route(lead('建房', '', { township: '梅湾' })).township).toBe('township-meiwan');
    expect(r.route(lead('建房', '梅湾')).township).toBeNull();
  });

  it('can require that no township is known', () => {
    const city = router({ rules: [{ id: 'city', agency: 'urban', weight: 3, match: { township: false, keywords: ['建房'] } }] });
    expect(city.route(lead('建房')).agency).toBe('urban');
    expect(city.route(lead('建房', '', { township: '伊塘镇' })).agency).toBeNull();
  });

  it('routes to the township body when its rules fire', () => {
    const res = r.route(lead('村民建房被拆', '', { township: '伊塘镇' }));
    expect(res.agency).toBe('township-yitang');
    expect(res.candidates[0]!.score).toBe(4); // 1 + 2 × (1 + title bonus 0.5)
    expect(res.reason).toContain('乡镇/街道：伊塘镇');
  });

  it('ignores townships not in the rule list, and a bare township is too weak', () => {
    const res = r.route(lead('村民建房被拆', '', { township: '梅湾街道' }));
    expect(res.candidates).toEqual([expect.objectContaining({ agency: 'township-meiwan', score: 1 })]);
    expect(res.agency).toBeNull();
  });
});

describe('category and channel rules', () => {
  const r = router({
    rules: [
      { id: 'category.urban', agency: 'urban', weight: 2, match: { category: ['城市管理'], channel: ['hotline'] } },
      { id: 'media.market', agency: 'market', weight: 2, match: { channel: ['media'] } },
    ],
  });

  it('routes on the source category for the channels it names', () => {
    expect(r.route(lead('问题', '', { category: '城市管理/市容' })).agency).toBe('urban');
    expect(r.route({ ...lead('问题', '', { category: '城市管理' }), source: 'supervisor' }).agency).toBeNull();
    const res = r.route(lead('问题', '', { category: '城市管理' }));
    expect(res.reason).toContain('来源分类“城市管理”');
    expect(res.reason).toContain('渠道：12345热线');
  });

  it('routes on the channel alone', () => {
    expect(r.route({ ...lead('问题'), source: 'media' }).agency).toBe('market');
  });
});

describe('triage', () => {
  const r = router({
    thresholds: { minScore: 3, minMargin: 1 },
    rules: [
      { id: 'a', agency: 'urban', weight: 3, match: { keywords: ['占道'] } },
      { id: 'b', agency: 'market', weight: 3, match: { keywords: ['无证'] } },
      { id: 'c', agency: 'ecology', weight: 2, match: { keywords: ['烟'] } },
      { id: 'd', agency: 'health', weight: 2.5, match: { keywords: ['卫生'] } },
    ],
  });

  it('keeps a tie in triage and lists the top suggestions', () => {
    const res = r.route(lead('无证摊贩占道', ''));
    expect(res).toMatchObject({ agency: null, confident: false });
    expect(res.candidates.map((c) => c.agency)).toEqual(['market', 'urban']);
    expect(res.reason).toContain('得分相同');
    expect(res.reason).toContain('留待人工研判');
  });

  it('keeps a narrow lead in triage', () => {
    const res = r.route(lead('反映', '无证，卫生'));
    expect(res.agency).toBeNull();
    expect(res.reason).toContain('得分接近');
  });

  it('keeps a weak score in triage', () => {
    const res = r.route(lead('反映', '冒烟'));
    expect(res.agency).toBeNull();
    expect(res.candidates[0]).toMatchObject({ agency: 'ecology', score: 2 });
    expect(res.reason).toContain('低于阈值 3');
  });

  it('says so when no rule fires', () => {
    expect(r.route(lead('咨询', '请问怎么办理'))).toMatchObject({
      agency: null, transfer: null, confident: false, candidates: [], reason: '未命中任何分流规则，留待人工研判。',
    });
  });
});

describe('transfers with the built-in rules', () => {
  const r = compileRules(BUILTIN_RULES, dir);

  it('proposes discipline for corruption and still names the agency', () => {
    const res = r.route(lead('城管队员向摊贩索要好处费', '市民来电反映，城管队员每月向夜市摊贩收取好处费，不给就没收摊位，涉嫌吃拿卡要。'));
    expect(res).toMatchObject({ agency: 'urban', transfer: 'discipline', confident: true });
    expect(res.reason).toContain('另建议移送区纪委监委');
  });

  it('proposes judicial for a crime punished only by a fine', () => {
    const res = r.route(lead('地沟油作坊被罚款了事', '本报讯 市场监管部门查获地沟油作坊，仅罚款了事，没有移送公安机关，存在以罚代刑。'));
    expect(res).toMatchObject({ agency: 'market', transfer: 'judicial' });
    expect(res.reason).toContain('两法衔接');
    // 移送公安机关 does not name the police as the agency at fault.
    expect(res.candidates.find((c) => c.agency === 'public-security')).toBeUndefined();
  });

  it('needs an official involved before red envelopes mean discipline', () => {
    expect(r.route(lead('婚宴红包太重', '农村宴请风俗铺张浪费，红包越来越重。')).transfer).toBeNull();
    expect(r.route(lead('执法人员收红包', '执法人员收了红包就不查了。')).transfer).toBe('discipline');
  });

  it('does not propose judicial for a fine alone', () => {
    expect(r.route(lead('罚款了事', '违停被罚款了事')).transfer).toBeNull();
  });
});

describe('classification', () => {
  const r = compileRules(BUILTIN_RULES, dir);

  it('finds the 突出问题 types and the enforcement field of the winning agency', () => {
    const res = r.route(lead('城管暴力执法', '城管队员态度恶劣，动手打人，还一律取缔所有摊点。'));
    expect(res.agency).toBe('urban');
    expect(res.problemTypes).toEqual(['“一刀切”执法', '简单粗暴执法', '野蛮执法']);
    expect(res.domain).toBe('城市管理');
  });

  it('takes a township body’s field from the words', () => {
    const res = r.route(lead('镇综合执法队上门罚款',
      '伊塘镇综合执法队员到村民家检查，说其占用耕地，在宅基地外建房，要罚款。', { township: '伊塘镇' }));
    expect(res.agency).toBe('township-yitang');
    expect(res.domain).toBe('自然资源');
  });

  it('falls back on keywords when no agency is chosen, else null', () => {
    expect(r.route(lead('咨询', '请问怎么办理')).domain).toBeNull();
  });
});

describe('compilation and speed', () => {
  it('route() compiles once per rules and directory and gives the same answer', () => {
    const draft = lead('交警乱贴罚单', '');
    expect(route(draft, BUILTIN_RULES, dir)).toEqual(compileRules(BUILTIN_RULES, dir).route(draft));
    expect(route(draft, BUILTIN_RULES, dir).agency).toBe('traffic-police');
  });

  it('lists at most five candidates, best first', () => {
    const res = compileRules(BUILTIN_RULES, dir).route(lead('综合问题',
      '城管 交警 派出所 环保 人社 市监 税务 消防 医保 林业局 教育局 民政局 水利局'));
    expect(res.candidates.length).toBe(5);
    const scores = res.candidates.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('routes a lead in well under a millisecond', () => {
    const r = compileRules(BUILTIN_RULES, dir);
    const leads = [
      lead('城管没收三轮车', '市民来电反映，凤凰路农贸市场门口城管队员清理占道经营时没收老人三轮车，态度恶劣，推搡老人。'),
      lead('地沟油作坊罚款了事', '本报讯 高溪市镇一处地沟油黑作坊被市场监管部门查获后仅被罚款两万元，没有移送公安机关。'.repeat(4)),
      lead('镇政府一刀切', '监督员反映：蔡市镇政府要求镇域内所有家庭小作坊一律关停。', { township: '蔡市镇', subject: '蔡市镇政府' }),
    ];
    for (let i = 0; i < 300; i++) for (const l of leads) r.route(l);
    // Median of several batches, so that a busy test machine does not decide the outcome.
    const perRoute: number[] = [];
    for (let b = 0; b < 9; b++) {
      const t = performance.now();
      for (let i = 0; i < 100; i++) for (const l of leads) r.route(l);
      perRoute.push((performance.now() - t) / 300);
    }
    perRoute.sort((a, b) => a - b);
    expect(perRoute[4]!).toBeLessThan(1);
  });
});
